import ClaimMapRuntime
import ClaimMapSyntax

/// Three-valued partial evaluation of a typed expression (docs/decisions.md: defaults never open a guard): some
/// variables are bound to values, the rest are unknown. Computed variables are evaluated through their expressions.
/// Used to prove that a default can never make a guard or sensitive-rule condition true.
package struct PartialEvaluator {
    package enum Value: Hashable, Sendable {
        case unknown
        case notSet
        case boolean(Bool)
        case string(String)
        /// Exact decimal text.
        case number(String)
    }

    package var bindings: [String: Value]
    package var authenticated: Value
    let computed: [String: TypedExpression]

    package init(bindings: [String: Value], authenticated: Value, computed: [String: TypedExpression]) {
        self.bindings = bindings
        self.authenticated = authenticated
        self.computed = computed
    }

    package func evaluate(_ expression: TypedExpression, depth: Int = 0) -> Value {
        guard depth < 64 else { return .unknown }
        switch expression.kind {
        case .literal(let literal):
            switch literal {
            case .string(let s), .dateTime(let s): return .string(s)
            case .integer(let n), .decimal(let n): return .number(n)
            case .boolean(let b): return .boolean(b)
            }
        case .isAuthenticated: return authenticated
        case .variable(let name):
            if let bound = bindings[name] { return bound }
            if let expression = computed[name] { return evaluate(expression, depth: depth + 1) }
            return .unknown
        case .not(let operand):
            if case .boolean(let b) = evaluate(operand, depth: depth + 1) { return .boolean(!b) }
            return .unknown
        case .negate(let operand):
            if case .number(let n) = evaluate(operand, depth: depth + 1) {
                return .number(n.hasPrefix("-") ? String(n.dropFirst()) : "-" + n)
            }
            return .unknown
        case .binary(let op, let lhs, let rhs):
            return binary(op, evaluate(lhs, depth: depth + 1), evaluate(rhs, depth: depth + 1))
        case .call(let name, let arguments):
            let values = arguments.map { evaluate($0, depth: depth + 1) }
            switch (name, values.first) {
            case (.isSet, .notSet?): return .boolean(false)
            case (.isSet, .unknown?), (.isSet, nil): return .unknown
            case (.isSet, _): return .boolean(true)
            case (.isNotSetOrEmpty, .notSet?): return .boolean(true)
            case (.isNotSetOrEmpty, .string(let s)?): return .boolean(s.isEmpty)
            case (.isNotSetOrEmpty, .unknown?), (.isNotSetOrEmpty, nil): return .unknown
            case (.isNotSetOrEmpty, _): return .boolean(false)
            case (.if, .boolean(let condition)?): return condition ? values[1] : values[2]
            case (.if, _): return values[1] == values[2] ? values[1] : .unknown
            case (.lower, .string(let s)?): return .string(s.lowercased())
            case (.upper, .string(let s)?): return .string(s.uppercased())
            case (.toString, .string(let s)?): return .string(s)
            case (.toString, .number(let n)?): return .string(n)
            default: return .unknown
            }
        }
    }

    private func binary(_ op: BinaryOperator, _ a: Value, _ b: Value) -> Value {
        switch op {
        case .and:
            if a == .boolean(false) || b == .boolean(false) { return .boolean(false) }
            if a == .boolean(true) && b == .boolean(true) { return .boolean(true) }
            return .unknown
        case .or:
            if a == .boolean(true) || b == .boolean(true) { return .boolean(true) }
            if a == .boolean(false) && b == .boolean(false) { return .boolean(false) }
            return .unknown
        case .equal, .notEqual:
            guard let equal = Self.equal(a, b) else { return .unknown }
            return .boolean(op == .equal ? equal : !equal)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard case .number(let x) = a, case .number(let y) = b else { return .unknown }
            let c = SpecScalars.compareDecimal(x, y)
            switch op {
            case .less: return .boolean(c < 0)
            case .lessOrEqual: return .boolean(c <= 0)
            case .greater: return .boolean(c > 0)
            default: return .boolean(c >= 0)
            }
        case .add:
            if case .string(let x) = a, case .string(let y) = b { return .string(x + y) }
            return .unknown
        case .subtract, .multiply, .divide:
            return .unknown
        }
    }

    private static func equal(_ a: Value, _ b: Value) -> Bool? {
        switch (a, b) {
        // Byte for byte, as Architect and the evaluator compare (`"é"` precomposed is not `"e\u{301}"`).
        case let (.string(x), .string(y)): return x.utf8.elementsEqual(y.utf8)
        case let (.boolean(x), .boolean(y)): return x == y
        case let (.number(x), .number(y)): return SpecScalars.compareDecimal(x, y) == 0
        default: return nil
        }
    }
}
