import ClaimMapDiagnostics
import ClaimMapDriver
import ClaimMapTestSupport
import Foundation
import Testing

/// Mistakes a flow designer plausibly makes in the retail example, each with the message they would read.
@Suite("designer mistakes in the retail spec")
struct DesignerMistakeTests {
    static let retail: String = {
        let url = Corpora.repository.appendingPathComponent("Mappings/retail.mapping.yaml")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    struct Mistake: Sendable, CustomStringConvertible {
        var description: String
        var find: String
        var replace: String
        var code: String
        var message: String
        var help: String?
    }

    static let mistakes: [Mistake] = [
        Mistake(
            description: "typo in a routing key", find: "    queue: Retail VIP", replace: "    queu: Retail VIP",
            code: "CM1101", message: "unknown key `queu` in a routing rule", help: "did you mean `queue`?"),
        Mistake(
            description: "guard input from an attribute", find: "      subject: Flow.CustomerId",
            replace: "      subject: Flow.Language", code: "CM2201",
            message:
                "input `subject` of `Get Account Balance` reads `Flow.Language`, which is untrusted: it comes from attribute `preferredLanguage`, which the web page sets"
        ),
        Mistake(
            description: "rule after the default", find: "  - rule: default\n    queue: Retail General",
            replace: "  - rule: default\n    queue: Retail General\n  - rule: late\n    when: Flow.IsVip\n    queue: X",
            code: "CM2401", message: "rule `late` is unreachable: rule `default` before it matches every conversation"),
        Mistake(
            description: "reading an optional claim without a test", find: "    when: Flow.Language == \"fr\"",
            replace: "    when: Flow.Email == \"a@b.example\"", code: "CM2301",
            message: "`Flow.Email` may be NOT_SET here: claim `email` is optional and it has no default"),
        Mistake(
            description: "a number stored in an Integer", find: "type: Decimal, default: 0",
            replace: "type: Integer, default: 0",
            code: "CM2101", message: "claim `ltv` (number) cannot be stored in `Flow.LifetimeValue` of type Integer"),
        Mistake(
            description: "a default that opens the guard", find: "default: bronze", replace: "default: gold",
            code: "CM2405",
            message:
                "the condition of sensitive rule `vip` is true when `Flow.Tier` falls back to its default `gold` (when `Customer Profile` fails or times out)"
        ),
        Mistake(
            description: "YAML 1.1 boolean", find: "    sensitive: true", replace: "    sensitive: yes", code: "CM1106",
            message: "`sensitive` must be `true` or `false`, but it is `yes`"),
        Mistake(
            description: "a claim with no channel", find: "{ from: tier, via: Customer Profile, default: bronze }",
            replace: "{ from: tier, default: bronze }", code: "CM2104",
            message: "claim `tier` has no way into the flow for `Flow.Tier`"),
        Mistake(
            description: "a URL placeholder without an input", find: "/accounts/{accountId}/balance",
            replace: "/accounts/{account}/balance", code: "CM2115",
            message: "URL placeholder `{account}` of `Get Account Balance` is not one of its inputs"),
        Mistake(
            description: "single-quoted string inside an expression", find: "when: Flow.Tier != \"bronze\"",
            replace: "when: Flow.Tier != 'bronze'", code: "CM1201", message: "string literals use double quotes"),
        Mistake(
            description: "a tab for indentation", find: "    priority: 10", replace: "  \tpriority: 10", code: "CM1004",
            message: "YAML syntax error: found a tab character that violates indentation",
            help: "indent with spaces only"),
        Mistake(
            description: "calling a guard before a rule that does not exist", find: "call: before vip",
            replace: "call: before vipp", code: "CM2006", message: "unknown routing rule `vipp`",
            help: "did you mean `vip`?"),
    ]

    @Test("each mistake gets one clear message", arguments: mistakes)
    func mistake(_ mistake: Mistake) {
        #expect(Self.retail.contains(mistake.find), "the retail spec no longer contains \(mistake.find)")
        let text = Self.retail.replacingOccurrences(of: mistake.find, with: mistake.replace)
        let result = SpecFixture.check(text)
        let errors = result.diagnostics.filter(\.isError)
        #expect(errors.map(\.code.rawValue).contains(mistake.code), "\(errors.map(\.message))")
        let diagnostic = errors.first { $0.code.rawValue == mistake.code }
        #expect(diagnostic?.message == mistake.message)
        #expect(diagnostic?.range != nil)
        if let help = mistake.help { #expect(diagnostic?.help == help) }
    }
}
