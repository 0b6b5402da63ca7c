import Foundation

/// The claim contract (docs/decisions.md: token claims are a contract): checks a JSON value against a claim's declared
/// type and constraints, and converts a valid value to an Architect value. Shared by replay (token claims) and the
/// interpreter (enrichment responses).
public enum ClaimContract {
    /// Why a value breaks its contract; each maps to one replay reason code.
    public enum Violation: Equatable, Sendable, CustomStringConvertible {
        /// `claim_type_invalid`
        case type(expected: String)
        /// `claim_value_rejected`
        case value(String)
        /// `claim_too_long`
        case tooLong(String)

        public var reason: String {
            switch self {
            case .type: "claim_type_invalid"
            case .value: "claim_value_rejected"
            case .tooLong: "claim_too_long"
            }
        }

        public var description: String {
            switch self {
            case .type(let expected): "expected \(expected)"
            case .value(let detail), .tooLong(let detail): detail
            }
        }
    }

    /// The member at `path` of a JSON object, or nil when any segment is missing.
    public static func member(at path: [String], in payload: JSONValue) -> JSONValue? {
        guard let first = path.first else { return payload }
        return payload[member: first].flatMap { descend(path.dropFirst(), from: $0) }
    }

    /// The member at `path` of a payload kept as bytes: only the value found is decoded.
    public static func member(at path: [String], in payload: JSONObjectBytes) -> JSONValue? {
        payload.value(at: path)
    }

    private static func descend(_ path: ArraySlice<String>, from value: JSONValue) -> JSONValue? {
        var current = value
        for segment in path {
            guard let next = current[member: segment] else { return nil }
            current = next
        }
        return current
    }

    /// Why `value` breaks the contract `type`, or nil when it keeps it. Callers that check many values against
    /// the same contract hold a `Compiled` instead (bounds parsed and the pattern compiled once).
    public static func violation(_ value: JSONValue, _ type: ClaimTypeSpec) -> Violation? {
        Compiled(type).violation(value)
    }

    /// A claim contract prepared for checking many values: numeric bounds and enum values parsed, the pattern
    /// compiled, nested item and member contracts resolved.
    public final class Compiled: Sendable {
        let kind: ClaimKind
        let maxLength: Int?
        let enumValues: [String]?
        let enumNumbers: [ExactNumber]?
        let pattern: (text: String, matcher: CompiledPattern)?
        let format: ClaimFormat?
        let minimum: (text: String, value: ExactNumber)?
        let maximum: (text: String, value: ExactNumber)?
        let maxItems: Int?
        let item: Compiled?
        /// In declaration order, so the member reported first is always the same one.
        let properties: [(name: String, contract: Compiled)]

        public init(_ type: ClaimTypeSpec) {
            kind = type.kind
            maxLength = type.maxLength
            enumValues = type.enumValues
            enumNumbers = type.enumValues.map { $0.compactMap(ExactNumber.init) }
            pattern = type.pattern.map { ($0, PatternCache.shared.compiled($0)) }
            format = type.format
            minimum = type.minimum.flatMap { text in ExactNumber(text).map { (text, $0) } }
            maximum = type.maximum.flatMap { text in ExactNumber(text).map { (text, $0) } }
            maxItems = type.maxItems
            item = type.items.first.map(Compiled.init)
            let order = type.propertyOrder + type.properties.keys.filter { !type.propertyOrder.contains($0) }.sorted()
            properties = order.compactMap { name in type.properties[name].map { (name, Compiled($0)) } }
        }

