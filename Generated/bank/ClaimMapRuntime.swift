// ClaimMapRuntime.swift: the evaluator runtime of claimmap, the same file in every Generated folder.
// Do not edit: `claimmap compile` writes it from the sources of its ClaimMapRuntime module (Foundation
// only). Compile one copy of it with any number of Generated/*/Evaluator.swift (docs/deploying.md).

// MARK: - ArchitectOperations.swift

import Foundation

/// Architect's operators and functions on runtime values. A NOT_SET (nil) operand, an overflow, a division by
/// zero or a failed conversion yields NOT_SET, where Architect would take the flow's error path.
public enum ArchitectOperations {
    private static func decimal(_ value: Value) -> Decimal? {
        switch value {
        case .integer(let i): Decimal(i)
        case .decimal(let d): d
        default: nil
        }
    }

    /// The binary operators of the expression language (docs/language.md, Expressions), one enum from the parser
    /// to the program format; `evaluator.json` writes the raw values.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case or, and
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case add = "+", subtract = "-", multiply = "*", divide = "/"
    }

    /// The functions of the expression language, spelled as in a spec and in `evaluator.json`.
    public enum Function: String, Sendable, Hashable, CaseIterable {
        case isSet = "IsSet", isNotSetOrEmpty = "IsNotSetOrEmpty", `if` = "If", toString = "ToString", toInt = "ToInt"
        case toDecimal = "ToDecimal", toBool = "ToBool", toDateTime = "ToDateTime", lower = "Lower", upper = "Upper"
        case contains = "Contains", startsWith = "StartsWith", endsWith = "EndsWith", count = "Count"
        case substring = "Substring", getAt = "GetAt"
    }

    /// `lhs op rhs`. The interpreter short-circuits `and` and `or` itself; given both operands they decide as it
    /// does (false and NOT_SET is false, true or NOT_SET is true).
    public static func binary(_ op: Operator, _ lhs: Value?, _ rhs: Value?) -> Value? {
        switch op {
        case .and: return logical(lhs, rhs, deciding: false)
        case .or: return logical(lhs, rhs, deciding: true)
        default: break
        }
        guard let lhs, let rhs else { return nil }
        return setOperands(op, lhs, rhs)
    }

    /// `lhs op rhs` for two set operands: what `binary` answers once neither side is NOT_SET.
    public static func setOperands(_ op: Operator, _ lhs: Value, _ rhs: Value) -> Value? {
        switch op {
        case .and: return logical(lhs, rhs, deciding: false)
        case .or: return logical(lhs, rhs, deciding: true)
        case .equal: return equal(lhs, rhs).map(Value.boolean)
        case .notEqual: return equal(lhs, rhs).map { .boolean(!$0) }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let order = compare(lhs, rhs) else { return nil }
            switch op {
            case .less: return .boolean(order < 0)
            case .lessOrEqual: return .boolean(order <= 0)
            case .greater: return .boolean(order > 0)
            default: return .boolean(order >= 0)
            }
        case .add:
            if case .string(let a) = lhs, case .string(let b) = rhs { return .string(a + b) }
            return arithmetic(op, lhs, rhs)
        case .subtract, .multiply, .divide: return arithmetic(op, lhs, rhs)
        }
    }

    /// `!value` (`not`): NOT_SET unless a Boolean.
    public static func not(_ value: Value?) -> Value? {
        guard case .boolean(let b)? = value else { return nil }
        return .boolean(!b)
    }

    /// `-value`: NOT_SET unless a number, and for the one Integer whose negation overflows.
    public static func negate(_ value: Value?) -> Value? {
        switch value {
        case .integer(let i)?: i == .min ? nil : .integer(-i)
        case .decimal(let d)?: .decimal(-d)
        default: nil
        }
    }

    /// `and` (deciding value false) and `or` (true): a Boolean left side equal to the deciding value decides;
    /// otherwise the right side must be a Boolean. Anything else is NOT_SET.
    public static func logical(_ lhs: Value?, _ rhs: @autoclosure () -> Value?, deciding: Bool) -> Value? {
        guard case .boolean(let left)? = lhs else { return nil }
        if left == deciding { return .boolean(deciding) }
        guard case .boolean(let right)? = rhs() else { return nil }
        return .boolean(right)
    }

    private static func arithmetic(_ op: Operator, _ lhs: Value, _ rhs: Value) -> Value? {
        if op != .divide, case .integer(let a) = lhs, case .integer(let b) = rhs {
            let (result, overflow): (Int64, Bool) =
                switch op {
                case .add: a.addingReportingOverflow(b)
                case .subtract: a.subtractingReportingOverflow(b)
                default: a.multipliedReportingOverflow(by: b)
                }
            return overflow ? nil : .integer(result)
        }
        guard let a = decimal(lhs), let b = decimal(rhs) else { return nil }
        switch op {
        case .add: return .decimal(a + b)
        case .subtract: return .decimal(a - b)
        case .multiply: return .decimal(a * b)
        default: return b == 0 ? nil : .decimal(a / b)
        }
    }

    static func equal(_ lhs: Value, _ rhs: Value) -> Bool? {
        // Integers compare as integers (the same answer as through Decimal, without building two Decimals).
        if case .integer(let a) = lhs, case .integer(let b) = rhs { return a == b }
        if let a = decimal(lhs), let b = decimal(rhs) { return a.order(b) == 0 }
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): return a.isByteEqual(to: b)
        case let (.boolean(a), .boolean(b)): return a == b
        case let (.dateTime(a), .dateTime(b)), let (.duration(a), .duration(b)): return a == b
        default: return nil
        }
    }

    static func compare(_ lhs: Value, _ rhs: Value) -> Int? {
        if case .integer(let a) = lhs, case .integer(let b) = rhs { return a < b ? -1 : a == b ? 0 : 1 }
        if let a = decimal(lhs), let b = decimal(rhs) { return a.order(b) }
        switch (lhs, rhs) {
        case let (.dateTime(a), .dateTime(b)), let (.duration(a), .duration(b)): return a < b ? -1 : a == b ? 0 : 1
        default: return nil
        }
    }

    /// `function(arguments)`. The interpreter evaluates only the branch `If` takes; given every argument, `If`
    /// decides as it does.
    public static func call(_ function: Function, _ arguments: [Value?]) -> Value? {
        switch function {
        case .if:
            guard arguments.count == 3, case .boolean(let holds)? = arguments[0] else { return nil }
            return holds ? arguments[1] : arguments[2]
        case .isSet: return .boolean(arguments.first.map { $0 != nil } ?? false)
        case .isNotSetOrEmpty:
            switch arguments.first ?? nil {
            case nil: return .boolean(true)
            case .string(let s)?: return .boolean(s.isEmpty)
            case .collection(let items)?: return .boolean(items.isEmpty)
            default: return .boolean(false)
            }
        default: break
        }
        let values = arguments.compactMap { $0 }
        guard values.count == arguments.count else { return nil }
        switch (function, values.first) {
        case (.toString, let value?): return .string(toString(value))
        case (.toInt, .string(let s)?):
            return Int64(s.trimmingCharacters(in: .whitespaces)).map(Value.integer)
        case (.toInt, .integer(let i)?): return .integer(i)
        case (.toInt, .decimal(let d)?):
            var input = d
            var truncated = Decimal()
            NSDecimalRound(&truncated, &input, 0, d < 0 ? .up : .down)
            let number = NSDecimalNumber(decimal: truncated)
            guard truncated.magnitude < Decimal(Int64.max) else { return nil }
            return .integer(number.int64Value)
        case (.toDecimal, .string(let s)?):
            let trimmed = s.trimmingCharacters(in: .whitespaces)
            guard isDecimalText(trimmed) else { return nil }
            return POSIXLocale.decimal(trimmed).map(Value.decimal)
        case (.toDecimal, let value?): return decimal(value).map(Value.decimal)
        case (.toBool, .string(let s)?):
            switch s.lowercased() {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: return nil
            }
        case (.toDateTime, .string(let s)?): return Value.parseRFC3339(s).map(Value.dateTime)
        case (.lower, .string(let s)?): return .string(s.lowercased())
        case (.upper, .string(let s)?): return .string(s.uppercased())
        case (.contains, .string(let s)?):
            guard case .string(let part) = values[1] else { return nil }
            return .boolean(s.containsBytes(part))
        case (.contains, .collection(let items)?):
            return .boolean(items.contains { equal($0, values[1]) == true })
        case (.startsWith, .string(let s)?):
            guard case .string(let part) = values[1] else { return nil }
            return .boolean(s.hasBytePrefix(part))
        case (.endsWith, .string(let s)?):
            guard case .string(let part) = values[1] else { return nil }
            return .boolean(s.hasByteSuffix(part))
        case (.count, .collection(let items)?): return .integer(Int64(items.count))
        case (.substring, .string(let s)?):
            guard case .integer(let start) = values[1], case .integer(let length) = values[2], start >= 0, length >= 0
            else {
                return nil
            }
            let characters = Array(s)
            // Compared without a sum: start + length could overflow for untrusted integers.
            guard start <= Int64(characters.count), length <= Int64(characters.count) - start else { return nil }
            return .string(String(characters[Int(start)..<Int(start + length)]))
        case (.getAt, .collection(let items)?):
            guard case .integer(let index) = values[1], index >= 0, index < Int64(items.count) else { return nil }
            return items[Int(index)]
        default:
            return nil
        }
    }

    static func isDecimalText(_ text: String) -> Bool {
        var body = Substring(text)
        if body.hasPrefix("-") { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit) else { return false }
        return parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy(\.isASCIIDigit))
    }

    /// Architect's `ToString`. UNCONFIRMED against Architect for Boolean (`true`), DateTime (RFC 3339, UTC) and
    /// collections (written as compact JSON arrays); the emitted flow and this evaluator agree by construction.
    public static func toString(_ value: Value) -> String {
        switch value {
        case .string(let s): s
        case .integer(let i): String(i)
        case .decimal(let d): Value.decimalText(d)
        case .boolean(let b): b ? "true" : "false"
        case .dateTime, .duration:
            if case .string(let s) = value.json { s } else { "" }
        case .json(let json): json.compact()
        case .collection: value.json.compact()
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

// MARK: - ByteWriter.swift

/// A growable byte buffer for writers that emit many small pieces, such as replay's JSON line per token: an append
/// is a capacity check and a copy, without the uniqueness check and generic path an `Array` append takes.
/// Noncopyable, so exactly one owner frees its memory.
public struct ByteWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written so far.
    public private(set) var count = 0

    public init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Forgets the bytes written, keeping the memory.
    public mutating func removeAll() { count = 0 }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    public mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        if bytes.count <= 16 {
            // A line is mostly short pieces (punctuation, names, small values): copied here, not through memmove.
            for offset in 0..<bytes.count { base[count + offset] = source[offset] }
        } else {
            (base + count).update(from: source, count: bytes.count)
        }
        count += bytes.count
    }

    /// Appends a copy of bytes already written (`range` within `0 ..< count`).
    public mutating func appendCopy(of range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "appendCopy outside the bytes written")
        reserve(range.count)
        (base + count).update(from: base + range.lowerBound, count: range.count)
        count += range.count
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Appends text that needs no escaping (JSON punctuation and member names known when compiling).
    public mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    /// Appends a string's UTF-8 as it is.
    public mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Appends `text` as a JSON string literal, escaped exactly as `JSONValue.appendQuoted` escapes it.
    public mutating func appendQuoted(_ text: String) {
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard JSONValue.needsNoEscape(bytes) else { return false }
            append(UInt8(ascii: "\""))
            append(bytes)
            append(UInt8(ascii: "\""))
            return true
        }
        if plain == true { return }
        // Something to escape (rare): the one escaping routine.
        var quoted: [UInt8] = []
        JSONValue.appendQuoted(text, to: &quoted)
        append(quoted)
    }

    /// The bytes written so far.
    public func withBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// A copy of the bytes written so far.
    public var bytes: [UInt8] { withBytes { Array($0) } }
}

// MARK: - CivilTime.swift

/// UTC calendar time for people: the one RFC 3339 writer behind the evaluator's `DateTime` values and the
/// verifier's rejection details (`exp 1704070800 = 2024-01-01T01:00:00Z`).
public enum CivilTime {
    /// 0000-01-01T00:00:00Z in milliseconds: the earliest time RFC 3339 can write.
    public static let earliestMilliseconds: Int64 = -62_167_219_200_000
    /// 9999-12-31T23:59:59.999Z in milliseconds: the latest.
    public static let latestMilliseconds: Int64 = 253_402_300_799_999

    /// `2026-11-25T12:00:00Z`, with `.SSS` only when there are milliseconds. Years 0000 ... 9999 only (what
    /// RFC 3339 can write): a value outside is clamped rather than overflowing.
    public static func rfc3339(milliseconds: Int64) -> String {
        let milliseconds = min(max(milliseconds, earliestMilliseconds), latestMilliseconds)
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let millis = milliseconds - seconds * 1000
        var days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        // Civil from days (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ n: Int64, _ width: Int) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var out = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
        out += "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))"
        if millis != 0 { out += ".\(pad(millis, 3))" }
        return out + "Z"
    }

    /// Epoch seconds in RFC 3339 (clamped to 0000 ... 9999 like `rfc3339(milliseconds:)`).
    public static func rfc3339(seconds: Int64) -> String {
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return rfc3339(milliseconds: overflow ? (seconds < 0 ? .min : .max) : product)
    }
}

// MARK: - ClaimContract+Formats.swift

import Foundation

/// The claim contract's readings of JSON numbers and its string formats, each a fast path with the slow rule it
/// replaces beside it (`FastPathOracle` in ClaimMapEvaluator holds the two equal under fuzzing).
extension ClaimContract {
    /// The exact value of a JSON number's text. Plain decimals of up to 18 digits (`12345.5`, `-0.25`: every
    /// amount a token carries in practice) are built from their digits directly; anything else — exponents,
    /// longer mantissas — goes through Foundation's parser, which cost a tenth of an evaluation.
    public static func decimal(_ text: String) -> Decimal? {
        var text = text
        let plain = text.withUTF8 { bytes -> Decimal.Parts? in
            var significand: UInt64 = 0
            var digits = 0
            var fractionDigits = 0
            var negative = false
            var seenPoint = false
            for offset in bytes.indices {
                let byte = bytes[offset]
                if offset == 0 && byte == UInt8(ascii: "-") {
                    negative = true
                } else if byte == UInt8(ascii: ".") && !seenPoint {
                    seenPoint = true
                } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") && digits < 18 {
                    digits += 1
                    significand = significand * 10 + UInt64(byte - UInt8(ascii: "0"))
                    if seenPoint { fractionDigits += 1 }
                } else {
                    return nil
                }
            }
            return digits > 0 ? (negative, significand, -fractionDigits) : nil
        }
        // (`-0.0` is zero: `Decimal(parts)` never builds Foundation's negative zero, which is NaN.)
        return plain.map(Decimal.init) ?? POSIXLocale.decimal(text)
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
            return lhs.decimal.order(rhs.decimal) < 0
        }

        static func == (lhs: Self, rhs: Self) -> Bool {
            if let left = lhs.integer, let right = rhs.integer { return left == right }
            return lhs.decimal.order(rhs.decimal) == 0
        }
    }

    /// The `email` rule: one `@` between a non-empty local part and a domain with an inner dot, no white space.
    /// Read on `Character`s, as the generated evaluator reads it.
    public static func graphemeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !text.unicodeScalars.contains(where: isWhitespace)
    }

    /// The `email` rule on an ASCII address, read as bytes (the `Character`-based rule split graphemes and cost
    /// a sixth of the contract check). nil for non-ASCII text, which keeps the grapheme rule.
    private static func asciiEmail(_ text: String) -> Bool? {
        var text = text
        return text.withUTF8 { bytes -> Bool? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var at: Int?
            for index in bytes.indices {
                let byte = bytes[index]
                if byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte) { return false }
                if byte == UInt8(ascii: "@") {
                    if at != nil { return false }
                    at = index
                }
            }
            guard let at, at > 0, at + 1 < bytes.count else { return false }
            let domain = bytes[(at + 1)...]
            return domain.contains(UInt8(ascii: ".")) && domain.first != UInt8(ascii: ".")
                && domain.last != UInt8(ascii: ".")
        }
    }

    /// Whether a string keeps its `format:`. A NumericDate is a number, checked as one: any string passes here.
    public static func formatMatches(_ format: ClaimFormat, _ text: String) -> Bool {
        switch format {
        case .email:
            return asciiEmail(text) ?? graphemeEmail(text)
        case .uri:
            guard let colon = text.firstIndex(of: ":"), colon > text.startIndex else { return false }
            return text[..<colon].unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || "+.-0123456789".unicodeScalars.contains($0)
            }
        case .dateTime:
            return Value.parseRFC3339(text) != nil
        case .numericDate:
            return true
        }
    }
}

// MARK: - ClaimContract.swift

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

// MARK: - ECMAPattern.swift

