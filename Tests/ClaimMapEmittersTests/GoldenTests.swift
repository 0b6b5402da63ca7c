import ClaimMapDriver
import ClaimMapTestSupport
import Foundation
import Testing

@testable import ClaimMapEmitters

/// Golden files for every emitter: `Fixtures/<case>/expected/` holds exactly what the emitters produce, but for
/// `ClaimMapRuntime.swift`: that file is the same for every spec, and `DifferentialTests` holds it equal to the
/// module's sources and to every `Generated/*/` copy, so a runtime change rewrites no golden.
/// `UPDATE_GOLDENS=1 swift test` rewrites them and still fails, so a recording run never passes silently.
@Suite("emitter goldens")
struct GoldenTests {
    @Test("every emitted file matches its golden", arguments: EmitterFixtures.cases)
    func golden(name: String) throws {
        let spec = try EmitterFixtures.spec(name)
        let all = Emitter.files(for: spec)
        let files = all.filter { $0.path != SwiftEvaluatorEmitter.runtimeFile }
        #expect(all.count == files.count + 1, "\(name) emits one \(SwiftEvaluatorEmitter.runtimeFile)")
        let expected = EmitterFixtures.directory.appendingPathComponent("\(name)/expected")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try? FileManager.default.removeItem(at: expected)
            for file in files {
                let url = expected.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.contents.write(to: url, atomically: true, encoding: .utf8)
            }
            Issue.record(
                "goldens for \(name) were rewritten; review the diff and run the tests again without UPDATE_GOLDENS")
            return
        }
        let fs = LocalFileSystem()
        let onDisk = try fs.listEntriesRecursively(expected.path).filter { $0.kind != .directory }.map(\.path)
        #expect(onDisk == files.map(\.path).sorted(), "golden file set differs for \(name)")
        for file in files {
            let url = expected.appendingPathComponent(file.path)
            let golden = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            if golden != file.contents {
                let diff = UnifiedDiff.diff(old: golden, new: file.contents, oldLabel: "golden", newLabel: "emitted")
                Issue.record("\(name)/\(file.path) differs from its golden:\n\(diff)")
            }
        }
    }

    @Test("emitting twice gives the same bytes")
    func deterministic() throws {
        for spec in try EmitterFixtures.allSpecs() {
            #expect(Emitter.files(for: spec) == Emitter.files(for: spec))
        }
    }

    @Test("every file ends with one newline and has a do-not-edit header where the format allows")
    func headers() throws {
        for spec in try EmitterFixtures.allSpecs() {
            for file in Emitter.files(for: spec) {
                #expect(file.contents.hasSuffix("\n") && !file.contents.hasSuffix("\n\n"), "\(spec.name)/\(file.path)")
                #expect(!file.contents.contains("\r"))
                if file.path.hasSuffix(".yaml") || file.path.hasSuffix(".swift") {
                    #expect(file.contents.contains("Do not edit"), "\(spec.name)/\(file.path)")
                }
            }
        }
    }
}
