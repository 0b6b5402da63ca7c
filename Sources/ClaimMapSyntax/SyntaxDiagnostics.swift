import ClaimMapDiagnostics
import ClaimMapRuntime

/// The catalog of the syntax stage: every diagnostic the YAML reader and the spec parser produce is constructed
/// here, so each message is written once. Codes CM1001–CM1099 are about reading YAML, CM11xx about the shape of the
/// spec, CM12xx about expressions.
package enum SyntaxDiagnostics {
    static func error(
        _ code: DiagnosticCode, _ message: String, _ range: SourceRange?, help: String? = nil,
        notes: [DiagnosticNote] = [],
        have: String? = nil, want: String? = nil
    ) -> Diagnostic {
        Diagnostic(
            code: code, message: message, range: range, notes: notes, have: have,
            want: want, help: help)
    }

    // MARK: Reading (CM10xx)

    package static func fileTooLarge(bytes: Int, limit: Int) -> Diagnostic {
        error(
            .fileTooLarge, "spec file is \(bytes) bytes; the limit is \(limit) bytes (1 MiB)", nil,
            help: "split the deployment into several specs or remove unused entries")
    }

    package static func notUTF8(at location: SourceLocation) -> Diagnostic {
        error(
            .notUTF8, "spec file is not valid UTF-8", SourceRange(start: location, length: 1),
            help: "save the file as UTF-8 (without a byte order mark)")
    }

    package static func byteOrderMark(_ kind: String) -> Diagnostic {
        error(
            .byteOrderMark, "spec file starts with a \(kind) byte order mark",
            SourceRange(start: SourceLocation(line: 1, column: 1), length: 1),
            help: "save the file as UTF-8 without a byte order mark")
    }

    /// A YAML syntax error. `indentation`, when the reader found the line out of line with the blocks above it,
    /// replaces the generic help: it names the columns that would be valid.
    package static func yamlSyntax(
        _ problem: String, at location: SourceLocation, context: String?, indentation: String? = nil
    ) -> Diagnostic {
        var help: String?
        if let indentation {
            help = indentation
        } else if problem.contains("tab") {
            help = "indent with spaces only"
        } else if problem.contains("mapping values are not allowed") {
            help = "a value that contains `: ` must be quoted, e.g. `when: 'Flow.X == \"a: b\"'`"
        } else if problem.contains("did not find expected key") || problem.contains("could not find expected ':'") {
            help = "check the indentation of this line and the one before it"
        } else if problem.contains("found character that cannot start any token") {
            help = "quote the value: `@`, `` ` `` and `%` cannot start plain YAML text"
        }
        return error(
            .yamlSyntaxError, "YAML syntax error: \(problem)", SourceRange(start: location, length: 1), help: help,
            notes: context.map { [DiagnosticNote($0)] } ?? [])
    }

    package static func multipleDocuments(at location: SourceLocation) -> Diagnostic {
        error(
            .moreThanOneDocument, "a spec file holds exactly one YAML document",
            SourceRange(start: location, length: 3),
            help: "remove the `---` separator and put each deployment in its own `<name>.mapping.yaml`")
    }

    package static func emptyDocument() -> Diagnostic {
        error(
            .emptyFile, "spec file is empty", SourceRange(start: SourceLocation(line: 1, column: 1), length: 1),
            help: "start with `claimmap: 1`; `claimmap schema` prints the full spec language")
    }

    /// An anchor `&name` or, when `isAlias`, an alias `*name`: a spec may hold neither.
    package static func anchorOrAlias(_ name: String, isAlias: Bool, at range: SourceRange) -> Diagnostic {
        let found = isAlias ? "alias `*\(name)`" : "anchor `&\(name)`"
        return error(
            .anchorOrAlias, "YAML anchors and aliases are not allowed in a spec (found \(found))", range,
            help: "write the value out in full; specs are read strictly so that what you see is what is compiled")
    }

    package static func explicitTag(at range: SourceRange) -> Diagnostic {
        error(
            .explicitTagOrDirective, "explicit YAML tags (`!tag`, `!!type`) are not allowed in a spec", range,
            help: "remove the tag; every value is read as text and converted by the spec language itself")
    }

    package static func directive(at range: SourceRange) -> Diagnostic {
        error(
            .explicitTagOrDirective, "YAML directives (`%YAML`, `%TAG`) are not allowed in a spec", range,
            help: "remove the directive line")
    }

    package static func mergeKey(at range: SourceRange) -> Diagnostic {
        error(
            .mergeKey, "merge keys (`<<`) are not allowed in a spec", range,
            help: "write the merged keys out in full")
    }

    package static func nonScalarKey(_ kind: String, at range: SourceRange) -> Diagnostic {
        error(
            .nonScalarKey, "mapping keys must be plain text, but this key is \(kind)", range,
            help: "use a text key such as `name:`")
    }

    package static func duplicateKey(_ key: String, at range: SourceRange, first: SourceRange?) -> Diagnostic {
        error(
            .duplicateKey, "duplicate key `\(key)`", range,
            help: "each key may appear once in a mapping; remove or rename one of them",
            notes: first.map { [DiagnosticNote("first defined here", at: $0)] } ?? [])
    }

    package static func tooDeep(limit: Int, at range: SourceRange) -> Diagnostic {
        error(
            .nestingTooDeep, "spec nesting is deeper than \(limit) levels", range,
            help: "a spec never needs more than a few levels; check the indentation")
    }

    package static func scalarTooLarge(bytes: Int, limit: Int, at range: SourceRange) -> Diagnostic {
        error(
            .valueTooLarge, "value is \(bytes) bytes; the limit for one value is \(limit) bytes (64 KiB)", range,
            help: "shorten the value")
    }

    package static func controlCharacter(_ scalar: Unicode.Scalar, at location: SourceLocation) -> Diagnostic {
        let code = scalar.codePointName
        let names: [UInt32: String] = [
            0x85: "NEXT LINE (NEL)", 0x2028: "LINE SEPARATOR", 0x2029: "PARAGRAPH SEPARATOR", 0xFEFF: "BYTE ORDER MARK",
        ]
        let what = names[scalar.value].map { "\(code) \($0)" } ?? code
        return error(
            .controlCharacter, "control character \(what) in spec file", SourceRange(start: location, length: 1),
            help: "remove it; specs may contain tabs and line breaks (LF, CRLF) but no other control or line-separator "
                + "characters: YAML would read some of them as a line break the reviewer never sees")
    }
}