/// A claim or attribute `pattern` is an ECMA-262 regular expression (JSON Schema's dialect, and what the page script
/// runs as `new RegExp(pattern, "u")`). ICU, which replay and the generated Swift evaluator use, reads the same text
/// differently: its `\d` matches Arabic-Indic and full-width digits, `\w` matches `é`, `\s` misses U+FEFF, `$`
/// matches before a final line break, `.` excludes NEL, and it accepts syntax JavaScript's `u` mode rejects
/// (`(?i)`, `\A`, `\z`, `\x{41}`, POSIX classes, `\-` outside a class, possessive quantifiers).
///
/// `translate` parses the pattern by the ECMA-262 `u`-mode grammar, refuses what JavaScript would refuse (so the page
/// can never throw on a spec that checked) and what version 1 does not support (backreferences, Unicode property
/// escapes, named groups), and writes an ICU pattern with ECMA's meaning: `\d` `[0-9]`, `\w` `[A-Za-z0-9_]`, `\s`
/// ECMA's WhiteSpace and LineTerminator set, `\b` an ASCII word boundary, `.` anything but a line terminator, `$` the
/// end of input. Every literal is written as `\x{...}`, so no ICU-only syntax (`&&`, `--`, `[:`, `\p`) can arise.
/// There is no case-insensitive flag: the spec language has none.
public enum ECMAPattern {
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        init(_ message: String) { self.message = message }
    }

    static let wordClass = #"\x{30}-\x{39}\x{41}-\x{5A}\x{5F}\x{61}-\x{7A}"#
    static let digitClass = #"\x{30}-\x{39}"#
    /// ECMA-262 WhiteSpace and LineTerminator: TAB, VT, FF, SP, NBSP, ZWNBSP (U+FEFF), the Zs category, LF, CR, LS, PS.
    static let spaceClass =
        #"\x{9}-\x{D}\x{20}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}"#
    static let lineTerminators = #"\x{A}\x{D}\x{2028}\x{2029}"#

    /// ECMA-262's SyntaxCharacter set plus `/`: the only characters `u` mode lets `\` escape as themselves.
    static let syntaxCharacters = "^$\\.*+?()[]{}|/"

    static func hex(_ value: UInt32) -> String { "\\x{\(String(value, radix: 16, uppercase: true))}" }

    /// The ICU pattern with the ECMA-262 meaning of `pattern`, or why JavaScript (or version 1) refuses it.
    public static func translate(_ pattern: String) -> Result<String, Problem> {
        var parser = Parser(scalars: Array(pattern.unicodeScalars))
        do {
            return .success(try parser.disjunction(depth: 0))
        } catch {
            return .failure(error)
        }
    }

    /// Why `pattern` can backtrack catastrophically, or nil: a group holding an unbounded quantifier (`*`, `+`,
    /// `{n,}`) that is itself repeated without bound, as in `(a+)+` or `([a-z]+ ?)*` — the classic exponential
    /// case of a backtracking engine such as the page's JavaScript. Overlapping alternatives (`(a|a)*`) and
    /// polynomial cases (`\d+\d+x`) are not detected. nil also for a pattern `translate` refuses.
    public static func backtrackingHazard(_ pattern: String) -> String? {
        var parser = Parser(scalars: Array(pattern.unicodeScalars))
        guard (try? parser.disjunction(depth: 0)) != nil else { return nil }
        return parser.hazard
    }

    struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0
        var groups = 0
        /// Whether an unbounded quantifier was read in the group being parsed (backtrackingHazard).
        var sawUnbounded = false
        /// Whether the atom just read is a group with an unbounded quantifier inside.
        var atomRepeatsInside = false
        /// The first nested unbounded repetition found, described.
        var hazard: String?
        /// The text of the last group read, for `hazard`.
        var lastGroup = ""

        init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var atEnd: Bool { index >= scalars.count }
        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            index + offset < scalars.count ? scalars[index + offset] : nil
        }

        mutating func disjunction(depth: Int) throws(Problem) -> String {
            guard depth <= 32 else { throw Problem("groups are nested more than 32 deep") }
            var out = ""
            var canQuantify = false
            while let scalar = peek() {
                switch scalar {
                case "|":
                    out += "|"
                    index += 1
                    canQuantify = false
                case ")":
                    guard depth > 0 else { throw Problem("unmatched `)` at offset \(index)") }
                    return out
                case "*", "+", "?", "{":
                    if scalar == "{", !looksLikeQuantifier() {
                        throw Problem("a lone `{` at offset \(index) is a syntax error in JavaScript; write `\\{`")
                    }
                    guard canQuantify else { throw Problem("nothing to repeat at offset \(index)") }
                    let start = index
                    let text = try quantifier()
                    out += text
                    let unbounded = text.hasPrefix("*") || text.hasPrefix("+") || text.contains(",}")
                    if unbounded {
                        if atomRepeatsInside && hazard == nil {
                            hazard =
                                "`\(lastGroup.prefix(40))` repeats without bound inside and is itself repeated by `\(text)` (offset \(start))"
                        }
                        sawUnbounded = true
                    }
                    atomRepeatsInside = false
                    canQuantify = false
                case "}":
                    throw Problem("a lone `}` at offset \(index) is a syntax error in JavaScript; write `\\}`")
                case "]":
                    throw Problem("a lone `]` at offset \(index) is a syntax error in JavaScript; write `\\]`")
                case "^":
                    out += "^"
                    index += 1
                    canQuantify = false
                case "$":
                    out += "\\z"
                    index += 1
                    canQuantify = false
                case ".":
                    out += "[^\(lineTerminators)]"
                    index += 1
                    canQuantify = true
                case "(":
                    let outer = sawUnbounded
                    let begin = index
                    sawUnbounded = false
                    let (text, quantifiable) = try group(depth: depth)
                    out += text
                    canQuantify = quantifiable
                    atomRepeatsInside = sawUnbounded
                    lastGroup = String(String.UnicodeScalarView(scalars[begin..<index]))
                    sawUnbounded = outer || sawUnbounded
                    continue
                case "[":
                    out += try characterClass()
                    canQuantify = true
                case "\\":
                    let (text, quantifiable) = try atomEscape()
                    out += text
                    canQuantify = quantifiable
                default:
                    out += hex(scalar.value)
                    index += 1
                    canQuantify = true
                }
                // Any atom but a group (which `continue`s) is no repeated group.
                atomRepeatsInside = false
            }
            guard depth == 0 else { throw Problem("a `(` is not closed") }
            return out
        }

        func looksLikeQuantifier() -> Bool {
            var k = index + 1
            var digits = 0
            while k < scalars.count, ("0"..."9").contains(scalars[k]) {
                k += 1
                digits += 1
            }
            guard digits > 0, k < scalars.count else { return false }
            if scalars[k] == "}" { return true }
            guard scalars[k] == "," else { return false }
            k += 1
            while k < scalars.count, ("0"..."9").contains(scalars[k]) { k += 1 }
            return k < scalars.count && scalars[k] == "}"
        }

        mutating func quantifier() throws(Problem) -> String {
            var out: String
            let scalar = scalars[index]
            index += 1
            if scalar == "{" {
                var minimum = ""
                while let digit = peek(), ("0"..."9").contains(digit) {
                    minimum.unicodeScalars.append(digit)
                    index += 1
                }
                var maximum: String? = minimum
                if peek() == "," {
                    index += 1
                    var text = ""
                    while let digit = peek(), ("0"..."9").contains(digit) {
                        text.unicodeScalars.append(digit)
                        index += 1
                    }
                    maximum = text.isEmpty ? nil : text
                }
                index += 1  // `}`
                guard let low = Int(minimum), low <= 10_000 else {
                    throw Problem("repetition count {\(minimum)} is over 10000")
                }
                if let maximum {
                    guard let high = Int(maximum), high <= 10_000 else {
                        throw Problem("repetition count \(maximum) is over 10000")
                    }
                    guard low <= high else { throw Problem("numbers out of order in {\(low),\(high)} quantifier") }
                    out = low == high ? "{\(low)}" : "{\(low),\(high)}"
                } else {
                    out = "{\(low),}"
                }
            } else {
                out = String(scalar)
            }
            if peek() == "?" {
                out += "?"
                index += 1
            }
            if let next = peek(), next == "*" || next == "+" || next == "?" || (next == "{" && looksLikeQuantifier()) {
                throw Problem(
                    "nothing to repeat at offset \(index) (possessive or doubled quantifiers are not ECMA-262)")
            }
            return out
        }

        mutating func group(depth: Int) throws(Problem) -> (String, Bool) {
            index += 1  // `(`
            var opening = "("
            var quantifiable = true
            if peek() == "?" {
                switch (peek(1), peek(2)) {
                case (":", _):
                    opening = "(?:"
                    index += 2
                case ("=", _):
                    opening = "(?="
                    index += 2
                    quantifiable = false
                case ("!", _):
                    opening = "(?!"
                    index += 2
                    quantifiable = false
                case ("<", "="):
                    opening = "(?<="
                    index += 3
                    quantifiable = false
                case ("<", "!"):
                    opening = "(?<!"
                    index += 3
                    quantifiable = false
                case ("<", _):
                    throw Problem("named groups are not supported in version 1; use `(` or `(?:`")
                default:
                    throw Problem(
                        "`(?\(peek(1).map(String.init) ?? "")` is not ECMA-262 syntax (no inline flags, atomic "
                            + "groups or comments); patterns are case-sensitive")
                }
            } else {
                groups += 1
            }
            let body = try disjunction(depth: depth + 1)
            guard peek() == ")" else { throw Problem("a `(` is not closed") }
            index += 1
            return (opening + body + ")", quantifiable)
        }

        /// `\` outside a class.
        mutating func atomEscape() throws(Problem) -> (String, Bool) {
            guard let escaped = peek(1) else { throw Problem("the pattern ends with a lone `\\`") }
            switch escaped {
            case "b":
                index += 2
                let w = "[\(wordClass)]"
                return ("(?:(?<=\(w))(?!\(w))|(?<!\(w))(?=\(w)))", false)
            case "B":
                index += 2
                let w = "[\(wordClass)]"
                return ("(?:(?<=\(w))(?=\(w))|(?<!\(w))(?!\(w)))", false)
            case "1"..."9":
                throw Problem("backreferences (`\\\(escaped)`) are not supported in version 1")
            case "k":
                throw Problem("named backreferences (`\\k`) are not supported in version 1")
            default:
                if let set = try classEscape() { return ("[\(set)]", true) }
                return (hex(try characterEscape()), true)
            }
        }

        /// `\d \D \w \W \s \S` as the body of an ICU set (`[...]` or `[^...]` inside), or nil for another escape.
        mutating func classEscape() throws(Problem) -> String? {
            guard peek() == "\\", let escaped = peek(1) else { return nil }
            let set: String
            switch escaped {
            case "d": set = digitClass
            case "D": set = "^\(digitClass)"
            case "w": set = wordClass
            case "W": set = "^\(wordClass)"
            case "s": set = spaceClass
            case "S": set = "^\(spaceClass)"
            case "p", "P":
                throw Problem("Unicode property escapes (`\\\(escaped){...}`) are not supported in version 1")
            default: return nil
            }
            index += 2
            return set
        }

        /// A character escape (`\n`, `\x41`, `\u{1F600}`, `\.`…); `index` is at the backslash. In `u` mode only
        /// syntax characters and `/` may be escaped as themselves (and `-` inside a class).
        mutating func characterEscape(inClass: Bool = false) throws(Problem) -> UInt32 {
            let escaped = scalars[index + 1]
            index += 2
            switch escaped {
            case "t": return 0x09
            case "n": return 0x0A
            case "v": return 0x0B
            case "f": return 0x0C
            case "r": return 0x0D
            case "b" where inClass: return 0x08
            case "-" where inClass: return 0x2D
            case "0":
                if let next = peek(), ("0"..."9").contains(next) {
                    throw Problem("`\\0` followed by a digit is an octal escape, which JavaScript's `u` mode rejects")
                }
                return 0
            case "c":
                guard let letter = peek(), letter.isASCII, letter.properties.isAlphabetic else {
                    throw Problem("`\\c` must be followed by a letter")
                }
                index += 1
                return letter.value % 32
            case "x":
                guard let value = hexDigits(count: 2) else { throw Problem("`\\x` must be followed by two hex digits") }
                return value
            case "u":
                if peek() == "{" {
                    index += 1
                    var text = ""
                    while let digit = peek(), digit != "}" {
                        text.unicodeScalars.append(digit)
                        index += 1
                    }
                    // Hex digits only (`UInt32(_:radix:)` would take a sign), any count of leading zeros, ≤ 10FFFF.
                    let digits = text.drop { $0 == "0" }
                    guard peek() == "}", !text.isEmpty, text.unicodeScalars.allSatisfy(\.properties.isASCIIHexDigit),
                        digits.count <= 6, let value = UInt32(digits.isEmpty ? "0" : String(digits), radix: 16),
                        Unicode.Scalar(value) != nil
                    else { throw Problem("`\\u{...}` must hold a Unicode scalar value in hex digits") }
                    index += 1
                    return value
                }
                guard let value = hexDigits(count: 4) else {
                    throw Problem("`\\u` must be followed by four hex digits or `{...}`")
                }
                // A surrogate pair `\\uD83D\\uDE00` is one code point in `u` mode; a lone surrogate can never match
                // a Swift string and is refused.
                if (0xD800...0xDBFF).contains(value), peek() == "\\", peek(1) == "u" {
                    let saved = index
                    index += 2
                    if let low = hexDigits(count: 4), (0xDC00...0xDFFF).contains(low) {
                        return 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    }
                    index = saved
                }
                guard Unicode.Scalar(value) != nil else {
                    throw Problem(
                        "`\\u\(String(value, radix: 16))` is a lone surrogate; write the character as `\\u{...}`")
                }
                return value
            default:
                if syntaxCharacters.unicodeScalars.contains(escaped) { return escaped.value }
                throw Problem(
                    "`\\\(escaped)` is not an escape JavaScript's `u` mode accepts"
                        + (inClass ? "" : (escaped == "-" ? " outside a character class; write `-`" : ""))
                        + " (no `\\A`, `\\z`, `\\Z`, `\\Q`, `\\h`, `\\x{..}` or identity escapes of letters and `_`)")
            }
        }

        mutating func hexDigits(count: Int) -> UInt32? {
            guard index + count <= scalars.count else { return nil }
            let text = String(String.UnicodeScalarView(scalars[index..<index + count]))
            guard text.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }), let value = UInt32(text, radix: 16)
            else { return nil }
            index += count
            return value
        }

        /// `[...]`, written as an ICU set whose every member is a `\x{...}` literal, range or nested set.
        mutating func characterClass() throws(Problem) -> String {
            index += 1  // `[`
            var negated = false
            if peek() == "^" {
                negated = true
                index += 1
            }
            var members = ""
            var empty = true
            while true {
                guard let scalar = peek() else { throw Problem("a `[` is not closed") }
                if scalar == "]" {
                    index += 1
                    break
                }
                empty = false
                if let set = try classEscape() {
                    if peek() == "-", let after = peek(1), after != "]" {
                        throw Problem(
                            "a class escape such as `\\d` cannot start or end a range in JavaScript's `u` mode")
                    }
                    members += "[\(set)]"
                    continue
                }
                let low = try classAtom()
                if peek() == "-", let after = peek(1), after != "]" {
                    index += 1
                    if try classEscape() != nil {
                        throw Problem(
                            "a class escape such as `\\d` cannot start or end a range in JavaScript's `u` mode")
                    }
                    let high = try classAtom()
                    guard low <= high else { throw Problem("range out of order in character class") }
                    members += "\(hex(low))-\(hex(high))"
                } else {
                    members += hex(low)
                }
            }
            if empty { return negated ? #"[\x{0}-\x{10FFFF}]"# : #"[^\x{0}-\x{10FFFF}]"# }
            return negated ? "[^\(members)]" : "[\(members)]"
        }

        mutating func classAtom() throws(Problem) -> UInt32 {
            let scalar = scalars[index]
            if scalar == "\\" {
                guard index + 1 < scalars.count else { throw Problem("the pattern ends with a lone `\\`") }
                return try characterEscape(inClass: true)
            }
            index += 1
            return scalar.value
        }
    }
}

// MARK: - Evaluation.swift

/// What a conversation brings besides its program: the verified claims (or none, for a guest), the custom
/// attributes the page sent, and what each data action returned.
public struct EvaluationInput: Sendable {
    public enum DataActionResult: Sendable, Hashable {
        /// The action succeeded with this JSON object (keyed by claim local names for enrichments, by output
        /// field for guarded actions).
        case response(JSONValue)
        /// The action failed or timed out: defaults apply.
        case fail
    }

    /// The verified token payload. A conversation is a guest's when this and `checkedClaims` are both nil.
    public var claims: JSONValue?
    /// Attribute values the page set, overriding `mirrors` (a tampered page is simulated this way).
    public var attributes: [String: String]
    /// Per enrichment; absent means "take the claim from the token when it carries it".
    public var enrichments: [String: DataActionResult]
    /// Per guarded action, used when the guard opens and the flow reaches the call.
    public var actions: [String: DataActionResult]
    /// Set by a caller that has already looked up every declared claim in `claims` and checked it against its
    /// contract, as replay does before evaluating: the value of each of the program's `claims`, in order (nil
    /// when absent). The evaluator then neither looks token claims up again nor re-checks them, and needs no
    /// `claims` (replay passes none: the payload stays bytes); data-action responses are always checked. It must
    /// hold one entry per declared claim (a precondition: another length is the caller's bug).
    public var checkedClaims: [JSONValue?]?

    public init(
        claims: JSONValue?, attributes: [String: String] = [:], enrichments: [String: DataActionResult] = [:],
        actions: [String: DataActionResult] = [:]
    ) {
        self.claims = claims
        self.attributes = attributes
        self.enrichments = enrichments
        self.actions = actions
    }
}

/// Everything one conversation gets: variables, participant data, the route and each guard's decision.
public struct EvaluationResult: Sendable, Hashable {
    public struct Variable: Sendable, Hashable {
        public var name: String
        public var type: ValueType
        /// nil is NOT_SET.
        public var value: Value?
        public var trusted: Bool
        /// `builtin:<claim>`, `enrichment:<name>`, `attribute:<name>`, `default`, `expr` or `action:<name>`.
        public var source: String
    }

    public struct Route: Sendable, Hashable {
        public var rule: String
        public var queue: String
        public var priority: Int?
        public var skills: [String]

