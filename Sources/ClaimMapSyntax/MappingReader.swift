import ClaimMapDiagnostics

/// Reads one YAML mapping against the keys its context allows: reports unknown keys with a suggestion and
/// gives typed access to the rest. Each conversion reports its own diagnostic and returns nil on failure.
struct MappingReader {
    let mapping: YAMLMapping
    let context: String
    private var values: [String: (key: YAMLScalar, value: YAMLNode)] = [:]

    init(_ mapping: YAMLMapping, allowed: [String], context: String, diagnostics: inout [Diagnostic]) {
        self.mapping = mapping
        self.context = context
        for entry in mapping.entries {
            if allowed.contains(entry.key.text) {
                values[entry.key.text] = entry
            } else {
                diagnostics.append(SpecDiagnostics.unknownKey(entry.key, context: context, allowed: allowed))
            }
        }
    }

    func node(_ key: String) -> YAMLNode? { values[key]?.value }
    func keyRange(_ key: String) -> SourceRange? { values[key]?.key.range }
    func has(_ key: String) -> Bool { values[key] != nil }

    /// The node at `key` as `extract` takes it; a node it refuses is reported as not `expected`.
    private func node<T>(
        _ key: String, expected: String, _ diagnostics: inout [Diagnostic], _ extract: (YAMLNode) -> T?
    ) -> T? {
        guard let node = values[key]?.value else { return nil }
        guard let value = extract(node) else {
            diagnostics.append(SpecDiagnostics.wrongNode(key: key, expected: expected, found: node))
            return nil
        }
        return value
    }

    /// The single value at `key`, converted by `convert`; a text it refuses is reported by `problem`.
    private func converted<T>(
        _ key: String, _ diagnostics: inout [Diagnostic], _ convert: (String) -> T?,
        problem: (YAMLScalar) -> Diagnostic
    ) -> Located<T>? {
        guard let scalar = scalar(key, &diagnostics) else { return nil }
        guard let value = convert(scalar.text) else {
            diagnostics.append(problem(scalar))
            return nil
        }
        return Located(value, scalar.range)
    }

    func scalar(_ key: String, _ diagnostics: inout [Diagnostic]) -> YAMLScalar? {
        node(key, expected: "a single value", &diagnostics) { if case .scalar(let scalar) = $0 { scalar } else { nil } }
    }

    func string(_ key: String, _ diagnostics: inout [Diagnostic], allowEmpty: Bool = false) -> Located<String>? {
        guard let scalar = scalar(key, &diagnostics) else { return nil }
        if !allowEmpty && scalar.text.trimmingWhitespace.isEmpty {
            diagnostics.append(SpecDiagnostics.emptyValue(key: key, at: scalar.range))
            return nil
        }
        return Located(scalar.text, scalar.range)
    }

    func requiredString(_ key: String, _ diagnostics: inout [Diagnostic]) -> Located<String>? {
        guard has(key) else {
            diagnostics.append(SpecDiagnostics.missingKey(key, context: context, at: mapping.range))
            return nil
        }
        return string(key, &diagnostics)
    }

    func integer(_ key: String, _ diagnostics: inout [Diagnostic], minimum: Int = 0) -> Located<Int>? {
        converted(key, &diagnostics, { SpecScalars.integer($0).flatMap { $0 >= minimum ? $0 : nil } }) {
            SpecDiagnostics.notInteger(key: key, scalar: $0, minimum: minimum)
        }
    }

    func boolean(_ key: String, _ diagnostics: inout [Diagnostic]) -> Located<Bool>? {
        converted(key, &diagnostics, { ["true": true, "false": false][$0] }) {
            SpecDiagnostics.notBoolean(key: key, scalar: $0)
        }
    }

    func duration(_ key: String, _ diagnostics: inout [Diagnostic]) -> Located<DurationValue>? {
        converted(key, &diagnostics, SpecScalars.duration) { SpecDiagnostics.badDuration(key: key, scalar: $0) }
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type, _ diagnostics: inout [Diagnostic])
        -> Located<T>?
    where T.RawValue == String {
        converted(key, &diagnostics, T.init(rawValue:)) {
            SpecDiagnostics.notOneOf(key: key, scalar: $0, allowed: T.allCases.map(\.rawValue))
        }
    }

    /// A list of single values; a lone value is accepted where `allowSingle` (e.g. `audience: x`).
    func stringList(_ key: String, _ diagnostics: inout [Diagnostic], allowSingle: Bool = false)
        -> [Located<String>]?
    {
        guard let node = values[key]?.value else { return nil }
        switch node {
        case .scalar(let scalar) where allowSingle:
            return [Located(scalar.text, scalar.range)]
        case .sequence(let sequence):
            var out: [Located<String>] = []
            for item in sequence.items {
                guard case .scalar(let scalar) = item else {
                    diagnostics.append(
                        SpecDiagnostics.wrongNode(key: key, expected: "a list of single values", found: item))
                    continue
                }
                out.append(Located(scalar.text, scalar.range))
            }
            return out
        default:
            diagnostics.append(SpecDiagnostics.wrongNode(key: key, expected: "a list such as `[a, b]`", found: node))
            return nil
        }
    }

    func mappingValue(_ key: String, _ diagnostics: inout [Diagnostic]) -> YAMLMapping? {
        node(key, expected: "a mapping", &diagnostics) { if case .mapping(let mapping) = $0 { mapping } else { nil } }
    }
}

extension String {
    var trimmingWhitespace: Substring {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace {
            end = scalars.index(before: end)
        }
        return Substring(scalars[start..<end])
    }
}
