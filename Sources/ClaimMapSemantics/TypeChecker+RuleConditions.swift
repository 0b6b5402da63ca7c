import ClaimMapDiagnostics
import ClaimMapRuntime
import ClaimMapSyntax
import Foundation

extension TypeChecker {
    /// What a designer cannot see in a list of rules (#15): a condition that is never true (the rule never routes;
    /// an error, like CM2401) and one that is always true before the last rule (the rules after it are dead; a
    /// warning). Each rule is first judged alone, then given that every rule before it did not match. Judging stops
    /// at the first always-true rule: what follows it is already reported.
    mutating func checkRuleConditions(_ routing: [CheckedRule]) {
        var computed: [String: TypedExpression] = [:]
        for variable in variables.values {
            if case .expression(let expression) = variable.source { computed[variable.name] = expression }
        }
        let analysis = ConditionAnalysis(
            variables: variables, computed: computed, guestsAllowed: guestMode != .block)
        for (index, rule) in routing.enumerated() {
            guard let when = rule.when else { break }
            let earlier = routing[..<index].compactMap(\.when)
            let alone = analysis.judge(when, earlier: [])
            let verdict = alone ?? (earlier.isEmpty ? nil : analysis.judge(when, earlier: earlier))
            switch verdict {
            case .never?:
                diagnostics.append(
                    SemanticDiagnostics.neverTrueRule(rule.name, alone: alone != nil, at: when.range))
            case .always?:
                let later = routing[(index + 1)...].map(\.name)
                diagnostics.append(
                    SemanticDiagnostics.alwaysTrueRule(rule.name, alone: alone != nil, later: later, at: when.range))
                return
            case nil:
                continue
            }
        }
    }
}

/// Decides whether a condition is never or always true by evaluating it on every combination of representative
/// values of the variables it reads: for each String, every literal of the conditions, "" and one value equal to
/// none of them; for each number, every literal, one below the least, one above the greatest and one between each
/// two (whole numbers for an Integer); for each Boolean, both; NOT_SET for a variable without a default; and both
/// authentication states when guests are routed. Any value of a variable relates to the literals as one of these
/// does, so "false on all of them" is "false on every conversation" — provided the conditions use only what this
/// reasoning covers: comparisons of a variable with a literal, `and`, `or`, `not`, `IsSet`, `IsNotSetOrEmpty`,
/// `If`, and computed variables built from the same. Anything else (arithmetic, other functions, a variable
/// compared with a variable, DateTime, collections), too many combinations, or an answer the partial evaluator
/// leaves unknown means no verdict: the check only reports what it has proved.
struct ConditionAnalysis {
    enum Verdict { case never, always }

    let variables: [String: CheckedVariable]
    let computed: [String: TypedExpression]
    let guestsAllowed: Bool
    /// Combinations evaluated at most, per judgement.
    static let budget = 20_000

