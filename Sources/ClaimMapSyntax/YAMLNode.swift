import ClaimMapDiagnostics

/// How a scalar was written; decides how positions inside it map back to the source.
package enum YAMLScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A scalar leaf with its text exactly as YAML produced it (never typed by YAML 1.1 rules) and its position.
package struct YAMLScalar: Sendable, Hashable {
    package var text: String
    package var style: YAMLScalarStyle
    /// Where the scalar starts in the source (the opening quote for quoted scalars).
    package var start: SourceLocation

    package init(text: String, style: YAMLScalarStyle, start: SourceLocation) {
        self.text = text
        self.style = style
        self.start = start
    }

    /// The range the scalar occupies on its first line (quotes included), for carets.
    package var range: SourceRange {
        let length: Int
        switch style {
        case .plain:
            length = text.unicodeScalars.prefix { $0 != "\n" }.count
        case .singleQuoted, .doubleQuoted:
            length = text.contains("\n") ? 1 : text.unicodeScalars.count + 2
        case .literal, .folded:
            length = 1
        }
        return SourceRange(start: start, length: length)
    }
}

/// A mapping: keys are always scalars (the reader rejects any other key), entries in source order.
package struct YAMLMapping: Sendable {
    package var entries: [(key: YAMLScalar, value: YAMLNode)]
    package var start: SourceLocation
    package var range: SourceRange { SourceRange(start: start, length: 1) }
}

/// A sequence with its items in order.
package struct YAMLSequence: Sendable {
    package var items: [YAMLNode]
    package var start: SourceLocation
    package var range: SourceRange { SourceRange(start: start, length: 1) }
}

/// The spec reader's own, `Sendable` copy of the composed YAML tree: only what the spec language allows
/// (scalars, mappings with scalar keys, sequences), each with its position. Produced by `YAMLReader`.
package indirect enum YAMLNode: Sendable {
    case scalar(YAMLScalar)
    case mapping(YAMLMapping)
    case sequence(YAMLSequence)

    package var range: SourceRange {
        switch self {
        case .scalar(let scalar): scalar.range
        case .mapping(let mapping): mapping.range
        case .sequence(let sequence): sequence.range
        }
    }

    /// "a mapping", "a list", "a text value": how diagnostics name the kind of node found.
    package var kindDescription: String {
        switch self {
        case .scalar: "a single value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}
