import Foundation
import Testing

@testable import ClaimMapEvaluator
@testable import ClaimMapRuntime

/// The claim contract's fast paths (a pattern matcher for the subset specs write, plain decimals built from their
/// digits) must decide exactly what the slow paths they replace decide: ICU through `NSRegularExpression` with
/// ECMA `$`, and Foundation's `Decimal(string:)`.
@Suite("claim contract fast paths agree with ICU and Foundation")
struct ContractFastPathTests {
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static func icu(_ pattern: String, _ text: String) -> Bool {
        PatternCache.icuRegex(pattern).map { CompiledPattern.regex($0).matches(text) } ?? false
    }

    /// A random pattern of the subset: anchors, literals, escaped punctuation, classes (ranges, negation, a literal
    /// `-`), and every quantifier form.
    static func pattern(_ rng: inout SplitMix) -> String {
        var out = rng.below(3) == 0 ? "" : "^"
        for _ in 0..<(1 + rng.below(4)) {
            switch rng.below(6) {
            case 0: out += rng.pick(["a", "B", "0", "-", "_", " ", "@", "/", "z"])
            case 1: out += rng.pick(["\\.", "\\$", "\\[", "\\\\", "\\+", "\\/", "\\{", "\\|"])
            case 2: out += rng.pick(["[0-9]", "[a-z]", "[A-Z0-9]", "[a-z0-9-]", "[-_.]", "[^0-9]", "[^a-z ]", "[.]"])
            default: out += rng.pick(["[0-9]", "[a-f]", "x"])
            }
            out += rng.pick(["", "", "?", "*", "+", "{2}", "{1,3}", "{0,2}", "{2,}", "{10}"])
        }
        if rng.below(3) != 0 { out += "$" }
        return out
    }

    static func text(_ rng: inout SplitMix) -> String {
        let alphabet: [String] = [
            "0", "1", "9", "a", "f", "z", "B", "Z", "-", "_", ".", " ", "@", "/", "$", "[", "\\", "+", "x",
            "\n", "\r\n", "é", "👋", "\u{2028}", "٣",
        ]
        var out = ""
        for _ in 0..<rng.below(14) { out += rng.pick(alphabet) }
        return out
    }

