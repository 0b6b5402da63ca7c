import ClaimMapEvaluator
import ClaimMapRuntime
import ClaimMapTestSupport
import Foundation
import Testing

@testable import ClaimMapEmitters

/// Compiles each spec's `Evaluator.swift` (the checked-in `Generated/*/Evaluator.swift` for the examples, the
/// emitted one for the fixtures) with `swiftc` and a small harness in a temporary folder, then proves it agrees
/// with the `evaluator.json` interpreter on generated conversations that cover every rule, default and guard.
@Suite("generated Swift evaluator agrees with the interpreter", .serialized)
struct DifferentialTests {
    static let casesPerSpec = 400

    static func harness(typeName: String) -> String {
        """
        import Foundation
        typealias E = \(typeName)
        func results(_ json: E.JSON?) -> [String: E.ActionResult] {
            guard case .object(let members)? = json else { return [:] }
            var out: [String: E.ActionResult] = [:]
            for member in members {
                if case .string("fail") = member.value { out[member.name] = .fail } else { out[member.name] = .response(member.value) }
            }
            return out
        }
        while let line = readLine() {
            guard let c = E.JSON.parse(line) else {
                print("unreadable case")
                continue
            }
            var claims = c[member: "claims"]
            if claims == .null { claims = nil }
            var attributes: [String: String] = [:]
            if case .object(let members)? = c[member: "attributes"] {
                for member in members { if case .string(let s) = member.value { attributes[member.name] = s } }
            }
            let input = E.Input(claims: claims, attributes: attributes, enrichments: results(c[member: "enrichments"]), actions: results(c[member: "actions"]))
            print(E.evaluate(input).json.text)
        }
        """
    }

    static func swiftc() -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/swiftc" }
        return paths.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a process with standard input from a file (never a pipe we write while it writes: no deadlock),
    /// and standard output and error to files.
    static func run(_ executable: String, _ arguments: [String], stdin: String? = nil) throws -> (String, String, Int32)
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "claimmap-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inURL = directory.appendingPathComponent("in")
        let outURL = directory.appendingPathComponent("out")
        let errURL = directory.appendingPathComponent("err")
        try Data((stdin ?? "").utf8).write(to: inURL)
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        let stdout = try Data(contentsOf: outURL)
        let stderr = try Data(contentsOf: errURL)
        return (
            String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self), process.terminationStatus
        )
    }

    static let specNames = EmitterFixtures.examples + EmitterFixtures.cases

    @Test("outputs are identical on every generated conversation", arguments: specNames)
    func agree(name: String) throws {
        let isExample = EmitterFixtures.examples.contains(name)
        let spec = isExample ? try EmitterFixtures.example(name) : try EmitterFixtures.spec(name)
        let program = ProgramLowering.program(spec)
        let source: String
        if isExample {
            source = try String(
                contentsOf: Corpora.repository.appendingPathComponent("Generated/\(name)/Evaluator.swift"),
                encoding: .utf8)
            #expect(
                source == SwiftEvaluatorEmitter.emit(program, specPath: spec.path),
                "Generated/\(name)/Evaluator.swift is stale: run claimmap compile")
        } else {
            source = SwiftEvaluatorEmitter.emit(program, specPath: spec.path)
        }
        let swiftc = try #require(Self.swiftc(), "swiftc must be on PATH")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "claimmap-diff-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try source.write(to: directory.appendingPathComponent("Evaluator.swift"), atomically: true, encoding: .utf8)
        let typeName = SwiftEvaluatorEmitter.typeName(spec.name)
        try Self.harness(typeName: typeName).write(
            to: directory.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
        let binary = directory.appendingPathComponent("harness").path
        let (_, compileErrors, status) = try Self.run(
            swiftc,
            [
                "-swift-version", "6", "-warnings-as-errors", directory.appendingPathComponent("Evaluator.swift").path,
                directory.appendingPathComponent("main.swift").path, "-o", binary,
            ])
        try #require(status == 0, "swiftc failed:\n\(compileErrors)")

        var generator = CaseGenerator(seed: 0xC1A1_3A9 &+ UInt64(name.utf8.count))
        let inputs = (0..<Self.casesPerSpec).map { _ in generator.input(for: program) }
        let interpreter = Interpreter(program: program)
        let expected = inputs.map { interpreter.evaluate($0) }
        let (stdout, stderr, exitCode) = try Self.run(
            binary, [], stdin: inputs.map(CaseGenerator.line).joined(separator: "\n") + "\n")
        #expect(exitCode == 0, "\(stderr)")
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.count == inputs.count)
        var mismatches = 0
        for (index, line) in lines.enumerated() where index < expected.count {
            let want = expected[index].jsonText()
            if line != want {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record(
                        "case \(index) of \(name) differs:\ninput: \(CaseGenerator.line(inputs[index]))\ninterpreter: \(want)\ngenerated:   \(line)"
                    )
                }
            }
        }
        #expect(mismatches == 0)

        // The generated conversations exercise every rule, every guard both ways, and every default.
        let rules = Set(expected.compactMap { $0.route?.rule })
        #expect(
            rules == Set(program.routing.map(\.name)),
            "\(name): rules never chosen: \(Set(program.routing.map(\.name)).subtracting(rules))")
        for guardSpec in program.guards {
            let decisions = expected.compactMap { $0.guards.first { $0.name == guardSpec.name } }
            #expect(
                decisions.contains { $0.allowed } && decisions.contains { !$0.allowed },
                "\(name): guard \(guardSpec.name)")
        }
        // Defaults of computed variables apply only when a conversion fails, which a spec may make impossible.
        for variable in program.variables where variable.defaultValue != nil && variable.source.label != "expr" {
            let sources = Set(expected.compactMap { $0.variable(variable.name)?.source })
            #expect(sources.contains("default") && sources.count > 1, "\(name): \(variable.name) sources \(sources)")
        }
    }
}
