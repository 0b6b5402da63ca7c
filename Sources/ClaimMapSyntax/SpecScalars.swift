import Foundation

/// Conversions of scalar text by the schema. YAML 1.1 typing is never used: these are the only rules.
package enum SpecScalars {
    /// `^-?(0|[1-9][0-9]*)$` within `Int` range; no octal, no `_`, no `+`.
    package static func integer(_ text: String) -> Int? {
        guard isIntegerText(text) else { return nil }
        return Int(text)
    }

    package static func isIntegerText(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "-" { scalars = scalars.dropFirst() }
        guard let first = scalars.first, ("0"..."9").contains(first) else { return false }
        if first == "0" && scalars.count > 1 { return false }
        return scalars.allSatisfy { ("0"..."9").contains($0) }
    }

    /// `^-?(0|[1-9][0-9]*)(\.[0-9]+)?$`: a decimal as written, never via floating point.
    package static func isDecimalText(_ text: String) -> Bool {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard isIntegerText(String(parts[0])) else { return false }
        if parts.count == 2 {
            return !parts[1].isEmpty && parts[1].unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
        }
        return true
    }

    /// `90s`, `5m`, `1h`, `7d`: a positive integer and one unit.
    package static func duration(_ text: String) -> DurationValue? {
        guard let last = text.last, let unit = DurationValue.Unit(rawValue: String(last)) else { return nil }
        let digits = String(text.dropLast())
        guard isIntegerText(digits), !digits.hasPrefix("-"), let amount = Int(digits), amount > 0,
            amount <= 1_000_000
        else { return nil }
        return DurationValue(amount: amount, unit: unit)
    }

    /// A text cut at its Archy substitutions: literal runs and the names of `{{name}}` placeholders, in order, or
    /// nil when a `{{` is not closed or a `}}` closes nothing. The one reading of `{{...}}` that the spec parser
    /// checks names with and the emitters substitute with.
    package enum SubstitutionPart: Hashable, Sendable {
        case literal(String)
        case placeholder(String)
    }

    package static func substitutionParts(_ text: String) -> [SubstitutionPart]? {
        var parts: [SubstitutionPart] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { return nil }
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            parts.append(.placeholder(String(rest[open.upperBound..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        if rest.contains("}}") { return nil }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        return parts
    }

    /// The placeholder names of `text`, in order (none when it does not parse).
    package static func placeholders(in text: String) -> [String] {
        (substitutionParts(text) ?? []).compactMap { if case .placeholder(let name) = $0 { name } else { nil } }
    }

    /// Whether `text` matches `^[A-Za-z][A-Za-z0-9_]*$`.
    package static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCIILetter else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
