import ClaimMapDiagnostics
import ClaimMapDriver
import ClaimMapTestSupport
import Foundation
import Testing

@testable import ClaimMapSyntax

/// YAML attack classes Y-01 to Y-13 (docs/security.md): each rejected with a location, through the whole spec
/// pipeline, cheaply even when hostile (the work is counted; the clock is only a generous watchdog).
@Suite("YAML attacks")
struct YAMLAttackTests {
    static func bomb(levels: Int) -> String {
        var text = "claimmap: 1\na0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<levels {
            text +=
                "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        return text
    }

    static let cases: [(String, String, String)] = [
        ("Y-01", "billion laughs, 5 levels", bomb(levels: 5)),
        ("Y-01", "billion laughs, 9 levels", bomb(levels: 9)),
        (
            "Y-02", "65-deep block nesting",
            (0..<66).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " v\n"
        ),
        (
            "Y-02", "5000-deep flow nesting",
            "claimmap: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
        ),
        ("Y-03", "a 100 KB key", String(repeating: "k", count: 100_000) + ": v\n"),
        ("Y-04", "1 and '1'", "claims:\n  1: { type: string }\n  '1': { type: string }\n"),
        ("Y-04", "true and 'true'", "claims:\n  true: { type: string }\n  'true': { type: string }\n"),
        ("Y-04", "NFC and NFD keys", "claims:\n  \u{E9}: { type: string }\n  e\u{301}: { type: string }\n"),
        (
            "Y-05", "merge key overriding a guard field",
            "base: &b { category: CRM }\nguards:\n  G:\n    <<: *b\n    url: https://x.example/{a}\n"
        ),
        ("Y-06", "!!python/object/apply", "claimmap: !!python/object/apply:os.system ['echo hi']\n"),
        ("Y-06", "!foo", "claimmap: !foo 1\n"),
        ("Y-06", "!!binary", "claimmap: !!binary aGVsbG8=\n"),
        ("Y-06", "!!timestamp", "claimmap: !!timestamp 2001-12-14\n"),
        ("Y-09", "a sequence key", "[a]: x\n"),
        ("Y-09", "a mapping key", "? {a: 1}\n: x\n"),
        ("Y-10", "two documents", "claimmap: 1\n---\nclaimmap: 1\n"),
        ("Y-10", "%TAG directive", "%TAG !e! tag:evil,2000:\n---\nclaimmap: 1\n"),
        ("Y-11", "gaurds instead of guards", "claimmap: 1\ngaurds: {}\n"),
        ("Y-12", "a NUL in the file", "claimmap: 1\nflow: { name: \"a\u{0}b\" }\n"),
        ("Y-12", "bidi override in a variable name", "claimmap: 1\nvariables:\n  Flow.\u{202E}Tier: { from: sub }\n"),
        ("Y-12", "zero-width space in a claim name", "claimmap: 1\nclaims:\n  su\u{200B}b: { type: string }\n"),
        ("Y-13", "an anchored key", "&k key: v\n"),
        ("Y-13", "an alias as a key", "a: &x k\n*x : v\n"),
        (
            "Y-08", "octal-looking maxLength stays decimal and is refused",
            "claimmap: 1\nclaims:\n  sub: { type: string, maxLength: 0755 }\n"
        ),
        ("Y-08", "yes is not a boolean", "claimmap: 1\nclaims:\n  sub: { type: string, required: yes }\n"),
        ("Y-08", "sexagesimal priority", "claimmap: 1\nrouting:\n  - rule: d\n    queue: D\n    priority: 1:20\n"),
    ]

    @Test("each class is rejected with a location", arguments: cases)
    func rejected(id: String, name: String, text: String) {
        let clock = ContinuousClock()
        let started = clock.now
        let result = SpecFixture.check(text)
        #expect(clock.now - started < .seconds(5), "watchdog")
        let errors = result.diagnostics.filter(\.isError)
        #expect(!errors.isEmpty, "\(id) \(name) was accepted")
        #expect(
            errors.allSatisfy { $0.range != nil },
            "\(id) \(name): an error without a location: \(errors.map(\.message))")
    }

    @Test("hostile YAML costs work proportional to its text")
    func work() {
        for levels in [3, 5, 7, 9] {
            var reader = YAMLReader()
            let text = Self.bomb(levels: levels)
            _ = reader.read(Array(text.utf8))
            #expect(
                reader.nodesVisited <= text.utf8.count,
                "\(levels) levels: \(reader.nodesVisited) nodes for \(text.utf8.count) bytes")
        }
        var reader = YAMLReader()
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        let result = reader.read(Array(deep.utf8))
        #expect(result.hasErrors)
        #expect(reader.nodesVisited == 0, "libyaml stops at its nesting limit before any node is composed")
    }

    @Test("YAML 1.1 words stay strings where the schema wants strings")
    func norway() {
        let (result, _) = SpecFixture.check([
            "attributes": "  lang: { type: string, enum: [no, yes, on, off, NO] }\n",
            "variables": SpecFixture.section("variables").replacingOccurrences(
                of: "default: en }", with: "default: no }"),
        ])
        #expect(result.errorCodes.isEmpty, "\(result.diagnostics.map(\.message))")
        #expect(result.checked?.attributes.first?.enumValues == ["no", "yes", "on", "off", "NO"])
    }
}
