import ClaimMapDiagnostics
import ClaimMapTestSupport
import Testing

@testable import ClaimMapSyntax

@Suite("expression parser")
struct ExpressionParserTests {
    /// Parses `when: <marked>` as a YAML value and returns the expression with the marker positions.
    private func parse(_ marked: String) -> (SpecExpression?, [Diagnostic], MarkedSource) {
        let source = MarkedSource("when: \(marked)\n")
        var reader = YAMLReader()
        let result = reader.read(Array(source.text.utf8))
        guard case .mapping(let root)? = result.root, case .scalar(let scalar) = root.entries[0].value else {
            return (nil, result.diagnostics, source)
        }
        let lines = source.text.split(separator: "\n", omittingEmptySubsequences: false).map {
            Array($0.unicodeScalars)
        }
        let (parsed, diagnostics) = ExpressionParser.parse(scalar, lines: lines)
        return (parsed?.expression, diagnostics, source)
    }

    private func render(_ expression: SpecExpression) -> String {
        switch expression.kind {
        case .string(let s): "\"\(s)\""
        case .integer(let s), .decimal(let s): s
        case .boolean(let b): b ? "true" : "false"
        case .name(let n): n
        case .call(let f, _, let args): "\(f)(" + args.map(render).joined(separator: ", ") + ")"
        case .unary(let op, let e): op == .not ? "(not \(render(e)))" : "(-\(render(e)))"
        case .binary(let op, let l, let r): "(\(render(l)) \(op.rawValue) \(render(r)))"
        case .parenthesized(let e): render(e)
        }
    }

    @Test(
        "precedence and associativity",
        arguments: [
            ("a.b or c.d and not e.f", "(a.b or (c.d and (not e.f)))"),
            ("1 + 2 * 3 >= 7 and x.y", "(((1 + (2 * 3)) >= 7) and x.y)"),
            ("'not Message.IsAuthenticated'", "(not Message.IsAuthenticated)"),
            ("'!IsNotSetOrEmpty(Flow.X)'", "(not IsNotSetOrEmpty(Flow.X))"),
            ("'If(IsSet(Flow.X), Flow.X == \"a\", false)'", "If(IsSet(Flow.X), (Flow.X == \"a\"), false)"),
            ("Flow.A OR Flow.B AND Flow.C", "(Flow.A or (Flow.B and Flow.C))"),
            ("-1 - -2", "((-1) - (-2))"),
            ("'\"say \\\"hi\\\"\" == Flow.S'", "(\"say \"hi\"\" == Flow.S)"),
        ])
    func precedence(text: String, expected: String) throws {
        let (expression, diagnostics, _) = parse(text)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        let parsed = try #require(expression)
        #expect(render(parsed) == expected)
    }

    @Test(
        "errors point at the offending token",
        arguments: [
            ("'Flow.A == 1️⃣= 2'", "CM1201"),
            ("'Flow.A 1️⃣= 2'", "CM1201"),
            ("'Flow.A 1️⃣&& Flow.B'", "CM1201"),
            ("'1 < 2 1️⃣< 3'", "CM1202"),
            ("'Flow.A and1️⃣'", "CM1202"),
            ("'1️⃣\"unterminated'", "CM1201"),
            ("\"Flow.A == 1️⃣'x'\"", "CM1201"),
            ("'(Flow.A1️⃣'", "CM1202"),
            ("'Count(Flow.A, 1️⃣)'", "CM1202"),
            ("'Flow.A 1️⃣Flow.B'", "CM1202"),
            ("'1️⃣12abc'", "CM1201"),
        ])
    func errors(text: String, code: String) {
        let (expression, diagnostics, source) = parse(text)
        #expect(expression == nil)
        #expect(diagnostics.map(\.code.rawValue) == [code], "\(diagnostics.map(\.message))")
        #expect(diagnostics.first?.range?.start == source["1️⃣"], "\(diagnostics.map(\.message))")
    }

    @Test("node ranges are column-exact in plain, single-quoted, double-quoted and folded scalars")
    func positions() {
        for text in [
            "Flow.A == 1️⃣Flow.B", "'Flow.A == 1️⃣Flow.B'", "\"Flow.A == 1️⃣Flow.B\"", "\"\\\"x\\\" == 1️⃣Flow.B\"",
            "'\"it''s\" == 1️⃣Flow.B'", ">-\n  Flow.A ==\n  1️⃣Flow.B",
        ] {
            let (expression, diagnostics, source) = parse(text)
            #expect(diagnostics.isEmpty)
            guard case .binary(_, _, let rhs)? = expression?.kind else {
                Issue.record("not a comparison: \(text)")
                continue
            }
            #expect(rhs.range.start == source["1️⃣"], "\(text)")
        }
    }

    @Test("pathological nesting is rejected, not a stack overflow")
    func deepNesting() {
        let (expression, diagnostics, _) = parse(
            "'" + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000) + "'")
        #expect(expression == nil)
        #expect(diagnostics.first?.code.rawValue == "CM1202")
    }
}
