import ClaimMapDiagnostics
import ClaimMapEvaluator
import ClaimMapJOSE
import ClaimMapRuntime
import ClaimMapSyntax

/// A tests file is checked against its spec before any case runs: a name the spec does not have or a value no
/// outcome can take (`rejected: expird`) is an error in the file (exit 2, as for unreadable input), with the place
/// and a did-you-mean, not a case that fails for a reason nobody meant. CM3001 an unknown value, CM3002 an unknown
/// name (docs/diagnostics.md).
enum TestsFileValidation {
    /// The outcomes `expect.guards` may name.
    static let guardOutcomes = ["allowed", "denied", "not_authenticated", "input_not_set", "condition_false"]

    static func diagnostics(_ document: TestsDocument, program: EvaluatorProgram) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func unknownValue(_ what: String, _ value: String, at range: SourceRange, choices: [String]) {
            let suggestion = Suggestion.help(for: value, in: choices)
            let listed = choices.count <= 12 ? "one of: " + choices.map { "`\($0)`" }.joined(separator: ", ") : nil
            out.append(
                Diagnostic(
                    code: .noSuchValue, message: "`\(TerminalText.escaped(value))` is not \(what)", range: range,
                    help: suggestion ?? listed))
        }
        func unknownName(_ what: String, _ name: YAMLScalar, choices: [String]) {
            let suggestion = Suggestion.help(for: name.text, in: choices)
            let listed =
                choices.isEmpty
                ? "the spec declares none" : "the spec has: " + choices.map { "`\($0)`" }.joined(separator: ", ")
            out.append(
                Diagnostic(
                    code: .noSuchName, message: "the spec has no \(what) `\(TerminalText.escaped(name.text))`",
                    range: name.range,
                    help: suggestion ?? listed))
        }
        let reasons = Rejection.Reason.allCases.map(\.rawValue)
        let rules = program.routing.map(\.name)
        let actions = program.enrichments.map(\.name) + program.guards.map(\.name)
        for testCase in document.cases {
            for (name, _) in testCase.enrichment where !actions.containsByteEqual(name.text) {
                unknownName("enrichment or guarded action", name, choices: actions)
            }
            for (name, _) in testCase.attributes
            where !program.attributes.contains(where: { $0.name.isByteEqual(to: name.text) }) {
                unknownName("attribute", name, choices: program.attributes.map(\.name))
            }
            let expect = testCase.expect
            if let rejected = expect.rejected, !reasons.containsByteEqual(rejected.value) {
                unknownValue("a rejection reason", rejected.value, at: rejected.range, choices: reasons)
            }
            if let route = expect.route, !rules.containsByteEqual(route.value) {
                unknownValue("a routing rule of the spec", route.value, at: route.range, choices: rules)
            }
            for (name, node) in expect.variables {
                guard let variable = program.variables.first(where: { $0.name.isByteEqual(to: name.text) }) else {
                    unknownName("variable", name, choices: program.variables.map(\.name))
                    continue
                }
                if TestValues.expected(node, type: variable.type) == nil {
                    let text: String
                    if case .scalar(let scalar) = node { text = scalar.text } else { text = "this value" }
                    out.append(
                        Diagnostic(
                            code: .noSuchValue,
                            message:
                                "`\(TerminalText.escaped(text))` is not a value of \(variable.name) (\(variable.type))",
                            range: node.range,
                            help:
                                "write \(variable.type == .integer ? "an" : "a") \(variable.type) value, or NOT_SET (plain) for a variable that must stay unset"
                        ))
                }
            }
            for (name, value) in expect.guards {
                guard program.guards.contains(where: { $0.name.isByteEqual(to: name.text) }) else {
                    unknownName("guarded action", name, choices: program.guards.map(\.name))
                    continue
                }
                if !guardOutcomes.containsByteEqual(value.text) {
                    unknownValue("a guard outcome", value.text, at: value.range, choices: guardOutcomes)
                }
            }
            for (key, _) in expect.participantData
            where !program.participantData.contains(where: { $0.key.isByteEqual(to: key.text) }) {
                unknownName("participant data key", key, choices: program.participantData.map(\.key))
            }
        }
        return out.sorted {
            ($0.range?.start ?? .init(line: 0, column: 0)) < ($1.range?.start ?? .init(line: 0, column: 0))
        }
    }
}