    func judge(_ condition: TypedExpression, earlier: [TypedExpression]) -> Verdict? {
        var leaves: [String] = []
        var seen = Set<String>()
        var strings: [String] = []
        var numbers: [String] = []
        var readsAuthentication = false
        func walk(_ expression: TypedExpression, depth: Int) -> Bool {
            guard depth < 64 else { return false }
            switch expression.kind {
            case .literal(let literal):
                switch literal {
                case .string(let text): strings.append(text)
                case .integer(let text), .decimal(let text): numbers.append(text)
                case .boolean: break
                case .dateTime: return false
                }
                return true
            case .isAuthenticated:
                readsAuthentication = true
                return true
            case .variable(let name):
                if let inner = computed[name] { return walk(inner, depth: depth + 1) }
                guard let variable = variables[name] else { return false }
                switch variable.type {
                case .string, .integer, .decimal, .boolean: break
                default: return false
                }
                if seen.insert(name).inserted { leaves.append(name) }
                return true
            case .not(let operand):
                return walk(operand, depth: depth + 1)
            case .negate(let operand):
                guard case .literal = operand.kind else { return false }
                return walk(operand, depth: depth + 1)
            case .binary(let op, let lhs, let rhs):
                switch op {
                case .and, .or: break
                case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
                    // One side must be a literal: the representatives cover a variable against constants only.
                    guard Self.isConstant(lhs) || Self.isConstant(rhs) else { return false }
                default: return false
                }
                return walk(lhs, depth: depth + 1) && walk(rhs, depth: depth + 1)
            case .call(let name, let arguments):
                guard [.isSet, .isNotSetOrEmpty, .if].contains(name) else { return false }
                return arguments.allSatisfy { walk($0, depth: depth + 1) }
            }
        }
        for expression in [condition] + earlier where !walk(expression, depth: 0) { return nil }
        // Representatives per leaf.
        let fresh = "\u{1}" + (strings.max { $0.utf8.count < $1.utf8.count } ?? "") + "\u{1}"
        let stringValues = Self.distinct(strings + ["", fresh]).map(PartialEvaluator.Value.string)
        var domains: [[PartialEvaluator.Value]] = []
        for name in leaves {
            guard let variable = variables[name] else { return nil }
            var domain: [PartialEvaluator.Value]
            switch variable.type {
            case .string: domain = stringValues
            case .boolean: domain = [.boolean(true), .boolean(false)]
            case .integer:
                domain = Self.numberRepresentatives(numbers, integers: true).map(PartialEvaluator.Value.number)
            case .decimal:
                domain = Self.numberRepresentatives(numbers, integers: false).map(PartialEvaluator.Value.number)
            default: return nil
            }
            if variable.defaultValue == nil { domain.append(.notSet) }
            domains.append(domain)
        }
        let authentication: [PartialEvaluator.Value] =
            readsAuthentication && guestsAllowed ? [.boolean(true), .boolean(false)] : [.boolean(true)]
        var combinations = authentication.count
        for domain in domains {
            combinations = combinations.multipliedReportingOverflow(by: domain.count).partialValue
            if combinations > Self.budget || combinations <= 0 { return nil }
        }
        var sawTrue = false
        var sawFalse = false
        var reached = false
        var choice = [Int](repeating: 0, count: domains.count)
        for authenticated in authentication {
            choice = choice.map { _ in 0 }
            while true {
                var bindings: [String: PartialEvaluator.Value] = [:]
                for (index, name) in leaves.enumerated() { bindings[name] = domains[index][choice[index]] }
                let evaluator = PartialEvaluator(bindings: bindings, authenticated: authenticated, computed: computed)
                // Whether a conversation with these values reaches the rule: every earlier rule must be false.
                var reaches = true
                for expression in earlier {
                    switch evaluator.evaluate(expression) {
                    case .boolean(false): continue
                    case .boolean(true): reaches = false
                    default: return nil
                    }
                    if !reaches { break }
                }
                if reaches {
                    reached = true
                    switch evaluator.evaluate(condition) {
                    case .boolean(true): sawTrue = true
                    case .boolean(false): sawFalse = true
                    default: return nil
                    }
                    if sawTrue && sawFalse { return nil }
                }
                // Next combination (odometer).
                var position = 0
                while position < choice.count {
                    choice[position] += 1
                    if choice[position] < domains[position].count { break }
                    choice[position] = 0
                    position += 1
                }
                if position == choice.count { break }
            }
        }
        if !sawTrue { return .never }
        if reached && !sawFalse { return .always }
        return nil
    }

    static func isConstant(_ expression: TypedExpression) -> Bool {
        switch expression.kind {
        case .literal: true
        case .negate(let operand): isConstant(operand)
        default: false
        }
    }

    static func distinct(_ values: [String]) -> [String] {
        var seen: [[UInt8]] = []
        var out: [String] = []
        for value in values where !seen.contains(Array(value.utf8)) {
            seen.append(Array(value.utf8))
            out.append(value)
        }
        return out
    }

    /// Every literal, one below the least, one above the greatest, and one between each two neighbours (for an
    /// Integer: whole numbers only, and a gap between two literals holds one only if a whole number fits).
    static func numberRepresentatives(_ literals: [String], integers: Bool) -> [String] {
        var values = literals.compactMap(POSIXLocale.decimal).filter { !$0.isNaN }
        if values.isEmpty { values = [0] }
        values.sort()
        var out: [Decimal] = []
        func whole(_ value: Decimal, _ mode: NSDecimalNumber.RoundingMode) -> Decimal {
            var input = value
            var result = Decimal()
            NSDecimalRound(&result, &input, 0, mode)
            return result
        }
        if integers {
            for value in values {
                let down = whole(value, .down)
                let up = whole(value, .up)
                out += [down - 1, down, down + 1, up, up + 1]
            }
        } else {
            out = values + [values[0] - 1, values[values.count - 1] + 1]
            for (a, b) in zip(values, values.dropFirst()) where a != b { out.append((a + b) / 2) }
        }
        var seen = Set<Decimal>()
        return out.filter { seen.insert($0).inserted }.map { "\($0)" }
    }
}
