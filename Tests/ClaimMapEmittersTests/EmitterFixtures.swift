import ClaimMapDriver
import ClaimMapEmitters
import ClaimMapSemantics
import ClaimMapTestSupport
import Foundation

/// The emitter fixtures (`Fixtures/<case>/<case>.mapping.yaml`) and the example specs, checked.
enum EmitterFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")
    static let cases = ["blocked", "features"]

    static func spec(_ name: String) throws -> CheckedSpec {
        let url = directory.appendingPathComponent("\(name)/\(name).mapping.yaml")
        let bytes = [UInt8](try Data(contentsOf: url))
        let result = Driver(fileSystem: InMemoryFileSystem()).check(path: "\(name).mapping.yaml", bytes: bytes)
        guard let checked = result.checked else {
            throw FixtureError(message: "\(name) does not check: \(result.diagnostics.map(\.message))")
        }
        return checked
    }

    static func example(_ name: String) throws -> CheckedSpec {
        let path = Corpora.repository.appendingPathComponent("Mappings/\(name).mapping.yaml").path
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let result = Driver(fileSystem: InMemoryFileSystem()).check(path: "Mappings/\(name).mapping.yaml", bytes: bytes)
        guard let checked = result.checked else { throw FixtureError(message: "\(name) does not check") }
        return checked
    }

    static let examples = ["bank", "minimal", "retail"]

    /// Every spec the emitter tests run on: fixtures and examples.
    static func allSpecs() throws -> [CheckedSpec] {
        try cases.map(spec) + examples.map(example)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
