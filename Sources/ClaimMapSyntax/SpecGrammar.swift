import ClaimMapRuntime

/// The keys the spec language allows in each context. The spec parser and `claimmap schema` both read this one
/// table, so the JSON Schema editors use can never disagree with what `check` accepts.
package enum SpecGrammar {
    package static let root = [
        "claimmap", "flow", "identity", "claims", "enrichment", "attributes", "variables", "participantData",
        "routing", "guards",
    ]
    package static let requiredRoot = ["claimmap", "flow", "identity", "claims", "routing"]
    package static let flow = ["name", "division", "language"]
    package static let identity = [
        "discovery", "issuer", "audience", "algorithms", "leeway", "maxAge", "nonce", "jwks", "guests",
    ]
    package static let claim = [
        "claim", "path", "type", "items", "properties", "enum", "pattern", "format", "minimum", "maximum",
        "maxLength", "maxItems", "required",
    ]
    /// `items` and `properties` entries describe nested values: no `claim`, `path`.
    package static let nestedClaim = claim.filter { $0 != "claim" && $0 != "path" }
    package static let enrichment = ["category", "url", "timeout", "returns"]
    package static let attribute = ["type", "enum", "pattern", "maxLength", "mirrors"]
    package static let variable = ["from", "via", "type", "default", "failOpen", "expr"]
    package static let participantDatum = ["from", "pii"]
    package static let rule = ["rule", "when", "queue", "priority", "skills", "sensitive"]
    package static let guardAction = [
        "category", "method", "url", "requires", "when", "call", "inputs", "outputs", "secure",
    ]
    package static let guardInput = ["from", "pick"]
    package static let guardOutput = ["field", "type"]

    /// Architect types a spec may name (docs/language.md, Claim types and Architect types).
    package static let architectTypes = [
        "String", "Integer", "Decimal", "Boolean", "DateTime", "Duration", "JSON", "StringCollection",
        "IntegerCollection", "DecimalCollection", "BooleanCollection", "DateTimeCollection",
    ]

    /// Signing algorithms version 1 verifies (docs/decisions.md, Lint severities).
    package static let supportedAlgorithms = IdentityPolicy.supportedAlgorithms
    /// The largest leeway a spec may give (5 minutes); `evaluator.json` is held to the same bound.
    package static let maxLeewaySeconds = IdentityPolicy.leewayRange.upperBound

    package static let identifierPattern = "^[A-Za-z][A-Za-z0-9_]*$"
}
