import ClaimMapDiagnostics
import ClaimMapRuntime

/// Text from a token, a JWKS or a file, made safe to print on a terminal or into a log.
///
/// An unsigned token's header is attacker-chosen: a duplicate member name, an extra parameter, `typ`, `alg` or a
/// refused kid may hold ESC, OSC, CR or a line feed, and printed raw they could clear the line and forge an
/// "accepted" verdict above it (or, in CI, a workflow command). Every invisible scalar (`Unicode.Scalar.isInvisible`:
/// controls, LS/PS, bidirectional and other format characters) is written as `\u{XX}`; everything else is kept.
enum TerminalText {
    static func escaped(_ text: String) -> String { VisibleText.escaped(text) }
}
