import ClaimMapRuntime

/// A YAML document model for output: ordered mappings, lists and scalars. Emitters never print YAML text
/// themselves; they build this tree (through typed models such as `ArchyFlow`) and `YAMLRenderer` prints it.
indirect enum YAMLTree: Equatable {
    case map([(String, YAMLTree)])
    case list([YAMLTree])
    /// Text, quoted by the renderer whenever YAML could read it as anything but this exact string.
    case string(String)
    /// An integer or decimal literal, printed as is.
    case number(String)
    case bool(Bool)

    static func == (lhs: YAMLTree, rhs: YAMLTree) -> Bool {
        switch (lhs, rhs) {
        case let (.map(a), .map(b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.list(a), .list(b)): a == b
        case let (.string(a), .string(b)), let (.number(a), .number(b)): a == b
        case let (.bool(a), .bool(b)): a == b
        default: false
        }
    }
}

/// Prints a `YAMLTree` in the block style Archy exports use: two-space indentation, list items as `- key:`.
enum YAMLRenderer {
    static func render(_ tree: YAMLTree, header: [String]) -> String {
        var out = header.map { "# \(CommentText.escaped($0))\n" }.joined()
        write(tree, indent: 0, into: &out)
        return out
    }

    private static func write(_ tree: YAMLTree, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        switch tree {
        case .map(let entries):
            for (key, value) in entries {
                out += pad + mapKey(key, indent: indent) + ":"
                writeValue(value, indent: indent, into: &out)
            }
        case .list(let items):
            for item in items {
                switch item {
                case .map(let entries) where !entries.isEmpty:
                    // `- key: ...` with the map's remaining keys aligned under the first.
                    var first = true
                    for (key, value) in entries {
                        out += (first ? pad + "- " : pad + "  ") + mapKey(key, indent: indent + 2) + ":"
                        writeValue(value, indent: indent + 2, into: &out)
                        first = false
                    }
                default:
                    out += pad + "-"
                    writeValue(item, indent: indent, into: &out)
                }
            }
        default:
            out += pad + scalar(tree) + "\n"
        }
    }

    private static func writeValue(_ value: YAMLTree, indent: Int, into out: inout String) {
        switch value {
        case .map(let entries) where entries.isEmpty: out += " {}\n"
        case .list(let items) where items.isEmpty: out += " []\n"
        case .map:
            out += "\n"
            write(value, indent: indent + 2, into: &out)
        case .list:
            out += "\n"
            write(value, indent: indent + 2, into: &out)
        default:
            out += " " + scalar(value) + "\n"
        }
    }

    private static func scalar(_ tree: YAMLTree) -> String {
        switch tree {
        case .string(let text): quoted(text)
        case .number(let text): text
        case .bool(let value): value ? "true" : "false"
        default: ""
        }
    }

    /// Words YAML 1.1 (which Archy's reader may apply) turns into booleans, nulls or numbers.
    private static let reserved: Set<String> = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ".nan", ".inf", "-.inf", "=", "<<",
    ]

    /// YAML limits an implicit key to 1,024 characters (YAML 1.2 §7.4.2). A longer key is written as an explicit
    /// `? key` entry, whose value follows on its own `:` line at the same indentation.
    static let maxImplicitKeyLength = 1024

    private static func mapKey(_ key: String, indent: Int) -> String {
        let text = quoted(key)
        guard text.unicodeScalars.count > maxImplicitKeyLength else { return text }
        return "? " + text + "\n" + String(repeating: " ", count: indent)
    }

    /// The text as a plain scalar when that is unambiguous, else double-quoted with escapes. `{{substitutions}}`
    /// are always quoted (docs/decisions.md, Names).
    static func quoted(_ text: String) -> String {
        if needsQuotes(text) { return doubleQuoted(text) }
        return text
    }

    private static func needsQuotes(_ text: String) -> Bool {
        // One pass over the UTF-8 bytes (every rule below is about ASCII; any non-ASCII byte quotes the text).
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last else { return true }
        if bytes.count <= 5 && reserved.contains(text.lowercased()) { return true }
        if indicators.contains(first) || first == 0x20 || last == 0x20 || last == UInt8(ascii: ":") { return true }
        // Anything that could read as a number, a date or a time.
        if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || first == UInt8(ascii: ".")
            || first == UInt8(ascii: "+")
        {
            return true
        }
        var previous: UInt8 = 0
        for byte in bytes {
            // Control characters (tab included), DEL and non-ASCII; flow indicators; `{{`, `: ` and ` #`.
            if byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") { return true }
            if previous == UInt8(ascii: "{") && byte == UInt8(ascii: "{") { return true }
            if previous == UInt8(ascii: ":") && byte == 0x20 { return true }
            if previous == 0x20 && byte == UInt8(ascii: "#") { return true }
            previous = byte
        }
        return false
    }

    private static let indicators = Set("-?:,[]{}#&*!|>'\"%@`".utf8)

    static func doubleQuoted(_ text: String) -> String {
        QuotedText.doubleQuoted(
            text,
            special: { scalar, _ in
                switch scalar {
                // NEL, LS and PS are line breaks to a YAML 1.1 reader and would fold into a space on reload
                // (`Retail<NEL>VIP` would name the queue `Retail VIP`): YAML's own escapes keep them exact.
                case "\u{85}": return "\\N"
                case "\u{2028}": return "\\L"
                case "\u{2029}": return "\\P"
                default:
                    guard scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value),
                        !["\n", "\r", "\t"].contains(scalar)
                    else { return nil }
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    return "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                }
            }, invisible: QuotedText.uEscape)
    }
}
