import ClaimMapDiagnostics
import ClaimMapRuntime
import ClaimMapSyntax

/// Where an expression appears, for messages and for what it may read.
struct ExpressionSite {
    /// "the condition of rule `vip`", "`Flow.IsVip`".
    var description: String
    /// Whether the whole expression may evaluate to NOT_SET (true only for computed variables).
    var resultMayBeNotSet: Bool
}

struct CheckedExpression {
    var typed: TypedExpression
    var mayBeNotSet: Bool
}

extension TypeChecker {
    // MARK: Computed variables

    /// Checks every `expr` variable in dependency order; returns that order. Cycles are errors.
    mutating func checkComputedVariables() -> [String] {
        let computed = document.variables.filter { $0.expr != nil }
        let computedNames = Set(computed.map(\.name.value))
        var order: [String] = []
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var stack: [String] = []
        func visit(_ name: String, _ checker: inout TypeChecker) {
            if state[name] == 2 { return }
            if state[name] == 1 {
                let start = stack.firstIndex(of: name) ?? 0
                let cycle = Array(stack[start...]) + [name]
                if let decl = checker.variableDecls[name] {
                    checker.diagnostics.append(SemanticDiagnostics.cycle(cycle, at: decl.name.range))
                }
                return
            }
            state[name] = 1
            stack.append(name)
            for (dependency, _) in checker.variableDecls[name]?.expr?.expression.names ?? []
            where computedNames.contains(dependency) {
                visit(dependency, &checker)
            }
            stack.removeLast()
            state[name] = 2
            order.append(name)
        }
        for decl in computed { visit(decl.name.value, &self) }
        var checkedOrder: [String] = []
        for name in order {
            guard let decl = variableDecls[name], let expr = decl.expr else { continue }
            if let variable = checkComputedVariable(decl, expr) {
                variables[name] = variable
                checkedOrder.append(name)
            }
        }
        return checkedOrder
    }

    private mutating func checkComputedVariable(_ decl: VariableDecl, _ expr: ExpressionSource) -> CheckedVariable? {
        let name = decl.name.value
        for (read, range) in expr.expression.names {
            if let target = outputTargets[read] {
                _ = target
                diagnostics.append(SemanticDiagnostics.readsActionOutput(name, output: read, at: range))
                return nil
            }
        }
        // Computed variables are set at the start of the flow, for guests too unless guests are blocked.
        let facts = Facts(authenticated: guestMode == .block)
        let site = ExpressionSite(description: "`\(name)`", resultMayBeNotSet: true)
        guard let result = checkExpression(expr.expression, facts: facts, site: site) else { return nil }
        var type = result.typed.type
        if let written = decl.type {
            guard let declared = ArchitectType(declared: written.value) else {
                diagnostics.append(SemanticDiagnostics.unknownType(written.value, at: written.range))
                return nil
            }
            guard type.isAssignable(to: declared) else {
                diagnostics.append(
                    SemanticDiagnostics.typeMismatch(
                        "the expression of `\(name)`", have: type, want: declared.description, at: expr.expression.range
                    ))
                return nil
            }
            type = declared
        }
        let defaultValue = decl.defaultValue.flatMap { checkDefault($0, type: type, enumValues: nil) }
        if decl.defaultValue != nil && defaultValue == nil { return nil }
        let reads = result.typed.variables.compactMap { variables[$0] }
        return CheckedVariable(
            name: name, type: type, source: .expression(result.typed), defaultValue: defaultValue,
            failOpen: decl.failOpen?.value ?? false, trusted: reads.allSatisfy(\.trusted),
            // Checked in the guest-inclusive context, so guests do not make it NOT_SET: only a failed conversion can.
            tokenDerived: false,
            mayBeNotSetWhenAuthenticated: result.mayBeNotSet, range: decl.name.range)
    }

    // MARK: Expressions

