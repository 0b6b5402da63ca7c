import ClaimMapDiagnostics
import ClaimMapRuntime
import ClaimMapSyntax

/// The JSON Schema (draft 2020-12) of the spec language, for editors (e.g. the YAML language server's
/// `# yaml-language-server: $schema=...`). Built from `SpecGrammar`, the same key lists the parser enforces.
package enum SpecSchema {
    private static func object(_ properties: [(String, JSONValue)], required: [String] = [], description: String? = nil)
        -> JSONValue
    {
        var members: [(String, JSONValue)] = [("type", .string("object"))]
        if let description { members.append(("description", .string(description))) }
        members.append(("properties", .object(properties)))
        if !required.isEmpty { members.append(("required", .array(required.map(JSONValue.string)))) }
        members.append(("additionalProperties", .bool(false)))
        return .object(members)
    }

    private static func string(_ description: String? = nil, pattern: String? = nil, enumValues: [String]? = nil)
        -> JSONValue
    {
        var members: [(String, JSONValue)] = [("type", .string("string"))]
        if let description { members.append(("description", .string(description))) }
        if let pattern { members.append(("pattern", .string(pattern))) }
        if let enumValues { members.append(("enum", .array(enumValues.map(JSONValue.string)))) }
        return .object(members)
    }

    private static func map(_ values: JSONValue, keyPattern: String? = nil, description: String) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .string("object")), ("description", .string(description))]
        if let keyPattern { members.append(("propertyNames", .object([("pattern", .string(keyPattern))]))) }
        members.append(("additionalProperties", values))
        return .object(members)
    }

    private static func list(_ items: JSONValue) -> JSONValue {
        .object([("type", .string("array")), ("items", items)])
    }

    private static let integer: JSONValue = .object([("type", .string("integer")), ("minimum", .integer(0))])
    private static let boolean: JSONValue = .object([("type", .string("boolean"))])
    private static let number: JSONValue = .object([("type", .string("number"))])
    private static let duration = string("a duration: 90s, 5m, 1h, 7d", pattern: "^[1-9][0-9]*[smhd]$")
    private static let variableName = "^Flow\\.[A-Za-z][A-Za-z0-9_]*$"
    private static let expression = string("an Architect expression (docs/language.md, Expressions)")

    private static func check(_ keys: [(String, JSONValue)], against grammar: [String]) -> [(String, JSONValue)] {
        // The schema lists exactly the grammar's keys, in the grammar's order.
        grammar.compactMap { key in keys.first { $0.0 == key } }
    }

    /// A variable's name, or a mapping of `grammar` naming it in `from` with one `option` more (a participant
    /// datum's `pii`, a guard input's `pick`).
    private static func variableOrMapping(_ option: (String, JSONValue), _ grammar: [String]) -> JSONValue {
        let mapping = object(
            check([("from", string(pattern: variableName)), option], against: grammar), required: ["from"])
        return .object([("oneOf", .array([string(pattern: variableName), mapping]))])
    }

    package static func document() -> JSONValue {
        let claimKeys: [(String, JSONValue)] = [
            ("claim", string("the exact JSON member name in the token (default: the local name)")),
            ("path", list(string())),
            ("type", string(enumValues: ClaimKind.allCases.map(\.rawValue))),
            ("items", .object([("$ref", .string("#/$defs/nestedClaim"))])),
            ("properties", map(.object([("$ref", .string("#/$defs/nestedClaim"))]), description: "object members")),
            ("enum", list(.object([("type", .array([.string("string"), .string("number")]))]))),
            ("pattern", string("a regular expression the value must match")),
            ("format", string(enumValues: ClaimFormat.allCases.map(\.rawValue))),
            ("minimum", number), ("maximum", number), ("maxLength", integer), ("maxItems", integer),
            ("required", boolean),
        ]
        let claim = object(check(claimKeys, against: SpecGrammar.claim), required: ["type"])
        let nestedClaim = object(check(claimKeys, against: SpecGrammar.nestedClaim), required: ["type"])
        let flow = object(
            check(
                [("name", string("the Archy flow name")), ("division", string()), ("language", string())],
                against: SpecGrammar.flow), required: ["name"])
        let identity = object(
            check(
                [
                    ("discovery", string("the OpenID discovery URL", pattern: "^https://")),
                    ("issuer", string("compared byte for byte with the token's iss")),
                    ("audience", .object([("oneOf", .array([string(), list(string())]))])),
                    ("algorithms", list(string(enumValues: SpecGrammar.supportedAlgorithms))),
                    ("leeway", duration), ("maxAge", duration),
                    ("nonce", string(enumValues: NonceMode.allCases.map(\.rawValue))),
                    ("jwks", string("a local JWKS file for replay and tests, relative to the spec")),
                    ("guests", string(enumValues: GuestMode.allCases.map(\.rawValue))),
                ], against: SpecGrammar.identity), required: ["discovery", "issuer", "audience"])
        let enrichment = object(
            check(
                [
                    ("category", string()), ("url", string("https URL with `{sub}`", pattern: "^https://")),
                    ("timeout", duration), ("returns", list(string())),
                ], against: SpecGrammar.enrichment), required: ["category", "url", "returns"])
        let attribute = object(
            check(
                [
                    ("type", string(enumValues: ["string"])), ("enum", list(string())), ("pattern", string()),
                    ("maxLength", integer), ("mirrors", string("the claim the page copies into this attribute")),
                ], against: SpecGrammar.attribute))
        let variable = object(
            check(
                [
                    ("from", string("a claim, or `attribute <name>`")), ("via", string("the enrichment")),
                    ("type", string(enumValues: ArchitectTypeNames.all)),
                    (
                        "default",
                        .object([("type", .array([.string("string"), .string("number"), .string("boolean")]))])
                    ),
                    ("failOpen", boolean), ("expr", expression),
                ], against: SpecGrammar.variable))
        let participantDatum = variableOrMapping(("pii", string(enumValues: ["allow"])), SpecGrammar.participantDatum)
        let rule = object(
            check(
                [
                    ("rule", string(pattern: "^[A-Za-z][A-Za-z0-9_-]*$")), ("when", expression), ("queue", string()),
                    ("priority", integer), ("skills", list(string())), ("sensitive", boolean),
                ], against: SpecGrammar.rule), required: ["rule", "queue"])
        let guardInput = variableOrMapping(("pick", string(enumValues: ["first"])), SpecGrammar.guardInput)
        let guardOutput = object(
            check(
                [("field", string()), ("type", string(enumValues: ArchitectTypeNames.all))],
                against: SpecGrammar.guardOutput), required: ["field", "type"])
        let guardAction = object(
            check(
                [
                    ("category", string()), ("method", string(enumValues: HTTPMethod.allCases.map(\.rawValue))),
                    ("url", string(pattern: "^https://")), ("requires", string(enumValues: ["authenticated"])),
                    ("when", expression), ("call", string(pattern: "^(start|before [A-Za-z][A-Za-z0-9_-]*)$")),
                    (
                        "inputs",
                        map(guardInput, keyPattern: "^[A-Za-z][A-Za-z0-9_]*$", description: "data action inputs")
                    ),
                    ("outputs", map(guardOutput, keyPattern: variableName, description: "variable -> response field")),
                    ("secure", boolean),
                ], against: SpecGrammar.guardAction), required: ["category", "url"])
        let rootKeys: [(String, JSONValue)] = [
            ("claimmap", .object([("const", .integer(1))])),
            ("flow", flow), ("identity", identity),
            ("claims", map(claim, keyPattern: "^[A-Za-z][A-Za-z0-9_]*$", description: "the typed claim schema")),
            ("enrichment", map(enrichment, description: "trusted data actions keyed on the verified sub")),
            ("attributes", map(attribute, description: "untrusted customAttributes the page sets")),
            ("variables", map(variable, keyPattern: variableName, description: "Architect flow variables")),
            ("participantData", map(participantDatum, description: "participant data key -> variable")),
            ("routing", list(rule)),
            ("guards", map(guardAction, description: "guarded data actions")),
        ]
        var root = object(check(rootKeys, against: SpecGrammar.root), required: SpecGrammar.requiredRoot)
        if case .object(var members) = root {
            members.insert(("$schema", .string("https://json-schema.org/draft/2020-12/schema")), at: 0)
            members.insert(("$id", .string("https://claimmap.dev/schema/mapping-v1.json")), at: 1)
            members.insert(("title", .string("ClaimMap mapping spec, version 1")), at: 2)
            members.append(("$defs", .object([("nestedClaim", nestedClaim)])))
            root = .object(members)
        }
        return root
    }
}

/// Architect type names as a spec writes them.
enum ArchitectTypeNames {
    static let all = SpecGrammar.architectTypes
}
