import ClaimMapDiagnostics
import ClaimMapDriver
import ClaimMapTestSupport
import Testing

/// Each rule of the checker with a failing case (code and exact position, from a marker) and a passing case.
@Suite("checker rules")
struct CheckerRuleTests {
    struct Rule: Sendable, CustomStringConvertible {
        var name: String
        var code: String
        var failing: [String: String]
        var passing: [String: String]
        var description: String { name }
    }

    static let guardTemplate = """
          Lookup:
            category: CRM
            url: https://crm.example/x/{id}
            inputs:
              id: INPUT
        """

    static func guardWith(input: String, when: String? = nil) -> String {
        var text = guardTemplate.replacingOccurrences(of: "INPUT", with: input)
        if let when { text += "\n    when: \(when)" }
        return text + "\n"
    }

    static let routeGuests = """
          discovery: https://id.example/.well-known/openid-configuration
          issuer: https://id.example
          audience: [test-client]
          guests: route
        """

    static let onlyDefault = "  - rule: d\n    queue: D\n"

    static let rules: [Rule] = [
        // Trust
        Rule(
            name: "guard input from an attribute", code: "CM2201",
            failing: ["guards": guardWith(input: "1️⃣Flow.Lang")], passing: ["guards": guardWith(input: "Flow.Id")]),
        Rule(
            name: "guard condition reads an attribute", code: "CM2201",
            failing: ["guards": guardWith(input: "Flow.Id", when: "'1️⃣Flow.Lang == \"fr\"'")],
            passing: ["guards": guardWith(input: "Flow.Id", when: "'Flow.Tier == \"gold\"'")]),
        Rule(
            name: "sensitive rule reads an attribute", code: "CM2201",
            failing: [
                "routing":
                    "  - rule: fr\n    when: 1️⃣Flow.Lang == \"fr\"\n    queue: F\n    sensitive: true\n  - rule: d\n    queue: D\n"
            ],
            passing: [
                "routing": "  - rule: fr\n    when: Flow.Lang == \"fr\"\n    queue: F\n  - rule: d\n    queue: D\n"
            ]),
        Rule(
            name: "computed variable built from an attribute feeds a guard", code: "CM2201",
            failing: [
                "variables": SpecFixture.section("variables")
                    + "  Flow.Key: { type: String, expr: 'Flow.Lang + Flow.Id' }\n",
                "guards": guardWith(input: "1️⃣Flow.Key"),
            ],
            passing: [
                "variables": SpecFixture.section("variables")
                    + "  Flow.Key: { type: String, expr: 'Flow.Tier + Flow.Id' }\n",
                "guards": guardWith(input: "Flow.Key"),
            ]),
        Rule(
            name: "IsSet on a collection (NOT_SET applies to scalars; Count(x) > 0 tests a collection)", code: "CM2120",
            failing: [
                "routing":
                    "  - rule: a\n    when: IsSet(1️⃣Flow.Accounts) and Flow.Tier == \"gold\"\n    queue: A\n  - rule: d\n    queue: D\n"
            ],
            passing: [
                "routing":
                    "  - rule: a\n    when: Count(Flow.Accounts) > 0 and Flow.Tier == \"gold\"\n    queue: A\n  - rule: d\n    queue: D\n"
            ]),
        Rule(
            name: "a queue name with a quote cannot be a substitution value", code: "CM1121",
            failing: [
                "routing":
                    "  - rule: a\n    when: Flow.Tier == \"gold\"\n    queue: 1️⃣'Sales \"EU\"'\n  - rule: d\n    queue: D\n"
            ],
            passing: [
                "routing":
                    "  - rule: a\n    when: Flow.Tier == \"gold\"\n    queue: Sales EU\n  - rule: d\n    queue: D\n"
            ]),
        Rule(
            name: "a spec's own placeholder named like a generated Terraform variable", code: "CM1121",
            failing: [
                "routing":
                    "  - rule: a\n    when: Flow.Tier == \"gold\"\n    queue: 1️⃣\"{{allowed_domains}}\"\n  - rule: d\n    queue: D\n"
            ],
            passing: [
                "routing":
                    "  - rule: a\n    when: Flow.Tier == \"gold\"\n    queue: \"{{gold_queue}}\"\n  - rule: d\n    queue: D\n"
            ]),
        Rule(
            name: "a substitution that is not closed", code: "CM1121",
            failing: [
                "routing":
                    "  - rule: a\n    when: Flow.Tier == \"gold\"\n    queue: 1️⃣\"{{gold\"\n  - rule: d\n    queue: D\n"
            ],
            passing: [:]),
        Rule(
            name: "IsNotSetOrEmpty on a collection", code: "CM2120",
            failing: [
                "routing":
                    "  - rule: a\n    when: not IsNotSetOrEmpty(1️⃣Flow.Accounts)\n    queue: A\n  - rule: d\n    queue: D\n"
            ],
            passing: [:]),
        // Definite assignment
        Rule(
            name: "optional claim read without a test", code: "CM2301",
            failing: [
                "variables": "  Flow.Id: { from: sub }\n  Flow.Email: { from: email }\n",
                "routing": "  - rule: e\n    when: 1️⃣Flow.Email == \"a@b\"\n    queue: E\n  - rule: d\n    queue: D\n",
            ],
            passing: [
                "variables": "  Flow.Id: { from: sub }\n  Flow.Email: { from: email }\n",
                "routing":
                    "  - rule: e\n    when: IsSet(Flow.Email) and Flow.Email == \"a@b\"\n    queue: E\n  - rule: d\n    queue: D\n",
            ]),
        Rule(
            name: "narrowing by If", code: "CM2301",
            failing: [
                "variables": "  Flow.Id: { from: sub }\n  Flow.Email: { from: email }\n",
                "routing":
                    "  - rule: e\n    when: If(IsSet(Flow.Id), 1️⃣Flow.Email == \"a\", false)\n    queue: E\n  - rule: d\n    queue: D\n",
            ],
            passing: [
                "variables": "  Flow.Id: { from: sub }\n  Flow.Email: { from: email }\n",
                "routing":
                    "  - rule: e\n    when: If(IsSet(Flow.Email), Flow.Email == \"a\", false)\n    queue: E\n  - rule: d\n    queue: D\n",
            ]),
        Rule(
            name: "narrowing by IsNotSetOrEmpty in `or` and under `not`", code: "CM2301",
            failing: [
                "variables": "  Flow.Id: { from: sub }\n  Flow.Email: { from: email }\n",
                "routing":
                    "  - rule: e\n    when: IsNotSetOrEmpty(Flow.Id) or 1️⃣Flow.Email == \"a\"\n    queue: E\n  - rule: d\n    queue: D\n",
            ],
            passing: [
                "variables": "  Flow.Id: { from: sub }\n  Flow.Email: { from: email }\n",
                "routing":
                    "  - rule: e\n    when: IsNotSetOrEmpty(Flow.Email) or Flow.Email == \"a\"\n    queue: E\n  - rule: f\n    when: not IsNotSetOrEmpty(Flow.Email) and Flow.Email == \"b\"\n    queue: F\n  - rule: d\n    queue: D\n",
            ]),
        Rule(
            name: "enrichment output without a default", code: "CM2301",
            failing: [
                "variables": "  Flow.Id: { from: sub }\n  Flow.Tier: { from: tier, via: Profile }\n",
                "routing": "  - rule: g\n    when: 1️⃣Flow.Tier == \"gold\"\n    queue: G\n  - rule: d\n    queue: D\n",
            ],
            passing: [
                "variables": "  Flow.Id: { from: sub }\n  Flow.Tier: { from: tier, via: Profile, default: bronze }\n",
                "routing": "  - rule: g\n    when: Flow.Tier == \"gold\"\n    queue: G\n  - rule: d\n    queue: D\n",
            ]),
        Rule(
            name: "ghost conversation: token data read before the guest rule", code: "CM2301",
            failing: [
                "identity": routeGuests,
                "routing":
                    "  - rule: mine\n    when: 1️⃣Flow.Id == \"x\"\n    queue: M\n  - rule: guests\n    when: not Message.IsAuthenticated\n    queue: G\n  - rule: d\n    queue: D\n",
            ],
            passing: [
                "identity": routeGuests,
                "routing":
                    "  - rule: guests\n    when: not Message.IsAuthenticated\n    queue: G\n  - rule: mine\n    when: Flow.Id == \"x\"\n    queue: M\n  - rule: d\n    queue: D\n",
            ]),
        Rule(
            name: "guard output read before the action ran", code: "CM2301",
            failing: [
                "variables": SpecFixture.section("variables") + "  Flow.Balance: { type: Decimal }\n",
                "guards": guardWith(input: "Flow.Id")
                    + "    outputs:\n      Flow.Balance: { field: balance, type: Decimal }\n",
                "routing": "  - rule: rich\n    when: 1️⃣Flow.Balance > 1000\n    queue: R\n  - rule: d\n    queue: D\n",
            ],
            passing: [
                "variables": SpecFixture.section("variables") + "  Flow.Balance: { type: Decimal }\n",
                "guards": guardWith(input: "Flow.Id")
                    + "    outputs:\n      Flow.Balance: { field: balance, type: Decimal }\n",
                "routing":
                    "  - rule: rich\n    when: IsSet(Flow.Balance) and Flow.Balance > 1000\n    queue: R\n  - rule: d\n    queue: D\n",
            ]),
        Rule(
            name: "a conversion result may be NOT_SET", code: "CM2302",
            failing: [
                "variables": SpecFixture.section("variables")
                    + "  Flow.N: { type: Boolean, expr: '1️⃣ToInt(Flow.Lang) > 1' }\n"
            ],
            passing: [
                "variables": SpecFixture.section("variables")
                    + "  Flow.N: { type: Integer, expr: 'ToInt(Flow.Lang)' }\n"
            ]),
        // Shape
        Rule(
            name: "rule after the default rule", code: "CM2401",
            failing: [
                "routing": "  - rule: d\n    queue: D\n  - rule: 1️⃣late\n    when: Flow.Tier == \"gold\"\n    queue: L\n"
            ],
            passing: [
                "routing": "  - rule: late\n    when: Flow.Tier == \"gold\"\n    queue: L\n  - rule: d\n    queue: D\n"
            ]),
        Rule(
            name: "missing default rule", code: "CM2402",
            failing: ["routing": "  - rule: 1️⃣g\n    when: Flow.Tier == \"gold\"\n    queue: G\n"],
            passing: ["routing": "  - rule: g\n    queue: G\n"]),
        Rule(
            name: "duplicate rule name", code: "CM2403",
            failing: [
                "routing": "  - rule: g\n    when: Flow.Tier == \"gold\"\n    queue: G\n  - rule: 1️⃣g\n    queue: D\n"
            ],
            passing: [
                "routing": "  - rule: g\n    when: Flow.Tier == \"gold\"\n    queue: G\n  - rule: h\n    queue: D\n"
            ]),
        Rule(
            name: "guest rule when guests are blocked", code: "CM2404",
            failing: [
                "routing":
                    "  - rule: d1\n    when: Flow.Tier == \"gold\"\n    queue: D\n  - rule: guests\n    when: 1️⃣not Message.IsAuthenticated\n    queue: G\n  - rule: d\n    queue: D\n"
            ],
            passing: [
                "routing":
                    "  - rule: guests\n    when: not Message.IsAuthenticated\n    queue: G\n  - rule: d\n    queue: D\n"
            ]),
        Rule(
            name: "unknown variable with a suggestion", code: "CM2002",
            failing: [
                "routing": "  - rule: g\n    when: 1️⃣Flow.Teir == \"gold\"\n    queue: G\n  - rule: d\n    queue: D\n"
            ],
            passing: [:]),
        Rule(
            name: "variable names differing only in case", code: "CM2005",
            failing: [
                "variables": "  Flow.Id: { from: sub }\n  Flow.id2: { from: sub }\n  1️⃣Flow.ID2: { from: sub }\n",
                "routing": onlyDefault,
            ],
            passing: ["variables": "  Flow.Id: { from: sub }\n  Flow.Id2: { from: sub }\n", "routing": onlyDefault]),
        Rule(
            name: "computed variables in a cycle", code: "CM2012",
            failing: [
                "variables":
                    "  Flow.Id: { from: sub }\n  1️⃣Flow.A: { type: Boolean, expr: 'Flow.B' }\n  Flow.B: { type: Boolean, expr: 'Flow.A' }\n"
            ],
            passing: [
                "variables":
                    "  Flow.Id: { from: sub }\n  Flow.A: { type: Boolean, expr: 'Flow.B' }\n  Flow.B: { type: Boolean, expr: 'true' }\n",
                "routing": onlyDefault,
            ]),
        // Fail-open defaults
        Rule(
            name: "a default opens a guard", code: "CM2405",
            failing: [
                "variables": "  Flow.Id: { from: sub }\n  Flow.Tier: { from: tier, via: Profile, default: gold }\n",
                "guards": guardWith(input: "Flow.Id", when: "1️⃣Flow.Tier == \"gold\""),
            ],
            passing: [
                "variables":
                    "  Flow.Id: { from: sub }\n  Flow.Tier: { from: tier, via: Profile, default: gold, failOpen: true }\n",
                "guards": guardWith(input: "Flow.Id", when: "Flow.Tier == \"gold\""),
            ]),
        Rule(
            name: "defaults of a failed enrichment open a sensitive rule together", code: "CM2405",
            failing: [
                "variables":
                    "  Flow.Id: { from: sub }\n  Flow.Tier: { from: tier, via: Profile, default: bronze }\n  Flow.Ltv: { from: ltv, via: Profile, default: 0 }\n",
                "routing":
                    "  - rule: v\n    when: 1️⃣Flow.Tier == \"bronze\" and Flow.Ltv < 1\n    queue: V\n    sensitive: true\n  - rule: d\n    queue: D\n",
            ],
            passing: [
                "variables":
                    "  Flow.Id: { from: sub }\n  Flow.Tier: { from: tier, via: Profile, default: bronze }\n  Flow.Ltv: { from: ltv, via: Profile, default: 0 }\n",
                "routing":
                    "  - rule: v\n    when: Flow.Tier == \"gold\" and Flow.Ltv < 1\n    queue: V\n    sensitive: true\n  - rule: d\n    queue: D\n",
            ]),
        // Lints that are errors
        Rule(
            name: "a symmetric algorithm", code: "CM2501",
            failing: ["identity": SpecFixture.section("identity") + "  algorithms: [RS256, 1️⃣HS256]\n"],
            passing: ["identity": SpecFixture.section("identity") + "  algorithms: [RS256, PS256]\n"]),
        Rule(
            name: "sub not required", code: "CM2503",
            failing: [
                "claims":
                    "  1️⃣sub: { type: string }\n  tier: { type: string }\n  ltv: { type: number }\n  accounts: { type: array, items: { type: string } }\n  email: { type: string }\n"
            ],
            passing: [:]),
    ]

