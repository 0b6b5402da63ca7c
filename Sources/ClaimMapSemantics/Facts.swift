import ClaimMapRuntime

/// What is known at a point of the flow: whether the conversation is authenticated and which variables are
/// proven set. Narrowing adds facts; `IsSet(x)` true, `IsNotSetOrEmpty(x)` false, `Message.IsAuthenticated` true.
package struct Facts: Sendable, Hashable {
    package var authenticated: Bool
    package var set: Set<String>

    package init(authenticated: Bool, set: Set<String> = []) {
        self.authenticated = authenticated
        self.set = set
    }

    package func union(_ other: Facts) -> Facts {
        Facts(authenticated: authenticated || other.authenticated, set: set.union(other.set))
    }

    package func intersection(_ other: Facts) -> Facts {
        Facts(authenticated: authenticated && other.authenticated, set: set.intersection(other.set))
    }

    package static let nothing = Facts(authenticated: false)

    /// Facts that hold when `expression` evaluates to true.
    package static func whenTrue(_ expression: TypedExpression) -> Facts {
        switch expression.kind {
        case .isAuthenticated: return Facts(authenticated: true)
        case .call(.isSet, let arguments):
            if case .variable(let name)? = arguments.first?.kind { return Facts(authenticated: false, set: [name]) }
        case .not(let operand): return whenFalse(operand)
        case .binary(.and, let lhs, let rhs): return whenTrue(lhs).union(whenTrue(rhs))
        case .binary(.or, let lhs, let rhs): return whenTrue(lhs).intersection(whenTrue(rhs))
        case .binary(.equal, let lhs, let rhs):
            if case .isAuthenticated = lhs.kind, case .literal(.boolean(true)) = rhs.kind {
                return Facts(authenticated: true)
            }
        default: break
        }
        return .nothing
    }

    /// Facts that hold when `expression` evaluates to false.
    package static func whenFalse(_ expression: TypedExpression) -> Facts {
        switch expression.kind {
        case .call(.isNotSetOrEmpty, let arguments):
            if case .variable(let name)? = arguments.first?.kind { return Facts(authenticated: false, set: [name]) }
        case .not(let operand): return whenTrue(operand)
        case .binary(.or, let lhs, let rhs): return whenFalse(lhs).union(whenFalse(rhs))
        case .binary(.and, let lhs, let rhs): return whenFalse(lhs).intersection(whenFalse(rhs))
        case .binary(.equal, let lhs, let rhs):
            if case .isAuthenticated = lhs.kind, case .literal(.boolean(false)) = rhs.kind {
                return Facts(authenticated: true)
            }
        default: break
        }
        return .nothing
    }
}
