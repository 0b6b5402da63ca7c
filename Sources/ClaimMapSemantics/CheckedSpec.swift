import ClaimMapDiagnostics
import ClaimMapRuntime
import ClaimMapSyntax

/// The checked representation of one spec (`CheckedSpec` in the pipeline): every name resolved, every variable
/// typed, trust and definite-assignment facts computed. Emitters, the evaluator and replay consume only this.
package struct CheckedSpec: Sendable {
    /// The spec's name: `<name>` of `Mappings/<name>.mapping.yaml`, and of `Generated/<name>/`.
    package var name: String
    package var path: String
    package var flow: FlowSettings
    package var identity: IdentitySettings
    package var claims: [CheckedClaim]
    package var enrichments: [CheckedEnrichment]
    package var attributes: [CheckedAttribute]
    /// In spec order.
    package var variables: [CheckedVariable]
    /// Names of computed (`expr`) variables in an order where each is computed after those it reads.
    package var computationOrder: [String]
    package var participantData: [CheckedParticipantDatum]
    package var routing: [CheckedRule]
    package var guards: [CheckedGuard]

    package func variable(_ name: String) -> CheckedVariable? { variables.first { $0.name == name } }
    package func claim(_ name: String) -> CheckedClaim? { claims.first { $0.name == name } }
}

package struct FlowSettings: Sendable, Hashable {
    package var name: String
    package var division: String
    package var language: String
}

package struct IdentitySettings: Sendable, Hashable {
    package var discovery: String
    package var issuer: String
    package var audience: [String]
    package var algorithms: [String]
    package var leewaySeconds: Int
    package var maxAgeSeconds: Int?
    package var nonce: NonceMode
    package var jwks: String?
    package var guests: GuestMode
    /// Whether `guests` was written or derived from the routing rules (docs/decisions.md: guests are declared).
    package var guestsDeclared: Bool
}

/// A claim's resolved type with its constraints (the contract with the IdP team).
package struct ClaimType: Sendable, Hashable {
    package var kind: ClaimKind
    package var items: [ClaimType]  // zero or one element: the item type of an array
    package var properties: [ClaimProperty]
    package var enumValues: [String]?
    package var pattern: String?
    package var format: ClaimFormat?
    package var minimum: String?
    package var maximum: String?
    package var maxLength: Int?
    package var maxItems: Int?
    package var required: Bool

    package var itemType: ClaimType? { items.first }
}

package struct ClaimProperty: Sendable, Hashable {
    package var name: String
    package var type: ClaimType
}

/// The built-in variables of an inbound message flow that carry token claims (Genesys help, Authenticated web
/// messaging attributes: https://help.mypurecloud.com/articles/authenticated-web-messaging-attributes/).
package enum BuiltinClaim: String, Sendable, Hashable, CaseIterable {
    case sub, email, name

    package var architectVariable: String {
        switch self {
        case .sub: "Message.Message.senderAddressInfo.addressDisplayable"
        case .email: "Message.Message.senderAddressInfo.email"
        case .name: "Message.Message.senderAddressInfo.name"
        }
    }
}

package struct CheckedClaim: Sendable, Hashable {
    package var name: String
    /// The JSON member path in the token (one element for a top-level claim).
    package var memberPath: [String]
    package var type: ClaimType
    /// Set when the claim reaches Architect as a built-in variable.
    package var builtin: BuiltinClaim?
}

package struct CheckedEnrichment: Sendable, Hashable {
    package var name: String
    package var category: String
    package var url: String
    package var timeout: DurationValue
    /// Local claim names the data action returns.
    package var returns: [String]
}

/// A checked attribute is the program's `AttributeSpec`: its name, the values and the pattern the page's text must
/// match, its length limit and the claim the page copies into it (`mirrors`), if any.
package typealias CheckedAttribute = AttributeSpec

/// Where a variable's value comes from.
package enum VariableSource: Sendable, Hashable {
    case builtin(claim: String, BuiltinClaim)
    case enrichment(claim: String, enrichment: String)
    case attribute(String)
    case expression(TypedExpression)
    case actionOutput(guardName: String, field: String)
}

package struct CheckedVariable: Sendable, Hashable {
    package var name: String
    package var type: ArchitectType
    package var source: VariableSource
    package var defaultValue: TypedLiteral?
    package var failOpen: Bool
    /// Whether every value it can hold comes from the verified token or a trusted data action.
    package var trusted: Bool
    /// Whether the value is NOT_SET in guest conversations unless a default applies (it comes from the token).
    package var tokenDerived: Bool
    /// Whether the variable may be NOT_SET in an authenticated conversation.
    package var mayBeNotSetWhenAuthenticated: Bool
    package var range: SourceRange
}

package struct CheckedParticipantDatum: Sendable, Hashable {
    package var key: String
    package var variable: String
    package var type: ArchitectType
    package var trusted: Bool
    package var piiAllowed: Bool
}

package struct CheckedRule: Sendable, Hashable {
    package var name: String
    package var when: TypedExpression?
    package var queue: String
    package var priority: Int?
    package var skills: [String]
    package var sensitive: Bool
    /// `when: not Message.IsAuthenticated`.
    package var isGuestRule: Bool
}

package struct CheckedGuardInput: Sendable, Hashable {
    package var name: String
    package var variable: String
    /// The type sent to the data action (the element type when `pick: first`).
    package var type: ArchitectType
    package var pickFirst: Bool
    package var inURL: Bool
}

/// A checked output of a guarded action is the program's `GuardOutputSpec`: the variable it sets from a field of the
/// response, and the field's type.
package typealias CheckedGuardOutput = GuardOutputSpec

package struct CheckedGuard: Sendable, Hashable {
    package var name: String
    package var category: String
    package var method: HTTPMethod
    package var url: String
    package var when: TypedExpression?
    package var call: CallPoint
    package var inputs: [CheckedGuardInput]
    package var outputs: [CheckedGuardOutput]
    package var secure: Bool
}