        /// `{"rule":…,"queue":…,"priority":…,"skills":[…]}`.
        public func writeJSON(to out: inout ByteWriter) {
            out.append("{\"rule\":")
            out.appendQuoted(rule)
            out.append(",\"queue\":")
            out.appendQuoted(queue)
            out.append(",\"priority\":")
            if let priority { out.appendUTF8(String(priority)) } else { out.append("null") }
            out.append(",\"skills\":[")
            for (index, skill) in skills.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.appendQuoted(skill)
            }
            out.append("]}")
        }
    }

    public struct GuardDecision: Sendable, Hashable {
        public var name: String
        public var allowed: Bool
        /// nil when allowed; else `not_authenticated`, `input_not_set` or `condition_false`.
        public var reason: String?

        public init(name: String, allowed: Bool, reason: String?) {
            self.name = name
            self.allowed = allowed
            self.reason = reason
        }
    }

    public var variables: [Variable]
    /// Key → the string Architect writes, or nil when the variable is NOT_SET (the flow skips the key).
    public var participantData: [(key: String, value: String?)]
    public var route: Route?
    /// Each rule tried in order with whether its condition held, up to the one that matched.
    public var rulesTried: [(rule: String, matched: Bool)] = []
    public var guards: [GuardDecision]
    /// Data problems that did not reject the token, e.g. an enrichment value that broke its claim's contract.
    public var warnings: [String]
    /// Page values (or mirrored claims) an attribute's contract refused; each target kept what it had.
    public var refusedAttributes: [RefusedAttribute] = []

    /// An attribute value the flow's checks would refuse: which, why, and what each of its variables holds instead.
    public struct RefusedAttribute: Sendable, Hashable {
        public var attribute: String
        public var value: String
        /// `not one of its enum values ...`, `longer than its maxLength ...`, `does not match its pattern ...`, `empty`.
        public var reason: String
        /// `page` for a value the page sent, or `claim <name>` for a mirrored claim.
        public var origin: String
        /// Each target variable and the value it keeps (nil: NOT_SET).
        public var kept: [(variable: String, value: Value?)]

        public static func == (lhs: RefusedAttribute, rhs: RefusedAttribute) -> Bool {
            lhs.attribute == rhs.attribute && lhs.value == rhs.value && lhs.reason == rhs.reason
                && lhs.origin == rhs.origin && lhs.kept.map(\.variable) == rhs.kept.map(\.variable)
                && lhs.kept.map(\.value) == rhs.kept.map(\.value)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(attribute)
            hasher.combine(value)
        }
    }

    public static func == (lhs: EvaluationResult, rhs: EvaluationResult) -> Bool {
        lhs.variables == rhs.variables && lhs.route == rhs.route && lhs.guards == rhs.guards
            && lhs.warnings == rhs.warnings && lhs.refusedAttributes == rhs.refusedAttributes
            && lhs.participantData.map(\.key) == rhs.participantData.map(\.key)
            && lhs.participantData.map(\.value) == rhs.participantData.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(variables)
        hasher.combine(route)
        hasher.combine(guards)
    }

    public func variable(_ name: String) -> Variable? { variables.first { $0.name == name } }

    /// The result as one compact JSON object, as replay prints it after the token facts (the differential tests
    /// compare the generated evaluator's output with it).
    public func jsonText() -> String {
        var out = ByteWriter(capacity: 2048)
        out.append("{")
        writeJSONMembers(to: &out)
        out.append("}")
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Streams the result's four members — `"variables":…,"participantData":…,"route":…,"guards":…`, without
    /// the enclosing braces — in the compact JSON form (replay writes one such line per token, without building a
    /// `JSONValue` tree). `docs/schemas/replay-line.schema.json` documents the shape.
    public func writeJSONMembers(to out: inout ByteWriter) {
        // Elements are read in place through buffer pointers: iterating would copy (retain and release) each
        // struct's strings, which cost a fifth of the line.
        out.append("\"variables\":{")
        variables.withUnsafeBufferPointer { variables in
            for index in variables.indices {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.appendQuoted(variables[index].name)
                out.append(":{\"type\":")
                variables[index].type.writeQuotedName(to: &out)
                out.append(",\"value\":")
                if let value = variables[index].value {
                    value.writeJSON(to: &out)
                } else {
                    out.append("null")
                }
                out.append(
                    variables[index].trusted ? ",\"trusted\":true,\"source\":" : ",\"trusted\":false,\"source\":")
                out.appendQuoted(variables[index].source)
                out.append(UInt8(ascii: "}"))
            }
        }
        out.append("},\"participantData\":{")
        participantData.withUnsafeBufferPointer { data in
            for index in data.indices {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.appendQuoted(data[index].key)
                out.append(UInt8(ascii: ":"))
                if let value = data[index].value {
                    out.appendQuoted(value)
                } else {
                    out.append("null")
                }
            }
        }
        out.append("},\"route\":")
        if let route { route.writeJSON(to: &out) } else { out.append("null") }
        out.append(",\"guards\":{")
        guards.withUnsafeBufferPointer { guards in
            for index in guards.indices {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.appendQuoted(guards[index].name)
                out.append(
                    guards[index].allowed ? ":{\"allowed\":true,\"reason\":" : ":{\"allowed\":false,\"reason\":")
                if let reason = guards[index].reason {
                    out.appendQuoted(reason)
                } else {
                    out.append("null")
                }
                out.append(UInt8(ascii: "}"))
            }
        }
        out.append(UInt8(ascii: "}"))
    }
}

/// One conversation as the interpreter left it: each variable's value and source as slots, each guard's decision and
/// the chosen rule as indexes, nothing yet turned into names and strings. `result` names them (an
/// `EvaluationResult`); `writeJSONMembers` writes replay's line from the slots, with every name, type, source label,
/// key and route encoded once per program (`Interpreter.LineText`), so a token's line costs its values only.
public struct Evaluation: Sendable {
    /// A guard's decision.
    enum Decision: UInt8, Sendable {
        case allowed, notAuthenticated, inputNotSet, conditionFalse

        /// `GuardDecision.reason`.
        var reason: String? {
            switch self {
            case .allowed: nil
            case .notAuthenticated: "not_authenticated"
            case .inputNotSet: "input_not_set"
            case .conditionFalse: "condition_false"
            }
        }
    }

    let plan: Plan
    let slots: [Interpreter.Slot]
    /// One per guard, in the program's order.
    let decisions: [Decision]
    /// The index of the rule that matched; every rule before it was tried and did not.
    let route: Int?
    /// As `EvaluationResult.warnings`.
    public let warnings: [String]
    /// As `EvaluationResult.refusedAttributes`.
    public let refusedAttributes: [EvaluationResult.RefusedAttribute]

    init(
        plan: Plan, slots: [Interpreter.Slot], decisions: [Decision], route: Int?, warnings: [String],
        refusedAttributes: [EvaluationResult.RefusedAttribute]
    ) {
        self.plan = plan
        self.slots = slots
        self.decisions = decisions
        self.route = route
        self.warnings = warnings
        self.refusedAttributes = refusedAttributes
    }

    /// The conversation with its variables, keys, rules and guards named.
    public var result: EvaluationResult {
        var variables: [EvaluationResult.Variable] = []
        variables.reserveCapacity(plan.names.count)
        for slot in plan.names.indices {
            variables.append(
                EvaluationResult.Variable(
                    name: plan.names[slot], type: plan.types[slot], value: slots[slot].value,
                    trusted: plan.trusted[slot], source: plan.labels[slots[slot].source]))
        }
        let tried = route.map { $0 + 1 } ?? plan.rules.count
        return EvaluationResult(
            variables: variables,
            participantData: plan.participantData.map { datum in
                (datum.key, datum.slot.flatMap { slots[$0].value }.map(Interpreter.architectString))
            },
            route: route.map { plan.rules[$0].route },
            rulesTried: (0..<tried).map { (plan.rules[$0].route.rule, $0 == route) },
            guards: zip(plan.guards, decisions).map {
                EvaluationResult.GuardDecision(name: $0.name, allowed: $1 == .allowed, reason: $1.reason)
            },
            warnings: warnings, refusedAttributes: refusedAttributes)
    }

