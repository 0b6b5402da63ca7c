/// The fixed part of every generated `Evaluator.swift`: values, a strict JSON reader and printer, the claim
/// contract and Architect's operations, nested in the spec's enum so several evaluators coexist. It mirrors
/// `ClaimMapEvaluator` (Value, ClaimContract, ArchitectOperations) without depending on it; the differential
/// test in `Tests/ClaimMapEmittersTests` proves the two agree on every example spec.
enum SwiftEvaluatorRuntime {
    static let source = #"""
        // MARK: Values

        /// A JSON value; numbers keep their exact text, objects their member order.
        public indirect enum JSON: Hashable, Sendable {
            case null
            case bool(Bool)
            case number(String)
            case string(String)
            case array([JSON])
            case object([Member])

            public struct Member: Hashable, Sendable {
                public var name: String
                public var value: JSON
            }

            subscript(member name: String) -> JSON? {
                if case .object(let members) = self { return members.first { sameBytes($0.name, name) }?.value }
                return nil
            }

            var isIntegerNumber: Bool {
                if case .number(let text) = self { return !text.contains { $0 == "." || $0 == "e" || $0 == "E" } }
                return false
            }

            /// Compact JSON text, escaping as the claimmap printer does.
            public var text: String {
                switch self {
                case .null: return "null"
                case .bool(let b): return b ? "true" : "false"
                case .number(let n): return n
                case .string(let s): return JSON.quote(s)
                case .array(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
                case .object(let members): return "{" + members.map { JSON.quote($0.name) + ":" + $0.value.text }.joined(separator: ",") + "}"
                }
            }

            static func quote(_ text: String) -> String {
                var out = "\""
                for scalar in text.unicodeScalars {
                    switch scalar {
                    case "\"": out += "\\\""
                    case "\\": out += "\\\\"
                    case "\n": out += "\\n"
                    case "\r": out += "\\r"
                    case "\t": out += "\\t"
                    case "\u{08}": out += "\\b"
                    case "\u{0C}": out += "\\f"
                    case "\u{2028}": out += "\\u2028"
                    case "\u{2029}": out += "\\u2029"
                    default:
                        if scalar.value < 0x20 || scalar.value == 0x7F {
                            let hex = String(scalar.value, radix: 16)
                            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                        } else {
                            out.unicodeScalars.append(scalar)
                        }
                    }
                }
                return out + "\""
            }

            /// Parses strict JSON (UTF-8, no duplicate members, depth ≤ 64); nil when malformed.
            public static func parse(_ text: String) -> JSON? {
                var parser = Parser(bytes: Array(text.utf8))
                parser.skip()
                guard let value = parser.value(depth: 0) else { return nil }
                parser.skip()
                return parser.index == parser.bytes.count ? value : nil
            }

            struct Parser {
                let bytes: [UInt8]
                var index = 0

                mutating func skip() {
                    while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
                }

                mutating func literal(_ word: String, _ value: JSON) -> JSON? {
                    let utf8 = Array(word.utf8)
                    guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else { return nil }
                    index += utf8.count
                    return value
                }

                mutating func value(depth: Int) -> JSON? {
                    guard depth <= 64, index < bytes.count else { return nil }
                    switch bytes[index] {
                    case UInt8(ascii: "{"):
                        index += 1
                        var members: [Member] = []
                        skip()
                        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                            index += 1
                            return .object(members)
                        }
                        while true {
                            skip()
                            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let name = string() else { return nil }
                            guard !members.contains(where: { $0.name == name }) else { return nil }
                            skip()
                            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                            index += 1
                            skip()
                            guard let member = value(depth: depth + 1) else { return nil }
                            members.append(Member(name: name, value: member))
                            skip()
                            guard index < bytes.count else { return nil }
                            if bytes[index] == UInt8(ascii: ",") {
                                index += 1
                                continue
                            }
                            guard bytes[index] == UInt8(ascii: "}") else { return nil }
                            index += 1
                            return .object(members)
                        }
                    case UInt8(ascii: "["):
                        index += 1
                        var items: [JSON] = []
                        skip()
                        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                            index += 1
                            return .array(items)
                        }
                        while true {
                            skip()
                            guard let item = value(depth: depth + 1) else { return nil }
                            items.append(item)
                            skip()
                            guard index < bytes.count else { return nil }
                            if bytes[index] == UInt8(ascii: ",") {
                                index += 1
                                continue
                            }
                            guard bytes[index] == UInt8(ascii: "]") else { return nil }
                            index += 1
                            return .array(items)
                        }
                    case UInt8(ascii: "\""): return string().map(JSON.string)
                    case UInt8(ascii: "t"): return literal("true", .bool(true))
                    case UInt8(ascii: "f"): return literal("false", .bool(false))
                    case UInt8(ascii: "n"): return literal("null", .null)
                    default: return number()
                    }
                }

                mutating func hex4() -> UInt32? {
                    guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                        return nil
                    }
                    index += 4
                    return value
                }

