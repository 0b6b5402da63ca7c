import ClaimMapRuntime

/// Prints diagnostics in the formats `claimmap check --format` offers: the compiler text convention that
/// editors and CI understand, a JSON array, and SARIF 2.1.0.
public enum DiagnosticRenderer {
    /// At most this many diagnostics are printed per run; the rest are summarised in one line.
    public static let maximumShown = 200

    /// `path:line:col: error[CM1101]: message`, the source line, a caret under the range, then
    /// `have:`/`want:`, `note:` and `help:` lines.
    public static func text(_ diagnostics: [Diagnostic], sources: [String: SourceText]) -> String {
        var out = ""
        for diagnostic in diagnostics.prefix(maximumShown) {
            out += text(diagnostic, source: sources[diagnostic.file])
        }
        if diagnostics.count > maximumShown {
            out += "note: \(diagnostics.count - maximumShown) more diagnostics not shown\n"
        }
        return out
    }

    public static func text(_ diagnostic: Diagnostic, source: SourceText?) -> String {
        var out = ""
        var prefix = diagnostic.file
        if let start = diagnostic.range?.start { prefix += ":\(start.line):\(start.column)" }
        out += "\(prefix): \(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]: \(diagnostic.message)\n"
        if let range = diagnostic.range, let source, let line = source.line(range.start.line) {
            out += excerpt(line: line, range: range)
        }
        if let have = diagnostic.have { out += "  have: \(have)\n" }
        if let want = diagnostic.want { out += "  want: \(want)\n" }
        for note in diagnostic.notes {
            if let range = note.range {
                out += "  note: \(note.message) (line \(range.start.line), column \(range.start.column))\n"
            } else {
                out += "  note: \(note.message)\n"
            }
        }
        if let help = diagnostic.help { out += "  help: \(help)\n" }
        return out
    }

    /// At most this many characters of a source line are shown; a longer line (a 5,000-bracket nesting attack, a
    /// minified value) is cut to a window around the range, marked with `…` where it was cut.
    static let excerptWidth = 120

    /// The source line with tabs expanded to one space each, and a caret line under the range.
    static func excerpt(line: Substring, range: SourceRange) -> String {
        let scalars = Array(line.unicodeScalars).map { $0 == "\t" ? " " : $0 }
        let startColumn = min(max(1, range.start.column), scalars.count + 1)
        var width = 1
        if range.end.line == range.start.line {
            width = max(1, min(range.end.column, scalars.count + 1) - startColumn)
        } else {
            width = max(1, scalars.count + 1 - startColumn)
        }
        var windowStart = 0
        var windowEnd = scalars.count
        if scalars.count > excerptWidth {
            windowStart = max(0, min(startColumn - 1 - excerptWidth / 3, scalars.count - excerptWidth))
            windowEnd = windowStart + excerptWidth
        }
        let head = windowStart > 0 ? "…" : ""
        let tail = windowEnd < scalars.count ? "…" : ""
        let shown = head + String(String.UnicodeScalarView(scalars[windowStart..<windowEnd])) + tail
        let caretOffset = startColumn - 1 - windowStart + (head.isEmpty ? 0 : 1)
        width = max(1, min(width, windowEnd + 1 - (startColumn - 1) - 1 + (tail.isEmpty ? 1 : 0)))
        let gutter = String(range.start.line)
        let pad = String(repeating: " ", count: gutter.count)
        var out = " \(gutter) | \(shown)\n"
        out += " \(pad) | " + String(repeating: " ", count: caretOffset) + String(repeating: "^", count: width)
        out += "\n"
        return out
    }

    public static func json(_ diagnostics: [Diagnostic]) -> String {
        JSONValue.array(diagnostics.map(jsonValue)).rendered()
    }

    static func jsonValue(_ diagnostic: Diagnostic) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("file", .string(diagnostic.file)),
            ("code", .string(diagnostic.code.rawValue)),
            ("severity", .string(diagnostic.severity.rawValue)),
            ("message", .string(diagnostic.message)),
        ]
        if let range = diagnostic.range {
            members.append(("line", .integer(range.start.line)))
            members.append(("column", .integer(range.start.column)))
            members.append(("endLine", .integer(range.end.line)))
            members.append(("endColumn", .integer(range.end.column)))
        }
        if let have = diagnostic.have { members.append(("have", .string(have))) }
        if let want = diagnostic.want { members.append(("want", .string(want))) }
        if !diagnostic.notes.isEmpty {
            members.append(("notes", .array(diagnostic.notes.map { .string($0.message) })))
        }
        if let help = diagnostic.help { members.append(("help", .string(help))) }
        return .object(members)
    }

    /// SARIF 2.1.0 (OASIS), one run, one rule per code that occurs.
    public static func sarif(_ diagnostics: [Diagnostic], toolVersion: String) -> String {
        let codes = Set(diagnostics.map(\.code)).sorted()
        let rules: [JSONValue] = codes.map { code in
            .object([
                ("id", .string(code.rawValue)),
                ("helpUri", .string("docs/diagnostics.md#\(code.rawValue.lowercased())")),
            ])
        }
        let results: [JSONValue] = diagnostics.map { diagnostic in
            var message = diagnostic.message
            if let help = diagnostic.help { message += " (help: \(help))" }
            var location: [(String, JSONValue)] = [
                ("artifactLocation", .object([("uri", .string(diagnostic.file))]))
            ]
            if let range = diagnostic.range {
                location.append(
                    (
                        "region",
                        .object([
                            ("startLine", .integer(range.start.line)),
                            ("startColumn", .integer(range.start.column)),
                            ("endLine", .integer(range.end.line)),
                            ("endColumn", .integer(range.end.column)),
                        ])
                    ))
            }
            let level: String =
                switch diagnostic.severity {
                case .error: "error"
                case .warning: "warning"
                case .note: "note"
                }
            return .object([
                ("ruleId", .string(diagnostic.code.rawValue)),
                ("level", .string(level)),
                ("message", .object([("text", .string(message))])),
                ("locations", .array([.object([("physicalLocation", .object(location))])])),
            ])
        }
        let document: JSONValue = .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            (
                "runs",
                .array([
                    .object([
                        (
                            "tool",
                            .object([
                                (
                                    "driver",
                                    .object([
                                        ("name", .string("claimmap")),
                                        ("version", .string(toolVersion)),
                                        ("informationUri", .string("docs/diagnostics.md")),
                                        ("rules", .array(rules)),
                                    ])
                                )
                            ])
                        ),
                        ("results", .array(results)),
                    ])
                ])
            ),
        ])
        return document.rendered()
    }
}
