import ClaimMapRuntime
import ClaimMapSemantics
import ClaimMapSyntax

/// Prints a typed expression in Architect's syntax, as Genesys-authored flows write it:
/// - negation as `!` (never `not`);
/// - `a and b` as `If(a, b, false)` and `a or b` as `If(a, true, b)` when the right side relies on what the left
///   side proves (a narrowed read), so nothing depends on short-circuiting (docs/decisions.md); plain `and`/`or` else;
/// - Integer operands next to Decimal ones promoted without `ToDecimal` (unconfirmed): literals as `10000.0`,
///   variables as `(x * 1.0)`.
enum ArchitectExpressionWriter {
    static func write(_ expression: TypedExpression) -> String {
        render(expression, parent: nil)
    }

    /// A string literal. Quotes and backslashes are escaped with a backslash (UNCONFIRMED for Architect; the
    /// example specs contain neither).
    static func stringLiteral(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private static func precedence(_ op: BinaryOperator) -> Int {
        switch op {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: 3
        case .add, .subtract: 4
        case .multiply, .divide: 5
        }
    }

    private static func render(_ e: TypedExpression, parent: BinaryOperator?) -> String {
        switch e.kind {
        case .literal(let literal):
            switch literal {
            case .string(let s): return stringLiteral(s)
            case .integer(let n), .decimal(let n): return n
            case .boolean(let b): return b ? "true" : "false"
            case .dateTime(let s): return "ToDateTime(\(stringLiteral(s)))"
            }
        case .variable(let name): return name
        case .isAuthenticated: return "Message.IsAuthenticated"
        case .call(let name, let arguments):
            let spelling = FunctionTable.lookup(name.rawValue)?.architectName ?? name.rawValue
            return spelling + "(" + arguments.map { render($0, parent: nil) }.joined(separator: ", ") + ")"
        case .not(let operand):
            let inner = render(operand, parent: nil)
            return isAtomic(operand) ? "!" + inner : "!(" + inner + ")"
        case .negate(let operand):
            let inner = render(operand, parent: nil)
            return isAtomic(operand) ? "-" + inner : "-(" + inner + ")"
        case .binary(let op, let lhs, let rhs):
            if op == .and || op == .or {
                let proven = Facts.when(lhs, is: op == .and)
                if !proven.set.isEmpty || proven.authenticated {
                    let (l, r) = (render(lhs, parent: nil), render(rhs, parent: nil))
                    return op == .and ? "If(\(l), \(r), false)" : "If(\(l), true, \(r))"
                }
            }
            var left = render(lhs, parent: op)
            var right = render(rhs, parent: nil)
            if op != .and && op != .or && (lhs.type == .decimal || rhs.type == .decimal) {
                if lhs.type == .integer { left = promote(lhs, left) }
                if rhs.type == .integer { right = promote(rhs, right) }
            }
            if case .binary(let inner, _, _) = rhs.kind, precedence(inner) <= precedence(op), !right.hasPrefix("If(") {
                right = "(" + right + ")"
            }
            let text = "\(left) \(op.rawValue) \(right)"
            if let parent, precedence(parent) > precedence(op) { return "(" + text + ")" }
            return text
        }
    }

    private static func promote(_ e: TypedExpression, _ text: String) -> String {
        if case .literal(.integer(let n)) = e.kind { return n + ".0" }
        return "(\(text) * 1.0)"
    }

    private static func isAtomic(_ e: TypedExpression) -> Bool {
        switch e.kind {
        case .literal, .variable, .isAuthenticated, .call: true
        default: false
        }
    }
}