    /// Writes the same bytes as `result.writeJSONMembers(to:)` (a differential test holds them equal), from the slots.
    public func writeJSONMembers(to out: inout ByteWriter) {
        let text = plan.lineText
        text.bytes.withUnsafeBufferPointer { bytes in
            func put(_ range: Range<Int>) { out.append(UnsafeBufferPointer(rebasing: bytes[range])) }
            put(text.opening)
            slots.withUnsafeBufferPointer { slots in
                for index in slots.indices {
                    switch slots[index].value {
                    case .some(let value): value.writeJSON(to: &out)
                    case .none: out.append("null")
                    }
                    // The variable's tail and the next one's head, encoded together for each source it can report.
                    let source = slots[index].source
                    if let join = text.join(index, source) {
                        put(join)
                    } else {
                        // A source the plan did not list: the pieces one by one (the same bytes).
                        put(text.variableTails[2 * source + (plan.trusted[index] ? 1 : 0)])
                        if index + 1 < slots.count {
                            out.append(UInt8(ascii: ","))
                            put(text.variableHeads[index + 1])
                        }
                    }
                }
            }
            if text.dataKeys.isEmpty { out.append("},\"participantData\":{") }
            for index in text.dataKeys.indices {
                put(text.dataKeys[index])
                if let slot = plan.participantData[index].slot, let value = slots[slot].value {
                    out.appendQuoted(Interpreter.architectString(value))
                } else {
                    out.append("null")
                }
            }
            if let route { put(text.routes[route]) } else { out.append("},\"route\":null,\"guards\":{") }
            for index in decisions.indices {
                put(text.guardHeads[index])
                if let reason = decisions[index].reason {
                    out.append("false,\"reason\":")
                    out.appendQuoted(reason)
                    out.append(UInt8(ascii: "}"))
                } else {
                    out.append("true,\"reason\":null}")
                }
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}

// MARK: - EvaluatorProgram.swift

/// The compiled, typed evaluator program of one spec: what `evaluator.json` holds and what `replay` and `test`
/// execute. It carries everything needed to turn verified claims into variables, participant data, a route and
/// guard decisions, and the identity policy the verifier applies first. Format version 1.
public struct EvaluatorProgram: Sendable, Hashable {
    public static let formatVersion = 1

    public var spec: String
    public var identity: IdentityPolicy
    public var claims: [ClaimSpec]
    public var enrichments: [EnrichmentSpec]
    public var attributes: [AttributeSpec]
    /// In spec order.
    public var variables: [VariableSpec]
    /// Computed variables in evaluation order.
    public var computationOrder: [String]
    public var participantData: [ParticipantDatumSpec]
    public var routing: [RuleSpec]
    public var guards: [GuardSpec]

    public init(
        spec: String, identity: IdentityPolicy, claims: [ClaimSpec], enrichments: [EnrichmentSpec],
        attributes: [AttributeSpec], variables: [VariableSpec], computationOrder: [String],
        participantData: [ParticipantDatumSpec], routing: [RuleSpec], guards: [GuardSpec]
    ) {
        self.spec = spec
        self.identity = identity
        self.claims = claims
        self.enrichments = enrichments
        self.attributes = attributes
        self.variables = variables
        self.computationOrder = computationOrder
        self.participantData = participantData
        self.routing = routing
        self.guards = guards
    }
}

/// What a conversation without a verified token gets (`identity.guests`): routed by the guest rules, or kept out
/// (the page script keeps the Messenger closed and the flow disconnects).
public enum GuestMode: String, Sendable, Hashable, CaseIterable {
    case route, block
}

public struct IdentityPolicy: Sendable, Hashable {
    public var discovery: String
    public var issuer: String
    public var audience: [String]
    public var algorithms: [String]
    public var leewaySeconds: Int
    public var maxAgeSeconds: Int?
    public var nonceRequired: Bool
    public var jwks: String?
    public var guests: GuestMode

    /// The signature algorithms a spec may name: the compiler's `SpecGrammar.supportedAlgorithms` is this list, and a
    /// test holds it equal to the verifier's `JWKS.signatureAlgorithms`.
    public static let supportedAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
    /// The spec's limits: a leeway of at most 5 minutes, a maxAge of at most 1,000,000 days.
    public static let leewayRange = 0...300
    public static let maxAgeRange = 1...86_400_000_000

    public init(
        discovery: String, issuer: String, audience: [String], algorithms: [String], leewaySeconds: Int,
        maxAgeSeconds: Int?, nonceRequired: Bool, jwks: String?, guests: GuestMode
    ) {
        self.discovery = discovery
        self.issuer = issuer
        self.audience = audience
        self.algorithms = algorithms
        self.leewaySeconds = leewaySeconds
        self.maxAgeSeconds = maxAgeSeconds
        self.nonceRequired = nonceRequired
        self.jwks = jwks
        self.guests = guests
    }
}

/// The JSON types a claim can declare.
public enum ClaimKind: String, Sendable, Hashable, CaseIterable {
    case string, integer, number, boolean, array, object
}

/// A string claim's `format:` (`numeric-date` marks a number claim read as a NumericDate).
public enum ClaimFormat: String, Sendable, Hashable, CaseIterable {
    case email, uri
    case dateTime = "date-time"
    case numericDate = "numeric-date"
}

/// A claim's JSON type and constraints: the contract with the IdP (and with enrichment data actions).
public struct ClaimTypeSpec: Sendable, Hashable {
    public var kind: ClaimKind
    public var items: [ClaimTypeSpec]
    public var properties: [String: ClaimTypeSpec]
    public var propertyOrder: [String]
    public var enumValues: [String]?
    public var pattern: String?
    public var format: ClaimFormat?
    public var minimum: String?
    public var maximum: String?
    public var maxLength: Int?
    public var maxItems: Int?

    public init(
        kind: ClaimKind, items: [ClaimTypeSpec] = [], properties: [(String, ClaimTypeSpec)] = [],
        enumValues: [String]? = nil, pattern: String? = nil, format: ClaimFormat? = nil, minimum: String? = nil,
        maximum: String? = nil, maxLength: Int? = nil, maxItems: Int? = nil
    ) {
        self.kind = kind
        self.items = items
        self.properties = Dictionary(properties, uniquingKeysWith: { first, _ in first })
        self.propertyOrder = properties.map(\.0)
        self.enumValues = enumValues
        self.pattern = pattern
        self.format = format
        self.minimum = minimum
        self.maximum = maximum
        self.maxLength = maxLength
        self.maxItems = maxItems
    }
}

public struct ClaimSpec: Sendable, Hashable {
    public var name: String
    public var path: [String]
    public var type: ClaimTypeSpec
    public var required: Bool
    /// `sub`, `email` or `name` when the claim reaches Architect as a built-in.
    public var builtin: String?

    public init(name: String, path: [String], type: ClaimTypeSpec, required: Bool, builtin: String?) {
        self.name = name
        self.path = path
        self.type = type
        self.required = required
        self.builtin = builtin
    }
}

public struct EnrichmentSpec: Sendable, Hashable {
    public var name: String
    public var returns: [String]
    public init(name: String, returns: [String]) {
        self.name = name
        self.returns = returns
    }
}

public struct AttributeSpec: Sendable, Hashable {
    public var name: String
    public var enumValues: [String]?
    public var pattern: String?
    public var maxLength: Int?
    /// The claim the page copies into this attribute, if any.
    public var mirrors: String?

    public init(name: String, enumValues: [String]?, pattern: String?, maxLength: Int?, mirrors: String?) {
        self.name = name
        self.enumValues = enumValues
        self.pattern = pattern
        self.maxLength = maxLength
        self.mirrors = mirrors
    }
}

public enum VariableSourceSpec: Sendable, Hashable {
    case builtin(claim: String)
    case enrichment(claim: String, enrichment: String)
    case attribute(String)
    case expression(TypedExpr)
    case action(guardName: String, field: String)

    public var label: String {
        switch self {
        case .builtin(let claim): "builtin:\(claim)"
        case .enrichment(_, let enrichment): "enrichment:\(enrichment)"
        case .attribute(let name): "attribute:\(name)"
        case .expression: "expr"
        case .action(let guardName, _): "action:\(guardName)"
        }
    }
}

public struct VariableSpec: Sendable, Hashable {
    public var name: String
    public var type: ValueType
    public var source: VariableSourceSpec
    public var defaultValue: Value?
    public var trusted: Bool

    public init(name: String, type: ValueType, source: VariableSourceSpec, defaultValue: Value?, trusted: Bool) {
        self.name = name
        self.type = type
        self.source = source
        self.defaultValue = defaultValue
        self.trusted = trusted
    }
}

public struct ParticipantDatumSpec: Sendable, Hashable {
    public var key: String
    public var variable: String
    public init(key: String, variable: String) {
        self.key = key
        self.variable = variable
    }
}

public struct RuleSpec: Sendable, Hashable {
    public var name: String
    public var when: TypedExpr?
    public var queue: String
    public var priority: Int?
    public var skills: [String]
    public var sensitive: Bool

    public init(name: String, when: TypedExpr?, queue: String, priority: Int?, skills: [String], sensitive: Bool) {
        self.name = name
        self.when = when
        self.queue = queue
        self.priority = priority
        self.skills = skills
        self.sensitive = sensitive
    }
}

public struct GuardInputSpec: Sendable, Hashable {
    public var name: String
    public var variable: String
    public var pickFirst: Bool
    public init(name: String, variable: String, pickFirst: Bool) {
        self.name = name
        self.variable = variable
        self.pickFirst = pickFirst
    }
}

public struct GuardOutputSpec: Sendable, Hashable {
    public var variable: String
    public var field: String
    public var type: ValueType
    public init(variable: String, field: String, type: ValueType) {
        self.variable = variable
        self.field = field
        self.type = type
    }
}

public struct GuardSpec: Sendable, Hashable {
    public var name: String
    public var when: TypedExpr?
    /// `nil` for `call: start`, else the rule before whose transfer the action runs.
    public var beforeRule: String?
    public var inputs: [GuardInputSpec]
    public var outputs: [GuardOutputSpec]

    public init(
        name: String, when: TypedExpr?, beforeRule: String?, inputs: [GuardInputSpec], outputs: [GuardOutputSpec]
    ) {
        self.name = name
        self.when = when
        self.beforeRule = beforeRule
        self.inputs = inputs
        self.outputs = outputs
    }
}

/// An expression of the program, typed.
public indirect enum ExprKind: Sendable, Hashable {
    case literal(Value)
    case variable(String)
    case isAuthenticated
    case call(ArchitectOperations.Function, [TypedExpr])
    case not(TypedExpr)
    case negate(TypedExpr)
    case binary(ArchitectOperations.Operator, TypedExpr, TypedExpr)
}

public struct TypedExpr: Sendable, Hashable {
    public var kind: ExprKind
    public var type: ValueType
    public init(_ kind: ExprKind, type: ValueType) {
        self.kind = kind
        self.type = type
    }
}

// MARK: - ExactText.swift

import Foundation

/// Byte-exact text comparison for everything security depends on.
///
/// Swift's `String ==` compares by Unicode canonical equivalence: `"\u{212A}"` (KELVIN SIGN) equals `"K"`, and an NFD
/// nonce equals its NFC form. Identities (`iss`, `aud`, `azp`), nonces, key ids, enum members and attribute values
/// must instead match exactly the bytes the issuer or the spec wrote (RFC 7519 §7.3: no normalisation), so every such
/// comparison in the project goes through these functions, on UTF-8 bytes.
extension StringProtocol {
    /// Whether the UTF-8 encodings are the same bytes (no canonical or compatibility equivalence).
    @inlinable
    public func isByteEqual<Other: StringProtocol>(to other: Other) -> Bool {
        let lhs = self.utf8
        let rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        // Native strings hold their UTF-8 contiguously: one memcmp (the generic comparison was 1.7 % of replay's
        // profile).
        let contiguous = lhs.withContiguousStorageIfAvailable { left in
            rhs.withContiguousStorageIfAvailable { right in left.sameBytes(as: right) }
        }
        if let contiguous, let equal = contiguous { return equal }
        return lhs.elementsEqual(rhs)
    }

    /// Equality that folds ASCII letters `A`–`Z` to `a`–`z` and nothing else: every other byte, including every
    /// non-ASCII one, must be identical. For case-insensitive protocol tokens such as a JOSE `typ` (RFC 7515 §4.1.9,
    /// RFC 2045 media types), where Unicode case mapping (`"ǰwt".uppercased()`) must not apply.
    @inlinable
    public func isASCIICaseInsensitiveEqual<Other: StringProtocol>(to other: Other) -> Bool {
        let lhs = self.utf8
        let rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        // Contiguous UTF-8 (every native string) compared in place; the generic zip cost more than the check.
        let contiguous = lhs.withContiguousStorageIfAvailable { left in
            rhs.withContiguousStorageIfAvailable { right in
                left.indices.allSatisfy { asciiLowercased(left[$0]) == asciiLowercased(right[$0]) }
            }
        }
        if let contiguous, let equal = contiguous { return equal }
        return zip(lhs, rhs).allSatisfy { asciiLowercased($0) == asciiLowercased($1) }
    }
}

@inlinable
func asciiLowercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
}

extension Sequence where Element: StringProtocol {
    /// Whether some element is byte-for-byte `text` (see `isByteEqual(to:)`).
    @inlinable
    public func containsByteEqual<Other: StringProtocol>(_ text: Other) -> Bool {
        contains { $0.isByteEqual(to: text) }
    }
}

extension StringProtocol {
    /// Whether the UTF-8 bytes of `prefix` begin these bytes (`hasPrefix` folds canonical equivalents).
    @inlinable
    public func hasBytePrefix<Other: StringProtocol>(_ prefix: Other) -> Bool {
        utf8.count >= prefix.utf8.count && utf8.starts(with: prefix.utf8)
    }

    /// Whether the UTF-8 bytes of `suffix` end these bytes.
    @inlinable
    public func hasByteSuffix<Other: StringProtocol>(_ suffix: Other) -> Bool {
        let count = utf8.count
        let suffixCount = suffix.utf8.count
        return count >= suffixCount && utf8.dropFirst(count - suffixCount).elementsEqual(suffix.utf8)
    }

    /// Whether the UTF-8 bytes of `part` occur in these bytes (the empty text occurs everywhere). Because UTF-8 is
    /// self-synchronising, a byte match is a match of whole scalars.
    @inlinable
    public func containsBytes<Other: StringProtocol>(_ part: Other) -> Bool {
        part.utf8.isEmpty || utf8.firstRange(of: part.utf8) != nil
    }
}

extension StringProtocol {
    /// The number of Unicode scalars when it is above `limit`, else nil. Only text of more UTF-8 bytes than `limit`
    /// is counted: a scalar takes at least one byte, so shorter text cannot exceed it (for `maxLength` checks on
    /// every token).
    @inlinable
    public func scalarCount(above limit: Int) -> Int? {
        guard utf8.count > limit else { return nil }
        let count = unicodeScalars.count
        return count > limit ? count : nil
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these are the same bytes as `other` (one memcmp).
    @inlinable
    public func sameBytes(as other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == other.count else { return false }
        // No base address: both are empty (their counts are equal).
        guard let a = baseAddress, let b = other.baseAddress else { return true }
        return memcmp(a, b, count) == 0
    }

    /// Whether these bytes are `text`'s UTF-8, byte for byte (`isByteEqual(to:)` for text kept as bytes).
    @inlinable
    public func isUTF8(of text: String) -> Bool {
        var text = text
        return text.withUTF8 { sameBytes(as: $0) }
    }

    /// The index of the first `byte` at or after `start` (memchr: the generic search cost more than the work around
    /// it, for the dots of a token and the line feeds of standard input).
    @inlinable
    public func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        guard start < count, start >= 0, let base = baseAddress,
            let found = memchr(base + start, Int32(byte), count - start)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}

// MARK: - Interpreter.swift

import Foundation

/// The reference evaluator: runs an `EvaluatorProgram` on one conversation with the semantics of the emitted
/// Architect flow (trust: docs/security.md; the choices behind it: docs/decisions.md). Order, as in the flow:
/// 1. every variable starts at its default (or NOT_SET), guests included;
/// 2. authenticated only: built-ins, then each enrichment (a failure or a value that breaks its claim's
///    contract leaves the default);
/// 3. attributes (page values, or the mirrored claim), checked against enum/pattern/maxLength;
/// 4. computed variables in dependency order (a NOT_SET result leaves the default);
/// 5. guards with `call: start`; then the first routing rule whose condition is true; then guards called
///    `before` that rule. Every guard's decision is reported whether or not its call point is reached.
///
/// `init` resolves the program once into a `Plan` — every variable name to a slot, every operator and function
/// name to a case, every claim to its path and contract — so evaluating a conversation does no name lookups and
/// copies no spec structs (docs/performance.md's target: evaluate < 2 µs per token).
public struct Interpreter: Sendable {
    public let program: EvaluatorProgram
    private let plan: Plan

    public init(program: EvaluatorProgram) {
        self.program = program
        self.plan = Plan(program)
    }

    struct Slot {
        var value: Value?
        var source: Int
    }

    struct State {
        /// Each variable's value and the index into `Plan.labels` of where it came from (one array: one copy of
        /// the defaults per conversation).
        var slots: [Slot]
        let authenticated: Bool
        /// The program's expressions (shared, read-only).
        let code: CodeTable
    }

    /// Evaluates one conversation into named variables, participant data strings, the route and each guard's
    /// decision.
    public func evaluate(_ input: EvaluationInput) -> EvaluationResult { evaluation(input).result }

    /// Evaluates one conversation, keeping its outcome as slots (see `Evaluation`): replay writes its line from
    /// these without building an `EvaluationResult`.
    public func evaluation(_ input: EvaluationInput) -> Evaluation {
        let plan = self.plan
        let checked = input.checkedClaims
        // One value per declared claim, in order: anything else is a caller's bug, not a guest conversation.
        precondition(
            checked.map { $0.count == plan.claimCount } ?? true,
            "checkedClaims must hold one value per declared claim (\(plan.claimCount))")
        let payload = input.claims
        // A token's conversation: its payload, or the declared claims a caller found and checked in it.
        let authenticated = payload != nil || checked != nil
        var state = State(slots: plan.initialSlots, authenticated: authenticated, code: plan.code)
        var warnings: [String] = []
        /// A declared claim's value: from the caller's checked lookup, or found in the payload.
        func claim(_ index: Int, _ path: [String]) -> JSONValue? {
            if let checked { return checked[index] }
            guard let payload else { return nil }
            return ClaimContract.member(at: path, in: payload)
        }
        if authenticated {
            for builtin in plan.builtins {
                // An absent or empty built-in claim leaves the variable as it was (the flow tests IsNotSetOrEmpty).
                if case .string(let text)? = claim(builtin.claim, builtin.path), !text.isEmpty {
                    state.assign(builtin.slot, .string(text), source: builtin.label)
                }
            }
            for enrichment in plan.enrichments {
                // (Replay without --enrichment passes none: skip hashing the name.)
                let result = input.enrichments.isEmpty ? nil : input.enrichments[enrichment.name]
                if result == .fail { continue }
                for target in enrichment.targets {
                    let raw: JSONValue?
                    var conforms = false
                    if case .response(let object)? = result {
                        raw = object[member: target.claimName]
                    } else {
                        raw = claim(target.claim, target.path)
                        conforms = checked != nil
                    }
                    guard let raw, raw != .null else { continue }
                    if !conforms, let violation = target.contract.violation(raw) {
                        warnings.append(
                            "enrichment `\(enrichment.name)` returned \(target.claimName) that breaks its contract (\(violation)); \(target.variableName) keeps its default"
                        )
                        continue
                    }
                    state.assign(
                        target.slot, ClaimContract.convert(raw, to: target.type),
                        source: target.label)
                }
            }
        }
        var refused: [EvaluationResult.RefusedAttribute] = []
        for attribute in plan.attributes {
            var text = input.attributes.isEmpty ? nil : input.attributes[attribute.spec.name]
            var mirrored: Int?
            if text == nil, authenticated, let (index, path) = attribute.mirror, let raw = claim(index, path) {
                if case .string(let s) = raw { text = s } else { text = raw.compact() }
                mirrored = index
            }
            guard let text else { continue }
            if let reason = attribute.refusal(text) {
                refused.append(
                    EvaluationResult.RefusedAttribute(
                        attribute: attribute.spec.name, value: text, reason: reason,
                        origin: mirrored.map { "claim \(program.claims[$0].name)" } ?? "page",
                        kept: attribute.targets.map { (plan.names[$0.slot], state.slots[$0.slot].value) }))
                continue
            }
            for target in attribute.targets { state.assign(target.slot, .string(text), source: target.label) }
        }
        for computation in plan.computations {
            var value = state.run(computation.code)
            if computation.widensToDecimal, case .integer(let i)? = value { value = .decimal(Decimal(i)) }
            state.assign(computation.slot, value, source: Plan.exprLabel)
        }
        var decisions: [Evaluation.Decision] = []
        decisions.reserveCapacity(plan.guards.count)
        for guardPlan in plan.guards { decisions.append(decide(guardPlan, &state)) }
        func runAction(_ index: Int) {
            let guardPlan = plan.guards[index]
            guard decisions[index] == .allowed, case .response(let object)? = input.actions[guardPlan.name] else {
                return
            }
            for output in guardPlan.outputs {
                guard let slot = output.slot, let raw = object[member: output.field] else { continue }
                state.assign(slot, Value(json: raw, type: output.type), source: guardPlan.label)
            }
        }
        for index in plan.startGuards { runAction(index) }
        // The first rule whose condition holds (the rules before it were tried); its guarded actions run before it.
        let route = plan.rules.firstIndex { rule in rule.when.map { state.run($0) == .boolean(true) } ?? true }
        if let route {
            for index in plan.rules[route].guardsBefore { runAction(index) }
        }
        return Evaluation(
            plan: plan, slots: state.slots, decisions: decisions, route: route, warnings: warnings,
            refusedAttributes: refused)
    }

    private func decide(_ guardPlan: Plan.Guard, _ state: inout State) -> Evaluation.Decision {
        guard state.authenticated else { return .notAuthenticated }
        for input in guardPlan.inputs {
            let value = input.slot.flatMap { state.slots[$0].value }
            // The flow tests a collection with `Count(x) > 0`: empty is not set.
            var present = value != nil
            if case .collection(let items)? = value { present = !items.isEmpty }
            guard present else { return .inputNotSet }
        }
        if let when = guardPlan.when, state.run(when) != .boolean(true) { return .conditionFalse }
        return .allowed
    }

    /// The string Set Participant Data stores for a value (`ToString`).
    public static func architectString(_ value: Value) -> String {
        ArchitectOperations.toString(value)
    }
}

extension Interpreter.State {
    /// A NOT_SET result leaves the variable as it was (its default, or an earlier source's value), and so does an
    /// empty collection: Architect has no NOT_SET collection, so the flow tests `Count(x) > 0` and keeps the default.
    mutating func assign(_ slot: Int, _ value: Value?, source: Int) {
        guard let value else { return }
        if case .collection(let items) = value, items.isEmpty { return }
        slots[slot] = Interpreter.Slot(value: value, source: source)
    }
}

/// An `EvaluatorProgram` resolved for evaluation. Variables are addressed by slot (their index in the
/// program); a name the program does not declare resolves to no slot and reads as NOT_SET, as it did when
/// names were looked up per conversation. Where a name is declared twice, the first declaration wins.
final class Plan: Sendable {
    static let defaultLabel = 0
    static let exprLabel = 1

    struct Builtin {
        let slot: Int
        /// Index of the claim in the program's `claims`, and its path in the payload.
        let claim: Int
        let path: [String]
        let label: Int
    }

    final class EnrichmentTarget: Sendable {
        let slot: Int
        let variableName: String
        let claimName: String
        let claim: Int
        let path: [String]
        let contract: ClaimContract.Compiled
        let type: ValueType
        let label: Int

        init(
            slot: Int, variableName: String, claimName: String, claim: Int, path: [String],
            contract: ClaimContract.Compiled, type: ValueType, label: Int
        ) {
            self.slot = slot
            self.variableName = variableName
            self.claimName = claimName
            self.claim = claim
            self.path = path
            self.contract = contract
            self.type = type
            self.label = label
        }
    }

    struct Enrichment {
        let name: String
        let targets: [EnrichmentTarget]
    }

    struct Target {
        let slot: Int
        let label: Int
    }

    final class Attribute: Sendable {
        let spec: AttributeSpec
        /// The mirrored claim's index in the program's `claims`, and its path.
        let mirror: (Int, [String])?
        let targets: [Target]
        let pattern: CompiledPattern?

        init(spec: AttributeSpec, mirror: (Int, [String])?, targets: [Target]) {
            self.spec = spec
            self.mirror = mirror
            self.targets = targets
            self.pattern = spec.pattern.map { PatternCache.shared.compiled($0) }
        }

        /// nil for a page value within the attribute's enum, length and pattern (and not empty); else why the
        /// flow's checks refuse it.
        func refusal(_ text: String) -> String? {
            if let values = spec.enumValues, !values.containsByteEqual(text) {
                return "not one of its enum values (\(values.map(JSONValue.quoted).joined(separator: ", ")))"
            }
            if let maxLength = spec.maxLength, let count = text.scalarCount(above: maxLength) {
                return "longer than its maxLength \(maxLength) (\(count) characters)"
            }
            if let pattern, !pattern.matches(text) {
                return "does not match its pattern \(JSONValue.quoted(spec.pattern ?? ""))"
            }
            return text.isEmpty ? "empty (an empty attribute counts as not sent)" : nil
        }
    }

    struct Computation {
        let slot: Int
        /// Root instruction in `Plan.code`.
        let code: Int
        let widensToDecimal: Bool
    }

    final class Guard: Sendable {
        struct Input {
            let slot: Int?
        }
        struct Output {
            let slot: Int?
            let field: String
            let type: ValueType
        }
        let name: String
        let inputs: [Input]
        let when: Int?
        let outputs: [Output]
        /// The label of values its action writes: `action:<name>`.
        let label: Int

        init(name: String, inputs: [Input], when: Int?, outputs: [Output], label: Int) {
            self.name = name
            self.inputs = inputs
            self.when = when
            self.outputs = outputs
            self.label = label
        }
    }

    final class Rule: Sendable {
        let when: Int?
        let route: EvaluationResult.Route
        /// Indexes into `guards` of the actions called before this rule's transfer.
        let guardsBefore: [Int]

        init(when: Int?, route: EvaluationResult.Route, guardsBefore: [Int]) {
            self.when = when
            self.route = route
            self.guardsBefore = guardsBefore
        }
    }

    let names: [String]
    let types: [ValueType]
    let trusted: [Bool]
    /// Every source label a variable can report; `State.sources` indexes it.
    let labels: [String]
    let initialSlots: [Interpreter.Slot]
    let builtins: [Builtin]
    let enrichments: [Enrichment]
    let attributes: [Attribute]
    let computations: [Computation]
    let guards: [Guard]
    /// Indexes into `guards` of the actions called at the start.
    let startGuards: [Int]
    let rules: [Rule]
    let participantData: [(key: String, slot: Int?)]
    /// How many claims the program declares (the length `EvaluationInput.checkedClaims` must have).
    let claimCount: Int
    /// Every expression of the program: computed variables, guard conditions and rule conditions.
    let code: CodeTable
    /// What replay's line takes from the program, encoded once.
    let lineText: Interpreter.LineText

    init(_ program: EvaluatorProgram) {
        let variables = program.variables
        let slots = Dictionary(variables.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        let claims = Dictionary(program.claims.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let claimIndexes = Dictionary(
            program.claims.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        claimCount = program.claims.count
        let contracts = claims.mapValues { ClaimContract.Compiled($0.type) }
        var labels = ["default", "expr"]
        var labelIndex = ["default": 0, "expr": 1]
        func label(_ text: String) -> Int {
            if let index = labelIndex[text] { return index }
            labels.append(text)
            labelIndex[text] = labels.count - 1
            return labels.count - 1
        }
        names = variables.map(\.name)
        types = variables.map(\.type)
        trusted = variables.map(\.trusted)
        initialSlots = variables.map {
            Interpreter.Slot(
                value: $0.defaultValue, source: $0.defaultValue == nil ? label($0.source.label) : Self.defaultLabel)
        }

        var builtins: [Builtin] = []
        for variable in variables {
            guard case .builtin(let claimName) = variable.source, let claim = claims[claimName],
                let index = claimIndexes[claimName], let slot = slots[variable.name]
            else { continue }
            builtins.append(
                Builtin(slot: slot, claim: index, path: claim.path, label: label(variable.source.label)))
        }
        self.builtins = builtins

        enrichments = program.enrichments.map { enrichment in
            var targets: [EnrichmentTarget] = []
            for variable in variables {
                guard case .enrichment(let claimName, let name) = variable.source, name == enrichment.name,
                    let claim = claims[claimName], let index = claimIndexes[claimName], let slot = slots[variable.name]
                else { continue }
                targets.append(
                    EnrichmentTarget(
                        slot: slot, variableName: variable.name, claimName: claimName, claim: index, path: claim.path,
                        contract: contracts[claimName] ?? ClaimContract.Compiled(claim.type), type: variable.type,
                        label: label(variable.source.label)))
            }
            return Enrichment(name: enrichment.name, targets: targets)
        }

        attributes = program.attributes.map { attribute in
            var targets: [Target] = []
            for variable in variables {
                guard case .attribute(attribute.name) = variable.source, let slot = slots[variable.name] else {
                    continue
                }
                targets.append(Target(slot: slot, label: label(variable.source.label)))
            }
            return Attribute(
                spec: attribute,
                mirror: attribute.mirrors.flatMap { name in
                    claims[name].flatMap { claim in claimIndexes[name].map { ($0, claim.path) } }
                }, targets: targets)
        }

        var code = CodeTable()
        computations = program.computationOrder.compactMap { name in
            guard let slot = slots[name], case .expression(let expr) = variables[slot].source else { return nil }
            return Computation(
                slot: slot, code: code.add(expr, slots: slots), widensToDecimal: variables[slot].type == .decimal)
        }

        guards = program.guards.map { guardSpec in
            Guard(
                name: guardSpec.name,
                inputs: guardSpec.inputs.map { Guard.Input(slot: slots[$0.variable]) },
                when: guardSpec.when.map { code.add($0, slots: slots) },
                outputs: guardSpec.outputs.map {
                    Guard.Output(slot: slots[$0.variable], field: $0.field, type: $0.type)
                },
                label: label("action:\(guardSpec.name)"))
        }
        startGuards = program.guards.indices.filter { program.guards[$0].beforeRule == nil }
        rules = program.routing.map { rule in
            Rule(
                when: rule.when.map { code.add($0, slots: slots) },
                route: EvaluationResult.Route(
                    rule: rule.name, queue: rule.queue, priority: rule.priority, skills: rule.skills),
                guardsBefore: program.guards.indices.filter { program.guards[$0].beforeRule == rule.name })
        }
        participantData = program.participantData.map { ($0.key, slots[$0.variable]) }
        self.labels = labels
        self.code = code
        // Every source a variable can report: where it starts (its default, or its own source while unset), and
        // each writer of its slot. The line encodes, per variable and source, its tail and the next variable's head.
        var sources = initialSlots.map { [$0.source] }
        func writes(_ slot: Int?, _ label: Int) {
            guard let slot, !sources[slot].contains(label) else { return }
            sources[slot].append(label)
        }
        for builtin in builtins { writes(builtin.slot, builtin.label) }
        for target in enrichments.flatMap(\.targets) { writes(target.slot, target.label) }
        for target in attributes.flatMap(\.targets) { writes(target.slot, target.label) }
        for computation in computations { writes(computation.slot, Self.exprLabel) }
        for guardPlan in guards { for output in guardPlan.outputs { writes(output.slot, guardPlan.label) } }
        lineText = Interpreter.LineText(
            names: names, types: types, trusted: trusted, labels: labels, sources: sources,
            participantData: participantData, routes: rules.map(\.route), guards: guards.map(\.name))
    }
}

extension Interpreter {
    /// The parts of replay's line (`Evaluation.writeJSONMembers`) that the program fixes, each encoded once into
    /// `bytes`: per token, only values are encoded. Routes are written by `Route.writeJSON`, as in
    /// `EvaluationResult.writeJSONMembers`; the rest repeats that writer's punctuation, and `DifferentialTests.slotLine`
    /// holds the two lines byte-equal. A class, so that a token's line takes one reference to it, not one per array.
    final class LineText: Sendable {
        let bytes: [UInt8]
        /// Per variable: `"name":{"type":"T","value":`.
        let variableHeads: [Range<Int>]
        /// Per source label, untrusted then trusted (index 2 × label + 1 when trusted):
        /// `,"trusted":B,"source":"label"}`.
        let variableTails: [Range<Int>]
        /// `"variables":{` and the first variable's head.
        let opening: Range<Int>
        /// Per variable, per source it can report (`joinSources[joinFirst[i] ..< joinFirst[i + 1]]`): its tail, and
        /// `,` and the next variable's head — one piece between two values instead of three.
        let joinFirst: [Int]
        let joinSources: [Int]
        let joins: [Range<Int>]
        /// Per participant data key: `"key":`, after `},"participantData":{` (the first) or `,`.
        let dataKeys: [Range<Int>]
        /// Per rule: `},"route":`, its route object and `,"guards":{`.
        let routes: [Range<Int>]
        /// Per guard: `"name":{"allowed":`, after `,` (all but the first).
        let guardHeads: [Range<Int>]

        init(
            names: [String], types: [ValueType], trusted: [Bool], labels: [String], sources: [[Int]],
            participantData: [(key: String, slot: Int?)], routes: [EvaluationResult.Route], guards: [String]
        ) {
            var out = ByteWriter(capacity: 4096)
            var variableHeads: [Range<Int>] = []
            for (name, type) in zip(names, types) {
                let start = out.count
                out.appendQuoted(name)
                out.append(":{\"type\":")
                type.writeQuotedName(to: &out)
                out.append(",\"value\":")
                variableHeads.append(start..<out.count)
            }
            var variableTails: [Range<Int>] = []
            for label in labels {
                for trusted in [false, true] {
                    let start = out.count
                    out.append(trusted ? ",\"trusted\":true,\"source\":" : ",\"trusted\":false,\"source\":")
                    out.appendQuoted(label)
                    out.append(UInt8(ascii: "}"))
                    variableTails.append(start..<out.count)
                }
            }
            func copy(_ range: Range<Int>) { out.appendCopy(of: range) }
            var start = out.count
            out.append("\"variables\":{")
            if let first = variableHeads.first { copy(first) }
            opening = start..<out.count
            var joinFirst: [Int] = []
            var joinSources: [Int] = []
            var joins: [Range<Int>] = []
            for variable in names.indices {
                joinFirst.append(joins.count)
                for source in sources[variable] {
                    start = out.count
                    copy(variableTails[2 * source + (trusted[variable] ? 1 : 0)])
                    if variable + 1 < names.count {
                        out.append(UInt8(ascii: ","))
                        copy(variableHeads[variable + 1])
                    }
                    joinSources.append(source)
                    joins.append(start..<out.count)
                }
            }
            joinFirst.append(joins.count)
            self.joinFirst = joinFirst
            self.joinSources = joinSources
            self.joins = joins
            var dataKeys: [Range<Int>] = []
            for datum in participantData {
                let start = out.count
                out.append(dataKeys.isEmpty ? "},\"participantData\":{" : ",")
                out.appendQuoted(datum.key)
                out.append(UInt8(ascii: ":"))
                dataKeys.append(start..<out.count)
            }
            var routeRanges: [Range<Int>] = []
            for route in routes {
                let start = out.count
                out.append("},\"route\":")
                route.writeJSON(to: &out)
                out.append(",\"guards\":{")
                routeRanges.append(start..<out.count)
            }
            var guardHeads: [Range<Int>] = []
            for name in guards {
                let start = out.count
                if !guardHeads.isEmpty { out.append(UInt8(ascii: ",")) }
                out.appendQuoted(name)
                out.append(":{\"allowed\":")
                guardHeads.append(start..<out.count)
            }
            bytes = out.bytes
            self.variableHeads = variableHeads
            self.variableTails = variableTails
            self.dataKeys = dataKeys
            self.routes = routeRanges
            self.guardHeads = guardHeads
        }

        /// The join of `variable` when it reports `source`; nil for a source the plan did not list for it (the line
        /// then writes the pieces one by one, and `DifferentialTests.slotLine` fails: the list is incomplete).
        func join(_ variable: Int, _ source: Int) -> Range<Int>? {
            var index = joinFirst[variable]
            while index < joinFirst[variable + 1] {
                if joinSources[index] == source { return joins[index] }
                index += 1
            }
            return nil
        }
    }
}

/// Every expression of a program, flattened into one table. An instruction's operands are indexes of other
/// instructions (or of `constants` and `arguments`), so an instruction holds nothing reference-counted: running
/// one retains only the values it produces. Variables are slots, operators and functions are cases.
struct CodeTable: Sendable {
    enum Instruction: Sendable {
        case constant(Int)
        case slot(Int)
        /// A collection variable: NOT_SET reads as empty (Architect has no NOT_SET collection).
        case collectionSlot(Int)
        case isAuthenticated
        case not(Int)
        case negate(Int)
        /// `and`/`or` are emitted as If(...): the right side is only evaluated when it decides the result.
        case and(Int, Int)
        case or(Int, Int)
        case binary(ArchitectOperations.Operator, Int, Int)
        case ifThenElse(Int, Int, Int)
        /// The operands are `arguments[first ..< first + count]`.
        case call(ArchitectOperations.Function, first: Int, count: Int)
    }

    private(set) var instructions: [Instruction] = []
    private(set) var constants: [Value?] = []
    private(set) var arguments: [Int] = []

    private mutating func emit(_ instruction: Instruction) -> Int {
        instructions.append(instruction)
        return instructions.count - 1
    }

    private mutating func constant(_ value: Value?) -> Int {
        constants.append(value)
        return emit(.constant(constants.count - 1))
    }

    /// Adds `expr` and returns the index of its root instruction.
    mutating func add(_ expr: TypedExpr, slots: [String: Int]) -> Int {
        switch expr.kind {
        case .literal(let value): return constant(value)
        case .isAuthenticated: return emit(.isAuthenticated)
        case .variable(let name):
            if case .collection = expr.type {
                return slots[name].map { emit(.collectionSlot($0)) } ?? constant(.collection([]))
            }
            return slots[name].map { emit(.slot($0)) } ?? constant(nil)
        case .not(let operand): return emit(.not(add(operand, slots: slots)))
        case .negate(let operand): return emit(.negate(add(operand, slots: slots)))
        case .binary(let op, let lhs, let rhs):
            let left = add(lhs, slots: slots)
            let right = add(rhs, slots: slots)
            switch op {
            case .and: return emit(.and(left, right))
            case .or: return emit(.or(left, right))
            default: return emit(.binary(op, widened(left, besides: rhs.type), widened(right, besides: lhs.type)))
            }
        case .call(let function, let operands):
            let indexes = operands.map { add($0, slots: slots) }
            if function == .if {
                // The checker allows If only with three arguments; another count is no value, as `call` answers.
                return indexes.count == 3 ? emit(.ifThenElse(indexes[0], indexes[1], indexes[2])) : constant(nil)
            }
            arguments += indexes
            return emit(.call(function, first: arguments.count - indexes.count, count: indexes.count))
        }
    }

    /// An Integer literal against a Decimal operand is computed as a Decimal by every operator: convert it once
    /// here rather than on every conversation.
    private mutating func widened(_ index: Int, besides other: ValueType) -> Int {
        guard other == .decimal, case .constant(let c) = instructions[index], case .integer(let i)? = constants[c]
        else { return index }
        return constant(.decimal(Decimal(i)))
    }
}

extension Interpreter.State {
    /// The value of instruction `index` (NOT_SET is nil).
    func run(_ index: Int) -> Value? {
        switch code.instructions[index] {
        case .constant(let c): return code.constants[c]
        case .slot(let slot): return slots[slot].value
        case .collectionSlot(let slot): return slots[slot].value ?? .collection([])
        case .isAuthenticated: return .boolean(authenticated)
        case .not(let operand): return ArchitectOperations.not(run(operand))
        case .negate(let operand): return ArchitectOperations.negate(run(operand))
        // The right side runs only when the left does not decide (an autoclosure).
        case .and(let lhs, let rhs): return ArchitectOperations.logical(run(lhs), run(rhs), deciding: false)
        case .or(let lhs, let rhs): return ArchitectOperations.logical(run(lhs), run(rhs), deciding: true)
        case .binary(let op, let lhs, let rhs):
            // `and`/`or` are their own instructions: a binary instruction's operands must both be set.
            guard let left = run(lhs), let right = run(rhs) else { return nil }
            return ArchitectOperations.setOperands(op, left, right)
        case .ifThenElse(let condition, let then, let otherwise):
            guard case .boolean(let holds)? = run(condition) else { return nil }
            return holds ? run(then) : run(otherwise)
        case .call(let function, let first, let count):
            return ArchitectOperations.call(function, (first..<first + count).map { run(code.arguments[$0]) })
        }
    }
}

// MARK: - JSONValue.swift

/// A JSON document model with ordered object members, and a deterministic printer. Every JSON file the
/// project writes (diagnostics, schemas, emitted artefacts) goes through this one printer, so output is
/// byte-stable: members in insertion order, two-space indentation, `\n` line breaks, minimal escaping.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number kept as its exact JSON text (integers beyond 2^53 and decimals are never rounded).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func integer(_ value: Int) -> JSONValue { .number(String(value)) }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.number(a), .number(b)): a.isByteEqual(to: b)
        // Text is compared byte for byte (ExactText.swift), never by Unicode canonical equivalence.
        case let (.string(a), .string(b)): a.isByteEqual(to: b)
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.0.isByteEqual(to: $1.0) && $0.1 == $1.1 }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .number(let n): hasher.combine(n)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .object(let members):
            for (key, value) in members {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }

    /// Pretty-printed text with a trailing newline.
    public func rendered() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out, indent: 0, pretty: true)
        out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }

    /// Single-line text without a trailing newline (JSON Lines).
    public func compact() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out, indent: 0, pretty: false)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the compact form to a byte buffer (for streaming output without intermediate strings).
    public func writeCompact(to out: inout [UInt8]) {
        write(to: &out, indent: 0, pretty: false)
    }

    private static func append(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    private func write(to out: inout [UInt8], indent: Int, pretty: Bool) {
        switch self {
        case .null: JSONValue.append("null", to: &out)
        case .bool(let value): value ? JSONValue.append("true", to: &out) : JSONValue.append("false", to: &out)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let text): JSONValue.appendQuoted(text, to: &out)
        case .array(let items):
            if items.isEmpty {
                JSONValue.append("[]", to: &out)
                return
            }
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { JSONValue.newline(&out, indent + 1) }
                item.write(to: &out, indent: indent + 1, pretty: pretty)
            }
            if pretty { JSONValue.newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty {
                JSONValue.append("{}", to: &out)
                return
            }
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { JSONValue.newline(&out, indent + 1) }
                JSONValue.appendQuoted(key, to: &out)
                pretty ? JSONValue.append(": ", to: &out) : out.append(UInt8(ascii: ":"))
                value.write(to: &out, indent: indent + 1, pretty: pretty)
            }
            if pretty { JSONValue.newline(&out, indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(0x0A)
        for _ in 0..<(indent * 2) { out.append(0x20) }
    }

    /// Whether these UTF-8 bytes go into a JSON string literal as they are: no quote, backslash, control character,
    /// DEL, lead byte of a C1 control (0xC2) or of U+2028/U+2029 (0xE2), which `appendQuoted` escapes.
    public static func needsNoEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }
    }

    /// Appends `text` as a JSON string literal (RFC 8259 §7): quotes, backslashes and control characters are
    /// escaped; C1 controls (U+0080–U+009F: a CSI would drive a terminal that shows the line) and U+2028 and
    /// U+2029 (line breaks to JavaScript) too. Runs of bytes that need no escape are copied as they are.
    public static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape at all: one scan, one copy, without copying the string.
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard needsNoEscape(bytes) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain == true {
            out.append(UInt8(ascii: "\""))
            return
        }
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            func flush(_ upTo: Int) {
                if runStart < upTo { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<upTo])) }
            }
            while index < bytes.count {
                let byte = bytes[index]
                var escape: StaticString?
                var width = 1
                switch byte {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x08: escape = "\\b"
                case 0x0C: escape = "\\f"
                case 0xE2
                where index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    escape = bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                case 0xE2
                where index + 2 < bytes.count
                    && ((bytes[index + 1] == 0x80
                        && [0x8E, 0x8F, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE].contains(bytes[index + 2]))
                        || (bytes[index + 1] == 0x81 && (0xA6...0xA9).contains(bytes[index + 2]))):
                    // Bidirectional marks, embeddings, overrides and isolates (U+200E/F, U+202A–E, U+2066–9): shown
                    // as escapes, so a value in messenger.js or a JSON file cannot reorder what a reviewer sees.
                    flush(index)
                    let scalar =
                        (UInt32(bytes[index] & 0x0F) << 12) | (UInt32(bytes[index + 1] & 0x3F) << 6)
                        | UInt32(bytes[index + 2] & 0x3F)
                    out.append(contentsOf: Array("\\u\(String(scalar, radix: 16))".utf8))
                    index += 3
                    runStart = index
                    continue
                default:
                    let c1 = byte == 0xC2 && index + 1 < bytes.count && (0x80...0x9F).contains(bytes[index + 1])
                    if byte < 0x20 || byte == 0x7F || c1 {
                        flush(index)
                        let value = c1 ? bytes[index + 1] : byte
                        let hex = Array("0123456789abcdef".utf8)
                        out.append(contentsOf: Array("\\u00".utf8))
                        out.append(hex[Int(value >> 4)])
                        out.append(hex[Int(value & 0x0F)])
                        index += c1 ? 2 : 1
                        runStart = index
                        continue
                    }
                }
                if let escape {
                    flush(index)
                    escape.withUTF8Buffer { out.append(contentsOf: $0) }
                    index += width
                    runStart = index
                } else {
                    index += 1
                }
            }
            flush(bytes.count)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `text` as a JSON string literal to a `String`.
    public static func appendQuoted(_ text: String, to out: inout String) {
        var bytes: [UInt8] = []
        appendQuoted(text, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    public static func quoted(_ text: String) -> String {
        var out = ""
        appendQuoted(text, to: &out)
        return out
    }
}

// MARK: - POSIXLocale.swift

import Foundation

/// Numbers read from text in the POSIX way: `.` is the decimal separator, whatever the machine's locale.
public enum POSIXLocale {
    /// `text` read as a `Decimal` with `.` as the decimal separator. `Decimal(string:)` without a locale reads `.`
    /// (swift-foundation: `locale?.decimalSeparator ?? "."`), exactly what passing en_US_POSIX reads; asking a
    /// `Locale` for its separator builds an ICU number formatter first (an empty replay started in 12.6 ms with it,
    /// 11.0 ms without).
    public static func decimal(_ text: String) -> Decimal? {
        Decimal(string: text)
    }
}

// MARK: - Patterns.swift

import Foundation

/// Compiled regular expressions, shared. JSON Schema `pattern` semantics: a search, not a whole-string match,
/// with ECMA-262's `$` (end of input only).
public final class PatternCache: @unchecked Sendable {
    /// `pattern` (ECMA-262) compiled by ICU with ECMA's meaning (`ECMAPattern`); nil when JavaScript's `u` mode
    /// or version 1 refuses it.
    public static func icuRegex(_ pattern: String) -> NSRegularExpression? {
        guard case .success(let icu) = ECMAPattern.translate(pattern) else { return nil }
        return try? NSRegularExpression(pattern: icu)
    }

    /// ECMA-262 `u`-mode identity escapes outside a class: the syntax characters and `/` (`\-` is an error).
    static let identityEscapes = Set(ECMAPattern.syntaxCharacters.utf8)
    /// Inside a class `-` may be escaped too.
    static let classIdentityEscapes = identityEscapes.union([UInt8(ascii: "-")])

    static let shared = PatternCache()
    private let lock = NSLock()
    private var compiled: [String: CompiledPattern] = [:]

    /// The matcher for `pattern`, compiled on first use and shared.
    func compiled(_ pattern: String) -> CompiledPattern {
        lock.withLock {
            if let cached = compiled[pattern] { return cached }
            // Translated once: a pattern JavaScript refuses matches nothing; else the ICU-free subset, else ICU.
            let made: CompiledPattern =
                switch ECMAPattern.translate(pattern) {
                case .failure: .invalid
                case .success(let icu):
                    if let simple = SimplePattern(pattern) {
                        .simple(simple)
                    } else if let regex = try? NSRegularExpression(pattern: icu) {
                        .regex(regex)
                    } else {
                        .invalid
                    }
                }
            compiled[pattern] = made
            return made
        }
    }

    func matches(_ pattern: String, _ text: String) -> Bool {
        compiled(pattern).matches(text)
    }
}

/// A compiled claim or attribute pattern: the ICU-free matcher when the pattern is in its subset, else ICU. An
/// invalid pattern matches nothing (the checker rejects such specs; a hand-edited evaluator.json fails closed).
public enum CompiledPattern: @unchecked Sendable {
    case simple(SimplePattern)
    case regex(NSRegularExpression)
    case invalid

    public func matches(_ text: String) -> Bool {
        switch self {
        case .simple(let simple): simple.matches(text)
        case .regex(let regex): regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        case .invalid: false
        }
    }
}

/// The patterns specs actually write — `^[0-9]{10}$`, `^[A-Z]{2}[0-9]+$`, `^[a-z0-9-]+$` — matched without ICU:
/// a sequence of single-character atoms (an ASCII literal, an escaped ASCII punctuation mark, or a bracket class
/// of ASCII characters and ranges, possibly negated), each with a greedy quantifier (`?`, `*`, `+`, `{n}`,
/// `{n,}`, `{n,m}`), optionally anchored by a leading `^` and a trailing `$` (ECMA-262: end of input). Anything
/// else (`.`, `\d`, groups, alternation, lazy or possessive quantifiers, non-ASCII) returns nil and is left to
/// `NSRegularExpression`, so semantics never depend on which path runs; a differential test holds the two equal.
///
/// Matching is a search (JSON Schema `pattern`): the set of text positions reachable after each atom is carried
/// forward in O(atoms × length), with no backtracking.
public struct SimplePattern: Sendable {
    struct Atom: Sendable {
        /// 128 bits: which ASCII characters the atom accepts.
        var low: UInt64 = 0
        var high: UInt64 = 0
        /// A negated class accepts every character outside the set, non-ASCII included.
        var negated = false
        var minimum = 1
        var maximum = 1

        mutating func insert(_ byte: UInt8) {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }

        func accepts(_ scalar: UInt32) -> Bool {
            let member: Bool =
                scalar < 64
                ? low & (1 << UInt64(scalar)) != 0 : scalar < 128 ? high & (1 << UInt64(scalar - 64)) != 0 : false
            return member != negated
        }
    }

    let atoms: [Atom]
    let anchoredStart: Bool
    let anchoredEnd: Bool
    /// The length every match has when the pattern is anchored at both ends and every quantifier is `{n}`.
    let fixedLength: Int?

    public init?(_ pattern: String) {
        let bytes = Array(pattern.utf8)
        // ICU rejects the empty pattern (so it matches nothing, failing closed); the subset leaves it to ICU.
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        var index = 0
        var end = bytes.count
        anchoredStart = bytes.first == UInt8(ascii: "^")
        if anchoredStart { index = 1 }
        // A final `$` is an anchor unless it is escaped (an odd run of backslashes before it).
        var trailingBackslashes = 0
        if end > index, bytes[end - 1] == UInt8(ascii: "$") {
            var k = end - 2
            while k >= index, bytes[k] == UInt8(ascii: "\\") {
                trailingBackslashes += 1
                k -= 1
            }
        }
        anchoredEnd = end > index && bytes[end - 1] == UInt8(ascii: "$") && trailingBackslashes % 2 == 0
        if anchoredEnd { end -= 1 }
        var atoms: [Atom] = []
        while index < end {
            var atom = Atom()
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\\"):
                // ECMA-262 `u` mode escapes only syntax characters and `/` outside a class (`\-` is an error).
                guard index + 1 < end, PatternCache.identityEscapes.contains(bytes[index + 1]) else { return nil }
                atom.insert(bytes[index + 1])
                index += 2
            case UInt8(ascii: "["):
                index += 1
                if index < end, bytes[index] == UInt8(ascii: "^") {
                    atom.negated = true
                    index += 1
                }
                // `[:alpha:]` is ICU's property syntax: a class opening with `:` is left to ICU.
                if index < end, bytes[index] == UInt8(ascii: ":") { return nil }
                var members: [UInt8] = []
                var closed = false
                var afterRange = false
                while index < end {
                    var member = bytes[index]
                    // ICU reads a `-` right after a range as a literal (`[0-0-0]` holds `-`): left to ICU, unless it
                    // closes the class (`[a-z0-9-]`), where both read it as a literal.
                    let closesClass = index + 1 < end && bytes[index + 1] == UInt8(ascii: "]")
                    guard !(afterRange && member == UInt8(ascii: "-") && !closesClass) else { return nil }
                    // `--` is ICU's set difference (`[--]` does not even compile): left to ICU.
                    if member == UInt8(ascii: "-"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "-") {
                        return nil
                    }
                    afterRange = false
                    if member == UInt8(ascii: "]") {
                        closed = true
                        index += 1
                        break
                    }
                    // ICU gives `[`, `&&` and the rest their set-operation meanings inside a class.
                    guard member != UInt8(ascii: "["), member != UInt8(ascii: "&") else { return nil }
                    if member == UInt8(ascii: "\\") {
                        guard index + 1 < end, PatternCache.classIdentityEscapes.contains(bytes[index + 1]) else {
                            return nil
                        }
                        member = bytes[index + 1]
                        index += 2
                        members.append(member)
                        continue
                    }
                    if member == UInt8(ascii: "-"), let low = members.last, index + 1 < end,
                        bytes[index + 1] != UInt8(ascii: "]")
                    {
                        let high = bytes[index + 1]
                        guard high != UInt8(ascii: "\\"), high != UInt8(ascii: "["), high != UInt8(ascii: "-"),
                            high != UInt8(ascii: "&"), low <= high, low != UInt8(ascii: "-")
                        else { return nil }
                        for scalar in low...high { members.append(scalar) }
                        index += 2
                        afterRange = true
                        continue
                    }
                    guard
                        member != UInt8(ascii: "-") || members.isEmpty
                            || (index + 1 < end && bytes[index + 1] == UInt8(ascii: "]"))
                    else { return nil }
                    members.append(member)
                    index += 1
                }
                guard closed, !members.isEmpty else { return nil }
                for member in members { atom.insert(member) }
            case UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "|"), UInt8(ascii: "{"),
                UInt8(ascii: "}"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "]"),
                UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "#"):
                return nil
            default:
                atom.insert(byte)
                index += 1
            }
            if index < end {
                switch bytes[index] {
                case UInt8(ascii: "?"): (atom.minimum, atom.maximum, index) = (0, 1, index + 1)
                case UInt8(ascii: "*"): (atom.minimum, atom.maximum, index) = (0, Int.max, index + 1)
                case UInt8(ascii: "+"): (atom.minimum, atom.maximum, index) = (1, Int.max, index + 1)
                case UInt8(ascii: "{"):
                    var numbers: [Int?] = [nil]
                    index += 1
                    while index < end, bytes[index] != UInt8(ascii: "}") {
                        let digit = bytes[index]
                        if digit == UInt8(ascii: ","), numbers.count == 1, numbers[0] != nil {
                            numbers.append(nil)
                        } else if (0x30...0x39).contains(digit) {
                            let value = (numbers[numbers.count - 1] ?? 0) * 10 + Int(digit - 0x30)
                            guard value <= 10_000 else { return nil }
                            numbers[numbers.count - 1] = value
                        } else {
                            return nil
                        }
                        index += 1
                    }
                    guard index < end, let minimum = numbers[0] else { return nil }
                    index += 1
                    atom.minimum = minimum
                    atom.maximum = numbers.count == 1 ? minimum : numbers[1] ?? Int.max
                    guard atom.minimum <= atom.maximum else { return nil }
                default: break
                }
                // Lazy (`*?`) and possessive (`*+`) forms, or a quantifier on a quantifier: left to ICU.
                if index < end,
                    [UInt8(ascii: "?"), UInt8(ascii: "+"), UInt8(ascii: "*"), UInt8(ascii: "{")]
                        .contains(bytes[index])
                {
                    return nil
                }
            }
            atoms.append(atom)
        }
        self.atoms = atoms
        fixedLength =
            anchoredStart && anchoredEnd && atoms.allSatisfy { $0.minimum == $0.maximum && $0.minimum <= 1_000 }
            ? atoms.reduce(0) { $0 + $1.minimum } : nil
    }

    public func matches(_ text: String) -> Bool {
        // ASCII text is matched on its bytes (one pass over contiguous UTF-8 decides which); other text on scalars.
        var text = text
        let ascii = text.withUTF8 { bytes -> Bool? in
            bytes.allSatisfy { $0 < 0x80 } ? matches(bytes.lazy.map(UInt32.init)) : nil
        }
        return ascii ?? matches(text.unicodeScalars.map(\.value))
    }

    private func matches<Units: RandomAccessCollection>(_ units: Units) -> Bool
    where Units.Element == UInt32, Units.Index == Int {
        let count = units.count
        if let length = fixedLength {
            // `^[0-9]{10}$` and the like: one comparison per character, no position sets.
            guard count == length else { return false }
            var position = units.startIndex
            for atom in atoms {
                for _ in 0..<atom.minimum {
                    guard atom.accepts(units[position]) else { return false }
                    position += 1
                }
            }
            return true
        }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * (count + 2)) { buffer in
            // reachable[p] (0 or 1), runs[p]: how many characters from p on the atom accepts in a row, and the
            // interval marks of the next reachable set.
            let reachable = UnsafeMutableBufferPointer(rebasing: buffer[0..<count + 2])
            let runs = UnsafeMutableBufferPointer(rebasing: buffer[count + 2..<2 * (count + 2)])
            let marks = UnsafeMutableBufferPointer(rebasing: buffer[2 * (count + 2)..<3 * (count + 2)])
            for p in 0...count { reachable[p] = anchoredStart && p > 0 ? 0 : 1 }
            for atom in atoms {
                runs[count] = 0
                var position = count - 1
                while position >= 0 {
                    runs[position] = atom.accepts(units[units.startIndex + position]) ? runs[position + 1] + 1 : 0
                    position -= 1
                }
                for p in 0...count + 1 { marks[p] = 0 }
                var any = false
                for p in 0...count where reachable[p] == 1 && runs[p] >= atom.minimum {
                    marks[p + atom.minimum] += 1
                    marks[p + min(atom.maximum, runs[p]) + 1] -= 1
                    any = true
                }
                guard any else { return false }
                var open = 0
                for p in 0...count {
                    open += marks[p]
                    reachable[p] = open > 0 ? 1 : 0
                }
            }
            return anchoredEnd ? reachable[count] == 1 : reachable[0...count].contains(1)
        }
    }
}

