import ClaimMapDiagnostics

/// Catalog of the spec-shape diagnostics (CM11xx): the YAML is well formed, but not a valid spec.
package enum SpecDiagnostics {
    private static func error(
        _ code: DiagnosticCode, _ message: String, _ range: SourceRange?, help: String? = nil, have: String? = nil,
        want: String? = nil, notes: [DiagnosticNote] = []
    ) -> Diagnostic {
        SyntaxDiagnostics.error(code, message, range, help: help, notes: notes, have: have, want: want)
    }

    package static func unknownKey(_ key: YAMLScalar, context: String, allowed: [String]) -> Diagnostic {
        var help = Suggestion.help(for: key.text, in: allowed)
        if help == nil {
            help = "allowed keys in \(context) are: " + allowed.map { "`\($0)`" }.joined(separator: ", ")
        }
        return error(.unknownKey, "unknown key `\(key.text)` in \(context)", key.range, help: help)
    }

    package static func missingKey(_ key: String, context: String, at range: SourceRange) -> Diagnostic {
        error(
            .missingRequiredKeyOrSection, "\(context) is missing the required key `\(key)`", range,
            help: "add `\(key):`")
    }

    package static func wrongNode(key: String, expected: String, found: YAMLNode) -> Diagnostic {
        error(
            .wrongKindOfValue, "`\(key)` must be \(expected), but it is \(found.kindDescription)", found.range,
            have: found.kindDescription, want: expected)
    }

    package static func wrongNode(context: String, expected: String, found: YAMLNode) -> Diagnostic {
        error(
            .wrongKindOfValue, "\(context) must be \(expected), but it is \(found.kindDescription)", found.range,
            have: found.kindDescription, want: expected)
    }

    package static func notOneOf(key: String, scalar: YAMLScalar, allowed: [String]) -> Diagnostic {
        let help =
            Suggestion.help(for: scalar.text, in: allowed)
            ?? ("use one of " + allowed.map { "`\($0)`" }.joined(separator: ", "))
        return error(
            .notOneOfTheAllowedValues, "`\(scalar.text)` is not a valid value for `\(key)`", scalar.range, help: help)
    }

    package static func notInteger(key: String, scalar: YAMLScalar, minimum: Int) -> Diagnostic {
        error(
            .notAWholeNumber, "`\(key)` must be a whole number of at least \(minimum), but it is `\(scalar.text)`",
            scalar.range, help: "write digits only, e.g. `\(key): \(max(minimum, 10))`")
    }

    package static func notBoolean(key: String, scalar: YAMLScalar) -> Diagnostic {
        var help = "write `true` or `false`"
        if ["yes", "no", "on", "off", "y", "n", "True", "False", "TRUE", "FALSE"].contains(scalar.text) {
            help += "; specs do not read YAML 1.1 spellings such as `yes`/`no`"
        }
        return error(
            .notABoolean, "`\(key)` must be `true` or `false`, but it is `\(scalar.text)`", scalar.range, help: help)
    }

    package static func badDuration(key: String, scalar: YAMLScalar) -> Diagnostic {
        let digits = scalar.text.dropLast()
        let unit = scalar.text.last.map { "smhd".contains($0) } ?? false
        if unit, !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }) {
            let zero = digits.allSatisfy { $0 == "0" }
            return error(
                .notADuration, "`\(key)` must be \(zero ? "positive" : "at most 1000000 units"): `\(scalar.text)`",
                scalar.range,
                help: zero
                    ? "a duration of zero never holds; write at least `1s`, or remove `\(key)`"
                    : "write a smaller amount, e.g. `90s`, `5m`, `1h`, `7d`")
        }
        return error(
            .notADuration, "`\(scalar.text)` is not a duration", scalar.range,
            help: "write a whole number followed by `s`, `m`, `h` or `d`, e.g. `90s`, `5m`, `1h`, `7d`")
    }

    package static func badName(_ what: String, _ name: Located<String>, rule: String) -> Diagnostic {
        error(.invalidName, "`\(name.value)` is not a valid \(what) name", name.range, help: rule)
    }

    package static func unsupportedVersion(_ scalar: YAMLScalar) -> Diagnostic {
        error(
            .unsupportedVersion, "unsupported spec language version `\(scalar.text)`", scalar.range,
            help: "this claimmap reads version 1: write `claimmap: 1`")
    }

    package static func badURL(key: String, _ url: Located<String>, reason: String) -> Diagnostic {
        error(
            .invalidURL, "`\(key)` is not a valid URL: \(reason)", url.range, help: "write an absolute `https://` URL")
    }

    package static func badField(_ field: Located<String>) -> Diagnostic {
        error(
            .outputFieldIsNotAResponseMemberName, "output field `\(field.value)` is not a response member name",
            field.range,
            help: "name a top-level member of the JSON response: letters, digits and `_`, starting with a letter or "
                + "`_`, at most 128 characters (the data action reads it as `$.name` and `${name}`)")
    }

    package static func badSubstitutedName(key: String, _ value: Located<String>, reason: String) -> Diagnostic {
        error(
            .nameThatCannotBeAnArchySubstitutionValue, "`\(key)` cannot become an Archy substitution value: \(reason)",
            value.range,
            help: "Genesys names it by this text in flow.yaml's {{placeholders}}, archy-options.yaml and Terraform; "
                + "rename it in Genesys Cloud, or write your own `{{name}}` and give its value at publish")
    }

    package static func badPattern(_ pattern: Located<String>, reason: String) -> Diagnostic {
        error(
            .invalidPattern, "`pattern` is not a valid regular expression: \(reason)", pattern.range,
            help: "write an ECMA-262 / JSON Schema pattern, e.g. `^[0-9]{10}$`")
    }

    package static func backtrackingPattern(_ pattern: Located<String>, hazard: String) -> Diagnostic {
        Diagnostic(
            code: .patternThatBacktracksCatastrophically,
            message:
                "`pattern` can backtrack catastrophically: \(hazard); a long value that almost matches takes exponential time in the page's JavaScript",
            range: pattern.range,
            help:
                "repeat a simple class instead of a repeated group (`^[a-z ]*$` rather than `^([a-z]+ ?)*$`), or bound the inner repetition (`{1,32}`)"
        )
    }

    package static func notNumber(key: String, scalar: YAMLScalar) -> Diagnostic {
        error(
            .notANumber, "`\(key)` must be a number, but it is `\(scalar.text)`", scalar.range,
            help: "write a decimal number such as `0` or `99.5`")
    }

    package static func emptyValue(key: String, at range: SourceRange) -> Diagnostic {
        error(.emptyValueOrList, "`\(key)` must not be empty", range)
    }

    package static func emptyList(key: String, at range: SourceRange) -> Diagnostic {
        error(.emptyValueOrList, "`\(key)` must list at least one value", range)
    }

    package static func conflictingKeys(_ first: String, _ second: String, at range: SourceRange, help: String)
        -> Diagnostic
    {
        error(.conflictingKeys, "`\(first)` and `\(second)` cannot be used together", range, help: help)
    }

    package static func participantKeyTooLong(_ key: Located<String>) -> Diagnostic {
        error(
            .participantDataKeyTooLong, "participant data key is \(key.value.count) characters; the limit is 255",
            key.range,
            help: "use a shorter key")
    }

    package static func badCall(_ scalar: YAMLScalar) -> Diagnostic {
        error(
            .invalidCallPoint, "`call: \(scalar.text)` is not a call point", scalar.range,
            help: "write `call: start` (after the variables are set) or `call: before <rule>`")
    }

    package static func badFrom(_ scalar: YAMLScalar) -> Diagnostic {
        error(
            .invalidFrom, "`from: \(scalar.text)` is not a claim or attribute reference", scalar.range,
            help: "write `from: <claim>` or `from: attribute <name>`")
    }

    package static func badPick(_ scalar: YAMLScalar) -> Diagnostic {
        error(
            .notOneOfTheAllowedValues, "`pick: \(scalar.text)` is not supported", scalar.range,
            help: "version 1 supports `pick: first`")
    }

    package static func missingSection(_ key: String, at range: SourceRange) -> Diagnostic {
        error(
            .missingRequiredKeyOrSection, "the spec is missing the required section `\(key)`", range,
            help: "add a `\(key):` section")
    }

    package static func badSpecName(_ name: String, path: String) -> Diagnostic {
        Diagnostic(
            code: .specFileName,
            message:
                "spec file name `\(name)` must be `<name>.mapping.yaml` with a name of lowercase letters, digits and `-`",
            file: path, range: nil, help: "rename the file, e.g. `retail-web.mapping.yaml`")
    }
}
