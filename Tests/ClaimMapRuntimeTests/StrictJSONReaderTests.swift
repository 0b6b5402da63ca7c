import ClaimMapRuntime
import ClaimMapTestSupport
import Foundation
import Testing

@Suite("strict JSON reader")
struct StrictJSONReaderTests {
    static func corpus() throws -> [(String, [UInt8])] {
        let directory = try Corpora.directory("JSONTestSuite/test_parsing")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map { name in
            (name, [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))))
        }
    }

    @Test("JSONTestSuite: every n_ rejected, every y_ accepted except duplicate members, no crash on i_")
    func jsonTestSuite() throws {
        let cases = try Self.corpus()
        #expect(cases.count == 318)
        let reader = StrictJSONReader(maxDepth: 512)
        var counts: [String: Int] = [:]
        for (name, bytes) in cases {
            let result = Result { () throws(StrictJSONReader.Failure) in try reader.parse(bytes) }
            let accepted = (try? result.get()) != nil
            if name.hasPrefix("n_") {
                #expect(!accepted, "\(name) must be rejected")
            } else if name.hasPrefix("y_") {
                // Our policy rejects duplicate members (RFC 7519 §4 permits it); everything else valid is read.
                let duplicate = name.hasPrefix("y_object_duplicated_key")
                #expect(accepted != duplicate, "\(name)")
                if case .failure(.duplicateMember) = result { #expect(duplicate) }
            }
            counts["\(name.prefix(2))\(accepted ? "accepted" : "rejected")", default: 0] += 1
        }
        #expect(counts["n_rejected"] == 188)
        #expect(counts["y_accepted"] == 93)
        #expect(counts["i_accepted", default: 0] + counts["i_rejected", default: 0] == 35)
    }

    @Test("numbers keep their exact text; integers and fractions stay apart")
    func numbers() throws {
        let value = try StrictJSONReader().parse(#"{"a":9007199254740993,"b":1.50,"c":1e3,"d":-0}"#)
        #expect(value[member: "a"] == .number("9007199254740993"))
        #expect(value[member: "a"]?.isIntegerNumber == true)
        #expect(value[member: "b"] == .number("1.50"))
        #expect(value[member: "c"]?.isIntegerNumber == false)
        #expect(value[member: "d"] == .number("-0"))
    }

    @Test("duplicates at any depth, escaped duplicates, depth, BOM and bad UTF-8 are rejected")
    func strictness() {
        let reader = StrictJSONReader()
        let failures: [(String, StrictJSONReader.Failure)] = [
            (#"{"exp":1,"exp":2}"#, .duplicateMember("exp")),
            (#"{"a":{"x":1,"x":2}}"#, .duplicateMember("x")),
            (#"{"a":1,"\u0061":2}"#, .duplicateMember("a")),
            // Past 16 members duplicates are found by hashing: a name from before and after the switch.
            (Self.object(count: 20, extra: "m2"), .duplicateMember("m2")),
            (Self.object(count: 20, extra: "m18"), .duplicateMember("m18")),
            (Self.object(count: 15, extra: "m0"), .duplicateMember("m0")),
        ]
        for (text, expected) in failures {
            #expect(throws: expected) { try reader.parse(text) }
        }
        let deep = String(repeating: "[", count: 17) + String(repeating: "]", count: 17)
        #expect(throws: StrictJSONReader.Failure.tooDeep(limit: 16)) { try reader.parse(deep) }
        let sixteen = String(repeating: "[", count: 16) + String(repeating: "]", count: 16)
        #expect((try? reader.parse(sixteen)) != nil)
        #expect(throws: StrictJSONReader.Failure.notUTF8(offset: 6)) {
            try reader.parse([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D])
        }
        #expect((try? reader.parse([0xEF, 0xBB, 0xBF, 0x7B, 0x7D])) == nil)
        #expect((try? reader.parse(#"{"a":"\ud800"}"#)) == nil)
        #expect((try? reader.parse(#"{"a":1,}"#)) == nil)
        #expect(throws: StrictJSONReader.Failure.notUTF8(offset: 0)) { try reader.parse([0xC0, 0x80]) }
        #expect((try? reader.parse(Self.object(count: 40, extra: nil))) != nil)
        #expect((try? reader.parse(#"{"a":"x\ty\u00e9\"z","b":"plain"}"#))?[member: "a"] == .string("x\ty\u{E9}\"z"))
    }

    /// `{"m0":0,...}` with `count` members, then `extra` again if given.
    static func object(count: Int, extra: String?) -> String {
        let members = (0..<count).map { "\"m\($0)\":\($0)" } + (extra.map { ["\"\($0)\":-1"] } ?? [])
        return "{" + members.joined(separator: ",") + "}"
    }
}

@Suite("byte writer")
struct ByteWriterTests {
    @Test("quoting matches the JSON printer, and growth keeps every byte")
    func quotingAndGrowth() {
        var writer = ByteWriter(capacity: 1)
        var expected: [UInt8] = []
        let samples = [
            "plain", "", "quote \" back \\ slash", "line\nbreak\ttab\r", "\u{0}\u{1F}\u{7F}", "é 👋 \u{2028}\u{2029} ∑",
            String(repeating: "long ", count: 300),
        ]
        for (index, sample) in samples.enumerated() {
            writer.appendQuoted(sample)
            JSONValue.appendQuoted(sample, to: &expected)
            writer.append(",")
            writer.append(UInt8(ascii: "0") + UInt8(index))
            writer.appendUTF8(sample)
            expected += Array(",".utf8) + [UInt8(ascii: "0") + UInt8(index)] + Array(sample.utf8)
        }
        #expect(writer.bytes == expected)
        #expect(writer.count == expected.count)
        writer.removeAll()
        #expect(writer.bytes.isEmpty)
    }
}

/// `StrictJSONReader.object` (a payload kept as bytes and member ranges) against `parse` (the tree), on the
/// JSONTestSuite and on 30,000 mutated token-like payloads: the same inputs accepted, the same failure for the rest,
/// the same members, values and order.
@Suite("JSON object kept as bytes")
struct JSONObjectBytesTests {
    /// Both readers on `bytes`; records a difference.
    /// Returns whether the tree reader accepted the input.
    @discardableResult
    static func compare(_ bytes: [UInt8], maxDepth: Int, _ label: @autoclosure () -> String) -> Bool {
        let reader = StrictJSONReader(maxDepth: maxDepth)
        let tree = Result { () throws(StrictJSONReader.Failure) in try reader.parse(bytes) }
        let kept = Result { () throws(StrictJSONReader.Failure) in try reader.object(bytes) }
        let accepted = (try? tree.get()) != nil
        switch (tree, kept) {
        case (.failure(let expected), .failure(let got)):
            #expect(expected == got, "\(label()): \(expected) vs \(got)")
        case (.success(let value), .success(let object)):
            guard case .object(let members) = value else {
                #expect(object == nil, "\(label()): a non-object kept as an object")
                return accepted
            }
            guard let object else {
                Issue.record("\(label()): an object not kept")
                return accepted
            }
            #expect(object.tree == value, "\(label())")
            #expect(object.names == members.map(\.0), "\(label())")
            for (name, member) in members {
                #expect(object[member: name] == member && object.contains(name), "\(label()): \(name)")
                // A claim's path into nested objects, searched in place: the tree's member at every depth.
                #expect(object.value(at: [name]) == member, "\(label()): \(name)")
                #expect(object.value(at: [name, "absent-member"]) == nil, "\(label()): \(name).absent-member")
                guard case .object(let nested) = member else { continue }
                for (inner, innerValue) in nested {
                    #expect(object.value(at: [name, inner]) == innerValue, "\(label()): \(name).\(inner)")
                    guard case .object(let deepest) = innerValue else { continue }
                    for (leaf, leafValue) in deepest {
                        #expect(
                            object.value(at: [name, inner, leaf]) == leafValue, "\(label()): \(name).\(inner).\(leaf)")
                    }
                }
            }
            #expect(object[member: "absent-member"] == nil && !object.contains("absent-member"))
        default:
            Issue.record("\(label()): \(tree) vs \(kept)")
        }
        return accepted
    }

    @Test("JSONTestSuite: the same verdict, failure and members as the tree reader")
    func jsonTestSuite() throws {
        // Only a document that opens with `{` reaches the member index (`indexObject`); the rest share `parse`'s
        // path and check that `object` hands them back as `parse` does.
        var objects = 0
        for (name, bytes) in try StrictJSONReaderTests.corpus() {
            if bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") { objects += 1 }
            Self.compare(bytes, maxDepth: 512, name)
            Self.compare(bytes, maxDepth: 2, "\(name) at depth 2")
        }
        #expect(objects == 53, "JSONTestSuite files that open with {: \(objects)")
    }

    @Test("30,000 mutated payloads: escapes, non-ASCII and canonically equivalent names, nesting, duplicates")
    func mutatedPayloads() {
        var random = SystemRandomNumberGenerator()
        let names = [
            "iss", "sub", "aud", "exp", "nonce", "https://retail.example/tier", "K", "\u{212A}", "\\u004B", "\u{E9}",
            "e\u{301}", "\\u00e9", "a\\\"b", "", "\\ud83d\\ude00", "\u{1F600}",
        ]
        let values = [
            "\"x\"", "1", "-0.5e3", "true", "null", "[]", "{}", "[\"a\",[1,{\"k\":2}]]", "{\"k\":{\"k\":1},\"j\":[]}",
            "\"\\u00e9\\n\"", "\"caf\u{E9}\"", "{\"K\":1,\"\\u212A\":2}", "[[[[1]]]]", "\"\\ud800\"",
        ]
        let noise: [[UInt8]] = [
            [0x22], [0x5C], [0x2C], [0x3A], [0x7B], [0x7D], [0x5B], [0x5D], [0x20], [0x0A], [0x01], [0xC3], [0xFF],
            Array("\\u".utf8), Array("1e".utf8), Array("tru".utf8),
        ]
        var accepted = 0
        for round in 0..<30_000 {
            let count = Int.random(in: 0...(round % 5 == 0 ? 20 : 6), using: &random)
            let members = (0..<count).map { _ in
                "\"\(names.randomElement(using: &random) ?? "a")\":\(values.randomElement(using: &random) ?? "1")"
            }
            var bytes = Array(("{" + members.joined(separator: ",") + "}").utf8)
            for _ in 0..<(round % 2 == 0 ? 0 : Int.random(in: 1...2, using: &random)) where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(contentsOf: noise.randomElement(using: &random) ?? [], at: at)
                default: bytes[at] = noise.randomElement(using: &random)?.first ?? 0
                }
            }
            if Self.compare(bytes, maxDepth: round % 7 == 0 ? 3 : 16, String(decoding: bytes, as: UTF8.self)) {
                accepted += 1
            }
        }
        // Both sides of the comparison are exercised: valid payloads and every kind of broken one.
        #expect(accepted > 3_000 && accepted < 27_000, "\(accepted) of 30,000 accepted")
    }

    @Test("in-place reads: an escape-free string's bytes, a plain integer's value, nil for every other spelling")
    func inPlaceReads() throws {
        let text =
            #"{"a":"plain","b":"esc\"aped","c":"","d":12,"e":-0,"f":1.5,"g":1e3,"h":123456789012345678,"#
            + #""i":1234567890123456789,"j":[1],"k":null,"l":"\u0041"}"#
        let object = try #require(try StrictJSONReader().object(Array(text.utf8)))
        func string(_ name: String) -> String? {
            guard let member = object.member(named: name) else { return nil }
            var found: String?
            _ = object.withPlainString(member) { bytes in
                found = String(decoding: bytes, as: UTF8.self)
                return true
            }
            return found
        }
        #expect(string("a") == "plain")
        #expect(string("c") == "")
        #expect(string("b") == nil && string("l") == nil && string("d") == nil && string("z") == nil)
        func integer(_ name: String) -> Int64? { object.member(named: name).flatMap(object.integer) }
        #expect(integer("d") == 12 && integer("e") == 0 && integer("h") == 123_456_789_012_345_678)
        // 19 digits and more, fractions, exponents and non-numbers are left to the decoder.
        for name in ["f", "g", "i", "j", "k", "a"] { #expect(integer(name) == nil, "\(name)") }
        #expect(object.member(named: "z") == nil && object.member(named: "l") != nil)
        #expect(object.firstName { $0.count > 0 && $0 != "a" } == "b")
    }

    @Test(
        "a claim's path in place: strings holding brackets and quotes skipped, escaped names decoded, byte-exact names")
    func pathInPlace() throws {
        let text =
            #"{"s":"}]\"{[", "a" : [ "]" , {"k":"}"} , true ] ,"a\"b":null,"\u0062":-1.5e3 ,"t":false,"#
            + #" "o": { "q" : "}\"{\\" , "r": [ "]", {"y":"\""} ], "x" : { "y" : "deep" } , "\u212A": 1 }, "e": {} }"#
        let object = try #require(try StrictJSONReader().object(Array(text.utf8)))
        #expect(object.value(at: []) == object.tree)
        #expect(object.value(at: ["s"]) == .string("}]\"{["))
        #expect(object.value(at: ["a"]) == .array([.string("]"), .object([("k", .string("}"))]), .bool(true)]))
        #expect(object.value(at: ["a\"b"]) == .null && object.value(at: ["t"]) == .bool(false))
        #expect(object.value(at: ["b"]) == .number("-1.5e3"))
        #expect(object.value(at: ["o", "x", "y"]) == .string("deep"))
        #expect(object.value(at: ["o", "\u{212A}"]) == .number("1"))
        // Canonically equal to KELVIN SIGN, other bytes: not the member (names match byte for byte).
        #expect(object.value(at: ["o", "K"]) == nil)
        // Through a string, an array, an empty object, and past a leaf: nothing.
        for path in [["s", "x"], ["a", "k"], ["e", "x"], ["o", "x", "y", "z"], ["absent", "x"]] {
            #expect(object.value(at: path) == nil, "\(path)")
        }
        // A member of another object is no way to read past this one's bytes.
        let other = try #require(try StrictJSONReader().object(Array(#"{"bbbbbbbbbbbbbbbbbbbb":"xxxxxxxxxxxx"}"#.utf8)))
        let small = try #require(try StrictJSONReader().object(Array(#"{"a":1}"#.utf8)))
        #expect(small.value(try #require(other.member(named: "bbbbbbbbbbbbbbbbbbbb"))) == nil)
    }

    @Test("nested objects are checked without a tree: duplicates, depth and escapes as the tree reader finds them")
    func nestedIndex() throws {
        let reader = StrictJSONReader(maxDepth: 3)
        // Each case with the failure both readers must report (nil: accepted).
        let cases: [(String, StrictJSONReader.Failure?)] = [
            (#"{"a":{"x":1,"x":2}}"#, .duplicateMember("x")), (#"{"a":{"x":1,"\u0078":2}}"#, .duplicateMember("x")),
            (#"{"a":{"b":{"c":{}}}}"#, .tooDeep(limit: 3)), (#"{"a":{"b":{"c":1}}}"#, nil),
            (#"{"a":{"K":1,"\u212A":2}}"#, .duplicateMember("\u{212A}")),
            (#"{"a":{"x":"\u12"}}"#, .syntax(offset: 15, message: "invalid \\u escape")),
            (#"{"a":{"x":1,}}"#, .syntax(offset: 12, message: "expected a member name")),
            (#"{"a":{"x" 1}}"#, .syntax(offset: 10, message: "expected ':'")),
            // Names are compared by length, first and last byte before their bytes: the same three, other bytes.
            (#"{"abc":1,"adc":2,"a\u0062c":3}"#, .duplicateMember("abc")),
            (#"{"abc":1,"adc":2,"aéc":3,"a":{"é":1,"\u00e9":2}}"#, .duplicateMember("é")),
            (#"{"abc":1,"adc":2,"aXc":{"abc":1,"adc":2}}"#, nil),
            (#"{"":1,"a":2,"\u0000":3,"":4}"#, .duplicateMember("")),
        ]
        for (text, expected) in cases {
            let bytes = Array(text.utf8)
            let tree = Result { () throws(StrictJSONReader.Failure) in try reader.parse(bytes) }
            let index = Result { () throws(StrictJSONReader.Failure) in try reader.object(bytes) }
            switch (tree, index) {
            case (.success, .success): #expect(expected == nil, "\(text) was accepted")
            case (.failure(let a), .failure(let b)):
                #expect(a == b, "\(text)")
                #expect(a == expected, "\(text): \(a)")
            default: Issue.record("\(text): tree \(tree), index \(index)")
            }
        }
    }

    @Test("the eight-byte scans stop at every quote, backslash, control byte and invalid UTF-8 byte, at its offset")
    func wordScans() throws {
        // A 16-byte string (two whole words) with one byte replaced at each position: the failure names that
        // byte's offset, or the string ends there, as a byte-at-a-time reader decides.
        let prefix = Array(#"{"a":""#.utf8)
        for position in 0..<16 {
            for byte: UInt8 in [0x00, 0x01, 0x1F, 0x22, 0x5C, 0xFF, 0x80] {
                var string = Array("0123456789abcdef".utf8)
                string[position] = byte
                let bytes = prefix + string + Array(#""}"#.utf8)
                let offset = prefix.count + position
                let failure: StrictJSONReader.Failure?
                do throws(StrictJSONReader.Failure) {
                    _ = try StrictJSONReader().object(bytes)
                    failure = nil
                } catch {
                    failure = error
                }
                // The tree reader decodes the string (its own eight-byte scan): the same verdict, and on success the
                // text with its escape decoded.
                let tree = Result { () throws(StrictJSONReader.Failure) in try StrictJSONReader().parse(bytes) }
                switch tree {
                case .failure(let treeFailure): #expect(treeFailure == failure, "\(position)")
                case .success(let value):
                    #expect(failure == nil, "\(position)")
                    let escape: UInt8 = string[position + 1] == UInt8(ascii: "b") ? 0x08 : 0x0C
                    let decoded = string[..<position] + [escape] + string[(position + 2)...]
                    #expect(value[member: "a"] == .string(String(decoding: decoded, as: UTF8.self)), "\(position)")
                }
                switch byte {
                case 0x22:
                    // The string ends early; the next byte is not a `,` or `}`.
                    #expect(failure == .syntax(offset: offset + 1, message: "expected ',' or '}'"), "\(position)")
                case 0x5C:
                    // `\` followed by a letter or digit: an invalid escape, or `\b`/`\f` accepted as one.
                    let next = position + 1 < 16 ? string[position + 1] : UInt8(ascii: "\"")
                    if [UInt8(ascii: "b"), UInt8(ascii: "f")].contains(next) {
                        #expect(failure == nil, "\(position)")
                    } else if next == UInt8(ascii: "\"") {
                        #expect(failure == .syntax(offset: bytes.count, message: "unterminated string"), "\(position)")
                    } else {
                        #expect(failure == .syntax(offset: offset + 2, message: "invalid escape"), "\(position)")
                    }
                case 0xFF, 0x80: #expect(failure == .notUTF8(offset: offset), "\(position)")
                default:
                    #expect(failure == .syntax(offset: offset, message: "control character in string"), "\(position)")
                }
            }
        }
    }

}
