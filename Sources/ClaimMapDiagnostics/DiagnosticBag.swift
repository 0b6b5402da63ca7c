/// Collects the diagnostics of one stage for one file. Stages append; the driver reads them sorted.
public struct DiagnosticBag: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []
    public let file: String

    public init(file: String = "") {
        self.file = file
    }

    public mutating func append(_ diagnostic: Diagnostic) {
        var diagnostic = diagnostic
        if diagnostic.file.isEmpty { diagnostic.file = file }
        diagnostics.append(diagnostic)
    }

    public mutating func append(contentsOf other: [Diagnostic]) {
        for diagnostic in other { append(diagnostic) }
    }

    public var hasErrors: Bool { diagnostics.contains { $0.isError } }
    public var errorCount: Int { diagnostics.count { $0.isError } }
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }

    /// Diagnostics ordered by file, then location (diagnostics without a location first), then code.
    public var sorted: [Diagnostic] {
        diagnostics.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element, rhs.element)
            if a.file != b.file { return a.file < b.file }
            switch (a.range?.start, b.range?.start) {
            case (nil, nil): break
            case (nil, _): return true
            case (_, nil): return false
            case let (x?, y?): if x != y { return x < y }
            }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}
