import ClaimMapRuntime

/// A tiny model of Swift source: lines at indentation levels, printed with four spaces per level.
struct SwiftSource {
    private(set) var lines: [(level: Int, text: String)] = []
    private var level = 0

    mutating func line(_ text: String = "") { lines.append((text.isEmpty ? 0 : level, text)) }

    mutating func block(_ opening: String, closing: String = "}", _ body: (inout SwiftSource) -> Void) {
        line(opening)
        level += 1
        body(&self)
        level -= 1
        line(closing)
    }

    /// Inserts multi-line text at the current level.
    mutating func text(_ source: String) {
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            self.line(String(line))
        }
    }

    func rendered() -> String {
        lines.map { $0.text.isEmpty ? "" : String(repeating: "    ", count: $0.level) + $0.text }.joined(
            separator: "\n") + "\n"
    }

    /// A Swift string literal for any text (escapes, no interpolation); invisible scalars as `\u{…}`.
    static func literal(_ text: String) -> String {
        QuotedText.doubleQuoted(text, invisible: { "\\u{\(String($0.value, radix: 16))}" })
    }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
    static func optional(_ text: String?) -> String { text.map(literal) ?? "nil" }
}
