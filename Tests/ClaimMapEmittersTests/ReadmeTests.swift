import ClaimMapDriver
import ClaimMapSemantics
import ClaimMapTestSupport
import Foundation
import Testing

@testable import ClaimMapEmitters

/// `Generated/<name>/README.md` (#18): what the folder holds, and a Mermaid picture of the routing whose labels no
/// spec text can break out of.
@Suite("the generated folder's README and its routing diagram")
struct ReadmeTests {
    static func readme(_ spec: CheckedSpec) -> String {
        Emitter.files(for: spec).first { $0.path == "README.md" }?.contents ?? ""
    }

    /// The lines of the ```mermaid block.
    static func diagram(_ readme: String) -> [String] {
        guard let start = readme.range(of: "```mermaid\n"),
            let end = readme.range(of: "\n```\n", range: start.upperBound..<readme.endIndex)
        else { return [] }
        return readme[start.upperBound..<end.lowerBound].split(separator: "\n").map(String.init)
    }

    /// Mermaid's reading of a label: `#<decimal>;` is the character with that code; the zero-width space claimmap
    /// puts between a backslash and `n` (which Mermaid would draw as a line break) is not part of the text.
    static func decoded(_ label: String) -> String {
        entities(label).replacingOccurrences(of: "\\\u{200B}n", with: "\\n")
    }

    static func entities(_ label: String) -> String {
        var out = ""
        var rest = Substring(label)
        while let hash = rest.firstIndex(of: "#") {
            out += rest[..<hash]
            let after = rest[rest.index(after: hash)...]
            if let semicolon = after.firstIndex(of: ";"), let code = UInt32(after[..<semicolon]),
                let scalar = Unicode.Scalar(code)
            {
                out.unicodeScalars.append(scalar)
                rest = after[after.index(after: semicolon)...]
            } else {
                out += "#"
                rest = after
            }
        }
        return out + rest
    }

