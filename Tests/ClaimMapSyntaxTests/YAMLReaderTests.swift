import ClaimMapDiagnostics
import ClaimMapTestSupport
import Testing

@testable import ClaimMapSyntax

private func read(_ text: String) -> YAMLReader.Result {
    var reader = YAMLReader()
    return reader.read(Array(text.utf8))
}

private func codes(_ result: YAMLReader.Result) -> [String] { result.diagnostics.map(\.code.rawValue) }

@Suite("YAML reader strictness")
struct YAMLReaderTests {
    @Test(
        "each strictness rule is an error at the right place",
        arguments: [
            ("CM1011", "a: 1\n1️⃣a: 2\n"),
            ("CM1011", "'1': x\n1️⃣1: y\n"),
            ("CM1007", "a: 1️⃣&x 1\nb: 2\n"),
            ("CM1007", "a: &x 1\nb: 1️⃣*x\n"),
            ("CM1009", "base: {a: 1}\nx:\n  1️⃣<<: {b: 2}\n"),
            ("CM1008", "a: 1️⃣!!int 5\n"),
            ("CM1008", "a: 1️⃣!custom x\n"),
            ("CM1008", "1️⃣%YAML 1.2\n---\na: 1\n"),
            ("CM1010", "1️⃣[a, b]: x\n"),
            ("CM1010", "1️⃣{a: 1}: x\n"),
            ("CM1005", "a: 1\n1️⃣---\nb: 2\n"),
            ("CM1014", "a: x1️⃣\u{7}y\n"),
            ("CM1004", "a: [1, 2\n1️⃣"),
            ("CM1015", "key: \"value\"1️⃣# no space\n"),
            ("CM1015", "list: [a, b]1️⃣#x\n"),
            ("CM1016", "foo: \"bar\n1️⃣\tbaz\"\n"),
            ("CM1017", "flow: [a,\n1️⃣b]\n"),
            ("CM1017", "quoted: \"a\n1️⃣b\"\n"),
            ("CM1018", "list: [1️⃣-]\n"),
        ])
    func strictness(code: String, marked: String) {
        let source = MarkedSource(marked)
        let result = read(source.text)
        #expect(codes(result).contains(code), "\(codes(result)) for \(marked)")
        if code != "CM1004" {
            let starts = result.diagnostics.filter { $0.code.rawValue == code }.compactMap(\.range?.start)
            #expect(starts.contains { $0 == source["1️⃣"] }, "\(starts)")
        }
    }

    @Test("legitimate text near the lexical rules is accepted")
    func lexicalRulesAllowValidText() {
        for text in [
            "a: b#c\n", "a: 'it''s # fine'\n", "a: \"x\" # comment\n", "a: [x, y] # c\n",
            "a: |\n  \"q\"#x\n  \tz\nb: 1\n", "flow: [a,\n  b]\n", "expr: 'Flow.X == \"#\"'\n", "a: -1\n",
        ] {
            #expect(!read(text).hasErrors, "\(text)")
        }
    }

    @Test("a byte order mark is rejected")
    func byteOrderMark() {
        var reader = YAMLReader()
        let result = reader.read([0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8))
        #expect(codes(result) == ["CM1003"])
        let utf16 = reader.read([0xFF, 0xFE, 0x61, 0x00])
        #expect(codes(utf16) == ["CM1003"])
    }

    @Test("invalid UTF-8 is rejected with the position of the first bad byte")
    func invalidUTF8() {
        var reader = YAMLReader()
        let result = reader.read(Array("a: 1\nb: x".utf8) + [0xC3, 0x28])
        #expect(codes(result) == ["CM1002"])
        #expect(result.diagnostics.first?.range?.start == SourceLocation(line: 2, column: 5))
    }

    @Test("an empty file is an error")
    func empty() {
        #expect(codes(read("")) == ["CM1006"])
        #expect(codes(read("# only a comment\n")) == ["CM1006"])
    }

    @Test("files over 1 MiB are rejected without parsing")
    func fileLimit() {
        var reader = YAMLReader()
        let atLimit = reader.read(Array(("a: " + String(repeating: "x", count: (1 << 20) - 4) + "\n").utf8))
        #expect(!codes(atLimit).contains("CM1001"))
        let over = reader.read([UInt8](repeating: 0x20, count: (1 << 20) + 1))
        #expect(codes(over) == ["CM1001"])
    }

    @Test("scalars over 64 KiB are rejected")
    func scalarLimit() {
        let at = read("a: " + String(repeating: "x", count: 64 << 10) + "\n")
        #expect(!at.hasErrors)
        let over = read("a: " + String(repeating: "x", count: (64 << 10) + 1) + "\n")
        #expect(codes(over) == ["CM1013"])
    }

