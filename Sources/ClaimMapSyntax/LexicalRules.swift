import ClaimMapDiagnostics

/// Project rules checked on the raw lines of a spec that libyaml does not enforce. Each closes a known gap
/// where libyaml accepts text the YAML spec rejects (yaml-test-suite error cases), so a spec never means one
/// thing to claimmap and another to a stricter YAML reader or to the person reading it:
///
/// - CM1015 a comment must be separated from what precedes it by white space (`"value"# x`, `[a]#x`, `>#x`);
/// - CM1016 a tab may not indent a line (outside block scalar content);
/// - CM1017 the continuation lines of a quoted scalar or flow collection that follows a key or `-` must be
///   indented more than that line.
///
/// The scan is linear in the file size and tracks quotes, flow brackets and block scalars across lines.
struct LexicalRules {
    private(set) var diagnostics: [Diagnostic] = []

    private enum Quote { case none, single, double }

    static func check(_ lines: [[Unicode.Scalar]]) -> [Diagnostic] {
        var rules = LexicalRules()
        rules.scan(lines)
        return rules.diagnostics
    }

    private static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

    private mutating func report(_ code: DiagnosticCode, _ message: String, line: Int, column: Int, help: String) {
        diagnostics.append(
            SyntaxDiagnostics.error(
                code, message, SourceRange(start: SourceLocation(line: line + 1, column: column + 1), length: 1),
                help: help))
    }

    private mutating func scan(_ lines: [[Unicode.Scalar]]) {
        var quote = Quote.none
        var flowDepth = 0
        // Indentation of the line that opened the current multi-line quote or flow collection, when that
        // opener followed a key or `-` on its line (nil when it began the line).
        var openerIndent: Int?
        var blockScalarParent: Int?
        for (index, line) in lines.enumerated() {
            let indent = line.prefix(while: Self.isSpace).count
            let blank = indent == line.count || (line.count == indent + 1 && line.last == "\r")
            if let parent = blockScalarParent {
                if blank || line.prefix(while: { $0 == " " }).count > parent { continue }
                blockScalarParent = nil
            }
            if line.prefix(indent).contains("\t") && !blank {
                report(
                    .tabInIndentation, "a tab indents this line", line: index, column: line.firstIndex(of: "\t") ?? 0,
                    help: "indent with spaces only")
            }
            let continuing = quote != .none || flowDepth > 0
            if continuing, !blank, let parentIndent = openerIndent, indent <= parentIndent {
                report(
                    .underIndentedContinuation,
                    "this continuation line must be indented more than the line that opened it",
                    line: index, column: indent, help: "indent the continuation, or write the value on one line")
            }
            if !continuing { openerIndent = nil }
            var previous: Unicode.Scalar? = nil
            var position = 0
            var lastToken: (start: Int, end: Int)?
            while position < line.count {
                let c = line[position]
                defer {
                    previous = line[min(position, line.count - 1)]
                    position += 1
                }
                switch quote {
                case .double:
                    if c == "\\" {
                        position += 1
                    } else if c == "\"" {
                        quote = .none
                    }
                    continue
                case .single:
                    if c == "'" {
                        if position + 1 < line.count, line[position + 1] == "'" {
                            position += 1
                        } else {
                            quote = .none
                        }
                    }
                    continue
                case .none:
                    break
                }
                let atTokenStart = previous.map { Self.isSpace($0) || "[{,:-?".unicodeScalars.contains($0) } ?? true
                if c == "#" {
                    guard let p = previous, !Self.isSpace(p) else { break }
                    if "\"']}".unicodeScalars.contains(p) || (p == "," && flowDepth > 0)
                        || ((p == "|" || p == ">") && lastToken.map { $0.end == position } == true)
                    {
                        report(
                            .commentNotSeparatedByASpace,
                            "a comment must be separated from the value before it by a space", line: index,
                            column: position, help: "write ` #` instead of `#`")
                        break
                    }
                    continue
                }
                if (c == "\"" || c == "'") && atTokenStart {
                    if flowDepth == 0 && position > indent && openerIndent == nil { openerIndent = indent }
                    quote = c == "\"" ? .double : .single
                    continue
                }
                if (c == "[" || c == "{") && (atTokenStart || flowDepth > 0) {
                    if flowDepth == 0 && position > indent && openerIndent == nil { openerIndent = indent }
                    flowDepth += 1
                    continue
                }
                if (c == "]" || c == "}") && flowDepth > 0 {
                    flowDepth -= 1
                    continue
                }
                if (c == "|" || c == ">") && flowDepth == 0 && previous.map(Self.isSpace) == true {
                    var end = position + 1
                    while end < line.count, "0123456789+-".unicodeScalars.contains(line[end]) { end += 1 }
                    lastToken = (position, end)
                }
            }
            if let token = lastToken, quote == .none, flowDepth == 0 {
                let rest = line[token.end...].drop(while: Self.isSpace)
                if rest.isEmpty || rest.first == "#" { blockScalarParent = indent }
            }
        }
    }
}