                mutating func string() -> String? {
                    index += 1
                    var scalars = String.UnicodeScalarView()
                    var start = index
                    while index < bytes.count {
                        let byte = bytes[index]
                        if byte == UInt8(ascii: "\"") {
                            scalars.append(contentsOf: String(decoding: bytes[start..<index], as: UTF8.self).unicodeScalars)
                            index += 1
                            return String(scalars)
                        }
                        if byte < 0x20 { return nil }
                        if byte != UInt8(ascii: "\\") {
                            index += 1
                            continue
                        }
                        scalars.append(contentsOf: String(decoding: bytes[start..<index], as: UTF8.self).unicodeScalars)
                        index += 1
                        guard index < bytes.count else { return nil }
                        let escape = bytes[index]
                        index += 1
                        switch escape {
                        case UInt8(ascii: "\""): scalars.append("\"")
                        case UInt8(ascii: "\\"): scalars.append("\\")
                        case UInt8(ascii: "/"): scalars.append("/")
                        case UInt8(ascii: "b"): scalars.append("\u{08}")
                        case UInt8(ascii: "f"): scalars.append("\u{0C}")
                        case UInt8(ascii: "n"): scalars.append("\n")
                        case UInt8(ascii: "r"): scalars.append("\r")
                        case UInt8(ascii: "t"): scalars.append("\t")
                        case UInt8(ascii: "u"):
                            guard var code = hex4() else { return nil }
                            if (0xD800...0xDBFF).contains(code) {
                                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { return nil }
                                index += 2
                                guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            } else if (0xDC00...0xDFFF).contains(code) {
                                return nil
                            }
                            guard let scalar = Unicode.Scalar(code) else { return nil }
                            scalars.append(scalar)
                        default: return nil
                        }
                        start = index
                    }
                    return nil
                }

