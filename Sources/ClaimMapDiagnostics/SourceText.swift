/// The text of a source file split into lines, for rendering source excerpts under diagnostics.
public struct SourceText: Sendable {
    public let path: String
    public let lines: [Substring]

    public init(path: String, text: String) {
        self.path = path
        var lines: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "\n" || text[index] == "\r\n" {
                lines.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        lines.append(text[start..<text.endIndex])
        self.lines = lines
    }

    /// The 1-based line `number`, without its line break, or nil when out of range.
    public func line(_ number: Int) -> Substring? {
        guard number >= 1, number <= lines.count else { return nil }
        return lines[number - 1]
    }
}
