import ClaimMapEvaluator
import ClaimMapRuntime
import Foundation

/// SplitMix64: a small, seeded, reproducible generator.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Generates conversations for a program: guests, present/absent/invalid claims, enrichment responses and
/// failures, valid and tampered attributes, data action responses. Deterministic for a seed.
struct CaseGenerator {
    var rng: SplitMix64

    init(seed: UInt64) {
        rng = SplitMix64(state: seed)
    }

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &rng) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }

    static let strings = [
        "u-1", "0123456789", "1234567890", "card_abcd1234", "Alice Example", "a@b.example", "x@features.example", "",
        "ops@blocked.example",
        "é✓ünïcode 👋", "north", "AB1234", "beta", "web", "app", String(repeating: "x", count: 300),
    ]

    mutating func value(for type: ClaimTypeSpec) -> JSONValue {
        switch type.kind {
        case .string:
            if let values = type.enumValues, !chance(15) { return .string(pick(values)) }
            if let pattern = type.pattern, !chance(25), let regex = try? NSRegularExpression(pattern: pattern) {
                let matching = Self.strings.filter {
                    regex.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil
                }
                if !matching.isEmpty { return .string(pick(matching)) }
            }
            if type.format == .dateTime {
                return .string(pick(["2026-11-25T12:00:00Z", "2026-01-02T03:04:05.678+01:00", "nope"]))
            }
            return .string(pick(Self.strings))
        case .integer:
            if let values = type.enumValues, !chance(15) { return .number(pick(values)) }
            if type.format == .numericDate { return .number(pick(["1764072000", "0", "1764072000.9"])) }
            return .number(
                pick(["0", "1", "2", "3", "5", "9", "10", "49", "50", "100", "-1", "9007199254740993", "2.5"]))
        case .number:
            return .number(pick(["0", "0.5", "10", "10000", "12345.678", "-3", "1e3", "99999999999999999999.5"]))
        case .boolean:
            return chance(90) ? .bool(chance(50)) : .string("true")
        case .array:
            let item = type.items.first ?? ClaimTypeSpec(kind: .string)
            let count = chance(10) ? 25 : Int.random(in: 0...3, using: &rng)
            var items: [JSONValue] = []
            for _ in 0..<count { items.append(value(for: item)) }
            if item.kind == .string && items.isEmpty && chance(50) { items.append(value(for: item)) }
            return .array(items)
        case .object:
            return chance(80)
                ? .object([("plan", .string(pick(["basic", "pro"])))]) : .object([("plan", .number("3"))])
        }
    }

    static func inserting(_ value: JSONValue, at path: [String], into object: JSONValue) -> JSONValue {
        guard let first = path.first else { return value }
        var members: [(String, JSONValue)] = []
        if case .object(let existing) = object { members = existing }
        let rest = Array(path.dropFirst())
        if let index = members.firstIndex(where: { $0.0 == first }) {
            members[index].1 = inserting(value, at: rest, into: members[index].1)
        } else {
            members.append((first, inserting(value, at: rest, into: .object([]))))
        }
        return .object(members)
    }

    mutating func actionValue(_ type: ValueType) -> JSONValue {
        switch type {
        case .string: .string(pick(["ok", "ref-1", "é"]))
        case .integer: .number(pick(["0", "7", "120"]))
        case .decimal: .number(pick(["0", "12.5", "1000000.01"]))
        case .boolean: .bool(chance(50))
        default: .null
        }
    }

    mutating func input(for program: EvaluatorProgram) -> EvaluationInput {
        var input = EvaluationInput(claims: nil)
        if !chance(12) {
            var payload = JSONValue.object([])
            for claim in program.claims {
                if claim.builtin == "sub" {
                    payload = Self.inserting(.string(pick(["u-1", "u-2", "user-3"])), at: claim.path, into: payload)
                } else if chance(70) {
                    payload = Self.inserting(value(for: claim.type), at: claim.path, into: payload)
                }
            }
            input.claims = payload
            for enrichment in program.enrichments {
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: input.enrichments[enrichment.name] = .fail
                case 1:
                    var members: [(String, JSONValue)] = []
                    for name in enrichment.returns where chance(80) {
                        if let claim = program.claims.first(where: { $0.name == name }) {
                            members.append((name, value(for: claim.type)))
                        }
                    }
                    input.enrichments[enrichment.name] = .response(.object(members))
                default: break
                }
            }
        }
        for attribute in program.attributes where chance(60) {
            input.attributes[attribute.name] =
                chance(75) ? pick(attribute.enumValues ?? ["AB1234", "web"]) : pick(["../../etc", "ZZ", "web2", ""])
        }
        for guardSpec in program.guards where chance(70) {
            if chance(20) {
                input.actions[guardSpec.name] = .fail
            } else {
                input.actions[guardSpec.name] = .response(
                    .object(guardSpec.outputs.map { ($0.field, actionValue($0.type)) }))
            }
        }
        return input
    }

    /// The case as one JSON line for the generated evaluator's harness.
    static func line(_ input: EvaluationInput) -> String {
        func results(_ map: [String: EvaluationInput.DataActionResult]) -> JSONValue {
            .object(
                map.sorted { $0.key < $1.key }.map { name, result in
                    switch result {
                    case .fail: (name, .string("fail"))
                    case .response(let object): (name, object)
                    }
                })
        }
        return JSONValue.object([
            ("claims", input.claims ?? .null),
            ("attributes", .object(input.attributes.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("enrichments", results(input.enrichments)),
            ("actions", results(input.actions)),
        ]).compact()
    }
}
