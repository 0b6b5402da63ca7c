import ClaimMapFuzzEntryPoints

/// libFuzzer entry point: the claim contract's fast paths (pattern subset, decimals, e-mail) must decide every
/// input exactly as ICU and Foundation do; any disagreement stops the run as a crash, with its input saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzContractFastPaths(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let problem = FuzzEntryPoints.contractFastPaths(bytes) { fatalError(problem) }
    return 0
}

/// SwiftPM links executables with `main` renamed to `FuzzContractFastPaths_main`; hand control to libFuzzer's
/// driver from there.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("FuzzContractFastPaths_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzContractFastPaths)
}
