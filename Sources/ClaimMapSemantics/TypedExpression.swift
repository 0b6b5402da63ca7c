import ClaimMapDiagnostics
import ClaimMapRuntime
import ClaimMapSyntax

/// A literal value with its Architect type; numbers keep their exact decimal text.
package enum TypedLiteral: Hashable, Sendable {
    case string(String)
    case integer(String)
    case decimal(String)
    case boolean(Bool)
    /// RFC 3339 text.
    case dateTime(String)

    /// The literal a spec expression writes; nil for any other expression.
    package init?(_ expression: ExpressionKind) {
        switch expression {
        case .string(let text): self = .string(text)
        case .integer(let text): self = .integer(text)
        case .decimal(let text): self = .decimal(text)
        case .boolean(let value): self = .boolean(value)
        default: return nil
        }
    }

    package var type: ArchitectType {
        switch self {
        case .string: .string
        case .integer: .integer
        case .decimal: .decimal
        case .boolean: .boolean
        case .dateTime: .dateTime
        }
    }
}

/// A type-checked expression: every node carries its Architect type; names are resolved.
package indirect enum TypedExpressionKind: Hashable, Sendable {
    case literal(TypedLiteral)
    case variable(String)
    case isAuthenticated
    case call(ArchitectOperations.Function, [TypedExpression])
    case not(TypedExpression)
    case negate(TypedExpression)
    case binary(BinaryOperator, TypedExpression, TypedExpression)
}

package struct TypedExpression: Hashable, Sendable {
    package var kind: TypedExpressionKind
    package var type: ArchitectType
    package var range: SourceRange

    package init(_ kind: TypedExpressionKind, type: ArchitectType, range: SourceRange) {
        self.kind = kind
        self.type = type
        self.range = range
    }

    /// The expression's direct subexpressions, left to right.
    package var operands: [TypedExpression] {
        switch kind {
        case .call(_, let arguments): arguments
        case .not(let operand), .negate(let operand): [operand]
        case .binary(_, let lhs, let rhs): [lhs, rhs]
        case .literal, .variable, .isAuthenticated: []
        }
    }

    /// The variables the expression reads, in order, without duplicates.
    package var variables: [String] {
        var seen = Set<String>()
        var out: [String] = []
        func walk(_ e: TypedExpression) {
            if case .variable(let name) = e.kind, seen.insert(name).inserted { out.append(name) }
            e.operands.forEach(walk)
        }
        walk(self)
        return out
    }

    package var readsIsAuthenticated: Bool {
        if case .isAuthenticated = kind { return true }
        return operands.contains { $0.readsIsAuthenticated }
    }
}