// MARK: - StrictJSONReader.swift

import Foundation

/// A strict RFC 8259 JSON reader for untrusted input (token headers and payloads, JWKS, enrichment responses).
///
/// Foundation's readers accept duplicate members, trailing commas, UTF-16 and BOMs, and turn `true` into `1`
/// (as measured with Swift 6.3.1 on Linux); this one does none of that:
/// - input must be UTF-8 without a BOM; lone surrogates in `\u` escapes are rejected;
/// - a duplicate member name at any depth is an error (RFC 7515 §4, RFC 7519 §4 allow "reject");
/// - nesting is limited (`maxDepth`), so hostile input cannot exhaust the stack;
/// - numbers keep their exact text, so integers beyond 2^53 and decimals are never rounded.
public struct StrictJSONReader: Sendable {
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case notUTF8(offset: Int)
        case tooDeep(limit: Int)
        case duplicateMember(String)
        case syntax(offset: Int, message: String)

        public var description: String {
            switch self {
            case .notUTF8(let offset): "invalid UTF-8 at byte \(offset)"
            case .tooDeep(let limit): "nested deeper than \(limit) levels"
            case .duplicateMember(let name): "duplicate member \"\(name)\""
            case .syntax(let offset, let message): "\(message) at byte \(offset)"
            }
        }
    }

    public var maxDepth: Int

    public init(maxDepth: Int = 16) {
        self.maxDepth = maxDepth
    }

    public func parse(_ text: String) throws(Failure) -> JSONValue {
        try parse(Array(text.utf8))
    }

    public func parse<Bytes: Collection>(_ bytes: Bytes) throws(Failure) -> JSONValue where Bytes.Element == UInt8 {
        try read(Array(bytes)) { parser throws(Failure) in try parser.parseValue(depth: 0) }
    }

    /// Reads `bytes` as strictly as `parse` (the same input accepted, the same failure for the rest) when they hold
    /// an object, keeping the bytes and its members' ranges instead of a tree; nil when they hold valid JSON that
    /// is not an object.
    public func object(_ bytes: [UInt8]) throws(Failure) -> JSONObjectBytes? {
        let members = try read(bytes) { parser throws(Failure) -> [JSONObjectBytes.Member]? in
            guard parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "{") else {
                // Valid JSON that is not an object, or the failure `parse` reports.
                _ = try parser.parseValue(depth: 0)
                return nil
            }
            return try parser.indexObject()
        }
        return members.map { JSONObjectBytes(bytes: bytes, members: $0, maxDepth: maxDepth) }
    }

    /// The document around one value, for `parse` and `object`: UTF-8 without a byte order mark, whitespace, the value
    /// `body` reads, whitespace, and nothing after it.
    private func read<Value>(_ bytes: [UInt8], _ body: (inout Parser) throws(Failure) -> Value) throws(Failure) -> Value
    {
        if let offset = Self.firstInvalidUTF8(bytes) { throw .notUTF8(offset: offset) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { throw .syntax(offset: 0, message: "byte order mark") }
        var parser = Parser(bytes: bytes, maxDepth: maxDepth)
        parser.skipWhitespace()
        let value = try body(&parser)
        parser.skipWhitespace()
        guard parser.index == bytes.count else {
            throw .syntax(offset: parser.index, message: "unexpected data after the value")
        }
        return value
    }

    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer(firstInvalidUTF8)
    }

    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var index = 0
        while index < bytes.count {
            // Eight ASCII bytes at a time (a token's payload is mostly ASCII).
            if index + 8 <= bytes.count,
                UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
                continue
            }
            let byte = bytes[index]
            let length: Int
            var minimum: UInt32 = 0
            if byte < 0x80 {
                index += 1
                continue
            } else if byte & 0xE0 == 0xC0 {
                length = 2
                minimum = 0x80
            } else if byte & 0xF0 == 0xE0 {
                length = 3
                minimum = 0x800
            } else if byte & 0xF8 == 0xF0 {
                length = 4
                minimum = 0x10000
            } else {
                return index
            }
            guard index + length <= bytes.count else { return index }
            var scalar = UInt32(byte) & (0xFF >> (length + 1))
            for offset in 1..<length {
                let next = bytes[index + offset]
                guard next & 0xC0 == 0x80 else { return index }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
            if scalar < minimum || (0xD800...0xDFFF).contains(scalar) || scalar > 0x10FFFF { return index }
            index += length
        }
        return nil
    }

    fileprivate struct Parser {
        let bytes: [UInt8]
        let maxDepth: Int
        var index = 0

        init(bytes: [UInt8], maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        mutating func skipWhitespace() {
            while index < bytes.count,
                bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D
            {
                index += 1
            }
        }

        func fail(_ message: String) -> Failure { .syntax(offset: index, message: message) }

        mutating func expect(_ literal: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
            let count = literal.utf8CodeUnitCount
            let matches = literal.withUTF8Buffer { utf8 in
                index + count <= bytes.count && (0..<count).allSatisfy { bytes[index + $0] == utf8[$0] }
            }
            guard matches else { throw fail("invalid literal") }
            index += count
            return value
        }

        mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
            guard index < bytes.count else { throw fail("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
            case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): return try expect("true", .bool(true))
            case UInt8(ascii: "f"): return try expect("false", .bool(false))
            case UInt8(ascii: "n"): return try expect("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
            default: throw fail("unexpected character")
            }
        }

        mutating func parseObject(depth: Int) throws(Failure) -> JSONValue {
            guard depth <= maxDepth else { throw .tooDeep(limit: maxDepth) }
            index += 1
            var members: [(String, JSONValue)] = []
            // Small objects (every token header and payload) check duplicates by a linear scan, which beats
            // hashing; past 16 members a set keeps hostile objects with thousands of members linear.
            var names: Set<String>? = nil
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            members.reserveCapacity(8)
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw fail("expected a member name")
                }
                let name = try parseString()
                // Names are compared after decoding escapes: "a" and "\u0061" are the same member. Here, and only
                // here, canonically equivalent names count as the same (String ==): `Kid` beside `\u212Aid` is
                // refused as a duplicate, since a reader that normalises would merge them. Lookups are byte-exact.
                if members.count < 16 {
                    // Compared in place: `contains(where:)` copied (retained) every pair it looked at.
                    let duplicate = members.withUnsafeBufferPointer { seen in
                        seen.indices.contains { seen[$0].0 == name }
                    }
                    if duplicate { throw .duplicateMember(name) }
                } else {
                    var seen = names.take() ?? Set(members.map(\.0))
                    guard seen.insert(name).inserted else { throw .duplicateMember(name) }
                    names = seen
                }
                try readColon()
                let value = try parseValue(depth: depth)
                members.append((name, value))
                if try closes("}", "object") { return .object(members) }
            }
        }

        /// The `:` after a member name, and the whitespace around it.
        mutating func readColon() throws(Failure) {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipWhitespace()
        }

        /// After a member or an item: reads the `,` before the next one (false) or the `close` that ends the
        /// `container` (true).
        mutating func closes(_ close: Unicode.Scalar, _ container: String) throws(Failure) -> Bool {
            skipWhitespace()
            guard index < bytes.count else { throw fail("unterminated \(container)") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                return false
            }
            guard bytes[index] == UInt8(ascii: close) else { throw fail("expected ',' or '\(close)'") }
            index += 1
            return true
        }

        mutating func parseArray(depth: Int) throws(Failure) -> JSONValue {
            guard depth <= maxDepth else { throw .tooDeep(limit: maxDepth) }
            index += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            items.reserveCapacity(4)  // a claim's short list in one allocation, not one per growth
            while true {
                skipWhitespace()
                items.append(try parseValue(depth: depth))
                if try closes("]", "array") { return .array(items) }
            }
        }

        mutating func parseHex4() throws(Failure) -> UInt32 {
            guard index + 4 <= bytes.count else { throw fail("truncated \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw fail("invalid \\u escape")
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        /// Advances over whole groups of eight string bytes holding no quote, backslash or control character (the
        /// byte loops after it read the rest, and decide every byte it stops at).
        mutating func skipPlainRun() {
            let count = bytes.count
            guard index + 8 <= count else { return }
            index = bytes.withUnsafeBufferPointer { all in
                var index = self.index
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                while index + 8 <= count, let base = all.baseAddress {
                    let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                    // Exact tests for "some byte is zero" (after xor with `"` or `\`) and "some byte is below 0x20".
                    let quote = word ^ (ones &* 0x22)
                    let backslash = word ^ (ones &* 0x5C)
                    let special =
                        ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                        | ((word &- ones &* 0x20) & ~word)
                    if special & highs != 0 { break }
                    index += 8
                }
                return index
            }
        }

        mutating func parseString() throws(Failure) -> String {
            index += 1
            // Unescaped runs are copied as bytes (already validated UTF-8); `decoded` exists only once an escape
            // appears, so the common escape-free string is one slice-to-String conversion.
            var decoded: [UInt8]? = nil
            var runStart = index
            skipPlainRun()
            while true {
                guard index < bytes.count else { throw fail("unterminated string") }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let run = bytes[runStart..<index]
                    index += 1
                    guard var decoded else { return String(decoding: run, as: UTF8.self) }
                    decoded.append(contentsOf: run)
                    return String(decoding: decoded, as: UTF8.self)
                }
                if byte < 0x20 { throw fail("control character in string") }
                if byte != UInt8(ascii: "\\") {
                    index += 1
                    continue
                }
                var buffer = decoded ?? []
                decoded = nil  // `buffer` is now the only reference: appends never copy
                buffer.append(contentsOf: bytes[runStart..<index])
                index += 1
                guard index < bytes.count else { throw fail("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        else { throw fail("lone surrogate") }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("lone surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw fail("lone surrogate")
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("invalid code point") }
                    UTF8.encode(scalar) { buffer.append($0) }
                default:
                    throw fail("invalid escape")
                }
                decoded = buffer
                runStart = index
            }
        }

        mutating func parseNumber() throws(Failure) -> String {
            let start = index
            try scanNumber()
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        /// Reads a number's grammar (RFC 8259 §6) without keeping it.
        mutating func scanNumber() throws(Failure) {
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count else { throw fail("truncated number") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(bytes[index]) {
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            } else {
                throw fail("invalid number")
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let digits = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                guard index > digits else { throw fail("invalid fraction") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    index += 1
                }
                let digits = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                guard index > digits else { throw fail("invalid exponent") }
            }
        }

        /// Validates a value exactly as `parseValue` does (the same failures at the same offsets) without building
        /// it: strings and numbers are scanned in place, objects indexed as `indexObject` indexes the top level (their
        /// duplicate check compares names as `parseObject` does) and the index dropped.
        mutating func skipValue(depth: Int) throws(Failure) {
            guard index < bytes.count else { throw fail("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: "{"): _ = try indexObject(depth: depth + 1)
            case UInt8(ascii: "["):
                guard depth + 1 <= maxDepth else { throw .tooDeep(limit: maxDepth) }
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return
                }
                while true {
                    skipWhitespace()
                    try skipValue(depth: depth + 1)
                    if try closes("]", "array") { return }
                }
            case UInt8(ascii: "\""): _ = try skipString()
            case UInt8(ascii: "t"): _ = try expect("true", .null)
            case UInt8(ascii: "f"): _ = try expect("false", .null)
            case UInt8(ascii: "n"): _ = try expect("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
            default: throw fail("unexpected character")
            }
        }

        /// Validates a string as `parseString` does; true when it holds no escape (its bytes between the quotes are
        /// its UTF-8). A string with an escape is handed to `parseString`, which checks the escapes.
        mutating func skipString() throws(Failure) -> Bool {
            let start = index
            index += 1
            skipPlainRun()
            while true {
                guard index < bytes.count else { throw fail("unterminated string") }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return true
                }
                if byte < 0x20 { throw fail("control character in string") }
                if byte == UInt8(ascii: "\\") {
                    index = start
                    _ = try parseString()
                    return false
                }
                index += 1
            }
        }

        /// The top-level object of `JSONObjectBytes`: `parseObject` that records each member's byte ranges instead
        /// of building its name and value. Duplicates are refused as `parseObject` refuses them (String ==, so
        /// canonically equivalent names clash); two escape-free ASCII names are equal exactly when their bytes are,
        /// so only other names are decoded to compare.
        mutating func indexObject(depth: Int = 1) throws(Failure) -> [JSONObjectBytes.Member] {
            guard depth <= maxDepth else { throw .tooDeep(limit: maxDepth) }
            index += 1
            var members: [JSONObjectBytes.Member] = []
            var names: Set<String>? = nil
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return members
            }
            members.reserveCapacity(16)
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw fail("expected a member name")
                }
                let nameStart = index + 1
                let escaped = !(try skipString())
                var member = JSONObjectBytes.Member(
                    nameStart: nameStart, nameEnd: index - 1, escaped: escaped, in: bytes)
                if members.count < 16 {
                    for seen in members where JSONObjectBytes.sameName(seen, member, in: bytes) {
                        throw .duplicateMember(JSONObjectBytes.name(member, in: bytes))
                    }
                } else {
                    var seen = names.take() ?? Set(members.map { JSONObjectBytes.name($0, in: bytes) })
                    let name = JSONObjectBytes.name(member, in: bytes)
                    guard seen.insert(name).inserted else { throw .duplicateMember(name) }
                    names = seen
                }
                try readColon()
                member.valueStart = index
                try skipValue(depth: depth)
                member.valueEnd = index
                members.append(member)
                if try closes("}", "object") { return members }
            }
        }
    }
}

