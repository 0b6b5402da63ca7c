import ClaimMapDiagnostics

/// Source text with position markers (`1️⃣`, `2️⃣`, ...) removed, and where each marker stood.
/// Columns are counted in Unicode scalars, like the compiler's.
public struct MarkedSource {
    public static let markers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

    public var text: String
    public var locations: [String: SourceLocation] = [:]

    public init(_ marked: String) {
        var lines: [String] = []
        for (lineIndex, rawLine) in marked.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(rawLine)
            while let (marker, range) = Self.markers.lazy.compactMap({ m in line.range(of: m).map { (m, $0) } }).first {
                let column = line[line.startIndex..<range.lowerBound].unicodeScalars.count + 1
                locations[marker] = SourceLocation(line: lineIndex + 1, column: column)
                line.removeSubrange(range)
            }
            lines.append(line)
        }
        text = lines.joined(separator: "\n")
    }

    public subscript(_ marker: String) -> SourceLocation? { locations[marker] }
}