                mutating func number() -> JSON? {
                    let start = index
                    if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
                    func digits(_ parser: inout Parser) -> Int {
                        let from = parser.index
                        while parser.index < parser.bytes.count, (48...57).contains(parser.bytes[parser.index]) { parser.index += 1 }
                        return parser.index - from
                    }
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: "0") { index += 1 } else if digits(&self) == 0 { return nil }
                    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                        index += 1
                        guard digits(&self) > 0 else { return nil }
                    }
                    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                        index += 1
                        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                        guard digits(&self) > 0 else { return nil }
                    }
                    return .number(String(decoding: bytes[start..<index], as: UTF8.self))
                }
            }
        }

        /// A value held by an Architect variable; NOT_SET is `nil`.
        public indirect enum Value: Hashable, Sendable {
            case string(String)
            case integer(Int64)
            case decimal(Decimal)
            case boolean(Bool)
            case dateTime(Int64)
            case duration(Int64)
            case json(JSON)
            case collection([Value])

            var json: JSON {
                switch self {
                case .string(let s): return .string(s)
                case .integer(let i): return .number(String(i))
                case .decimal(let d): return .number(Self.decimalText(d))
                case .boolean(let b): return .bool(b)
                case .dateTime(let ms): return .string(Self.rfc3339(ms))
                case .duration(let ms): return .string(ms % 1000 == 0 ? "PT\(ms / 1000)S" : "PT\(Self.decimalText(Decimal(ms) / 1000))S")
                case .json(let value): return value
                case .collection(let items): return .array(items.map(\.json))
                }
            }

            static func decimalText(_ value: Decimal) -> String {
                var value = value
                var rounded = Decimal()
                NSDecimalRound(&rounded, &value, 38, .plain)
                return rounded.description
            }

            static func rfc3339(_ milliseconds: Int64) -> String {
                let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
                let millis = milliseconds - seconds * 1000
                var days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
                let secondOfDay = seconds - days * 86400
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

            static func parseRFC3339(_ text: String) -> Int64? {
                let s = Array(text.utf8)
                func number(_ start: Int, _ count: Int) -> Int64? {
                    guard start + count <= s.count else { return nil }
                    var value: Int64 = 0
                    for byte in s[start..<start + count] {
                        guard (48...57).contains(byte) else { return nil }
                        value = value * 10 + Int64(byte - 48)
                    }
                    return value
                }
                guard s.count >= 20, let year = number(0, 4), s[4] == 45, let month = number(5, 2), s[7] == 45,
                    let day = number(8, 2), s[10] == 84 || s[10] == 116, let hour = number(11, 2), s[13] == 58,
                    let minute = number(14, 2), s[16] == 58, let second = number(17, 2),
                    (1...12).contains(month), day >= 1, day <= [31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Int(month - 1)],
            hour < 24, minute < 60, second < 61
                else { return nil }
                var index = 19
                var millis: Int64 = 0
                if index < s.count, s[index] == 46 {
                    index += 1
                    var digits = 0
                    while index < s.count, (48...57).contains(s[index]) {
                        if digits < 3 { millis = millis * 10 + Int64(s[index] - 48) }
                        digits += 1
                        index += 1
                    }
                    guard digits > 0 else { return nil }
                    for _ in digits..<3 where digits < 3 { millis *= 10 }
                }
                var offset: Int64 = 0
                guard index < s.count else { return nil }
                if s[index] == 90 || s[index] == 122 {
                    index += 1
                } else if s[index] == 43 || s[index] == 45, let oh = number(index + 1, 2), s.count > index + 3, s[index + 3] == 58,
                    let om = number(index + 4, 2), oh < 24, om < 60
                {
                    offset = (oh * 60 + om) * 60 * (s[index] == 43 ? 1 : -1)
                    index += 6
                } else {
                    return nil
                }
                guard index == s.count else { return nil }
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

        public enum ActionResult: Hashable, Sendable {
            case response(JSON)
            case fail
        }

        /// One conversation: the verified payload (nil for a guest), page attributes, data action results.
        public struct Input: Sendable {
            public var claims: JSON?
            public var attributes: [String: String]
            public var enrichments: [String: ActionResult]
            public var actions: [String: ActionResult]

            public init(claims: JSON?, attributes: [String: String] = [:], enrichments: [String: ActionResult] = [:], actions: [String: ActionResult] = [:]) {
                self.claims = claims
                self.attributes = attributes
                self.enrichments = enrichments
                self.actions = actions
            }
        }

        public struct Output: Sendable {
            public var variables: [(name: String, type: String, value: Value?, trusted: Bool, source: String)]
            public var participantData: [(key: String, value: String?)]
            public var route: (rule: String, queue: String, priority: Int?, skills: [String])?
            public var guards: [(name: String, allowed: Bool, reason: String?)]

            /// The same JSON `claimmap replay` prints for variables, participant data, route and guards.
            public var json: JSON {
                func member(_ name: String, _ value: JSON) -> JSON.Member { JSON.Member(name: name, value: value) }
                return .object([
                    member("variables", .object(variables.map { v in
                        member(v.name, .object([member("type", .string(v.type)), member("value", v.value?.json ?? .null), member("trusted", .bool(v.trusted)), member("source", .string(v.source))]))
                    })),
                    member("participantData", .object(participantData.map { member($0.key, $0.value.map(JSON.string) ?? .null) })),
                    member("route", route.map { r in
                        .object([member("rule", .string(r.rule)), member("queue", .string(r.queue)), member("priority", r.priority.map { .number(String($0)) } ?? .null), member("skills", .array(r.skills.map(JSON.string)))])
                    } ?? .null),
                    member("guards", .object(guards.map { g in
                        member(g.name, .object([member("allowed", .bool(g.allowed)), member("reason", g.reason.map(JSON.string) ?? .null)]))
                    })),
                ])
            }
        }

        // MARK: Claim contract

        struct ClaimType: Sendable {
            var kind: String
            var items: [ClaimType] = []
            var properties: [(String, ClaimType)] = []
            var enumValues: [String]? = nil
            var pattern: String? = nil
            var format: String? = nil
            var minimum: String? = nil
            var maximum: String? = nil
            var maxLength: Int? = nil
            var maxItems: Int? = nil
        }

        static func member(_ path: [String], _ payload: JSON) -> JSON? {
            var current = payload
            for segment in path {
                guard let next = current[member: segment] else { return nil }
                current = next
            }
            return current
        }

        static func decimal(_ text: String) -> Decimal? { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) }

        /// `pattern` is the ICU form of the spec's ECMA-262 pattern, translated by claimmap at compile time (its
        /// `ECMAPattern`: ASCII `\d` `\w`, ECMA's `\s`, `.` and `$`), so ICU gives JavaScript's answer here.
        static func matches(_ pattern: String, _ text: String) -> Bool {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
            return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }

        static func valid(_ value: JSON, _ type: ClaimType) -> Bool {
            switch type.kind {
            case "string":
                guard case .string(let text) = value else { return false }
                if let maxLength = type.maxLength, text.unicodeScalars.count > maxLength { return false }
                if let values = type.enumValues, !values.contains(where: { sameBytes($0, text) }) { return false }
                if let pattern = type.pattern, !matches(pattern, text) { return false }
                switch type.format {
                case "email"?:
                    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
                    return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".") && !text.unicodeScalars.contains { $0.properties.isWhitespace }
                case "uri"?:
                    guard let colon = text.firstIndex(of: ":"), colon > text.startIndex else { return false }
                    return text[..<colon].unicodeScalars.allSatisfy { $0.properties.isAlphabetic || "+.-0123456789".unicodeScalars.contains($0) }
                case "date-time"?: return Value.parseRFC3339(text) != nil
                default: return true
                }
            case "integer", "number":
                guard case .number(let text) = value else { return false }
                if type.kind == "integer" && (!value.isIntegerNumber || Int64(text) == nil) { return false }
                guard let number = decimal(text) else { return false }
                if let values = type.enumValues, !values.contains(where: { decimal($0) == number }) { return false }
                if let minimum = type.minimum.flatMap(decimal), number < minimum { return false }
                if let maximum = type.maximum.flatMap(decimal), number > maximum { return false }
                return true
            case "boolean":
                if case .bool = value { return true }
                return false
            case "array":
                guard case .array(let items) = value else { return false }
                if let maxItems = type.maxItems, items.count > maxItems { return false }
                if let item = type.items.first { return items.allSatisfy { valid($0, item) } }
                return true
            case "object":
                guard case .object = value else { return false }
                for (name, spec) in type.properties {
                    if let member = value[member: name], !valid(member, spec) { return false }
                }
                return true
            default:
                return false
            }
        }

        static func convert(_ value: JSON, _ claim: ClaimType, to target: String) -> Value? {
            switch (target, value) {
            case ("String", .string(let s)): return .string(s)
            case ("String", .number(let text)):
                if value.isIntegerNumber, let i = Int64(text) { return .string(String(i)) }
                return decimal(text).map { .string(Value.decimalText($0)) }
            case ("String", .bool(let b)): return .string(b ? "true" : "false")
            case ("Integer", .number(let text)):
                guard value.isIntegerNumber else { return nil }
                return Int64(text).map(Value.integer)
            case ("Decimal", .number(let text)): return decimal(text).map(Value.decimal)
            case ("Boolean", .bool(let b)): return .boolean(b)
            case ("DateTime", .string(let s)): return Value.parseRFC3339(s).map(Value.dateTime)
            case ("DateTime", .number(let text)):
                guard let seconds = decimal(text), seconds >= 0, seconds <= 253_402_300_799 else { return nil }
                var floored = Decimal()
                var input = seconds
                NSDecimalRound(&floored, &input, 0, .down)
                if seconds < 0 && floored != seconds { floored -= 1 }
                return .dateTime(NSDecimalNumber(decimal: floored * 1000).int64Value)
            case ("JSON", _): return .json(value)
            case (_, .array(let items)) where target.hasSuffix("Collection"):
                let element = String(target.dropLast("Collection".count))
                var out: [Value] = []
                for item in items {
                    guard let converted = convert(item, claim.items.first ?? claim, to: element) else { return nil }
                    out.append(converted)
                }
                return .collection(out)
            default: return nil
            }
        }

        static func attributeAccepts(_ text: String, enumValues: [String]?, pattern: String?, maxLength: Int?) -> Bool {
            if let enumValues, !enumValues.contains(where: { sameBytes($0, text) }) { return false }
            if let maxLength, text.unicodeScalars.count > maxLength { return false }
            if let pattern, !matches(pattern, text) { return false }
            return !text.isEmpty
        }

        static func valueFromJSON(_ json: JSON, _ type: String) -> Value? {
            switch (type, json) {
            case ("String", .string(let s)): return .string(s)
            case ("Integer", .number(let text)):
                guard json.isIntegerNumber else { return nil }
                return Int64(text).map(Value.integer)
            case ("Decimal", .number(let text)): return decimal(text).map(Value.decimal)
            case ("Boolean", .bool(let b)): return .boolean(b)
            case ("DateTime", .string(let s)): return Value.parseRFC3339(s).map(Value.dateTime)
            case ("JSON", _): return .json(json)
            case (_, .array(let items)) where type.hasSuffix("Collection"):
                var out: [Value] = []
                for item in items {
                    guard let value = valueFromJSON(item, String(type.dropLast("Collection".count))) else { return nil }
                    out.append(value)
                }
                return .collection(out)
            default: return nil
            }
        }

        // MARK: Architect operations

        /// Text compared byte for byte: Swift's `==` would fold Unicode canonical equivalents ("\u{212A}" is "K").
        static func sameBytes(_ a: String, _ b: String) -> Bool { a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8) }

        static func number(_ value: Value) -> Decimal? {
            switch value {
            case .integer(let i): return Decimal(i)
            case .decimal(let d): return d
            default: return nil
            }
        }

        static func equal(_ lhs: Value, _ rhs: Value) -> Bool? {
            if let a = number(lhs), let b = number(rhs) { return a == b }
            switch (lhs, rhs) {
            case let (.string(a), .string(b)): return sameBytes(a, b)
            case let (.boolean(a), .boolean(b)): return a == b
            case let (.dateTime(a), .dateTime(b)), let (.duration(a), .duration(b)): return a == b
            default: return nil
            }
        }

        static func compare(_ lhs: Value, _ rhs: Value) -> Int? {
            if let a = number(lhs), let b = number(rhs) { return a < b ? -1 : a == b ? 0 : 1 }
            switch (lhs, rhs) {
            case let (.dateTime(a), .dateTime(b)), let (.duration(a), .duration(b)): return a < b ? -1 : a == b ? 0 : 1
            default: return nil
            }
        }

        static func binary(_ op: String, _ lhs: Value?, _ rhs: Value?) -> Value? {
            guard let lhs, let rhs else { return nil }
            switch op {
            case "==": return equal(lhs, rhs).map(Value.boolean)
            case "!=": return equal(lhs, rhs).map { .boolean(!$0) }
            case "<", "<=", ">", ">=":
                guard let order = compare(lhs, rhs) else { return nil }
                switch op {
                case "<": return .boolean(order < 0)
                case "<=": return .boolean(order <= 0)
                case ">": return .boolean(order > 0)
                default: return .boolean(order >= 0)
                }
            default:
                if op == "+", case .string(let a) = lhs, case .string(let b) = rhs { return .string(a + b) }
                if op != "/", case .integer(let a) = lhs, case .integer(let b) = rhs {
                    let (result, overflow): (Int64, Bool) = op == "+" ? a.addingReportingOverflow(b) : op == "-" ? a.subtractingReportingOverflow(b) : a.multipliedReportingOverflow(by: b)
                    return overflow ? nil : .integer(result)
                }
                guard let a = number(lhs), let b = number(rhs) else { return nil }
                switch op {
                case "+": return .decimal(a + b)
                case "-": return .decimal(a - b)
                case "*": return .decimal(a * b)
                default: return b == 0 ? nil : .decimal(a / b)
                }
            }
        }

        static func and(_ lhs: Value?, _ rhs: () -> Value?) -> Value? {
            guard case .boolean(let left)? = lhs else { return nil }
            if !left { return .boolean(false) }
            guard case .boolean(let right)? = rhs() else { return nil }
            return .boolean(right)
        }

        static func or(_ lhs: Value?, _ rhs: () -> Value?) -> Value? {
            guard case .boolean(let left)? = lhs else { return nil }
            if left { return .boolean(true) }
            guard case .boolean(let right)? = rhs() else { return nil }
            return .boolean(right)
        }

        static func not(_ value: Value?) -> Value? {
            guard case .boolean(let b)? = value else { return nil }
            return .boolean(!b)
        }

        static func negate(_ value: Value?) -> Value? {
            switch value {
            case .integer(let i)?: return i == .min ? nil : .integer(-i)
            case .decimal(let d)?: return .decimal(-d)
            default: return nil
            }
        }

        static func ifThen(_ condition: Value?, _ yes: () -> Value?, _ no: () -> Value?) -> Value? {
            guard case .boolean(let c)? = condition else { return nil }
            return c ? yes() : no()
        }

        static func toString(_ value: Value) -> String {
            switch value {
            case .string(let s): return s
            case .integer(let i): return String(i)
            case .decimal(let d): return Value.decimalText(d)
            case .boolean(let b): return b ? "true" : "false"
            case .dateTime, .duration:
                if case .string(let s) = value.json { return s }
                return ""
            case .json(let json): return json.text
            case .collection: return value.json.text
            }
        }

        static func call(_ name: String, _ arguments: [Value?]) -> Value? {
            switch name {
            case "IsSet": return .boolean(arguments.first.map { $0 != nil } ?? false)
            case "IsNotSetOrEmpty":
                switch arguments.first ?? nil {
                case nil: return .boolean(true)
                case .string(let s)?: return .boolean(s.isEmpty)
                case .collection(let items)?: return .boolean(items.isEmpty)
                default: return .boolean(false)
                }
            default: break
            }
            let values = arguments.compactMap { $0 }
            guard values.count == arguments.count, let first = values.first else { return nil }
            switch (name, first) {
            case ("ToString", _): return .string(toString(first))
            case ("ToInt", .string(let s)): return Int64(s.trimmingCharacters(in: .whitespaces)).map(Value.integer)
            case ("ToInt", .integer(let i)): return .integer(i)
            case ("ToInt", .decimal(let d)):
                var input = d
                var truncated = Decimal()
                NSDecimalRound(&truncated, &input, 0, d < 0 ? .up : .down)
                guard truncated.magnitude < Decimal(Int64.max) else { return nil }
                return .integer(NSDecimalNumber(decimal: truncated).int64Value)
            case ("ToDecimal", .string(let s)):
                let t = s.trimmingCharacters(in: .whitespaces)
                var body = Substring(t)
                if body.hasPrefix("-") { body = body.dropFirst() }
                let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
                guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy({ ("0"..."9").contains($0) }),
                    parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy({ ("0"..."9").contains($0) }))
                else { return nil }
                return decimal(t).map(Value.decimal)
            case ("ToDecimal", _): return number(first).map(Value.decimal)
            case ("ToBool", .string(let s)):
                switch s.lowercased() {
                case "true": return .boolean(true)
                case "false": return .boolean(false)
                default: return nil
                }
            case ("ToDateTime", .string(let s)): return Value.parseRFC3339(s).map(Value.dateTime)
            case ("Lower", .string(let s)): return .string(s.lowercased())
            case ("Upper", .string(let s)): return .string(s.uppercased())
            case ("Contains", .string(let s)):
                guard case .string(let part) = values[1] else { return nil }
                return .boolean(part.isEmpty || s.utf8.firstRange(of: part.utf8) != nil)
            case ("Contains", .collection(let items)): return .boolean(items.contains { equal($0, values[1]) == true })
            case ("StartsWith", .string(let s)):
                guard case .string(let part) = values[1] else { return nil }
                return .boolean(s.utf8.starts(with: part.utf8))
            case ("EndsWith", .string(let s)):
                guard case .string(let part) = values[1] else { return nil }
                return .boolean(s.utf8.reversed().starts(with: part.utf8.reversed()))
            case ("Count", .collection(let items)): return .integer(Int64(items.count))
            case ("Substring", .string(let s)):
                guard case .integer(let start) = values[1], case .integer(let length) = values[2], start >= 0, length >= 0 else { return nil }
                let characters = Array(s)
                guard start <= Int64(characters.count), length <= Int64(characters.count) - start else { return nil }
                return .string(String(characters[Int(start)..<Int(start + length)]))
            case ("GetAt", .collection(let items)):
                guard case .integer(let index) = values[1], index >= 0, index < Int64(items.count) else { return nil }
                return items[Int(index)]
            default: return nil
            }
        }
        """#
}
