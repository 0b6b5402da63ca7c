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