    /// Whether `variable` may be NOT_SET given `facts`, and why.
    func notSetReason(_ variable: CheckedVariable, _ facts: Facts) -> String? {
        if facts.set.contains(variable.name) || variable.defaultValue != nil { return nil }
        if variable.mayBeNotSetWhenAuthenticated {
            switch variable.source {
            case .builtin(let claim, _): return "claim `\(claim)` is optional and it has no default"
            case .enrichment(_, let enrichment):
                return "enrichment `\(enrichment)` can fail or time out, and it has no default"
            case .attribute(let name): return "the page may not set attribute `\(name)`, and it has no default"
            case .actionOutput(let guardName, _): return "it is NOT_SET until `\(guardName)` succeeds"
            case .expression: return "its expression can fail to convert, and it has no default"
            }
        }
        if variable.tokenDerived && !facts.authenticated {
            return "guest conversations have no token, and it has no default"
        }
        return nil
    }

    /// Type-checks `expression` under `facts`. Returns nil (with diagnostics) when it is ill-typed.
    mutating func checkExpression(_ expression: SpecExpression, facts: Facts, site: ExpressionSite)
        -> CheckedExpression?
    {
        check(expression, facts: facts, site: site, allowNotSet: site.resultMayBeNotSet, testingSet: false)
    }

    private mutating func check(
        _ expression: SpecExpression, facts: Facts, site: ExpressionSite, allowNotSet: Bool, testingSet: Bool
    ) -> CheckedExpression? {
        let range = expression.range
        switch expression.kind {
        case .string, .integer, .decimal, .boolean:
            guard let literal = TypedLiteral(expression.kind) else { return nil }
            return CheckedExpression(
                typed: TypedExpression(.literal(literal), type: literal.type, range: range), mayBeNotSet: false)
        case .parenthesized(let inner):
            return check(inner, facts: facts, site: site, allowNotSet: allowNotSet, testingSet: testingSet)
        case .name(let name):
            return checkName(name, range: range, facts: facts, testingSet: testingSet)
        case .unary(let op, let operand):
            guard let checked = check(operand, facts: facts, site: site, allowNotSet: false, testingSet: false) else {
                return nil
            }
            let want: ArchitectType = op == .not ? .boolean : checked.typed.type
            if op == .not && checked.typed.type != .boolean {
                diagnostics.append(
                    SemanticDiagnostics.typeMismatch(
                        "the operand of `not`", have: checked.typed.type, want: "Boolean", at: operand.range))
                return nil
            }
            if op == .negate && !checked.typed.type.isNumeric {
                diagnostics.append(
                    SemanticDiagnostics.typeMismatch(
                        "the operand of `-`", have: checked.typed.type, want: "a number", at: operand.range))
                return nil
            }
            let kind: TypedExpressionKind = op == .not ? .not(checked.typed) : .negate(checked.typed)
            return CheckedExpression(typed: TypedExpression(kind, type: want, range: range), mayBeNotSet: false)
        case .binary(let op, let lhs, let rhs):
            return checkBinary(op, lhs, rhs, range: range, facts: facts, site: site)
        case .call(let function, let functionRange, let arguments):
            return checkCall(
                function, functionRange: functionRange, arguments, range: range, facts: facts, site: site,
                allowNotSet: allowNotSet)
        }
    }

    private mutating func checkName(_ name: String, range: SourceRange, facts: Facts, testingSet: Bool)
        -> CheckedExpression?
    {
        if name == "Message.IsAuthenticated" {
            return CheckedExpression(
                typed: TypedExpression(.isAuthenticated, type: .boolean, range: range), mayBeNotSet: false)
        }
        guard name.hasPrefix("Flow."), variableDecls[name] != nil else {
            let candidates = variableNames + ["Message.IsAuthenticated"]
            if name.hasPrefix("Flow.") {
                diagnostics.append(SemanticDiagnostics.unknown(.variable, name, at: range, candidates: candidates))
            } else {
                diagnostics.append(SemanticDiagnostics.unknownName(name, at: range, candidates: candidates))
            }
            return nil
        }
        // Declared but failed its own check: already reported, do not cascade.
        guard let variable = variables[name] else { return nil }
        // A collection is never NOT_SET in Architect (an absent one is empty), so it may be read unguarded.
        if !testingSet, !variable.type.isCollection, let reason = notSetReason(variable, facts) {
            diagnostics.append(SemanticDiagnostics.maybeNotSet(name, reason: reason, at: range))
            return nil
        }
        return CheckedExpression(
            typed: TypedExpression(.variable(name), type: variable.type, range: range), mayBeNotSet: false)
    }

