/// The text of a source file split into lines, for rendering source excerpts under diagnostics.
public struct SourceText: Sendable {
    public let path: String
    public let lines: [Substring]

    public init(path: String, text: String) {
        self.path = path
        // Line breaks are LF and CRLF (a lone CR is not one), found on UTF-8 code units: walking `Character`s
        // cost 7 % of checking a large spec, and no diagnostic may even be printed.
        var lines: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var previous: UInt8 = 0
        for index in utf8.indices {
            let byte = utf8[index]
            if byte == 0x0A {
                let end = previous == 0x0D ? utf8.index(before: index) : index
                lines.append(text[start..<end])
                start = utf8.index(after: index)
            }
            previous = byte
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