extension JSONValue {
    /// Whether this is a number written without fraction or exponent (a JSON integer).
    public var isIntegerNumber: Bool {
        if case .number(let text) = self {
            return !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        }
        return false
    }

    /// The member `name` of an object, or nil. Names are compared in place: `first(where:)` copied (retained and
    /// released) every (name, value) pair it passed, and replay looks up a dozen members per token. Names match
    /// byte for byte: `"\u212Aid"` is not the member `Kid`.
    public subscript(member name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.withUnsafeBufferPointer { buffer in
            for index in buffer.indices where buffer[index].0.isByteEqual(to: name) { return buffer[index].1 }
            return nil
        }
    }
}

/// A JSON object checked by `StrictJSONReader.object` and kept as its bytes and the byte ranges of its top-level
/// members: a member's value is decoded when asked for, and never otherwise. A token payload read this way costs no
/// tree of values (replay reads the members the ID-token policy and the spec name, and nothing else).
public struct JSONObjectBytes: Sendable {
    /// One top-level member, found by `member(named:)`: its value is read through the object that holds it.
    public struct Member: Sendable {
        /// The name's bytes between its quotes.
        let nameStart: Int
        let nameEnd: Int
        /// Whether the name holds an escape (else its bytes are its UTF-8).
        let escaped: Bool
        /// No escape and only ASCII: the bytes are the name, and compare as String == would.
        let plainName: Bool
        /// Where the value starts and ends (set once the name has been checked).
        var valueStart = 0
        var valueEnd = 0
        /// The name's length, first and last byte (`JSONObjectBytes.key`): two names with different keys differ.
        let key: UInt64