    /// Each node line as (id, decoded label parts); nil for an edge line.
    static func node(_ line: String) -> (id: String, parts: [String])? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.contains(" --> "), !trimmed.contains(" -->|"), let quote = trimmed.firstIndex(of: "\""),
            let last = trimmed.lastIndex(of: "\""), quote < last
        else { return nil }
        let id = String(trimmed[..<quote].prefix { $0.isLetter || $0.isNumber })
        let label = String(trimmed[trimmed.index(after: quote)..<last])
        return (id, label.components(separatedBy: "<br>").map(decoded))
    }

    @Test("every example's README lists each file of its folder and draws its rules in order")
    func examples() throws {
        for name in EmitterFixtures.examples {
            let spec = try EmitterFixtures.example(name)
            let files = Emitter.files(for: spec)
            let readme = Self.readme(spec)
            for file in files { #expect(readme.contains("`\(file.path)`"), "\(name): README.md omits \(file.path)") }
            let nodes = Self.diagram(readme).compactMap(Self.node)
            let rules = nodes.filter { $0.id.hasPrefix("rule") }
            #expect(
                rules.map { $0.parts.first ?? "" }.map { $0.split(separator: " ").dropFirst().first ?? "" }
                    == spec.routing.map { Substring($0.name) }, "\(name)")
            let queues = nodes.filter { $0.id.hasPrefix("queue") }.map { $0.parts.first ?? "" }
            #expect(queues == spec.routing.map { "Queue: \($0.queue)" }, "\(name)")
        }
    }

    @Test("bank: the card block is drawn between its rule and its queue; the balance action before the rules")
    func guardPlacement() throws {
        let lines = Self.diagram(Self.readme(try EmitterFixtures.example("bank")))
        #expect(lines.first == "flowchart TD")
        #expect(lines.contains("  rule2 -->|yes| guard1"))
        #expect(lines.contains("  guard1 --> queue2"))
        #expect(lines.contains("  computed --> guard0"))
        #expect(lines.contains("  guard0 --> participantdata"))
        #expect(lines.contains("  participantdata --> rule0"))
        #expect(lines.contains("  rule0 -->|no| rule1"))
        #expect(lines.contains("  rule3 --> queue3"), "the last rule is unconditional: no yes/no")
        let skills = lines.compactMap(Self.node).first { $0.id == "queue0" }?.parts
        #expect(skills == ["Queue: Private Banking", "priority 20", "skills: Private Banking"])
    }

    static let hostile = [
        #"x"] --> evil["pwned"#,
        "a`b```c",
        "<img src=x onerror=alert(1)>",
        "#quot;#35;&amp;",
        "%%{init: {'securityLevel': 'loose'}}%%",
        "end\nclick rule0 call alert()",
        "é✓👋|[x](javascript:alert(1))",
    ]

    @Test("spec text is escaped: a label decodes to the text and nothing else", arguments: hostile)
    func escaping(_ text: String) throws {
        // Names are restricted by the checker (rules, queues); free text reaches the diagram through string
        // literals in conditions, defaults and computed expressions, and the flow's name reaches the heading.
        let yaml = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        var spec = SpecFixture.text([
            "variables": SpecFixture.section("variables").replacingOccurrences(
                of: "Flow.Email: { from: email, default: \"\" }",
                with: "Flow.Email: { from: email, default: \"\(yaml)\" }")
                + "  Flow.Hostile: { type: Boolean, expr: 'Flow.Email != \"\(yaml.replacingOccurrences(of: "'", with: "''"))\"' }\n",
            "routing": """
              - rule: odd
                when: 'Flow.Email == "\(yaml.replacingOccurrences(of: "'", with: "''"))"' 
                queue: Odd
              - rule: default
                queue: General
            """,
        ])
        // A flow name may hold neither a quote nor a line break (CM2118): the rest of the text goes into it.
        let flowName = text.filter { !"\"\n{}".contains($0) }
        spec = spec.replacingOccurrences(
            of: "  name: Test Flow", with: "  name: '\(flowName.replacingOccurrences(of: "'", with: "''"))'")
        let result = SpecFixture.check(spec)
        let checked = try #require(result.checked, "\(result.diagnostics.map(\.message))")
        let readme = Self.readme(checked)
        let lines = Self.diagram(readme)
        #expect(lines.count > 5)
        for line in lines {
            // One label per node line, whose quotes are the only ones; no backtick, no HTML but <br>, no `%%`.
            #expect(line.filter { $0 == "\"" }.count == (Self.node(line) == nil ? 0 : 2), "\(line)")
            #expect(!line.contains("`") && !line.contains("%%"), "\(line)")
            let label = line.drop { $0 != "\"" }.replacingOccurrences(of: "<br>", with: "")
            #expect(!label.contains("<") && !label.contains(">") && !label.contains("&"), "\(line)")
            #expect(!line.contains("click") || line.contains("\""), "\(line)")
        }
        let nodes = lines.compactMap(Self.node)
        // Conditions are drawn as the flow tests them: the literal the spec holds, in Architect's spelling.
        guard case .binary(_, _, let rhs)? = checked.routing.first?.when?.kind,
            case .literal(.string(let held)) = rhs.kind
        else {
            Issue.record("the rule's condition is not a comparison with a string")
            return
        }
        let literal = ArchitectExpressionWriter.stringLiteral(held)
        #expect(nodes.first { $0.id == "rule0" }?.parts == ["1. odd", "Flow.Email == \(literal)"])
        #expect(
            nodes.first { $0.id == "builtins" }?.parts.last
                == "Flow.Email ← claim email, default \(ArchitectExpressionWriter.stringLiteral(text))")
        #expect(nodes.first { $0.id == "computed" }?.parts.last == "Flow.Hostile = Flow.Email != \(literal)")
        #expect(nodes.map(\.id).allSatisfy { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
        // The fence holds (one opening, one closing), and the heading is the flow's name, escaped.
        #expect(readme.components(separatedBy: "```").count == 3, "\(readme)")
        #expect(readme.hasPrefix("# \(MarkdownText.escaped(flowName))\n"))
    }

    @Test("a backslash before n is kept from becoming a Mermaid line break")
    func backslashN() {
        #expect(MermaidText.escaped(#"a\nb\\n"#) == "a#92;#8203;nb#92;#92;#8203;n")
        #expect(MermaidText.escaped(#"a\tb"#) == "a#92;tb")
        #expect(Self.decoded(MermaidText.escaped(#"say \"hi\"\n"#)) == #"say \"hi\"\n"#)
    }

    @Test("Markdown prose and code spans keep their text exactly")
    func markdown() {
        #expect(
            MarkdownText.escaped("Bank <b>[x](y)</b> *#1* `z` $m$ ~~s~~ | a\nb")
                == ##"Bank \<b\>\[x\](y)\</b\> \*\#1\* \`z\` \$m\$ \~\~s\~\~ \| a b"##)
        #expect(MarkdownText.code("a``b") == "```a``b```")
        #expect(MarkdownText.code("`x") == "`` `x ``")
        #expect(MarkdownText.code("a|b") == #"`a\|b`"#)
        #expect(MarkdownText.code("a|b", inTable: false) == "`a|b`")
    }

    @Test("a diagram over the limit is summarised, not drawn; long lists and conditions are cut")
    func limits() throws {
        let bank = try EmitterFixtures.example("bank")
        let drawn = RoutingDiagram.text(bank).utf8.count
        let readme = ReadmeEmitter.emit(bank, files: ["flow.yaml"], maxDiagramLength: drawn - 1)
        #expect(!readme.contains("```mermaid"))
        #expect(
            readme.contains("The routing has 4 rules and 12 variables: too large for a diagram (\(drawn) characters"))
        #expect(ReadmeEmitter.emit(bank, files: ["flow.yaml"], maxDiagramLength: drawn).contains("```mermaid"))
        var variables = SpecFixture.section("variables")
        for index in 0..<30 { variables += "  Flow.Extra\(index): { from: attribute lang }\n" }
        let long = String(repeating: "g", count: 300)
        let (result, _) = SpecFixture.check([
            "variables": variables,
            "routing":
                "  - rule: long\n    when: Flow.Email == \"\(long)\"\n    queue: Long\n  - rule: default\n    queue: General\n",
        ])
        let spec = try #require(result.checked, "\(result.diagnostics.map(\.message))")
        let nodes = Self.diagram(Self.readme(spec)).compactMap(Self.node)
        let page = try #require(nodes.first { $0.id == "pagevars" })
        #expect(page.parts.count == ReadmeEmitter.maxVariablesPerBox + 1)
        #expect(page.parts.last == "… and 19 more")
        let condition = try #require(nodes.first { $0.id == "rule0" }?.parts.last)
        #expect(condition.unicodeScalars.count == ReadmeEmitter.maxExpressionLength && condition.hasSuffix("…"))
    }
}
