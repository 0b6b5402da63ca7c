import ClaimMapDiagnostics
import ClaimMapRuntime

/// Operators of the expression language (docs/language.md, Expressions), a subset of Architect's own syntax: the
/// runtime's enum, so the parser, the checker, the program and the interpreter name the same cases.
package typealias BinaryOperator = ArchitectOperations.Operator

extension ArchitectOperations.Operator {
    package var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: true
        default: false
        }
    }

    package var isArithmetic: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide: true
        default: false
        }
    }
}

package enum UnaryOperator: String, Sendable, Hashable {
    case not
    case negate = "-"
}

/// An expression as written in `expr:` or `when:`, every node with its exact source range.
package indirect enum ExpressionKind: Sendable, Hashable {
    case string(String)
    /// Integer literal, kept as its digits.
    case integer(String)
    /// Decimal literal, kept as written.
    case decimal(String)
    case boolean(Bool)
    /// A dotted name such as `Flow.Tier` or `Message.IsAuthenticated`.
    case name(String)
    case call(function: String, functionRange: SourceRange, arguments: [SpecExpression])
    case unary(UnaryOperator, SpecExpression)
    case binary(BinaryOperator, SpecExpression, SpecExpression)
    case parenthesized(SpecExpression)
}

package struct SpecExpression: Sendable, Hashable {
    package var kind: ExpressionKind
    package var range: SourceRange

    package init(_ kind: ExpressionKind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// Every dotted name the expression reads, with its range, in source order.
    package var names: [(String, SourceRange)] {
        var out: [(String, SourceRange)] = []
        collectNames(into: &out)
        return out
    }

    private func collectNames(into out: inout [(String, SourceRange)]) {
        switch kind {
        case .name(let name): out.append((name, range))
        case .call(_, _, let arguments): for argument in arguments { argument.collectNames(into: &out) }
        case .unary(_, let operand), .parenthesized(let operand): operand.collectNames(into: &out)
        case .binary(_, let lhs, let rhs):
            lhs.collectNames(into: &out)
            rhs.collectNames(into: &out)
        case .string, .integer, .decimal, .boolean: break
        }
    }

    /// The expression without redundant parentheses at its root.
    package var unparenthesized: SpecExpression {
        if case .parenthesized(let inner) = kind { return inner.unparenthesized }
        return self
    }
}

/// An expression together with the text it was parsed from.
package struct ExpressionSource: Sendable {
    package var text: String
    package var range: SourceRange
    package var expression: SpecExpression
}
