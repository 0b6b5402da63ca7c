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
