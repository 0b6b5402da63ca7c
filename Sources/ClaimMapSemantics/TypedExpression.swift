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

    /// The variables the expression reads, in order, without duplicates.
    package var variables: [String] {
        var seen = Set<String>()
        var out: [String] = []
        func walk(_ e: TypedExpression) {
            switch e.kind {
            case .variable(let name): if seen.insert(name).inserted { out.append(name) }
            case .call(_, let arguments): arguments.forEach(walk)
            case .not(let operand), .negate(let operand): walk(operand)
            case .binary(_, let lhs, let rhs):
                walk(lhs)
                walk(rhs)
            case .literal, .isAuthenticated: break
            }
        }
        walk(self)
        return out
    }

    package var readsIsAuthenticated: Bool {
        switch kind {
        case .isAuthenticated: true
        case .call(_, let arguments): arguments.contains { $0.readsIsAuthenticated }
        case .not(let operand), .negate(let operand): operand.readsIsAuthenticated
        case .binary(_, let lhs, let rhs): lhs.readsIsAuthenticated || rhs.readsIsAuthenticated
        case .literal, .variable: false
        }
    }
}
