import ClaimMapEvaluator
import ClaimMapRuntime
import Foundation

// Evaluate only: claims already found and checked → variables, participant data, route, guards. Prints three rows of
// ns per conversation (medians of 7 runs, see below) for each Generated/<spec>/evaluator.json on the command line.
for path in CommandLine.arguments.dropFirst() {
    let data = FileManager.default.contents(atPath: path) ?? Data()
    guard let json = try? StrictJSONReader(maxDepth: 64).parse([UInt8](data)), let program = try? EvaluatorProgram(json: json) else {
        print("cannot read \(path)")
        continue
    }
    let interpreter = Interpreter(program: program)
    var payload: [(String, JSONValue)] = []
    // Claims as replay hands them to the evaluator: verified and within their contracts. Each claim gets the first
    // candidate its contract accepts (enum values first), so the evaluator's checks pass as they do in replay.
    func candidates(_ type: ClaimTypeSpec) -> [JSONValue] {
        switch type.kind {
        case .string:
            return (type.enumValues ?? []).reversed().map(JSONValue.string)
                + ["0123456789", "FR", "user-1", "user1@retail.example", "2026-11-25T12:00:00Z", "x"].map(JSONValue.string)
        case .integer: return ((type.enumValues ?? []).reversed() + ["42", "1", "0", "1764072000"]).map(JSONValue.number)
        case .number: return ["12345.5", "42", "0.5", "0"].map(JSONValue.number)
        case .boolean: return [.bool(true)]
        case .array:
            let items = type.items.first.map(candidates) ?? [.string("0123456789")]
            return items.map { .array([$0, $0]) } + [.array([])]
        default: return [.object([])]
        }
    }
    for claim in program.claims {
        let value = candidates(claim.type).first { ClaimContract.violation($0, claim.type) == nil } ?? .null
        var object = JSONValue.object(payload)
        var path = claim.path
        let last = path.removeLast()
        if path.isEmpty {
            payload.append((last, value))
        } else {
            object = .object(payload + [(path[0], .object([(last, value)]))])
            if case .object(let members) = object { payload = members }
        }
    }
    var input = EvaluationInput(claims: .object(payload), attributes: Dictionary(uniqueKeysWithValues: program.attributes.map { ($0.name, $0.enumValues?.first ?? "x") }))
    // As replay hands them over: each declared claim looked up once and checked against its contract (above).
    input.checkedClaims = program.claims.map { ClaimContract.member(at: $0.path, in: .object(payload)) }
    // Three measures, each the median of 7 runs of 200,000 conversations:
    // - `evaluate`: claims → every variable's value and source, the guards' decisions and the route, as slots
    //   (`Interpreter.evaluation`, as replay evaluates a token; the target ≤ 0.1 × one verify is for this). The
    //   conversation is a little heavier than replay's: the page sets every attribute (replay without --attribute
    //   sets none), so each attribute's checks run too;
    // - `+line`: `evaluate`, and replay's JSON members written from the slots into a reused buffer;
    // - `+named`: `evaluate`, and the `EvaluationResult` the library API returns (names, participant data strings),
    //   without the line.
    func median(_ body: () -> Int) -> Double {
        var runs: [Double] = []
        let iterations = 200_000
        var sink = 0
        for _ in 0..<7 {
            let start = ContinuousClock.now
            for _ in 0..<iterations { sink &+= body() }
            let elapsed = ContinuousClock.now - start
            runs.append(Double(elapsed.components.attoseconds) / 1e9 / Double(iterations) + Double(elapsed.components.seconds) * 1e9 / Double(iterations))
        }
        runs.sort()
        if sink == 42 { print("") }  // keeps the work observable
        return runs[3]
    }
    let slots = median { interpreter.evaluation(input).warnings.count + 1 }
    var line = ByteWriter(capacity: 4096)
    let written = median {
        line.removeAll()
        interpreter.evaluation(input).writeJSONMembers(to: &line)
        return line.count
    }
    let named = median { interpreter.evaluate(input).variables.count }
    print("\(program.spec) \(String(format: "%.0f", slots)) ns/token")
    print("\(program.spec)+line \(String(format: "%.0f", written)) ns/token")
    print("\(program.spec)+named \(String(format: "%.0f", named)) ns/token")
}
