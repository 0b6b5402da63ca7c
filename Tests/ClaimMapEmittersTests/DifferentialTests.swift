import ClaimMapEvaluator
import ClaimMapTestSupport
import Foundation
import Testing

@testable import ClaimMapEmitters
@testable import ClaimMapRuntime

/// Compiles one `ClaimMapRuntime.swift` with every spec's `Evaluator.swift` (the checked-in `Generated/*/` files for
/// the examples, the emitted ones for the fixtures) and a harness into one program with `swiftc` — several evaluators
/// in one target, as a team's app holds them — then proves each agrees with the `evaluator.json` interpreter on
/// generated conversations that cover every rule, default and guard.
@Suite("generated Swift evaluator agrees with the interpreter", .serialized)
struct DifferentialTests {
    static let casesPerSpec = 400

    /// Reads `spec<TAB>case` lines; prints each case's result as replay does.
    static func harness(typeNames: [(spec: String, type: String)]) -> String {
        let table = typeNames.map { "    \(SwiftSource.literal($0.spec)): \($0.type).evaluate," }.joined(
            separator: "\n")
        return """
            import Foundation
            let evaluators: [String: @Sendable (EvaluationInput) -> EvaluationResult] = [
            \(table)
            ]
            func results(_ json: JSONValue?) -> [String: EvaluationInput.DataActionResult] {
                guard case .object(let members)? = json else { return [:] }
                var out: [String: EvaluationInput.DataActionResult] = [:]
                for (name, value) in members {
                    if case .string("fail") = value { out[name] = .fail } else { out[name] = .response(value) }
                }
                return out
            }
            while let line = readLine() {
                guard let tab = line.firstIndex(of: "\\t"), let evaluate = evaluators[String(line[..<tab])],
                    let c = try? StrictJSONReader(maxDepth: 64).parse(String(line[line.index(after: tab)...]))
                else {
                    print("unreadable case")
                    continue
                }
                var claims = c[member: "claims"]
                if claims == .null { claims = nil }
                var attributes: [String: String] = [:]
                if case .object(let members)? = c[member: "attributes"] {
                    for (name, value) in members { if case .string(let s) = value { attributes[name] = s } }
                }
                let input = EvaluationInput(
                    claims: claims, attributes: attributes, enrichments: results(c[member: "enrichments"]),
                    actions: results(c[member: "actions"]))
                print(evaluate(input).jsonText())
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
        for url in [outURL, errURL] where !FileManager.default.createFile(atPath: url.path, contents: nil) {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
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

    @Test("every spec's evaluator, compiled with one runtime, matches the interpreter on every generated conversation")
    func agree() throws {
        let swiftc = try #require(Self.swiftc(), "swiftc must be on PATH")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "claimmap-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files = [directory.appendingPathComponent("main.swift").path]
        var typeNames: [(spec: String, type: String)] = []
        var programs: [(name: String, program: EvaluatorProgram)] = []
        // One copy of the runtime: the checked-in one, which every Generated folder holds byte for byte.
        for name in EmitterFixtures.examples {
            let copy = try String(
                contentsOf: Corpora.repository.appendingPathComponent("Generated/\(name)/ClaimMapRuntime.swift"),
                encoding: .utf8)
            #expect(copy == SwiftEvaluatorEmitter.runtime, "Generated/\(name)/ClaimMapRuntime.swift is stale")
        }
        let runtime = SwiftEvaluatorEmitter.runtime
        try runtime.write(
            to: directory.appendingPathComponent("ClaimMapRuntime.swift"), atomically: true, encoding: .utf8)
        files.append(directory.appendingPathComponent("ClaimMapRuntime.swift").path)
        for name in Self.specNames {
            let isExample = EmitterFixtures.examples.contains(name)
            let spec = isExample ? try EmitterFixtures.example(name) : try EmitterFixtures.spec(name)
            let program = ProgramLowering.program(spec)
            var source = SwiftEvaluatorEmitter.emit(program, specPath: spec.path)
            if isExample {
                let checkedIn = try String(
                    contentsOf: Corpora.repository.appendingPathComponent("Generated/\(name)/Evaluator.swift"),
                    encoding: .utf8)
                #expect(checkedIn == source, "Generated/\(name)/Evaluator.swift is stale: run claimmap compile")
                source = checkedIn
            }
            let file = directory.appendingPathComponent("\(name)-Evaluator.swift")
            try source.write(to: file, atomically: true, encoding: .utf8)
            files.append(file.path)
            typeNames.append((spec.name, SwiftEvaluatorEmitter.typeName(spec.name)))
            programs.append((spec.name, program))
        }
        try Self.harness(typeNames: typeNames).write(
            to: directory.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
        let binary = directory.appendingPathComponent("harness").path
        let (_, compileErrors, status) = try Self.run(
            swiftc, ["-swift-version", "6", "-warnings-as-errors"] + files + ["-o", binary])
        try #require(status == 0, "swiftc failed:\n\(compileErrors)")

        var lines: [String] = []
        var expectations:
            [(name: String, program: EvaluatorProgram, input: EvaluationInput, result: EvaluationResult)] =
                []
        for (name, program) in programs {
            var generator = CaseGenerator(seed: 0xC1A1_3A9 &+ UInt64(name.utf8.count))
            let interpreter = Interpreter(program: program)
            for _ in 0..<Self.casesPerSpec {
                let input = generator.input(for: program)
                lines.append(name + "\t" + CaseGenerator.line(input))
                expectations.append((name, program, input, interpreter.evaluate(input)))
            }
        }
        let (stdout, stderr, exitCode) = try Self.run(binary, [], stdin: lines.joined(separator: "\n") + "\n")
        #expect(exitCode == 0, "\(stderr)")
        let outputs = stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(outputs.count == expectations.count)
        var mismatches = 0
        for (index, line) in outputs.enumerated() where index < expectations.count {
            let want = expectations[index].result.jsonText()
            if line != want {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record(
                        "case \(index) of \(expectations[index].name) differs:\ninput: \(CaseGenerator.line(expectations[index].input))\ninterpreter: \(want)\ngenerated:   \(line)"
                    )
                }
            }
        }
        #expect(mismatches == 0)

        // The generated conversations exercise every rule, every guard both ways, and every default.
        for (name, program) in programs {
            let expected = expectations.filter { $0.name == name }.map(\.result)
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
                #expect(
                    sources.contains("default") && sources.count > 1, "\(name): \(variable.name) sources \(sources)")
            }
        }
    }

    @Test(
        "replay's line written from the slots is byte for byte the line written from the named result, on every spec's generated conversations, routed or not"
    )
    func slotLine() throws {
        var unrouted = 0
        var handedOver = 0
        for name in Self.specNames {
            let isExample = EmitterFixtures.examples.contains(name)
            let spec = isExample ? try EmitterFixtures.example(name) : try EmitterFixtures.spec(name)
            var program = ProgramLowering.program(spec)
            var generator = CaseGenerator(seed: 0x5107 &+ UInt64(name.utf8.count))
            // The program as compiled, and without its last (unconditional) rule: an `evaluator.json` may leave a
            // conversation unrouted, and the line then says `"route":null`.
            for withoutLastRule in [false, true] {
                if withoutLastRule { program.routing.removeLast() }
                let interpreter = Interpreter(program: program)
                for index in 0..<Self.casesPerSpec {
                    var input = generator.input(for: program)
                    // Half as replay hands them over: the declared claims found and checked beforehand, and no
                    // payload tree.
                    if index % 2 == 1, let claims = input.claims {
                        input.checkedClaims = program.claims.map { ClaimContract.member(at: $0.path, in: claims) }
                        input.claims = nil
                        handedOver += 1
                    }
                    let evaluation = interpreter.evaluation(input)
                    let result = evaluation.result
                    var fromSlots = ByteWriter(capacity: 64)
                    evaluation.writeJSONMembers(to: &fromSlots)
                    var fromResult = ByteWriter(capacity: 64)
                    result.writeJSONMembers(to: &fromResult)
                    let same = fromSlots.bytes == fromResult.bytes
                    #expect(
                        same,
                        "\(name): \(CaseGenerator.line(input))\nslots:  \(String(decoding: fromSlots.bytes, as: UTF8.self))\nresult: \(String(decoding: fromResult.bytes, as: UTF8.self))"
                    )
                    if !same { return }
                    if result.route == nil { unrouted += 1 }
                    // Every source a variable reports has its join: the plan's list of each slot's writers is whole
                    // (a missing one would still write the same bytes, one piece at a time, and go unseen above).
                    for (slot, value) in evaluation.slots.enumerated() {
                        #expect(
                            evaluation.plan.lineText.join(slot, value.source) != nil,
                            "\(name): \(evaluation.plan.names[slot]) reports \(evaluation.plan.labels[value.source])")
                    }
                }
            }
        }
        #expect(handedOver > Self.specNames.count * Self.casesPerSpec / 2, "checked claims handed over: \(handedOver)")
        #expect(unrouted > 100, "conversations that no rule routes: \(unrouted)")
    }

    /// What ships is what was compiled: the runtime file is the module's sources, byte for byte, in name order.
    @Test("ClaimMapRuntime.swift is the ClaimMapRuntime module's source files, verbatim")
    func runtimeIsTheModule() throws {
        let folder = Corpora.repository.appendingPathComponent("Sources/ClaimMapRuntime")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
            .sorted()
        #expect(!names.isEmpty)
        var position = SwiftEvaluatorEmitter.runtime.startIndex
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let marked = "\n// MARK: - \(name)\n\n" + text
            let found = try #require(
                SwiftEvaluatorEmitter.runtime.range(
                    of: marked, range: position..<SwiftEvaluatorEmitter.runtime.endIndex),
                "\(name) is not in the runtime file, or out of order")
            position = found.upperBound
        }
        #expect(position == SwiftEvaluatorEmitter.runtime.endIndex, "the runtime file holds more than the module")
    }
}