    private mutating func checkBinary(
        _ op: BinaryOperator, _ lhs: SpecExpression, _ rhs: SpecExpression, range: SourceRange, facts: Facts,
        site: ExpressionSite
    ) -> CheckedExpression? {
        guard let left = check(lhs, facts: facts, site: site, allowNotSet: false, testingSet: false) else { return nil }
        // The right side of `and` runs only when the left is true, of `or` only when it is false.
        let rightFacts = op == .and || op == .or ? facts.union(Facts.when(left.typed, is: op == .and)) : facts
        guard let right = check(rhs, facts: rightFacts, site: site, allowNotSet: false, testingSet: false) else {
            return nil
        }
        let (a, b) = (left.typed.type, right.typed.type)
        let resultType: ArchitectType
        switch op {
        case .and, .or:
            for (side, type, expr) in [(left, a, lhs), (right, b, rhs)] where type != .boolean {
                _ = side
                diagnostics.append(
                    SemanticDiagnostics.typeMismatch(
                        "the operand of `\(op.rawValue)`", have: type, want: "Boolean", at: expr.range))
                return nil
            }
            resultType = .boolean
        case .equal, .notEqual:
            let comparable = (a == b || (a.isNumeric && b.isNumeric)) && !a.isCollection && a != .json
            guard comparable else {
                diagnostics.append(
                    SemanticDiagnostics.typeMismatch(
                        "the right side of `\(op.rawValue)`", have: b, want: a.description, at: rhs.range,
                        help: a.isCollection || a == .json
                            ? "collections and JSON cannot be compared; use `Contains` or `Count`" : nil))
                return nil
            }
            lintEnumComparison(left.typed, right.typed)
            lintEnumComparison(right.typed, left.typed)
            resultType = .boolean
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let ordered = (a.isNumeric && b.isNumeric) || (a == b && (a == .dateTime || a == .duration))
            guard ordered else {
                diagnostics.append(
                    SemanticDiagnostics.typeMismatch(
                        "`\(op.rawValue)` operands", have: a.isNumeric ? b : a, want: "numbers, DateTimes or Durations",
                        at: a.isNumeric ? rhs.range : lhs.range))
                return nil
            }
            resultType = .boolean
        case .add where a == .string && b == .string:
            resultType = .string
        case .add, .subtract, .multiply, .divide:
            guard a.isNumeric && b.isNumeric else {
                let (bad, badRange) = a.isNumeric ? (b, rhs.range) : (a, lhs.range)
                diagnostics.append(
                    SemanticDiagnostics.typeMismatch(
                        "the operand of `\(op.rawValue)`", have: bad,
                        want: op == .add ? "a number or String" : "a number",
                        at: badRange))
                return nil
            }
            // Decision: `/` always yields Decimal, so no division silently truncates.
            resultType = (a == .integer && b == .integer && op != .divide) ? .integer : .decimal
        }
        return CheckedExpression(
            typed: TypedExpression(.binary(op, left.typed, right.typed), type: resultType, range: range),
            mayBeNotSet: false)
    }

    /// `Flow.Tier == "gld"` where `Flow.Tier` only takes declared values: almost certainly a typo.
    private mutating func lintEnumComparison(_ variableSide: TypedExpression, _ literalSide: TypedExpression) {
        guard case .variable(let name) = variableSide.kind, case .literal(.string(let value)) = literalSide.kind,
            let variable = variables[name]
        else { return }
        var allowed: [String]?
        switch variable.source {
        case .builtin(let claim, _), .enrichment(let claim, _):
            if let type = checkedClaims[claim]?.type, type.kind == .string { allowed = type.enumValues }
        case .attribute(let attribute):
            allowed = attributeDecls[attribute]?.enumValues?.map(\.value)
        default: break
        }
        guard var allowed, !allowed.contains(value) else { return }
        if case .string(let fallback)? = variable.defaultValue, !allowed.contains(fallback) { allowed.append(fallback) }
        if allowed.contains(value) { return }
        diagnostics.append(
            SemanticDiagnostics.comparisonOutsideEnum(value, variable: name, allowed: allowed, at: literalSide.range))
    }

