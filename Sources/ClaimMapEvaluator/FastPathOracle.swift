import ClaimMapRuntime
import Foundation

/// The claim contract's fast paths held against the slow paths they replace, on arbitrary input: the fuzz target
/// `FuzzContractFastPaths` traps on any disagreement, and `swift test` replays its saved inputs through here.
///
/// The input is split at its first NUL byte into a pattern and a text (both read as UTF-8, repaired):
/// - when the pattern is in `SimplePattern`'s subset, it must decide the text as ICU does (ECMA `$`), and ICU
///   must accept the pattern at all;
/// - when the text is a JSON number, its exact value and printed form must equal Foundation's;
/// - the e-mail format decided on bytes must equal the grapheme rule.
public enum FastPathOracle {
    private static let posix = Locale(identifier: "en_US_POSIX")

    /// A description of the first disagreement, or nil when every fast path agrees.
    public static func disagreement(_ bytes: [UInt8]) -> String? {
        let split = bytes.firstIndex(of: 0) ?? bytes.count
        let pattern = String(decoding: bytes[..<split], as: UTF8.self)
        let text = String(decoding: bytes[min(split + 1, bytes.count)...], as: UTF8.self)

        if let simple = SimplePattern(pattern) {
            guard let regex = PatternCache.icuRegex(pattern) else {
                return "pattern \(pattern.debugDescription) taken by the fast path, but ICU rejects it"
            }
            // ICU backtracks: "`*`*`*`*`*`*z" on 100 backticks ran past libFuzzer's 10 s limit (the fast path is
            // linear). The oracle compares on the text's first 40 characters.
            let sample = String(String.UnicodeScalarView(text.unicodeScalars.prefix(40)))
            let icu = CompiledPattern.regex(regex).matches(sample)
            if simple.matches(sample) != icu {
                return
                    "pattern \(pattern.debugDescription) on \(sample.debugDescription): fast path \(!icu), ICU \(icu)"
            }
        }

        if isJSONNumber(text) {
            let fast = ClaimContract.decimal(text)
            // Foundation told the locale, as the fast path's fallback (`POSIXLocale.decimal`) is not.
            let foundation = Decimal(string: text, locale: posix)
            if fast != foundation {
                return "number \(text): fast \(String(describing: fast)), Foundation \(String(describing: foundation))"
            }
            if let value = foundation {
                var input = value
                var rounded = Decimal()
                NSDecimalRound(&rounded, &input, 38, .plain)
                if Value.decimalText(value) != rounded.description {
                    return "number \(text) printed \(Value.decimalText(value)), Foundation \(rounded.description)"
                }
            }
        }

        let graphemeRule = ClaimContract.graphemeEmail(text)
        if ClaimContract.formatMatches(.email, text) != graphemeRule {
            return "email \(text.debugDescription): bytes \(!graphemeRule), graphemes \(graphemeRule)"
        }
        return nil
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func isJSONNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            return false
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }
}
