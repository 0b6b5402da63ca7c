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

    /// Facts that hold when `expression` evaluates to `outcome`: `IsSet(x)` true and `IsNotSetOrEmpty(x)` false prove
    /// `x` set; `Message.IsAuthenticated` true, and `Message.IsAuthenticated == outcome`, prove authentication;
    /// `not` turns the outcome over; `and` true and `or` false hold the facts of both sides, `and` false and `or`
    /// true only those the two sides share.
    package static func when(_ expression: TypedExpression, is outcome: Bool) -> Facts {
        switch expression.kind {
        case .isAuthenticated where outcome: return Facts(authenticated: true)
        case .call(let function, let arguments) where function == (outcome ? .isSet : .isNotSetOrEmpty):
            if case .variable(let name)? = arguments.first?.kind { return Facts(authenticated: false, set: [name]) }
        case .not(let operand): return when(operand, is: !outcome)
        case .binary(let op, let lhs, let rhs) where op == .and || op == .or:
            let (left, right) = (when(lhs, is: outcome), when(rhs, is: outcome))
            return (op == .and) == outcome ? left.union(right) : left.intersection(right)
        case .binary(.equal, let lhs, let rhs):
            if case .isAuthenticated = lhs.kind, case .literal(.boolean(outcome)) = rhs.kind {
                return Facts(authenticated: true)
            }
        default: break
        }
        return .nothing
    }
}
