/// Text from a token, a JWKS or a file, made safe to print on a terminal or into a log.
///
/// An unsigned token's header is attacker-chosen: a duplicate member name, an extra parameter, `typ`, `alg` or a
/// refused kid may hold ESC, OSC, CR or a line feed, and printed raw they could clear the line and forge an
/// "accepted" verdict above it. Every control character (C0, DEL, C1), U+2028/U+2029 and the bidirectional
/// overrides and isolates (which reorder what a reviewer sees) is written as `\u{XX}`; everything else is kept.
enum TerminalText {
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
            || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) || value == 0x200E
            || value == 0x200F || value == 0x061C
    }
}
