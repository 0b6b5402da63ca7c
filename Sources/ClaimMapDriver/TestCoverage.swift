import ClaimMapRuntime
import Foundation

/// `claimmap test --coverage`: what a spec's test cases exercised (docs/language.md, 9.4 Coverage).
///
/// The items of a spec come from its program alone, so a spec read from `evaluator.json` is covered the same way:
/// - each routing rule: `matched`;
/// - each guarded action: `allowed`, and `refused` (any reason; the reasons seen are reported);
/// - each variable with a source (built-in, enrichment, attribute, guarded-action output): `from <source>`, and its
///   fallback — `default (...)` or `NOT_SET (...)` — for each way the flow leaves it there: an absent built-in claim;
///   a failed enrichment, and an enrichment that returned no valid value; an absent and a refused attribute; an
///   action that did not set it. Computed variables have no items: their paths are the conditions of what they read.
///   Variable items count authenticated conversations only: in a guest's every token-fed variable is at its
///   fallback, which the guest rule and the guards' `not_authenticated` cover;
/// - each participant-data key: `set`.
///
/// An item no input can reach is left out of the percentage and listed as unreachable with the reason.
struct TestCoverage {
    enum Kind: String, CaseIterable {
        case rule
        case guardOutcome = "guard"
        case variable
        case participantData

        var heading: String {
            switch self {
            case .rule: "routing rules"
            case .guardOutcome: "guard outcomes"
            case .variable: "variable sources"
            case .participantData: "participant data"
            }
        }
    }

    struct Item: Hashable {
        var kind: Kind
        /// The rule, guarded action, variable or participant-data key, as the spec spells it.
        var name: String
        /// `matched`, `allowed`, `refused`, `from claim sub`, `default (enrichment failed)`, `set`, ...
        var outcome: String

        var label: String { "\(name): \(outcome)" }

        /// The item's bytes: names are matched byte for byte, never by canonical equivalence.
        var key: [UInt8] { Array("\(kind.rawValue)\u{0}\(name)\u{0}\(outcome)".utf8) }
    }

    struct Entry {
        var item: Item
        /// Why no input can reach it; nil when reachable.
        var unreachable: String?
        /// The names of the cases that reached it, in order.
        var cases: [String] = []
        /// For a refused guard: each refusal reason seen, in order of first sighting.
        var reasons: [String] = []
    }

    /// The spec as the tests files name it, and the tests files that fed it.
    let spec: String
    private(set) var testsFiles: [String]
    var caseCount = 0
    private(set) var entries: [Entry]
    private var index: [[UInt8]: Int]
    private let program: EvaluatorProgram

