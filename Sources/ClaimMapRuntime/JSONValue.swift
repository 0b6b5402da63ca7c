/// A JSON document model with ordered object members, and a deterministic printer. Every JSON file the
/// project writes (diagnostics, schemas, emitted artefacts) goes through this one printer, so output is
/// byte-stable: members in insertion order, two-space indentation, `\n` line breaks, minimal escaping.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number kept as its exact JSON text (integers beyond 2^53 and decimals are never rounded).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func integer(_ value: Int) -> JSONValue { .number(String(value)) }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.number(a), .number(b)): a.isByteEqual(to: b)
        // Text is compared byte for byte (ExactText.swift), never by Unicode canonical equivalence.
        case let (.string(a), .string(b)): a.isByteEqual(to: b)
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.0.isByteEqual(to: $1.0) && $0.1 == $1.1 }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .number(let n): hasher.combine(n)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .object(let members):
            for (key, value) in members {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }

    /// Pretty-printed text with a trailing newline.
    public func rendered() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out, indent: 0, pretty: true)
        out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }

    /// Single-line text without a trailing newline (JSON Lines).
    public func compact() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out, indent: 0, pretty: false)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the compact form to a byte buffer (for streaming output without intermediate strings).
    public func writeCompact(to out: inout [UInt8]) {
        write(to: &out, indent: 0, pretty: false)
    }

    private static func append(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    private func write(to out: inout [UInt8], indent: Int, pretty: Bool) {
        switch self {
        case .null: JSONValue.append("null", to: &out)
        case .bool(let value): value ? JSONValue.append("true", to: &out) : JSONValue.append("false", to: &out)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let text): JSONValue.appendQuoted(text, to: &out)
        case .array(let items):
            if items.isEmpty {
                JSONValue.append("[]", to: &out)
                return
            }
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { JSONValue.newline(&out, indent + 1) }
                item.write(to: &out, indent: indent + 1, pretty: pretty)
            }
            if pretty { JSONValue.newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty {
                JSONValue.append("{}", to: &out)
                return
            }
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { JSONValue.newline(&out, indent + 1) }
                JSONValue.appendQuoted(key, to: &out)
                pretty ? JSONValue.append(": ", to: &out) : out.append(UInt8(ascii: ":"))
                value.write(to: &out, indent: indent + 1, pretty: pretty)
            }
            if pretty { JSONValue.newline(&out, indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(0x0A)
        for _ in 0..<(indent * 2) { out.append(0x20) }
    }

    /// Whether these UTF-8 bytes go into a JSON string literal as they are: no quote, backslash, control character,
    /// DEL, lead byte of a C1 control (0xC2) or of U+2028/U+2029 (0xE2), which `appendQuoted` escapes.
    public static func needsNoEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }
    }

    /// Appends `text` as a JSON string literal (RFC 8259 §7): quotes, backslashes and control characters are
    /// escaped; C1 controls (U+0080–U+009F: a CSI would drive a terminal that shows the line) and U+2028 and
    /// U+2029 (line breaks to JavaScript) too. Runs of bytes that need no escape are copied as they are.
    public static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape at all: one scan, one copy, without copying the string.
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard needsNoEscape(bytes) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain == true {
            out.append(UInt8(ascii: "\""))
            return
        }
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            func flush(_ upTo: Int) {
                if runStart < upTo { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<upTo])) }
            }
            while index < bytes.count {
                let byte = bytes[index]
                var escape: StaticString?
                var width = 1
                switch byte {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x08: escape = "\\b"
                case 0x0C: escape = "\\f"
                case 0xE2
                where index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    escape = bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                case 0xE2
                where index + 2 < bytes.count
                    && ((bytes[index + 1] == 0x80
                        && [0x8E, 0x8F, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE].contains(bytes[index + 2]))
                        || (bytes[index + 1] == 0x81 && (0xA6...0xA9).contains(bytes[index + 2]))):
                    // Bidirectional marks, embeddings, overrides and isolates (U+200E/F, U+202A–E, U+2066–9): shown
                    // as escapes, so a value in messenger.js or a JSON file cannot reorder what a reviewer sees.
                    flush(index)
                    let scalar =
                        (UInt32(bytes[index] & 0x0F) << 12) | (UInt32(bytes[index + 1] & 0x3F) << 6)
                        | UInt32(bytes[index + 2] & 0x3F)
                    out.append(contentsOf: Array("\\u\(String(scalar, radix: 16))".utf8))
                    index += 3
                    runStart = index
                    continue
                default:
                    let c1 = byte == 0xC2 && index + 1 < bytes.count && (0x80...0x9F).contains(bytes[index + 1])
                    if byte < 0x20 || byte == 0x7F || c1 {
                        flush(index)
                        let value = c1 ? bytes[index + 1] : byte
                        let hex = Array("0123456789abcdef".utf8)
                        out.append(contentsOf: Array("\\u00".utf8))
                        out.append(hex[Int(value >> 4)])
                        out.append(hex[Int(value & 0x0F)])
                        index += c1 ? 2 : 1
                        runStart = index
                        continue
                    }
                }
                if let escape {
                    flush(index)
                    escape.withUTF8Buffer { out.append(contentsOf: $0) }
                    index += width
                    runStart = index
                } else {
                    index += 1
                }
            }
            flush(bytes.count)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `text` as a JSON string literal to a `String`.
    public static func appendQuoted(_ text: String, to out: inout String) {
        var bytes: [UInt8] = []
        appendQuoted(text, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    public static func quoted(_ text: String) -> String {
        var out = ""
        appendQuoted(text, to: &out)
        return out
    }
}
