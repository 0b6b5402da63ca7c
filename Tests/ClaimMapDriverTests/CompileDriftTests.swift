import ClaimMapDriver
import ClaimMapTestSupport
import Foundation
import Testing

/// `claimmap compile` and `claimmap drift` as CI and a designer use them, in a scratch copy of the repository.
@Suite("compile and drift", .serialized)
struct CompileDriftTests {
    /// A scratch folder with a copy of `Mappings/` and `Generated/`.
    static func workspace() throws -> URL {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("claimmap-ws-\(UUID().uuidString)")
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        for folder in ["Mappings", "Generated"] {
            try fm.copyItem(
                at: Corpora.repository.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        return root
    }

    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            if (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
                files[String(url.path.dropFirst(folder.path.count))] = try Data(contentsOf: url)
            }
        }
        return files
    }

    static func modificationDate(_ url: URL) throws -> Date? {
        try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date
    }

    @Test("the local file system writes exact bytes, truncates on rewrite, and flushes folders")
    func localFileSystemWrites() throws {
        let directory = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fileSystem = LocalFileSystem()
        let path = directory.appendingPathComponent("out.json").path
        let large = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try fileSystem.writeFile(path, large)
        #expect(try fileSystem.readFile(path) == large)
        try fileSystem.writeFile(path, Array("short".utf8))
        #expect(try fileSystem.readFile(path) == Array("short".utf8))
        try fileSystem.synchronizeDirectory(directory.path)
        #expect(throws: FileSystemError.self) { try fileSystem.writeFile(directory.path + "/missing/x", [1]) }
        #expect(throws: FileSystemError.self) { try fileSystem.synchronizeDirectory(directory.path + "/missing") }
    }