    private mutating func checkCall(
        _ name: String, functionRange: SourceRange, _ arguments: [SpecExpression], range: SourceRange, facts: Facts,
        site: ExpressionSite, allowNotSet: Bool
    ) -> CheckedExpression? {
        guard let function = FunctionTable.lookup(name) else {
            diagnostics.append(SemanticDiagnostics.unknownFunction(name, at: functionRange))
            return nil
        }
        guard function.arity.contains(arguments.count) else {
            diagnostics.append(SemanticDiagnostics.arity(function, count: arguments.count, at: range))
            return nil
        }
        if !function.confirmed && reportedUnconfirmed.insert(name).inserted {
            diagnostics.append(SemanticDiagnostics.unconfirmedFunction(name, at: functionRange))
        }
        var checked: [CheckedExpression] = []
        if name == "If" {
            guard let condition = check(arguments[0], facts: facts, site: site, allowNotSet: false, testingSet: false)
            else { return nil }
            let yes = facts.union(Facts.when(condition.typed, is: true))
            let no = facts.union(Facts.when(condition.typed, is: false))
            guard let a = check(arguments[1], facts: yes, site: site, allowNotSet: allowNotSet, testingSet: false),
                let b = check(arguments[2], facts: no, site: site, allowNotSet: allowNotSet, testingSet: false)
            else { return nil }
            checked = [condition, a, b]
        } else {
            for argument in arguments {
                guard
                    let result = check(
                        argument, facts: facts, site: site, allowNotSet: false, testingSet: function.acceptsNotSet)
                else { return nil }
                checked.append(result)
            }
        }
        if function.narrowing != .none, let first = checked.first, first.typed.type.isCollection {
            // NOT_SET applies to scalar values only: Architect tests a collection with Count.
            var subject = "x"
            if case .name(let variable) = arguments[0].kind { subject = variable }
            diagnostics.append(
                SemanticDiagnostics.notSetTestOnCollection(
                    function.name, subject: subject, type: first.typed.type, at: arguments[0].range))
            return nil
        }
        switch function.resultType(checked.map(\.typed.type)) {
        case .failure(let mismatch):
            let index = min(mismatch.argument, checked.count - 1)
            diagnostics.append(
                SemanticDiagnostics.argumentMismatch(
                    function, index: index, have: checked[index].typed.type, want: mismatch.expected,
                    at: arguments[index].range))
            return nil
        case .success(let type):
            var mayBeNotSet = function.mayYieldNotSet || checked.dropFirst().contains { $0.mayBeNotSet && name == "If" }
            if name == "If" { mayBeNotSet = checked[1].mayBeNotSet || checked[2].mayBeNotSet }
            if mayBeNotSet && !allowNotSet {
                diagnostics.append(SemanticDiagnostics.resultMaybeNotSet("`\(name)(...)`", at: range))
                return nil
            }
            return CheckedExpression(
                typed: TypedExpression(.call(function.function, checked.map(\.typed)), type: type, range: range),
                mayBeNotSet: mayBeNotSet)
        }
    }

    // MARK: Trust

    /// Reports each untrusted variable `typed` reads (once per variable) in `what`.
    mutating func requireTrusted(_ typed: TypedExpression, what: String) {
        var reported = Set<String>()
        func walk(_ e: TypedExpression, _ checker: inout TypeChecker) {
            if case .variable(let name) = e.kind, let variable = checker.variables[name], !variable.trusted,
                reported.insert(name).inserted
            {
                checker.diagnostics.append(
                    SemanticDiagnostics.untrusted(
                        what, variable: name, origin: checker.untrustedOrigin(variable), at: e.range, notes: []))
            }
            for operand in e.operands { walk(operand, &checker) }
        }
        walk(typed, &self)
    }

    func untrustedOrigin(_ variable: CheckedVariable) -> String {
        switch variable.source {
        case .attribute(let name): return "it comes from attribute `\(name)`, which the web page sets"
        case .expression(let typed):
            let sources = typed.variables.compactMap { variables[$0] }.filter { !$0.trusted }.map(\.name)
            return "it is computed from " + sources.map { "`\($0)`" }.joined(separator: ", ")
                + ", which the web page controls"
        default: return "it is not derived from the verified token"
        }
    }
}
