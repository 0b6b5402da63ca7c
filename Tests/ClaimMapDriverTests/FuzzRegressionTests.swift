import ClaimMapDiagnostics
import ClaimMapEvaluator
import ClaimMapJOSE
import ClaimMapRuntime
import ClaimMapTestSupport
import Foundation
import Testing

@testable import ClaimMapSyntax

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
        let jwks = try JWKS(bytes: Array(#"{"keys":[]}"#.utf8))
        for (name, bytes) in inputs {
            switch target {
            case "FuzzJSON":
                _ = try? StrictJSONReader(maxDepth: 16).parse(bytes)
            case "FuzzSpecReader":
                var reader = YAMLReader()
                let result = reader.read(bytes)
                if let root = result.root, !result.hasErrors {
                    _ = SpecParser.parse(root: root, text: result.text, path: "f.mapping.yaml")
                }
            case "FuzzExpression":
                let text = String(decoding: bytes, as: UTF8.self)
                var parser = ExpressionParser(
                    text: text,
                    locations: (0...text.unicodeScalars.count).map { SourceLocation(line: 1, column: $0 + 1) })
                _ = parser.parse()
            case "FuzzJWS":
                let policy = ClaimPolicy(
                    issuer: "i", audiences: ["a"], algorithms: ["RS256"], leewaySeconds: 60, nonceRequired: false)
                _ = try? IDTokenVerifier.verify(
                    Substring(String(decoding: bytes, as: UTF8.self)), keys: jwks, policy: policy, now: 0)
            case "FuzzContractFastPaths":
                let problem = FastPathOracle.disagreement(bytes)
                #expect(problem == nil, "\(name): \(problem ?? "")")
            default:
                _ = try? JWKS(bytes: bytes)
            }
            _ = name
        }
    }
}
