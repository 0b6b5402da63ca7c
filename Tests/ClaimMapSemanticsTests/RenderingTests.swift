import ClaimMapDiagnostics
import ClaimMapDriver
import ClaimMapTestSupport
import Testing

/// The full rendered text of representative errors: what a designer reads in a terminal or CI log.
@Suite("rendered diagnostics")
struct RenderingTests {
    private func render(_ text: String) -> String {
        let result = SpecFixture.check(text)
        return DiagnosticRenderer.text(result.diagnostics, sources: [result.path: result.source])
    }

    @Test("source lines break at LF and CRLF only, without the break, as editors number them")
    func sourceLines() {
        let source = SourceText(path: "x", text: "a\nb\r\nc\rd\n\né\u{301}\r\n\r\nlast")
        #expect(source.lines == ["a", "b", "c\rd", "", "é\u{301}", "", "last"])
        #expect(SourceText(path: "x", text: "").lines == [""])
        #expect(SourceText(path: "x", text: "end\n").lines == ["end", ""])
    }

    @Test("a long source line is cut to a window around the error, and the caret still points at it")
    func longLines() throws {
        let deep = render("a: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n")
        #expect(deep.contains(" 1 | a: " + String(repeating: "[", count: 117) + "…\n   |     ^\n"), "\(deep)")
        #expect(deep.split(separator: "\n").allSatisfy { $0.count < 200 })

        let keys = (0..<40).map { "k\($0): \($0)" }.joined(separator: ", ")
        let wide = render("flow: { name: x, division: Home, language: en-us, \(keys) }\n")
        let lines = wide.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for key in ["k0", "k20", "k39"] {
            let index = try #require(lines.firstIndex { $0.hasSuffix("unknown key `\(key)` in `flow`") })
            let (source, caret) = (Array(lines[index + 1]), Array(lines[index + 2]))
            #expect(source.count <= 128 && source.contains("…"))
            let column = try #require(caret.firstIndex(of: "^"))
            #expect(
                String(source[column..<(column + key.count + 1)]) == key + ":",
                "\(lines[index + 1])\n\(lines[index + 2])")
        }
    }

    @Test("an unknown key with a suggestion")
    func unknownKey() {
        let text = SpecFixture.text(["routing": "  - rule: default\n    queu: General\n"])
        #expect(
            render(text) == """
                test.mapping.yaml:29:11: error[CM1102]: rule `default` is missing the required key `queue`
                 29 |   - rule: default
                    |           ^^^^^^^
                  help: add `queue:`
                test.mapping.yaml:30:5: error[CM1101]: unknown key `queu` in a routing rule
                 30 |     queu: General
                    |     ^^^^
                  help: did you mean `queue`?

                """)
    }

    @Test("a type mismatch with have and want")
    func typeMismatch() {
        let text = SpecFixture.text([
            "variables": SpecFixture.section("variables")
                + "  Flow.Ltv2: { from: ltv, via: Profile, type: Integer }\n"
        ])
        #expect(
            render(text) == """
                test.mapping.yaml:28:47: error[CM2101]: claim `ltv` (number) cannot be stored in `Flow.Ltv2` of type Integer
                 28 |   Flow.Ltv2: { from: ltv, via: Profile, type: Integer }
                    |                                               ^^^^^^^
                  have: Integer
                  want: Decimal or String
                  help: a JSON number may have a fraction; storing it in an Integer would narrow it. Use `Decimal`, or declare the claim `type: integer`

                """)
    }

    @Test("an untrusted guard input")
    func untrustedInput() {
        let text = SpecFixture.text([
            "guards":
                "  Lookup:\n    category: CRM\n    url: https://crm.example/x/{id}\n    inputs:\n      id: Flow.Lang\n"
                + "    when: 'Flow.Tier == \"gold\"'\n"
        ])
        #expect(
            render(text) == """
                test.mapping.yaml:39:11: error[CM2201]: input `id` of `Lookup` reads `Flow.Lang`, which is untrusted: it comes from attribute `lang`, which the web page sets
                 39 |       id: Flow.Lang
                    |           ^^^^^^^^^
                  help: feed it from a built-in claim (`sub`, `email`, `name`) or an enrichment keyed on the verified `sub`; the page, and so the user, controls attributes

                """)
    }

    @Test("a maybe-NOT_SET read inside a double-quoted expression points at the exact column")
    func notSetInQuotedExpression() {
        let text = SpecFixture.text([
            "variables":
                "  Flow.Id: { from: sub }\n  Flow.Email: { from: email }\n  Flow.Tier: { from: tier, via: Profile, default: bronze }\n",
            "routing":
                "  - rule: e\n    when: \"Flow.Tier == \\\"gold\\\" and Flow.Email == \\\"x\\\"\"\n    queue: E\n  - rule: default\n    queue: D\n",
        ])
        #expect(
            render(text).contains(
                """
                test.mapping.yaml:27:38: error[CM2301]: `Flow.Email` may be NOT_SET here: claim `email` is optional and it has no default
                 27 |     when: "Flow.Tier == \\"gold\\" and Flow.Email == \\"x\\""
                    |                                      ^^^^^^^^^^
                """))
    }
}
