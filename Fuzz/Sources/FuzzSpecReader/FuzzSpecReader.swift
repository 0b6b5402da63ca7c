import ClaimMapSyntax

/// The spec reader (YAML stage and spec parser) on arbitrary bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpecReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var reader = YAMLReader()
    let result = reader.read(Array(UnsafeBufferPointer(start: data, count: size)))
    if let root = result.root, !result.hasErrors {
        _ = SpecParser.parse(root: root, text: result.text, path: "fuzz.mapping.yaml")
    }
    return 0
}

/// SwiftPM links executables with `main` renamed to `FuzzSpecReader_main`; hand control to libFuzzer's driver from there.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("FuzzSpecReader_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzSpecReader)
}
