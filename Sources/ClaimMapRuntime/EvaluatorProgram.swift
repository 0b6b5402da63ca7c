/// The compiled, typed evaluator program of one spec: what `evaluator.json` holds and what `replay` and `test`
/// execute. It carries everything needed to turn verified claims into variables, participant data, a route and
/// guard decisions, and the identity policy the verifier applies first. Format version 1.
public struct EvaluatorProgram: Sendable, Hashable {
    public static let formatVersion = 1

    public var spec: String
    public var identity: IdentityPolicy
    public var claims: [ClaimSpec]
    public var enrichments: [EnrichmentSpec]
    public var attributes: [AttributeSpec]
    /// In spec order.
    public var variables: [VariableSpec]
    /// Computed variables in evaluation order.
    public var computationOrder: [String]
    public var participantData: [ParticipantDatumSpec]
    public var routing: [RuleSpec]
    public var guards: [GuardSpec]

    public init(
        spec: String, identity: IdentityPolicy, claims: [ClaimSpec], enrichments: [EnrichmentSpec],
        attributes: [AttributeSpec], variables: [VariableSpec], computationOrder: [String],
        participantData: [ParticipantDatumSpec], routing: [RuleSpec], guards: [GuardSpec]
    ) {
        self.spec = spec
        self.identity = identity
        self.claims = claims
        self.enrichments = enrichments
        self.attributes = attributes
        self.variables = variables
        self.computationOrder = computationOrder
        self.participantData = participantData
        self.routing = routing
        self.guards = guards
    }
}

/// What a conversation without a verified token gets (`identity.guests`): routed by the guest rules, or kept out
/// (the page script keeps the Messenger closed and the flow disconnects).
public enum GuestMode: String, Sendable, Hashable, CaseIterable {
    case route, block
}

public struct IdentityPolicy: Sendable, Hashable {
    public var discovery: String
    public var issuer: String
    public var audience: [String]
    public var algorithms: [String]
    public var leewaySeconds: Int
    public var maxAgeSeconds: Int?
    public var nonceRequired: Bool
    public var jwks: String?
    public var guests: GuestMode

    /// The signature algorithms a spec may name: the compiler's `SpecGrammar.supportedAlgorithms` is this list, and a
    /// test holds it equal to the verifier's `JWKS.signatureAlgorithms`.
    public static let supportedAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
    /// The spec's limits: a leeway of at most 5 minutes, a maxAge of at most 1,000,000 days.
    public static let leewayRange = 0...300
    public static let maxAgeRange = 1...86_400_000_000

    public init(
        discovery: String, issuer: String, audience: [String], algorithms: [String], leewaySeconds: Int,
        maxAgeSeconds: Int?, nonceRequired: Bool, jwks: String?, guests: GuestMode
    ) {
        self.discovery = discovery
        self.issuer = issuer
        self.audience = audience
        self.algorithms = algorithms
        self.leewaySeconds = leewaySeconds
        self.maxAgeSeconds = maxAgeSeconds
        self.nonceRequired = nonceRequired
        self.jwks = jwks
        self.guests = guests
    }
}

/// The JSON types a claim can declare.
public enum ClaimKind: String, Sendable, Hashable, CaseIterable {
    case string, integer, number, boolean, array, object
}

/// A string claim's `format:` (`numeric-date` marks a number claim read as a NumericDate).
public enum ClaimFormat: String, Sendable, Hashable, CaseIterable {
    case email, uri
    case dateTime = "date-time"
    case numericDate = "numeric-date"
}

/// A claim's JSON type and constraints: the contract with the IdP (and with enrichment data actions).
public struct ClaimTypeSpec: Sendable, Hashable {
    public var kind: ClaimKind
    public var items: [ClaimTypeSpec]
    public var properties: [String: ClaimTypeSpec]
    public var propertyOrder: [String]
    public var enumValues: [String]?
    public var pattern: String?
    public var format: ClaimFormat?
    public var minimum: String?
    public var maximum: String?
    public var maxLength: Int?
    public var maxItems: Int?

    public init(
        kind: ClaimKind, items: [ClaimTypeSpec] = [], properties: [(String, ClaimTypeSpec)] = [],
        enumValues: [String]? = nil, pattern: String? = nil, format: ClaimFormat? = nil, minimum: String? = nil,
        maximum: String? = nil, maxLength: Int? = nil, maxItems: Int? = nil
    ) {
        self.kind = kind
        self.items = items
        self.properties = Dictionary(properties, uniquingKeysWith: { first, _ in first })
        self.propertyOrder = properties.map(\.0)
        self.enumValues = enumValues
        self.pattern = pattern
        self.format = format
        self.minimum = minimum
        self.maximum = maximum
        self.maxLength = maxLength
        self.maxItems = maxItems
    }
}

