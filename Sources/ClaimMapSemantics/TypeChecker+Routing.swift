import ClaimMapDiagnostics
import ClaimMapSyntax

extension TypeChecker {
    /// Routing rules in order: first match wins, the last rule is unconditional, nothing follows an
    /// unconditional rule. Each rule's condition is checked with the facts earlier rules leave behind: after
    /// `when: not Message.IsAuthenticated`, every later rule sees an authenticated conversation.
    mutating func checkRouting() -> [CheckedRule] {
        var rules: [CheckedRule] = []
        var facts = Facts(authenticated: guestMode == .block)
        var unconditional: RuleDecl?
        var seen: [String: SourceRange] = [:]
        for decl in document.routing {
            let name = decl.name.value
            if let first = seen[name] {
                diagnostics.append(SemanticDiagnostics.duplicateRule(name, at: decl.name.range, first: first))
            } else {
                seen[name] = decl.name.range
            }
            if let previous = unconditional {
                diagnostics.append(
                    SemanticDiagnostics.unreachableRule(
                        name, at: decl.name.range, after: previous.name.value, afterRange: previous.name.range))
                continue
            }
            var typed: TypedExpression?
            var isGuestRule = false
            if let when = decl.when {
                isGuestRule = Self.isGuestCondition(when.expression)
                if isGuestRule && guestMode == .block {
                    diagnostics.append(
                        SemanticDiagnostics.guestRuleBlocked(
                            name, at: when.expression.range, guestsRange: document.identity?.guests?.range))
                    continue
                }
                let site = ExpressionSite(description: "the condition of rule `\(name)`", resultMayBeNotSet: false)
                guard let checked = checkExpression(when.expression, facts: facts, site: site) else { continue }
                guard checked.typed.type == .boolean else {
                    diagnostics.append(
                        SemanticDiagnostics.typeMismatch(
                            "the condition of rule `\(name)`", have: checked.typed.type, want: "Boolean",
                            at: when.expression.range))
                    continue
                }
                if decl.sensitive?.value == true {
                    requireTrusted(checked.typed, what: "the condition of sensitive rule `\(name)`")
                }
                typed = checked.typed
                facts = facts.union(Facts.when(checked.typed, is: false))
            } else {
                unconditional = decl
            }
            guard let queue = decl.queue else { continue }
            rules.append(
                CheckedRule(
                    name: name, when: typed, queue: queue.value, priority: decl.priority?.value,
                    skills: decl.skills.map(\.value), sensitive: decl.sensitive?.value ?? false,
                    isGuestRule: isGuestRule))
        }
        if let last = document.routing.last, last.when != nil, unconditional == nil {
            diagnostics.append(SemanticDiagnostics.missingDefaultRule(at: last.name.range))
        } else if document.routing.isEmpty, let range = document.routingRange {
            diagnostics.append(SemanticDiagnostics.missingDefaultRule(at: range))
        }
        return rules
    }

    // MARK: Guards