    @Test("from a fresh clone drift exits 0; the committed Generated/ is what the specs produce")
    func inSync() throws {
        let run = try CLITests.run(["drift"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test("editing a spec makes drift exit 1 naming the file with a diff; compile fixes it")
    func editThenCompile() throws {
        let ws = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: ws) }
        let spec = ws.appendingPathComponent("Mappings/retail.mapping.yaml")
        let text = try String(contentsOf: spec, encoding: .utf8)
        try text.replacingOccurrences(of: "queue: Retail VIP", with: "queue: Retail Platinum").write(
            to: spec, atomically: true, encoding: .utf8)
        let drift = try CLITests.run(["drift"], in: ws)
        #expect(drift.status == 1)
        #expect(drift.stdout.contains("--- a/Generated/retail/flow.yaml"))
        #expect(drift.stdout.contains("+++ b/Generated/retail/flow.yaml"))
        // The queue is an Archy substitution: the placeholder and its default in archy-options.yaml both change.
        #expect(drift.stdout.contains("-                                  name: \"{{queue_retail_vip}}\""))
        #expect(drift.stdout.contains("+                                  name: \"{{queue_retail_platinum}}\""))
        #expect(drift.stdout.contains("--- a/Generated/retail/archy-options.yaml"))
        #expect(drift.stdout.contains("+  queue_retail_platinum: Retail Platinum"))
        #expect(drift.stdout.contains("fix: claimmap compile"))
        let untouched = ws.appendingPathComponent("Generated/retail/participant-data.json")
        let before = try Self.modificationDate(untouched)
        Thread.sleep(forTimeInterval: 1.1)
        let compile = try CLITests.run(["compile"], in: ws)
        #expect(compile.status == 0, "\(compile.stderr)")
        #expect(compile.stdout.contains("Generated/retail: 8 written, 9 unchanged, 0 removed"), "\(compile.stdout)")
        #expect(compile.stdout.contains("Generated/bank: up to date"))
        #expect(try Self.modificationDate(untouched) == before, "an unchanged file must keep its timestamp")
        #expect(try CLITests.run(["drift"], in: ws).status == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: ws.appendingPathComponent("Generated").path)
        #expect(!leftovers.contains { $0.hasPrefix(".") }, "no staging folder is left behind: \(leftovers)")
    }

    @Test("missing, stale and orphaned outputs are reported")
    func missingStaleOrphaned() throws {
        let ws = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: ws) }
        let generated = ws.appendingPathComponent("Generated")
        try FileManager.default.removeItem(at: generated.appendingPathComponent("minimal/claims.json"))
        try "old".write(to: generated.appendingPathComponent("bank/notes.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            at: generated.appendingPathComponent("legacy"), withIntermediateDirectories: true)
        let drift = try CLITests.run(["drift"], in: ws)
        #expect(drift.status == 1)
        #expect(drift.stdout.contains("missing: Generated/minimal/claims.json"))
        #expect(drift.stdout.contains("stale: Generated/bank/notes.txt (not produced by claimmap)"))
        #expect(drift.stdout.contains("it overwrites hand edits in Generated/: make them in the spec"))
        #expect(drift.stdout.contains("orphaned: Generated/legacy/"))
        #expect(drift.stdout.contains("3 differences"))
        let compile = try CLITests.run(["compile"], in: ws)
        #expect(compile.stdout.contains("Generated/bank: 0 written, 18 unchanged, 1 removed"), "\(compile.stdout)")
        #expect(!FileManager.default.fileExists(atPath: generated.appendingPathComponent("bank/notes.txt").path))
    }

    @Test("drift covers the deployment files: Terraform, Archy options and the checklist")
    func driftCoversDeploymentFiles() throws {
        let ws = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: ws) }
        let generated = ws.appendingPathComponent("Generated")
        let main = generated.appendingPathComponent("bank/terraform/main.tf")
        try (try String(contentsOf: main, encoding: .utf8) + "# hand edit\n").write(
            to: main, atomically: true, encoding: .utf8)
        let options = generated.appendingPathComponent("retail/archy-options.yaml")
        try (try String(contentsOf: options, encoding: .utf8)).replacingOccurrences(
            of: "queue_retail_vip: Retail VIP", with: "queue_retail_vip: Retail VIP (prod)"
        ).write(to: options, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: generated.appendingPathComponent("minimal/deployment-checklist.json"))
        try "{}".write(
            to: generated.appendingPathComponent("minimal/deployment.json"), atomically: true, encoding: .utf8)
        let drift = try CLITests.run(["drift"], in: ws)
        #expect(
            drift.stdout.contains("stale: Generated/minimal/deployment.json (no longer produced)"), "\(drift.stdout)")
        #expect(drift.status == 1)
        #expect(drift.stdout.contains("--- a/Generated/bank/terraform/main.tf"))
        #expect(drift.stdout.contains("-  queue_retail_vip: Retail VIP (prod)"), "\(drift.stdout)")
        #expect(drift.stdout.contains("missing: Generated/minimal/deployment-checklist.json"))
        #expect(drift.stdout.contains("4 differences"))
    }

    @Test("a spec with errors writes nothing at all")
    func errorsWriteNothing() throws {
        let ws = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: ws) }
        let spec = ws.appendingPathComponent("Mappings/bank.mapping.yaml")
        let text = try String(contentsOf: spec, encoding: .utf8)
        try text.replacingOccurrences(of: "queue: Card Services", with: "queue: Card Services\n    sensitive: maybe")
            .write(to: spec, atomically: true, encoding: .utf8)
        try (try String(contentsOf: ws.appendingPathComponent("Mappings/retail.mapping.yaml"), encoding: .utf8))
            .replacingOccurrences(of: "Retail VIP", with: "Retail V2")
            .write(to: ws.appendingPathComponent("Mappings/retail.mapping.yaml"), atomically: true, encoding: .utf8)
        let before = try Self.snapshot(ws.appendingPathComponent("Generated"))
        let compile = try CLITests.run(["compile"], in: ws)
        #expect(compile.status == 1)
        #expect(compile.stderr.contains("error[CM1106]"))
        #expect(compile.stderr.contains("nothing was written"))
        #expect(try Self.snapshot(ws.appendingPathComponent("Generated")) == before)
    }

    @Test("killing compile before its swap leaves Generated/ byte-identical; the next run cleans up and finishes")
    func killMidWrite() throws {
        let ws = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: ws) }
        let generated = ws.appendingPathComponent("Generated")
        let spec = ws.appendingPathComponent("Mappings/retail.mapping.yaml")
        try (try String(contentsOf: spec, encoding: .utf8)).replacingOccurrences(of: "Retail VIP", with: "Retail V3")
            .write(to: spec, atomically: true, encoding: .utf8)
        let before = try Self.snapshot(generated)
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["compile"]
        process.currentDirectoryURL = ws
        process.environment = ProcessInfo.processInfo.environment.merging(["CLAIMMAP_TEST_PAUSE_BEFORE_SWAP_MS": "5000"]
        ) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the staging folder is complete (it is written before the pause), then kill -9.
        var staged = false
        for _ in 0..<200 where !staged {
            Thread.sleep(forTimeInterval: 0.02)
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: generated.path)) ?? []
            if let staging = entries.first(where: { $0.hasPrefix(".retail.staging-") }) {
                staged = FileManager.default.fileExists(
                    atPath: generated.appendingPathComponent("\(staging)/Evaluator.swift").path)
            }
        }
        #expect(staged, "compile never reached its staging step")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        var after = try Self.snapshot(generated)
        after = after.filter { !$0.key.hasPrefix("/.") }
        #expect(after == before, "Generated/ must be exactly as before the interrupted compile")
        let rerun = try CLITests.run(["compile"], in: ws)
        #expect(rerun.status == 0)
        let entries = try FileManager.default.contentsOfDirectory(atPath: generated.path)
        #expect(!entries.contains { $0.hasPrefix(".") }, "the stale staging folder is removed: \(entries)")
        #expect(try CLITests.run(["drift"], in: ws).status == 0)
    }

    @Test("random kills during compile always leave the old or the new folder whole")
    func randomKills() throws {
        let ws = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: ws) }
        let generated = ws.appendingPathComponent("Generated")
        let old = try Self.snapshot(generated.appendingPathComponent("retail"))
        let spec = ws.appendingPathComponent("Mappings/retail.mapping.yaml")
        try (try String(contentsOf: spec, encoding: .utf8)).replacingOccurrences(of: "Retail VIP", with: "Retail V4")
            .write(to: spec, atomically: true, encoding: .utf8)
        var newSnapshot: [String: Data]?
        for attempt in 0..<12 {
            try? FileManager.default.removeItem(at: generated.appendingPathComponent("retail"))
            for (path, data) in old {
                let url = URL(fileURLWithPath: generated.appendingPathComponent("retail").path + path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            let process = Process()
            process.executableURL = CLITests.binary
            process.arguments = ["compile", "Mappings/retail.mapping.yaml"]
            process.currentDirectoryURL = ws
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: Double(attempt) * 0.004)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = try Self.snapshot(generated.appendingPathComponent("retail"))
            if now != old {
                if newSnapshot == nil {
                    _ = try CLITests.run(["compile", "Mappings/retail.mapping.yaml"], in: ws)
                    newSnapshot = try Self.snapshot(generated.appendingPathComponent("retail"))
                    continue
                }
                #expect(now == newSnapshot, "attempt \(attempt): a half-written folder")
            }
        }
    }
}
