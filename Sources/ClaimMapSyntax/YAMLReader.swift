import ClaimMapDiagnostics
import Foundation
import Yams

/// Reads spec bytes into a `YAMLNode` tree, strictly. The only code in the project that touches Yams.
///
/// - Enforces the limits of docs/language.md, Limits (1 MiB file, UTF-8 without BOM, depth ≤ 64, scalars ≤ 64 KiB).
/// - Uses `Yams.Parser` with `Resolver.basic`, so every scalar stays the text it was written as: no YAML 1.1
///   typing (`no` is the string "no", `0755` is not octal). The spec parser converts by the schema.
/// - Walks `compose`'s node tree exactly once. Anchored nodes are reported and never descended into, so an
///   alias bomb costs O(input), never its expansion.
package struct YAMLReader {
    package struct Limits: Sendable {
        package var maxFileBytes = 1 << 20
        package var maxDepth = 64
        package var maxScalarBytes = 64 << 10
        package init() {}
    }

    package let limits: Limits
    /// Nodes visited by the last `read`; tests use it to prove the walk is linear.
    package private(set) var nodesVisited = 0

    private var diagnostics: [Diagnostic] = []
    private var lines: [[Unicode.Scalar]] = []
    private var seenAnchors = Set<ObjectIdentifier>()

    package init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// The result of reading one file: the tree (nil when the file could not be read at all), the decoded
    /// text (for excerpts) and the diagnostics. A tree is returned even with errors when one was composed.
    package struct Result: Sendable {
        package var root: YAMLNode?
        package var text: String
        package var diagnostics: [Diagnostic]
        package var hasErrors: Bool { diagnostics.contains { $0.isError } }
    }

    package mutating func read(_ bytes: [UInt8]) -> Result {
        diagnostics = []
        nodesVisited = 0
        seenAnchors = []
        guard bytes.count <= limits.maxFileBytes else {
            return Result(
                root: nil, text: "",
                diagnostics: [SyntaxDiagnostics.fileTooLarge(bytes: bytes.count, limit: limits.maxFileBytes)])
        }
        if let bom = Self.byteOrderMark(bytes) {
            return Result(root: nil, text: "", diagnostics: [SyntaxDiagnostics.byteOrderMark(bom)])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return Result(
                root: nil, text: "", diagnostics: [SyntaxDiagnostics.notUTF8(at: Self.firstInvalidUTF8(bytes))])
        }
        lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
        if let problem = firstForbiddenCharacter() {
            return Result(root: nil, text: text, diagnostics: [problem])
        }
        if let directive = firstDirective() {
            return Result(root: nil, text: text, diagnostics: [SyntaxDiagnostics.directive(at: directive)])
        }
        let composed: Node?
        // Yams holds anchors weakly on nodes: keep the parser alive until the walk is done, or every anchor
        // (and so every alias) would read as nil.
        let parser: Parser
        do {
            parser = try Parser(yaml: text, resolver: .basic)
            composed = try parser.singleRoot()
        } catch let error as YamlError {
            return Result(root: nil, text: text, diagnostics: [diagnostic(for: error)])
        } catch {
            return Result(
                root: nil, text: text,
                diagnostics: [
                    SyntaxDiagnostics.yamlSyntax("\(error)", at: SourceLocation(line: 1, column: 1), context: nil)
                ])
        }
        guard let composed else {
            return Result(root: nil, text: text, diagnostics: [SyntaxDiagnostics.emptyDocument()])
        }
        let lexical = LexicalRules.check(lines)
        if !lexical.isEmpty { return Result(root: nil, text: text, diagnostics: lexical) }
        let root = withExtendedLifetime(parser) { convert(composed, depth: 1) }
        return Result(root: root, text: text, diagnostics: diagnostics)
    }

    // MARK: Byte-level checks

    private static func byteOrderMark(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return "UTF-8" }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return "UTF-16" }
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return "UTF-32" }
        return nil
    }

    /// Line and column of the first byte that breaks UTF-8 (columns counted in the valid scalars before it).
    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> SourceLocation {
        var line = 1
        var column = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput, .error:
                return SourceLocation(line: line, column: column)
            }
        }
    }

    /// C0 controls other than TAB, LF and CR, DEL, the C1 range (NEL among them), U+2028 LINE SEPARATOR and U+2029
    /// PARAGRAPH SEPARATOR are rejected before YAML sees them (docs/security.md, attack class Y-12): they are
    /// invisible in review, and NEL, LS and PS act as line breaks in the YAML reader, so a comment could hide a live
    /// key (`# guests blocked<LS>guests: route`).
    private func firstForbiddenCharacter() -> Diagnostic? {
        for (lineIndex, line) in lines.enumerated() {
            for (columnIndex, scalar) in line.enumerated() {
                let value = scalar.value
                let forbidden =
                    (value < 0x20 && value != 0x09 && value != 0x0D) || value == 0x7F || (0x80...0x9F).contains(value)
                    || value == 0xFEFF || value == 0x2028 || value == 0x2029
                if forbidden {
                    return SyntaxDiagnostics.controlCharacter(
                        scalar, at: SourceLocation(line: lineIndex + 1, column: columnIndex + 1))
                }
            }
        }
        return nil
    }

    /// `%YAML` / `%TAG` directive lines, which may only precede the document (before any content).
    private func firstDirective() -> SourceRange? {
        for (index, line) in lines.enumerated() {
            guard let first = line.first else { continue }
            if first == "%" {
                return SourceRange(start: SourceLocation(line: index + 1, column: 1), length: line.count)
            }
            if first == "#" || first == " " || first == "\t" || first == "\r" { continue }
            return nil
        }
        return nil
    }

    // MARK: Yams errors

    private func diagnostic(for error: YamlError) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let location = SourceLocation(line: mark.line, column: mark.column)
            if problem.contains("nesting") || problem.contains("max depth") {
                return SyntaxDiagnostics.tooDeep(limit: limits.maxDepth, at: SourceRange(start: location, length: 1))
            }
            return SyntaxDiagnostics.yamlSyntax(
                problem, at: location, context: context.map(Self.contextText),
                indentation: indentationHelp(line: location.line))
        case .composer(let context, let problem, let mark, _):
            let location = SourceLocation(line: mark.line, column: mark.column)
            if problem.contains("another document") { return SyntaxDiagnostics.multipleDocuments(at: location) }
            if problem.contains("undefined alias") {
                return SyntaxDiagnostics.anchorOrAlias(
                    aliasName(at: location), isAlias: true, at: SourceRange(start: location, length: 1))
            }
            return SyntaxDiagnostics.yamlSyntax(problem, at: location, context: context.map(Self.contextText))
        case .reader(let problem, let offset, _, let yaml):
            return SyntaxDiagnostics.yamlSyntax(
                problem, at: Self.location(ofUTF8Offset: offset ?? 0, in: yaml), context: nil)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let first = SourceLocation(line: context.mark.line, column: context.mark.column)
            let key = duplicates.first ?? ""
            let length = max(1, key.unicodeScalars.count)
            // Yams reports the first occurrence; point at the repeated key, with a note for the first.
            if let second = repeatedKey(key, after: first) {
                return SyntaxDiagnostics.duplicateKey(
                    key, at: SourceRange(start: second, length: length),
                    first: SourceRange(start: first, length: length))
            }
            return SyntaxDiagnostics.duplicateKey(key, at: SourceRange(start: first, length: length), first: nil)
        default:
            return SyntaxDiagnostics.yamlSyntax("\(error)", at: SourceLocation(line: 1, column: 1), context: nil)
        }
    }

    /// Help for a syntax error on a line whose indentation matches no block open above it (an over- or
    /// under-indented key), naming the columns that would be valid; nil when the indentation is not the problem.
    /// The open blocks are read from the lines above: the nearest content line, then each line less indented than
    /// everything after it (its ancestors). A `- ` item opens two columns: its dash and its content.
    func indentationHelp(line number: Int) -> String? {
        guard number >= 2, number <= lines.count else { return nil }
        func indent(_ line: [Unicode.Scalar]) -> Int { line.prefix { $0 == " " }.count }
        func isContent(_ line: [Unicode.Scalar]) -> Bool {
            let rest = line.drop { $0 == " " }
            return !(rest.isEmpty || rest.first == "#" || rest == ["\r"])
        }
        /// The key (or item) a line starts with, for naming it: `issuer`, `- rule`.
        func name(_ line: [Unicode.Scalar]) -> String {
            var text = String(String.UnicodeScalarView(line.drop { $0 == " " }))
            if let colon = text.range(of: ":") { text = String(text[..<colon.lowerBound]) }
            return String(text.prefix(40))
        }
        let offending = lines[number - 1]
        guard isContent(offending) else { return nil }
        let column = indent(offending) + 1
        // (column, line number, is a `- ` dash) of each open block, nearest first.
        var open: [(column: Int, line: Int, dash: Bool)] = []
        var limit = Int.max
        var previous: [Unicode.Scalar]?
        var index = number - 2
        while index >= 0 && limit > 0 {
            let line = lines[index]
            index -= 1
            guard isContent(line), indent(line) < limit else { continue }
            if previous == nil { previous = line }
            var at = indent(line)
            var columns: [(Int, Bool)] = []
            // `- - key:` opens a column per dash and one for the content.
            while line.count > at + 1, line[at] == "-", line[at + 1] == " " {
                columns.append((at + 1, true))
                at += 2
                while at < line.count, line[at] == " " { at += 1 }
            }
            columns.append((at + 1, false))
            for (value, dash) in columns.reversed() { open.append((value, index + 2, dash)) }
            limit = indent(line)
        }
        guard let previous, !open.contains(where: { $0.column == column }) else { return nil }
        let key = name(offending)
        let deepest = open.map(\.column).max() ?? 1
        if column > deepest {
            // Deeper than the line above, which does not open a block: YAML reads the line as more of its value.
            let trimmed = previous.reversed().drop { $0 == " " || $0 == "\r" }
            guard trimmed.first != ":" else { return nil }
            guard let sibling = open.first(where: { !$0.dash }) else { return nil }
            return "`\(key)` is indented to column \(column), deeper than `\(name(lines[sibling.line - 1]))` "
                + "on line \(sibling.line) (column \(sibling.column)), which holds a value and opens no block, so YAML "
                + "reads this line as more of that value; indent it to column \(sibling.column) to make it a key "
                + "beside `\(name(lines[sibling.line - 1]))`"
        }
        let inner = open.filter { $0.column > column }.min { $0.column < $1.column }
        let outer = open.filter { $0.column < column }.max { $0.column < $1.column }
        var choices: [String] = []
        if let inner {
            choices.append(
                inner.dash
                    ? "column \(inner.column) with `- ` to start another item like line \(inner.line)"
                    : "column \(inner.column) to stay beside `\(name(lines[inner.line - 1]))` (line \(inner.line))")
        }
        if let outer {
            choices.append(
                outer.dash
                    ? "column \(outer.column) with `- ` to start another item like line \(outer.line)"
                    : "column \(outer.column) to stand beside `\(name(lines[outer.line - 1]))` (line \(outer.line))")
        }
        return "`\(key)` is indented to column \(column), which matches no block above it; indent it to "
            + choices.joined(separator: ", or to ")
    }

    /// The next block-mapping key equal to `key` at the same column as `first`, in plain or quoted form.
    private func repeatedKey(_ key: String, after first: SourceLocation) -> SourceLocation? {
        let forms = [key, "'\(key)'", "\"\(key)\""].map { Array(($0 + ":").unicodeScalars) }
        let column = first.column - 1
        var lineIndex = first.line
        while lineIndex < lines.count {
            let line = lines[lineIndex]
            let indent = line.prefix { $0 == " " }.count
            if indent < column && !line.allSatisfy({ $0 == " " }) && line.first != "#" { return nil }
            if indent == column {
                let rest = Array(line[column...])
                if forms.contains(where: { rest.starts(with: $0) }) {
                    return SourceLocation(line: lineIndex + 1, column: column + 1)
                }
            }
            lineIndex += 1
        }
        return nil
    }

    private static func contextText(_ context: YamlError.Context) -> String {
        "\(context.text) (line \(context.mark.line), column \(context.mark.column))"
    }

    private static func location(ofUTF8Offset offset: Int, in text: String) -> SourceLocation {
        var line = 1
        var column = 1
        var consumed = 0
        for scalar in text.unicodeScalars {
            if consumed >= offset { break }
            consumed += UTF8.width(scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceLocation(line: line, column: column)
    }

    private func aliasName(at location: SourceLocation) -> String {
        guard location.line >= 1, location.line <= lines.count else { return "" }
        let line = lines[location.line - 1]
        var index = location.column - 1
        if index < line.count, line[index] == "*" { index += 1 }
        var name = String.UnicodeScalarView()
        while index < line.count, !" ,]}\t".unicodeScalars.contains(line[index]) {
            name.append(line[index])
            index += 1
        }
        return String(name)
    }

    // MARK: Tree conversion (one walk)

    private func character(at location: SourceLocation) -> Unicode.Scalar? {
        guard location.line >= 1, location.line <= lines.count else { return nil }
        let line = lines[location.line - 1]
        let index = location.column - 1
        return index >= 0 && index < line.count ? line[index] : nil
    }

    /// Whether the node properties at `location` (anchor and/or tag, in either order) include a tag.
    private func hasExplicitTag(at location: SourceLocation) -> Bool {
        guard location.line >= 1, location.line <= lines.count else { return false }
        let line = lines[location.line - 1]
        var index = location.column - 1
        for _ in 0..<2 {
            guard index >= 0, index < line.count else { return false }
            if line[index] == "!" { return true }
            guard line[index] == "&" else { return false }
            while index < line.count, line[index] != " ", line[index] != "\t" { index += 1 }
            while index < line.count, line[index] == " " || line[index] == "\t" { index += 1 }
        }
        return false
    }

    private static func location(_ mark: Mark?) -> SourceLocation {
        guard let mark else { return SourceLocation(line: 1, column: 1) }
        return SourceLocation(line: mark.line, column: mark.column)
    }

    /// The location of the alias `*name` written on `line` at or after `column`, if any.
    private func aliasLocation(line: Int, from column: Int) -> SourceLocation? {
        guard line >= 1, line <= lines.count else { return nil }
        let scalars = lines[line - 1]
        var index = max(0, column - 1)
        while index < scalars.count {
            if scalars[index] == "*" { return SourceLocation(line: line, column: index + 1) }
            index += 1
        }
        return nil
    }

    private mutating func convert(_ node: Node, depth: Int, useSite: SourceLocation? = nil) -> YAMLNode? {
        nodesVisited += 1
        let start = Self.location(node.mark)
        let pointRange = SourceRange(start: start, length: 1)
        if let anchor = node.anchor {
            // An alias composes to the anchored node itself: the second sighting of the same node is an alias.
            // Anchored nodes are never descended into, so alias bombs cost nothing.
            let identity = ObjectIdentifier(anchor)
            if seenAnchors.insert(identity).inserted {
                diagnostics.append(SyntaxDiagnostics.anchorOrAlias(anchor.rawValue, isAlias: false, at: pointRange))
            } else if let useSite, let alias = aliasLocation(line: useSite.line, from: useSite.column) {
                diagnostics.append(
                    SyntaxDiagnostics.anchorOrAlias(
                        anchor.rawValue, isAlias: true, at: SourceRange(start: alias, length: anchor.rawValue.count + 1)
                    ))
            }
            return nil
        }
        if hasExplicitTag(at: start) {
            diagnostics.append(SyntaxDiagnostics.explicitTag(at: pointRange))
            return nil
        }
        if depth > limits.maxDepth {
            diagnostics.append(SyntaxDiagnostics.tooDeep(limit: limits.maxDepth, at: pointRange))
            return nil
        }
        switch node {
        case .scalar(let scalar):
            return .scalar(convertScalar(scalar, start: start))
        case .alias(let alias):
            diagnostics.append(SyntaxDiagnostics.anchorOrAlias(alias.anchor.rawValue, isAlias: true, at: pointRange))
            return nil
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence {
                if let converted = convert(item, depth: depth + 1) { items.append(converted) }
            }
            return .sequence(YAMLSequence(items: items, start: start))
        case .mapping(let mapping):
            var entries: [(key: YAMLScalar, value: YAMLNode)] = []
            entries.reserveCapacity(mapping.count)
            var firstSeen: [String: SourceRange] = [:]
            for (keyNode, valueNode) in mapping {
                guard let key = convertKey(keyNode, depth: depth) else { continue }
                if key.style == .plain && key.text == "<<" {
                    diagnostics.append(SyntaxDiagnostics.mergeKey(at: key.range))
                    continue
                }
                // Yams already rejects byte-identical keys; also reject keys equal after Unicode normalisation.
                // (ASCII is its own normal form; Foundation's normalisation cost a twentieth of a compile.)
                let normalized =
                    key.text.utf8.allSatisfy { $0 < 0x80 } ? key.text : key.text.precomposedStringWithCanonicalMapping
                if let first = firstSeen[normalized] {
                    diagnostics.append(SyntaxDiagnostics.duplicateKey(key.text, at: key.range, first: first))
                    continue
                }
                firstSeen[normalized] = key.range
                guard let value = convert(valueNode, depth: depth + 1, useSite: key.start) else { continue }
                entries.append((key, value))
            }
            return .mapping(YAMLMapping(entries: entries, start: start))
        }
    }

    private mutating func convertKey(_ node: Node, depth: Int) -> YAMLScalar? {
        nodesVisited += 1
        let start = Self.location(node.mark)
        let pointRange = SourceRange(start: start, length: 1)
        if let anchor = node.anchor {
            if seenAnchors.insert(ObjectIdentifier(anchor)).inserted {
                diagnostics.append(SyntaxDiagnostics.anchorOrAlias(anchor.rawValue, isAlias: false, at: pointRange))
            }
            return nil
        }
        if hasExplicitTag(at: start) {
            diagnostics.append(SyntaxDiagnostics.explicitTag(at: pointRange))
            return nil
        }
        guard case .scalar(let scalar) = node else {
            diagnostics.append(
                SyntaxDiagnostics.nonScalarKey(node.mapping != nil ? "a mapping" : "a list", at: pointRange))
            return nil
        }
        return convertScalar(scalar, start: start)
    }

    private mutating func convertScalar(_ scalar: Node.Scalar, start: SourceLocation) -> YAMLScalar {
        let style: YAMLScalarStyle =
            switch scalar.style {
            case .singleQuoted: .singleQuoted
            case .doubleQuoted: .doubleQuoted
            case .literal: .literal
            case .folded: .folded
            default: .plain
            }
        let converted = YAMLScalar(text: scalar.string, style: style, start: start)
        if style == .plain && scalar.string == "-" {
            // libyaml reads `[-]` as a list holding "-"; YAML forbids it, and a lone dash is never a spec value.
            diagnostics.append(
                SyntaxDiagnostics.error(
                    .loneDash, "a lone `-` is not a value", converted.range,
                    help: "quote it (`\"-\"`) if you mean the text, or start a list item on its own line"))
        }
        let bytes = scalar.string.utf8.count
        if bytes > limits.maxScalarBytes {
            diagnostics.append(
                SyntaxDiagnostics.scalarTooLarge(bytes: bytes, limit: limits.maxScalarBytes, at: converted.range))
            return YAMLScalar(text: "", style: style, start: start)
        }
        return converted
    }
}
