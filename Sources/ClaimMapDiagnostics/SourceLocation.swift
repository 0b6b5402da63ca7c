/// A position in a source file: 1-based line and 1-based column, columns counted in Unicode scalars
/// (the convention libyaml uses, so YAML marks and our own positions agree).
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }

    /// The same line, `offset` scalars to the right.
    public func advanced(by offset: Int) -> SourceLocation {
        SourceLocation(line: line, column: column + offset)
    }
}

/// A half-open range `[start, end)` in one source file. A range whose end is on a later line is rendered
/// with a caret under its first line only.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = max(start, end)
    }

    /// A range of `length` scalars starting at `start` (at least one column wide).
    public init(start: SourceLocation, length: Int) {
        self.start = start
        self.end = start.advanced(by: max(1, length))
    }

    public var description: String { "\(start)-\(end)" }
}
