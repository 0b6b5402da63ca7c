import ClaimMapFuzzEntryPoints
import ClaimMapTestSupport
import Foundation
import Testing

/// Replays every input under `Tests/FuzzRegressions/<target>/` (crashes `scripts/fuzz` found, and hand-made
/// seeds) through the same entry points as the fuzz targets: each must finish without crashing, and the
/// differential target's inputs must find no disagreement.
@Suite("fuzz regressions")
struct FuzzRegressionTests {
    static func inputs(_ target: String) throws -> [(String, [UInt8])] {
        let directory = Corpora.repository.appendingPathComponent("Tests/FuzzRegressions/\(target)")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map {
            ($0, [UInt8](try Data(contentsOf: directory.appendingPathComponent($0))))
        }
    }

    @Test(
        "every saved input is handled",
        arguments: ["FuzzJSON", "FuzzSpecReader", "FuzzExpression", "FuzzJWS", "FuzzJWKS", "FuzzContractFastPaths"])
    func replay(target: String) throws {
        let inputs = try Self.inputs(target)
        #expect(!inputs.isEmpty)
        for (name, bytes) in inputs {
            switch target {
            case "FuzzJSON": FuzzEntryPoints.json(bytes)
            case "FuzzSpecReader": FuzzEntryPoints.specReader(bytes)
            case "FuzzExpression": FuzzEntryPoints.expression(bytes)
            case "FuzzJWS": FuzzEntryPoints.jws(bytes)
            case "FuzzJWKS": FuzzEntryPoints.jwks(bytes)
            case "FuzzContractFastPaths":
                let problem = FuzzEntryPoints.contractFastPaths(bytes)
                #expect(problem == nil, "\(name): \(problem ?? "")")
            default: Issue.record("no entry point for \(target)")
            }
        }
    }
}
