import ClaimMapDiagnostics
import ClaimMapDriver

/// Builds small specs for tests: a valid base spec whose sections can be replaced one by one. Section bodies
/// are written already indented by two spaces (routing by two spaces and `- `).
public struct SpecFixture {
    public static let sectionOrder = [
        "identity", "claims", "enrichment", "attributes", "variables", "participantData", "routing", "guards",
    ]

    public static let defaults: [String: String] = rawDefaults.mapValues {
        $0.isEmpty || $0.hasSuffix("\n") ? $0 : $0 + "\n"
    }

    static let rawDefaults: [String: String] = [
        "identity": """
          discovery: https://id.example/.well-known/openid-configuration
          issuer: https://id.example
          audience: [test-client]
        """,
        "claims": """
          sub: { type: string, required: true }
          email: { type: string }
          tier: { claim: "https://example/tier", type: string, enum: [bronze, silver, gold] }
          ltv: { type: number }
          accounts: { type: array, items: { type: string } }
        """,
        "enrichment": """
          Profile:
            category: CRM
            url: https://crm.example/customers/{sub}
            returns: [tier, ltv, accounts]
        """,
        "attributes": """
          lang: { type: string, enum: [en, fr] }
        """,
        "variables": """
          Flow.Id: { from: sub }
          Flow.Email: { from: email, default: "" }
          Flow.Tier: { from: tier, via: Profile, default: bronze }
          Flow.Ltv: { from: ltv, via: Profile, default: 0 }
          Flow.Accounts: { from: accounts, via: Profile }
          Flow.Lang: { from: attribute lang, default: en }
        """,
        "participantData": "",
        "routing": """
          - rule: gold
            when: Flow.Tier == "gold"
            queue: Gold
          - rule: default
            queue: General
        """,
        "guards": "",
    ]

    /// The default body of `section` (empty when the section has none).
    public static func section(_ name: String) -> String { defaults[name] ?? "" }

    /// The spec text with `overrides` replacing whole section bodies (an empty body drops the section).
    public static func text(_ overrides: [String: String] = [:]) -> String {
        var out = "claimmap: 1\nflow:\n  name: Test Flow\n"
        for section in sectionOrder {
            let body = overrides[section] ?? defaults[section] ?? ""
            if body.isEmpty { continue }
            out += "\(section):\n" + body + (body.hasSuffix("\n") ? "" : "\n")
        }
        return out
    }

    /// Checks `text` (markers removed) as `test.mapping.yaml`.
    package static func check(_ text: String) -> Driver.SpecResult {
        Driver(fileSystem: InMemoryFileSystem()).check(path: "test.mapping.yaml", bytes: Array(text.utf8))
    }

    /// Builds, checks, and returns the result with the marker positions of the text.
    package static func check(_ overrides: [String: String]) -> (Driver.SpecResult, MarkedSource) {
        let source = MarkedSource(text(overrides))
        return (check(source.text), source)
    }
}

extension Driver.SpecResult {
    package var codes: [String] { diagnostics.map(\.code.rawValue) }
    package var errorCodes: [String] { diagnostics.filter(\.isError).map(\.code.rawValue) }
    package func diagnostic(_ code: String) -> Diagnostic? { diagnostics.first { $0.code.rawValue == code } }
}
