import ClaimMapJSON
import Foundation

/// The claim contract (DESIGN §10.1): checks a JSON value against a claim's declared type and constraints, and
/// converts a valid value to an Architect value. Shared by replay (token claims) and the interpreter
/// (enrichment responses).
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
        var current = payload
        for segment in path {
            guard case .object(let members) = current, let next = members.first(where: { $0.0 == segment })?.1 else {
                return nil
            }
            current = next
        }
        return current
    }

    public static func violation(_ value: JSONValue, _ type: ClaimTypeSpec) -> Violation? {
        switch type.kind {
        case "string":
            guard case .string(let text) = value else { return .type(expected: "a string") }
            if let maxLength = type.maxLength, text.unicodeScalars.count > maxLength {
                return .tooLong("\(text.unicodeScalars.count) characters, at most \(maxLength) allowed")
            }
            if let values = type.enumValues, !values.contains(text) { return .value("not one of the declared values") }
            if let pattern = type.pattern, !PatternCache.shared.matches(pattern, text) {
                return .value("does not match the pattern \(pattern)")
            }
            if let format = type.format, !formatMatches(format, text) { return .value("not a valid \(format)") }
        case "integer", "number":
            guard case .number(let text) = value else { return .type(expected: "a JSON number") }
            if type.kind == "integer" {
                guard value.isIntegerNumber else { return .type(expected: "an integer") }
                guard Int64(text) != nil else { return .value("out of the 64-bit integer range") }
            }
            guard let number = ExactNumber(text) else { return .type(expected: "a finite number") }
            if let values = type.enumValues, !values.contains(where: { ExactNumber($0) == number }) {
                return .value("not one of the declared values")
            }
            if let minimum = type.minimum.flatMap(ExactNumber.init), number < minimum {
                return .value("below the minimum \(type.minimum ?? "")")
            }
            if let maximum = type.maximum.flatMap(ExactNumber.init), number > maximum {
                return .value("above the maximum \(type.maximum ?? "")")
            }
        case "boolean":
            guard case .bool = value else { return .type(expected: "a boolean") }
        case "array":
            guard case .array(let items) = value else { return .type(expected: "an array") }
            if let maxItems = type.maxItems, items.count > maxItems {
                return .tooLong("\(items.count) items, at most \(maxItems) allowed")
            }
            if let item = type.items.first {
                for (index, element) in items.enumerated() {
                    if let problem = violation(element, item) { return prefixed(problem, "item \(index)") }
                }
            }
        case "object":
            guard case .object(let members) = value else { return .type(expected: "an object") }
            for (name, spec) in type.properties {
                if let member = members.first(where: { $0.0 == name })?.1, let problem = violation(member, spec) {
                    return prefixed(problem, "member \(name)")
                }
            }
        default:
            return .type(expected: type.kind)
        }
        return nil
    }

    private static func prefixed(_ violation: Violation, _ prefix: String) -> Violation {
        switch violation {
        case .type(let expected): .type(expected: "\(prefix): \(expected)")
        case .value(let detail): .value("\(prefix): \(detail)")
        case .tooLong(let detail): .tooLong("\(prefix): \(detail)")
        }
    }

    static func decimal(_ text: String) -> Decimal? {
        Decimal(string: text, locale: POSIXLocale.shared)
    }

    /// Unicode white space, with the ASCII answer computed without a property lookup.
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
    }

    /// A JSON number compared exactly: as Int64 when the text is a plain integer in range (the common case, no
    /// Foundation parse), otherwise as Decimal (38 significant digits, exact for every bound a spec can write).
    struct ExactNumber: Comparable {
        private let integer: Int64?
        private let decimal: Decimal

        init?(_ text: String) {
            if let integer = Int64(text) {
                self.integer = integer
                self.decimal = Decimal(integer)
            } else {
                guard let decimal = ClaimContract.decimal(text), decimal.isFinite else { return nil }
                self.integer = nil
                self.decimal = decimal
            }
        }

        static func < (lhs: Self, rhs: Self) -> Bool {
            if let left = lhs.integer, let right = rhs.integer { return left < right }
            return lhs.decimal < rhs.decimal
        }

        static func == (lhs: Self, rhs: Self) -> Bool {
            if let left = lhs.integer, let right = rhs.integer { return left == right }
            return lhs.decimal == rhs.decimal
        }
    }

    private static func formatMatches(_ format: String, _ text: String) -> Bool {
        switch format {
        case "email":
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
                && !parts[1].hasSuffix(".") && !text.unicodeScalars.contains(where: isWhitespace)
        case "uri":
            guard let colon = text.firstIndex(of: ":"), colon > text.startIndex else { return false }
            return text[..<colon].unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || "+.-0123456789".unicodeScalars.contains($0)
            }
        case "date-time":
            return Value.parseRFC3339(text) != nil
        default:
            return true
        }
    }

    /// Converts a contract-valid claim value to `target`; nil when it cannot be represented.
    public static func convert(_ value: JSONValue, claim: ClaimTypeSpec, to target: ValueType) -> Value? {
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
            // NumericDate: seconds since the epoch, fractions floored (DESIGN §10.8).
            guard let seconds = decimal(text) else { return nil }
            var floored = Decimal()
            var input = seconds
            NSDecimalRound(&floored, &input, 0, .down)
            if seconds < 0 && floored != seconds { floored -= 1 }
            let ms = NSDecimalNumber(decimal: floored * 1000)
            return .dateTime(ms.int64Value)
        case (.json, _): return .json(value)
        case (.collection(let element), .array(let items)):
            var out: [Value] = []
            for item in items {
                guard let converted = convert(item, claim: claim.items.first ?? claim, to: element) else { return nil }
                out.append(converted)
            }
            return .collection(out)
        default: return nil
        }
    }
}

/// Compiled regular expressions, shared. JSON Schema `pattern` semantics: a search, not a whole-string match,
/// with ECMA-262's `$` (end of input only).
final class PatternCache: @unchecked Sendable {
    /// ICU's `$` also matches before a final line terminator, so `^[0-9]{10}$` would accept "0123456789\n" — a
    /// CRLF injection past the claim's pattern. JSON Schema patterns are ECMA-262, where `$` (without the
    /// multiline flag) is the end of input: every unescaped `$` outside a character class becomes `\z`.
    static func ecmaPattern(_ pattern: String) -> String {
        var out = ""
        var escaped = false
        var inClass = false
        for character in pattern {
            if escaped {
                out.append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\":
                escaped = true
                out.append(character)
            case "[":
                inClass = true
                out.append(character)
            case "]":
                inClass = false
                out.append(character)
            case "$" where !inClass:
                out += "\\z"
            default:
                out.append(character)
            }
        }
        return out
    }

    static let shared = PatternCache()
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression] = [:]

    func matches(_ pattern: String, _ text: String) -> Bool {
        let regex: NSRegularExpression? = lock.withLock {
            if let cached = compiled[pattern] { return cached }
            let made = try? NSRegularExpression(pattern: Self.ecmaPattern(pattern))
            compiled[pattern] = made
            return made
        }
        guard let regex else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
