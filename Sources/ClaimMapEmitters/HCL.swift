import ClaimMapJSON

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
        // Scalar by scalar (never by Character: CR LF, or a quote followed by a combining mark, is one Character).
        var out = "\""
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "{" where previous == "$" || previous == "%":
                // `$${` and `%%{`: the sequence is literal text, not a template.
                if let marker = previous {
                    out.unicodeScalars.insert(marker, at: out.unicodeScalars.index(before: out.unicodeScalars.endIndex))
                }
                out += "{"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.isInvisible {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    let (prefix, width) = scalar.value > 0xFFFF ? ("\\U", 8) : ("\\u", 4)
                    out += prefix + String(repeating: "0", count: max(0, width - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            previous = scalar
        }
        return out + "\""
    }

    /// An HCL string template in which each `{{name}}` becomes `${var.name}` and everything else is literal text.
    static func substituted(_ text: String) -> HCLValue {
        var parts = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            var literal = String(quoted(String(rest[..<open.lowerBound])).dropFirst().dropLast())
            // A literal `$` or `%` right before the interpolation would make `$${`, an escape: write it as one.
            if let last = literal.last, last == "$" || last == "%" { literal = literal.dropLast() + "${\"\(last)\"}" }
            parts += literal
            parts += "${var.\(rest[open.upperBound..<close.lowerBound])}"
            rest = rest[close.upperBound...]
        }
        parts += String(quoted(String(rest)).dropFirst().dropLast())
        return .expression("\"" + parts + "\"")
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
}

struct HCLBlock: Sendable {
    /// `resource "genesyscloud_flow" "flow"`, `messenger`, ...
    var header: String
    var items: [HCLItem]
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