    init(spec: String, testsFile: String, program: EvaluatorProgram) {
        self.spec = spec
        self.testsFiles = [testsFile]
        self.program = program
        entries = Self.items(program)
        index = Dictionary(entries.enumerated().map { ($1.item.key, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every item of the program, in spec order within each kind.
    static func items(_ program: EvaluatorProgram) -> [Entry] {
        var entries: [Entry] = program.routing.map { Entry(item: Item(kind: .rule, name: $0.name, outcome: "matched")) }
        for guardSpec in program.guards {
            entries.append(Entry(item: Item(kind: .guardOutcome, name: guardSpec.name, outcome: "allowed")))
            entries.append(Entry(item: Item(kind: .guardOutcome, name: guardSpec.name, outcome: "refused")))
        }
        for variable in program.variables {
            guard let source = sourceOutcome(variable.source) else { continue }
            entries.append(Entry(item: Item(kind: .variable, name: variable.name, outcome: source)))
            for (reason, unreachable) in fallbackReasons(variable, program: program) {
                entries.append(
                    Entry(
                        item: Item(kind: .variable, name: variable.name, outcome: fallback(variable, reason)),
                        unreachable: unreachable))
            }
        }
        entries += program.participantData.map {
            Entry(item: Item(kind: .participantData, name: $0.key, outcome: "set"))
        }
        return entries
    }

    /// `from claim sub`, `from enrichment Bank Customer Lookup`, ...; nil for a computed variable.
    static func sourceOutcome(_ source: VariableSourceSpec) -> String? {
        switch source {
        case .builtin(let claim): "from claim \(claim)"
        case .enrichment(_, let enrichment): "from enrichment \(enrichment)"
        case .attribute(let attribute): "from attribute \(attribute)"
        case .action(let guardName, _): "from action \(guardName)"
        case .expression: nil
        }
    }

    static func fallback(_ variable: VariableSpec, _ reason: String) -> String {
        "\(variable.defaultValue == nil ? "NOT_SET" : "default") (\(reason))"
    }

    static let claimAbsent = "claim absent or empty"
    static let enrichmentFailed = "enrichment failed"
    static let enrichmentNoValue = "claim absent or invalid in the response"
    static let attributeAbsent = "attribute absent"
    static let attributeRefused = "attribute refused"
    static let actionDidNotSet = "the action did not set it"

    /// The ways the flow leaves `variable` at its fallback, each with why no input reaches it (nil: reachable).
    static func fallbackReasons(_ variable: VariableSpec, program: EvaluatorProgram) -> [(String, String?)] {
        switch variable.source {
        case .builtin(let claimName):
            let required = program.claims.first { $0.name.isByteEqual(to: claimName) }?.required ?? false
            return [
                (
                    claimAbsent,
                    required
                        ? "claim `\(claimName)` is required: a token without it, or with it empty, is rejected" : nil
                )
            ]
        case .enrichment:
            return [(enrichmentFailed, nil), (enrichmentNoValue, nil)]
        case .attribute(let name):
            let attribute = program.attributes.first { $0.name.isByteEqual(to: name) }
            let refusable = attribute.map { $0.enumValues != nil || $0.maxLength != nil || $0.pattern != nil } ?? false
            return [
                (attributeAbsent, nil),
                (
                    attributeRefused,
                    refusable ? nil : "attribute `\(name)` has no enum, maxLength or pattern, so no value is refused"
                ),
            ]
        case .action:
            return [(actionDidNotSet, nil)]
        case .expression:
            return []
        }
    }

    /// Records what one conversation reached (`input` says which data actions failed). A rejected token reaches
    /// nothing.
    mutating func record(caseName: String, guest: Bool, input: EvaluationInput, result: EvaluationResult?) {
        caseCount += 1
        guard let result else { return }
        func hit(_ kind: Kind, _ name: String, _ outcome: String, reason: String? = nil) {
            guard let position = index[Item(kind: kind, name: name, outcome: outcome).key] else { return }
            if !entries[position].cases.contains(caseName) { entries[position].cases.append(caseName) }
            if let reason, !entries[position].reasons.contains(reason) { entries[position].reasons.append(reason) }
        }
        if let route = result.route { hit(.rule, route.rule, "matched") }
        for decision in result.guards {
            hit(.guardOutcome, decision.name, decision.allowed ? "allowed" : "refused", reason: decision.reason)
        }
        for datum in result.participantData where datum.value != nil { hit(.participantData, datum.key, "set") }
        guard !guest else { return }
        for (variable, outcome) in zip(program.variables, result.variables) {
            guard let source = Self.sourceOutcome(variable.source) else { continue }
            if outcome.value != nil, outcome.source.isByteEqual(to: variable.source.label) {
                hit(.variable, variable.name, source)
                continue
            }
            // Another source's value (an action writing a variable fed otherwise) is neither path.
            guard outcome.value == nil || outcome.source.isByteEqual(to: "default") else { continue }
            let reason: String
            switch variable.source {
            case .builtin: reason = Self.claimAbsent
            case .enrichment(_, let enrichment):
                reason =
                    input.enrichments[enrichment] == .fail ? Self.enrichmentFailed : Self.enrichmentNoValue
            case .attribute(let name):
                let refused = result.refusedAttributes.contains {
                    $0.attribute.isByteEqual(to: name) && !$0.value.isEmpty
                }
                reason = refused ? Self.attributeRefused : Self.attributeAbsent
            case .action: reason = Self.actionDidNotSet
            case .expression: continue
            }
            hit(.variable, variable.name, Self.fallback(variable, reason))
        }
    }

    /// Adds what another tests file of the same spec reached.
    mutating func merge(_ other: TestCoverage) {
        caseCount += other.caseCount
        testsFiles += other.testsFiles
        for (position, entry) in other.entries.enumerated() where position < entries.count {
            for name in entry.cases where !entries[position].cases.contains(name) {
                entries[position].cases.append(name)
            }
            for reason in entry.reasons where !entries[position].reasons.contains(reason) {
                entries[position].reasons.append(reason)
            }
        }
    }

    var reachable: [Entry] { entries.filter { $0.unreachable == nil } }
    var covered: Int { reachable.filter { !$0.cases.isEmpty }.count }

    /// Covered ÷ reachable, in per-mille rounded down (so 100.0 % means every reachable item); 1000 with none.
    var perMille: Int {
        let total = reachable.count
        return total == 0 ? 1000 : covered * 1000 / total
    }

    /// `45.9`: the percentage rounded down to one decimal.
    var percent: String { "\(perMille / 10).\(perMille % 10)" }
    var percentText: String { "\(percent) %" }

    /// Whether the exact ratio is at least `minimum` percent.
    func meets(_ minimum: Decimal) -> Bool {
        let total = reachable.count
        return total == 0 || Decimal(covered) * 100 >= minimum * Decimal(total)
    }

    /// A short table, the misses named, then the unreachable items with their reasons.
    func text() -> String {
        let reachable = reachable.count
        var out =
            "coverage of \(TerminalText.escaped(spec)) (\(caseCount) case\(caseCount == 1 ? "" : "s")): "
            + "\(covered)/\(reachable) reachable items, \(percentText)\n"
        for kind in Kind.allCases {
            let ofKind = entries.filter { $0.item.kind == kind }
            guard !ofKind.isEmpty else { continue }
            let counted = ofKind.filter { $0.unreachable == nil }
            let hits = counted.filter { !$0.cases.isEmpty }.count
            let heading = kind.heading.padding(toLength: 18, withPad: " ", startingAt: 0)
            let unreachable = ofKind.count - counted.count
            out += "  \(heading) \(hits)/\(counted.count)"
            out += unreachable > 0 ? " (\(unreachable) unreachable)\n" : "\n"
        }
        let misses = entries.filter { $0.unreachable == nil && $0.cases.isEmpty }
        if !misses.isEmpty {
            out += "  not covered:\n"
            for entry in misses { out += "    \(entry.item.kind.rawValue) \(TerminalText.escaped(entry.item.label))\n" }
        }
        let unreachableEntries = entries.filter { $0.unreachable != nil }
        if !unreachableEntries.isEmpty {
            out += "  unreachable (not counted):\n"
            for entry in unreachableEntries {
                out +=
                    "    \(entry.item.kind.rawValue) \(TerminalText.escaped(entry.item.label)): "
                    + "\(TerminalText.escaped(entry.unreachable ?? ""))\n"
            }
        }
        return out
    }

    /// The spec's report in the JSON form (docs/schemas/test-report.schema.json).
    func json() -> JSONValue {
        func entryJSON(_ entry: Entry) -> JSONValue {
            var members: [(String, JSONValue)] = [
                ("name", .string(entry.item.name)), ("outcome", .string(entry.item.outcome)),
            ]
            if let why = entry.unreachable {
                members.append(("why", .string(why)))
            } else {
                members.append(("cases", .array(entry.cases.map(JSONValue.string))))
                if !entry.reasons.isEmpty { members.append(("reasons", .array(entry.reasons.map(JSONValue.string)))) }
            }
            return .object(members)
        }
        let kinds: [(String, JSONValue)] = Kind.allCases.map { kind in
            let ofKind = entries.filter { $0.item.kind == kind }
            return (
                kind.rawValue,
                .object([
                    ("covered", .array(ofKind.filter { $0.unreachable == nil && !$0.cases.isEmpty }.map(entryJSON))),
                    ("uncovered", .array(ofKind.filter { $0.unreachable == nil && $0.cases.isEmpty }.map(entryJSON))),
                    ("unreachable", .array(ofKind.filter { $0.unreachable != nil }.map(entryJSON))),
                ])
            )
        }
        return .object([
            ("spec", .string(spec)),
            ("tests", .array(testsFiles.map(JSONValue.string))),
            ("cases", .number(String(caseCount))),
            ("covered", .number(String(covered))),
            ("reachable", .number(String(reachable.count))),
            ("unreachable", .number(String(entries.count - reachable.count))),
            ("percent", .number(percent)),
            ("kinds", .object(kinds)),
        ])
    }
}
