import ClaimMapDiagnostics
import ClaimMapDriver
import ClaimMapTestSupport
import Testing

/// #15 item 5: what a designer cannot see in a list of rules and guards. Variables of the base fixture:
/// Flow.Tier (String, enum bronze/silver/gold, default bronze), Flow.Ltv (Decimal, default 0), Flow.Lang
/// (attribute, default en), Flow.Id (String from sub, no default).
@Suite("never-true and always-true conditions, guards without a condition, backtracking patterns")
struct RuleConditionTests {
    static func routing(_ rules: [(String, String?)]) -> [String: String] {
        var text = ""
        for (name, when) in rules {
            text += "  - rule: \(name)\n"
            if let when { text += "    when: '\(when)'\n" }
            text += "    queue: Q \(name)\n"
        }
        return ["routing": text + "  - rule: d\n    queue: D\n"]
    }

    static func findings(_ rules: [(String, String?)], extra: [String: String] = [:]) -> [(String, Severity, String)] {
        let (result, _) = SpecFixture.check(routing(rules).merging(extra) { $1 })
        return result.diagnostics.filter { ["CM2406", "CM2407"].contains($0.code.rawValue) }.map {
            ($0.code.rawValue, $0.severity, $0.message)
        }
    }

    @Test(
        "a condition that can never hold is an error",
        arguments: [
            #"Flow.Tier == "gold" and Flow.Tier == "silver""#,
            #"Flow.Tier == "gold" and not (Flow.Tier == "gold")"#,
            #"Flow.Tier == "gold" and Flow.Tier != "gold""#,
            "Flow.Ltv > 100 and Flow.Ltv < 50",
            "Flow.Ltv > 100 and Flow.Ltv <= 100",
            #"IsSet(Flow.Id) and not IsSet(Flow.Id)"#,
            #"Flow.Lang == "fr" and IsNotSetOrEmpty(Flow.Lang)"#,
        ])
    func neverTrue(condition: String) {
        let found = Self.findings([("x", condition)])
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.0 == "CM2406" && found.first?.1 == .error, "\(found)")
        #expect(found.first?.2.contains("is never true") == true, "\(found)")
    }

    @Test(
        "a condition that can hold is not reported",
        arguments: [
            #"Flow.Tier == "gold" or Flow.Tier == "silver""#,
            "Flow.Ltv > 100 and Flow.Ltv < 101",
            "Flow.Ltv >= 100 and Flow.Ltv <= 100",
            #"IsSet(Flow.Id) and Flow.Id == "u-1""#,
            #"Flow.Tier == "gold" and Flow.Lang == "fr""#,
            // Outside what the analysis covers (a function it does not model): no verdict, no report.
            #"Lower(Flow.Tier) == "gold" and Flow.Tier != "gold""#,
        ])
    func satisfiable(condition: String) {
        #expect(Self.findings([("x", condition)]).isEmpty)
    }

    @Test("between two integers with no whole number between them, a condition never holds; a Decimal can")
    func integersHaveGaps() {
        let integer = [
            "claims": SpecFixture.section("claims") + "  level: { type: integer }\n",
            "enrichment": SpecFixture.section("enrichment").replacingOccurrences(
                of: "returns: [tier, ltv, accounts]", with: "returns: [tier, ltv, accounts, level]"),
            "variables": SpecFixture.section("variables") + "  Flow.Level: { from: level, via: Profile, default: 0 }\n",
        ]
        let found = Self.findings([("x", "Flow.Level > 4 and Flow.Level < 5")], extra: integer)
        #expect(found.map(\.0) == ["CM2406"], "\(found)")
        #expect(Self.findings([("x", "Flow.Ltv > 4 and Flow.Ltv < 5")]).isEmpty)
    }

    @Test("a rule whose conversations the rules before it all take never routes: an error naming that")
    func shadowed() {
        let found = Self.findings([
            ("gold", #"Flow.Tier == "gold""#), ("again", #"Flow.Tier == "gold" and Flow.Ltv > 5"#),
        ])
        #expect(found.map(\.0) == ["CM2406"], "\(found)")
        #expect(found.first?.2.contains("a rule before it has already matched") == true, "\(found)")
    }

    @Test("a condition always true before the last rule is a warning that names the dead rules")
    func alwaysTrue() {
        let alone = Self.findings([("x", #"Flow.Tier == "gold" or Flow.Tier != "gold""#), ("y", #"Flow.Lang == "fr""#)])
        #expect(alone.map(\.0) == ["CM2407"], "\(alone)")
        #expect(alone.first?.1 == .warning)
        #expect(alone.first?.2.contains("rules `y`, `d` after it are never reached") == true, "\(alone)")
        // True once `gold` has not matched: the rest of the enum.
        let context = Self.findings([
            ("gold", #"Flow.Tier == "gold""#), ("rest", #"Flow.Tier != "gold""#), ("fr", #"Flow.Lang == "fr""#),
        ])
        #expect(context.map(\.0) == ["CM2407"], "\(context)")
        #expect(context.first?.2.contains("always true once the rules before it have not matched") == true)
        // A variable without a default may be NOT_SET, and `x != "a"` is then not true: no warning.
        #expect(Self.findings([("x", #"Flow.Id != "a" or Flow.Id == "a""#)]).isEmpty)
    }

    @Test("the example specs have no never-true or always-true rule")
    func examples() throws {
        for name in ["retail", "bank", "minimal"] {
            let path = Corpora.repository.appendingPathComponent("Mappings/\(name).mapping.yaml").path
            let result = try Driver().check(path: path)
            #expect(!result.codes.contains("CM2406") && !result.codes.contains("CM2407"), "\(name)")
        }
    }

    @Test("a guard without `when` gets a note that it guards only authentication; with `when` it does not")
    func guardWithoutWhen() {
        let without = SpecFixture.check(["guards": CheckerRuleTests.guardWith(input: "Flow.Id")]).0
        let note = without.diagnostic("CM2408")
        #expect(note?.severity == .note)
        #expect(note?.message.contains("has no `when`") == true, "\(String(describing: note))")
        #expect(without.errorCodes.isEmpty)
        let with = SpecFixture.check([
            "guards": CheckerRuleTests.guardWith(input: "Flow.Id", when: #"'Flow.Tier == "gold"'"#)
        ]).0
        #expect(with.diagnostic("CM2408") == nil)
    }

    @Test(
        "a pattern with a repeated group that itself repeats without bound is a warning, on an attribute and a claim; bounded or unnested repetition is not",
        arguments: [
            ("^(a+)+$", true), ("^([a-z]*)*@", true), ("^(\\w+\\s?)*$", true), ("^(?:x|y+){2,}$", true),
            ("^[a-z]+$", false), ("^(ab)+$", false), ("^(a{1,3}){1,3}$", false), ("^(a+)?$", false),
        ])
    func backtracking(pattern: String, hazard: Bool) {
        for overrides in [
            [
                "attributes":
                    "  lang: { type: string, enum: [en, fr] }\n  note: { type: string, pattern: '\(pattern)' }\n"
            ],
            ["claims": SpecFixture.section("claims") + "  code: { type: string, pattern: '\(pattern)' }\n"],
        ] {
            let (result, _) = SpecFixture.check(overrides)
            // The pattern itself is valid ECMA-262: no CM1111, so a missing warning is the check's answer.
            #expect(!result.codes.contains("CM1111"), "\(pattern): \(result.diagnostics.map(\.message))")
            #expect(
                (result.diagnostic("CM2510")?.severity == .warning) == hazard,
                "\(pattern): \(result.diagnostics.map(\.message))")
        }
    }
}
