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
