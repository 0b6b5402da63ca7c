import ClaimMapTestSupport
import Foundation
import Testing

/// Runs the built `claimmap` binary as a user would and checks output and exit codes (docs/decisions.md, Exit codes).
@Suite("claimmap command line")
struct CLITests {
    struct Run {
        var stdout: String
        var stderr: String
        var status: Int32
    }

    static var binary: URL {
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ]
        for directory in candidates.compactMap({ $0 }) {
            let url = directory.appendingPathComponent("claimmap")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return Corpora.repository.appendingPathComponent(".build/debug/claimmap")
    }

    static func run(_ arguments: [String], in directory: URL = Corpora.repository) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self),
            status: process.terminationStatus)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("claimmap-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("check with no arguments checks Mappings/ and says so in one line when clean")
    func checkClean() throws {
        let run = try Self.run(["check"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "3 specs checked: 0 errors, 0 warnings\n")
    }

    @Test("a missing spec is not counted as checked; a folder without specs or tests is an error, for every command")
    func missingAndEmpty() throws {
        let missing = try Self.run(["check", "Mappings/nope.mapping.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: cannot read spec Mappings/nope.mapping.yaml: no such file\n")
        let half = try Self.run(["check", "Mappings/nope.mapping.yaml", "Mappings/minimal.mapping.yaml"])
        #expect(half.status == 2)
        #expect(half.stderr.hasPrefix("1 spec checked: 0 errors, 0 warnings\n"), "\(half.stderr)")
        let empty = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        for command in ["check", "compile", "drift"] {
            let run = try Self.run([command, empty.path])
            #expect(run.status == 2, "\(command)")
            #expect(run.stderr.contains("holds no `*.mapping.yaml` file; name a spec"), "\(command): \(run.stderr)")
            #expect(!run.stderr.contains("checked"), "\(command)")
        }
        let tests = try Self.run(["test", empty.path])
        #expect(tests.status == 2)
        #expect(tests.stderr.contains("holds no `*.tests.yaml` file; name a tests file"))
        let noTests = try Self.run(["test", "Mappings/nope.tests.yaml"])
        #expect(noTests.status == 2)
        #expect(noTests.stderr == "error: cannot read tests file Mappings/nope.tests.yaml: no such file\n")
        #expect(noTests.stdout.isEmpty, "no \"0 passed\" line when nothing could run")
    }

    @Test("a spec with an error exits 1 with a located diagnostic")
    func checkError() throws {
        let dir = try Self.temporaryDirectory()
        let spec = dir.appendingPathComponent("broken.mapping.yaml")
        try SpecFixture.text(["routing": "  - rule: d\n    queue: D\n  - rule: late\n    queue: L\n"])
            .write(to: spec, atomically: true, encoding: .utf8)
        let run = try Self.run(["check", spec.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("broken.mapping.yaml:31:11: error[CM2401]: rule `late` is unreachable"))
        #expect(run.stderr.hasSuffix("1 spec checked: 1 error, 0 warnings\n"), "\(run.stderr)")
    }

    @Test("warnings pass, and fail with --strict")
    func strict() throws {
        let dir = try Self.temporaryDirectory()
        let spec = dir.appendingPathComponent("warn.mapping.yaml")
        try SpecFixture.text(["identity": SpecFixture.section("identity") + "  nonce: optional\n"])
            .write(to: spec, atomically: true, encoding: .utf8)
        let lenient = try Self.run(["check", spec.path])
        #expect(lenient.status == 0)
        #expect(lenient.stderr.contains("warning[CM2502]"))
        let strict = try Self.run(["check", "--strict", spec.path])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("error[CM2502]"))
    }

    @Test("unreadable input and usage errors exit 2")
    func usage() throws {
        let missing = try Self.run(["check", "nope.mapping.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.mapping.yaml"))
        let badOption = try Self.run(["check", "--frobnicate"])
        #expect(badOption.status == 2)
        let badFormat = try Self.run(["check", "--format", "xml"])
        #expect(badFormat.status == 2)
        // replay, test, doctor and drift --deployed share one `--format`: text or json, anything else a usage error.
        let spec = "Mappings/bank.mapping.yaml"
        for arguments in [
            ["replay", spec, "--guest", "--format", "yaml"], ["test", "--format", "yaml"],
            ["doctor", spec, "--format", "yaml"], ["drift", spec, "--deployed", "x.yaml", "--format", "yaml"],
        ] {
            let run = try Self.run(arguments)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr.contains("'text' and 'json'"), "\(arguments): \(run.stderr)")
        }
        let empty = try Self.temporaryDirectory()
        let noMappings = try Self.run(["check"], in: empty)
        #expect(noMappings.status == 2)
        #expect(noMappings.stderr.contains("Mappings/"))
    }

    @Test("json and sarif formats are machine-readable")
    func formats() throws {
        let dir = try Self.temporaryDirectory()
        let spec = dir.appendingPathComponent("x.mapping.yaml")
        try SpecFixture.text([
            "routing": "  - rule: g\n    when: Flow.Teir == \"a\"\n    queue: G\n  - rule: d\n    queue: D\n"
        ])
        .write(to: spec, atomically: true, encoding: .utf8)
        let json = try Self.run(["check", "--format", "json", spec.path])
        #expect(json.status == 1)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let error = try #require(array.first { $0["code"] as? String == "CM2002" })
        #expect(error["line"] as? Int == 30)
        #expect(error["help"] as? String == "did you mean `Flow.Tier`?")
        let sarif = try Self.run(["check", "--format", "sarif", spec.path])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        #expect(document["version"] as? String == "2.1.0")
        let runs = try #require(document["runs"] as? [[String: Any]])
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        #expect(results.contains { $0["ruleId"] as? String == "CM2002" && $0["level"] as? String == "error" })
    }

    @Test("schema prints a JSON Schema listing every top-level section")
    func schema() throws {
        let run = try Self.run(["schema"])
        #expect(run.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(document["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        let properties = try #require(document["properties"] as? [String: Any])
        #expect(
            Set(properties.keys) == [
                "claimmap", "flow", "identity", "claims", "enrichment", "attributes", "variables", "participantData",
                "routing", "guards",
            ])
    }

    @Test("--version and --help exit 0")
    func help() throws {
        #expect(try Self.run(["--version"]).stdout == "0.1.0\n")
        let help = try Self.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("check"))
    }
}