    @Test("nesting deeper than 64 levels is rejected; 64 is accepted")
    func depth() {
        func nested(_ depth: Int) -> String {
            var text = ""
            for level in 0..<depth { text += String(repeating: " ", count: level) + "k:\n" }
            return text + String(repeating: " ", count: depth) + "v\n"
        }
        // `depth` mappings plus the leaf scalar.
        #expect(!read(nested(63)).hasErrors)
        #expect(codes(read(nested(64))) == ["CM1012"])
        let flow = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        let deep = read(flow)
        #expect(deep.hasErrors)
        #expect(deep.diagnostics.first?.range != nil)
    }

    @Test("scalars stay text: no YAML 1.1 typing")
    func noImplicitTyping() throws {
        let result = read("a: [no, yes, off, 0755, 1:20, 08, 1e3, .nan, ~, 2001-12-14]\n")
        #expect(!result.hasErrors)
        guard case .mapping(let root)? = result.root, case .sequence(let list) = root.entries[0].value else {
            Issue.record("expected a mapping with a list")
            return
        }
        let texts = list.items.compactMap { item -> String? in
            if case .scalar(let scalar) = item { return scalar.text }
            return nil
        }
        #expect(texts == ["no", "yes", "off", "0755", "1:20", "08", "1e3", ".nan", "~", "2001-12-14"])
    }

    @Test("an alias bomb costs work proportional to its text, not its expansion")
    func aliasBomb() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        var reader = YAMLReader()
        let result = reader.read(Array(text.utf8))
        #expect(result.diagnostics.allSatisfy { $0.code.rawValue == "CM1007" })
        #expect(result.hasErrors)
        // 9^10 nodes if expanded; the walk visits each written node at most once.
        #expect(reader.nodesVisited < 200)
    }

    @Test("the reader visits each node once: work grows linearly with the spec")
    func linearWalk() {
        func visits(_ count: Int) -> Int {
            var text = "variables:\n"
            for index in 0..<count { text += "  Flow.V\(index): { from: sub, default: \"x\" }\n" }
            var reader = YAMLReader()
            let result = reader.read(Array(text.utf8))
            #expect(!result.hasErrors)
            return reader.nodesVisited
        }
        let small = visits(1250)
        let large = visits(5000)
        // Three nodes (the root, the `variables` key and its mapping) are not per-variable.
        #expect(large - 3 == 4 * (small - 3))
    }
}

/// #15: an over- or under-indented key gets help about indentation and the column that would be valid, not the
/// generic "a value that contains `: ` must be quoted".
@Suite("YAML indentation help")
struct YAMLIndentationHelpTests {
    static let spec = """
        claimmap: 1
        identity:
          discovery: https://auth.example/.well-known/openid-configuration
          issuer: https://auth.example/
        routing:
          - rule: named
            when: Flow.Name != ""
            queue: Members
          - rule: default
            queue: General

        """

    static func help(replacing old: String, with new: String) -> String? {
        let text = spec.replacingOccurrences(of: old, with: new)
        let result = read(text)
        #expect(codes(result) == ["CM1004"], "\(result.diagnostics)")
        return result.diagnostics.first?.help
    }

    @Test(
        "each mis-indented line is told its column and the columns that would be valid",
        arguments: [
            (
                "  issuer:", "    issuer:",
                "`issuer` is indented to column 5, deeper than `discovery` on line 3 (column 3), which holds a value and opens no block, so YAML reads this line as more of that value; indent it to column 3 to make it a key beside `discovery`"
            ),
            (
                "  issuer:", " issuer:",
                "`issuer` is indented to column 2, which matches no block above it; indent it to column 3 to stay beside `discovery` (line 3), or to column 1 to stand beside `identity` (line 2)"
            ),
            (
                "    queue: Members", "      queue: Members",
                "`queue` is indented to column 7, deeper than `when` on line 7 (column 5), which holds a value and opens no block, so YAML reads this line as more of that value; indent it to column 5 to make it a key beside `when`"
            ),
            (
                "    queue: Members", "   queue: Members",
                "`queue` is indented to column 4, which matches no block above it; indent it to column 5 to stay beside `when` (line 7), or to column 3 with `- ` to start another item like line 6"
            ),
        ])
    func misindented(old: String, new: String, help: String) {
        #expect(Self.help(replacing: old, with: new) == help)
    }

    @Test("a value holding `: ` at a valid indentation keeps the quoting help")
    func colonInValue() {
        let help = Self.help(replacing: #"when: Flow.Name != """#, with: #"when: Flow.Name == "a: b""#)
        #expect(help?.contains("must be quoted") == true, "\(help ?? "")")
    }
}
