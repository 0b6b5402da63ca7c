import ClaimMapRuntime
import ClaimMapSyntax

/// Three-valued partial evaluation of a typed expression (docs/decisions.md: defaults never open a guard): some
/// variables are bound to values, the rest are unknown. Computed variables are evaluated through their expressions.
/// Used to prove that a default can never make a guard or sensitive-rule condition true.
///
/// Operators and functions on known values are the runtime's (`ArchitectOperations`), so the proof and the evaluator
/// cannot disagree on a comparison; a NOT_SET result of one of them is left unknown.
package struct PartialEvaluator {
    package enum Value: Hashable, Sendable {
        case unknown
        case notSet
        case boolean(Bool)
        case string(String)
        /// Exact decimal text.
        case number(String)

        /// A literal's value (a DateTime literal is its text).
        package init(_ literal: TypedLiteral) {
            switch literal {
            case .string(let s), .dateTime(let s): self = .string(s)
            case .integer(let n), .decimal(let n): self = .number(n)
            case .boolean(let b): self = .boolean(b)
            }
        }

        /// A runtime result: a Boolean, a String or a number; anything else, NOT_SET included, is unknown.
        init(_ value: ClaimMapRuntime.Value?) {
            switch value {
            case .boolean(let b)?: self = .boolean(b)
            case .string(let s)?: self = .string(s)
            case .integer(let i)?: self = .number(String(i))
            case .decimal(let d)?: self = .number(ClaimMapRuntime.Value.decimalText(d))
            default: self = .unknown
            }
        }

        /// The value as the runtime holds it (a number is an Integer when it is whole and fits); nil for NOT_SET and
        /// for unknown.
        var runtime: ClaimMapRuntime.Value? {
            switch self {
            case .boolean(let b): .boolean(b)
            case .string(let s): .string(s)
            case .number(let n):
                Int64(n).map(ClaimMapRuntime.Value.integer)
                    ?? ClaimContract.decimal(n).map(ClaimMapRuntime.Value.decimal)
            case .unknown, .notSet: nil
            }
        }
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
        case .literal(let literal): return Value(literal)
        case .isAuthenticated: return authenticated
        case .variable(let name):
            if let bound = bindings[name] { return bound }
            if let expression = computed[name] { return evaluate(expression, depth: depth + 1) }
            return .unknown
        case .not(let operand):
            return Value(ArchitectOperations.not(evaluate(operand, depth: depth + 1).runtime))
        case .negate(let operand):
            return Value(ArchitectOperations.negate(evaluate(operand, depth: depth + 1).runtime))
        case .binary(let op, let lhs, let rhs):
            return binary(op, evaluate(lhs, depth: depth + 1), evaluate(rhs, depth: depth + 1))
        case .call(let name, let arguments):
            let values = arguments.map { evaluate($0, depth: depth + 1) }
            switch (name, values.first) {
            case (.isSet, .unknown?), (.isSet, nil), (.isNotSetOrEmpty, .unknown?), (.isNotSetOrEmpty, nil):
                return .unknown
            // A condition not known decides nothing, unless both branches agree.
            case (.if, .boolean(let condition)?): return condition ? values[1] : values[2]
            case (.if, _): return values[1] == values[2] ? values[1] : .unknown
            case (.isSet, _), (.isNotSetOrEmpty, _), (.lower, .string?), (.upper, .string?), (.toString, .string?),
                (.toString, .number?):
                return Value(ArchitectOperations.call(name, values.map(\.runtime)))
            default: return .unknown
            }
        }
    }

    private func binary(_ op: BinaryOperator, _ a: Value, _ b: Value) -> Value {
        switch op {
        case .and, .or:
            // Either side equal to the deciding value (false for `and`, true for `or`) decides, even when the other
            // is unknown.
            let deciding = op == .or
            if a == .boolean(deciding) || b == .boolean(deciding) { return .boolean(deciding) }
            if a == .boolean(!deciding) && b == .boolean(!deciding) { return .boolean(!deciding) }
            return .unknown
        case .add, .subtract, .multiply, .divide:
            // Strings are joined; arithmetic on numbers is left unknown (the checks built on this do not use it).
            guard op == .add, case .string = a, case .string = b else { return .unknown }
        default: break
        }
        return Value(ArchitectOperations.binary(op, a.runtime, b.runtime))
    }
}