        init(nameStart: Int, nameEnd: Int, escaped: Bool, in bytes: [UInt8]) {
            self.nameStart = nameStart
            self.nameEnd = nameEnd
            self.escaped = escaped
            (plainName, key) = bytes.withUnsafeBufferPointer { all in
                let name = UnsafeBufferPointer(rebasing: all[nameStart..<nameEnd])
                return (!escaped && !name.contains { $0 >= 0x80 }, JSONObjectBytes.key(name))
            }
        }
    }

    /// A cheap summary of a name's bytes, compared before the bytes: their count, first and last byte.
    static func key(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let first = name.first, let last = name.last else { return 0 }
        return UInt64(name.count) << 16 | UInt64(first) << 8 | UInt64(last)
    }

    let bytes: [UInt8]
    let members: [Member]
    let maxDepth: Int

    /// The member names, decoded, in order.
    public var names: [String] { members.map { Self.name($0, in: bytes) } }

    /// How many members the object has (no two with the same name: the reader refuses duplicates).
    public var count: Int { members.count }

    /// The member `name` (matched byte for byte, as `JSONValue[member:]` matches), decoded; nil when absent.
    public subscript(member name: String) -> JSONValue? {
        guard let member = member(named: name) else { return nil }
        return value(member)
    }

    /// Whether the object has the member `name` (byte for byte), without decoding it.
    public func contains(_ name: String) -> Bool { member(named: name) != nil }

    /// The first member name (decoded, in order) for which `predicate` holds.
    public func firstName(where predicate: (String) -> Bool) -> String? {
        for member in members {
            let name = Self.name(member, in: bytes)
            if predicate(name) { return name }
        }
        return nil
    }

