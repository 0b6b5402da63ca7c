import ClaimMapDiagnostics
import ClaimMapRuntime

/// Text copied into a comment of a generated file (the spec's path in every header): YAML `#`, Swift `//` and
/// JavaScript `/* */` comments.
///
/// A comment ends at a line break, and a JavaScript block comment at `*/`, so a spec path such as
/// `x*/alert(1);/*` or one holding a line feed would turn the rest of it into live code or a live YAML key. Every
/// invisible scalar (`Unicode.Scalar.isInvisible`: controls including NEL, line and paragraph separators, format
/// characters such as bidirectional overrides), the backslash (so an escape cannot be forged) and every `/` or `*`
/// that would complete `*/` or `/*` are written as `\u{XXXX}`, so the comment stays one inert line in all three
/// languages and still shows the path recognisably.
enum CommentText {
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            let closesComment = (previous == "*" && scalar == "/") || (previous == "/" && scalar == "*")
            if scalar.isInvisible || scalar == "\\" || closesComment {
                out += scalar.braceEscape
                previous = nil
            } else {
                out.unicodeScalars.append(scalar)
                previous = scalar
            }
        }
        return out
    }
}
