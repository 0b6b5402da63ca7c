import ClaimMapJSON
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
        guard var current = member(path.first, in: payload) else { return path.isEmpty ? payload : nil }
        for segment in path.dropFirst() {
            guard let next = member(segment, in: current) else { return nil }
            current = next
        }
        return current
    }

    private static func member(_ name: String?, in object: JSONValue) -> JSONValue? {
        guard let name else { return nil }
        return object[member: name]
    }

    /// Why `value` breaks the contract `type`, or nil when it keeps it. Callers that check many values against
    /// the same contract hold a `Compiled` instead (bounds parsed and the pattern compiled once).
    public static func violation(_ value: JSONValue, _ type: ClaimTypeSpec) -> Violation? {
        Compiled(type).violation(value)
    }

    /// A claim contract prepared for checking many values: numeric bounds and enum values parsed, the pattern
    /// compiled, nested item and member contracts resolved.
    public final class Compiled: Sendable {
        enum Kind {
            case string, integer, number, boolean, array, object
            case unknown(String)
        }

        let kind: Kind
        let maxLength: Int?
        let enumValues: [String]?
        let enumNumbers: [ExactNumber]?
        let pattern: (text: String, matcher: CompiledPattern)?
        let format: String?
        let minimum: (text: String, value: ExactNumber)?
        let maximum: (text: String, value: ExactNumber)?
        let maxItems: Int?
        let item: Compiled?
        /// In declaration order, so the member reported first is always the same one.
        let properties: [(name: String, contract: Compiled)]

        public init(_ type: ClaimTypeSpec) {
            kind =
                switch type.kind {
                case "string": .string
                case "integer": .integer
                case "number": .number
                case "boolean": .boolean
                case "array": .array
                case "object": .object
                default: .unknown(type.kind)
                }
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
                if let maxLength {
                    let length = text.unicodeScalars.count
                    if length > maxLength { return .tooLong("\(length) characters, at most \(maxLength) allowed") }
                }
                if let enumValues, !enumValues.containsByteEqual(text) {
                    return .value("not one of the declared values")
                }
                if let pattern, !pattern.matcher.matches(text) {
                    return .value("does not match the pattern \(pattern.text)")
                }
                if let format, !ClaimContract.formatMatches(format, text) { return .value("not a valid \(format)") }
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
            case .unknown(let kind):
                return .type(expected: kind)
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

    /// The exact value of a JSON number's text. Plain decimals of up to 18 digits (`12345.5`, `-0.25`: every
    /// amount a token carries in practice) are built from their digits directly; anything else — exponents,
    /// longer mantissas — goes through Foundation's parser, which cost a tenth of an evaluation.
    static func decimal(_ text: String) -> Decimal? {
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var negative = false
        var seenPoint = false
        var plain = true
        for (offset, byte) in text.utf8.enumerated() {
            if offset == 0 && byte == UInt8(ascii: "-") {
                negative = true
            } else if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") && digits < 18 {
                digits += 1
                mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                if seenPoint { fractionDigits += 1 }
            } else {
                plain = false
                break
            }
        }
        guard plain, digits > 0 else { return Decimal(string: text, locale: POSIXLocale.shared) }
        // Foundation's negative zero is NaN; `-0.0` is zero.
        if mantissa == 0 { return Decimal.zero }
        return Decimal(sign: negative ? .minus : .plus, exponent: -fractionDigits, significand: Decimal(mantissa))
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

    /// The `email` rule: one `@` between a non-empty local part and a domain with an inner dot, no white space.
    /// Read on `Character`s, as the generated evaluator reads it.
    static func graphemeEmail(_ text: String) -> Bool {
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

    static func formatMatches(_ format: String, _ text: String) -> Bool {
        switch format {
        case "email":
            return asciiEmail(text) ?? graphemeEmail(text)
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
        convert(value, to: target)
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

/// Compiled regular expressions, shared. JSON Schema `pattern` semantics: a search, not a whole-string match,
/// with ECMA-262's `$` (end of input only).
final class PatternCache: @unchecked Sendable {
    /// `pattern` (ECMA-262) compiled by ICU with ECMA's meaning (`ECMAPattern`); nil when JavaScript's `u` mode
    /// or version 1 refuses it.
    static func icuRegex(_ pattern: String) -> NSRegularExpression? {
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
enum CompiledPattern: @unchecked Sendable {
    case simple(SimplePattern)
    case regex(NSRegularExpression)
    case invalid

    func matches(_ text: String) -> Bool {
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
struct SimplePattern: Sendable {
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

    init?(_ pattern: String) {
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

    func matches(_ text: String) -> Bool {
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            var text = text
            return text.withUTF8 { bytes in matches(bytes.lazy.map(UInt32.init)) }
        }
        return matches(text.unicodeScalars.map(\.value))
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