        public func violation(_ value: JSONValue) -> Violation? {
            switch kind {
            case .string:
                guard case .string(let text) = value else { return .type(expected: "a string") }
                if let maxLength, let length = text.scalarCount(above: maxLength) {
                    return .tooLong("\(length) characters, at most \(maxLength) allowed")
                }
                if let enumValues, !enumValues.containsByteEqual(text) {
                    return .value("not one of the declared values")
                }
                if let pattern, !pattern.matcher.matches(text) {
                    return .value("does not match the pattern \(pattern.text)")
                }
                if let format, !ClaimContract.formatMatches(format, text) {
                    return .value("not a valid \(format.rawValue)")
                }
            case .integer, .number:
                guard case .number(let text) = value else { return .type(expected: "a JSON number") }
                if case .integer = kind {
                    guard value.isIntegerNumber else { return .type(expected: "an integer") }
                    guard Int64(text) != nil else { return .value("out of the 64-bit integer range") }
                }
                guard let number = ExactNumber(text) else { return .type(expected: "a finite number") }
                if let enumNumbers, !enumNumbers.contains(number) { return .value("not one of the declared values") }
                if let minimum, number < minimum.value { return .value("below the minimum \(minimum.text)") }
                if let maximum, number > maximum.value { return .value("above the maximum \(maximum.text)") }
            case .boolean:
                guard case .bool = value else { return .type(expected: "a boolean") }
            case .array:
                guard case .array(let items) = value else { return .type(expected: "an array") }
                if let maxItems, items.count > maxItems {
                    return .tooLong("\(items.count) items, at most \(maxItems) allowed")
                }
                if let item {
                    for index in items.indices {
                        if let problem = item.violation(items[index]) {
                            return ClaimContract.prefixed(problem, "item \(index)")
                        }
                    }
                }
            case .object:
                guard case .object(let members) = value else { return .type(expected: "an object") }
                for property in properties {
                    guard let index = members.firstIndex(where: { $0.0.isByteEqual(to: property.name) }) else {
                        continue
                    }
                    if let problem = property.contract.violation(members[index].1) {
                        return ClaimContract.prefixed(problem, "member \(property.name)")
                    }
                }
            }
            return nil
        }
    }

    private static func prefixed(_ violation: Violation, _ prefix: String) -> Violation {
        switch violation {
        case .type(let expected): .type(expected: "\(prefix): \(expected)")
        case .value(let detail): .value("\(prefix): \(detail)")
        case .tooLong(let detail): .tooLong("\(prefix): \(detail)")
        }
    }

    /// Converts a contract-valid JSON value to `target` (the conversion depends on the value and the target only).
    public static func convert(_ value: JSONValue, to target: ValueType) -> Value? {
        switch (target, value) {
        case (.string, .string(let s)): return .string(s)
        case (.string, .number(let text)):
            if value.isIntegerNumber, let i = Int64(text) { return .string(String(i)) }
            return decimal(text).map { .string(Value.decimalText($0)) }
        case (.string, .bool(let b)): return .string(b ? "true" : "false")
        case (.integer, .number(let text)):
            guard value.isIntegerNumber else { return nil }
            return Int64(text).map(Value.integer)
        case (.decimal, .number(let text)): return decimal(text).map(Value.decimal)
        case (.boolean, .bool(let b)): return .boolean(b)
        case (.dateTime, .string(let s)): return Value.parseRFC3339(s).map(Value.dateTime)
        case (.dateTime, .number(let text)):
            // NumericDate: seconds since the epoch, fractions floored, as the verifier reads them (docs/security.md).
            // Within 1970 ... 9999 as a NumericDate must be; outside it is no time (NOT_SET), never an overflow.
            guard let seconds = decimal(text), seconds >= 0, seconds <= Decimal(Value.latestNumericDate) else {
                return nil
            }
            var floored = Decimal()
            var input = seconds
            NSDecimalRound(&floored, &input, 0, .down)
            if seconds < 0 && floored != seconds { floored -= 1 }
            let ms = NSDecimalNumber(decimal: floored * 1000)
            return .dateTime(ms.int64Value)
        case (.json, _): return .json(value)
        case (.collection(let element), .array(let items)):
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for item in items {
                guard let converted = convert(item, to: element) else { return nil }
                out.append(converted)
            }
            return .collection(out)
        default: return nil
        }
    }
}
