import Testing

@testable import ClaimMapEmitters

@Suite("HCL printing")
struct HCLTests {
    @Test(
        "every text is one valid HCL string on one line: quotes, backslashes, line breaks, templates, invisibles",
        arguments: [
            ("a\r\nb", #""a\r\nb""#),
            ("say \"hi\"\u{301}", #""say \"hi\"́""#),
            ("\\\u{301}", #""\\́""#),
            ("${input.sub}", #""$${input.sub}""#),
            ("%{if x}", #""%%{if x}""#),
            ("$${", #""$$${""#),
            ("cost $", #""cost $""#),
            ("zero\u{200B}width", #""zero\u200Bwidth""#),
            ("tag\u{E0041}", #""tag\U000E0041""#),
            ("bell\u{07}", #""bell\u0007""#),
        ])
    func quoted(text: String, expected: String) {
        let out = HCLValue.quoted(text)
        #expect(out == expected)
        #expect(!out.contains("\n") && !out.contains("\r"))
    }

    @Test("{{placeholders}} become ${var.x}; a literal `$` or `%` just before one stays literal")
    func substituted() {
        func text(_ value: HCLValue) -> String { HCLPrinter.render(value, indent: "") }
        #expect(text(HCLValue.substituted("{{crm_category}}")) == #""${var.crm_category}""#)
        #expect(
            text(HCLValue.substituted("https://{{host}}/a/$esc.uriEncode(\"${input.id}\")"))
                == #""https://${var.host}/a/$esc.uriEncode(\"$${input.id}\")""#)
        #expect(text(HCLValue.substituted("US${{x}}")) == #""US${"$"}${var.x}""#)
        #expect(text(HCLValue.substituted("plain \"name\"")) == #""plain \"name\"""#)
    }

    @Test("attributes are aligned as terraform fmt aligns them; a multi-line value ends the run")
    func alignment() {
        let block = HCLBlock(
            header: "resource \"x\" \"y\"",
            items: [
                .attribute("a", .string("1")), .attribute("long_name", .object([("k", .bool(true))])),
                .attribute("b", .number("2")),
            ])
        #expect(
            HCLPrinter.block(block, indent: "")
                == "resource \"x\" \"y\" {\n  a         = \"1\"\n  long_name = {\n    \"k\" = true\n  }\n  b = 2\n}\n")
    }
}