public struct ClaimSpec: Sendable, Hashable {
    public var name: String
    public var path: [String]
    public var type: ClaimTypeSpec
    public var required: Bool
    /// `sub`, `email` or `name` when the claim reaches Architect as a built-in.
    public var builtin: String?

    public init(name: String, path: [String], type: ClaimTypeSpec, required: Bool, builtin: String?) {
        self.name = name
        self.path = path
        self.type = type
        self.required = required
        self.builtin = builtin
    }
}

public struct EnrichmentSpec: Sendable, Hashable {
    public var name: String
    public var returns: [String]
    public init(name: String, returns: [String]) {
        self.name = name
        self.returns = returns
    }
}

public struct AttributeSpec: Sendable, Hashable {
    public var name: String
    public var enumValues: [String]?
    public var pattern: String?
    public var maxLength: Int?
    /// The claim the page copies into this attribute, if any.
    public var mirrors: String?

    public init(name: String, enumValues: [String]?, pattern: String?, maxLength: Int?, mirrors: String?) {
        self.name = name
        self.enumValues = enumValues
        self.pattern = pattern
        self.maxLength = maxLength
        self.mirrors = mirrors
    }
}

public enum VariableSourceSpec: Sendable, Hashable {
    case builtin(claim: String)
    case enrichment(claim: String, enrichment: String)
    case attribute(String)
    case expression(TypedExpr)
    case action(guardName: String, field: String)

    public var label: String {
        switch self {
        case .builtin(let claim): "builtin:\(claim)"
        case .enrichment(_, let enrichment): "enrichment:\(enrichment)"
        case .attribute(let name): "attribute:\(name)"
        case .expression: "expr"
        case .action(let guardName, _): "action:\(guardName)"
        }
    }
}

public struct VariableSpec: Sendable, Hashable {
    public var name: String
    public var type: ValueType
    public var source: VariableSourceSpec
    public var defaultValue: Value?
    public var trusted: Bool

    public init(name: String, type: ValueType, source: VariableSourceSpec, defaultValue: Value?, trusted: Bool) {
        self.name = name
        self.type = type
        self.source = source
        self.defaultValue = defaultValue
        self.trusted = trusted
    }
}

public struct ParticipantDatumSpec: Sendable, Hashable {
    public var key: String
    public var variable: String
    public init(key: String, variable: String) {
        self.key = key
        self.variable = variable
    }
}

public struct RuleSpec: Sendable, Hashable {
    public var name: String
    public var when: TypedExpr?
    public var queue: String
    public var priority: Int?
    public var skills: [String]
    public var sensitive: Bool

    public init(name: String, when: TypedExpr?, queue: String, priority: Int?, skills: [String], sensitive: Bool) {
        self.name = name
        self.when = when
        self.queue = queue
        self.priority = priority
        self.skills = skills
        self.sensitive = sensitive
    }
}

public struct GuardInputSpec: Sendable, Hashable {
    public var name: String
    public var variable: String
    public var pickFirst: Bool
    public init(name: String, variable: String, pickFirst: Bool) {
        self.name = name
        self.variable = variable
        self.pickFirst = pickFirst
    }
}

public struct GuardOutputSpec: Sendable, Hashable {
    public var variable: String
    public var field: String
    public var type: ValueType
    public init(variable: String, field: String, type: ValueType) {
        self.variable = variable
        self.field = field
        self.type = type
    }
}

public struct GuardSpec: Sendable, Hashable {
    public var name: String
    public var when: TypedExpr?
    /// `nil` for `call: start`, else the rule before whose transfer the action runs.
    public var beforeRule: String?
    public var inputs: [GuardInputSpec]
    public var outputs: [GuardOutputSpec]

    public init(
        name: String, when: TypedExpr?, beforeRule: String?, inputs: [GuardInputSpec], outputs: [GuardOutputSpec]
    ) {
        self.name = name
        self.when = when
        self.beforeRule = beforeRule
        self.inputs = inputs
        self.outputs = outputs
    }
}

/// An expression of the program, typed.
public indirect enum ExprKind: Sendable, Hashable {
    case literal(Value)
    case variable(String)
    case isAuthenticated
    case call(ArchitectOperations.Function, [TypedExpr])
    case not(TypedExpr)
    case negate(TypedExpr)
    case binary(ArchitectOperations.Operator, TypedExpr, TypedExpr)
}

public struct TypedExpr: Sendable, Hashable {
    public var kind: ExprKind
    public var type: ValueType
    public init(_ kind: ExprKind, type: ValueType) {
        self.kind = kind
        self.type = type
    }
}
