import ClaimMapDiagnostics
import ClaimMapRuntime

/// The double-quoted string literal of the C-family languages the emitters write (Swift, YAML, HCL): `"` and `\`
/// escaped, line feed, carriage return and tab as `\n \r \t`, scalar by scalar (never by Character: CR LF, or a quote
/// followed by a combining mark, is one Character), and every invisible scalar (controls, format characters such as
/// bidirectional overrides) as an escape, so what a reviewer reads is what the tool reads. Each language adds its own
/// escapes through `special`, which sees the scalar and the one before it.
enum QuotedText {
    static func doubleQuoted(
        _ text: String, special: (Unicode.Scalar, _ previous: Unicode.Scalar?) -> String? = { _, _ in nil },
        invisible: (Unicode.Scalar) -> String
    ) -> String {
        var out = "\""
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if let escape = special(scalar, previous) {
                out += escape
            } else {
                switch scalar {
                case "\\": out += "\\\\"
                case "\"": out += "\\\""
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.isInvisible { out += invisible(scalar) } else { out.unicodeScalars.append(scalar) }
                }
            }
            previous = scalar
        }
        return out + "\""
    }

    /// `\uXXXX`, or `\UXXXXXXXX` beyond the Basic Multilingual Plane (YAML and HCL).
    static func uEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let (prefix, width) = scalar.value > 0xFFFF ? ("\\U", 8) : ("\\u", 4)
        return prefix + String(repeating: "0", count: max(0, width - hex.count)) + hex
    }
}
