/// How bad a diagnostic is. Warnings never fail `check` unless `--strict` promotes them.
public enum Severity: String, Sendable, Hashable, Comparable {
    case error
    case warning
    case note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A secondary message attached to a diagnostic, optionally pointing at another place in the same file.
public struct DiagnosticNote: Hashable, Sendable {
    public var message: String
    public var range: SourceRange?

    public init(_ message: String, at range: SourceRange? = nil) {
        self.message = message
        self.range = range
    }
}

/// One finding of a compiler stage: a value with a stable code, a severity, a message, the primary source range,
/// notes, `have:`/`want:` lines for type mismatches and a `help:` line with the fix.
public struct Diagnostic: Hashable, Sendable {
    public var code: DiagnosticCode
    public var severity: Severity
    public var message: String
    public var file: String
    public var range: SourceRange?
    public var notes: [DiagnosticNote]
    public var have: String?
    public var want: String?
    public var help: String?

    public init(
        code: DiagnosticCode, severity: Severity, message: String, file: String = "", range: SourceRange?,
        notes: [DiagnosticNote] = [], have: String? = nil, want: String? = nil, help: String? = nil
    ) {
        self.code = code
        self.severity = severity
        self.message = message
        self.file = file
        self.range = range
        self.notes = notes
        self.have = have
        self.want = want
        self.help = help
    }

    /// A diagnostic of `code`, with the severity the catalog gives it.
    public init(
        code: DiagnosticCode, message: String, file: String = "", range: SourceRange?, notes: [DiagnosticNote] = [],
        have: String? = nil, want: String? = nil, help: String? = nil
    ) {
        self.init(
            code: code, severity: code.severity, message: message, file: file, range: range, notes: notes, have: have,
            want: want, help: help)
    }

    public var isError: Bool { severity == .error }
}