    @Test("5,000 random subset patterns × 40 texts: the compiled matcher decides as ICU does")
    func patternsAgree() throws {
        var rng = SplitMix(state: 20_261_125)
        var compared = 0
        for _ in 0..<5_000 {
            let pattern = Self.pattern(&rng)
            let simple = try #require(SimplePattern(pattern), "\(pattern) should take the fast path")
            for _ in 0..<40 {
                let text = Self.text(&rng)
                #expect(
                    simple.matches(text) == Self.icu(pattern, text), "pattern \(pattern) on \(text.debugDescription)")
                compared += 1
            }
        }
        #expect(compared == 200_000)
    }

    @Test("the patterns specs write take the fast path and keep the ECMA end-of-input rule")
    func examples() throws {
        let account = try #require(SimplePattern("^[0-9]{10}$"))
        #expect(account.matches("0123456789"))
        #expect(!account.matches("0123456789\n"), "ICU's `$` would accept a trailing line break")
        #expect(!account.matches("012345678"))
        #expect(!account.matches("٠١٢٣٤٥٦٧٨٩"), "Arabic-Indic digits are not [0-9]")
        let sub = try #require(SimplePattern("^[a-z0-9-]+$"))
        #expect(sub.matches("user-3") && !sub.matches("User-3") && !sub.matches(""))
        #expect(try #require(SimplePattern("web")).matches("a web page"), "a pattern is a search")
        // Found by FuzzContractFastPaths: ICU rejects the empty pattern, so the fast path must not take it.
        #expect(SimplePattern("") == nil)
        #expect(!PatternCache.shared.matches("", "anything"))
    }

    @Test("anything outside the subset is left to ICU")
    func fallbacks() {
        for pattern in [
            "\\d+", "^.+$", "(ab)+", "a|b", "a*?", "a++", "[[a-z]]", "[a-z&&[^aeiou]]", "é", "^a$b", "a{,3}", "\\w",
            "[\\d]", "a{3,1}", "[]a]", "[z-a]", "^*", "\\p{L}", "",
            // Found by FuzzContractFastPaths: after a range ICU reads `-` as a literal.
            "[0-0-0]", "[a-c-x]", "[--]", "[a--z]", "[:alpha:]", "[^:x]",
        ] {
            #expect(SimplePattern(pattern) == nil, "\(pattern)")
        }
        // The fallback still decides: the cache answers through NSRegularExpression.
        #expect(PatternCache.shared.matches("^\\d{3}$", "123"))
        #expect(!PatternCache.shared.matches("^\\d{3}$", "123\n"))
    }

    @Test("the email format decided on bytes agrees with the grapheme rule on 20,000 random addresses")
    func emailAgrees() {
        var rng = SplitMix(state: 3)
        let pieces = ["a", "b", "@", ".", "x.y", "@ex.com", " ", "\t", "-", "+", "é", "@\u{301}", "\u{3000}"]
        var accepted = 0
        for _ in 0..<20_000 {
            let text = (0..<rng.below(8)).map { _ in rng.pick(pieces) }.joined()
            let decided = ClaimContract.formatMatches(.email, text)
            #expect(decided == ClaimContract.graphemeEmail(text), "\(text.debugDescription)")
            if decided { accepted += 1 }
        }
        #expect(accepted > 500, "valid addresses are exercised (\(accepted))")
    }

    @Test("decimals printed from their digits read as Foundation prints them, for parsed and computed values")
    func decimalTextAgrees() throws {
        var rng = SplitMix(state: 99)
        var values: [Decimal] = [0, 1, -1, Decimal(1) / Decimal(3), Decimal(2) / Decimal(3), Decimal(10_000)]
        values += [
            Decimal(sign: .plus, exponent: -40, significand: 5), Decimal(sign: .minus, exponent: 20, significand: 7),
        ]
        for _ in 0..<20_000 {
            let mantissa = Decimal(rng.next() % (rng.below(2) == 0 ? 1_000 : 10_000_000_000_000_000_000))
            let value = Decimal(
                sign: rng.below(2) == 0 ? .minus : .plus, exponent: rng.below(50) - 40, significand: mantissa)
            values.append(value)
            values.append(value * Decimal(rng.below(1_000)) / Decimal(rng.below(999) + 1))
        }
        var fast = 0
        for value in values {
            var input = value
            var rounded = Decimal()
            NSDecimalRound(&rounded, &input, 38, .plain)
            #expect(Value.decimalText(value) == rounded.description, "\(value)")
            if Value.plainDecimalText(value) != nil { fast += 1 }
        }
        #expect(fast > 10_000, "most values take the digit path (\(fast))")
    }

    @Test("plain decimals built from their digits equal Foundation's parse, value and printed text")
    func decimalsAgree() throws {
        var rng = SplitMix(state: 7)
        var samples = ["0", "-0", "-0.0", "0.5", "12345.5", "10000", "0.50", "100.000", "999999999999999999", "-12.25"]
        samples += ["1e3", "1E-2", "0.0000000000000000001", "12345678901234567890.5", "99999999999999999999.5"]
        for _ in 0..<20_000 {
            var text = String(rng.next() % 1_000_000_000_000)
            let point = rng.below(9)
            if point > 0 && point < text.count { text.insert(".", at: text.index(text.endIndex, offsetBy: -point)) }
            if rng.below(2) == 0 { text = "-" + text }
            samples.append(text)
        }
        for text in samples {
            let fast = try #require(ClaimContract.decimal(text), "\(text)")
            let foundation = try #require(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")))
            #expect(fast == foundation, "\(text)")
            #expect(Value.decimalText(fast) == Value.decimalText(foundation), "\(text)")
        }
    }

    @Test("Decimals compared from their parts order as Foundation orders them, across signs, scales and widths")
    func decimalOrderAgrees() throws {
        var rng = SplitMix(state: 2026)
        var values: [Decimal] = [0, 1, -1, 10, Decimal(string: "0.5")!, Decimal(string: "-0.5")!, Decimal(10_000)]
        values += [Decimal(UInt64.max), -Decimal(UInt64.max), Decimal(UInt64.max) * 10, Decimal(1) / Decimal(3)]
        for _ in 0..<4_000 {
            let mantissa = Decimal(rng.next() % (rng.below(2) == 0 ? 1_000 : UInt64.max))
            values.append(
                Decimal(sign: rng.below(2) == 0 ? .minus : .plus, exponent: rng.below(60) - 30, significand: mantissa))
        }
        #expect(values.compactMap(\.parts).count > 3_000, "the platform's layout is recognised")
        for _ in 0..<40_000 {
            let a = rng.pick(values)
            // Often a neighbour at another scale: 5 against 50e-1, 0.5 against 0.50.
            let b = rng.below(3) == 0 ? a * Decimal(rng.below(3) + 1) / Decimal(rng.below(3) + 1) : rng.pick(values)
            let expected = a < b ? -1 : a == b ? 0 : 1
            #expect(a.order(b) == expected, "\(a) vs \(b)")
        }
    }
}
