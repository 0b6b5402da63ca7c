import ClaimMapDiagnostics
import ClaimMapSyntax

extension TypeChecker {
    /// Defaults never open a guard (docs/decisions.md): a default applies when an enrichment fails and for guests. If
    /// substituting defaults into a guard condition or a sensitive rule's condition can make it true, with every other
    /// value unknown, that is an error unless the variable says `failOpen: true`. Scenarios tried: each default alone,
    /// and all defaults of one enrichment together (the data action failed).
    mutating func checkFailOpen(routing: [CheckedRule], guards: [CheckedGuard]) {
        var computed: [String: TypedExpression] = [:]
        for variable in variables.values {
            if case .expression(let expression) = variable.source { computed[variable.name] = expression }
        }
        var conditions: [(what: String, expression: TypedExpression, authenticated: Bool)] = []
        for guardAction in guards {
            if let when = guardAction.when { conditions.append(("the condition of `\(guardAction.name)`", when, true)) }
        }
        for rule in routing where rule.sensitive {
            if let when = rule.when {
                conditions.append(("the condition of sensitive rule `\(rule.name)`", when, false))
            }
        }
        for condition in conditions {
            let reads = transitiveReads(condition.expression, computed: computed)
            let withDefaults = reads.compactMap { variables[$0] }.filter { $0.defaultValue != nil && !$0.failOpen }
            var scenarios: [(bindings: [String], label: String)] = withDefaults.map { variable in
                let label: String
                switch variable.source {
                case .enrichment(_, let enrichment): label = "when `\(enrichment)` fails or times out"
                case .attribute(let attribute): label = "when the page does not set `\(attribute)`"
                case .builtin(let claim, _): label = "when the token has no `\(claim)`"
                case .actionOutput(let guardName, _): label = "when `\(guardName)` fails"
                case .expression: label = "when its expression cannot be converted"
                }
                return ([variable.name], label)
            }
            var byEnrichment: [String: [String]] = [:]
            for variable in withDefaults {
                if case .enrichment(_, let enrichment) = variable.source {
                    byEnrichment[enrichment, default: []].append(variable.name)
                }
            }
            for (enrichment, names) in byEnrichment.sorted(by: { $0.key < $1.key }) where names.count > 1 {
                scenarios.append((names, "when `\(enrichment)` fails"))
            }
            for scenario in scenarios {
                var bindings: [String: PartialEvaluator.Value] = [:]
                for name in scenario.bindings {
                    if let literal = variables[name]?.defaultValue { bindings[name] = PartialEvaluator.Value(literal) }
                }
                let evaluator = PartialEvaluator(
                    bindings: bindings, authenticated: condition.authenticated ? .boolean(true) : .unknown,
                    computed: computed)
                guard evaluator.evaluate(condition.expression) == .boolean(true) else { continue }
                guard let first = scenario.bindings.first, let variable = variables[first],
                    let decl = variableDecls[first], let defaultRange = decl.defaultValue?.range
                else { continue }
                diagnostics.append(
                    SemanticDiagnostics.failOpen(
                        condition.what, variable: variable.name, defaultText: decl.defaultValue?.value ?? "",
                        scenario: scenario.label, at: condition.expression.range, defaultRange: defaultRange))
                break
            }
        }
    }

    private func transitiveReads(_ expression: TypedExpression, computed: [String: TypedExpression]) -> [String] {
        var seen = Set<String>()
        var order: [String] = []
        var work = expression.variables
        while let name = work.first {
            work.removeFirst()
            guard seen.insert(name).inserted else { continue }
            order.append(name)
            if let inner = computed[name] { work.append(contentsOf: inner.variables) }
        }
        return order
    }
}