    @Test("failing case reports the code at the marker", arguments: rules)
    func failing(rule: Rule) {
        let (result, source) = SpecFixture.check(rule.failing)
        #expect(
            result.errorCodes.contains(rule.code),
            "\(rule.name): \(result.diagnostics.map { "\($0.code) \($0.message)" })")
        let starts = result.diagnostics.filter { $0.code.rawValue == rule.code }.compactMap(\.range?.start)
        #expect(starts.contains { $0 == source["1️⃣"] }, "\(rule.name): \(starts) vs \(String(describing: source["1️⃣"]))")
    }

    @Test("passing case reports no error", arguments: rules.filter { !$0.passing.isEmpty })
    func passing(rule: Rule) {
        let (result, _) = SpecFixture.check(rule.passing)
        #expect(result.errorCodes.isEmpty, "\(rule.name): \(result.diagnostics.map { "\($0.code) \($0.message)" })")
    }

    @Test("IsSet on a collection says to write Count(x) > 0, naming the variable")
    func collectionTestHelp() {
        let (result, _) = SpecFixture.check([
            "routing": "  - rule: a\n    when: IsSet(Flow.Accounts)\n    queue: A\n  - rule: d\n    queue: D\n"
        ])
        let diagnostic = result.diagnostics.first { $0.code.rawValue == "CM2120" }
        #expect(diagnostic?.help?.contains("`Count(Flow.Accounts) > 0`") == true, "\(String(describing: diagnostic))")
        #expect(diagnostic?.severity == .error)
    }

    @Test("warnings: nonce optional, PII, email as identity, unused claim, secure, unconfirmed function")
    func warnings() {
        let (result, _) = SpecFixture.check([
            "identity": SpecFixture.section("identity") + "  nonce: optional\n",
            "claims": SpecFixture.section("claims") + "  unused: { type: string }\n",
            "variables": SpecFixture.section("variables")
                + "  Flow.Up: { type: String, expr: 'Upper(Flow.Tier)' }\n  Flow.Name: { from: email }\n",
            "participantData": "  contact.email: Flow.Email\n  contact.other: { from: Flow.Email, pii: allow }\n",
            "guards": Self.guardWith(input: "Flow.Email") + "    secure: true\n",
        ])
        #expect(result.errorCodes.isEmpty, "\(result.diagnostics.map(\.message))")
        let warnings = Set(result.diagnostics.filter { $0.severity == .warning }.map(\.code.rawValue))
        #expect(warnings == ["CM2502", "CM2504", "CM2505", "CM2506", "CM2507", "CM2508"])
        #expect(result.diagnostics.filter { $0.code.rawValue == "CM2504" }.count == 1)
    }

    @Test("suggestions for unknown names")
    func suggestions() {
        let (result, _) = SpecFixture.check([
            "variables":
                "  Flow.Id: { from: sub }\n  Flow.T: { from: tierr, via: Profil }\n  Flow.L: { from: attribute lnag }\n",
            "routing": "  - rule: g\n    when: IsSett(Flow.Id)\n    queue: G\n  - rule: default\n    queue: D\n",
            "guards": Self.guardWith(input: "Flow.Id") + "    call: before dfault\n",
        ])
        let helps = result.diagnostics.compactMap(\.help)
        for expected in ["`tier`", "`lang`", "`IsSet`", "`default`"] {
            #expect(helps.contains { $0 == "did you mean \(expected)?" }, "\(expected) in \(helps)")
        }
    }

    @Test("narrowing after the guest rule makes later rules authenticated")
    func guestNarrowing() {
        let (result, _) = SpecFixture.check([
            "identity": Self.routeGuests,
            "routing":
                "  - rule: guests\n    when: not Message.IsAuthenticated\n    queue: G\n  - rule: m\n    when: Flow.Id == \"x\"\n    queue: M\n  - rule: d\n    queue: D\n",
        ])
        #expect(result.errorCodes.isEmpty)
        #expect(result.checked?.identity.guests == .route)
        #expect(result.checked?.routing.first?.isGuestRule == true)
    }
}
