import ClaimMapRuntime
import ClaimMapSyntax

/// A small model of HCL (Terraform's configuration language) and a printer in `terraform fmt` style: two-space
/// indentation, the `=` of consecutive attributes aligned, one blank line between blocks. Every text goes through
/// `HCLValue.quoted`, which escapes for HCL strings, including template sequences: a literal `${` is `$${` and
/// `%{` is `%%{`, so Velocity templates and JSON reach Genesys unchanged (the provider's docs:
/// "Use '$${' to indicate a literal '${' in template strings").
indirect enum HCLValue: Sendable {
    /// An expression written as is: a reference (`var.x`, `genesyscloud_flow.flow.id`) or a function call.
    case expression(String)
    case string(String)
    case bool(Bool)
    case number(String)
    case list([HCLValue])
    /// An object or map; keys are always quoted.
    case object([(String, HCLValue)])
    /// `jsonencode({...})` of a JSON value written as an HCL object.
    case jsonencode(JSONValue)

    static func quoted(_ text: String) -> String {
        QuotedText.doubleQuoted(
            text,
            special: { scalar, previous in
                // `$${` and `%%{`: the `$` or `%` already written, doubled, makes the sequence literal text.
                scalar == "{" && (previous == "$" || previous == "%") ? previous.map { "\($0){" } : nil
            }, invisible: QuotedText.uEscape)
    }

    /// An HCL string template in which each `{{name}}` becomes `${var.name}` and everything else is literal text.
    static func substituted(_ text: String) -> HCLValue {
        guard let parts = SpecScalars.substitutionParts(text) else { return .string(text) }
        var template = ""
        for part in parts {
            switch part {
            case .literal(let literal):
                template += String(quoted(literal).dropFirst().dropLast())
            case .placeholder(let name):
                // A literal `$` or `%` right before the interpolation would make `$${`, an escape: write it as one.
                if let last = template.last, last == "$" || last == "%" {
                    template = template.dropLast() + "${\"\(last)\"}"
                }
                template += "${var.\(name)}"
            }
        }
        return .expression("\"" + template + "\"")
    }

    static func from(_ json: JSONValue) -> HCLValue {
        switch json {
        case .null: .expression("null")
        case .bool(let b): .bool(b)
        case .string(let s): .string(s)
        case .number(let text): .number(text)
        case .array(let items): .list(items.map(from))
        case .object(let members): .object(members.map { ($0.0, from($0.1)) })
        }
    }
}

/// An attribute, a nested block, or a comment line in a block body.
enum HCLItem: Sendable {
    case attribute(String, HCLValue)
    case block(HCLBlock)
    case comment(String)

    /// A nested block: `header { items }`.
    static func nested(_ header: String, _ items: [HCLItem]) -> HCLItem {
        .block(HCLBlock(header: header, items: items))
    }
}

struct HCLBlock: Sendable {
    /// `resource "genesyscloud_flow" "flow"`, `messenger`, ...
    var header: String
    var items: [HCLItem]

    /// `resource "type" "name" { items }`.
    static func resource(_ type: String, _ name: String, _ items: [HCLItem]) -> HCLBlock {
        HCLBlock(header: "resource \(HCLValue.quoted(type)) \(HCLValue.quoted(name))", items: items)
    }

    /// `output "name"`: a value the module gives, with its description.
    static func output(_ name: String, description: String, value: String) -> HCLBlock {
        HCLBlock(
            header: "output \(HCLValue.quoted(name))",
            items: [.attribute("description", .string(description)), .attribute("value", .expression(value))])
    }
}

enum HCLPrinter {
    /// A file: top-level blocks separated by one blank line, after `#` comment lines.
    static func file(_ blocks: [HCLBlock], header: [String]) -> String {
        var out = header.map { "# \($0)\n" }.joined()
        if !header.isEmpty { out += "\n" }
        out += blocks.map { block($0, indent: "") }.joined(separator: "\n")
        return out
    }

    static func block(_ block: HCLBlock, indent: String) -> String {
        "\(indent)\(block.header) {\n" + body(block.items, indent: indent + "  ") + "\(indent)}\n"
    }

    /// A body: runs of attributes have their `=` aligned (a multi-line value ends its run, as `terraform fmt` does);
    /// a nested block is set off by blank lines.
    static func body(_ items: [HCLItem], indent: String) -> String {
        var out = ""
        var run: [(String, String)] = []
        func flush() {
            let width = run.map { $0.0.count }.max() ?? 0
            for (key, value) in run {
                out += indent + key + String(repeating: " ", count: width - key.count) + " = " + value + "\n"
            }
            run = []
        }
        var previousWasBlock = false
        for (index, item) in items.enumerated() {
            switch item {
            case .attribute(let key, let value):
                if previousWasBlock { out += "\n" }
                previousWasBlock = false
                let text = render(value, indent: indent)
                run.append((key, text))
                if text.contains("\n") { flush() }
            case .comment(let text):
                flush()
                if previousWasBlock { out += "\n" }
                previousWasBlock = false
                out += indent + "# " + text + "\n"
            case .block(let nested):
                flush()
                if index > 0 { out += "\n" }
                out += block(nested, indent: indent)
                previousWasBlock = true
            }
        }
        flush()
        return out
    }

    static func render(_ value: HCLValue, indent: String) -> String {
        switch value {
        case .expression(let text): return text
        case .string(let text): return HCLValue.quoted(text)
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .list(let items):
            let rendered = items.map { render($0, indent: indent + "  ") }
            if rendered.allSatisfy({ !$0.contains("\n") }) {
                let line = "[" + rendered.joined(separator: ", ") + "]"
                if line.count + indent.count <= 100 { return line }
            }
            if items.isEmpty { return "[]" }
            return "[\n" + rendered.map { indent + "  " + $0 + ",\n" }.joined() + indent + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            let inner = body(members.map { .attribute(HCLValue.quoted($0.0), $0.1) }, indent: indent + "  ")
            return "{\n" + inner + indent + "}"
        case .jsonencode(let json):
            return "jsonencode(" + render(HCLValue.from(json), indent: indent) + ")"
        }
    }
}
