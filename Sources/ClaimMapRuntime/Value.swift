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