    mutating func checkGuard(_ decl: GuardDecl) -> CheckedGuard? {
        let guardName = decl.name.value
        var ok = true
        let method = decl.method?.value ?? .GET
        let placeholders = decl.url.map { Self.placeholders(in: $0.value) } ?? []
        let inputNames = decl.inputs.map(\.name.value)
        var facts = Facts(authenticated: true)
        var inputs: [CheckedGuardInput] = []
        var seenInputs = Set<String>()
        for input in decl.inputs {
            guard seenInputs.insert(input.name.value).inserted else { continue }
            guard let variable = lookupVariable(input.from) else {
                ok = false
                continue
            }
            facts.set.insert(variable.name)
            if !variable.trusted {
                diagnostics.append(
                    SemanticDiagnostics.untrusted(
                        "input `\(input.name.value)` of `\(guardName)`", variable: variable.name,
                        origin: untrustedOrigin(variable), at: input.from.range, notes: []))
                ok = false
            }
            var type = variable.type
            if let element = variable.type.element {
                if input.pickFirst == nil {
                    diagnostics.append(
                        SemanticDiagnostics.badGuardInputType(
                            input.name.value, type: variable.type, at: input.from.range,
                            help:
                                "a data action input is one value: write `\(input.name.value): { from: \(variable.name), pick: first }`"
                        ))
                    ok = false
                }
                type = element
            } else if let pick = input.pickFirst {
                diagnostics.append(
                    SemanticDiagnostics.badGuardInputType(
                        input.name.value, type: variable.type, at: pick.range,
                        help: "`pick` applies to collections; `\(variable.name)` is a single \(variable.type)"))
                ok = false
            }
            if type == .json || type == .duration {
                diagnostics.append(
                    SemanticDiagnostics.badGuardInputType(
                        input.name.value, type: type, at: input.from.range,
                        help: "inputs are String, Integer, Decimal, Boolean or DateTime values"))
                ok = false
            }
            let inURL = placeholders.contains(input.name.value)
            if !inURL && method == .GET {
                diagnostics.append(
                    SemanticDiagnostics.inputUnused(input.name.value, guardName: guardName, at: input.name.range))
                ok = false
            }
            inputs.append(
                CheckedGuardInput(
                    name: input.name.value, variable: variable.name, type: type, pickFirst: input.pickFirst != nil,
                    inURL: inURL))
        }
        if let url = decl.url {
            for placeholder in Set(placeholders).sorted() where !inputNames.contains(placeholder) {
                diagnostics.append(
                    SemanticDiagnostics.placeholderNotInput(
                        placeholder, guardName: guardName, at: url.range, inputs: inputNames))
                ok = false
            }
        }
        var when: TypedExpression?
        if let source = decl.when {
            let site = ExpressionSite(description: "the condition of `\(guardName)`", resultMayBeNotSet: false)
            if let checked = checkExpression(source.expression, facts: facts, site: site) {
                if checked.typed.type != .boolean {
                    diagnostics.append(
                        SemanticDiagnostics.typeMismatch(
                            "the condition of `\(guardName)`", have: checked.typed.type, want: "Boolean",
                            at: source.expression.range))
                    ok = false
                } else {
                    requireTrusted(checked.typed, what: "the condition of `\(guardName)`")
                    when = checked.typed
                }
            } else {
                ok = false
            }
        } else {
            diagnostics.append(SemanticDiagnostics.guardWithoutCondition(guardName, at: decl.name.range))
        }
        var call = CallPoint.start
        if let point = decl.call {
            call = point.value
            if case .before(let rule) = point.value, !document.routing.contains(where: { $0.name.value == rule }) {
                diagnostics.append(
                    SemanticDiagnostics.unknownRule(
                        rule, at: point.range, candidates: document.routing.map(\.name.value)))
                ok = false
            }
        }
        var outputs: [CheckedGuardOutput] = []
        for output in decl.outputs {
            guard let typeName = output.type, let field = output.field else {
                ok = false
                continue
            }
            guard let type = ArchitectType(declared: typeName.value) else {
                diagnostics.append(SemanticDiagnostics.unknownType(typeName.value, at: typeName.range))
                ok = false
                continue
            }
            guard variableDecls[output.variable.value] != nil else {
                diagnostics.append(
                    SemanticDiagnostics.unknown(
                        .variable, output.variable.value, at: output.variable.range, candidates: variableNames))
                ok = false
                continue
            }
            guard let variable = variables[output.variable.value] else {
                ok = false
                continue
            }
            if case .actionOutput(let owner, _) = variable.source, owner == guardName {
                if type != variable.type {
                    diagnostics.append(
                        SemanticDiagnostics.outputTypeMismatch(
                            variable.name, have: type, want: variable.type, at: typeName.range))
                    ok = false
                }
                outputs.append(CheckedGuardOutput(variable: variable.name, field: field.value, type: type))
            }
        }
        if decl.secure?.value == true, let range = decl.secure?.range {
            diagnostics.append(SemanticDiagnostics.secureUnconfirmed(guardName, at: range))
        }
        lintEmailIdentity(decl, inputs: inputs, when: when)
        guard ok, let category = decl.category, let url = decl.url else { return nil }
        return CheckedGuard(
            name: guardName, category: category.value, method: method, url: url.value, when: when, call: call,
            inputs: inputs, outputs: outputs, secure: decl.secure?.value ?? false)
    }

    /// CM2505: a guard keyed on the email claim without an `email_verified` test.
    private mutating func lintEmailIdentity(_ decl: GuardDecl, inputs: [CheckedGuardInput], when: TypedExpression?) {
        func claim(of name: String) -> String? {
            switch variables[name]?.source {
            case .builtin(let claim, _)?, .enrichment(let claim, _)?: return checkedClaims[claim]?.memberPath.last
            default: return nil
            }
        }
        let read = inputs.map(\.variable) + (when?.variables ?? [])
        guard let emailVariable = read.first(where: { claim(of: $0) == "email" }) else { return }
        if (when?.variables ?? []).contains(where: { claim(of: $0) == "email_verified" }) { return }
        let range = decl.inputs.first { $0.from.value == emailVariable }?.from.range ?? decl.name.range
        diagnostics.append(SemanticDiagnostics.emailIdentity(decl.name.value, variable: emailVariable, at: range))
    }
}