    /// `body` applied to the bytes between the quotes of `member`'s value when it is a string written without
    /// escapes (those bytes are then the string's UTF-8); nil when it is written otherwise, and the caller decodes
    /// it. For checks that compare a claim with known text and need no `String` of it.
    public func withPlainString(_ member: Member, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool? {
        let start = member.valueStart + 1
        let end = member.valueEnd - 1
        guard start <= end, bytes[member.valueStart] == UInt8(ascii: "\""), bytes[end] == UInt8(ascii: "\"") else {
            return nil
        }
        return bytes.withUnsafeBufferPointer { all -> Bool? in
            let text = UnsafeBufferPointer(rebasing: all[start..<end])
            // A backslash anywhere means an escape (a validated string's only backslashes start escapes).
            if text.contains(UInt8(ascii: "\\")) { return nil }
            return body(text)
        }
    }

    /// `member`'s value when it is written as a JSON integer (`-`, digits, no fraction or exponent) within `Int64`;
    /// nil when it is written otherwise or out of range (the caller decodes it then).
    public func integer(_ member: Member) -> Int64? {
        var index = member.valueStart
        let end = member.valueEnd
        let negative = index < end && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < end, end - index <= 18 else { return nil }  // 18 digits cannot overflow
        var value: Int64 = 0
        while index < end {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
            index += 1
        }
        return negative ? -value : value
    }

    /// The whole object as a tree, members in order.
    public var tree: JSONValue {
        .object(members.compactMap { member in value(member).map { (Self.name(member, in: bytes), $0) } })
    }

    /// A member's value, decoded. It was validated when the object was read, by the same parser at the same depth,
    /// so decoding it again cannot fail.
    public func value(_ member: Member) -> JSONValue? { decoded(member.valueStart, member.valueEnd) }

    /// The member `name`, matched byte for byte (an escaped name is decoded first); nil when absent.
    public func member(named name: String) -> Member? {
        Self.withUTF8(of: name) { wanted in
            bytes.withUnsafeBufferPointer { all -> Member? in
                members.withUnsafeBufferPointer { members -> Member? in
                    let wantedKey = Self.key(wanted)
                    for member in members {
                        if member.escaped {
                            if Self.name(member, in: bytes).isByteEqual(to: name) { return member }
                            continue
                        }
                        // The key (length, first and last byte) before the bytes.
                        guard member.key == wantedKey else { continue }
                        if UnsafeBufferPointer(rebasing: all[member.nameStart..<member.nameEnd]).sameBytes(as: wanted) {
                            return member
                        }
                    }
                    return nil
                }
            }
        }
    }

    /// `body` given `name`'s UTF-8. A native string's is read where it lies (copying the string to call `withUTF8`
    /// cost a retain and a release per lookup, ~15 lookups a token); a bridged one is made contiguous first.
    private static func withUTF8<R>(of name: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = name.utf8.withContiguousStorageIfAvailable(body) { return result }
        var contiguous = name
        return contiguous.withUTF8(body)
    }

    /// The value at `path` — the top-level member `path[0]`, then a member of each nested object in turn — decoded;
    /// nil when a segment is missing or its parent is not an object. The whole object was validated when it was read
    /// (syntax, UTF-8, and no duplicate name at any depth), so nested objects are searched where they lie and only
    /// the value found is decoded: a claim at `[address, country]` costs no tree of `address`. Names match byte for
    /// byte, as `member(named:)` and `JSONValue[member:]` match them.
    public func value(at path: [String]) -> JSONValue? {
        path.withUnsafeBufferPointer { path -> JSONValue? in
            guard let first = path.first else { return tree }
            guard let top = member(named: first) else { return nil }
            var start = top.valueStart
            var end = top.valueEnd
            for segment in path.dropFirst() {
                guard let found = nestedMember(segment, objectAt: start) else { return nil }
                (start, end) = found
            }
            return decoded(start, end)
        }
    }

    /// The value range of member `name` of the object starting at `start` (validated), or nil when the value there
    /// is not an object or has no such member.
    private func nestedMember(_ name: String, objectAt start: Int) -> (Int, Int)? {
        guard bytes[start] == UInt8(ascii: "{") else { return nil }
        return Self.withUTF8(of: name) { wanted in
            bytes.withUnsafeBufferPointer { all -> (Int, Int)? in
                var index = Self.skippingWhitespace(all, start + 1)
                while index < all.count, all[index] == UInt8(ascii: "\"") {
                    let nameEnd = Self.endOfString(all, index)
                    guard nameEnd - 1 > index else { return nil }
                    let body = UnsafeBufferPointer(rebasing: all[(index + 1)..<(nameEnd - 1)])
                    let matches =
                        body.contains(UInt8(ascii: "\\"))
                        ? Self.decodedString(bytes, at: index).isByteEqual(to: name) : body.sameBytes(as: wanted)
                    // The colon, then the value.
                    let valueStart = Self.skippingWhitespace(all, Self.skippingWhitespace(all, nameEnd) + 1)
                    guard valueStart < all.count else { return nil }
                    let valueEnd = Self.endOfValue(all, valueStart)
                    if matches { return (valueStart, valueEnd) }
                    // A comma and the next name, or the closing brace.
                    index = Self.skippingWhitespace(all, valueEnd)
                    guard index < all.count, all[index] == UInt8(ascii: ",") else { return nil }
                    index = Self.skippingWhitespace(all, index + 1)
                }
                return nil
            }
        }
    }

    /// The value between `start` and `end` (validated), decoded. Strings without escapes, numbers, literals and
    /// arrays of them are read here; anything else by the reader's own parser.
    private func decoded(_ start: Int, _ end: Int) -> JSONValue? {
        let quick = bytes.withUnsafeBufferPointer { all in Self.quickValue(all, start, end) }
        if let quick { return quick }
        var parser = StrictJSONReader.Parser(bytes: bytes, maxDepth: maxDepth)
        parser.index = start
        return try? parser.parseValue(depth: 1)
    }

    /// `decoded` for the common forms, nil for the others (a string with an escape, an object, or an array holding
    /// either). Reads only within `start ..< end` and the buffer, whatever the range: a `Member` of another object
    /// handed to `value(_:)` gets nil or a wrong value, never a read out of bounds (the checked parser then decides).
    private static func quickValue(_ all: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> JSONValue? {
        guard start >= 0, start < end, end <= all.count else { return nil }
        switch all[start] {
        case UInt8(ascii: "\""):
            guard end - start >= 2 else { return nil }
            let body = UnsafeBufferPointer(rebasing: all[(start + 1)..<(end - 1)])
            if body.contains(UInt8(ascii: "\\")) { return nil }
            return .string(String(decoding: body, as: UTF8.self))
        case UInt8(ascii: "t"): return .bool(true)
        case UInt8(ascii: "f"): return .bool(false)
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "{"): return nil
        case UInt8(ascii: "["):
            var items: [JSONValue] = []
            var index = skippingWhitespace(all, start + 1)
            guard index < end else { return nil }
            if all[index] == UInt8(ascii: "]") { return .array(items) }
            items.reserveCapacity(4)
            while index < end {
                let itemEnd = endOfValue(all, index)
                guard let item = quickValue(all, index, itemEnd) else { return nil }
                items.append(item)
                index = skippingWhitespace(all, itemEnd)
                guard index < end, all[index] == UInt8(ascii: ",") else { break }
                index = skippingWhitespace(all, index + 1)
            }
            return .array(items)
        default:
            return .number(String(decoding: UnsafeBufferPointer(rebasing: all[start..<end]), as: UTF8.self))
        }
    }

    private static func skippingWhitespace(_ all: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var index = start
        while index < all.count,
            all[index] == 0x20 || all[index] == 0x09 || all[index] == 0x0A || all[index] == 0x0D
        {
            index += 1
        }
        return index
    }

    /// Just past the closing quote of the (validated) string whose opening quote is at `start`.
    private static func endOfString(_ all: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var index = start + 1
        while index < all.count {
            switch all[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return all.count
    }

    /// Just past the (validated) value starting at `start`.
    private static func endOfValue(_ all: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var index = start
        switch all[start] {
        case UInt8(ascii: "\""): return endOfString(all, start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < all.count {
                switch all[index] {
                case UInt8(ascii: "\""):
                    index = endOfString(all, index)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default: break
                }
                index += 1
            }
            return all.count
        default:
            // A number or a literal: up to the next delimiter.
            while index < all.count {
                switch all[index] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D: return index
                default: index += 1
                }
            }
            return index
        }
    }

    /// The (validated) string whose opening quote is at `start`, decoded.
    private static func decodedString(_ bytes: [UInt8], at start: Int) -> String {
        var parser = StrictJSONReader.Parser(bytes: bytes, maxDepth: 1)
        parser.index = start
        return (try? parser.parseString()) ?? ""
    }

    /// A member's name, decoded (validated when the object was read, like its value).
    static func name(_ member: Member, in bytes: [UInt8]) -> String {
        if !member.escaped { return String(decoding: bytes[member.nameStart..<member.nameEnd], as: UTF8.self) }
        return decodedString(bytes, at: member.nameStart - 1)
    }

    /// Whether two names are the same member as `StrictJSONReader` decides it (String ==). Plain names are equal
    /// exactly when their bytes are, so their keys (length, first and last byte) are compared first.
    @inline(__always)  // the duplicate check calls it for every pair of a small object's members
    static func sameName(_ first: Member, _ second: Member, in bytes: [UInt8]) -> Bool {
        if first.plainName && second.plainName {
            guard first.key == second.key else { return false }
            return bytes.withUnsafeBufferPointer { all in
                UnsafeBufferPointer(rebasing: all[first.nameStart..<first.nameEnd])
                    .sameBytes(as: UnsafeBufferPointer(rebasing: all[second.nameStart..<second.nameEnd]))
            }
        }
        return name(first, in: bytes) == name(second, in: bytes)
    }
}

// MARK: - Value.swift

import Foundation

/// Architect data types as the runtime knows them (the compiler's `ArchitectType` is this type).
public indirect enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case string, integer, decimal, boolean, dateTime, duration, json
    case collection(ValueType)

    public var description: String {
        switch self {
        case .string: "String"
        case .integer: "Integer"
        case .decimal: "Decimal"
        case .boolean: "Boolean"
        case .dateTime: "DateTime"
        case .duration: "Duration"
        case .json: "JSON"
        case .collection(let element): "\(element)Collection"
        }
    }

    /// `"String"`, `"DecimalCollection"`…: the quoted name, for JSON writers (no escaping is ever needed).
    public func writeQuotedName(to out: inout ByteWriter) {
        out.append(UInt8(ascii: "\""))
        switch self {
        case .string: out.append("String")
        case .integer: out.append("Integer")
        case .decimal: out.append("Decimal")
        case .boolean: out.append("Boolean")
        case .dateTime: out.append("DateTime")
        case .duration: out.append("Duration")
        case .json: out.append("JSON")
        case .collection: out.appendUTF8(description)
        }
        out.append(UInt8(ascii: "\""))
    }

    public init?(name: String) {
        let scalars: [ValueType] = [.string, .integer, .decimal, .boolean, .dateTime, .duration, .json]
        if let match = scalars.first(where: { $0.description.isByteEqual(to: name) }) {
            self = match
        } else if name.hasSuffix("Collection"),
            let element = ValueType(name: String(name.dropLast("Collection".count))),
            element != .json
        {
            self = .collection(element)
        } else {
            return nil
        }
    }
}

/// A value held by an Architect variable. NOT_SET is represented by `nil` (`Value?`).
public enum Value: Hashable, Sendable {
    case string(String)
    /// Architect Integer: 64-bit, exact from the JSON text.
    case integer(Int64)
    /// Architect Decimal: exact decimal arithmetic (38 significant digits).
    case decimal(Decimal)
    case boolean(Bool)
    /// Milliseconds since 1970-01-01T00:00:00Z.
    case dateTime(Int64)
    /// Milliseconds.
    case duration(Int64)
    case json(JSONValue)
    case collection([Value])

    /// The value as replay prints it (docs/decisions.md, Replay values): numbers exact, DateTime as RFC 3339,
    /// collections as arrays.
    public var json: JSONValue {
        switch self {
        case .string(let s): .string(s)
        case .integer(let i): .number(String(i))
        case .decimal(let d): .number(Value.decimalText(d))
        case .boolean(let b): .bool(b)
        case .dateTime(let ms): .string(Value.rfc3339(ms))
        case .duration(let ms): .string(Value.isoDuration(ms))
        case .json(let value): value
        case .collection(let items): .array(items.map(\.json))
        }
    }

    /// Appends `json.compact()` to a byte buffer without building the `JSONValue`.
    public func writeJSON(to out: inout ByteWriter) {
        switch self {
        case .string(let s): out.appendQuoted(s)
        case .integer(let i): out.appendUTF8(String(i))
        case .decimal(let d): out.appendUTF8(Value.decimalText(d))
        case .boolean(let b): out.append(b ? "true" : "false")
        case .dateTime(let ms): out.appendQuoted(Value.rfc3339(ms))
        case .duration(let ms): out.appendQuoted(Value.isoDuration(ms))
        case .json(let value):
            var compact: [UInt8] = []
            value.writeCompact(to: &compact)
            out.append(compact)
        case .collection(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.writeJSON(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }

    /// Decimal text without exponent, as Foundation prints it (`10000`, `0.5`, `-12.25`).
    public static func decimalText(_ value: Decimal) -> String {
        if let text = plainDecimalText(value) { return text }
        var value = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 38, .plain)
        return rounded.description
    }

    /// `decimalText` for the common case — a normalised mantissa below 10^17 and at most 38 fraction digits, where
    /// rounding changes nothing — printed from the digits. Foundation's `description` cost ~0.7 µs per value; a
    /// differential test holds the two equal. nil for anything else.
    static func plainDecimalText(_ value: Decimal) -> String? {
        guard let (negative, mantissa, exponent) = value.parts, exponent >= -38, exponent <= 20,
            mantissa < 100_000_000_000_000_000
        else { return nil }
        if mantissa == 0 { return "0" }
        // A mantissa with trailing zeros and a negative exponent is not normalised: leave it to Foundation.
        guard exponent >= 0 || mantissa % 10 != 0 else { return nil }
        var digitCount = 1
        var power: UInt64 = 10
        while digitCount < 17 && mantissa >= power {
            digitCount += 1
            power &*= 10
        }
        let fraction = max(0, -exponent)
        // The digits, then the zeros an exponent adds, or a point (and leading zeros) a negative one needs.
        let whole = exponent >= 0 ? digitCount + exponent : max(1, digitCount - fraction)
        let length = (negative ? 1 : 0) + whole + (fraction > 0 ? 1 + fraction : 0)
        return String(unsafeUninitializedCapacity: length) { out in
            var position = length
            var rest = mantissa
            if exponent > 0 {
                for _ in 0..<exponent {
                    position -= 1
                    out[position] = UInt8(ascii: "0")
                }
            }
            // Digits from the right; once the fraction is written, the point, then the rest (a lone 0 if none).
            var written = 0
            while written < max(digitCount, fraction + 1) {
                if fraction > 0 && written == fraction {
                    position -= 1
                    out[position] = UInt8(ascii: ".")
                }
                position -= 1
                out[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                written += 1
            }
            if negative {
                position -= 1
                out[position] = UInt8(ascii: "-")
            }
            return length
        }
    }

    /// A Decimal a generated evaluator writes as text (a Double literal would round): claimmap's own
    /// `decimalText`, which always reads back. Any other text is a broken file, and stops the program.
    public static func exactDecimal(_ text: String) -> Value {
        guard let value = ClaimContract.decimal(text), value.isFinite else {
            preconditionFailure("not a decimal: \(text)")
        }
        return .decimal(value)
    }

    /// The latest time a NumericDate claim may name: 9999-12-31T23:59:59Z (the verifier's bound too).
    public static let latestNumericDate: Int64 = 253_402_300_799

    /// `2026-11-25T12:00:00Z`, with `.SSS` only when there are milliseconds (CivilTime).
    public static func rfc3339(_ milliseconds: Int64) -> String { CivilTime.rfc3339(milliseconds: milliseconds) }

    /// ISO 8601 duration in seconds, `PT90S`.
    public static func isoDuration(_ milliseconds: Int64) -> String {
        milliseconds % 1000 == 0 ? "PT\(milliseconds / 1000)S" : "PT\(Value.decimalText(Decimal(milliseconds) / 1000))S"
    }

    /// Days in a month of the proleptic Gregorian calendar (`2026-02-30` is no date).
    static func daysInMonth(_ month: Int64, year: Int64) -> Int64 {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Int(month - 1)]
    }

    /// Parses RFC 3339 (`2026-11-25T12:00:00Z`, fractional seconds and offsets allowed) into milliseconds. The day
    /// must exist in its month and an offset is at most 23:59.
    public static func parseRFC3339(_ text: String) -> Int64? {
        let scalars = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= scalars.count else { return nil }
            var value: Int64 = 0
            for byte in scalars[start..<start + count] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard scalars.count >= 20, let year = number(0, 4), scalars[4] == 45, let month = number(5, 2),
            scalars[7] == 45,
            let day = number(8, 2), scalars[10] == 84 || scalars[10] == 116, let hour = number(11, 2),
            scalars[13] == 58,
            let minute = number(14, 2), scalars[16] == 58, let second = number(17, 2),
            (1...12).contains(month), day >= 1, day <= daysInMonth(month, year: year), hour < 24, minute < 60,
            second < 61
        else { return nil }
        var index = 19
        var millis: Int64 = 0
        if index < scalars.count, scalars[index] == 46 {
            index += 1
            var digits = 0
            while index < scalars.count, (48...57).contains(scalars[index]) {
                if digits < 3 { millis = millis * 10 + Int64(scalars[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<3 where digits < 3 { millis *= 10 }
        }
        var offset: Int64 = 0
        guard index < scalars.count else { return nil }
        if scalars[index] == 90 || scalars[index] == 122 {
            index += 1
        } else if scalars[index] == 43 || scalars[index] == 45, let oh = number(index + 1, 2),
            scalars.count > index + 3,
            scalars[index + 3] == 58, let om = number(index + 4, 2), oh < 24, om < 60
        {
            offset = (oh * 60 + om) * 60 * (scalars[index] == 43 ? 1 : -1)
            index += 6
        } else {
            return nil
        }
        guard index == scalars.count else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * mp + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return ((days * 86400 + hour * 3600 + minute * 60 + second) - offset) * 1000 + millis
    }
}

extension Value {
    /// Reads a value of `type` from its `json` form; nil when it does not fit.
    public init?(json: JSONValue, type: ValueType) {
        switch (type, json) {
        case (.string, .string(let s)): self = .string(s)
        case (.integer, .number(let text)):
            guard json.isIntegerNumber, let value = Int64(text) else { return nil }
            self = .integer(value)
        case (.decimal, .number(let text)):
            guard let value = POSIXLocale.decimal(text) else { return nil }
            self = .decimal(value)
        case (.boolean, .bool(let b)): self = .boolean(b)
        case (.dateTime, .string(let s)):
            guard let ms = Value.parseRFC3339(s) else { return nil }
            self = .dateTime(ms)
        case (.duration, .string(let s)):
            // `PT90S` as Value.isoDuration writes it; milliseconds must fit an Int64 (checked, never truncated).
            let digits = String(s.dropFirst(2).dropLast())
            guard s.hasPrefix("PT"), s.hasSuffix("S"), ArchitectOperations.isDecimalText(digits),
                let seconds = POSIXLocale.decimal(digits),
                seconds.magnitude * 1000 < Decimal(Int64.max)
            else { return nil }
            var milliseconds = seconds * 1000
            var whole = Decimal()
            NSDecimalRound(&whole, &milliseconds, 0, .plain)
            guard whole == milliseconds else { return nil }
            self = .duration(NSDecimalNumber(decimal: whole).int64Value)
        case (.json, _): self = .json(json)
        case (.collection(let element), .array(let items)):
            var values: [Value] = []
            for item in items {
                guard let value = Value(json: item, type: element) else { return nil }
                values.append(value)
            }
            self = .collection(values)
        default: return nil
        }
    }
}

extension Decimal {
    /// Sign, significand and exponent when the significand fits 64 bits (every claim and literal a spec usually
    /// holds); nil for NaN, wider significands, and where no known layout was confirmed. Foundation keeps these
    /// fields internal on Linux, and reading the significand through `NSDecimalNumber` (or comparing two Decimals)
    /// allocates; so they are read from memory: an exponent byte, a byte of length and sign bits, two reserved
    /// bytes, then eight 16-bit mantissa words. Apple's NSDecimal keeps the length in the flag byte's low four bits
    /// and the sign in bit 4; swift-foundation (Linux) the length in the high four and the sign in bit 3. Which one
    /// this process has is decided once, by reading values built through the public API; with neither, this is nil
    /// and every caller takes Foundation's path.
    var parts: Parts? {
        guard let layout = Self.flagLayout else { return nil }
        return parts(layout)
    }

    /// A Decimal as sign, 64-bit significand and exponent: `significand × 10^exponent`, negated when `negative`.
    typealias Parts = (negative: Bool, significand: UInt64, exponent: Int)

    /// The Decimal these parts spell (a zero significand is zero, whatever the sign: Foundation's negative zero is
    /// NaN).
    init(_ parts: Parts) {
        self =
            parts.significand == 0
            ? .zero
            : Decimal(
                sign: parts.negative ? .minus : .plus, exponent: parts.exponent, significand: Decimal(parts.significand)
            )
    }

    /// Where the flag byte keeps the length and the sign.
    private struct FlagLayout {
        let lengthShift: UInt8
        let negativeBit: UInt8
    }

    private func parts(_ layout: FlagLayout) -> Parts? {
        withUnsafeBytes(of: self) { raw -> Parts? in
            let flags = raw[1]
            let length = (flags >> layout.lengthShift) & 0x0F
            let negative = flags & layout.negativeBit != 0
            // Length 0 is zero, or NaN when negative.
            guard length <= 4, !(length == 0 && negative) else { return nil }
            var significand: UInt64 = 0
            for word in 0..<Int(length) {
                let value = UInt64(raw[4 + 2 * word]) | UInt64(raw[5 + 2 * word]) << 8
                significand |= value << (16 * UInt64(word))
            }
            return (negative, significand, Int(Int8(bitPattern: raw[0])))
        }
    }

    /// The layout under which every probe, rebuilt from the parts read, equals itself; nil when neither does.
    private static let flagLayout: FlagLayout? = {
        guard MemoryLayout<Decimal>.size == 20 else { return nil }
        let probes = ["0", "1", "-1", "0.5", "-12.345", "70000", "1099511627779", "-18446744073709551615", "1e-30"]
            .compactMap(POSIXLocale.decimal)
        let candidates = [FlagLayout(lengthShift: 0, negativeBit: 0x10), FlagLayout(lengthShift: 4, negativeBit: 0x08)]
        return candidates.first { layout in
            probes.count == 9
                && probes.allSatisfy { value in
                    guard let parts = value.parts(layout) else { return false }
                    return Decimal(parts) == value && (parts.significand == 0) == value.isZero
                }
        }
    }()

    /// -1, 0 or 1 as `self` is below, equal to or above `other`, compared exactly. Significands of 64 bits are
    /// compared as integers once scaled to one exponent; anything else (or a scale that overflows) by Foundation,
    /// whose comparison allocates.
    func order(_ other: Decimal) -> Int {
        if let a = parts, let b = other.parts, let order = Self.order(a, b) { return order }
        return self < other ? -1 : self == other ? 0 : 1
    }

    private static func order(_ a: Parts, _ b: Parts) -> Int? {
        let signA = a.significand == 0 ? 0 : a.negative ? -1 : 1
        let signB = b.significand == 0 ? 0 : b.negative ? -1 : 1
        if signA != signB { return signA < signB ? -1 : 1 }
        if signA == 0 { return 0 }
        // Same sign: compare magnitudes at the smaller exponent (the other significand scaled up to it).
        func scaled(_ significand: UInt64, by places: Int) -> UInt64? {
            var value = significand
            for _ in 0..<max(0, places) {
                let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                value = product
            }
            return value
        }
        guard let left = scaled(a.significand, by: a.exponent - b.exponent),
            let right = scaled(b.significand, by: b.exponent - a.exponent)
        else { return nil }
        let magnitude = left < right ? -1 : left == right ? 0 : 1
        return signA > 0 ? magnitude : -magnitude
    }
}
