/// Text copied into a comment of a generated file (the spec's path in every header): YAML `#`, Swift `//` and
/// JavaScript `/* */` comments.
///
/// A comment ends at a line break, and a JavaScript block comment at `*/`, so a spec path such as
/// `x*/alert(1);/*` or one holding a line feed would turn the rest of it into live code or a live YAML key. Every
/// character that is not printable — controls (C0, DEL, C1 including NEL), line and paragraph separators, format
/// characters such as bidirectional overrides — is written as `\u{XXXX}`, and `*/` / `/*` have their slash escaped, so
/// the comment stays one inert line in all three languages and still shows the path recognisably.
enum CommentText {
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            let category = scalar.properties.generalCategory
            let inert: Bool
            switch category {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                inert = false
            default:
                inert = true
            }
            if !inert || scalar == "\\" {
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                previous = nil
                continue
            }
            if (previous == "*" && scalar == "/") || (previous == "/" && scalar == "*") {
                // `*/` → `*\u{2F}`, `/*` → `/\u{2A}`.
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                previous = nil
                continue
            }
            out.unicodeScalars.append(scalar)
            previous = scalar
        }
        return out
    }
}
