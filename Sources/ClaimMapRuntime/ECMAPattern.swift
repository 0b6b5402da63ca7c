/// A claim or attribute `pattern` is an ECMA-262 regular expression (JSON Schema's dialect, and what the page script
/// runs as `new RegExp(pattern, "u")`). ICU, which replay and the generated Swift evaluator use, reads the same text
/// differently: its `\d` matches Arabic-Indic and full-width digits, `\w` matches `é`, `\s` misses U+FEFF, `$`
/// matches before a final line break, `.` excludes NEL, and it accepts syntax JavaScript's `u` mode rejects
/// (`(?i)`, `\A`, `\z`, `\x{41}`, POSIX classes, `\-` outside a class, possessive quantifiers).
///
/// `translate` parses the pattern by the ECMA-262 `u`-mode grammar, refuses what JavaScript would refuse (so the page
/// can never throw on a spec that checked) and what version 1 does not support (backreferences, Unicode property
/// escapes, named groups), and writes an ICU pattern with ECMA's meaning: `\d` `[0-9]`, `\w` `[A-Za-z0-9_]`, `\s`
/// ECMA's WhiteSpace and LineTerminator set, `\b` an ASCII word boundary, `.` anything but a line terminator, `$` the
/// end of input. Every literal is written as `\x{...}`, so no ICU-only syntax (`&&`, `--`, `[:`, `\p`) can arise.
/// There is no case-insensitive flag: the spec language has none.
public enum ECMAPattern {
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        init(_ message: String) { self.message = message }
    }

    static let wordClass = #"\x{30}-\x{39}\x{41}-\x{5A}\x{5F}\x{61}-\x{7A}"#
    static let digitClass = #"\x{30}-\x{39}"#
    /// ECMA-262 WhiteSpace and LineTerminator: TAB, VT, FF, SP, NBSP, ZWNBSP (U+FEFF), the Zs category, LF, CR, LS, PS.
    static let spaceClass =
        #"\x{9}-\x{D}\x{20}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}"#
    static let lineTerminators = #"\x{A}\x{D}\x{2028}\x{2029}"#

    /// ECMA-262's SyntaxCharacter set plus `/`: the only characters `u` mode lets `\` escape as themselves.
    static let syntaxCharacters = "^$\\.*+?()[]{}|/"

    static func hex(_ value: UInt32) -> String { "\\x{\(String(value, radix: 16, uppercase: true))}" }

    /// The ICU pattern with the ECMA-262 meaning of `pattern`, or why JavaScript (or version 1) refuses it.
    public static func translate(_ pattern: String) -> Result<String, Problem> {
        var parser = Parser(scalars: Array(pattern.unicodeScalars))
        do {
            return .success(try parser.disjunction(depth: 0))
        } catch {
            return .failure(error)
        }
    }

    /// Why `pattern` can backtrack catastrophically, or nil: a group holding an unbounded quantifier (`*`, `+`,
    /// `{n,}`) that is itself repeated without bound, as in `(a+)+` or `([a-z]+ ?)*` — the classic exponential
    /// case of a backtracking engine such as the page's JavaScript. Overlapping alternatives (`(a|a)*`) and
    /// polynomial cases (`\d+\d+x`) are not detected. nil also for a pattern `translate` refuses.
    public static func backtrackingHazard(_ pattern: String) -> String? {
        var parser = Parser(scalars: Array(pattern.unicodeScalars))
        guard (try? parser.disjunction(depth: 0)) != nil else { return nil }
        return parser.hazard
    }

    struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0
        var groups = 0
        /// Whether an unbounded quantifier was read in the group being parsed (backtrackingHazard).
        var sawUnbounded = false
        /// Whether the atom just read is a group with an unbounded quantifier inside.
        var atomRepeatsInside = false
        /// The first nested unbounded repetition found, described.
        var hazard: String?
        /// The text of the last group read, for `hazard`.
        var lastGroup = ""

        init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var atEnd: Bool { index >= scalars.count }
        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            index + offset < scalars.count ? scalars[index + offset] : nil
        }

        mutating func disjunction(depth: Int) throws(Problem) -> String {
            guard depth <= 32 else { throw Problem("groups are nested more than 32 deep") }
            var out = ""
            var canQuantify = false
            while let scalar = peek() {
                switch scalar {
                case "|":
                    out += "|"
                    index += 1
                    canQuantify = false
                case ")":
                    guard depth > 0 else { throw Problem("unmatched `)` at offset \(index)") }
                    return out
                case "*", "+", "?", "{":
                    if scalar == "{", !looksLikeQuantifier() {
                        throw Problem("a lone `{` at offset \(index) is a syntax error in JavaScript; write `\\{`")
                    }
                    guard canQuantify else { throw Problem("nothing to repeat at offset \(index)") }
                    let start = index
                    let text = try quantifier()
                    out += text
                    let unbounded = text.hasPrefix("*") || text.hasPrefix("+") || text.contains(",}")
                    if unbounded {
                        if atomRepeatsInside && hazard == nil {
                            hazard =
                                "`\(lastGroup.prefix(40))` repeats without bound inside and is itself repeated by `\(text)` (offset \(start))"
                        }
                        sawUnbounded = true
                    }
                    atomRepeatsInside = false
                    canQuantify = false
                case "}":
                    throw Problem("a lone `}` at offset \(index) is a syntax error in JavaScript; write `\\}`")
                case "]":
                    throw Problem("a lone `]` at offset \(index) is a syntax error in JavaScript; write `\\]`")
                case "^":
                    out += "^"
                    index += 1
                    canQuantify = false
                case "$":
                    out += "\\z"
                    index += 1
                    canQuantify = false
                case ".":
                    out += "[^\(lineTerminators)]"
                    index += 1
                    canQuantify = true
                case "(":
                    let outer = sawUnbounded
                    let begin = index
                    sawUnbounded = false
                    let (text, quantifiable) = try group(depth: depth)
                    out += text
                    canQuantify = quantifiable
                    atomRepeatsInside = sawUnbounded
                    lastGroup = String(String.UnicodeScalarView(scalars[begin..<index]))
                    sawUnbounded = outer || sawUnbounded
                    continue
                case "[":
                    out += try characterClass()
                    canQuantify = true
                case "\\":
                    let (text, quantifiable) = try atomEscape()
                    out += text
                    canQuantify = quantifiable
                default:
                    out += hex(scalar.value)
                    index += 1
                    canQuantify = true
                }
                // Any atom but a group (which `continue`s) is no repeated group.
                atomRepeatsInside = false
            }
            guard depth == 0 else { throw Problem("a `(` is not closed") }
            return out
        }

        func looksLikeQuantifier() -> Bool {
            var k = index + 1
            var digits = 0
            while k < scalars.count, ("0"..."9").contains(scalars[k]) {
                k += 1
                digits += 1
            }
            guard digits > 0, k < scalars.count else { return false }
            if scalars[k] == "}" { return true }
            guard scalars[k] == "," else { return false }
            k += 1
            while k < scalars.count, ("0"..."9").contains(scalars[k]) { k += 1 }
            return k < scalars.count && scalars[k] == "}"
        }

        mutating func quantifier() throws(Problem) -> String {
            var out: String
            let scalar = scalars[index]
            index += 1
            if scalar == "{" {
                var minimum = ""
                while let digit = peek(), ("0"..."9").contains(digit) {
                    minimum.unicodeScalars.append(digit)
                    index += 1
                }
                var maximum: String? = minimum
                if peek() == "," {
                    index += 1
                    var text = ""
                    while let digit = peek(), ("0"..."9").contains(digit) {
                        text.unicodeScalars.append(digit)
                        index += 1
                    }
                    maximum = text.isEmpty ? nil : text
                }
                index += 1  // `}`
                guard let low = Int(minimum), low <= 10_000 else {
                    throw Problem("repetition count {\(minimum)} is over 10000")
                }
                if let maximum {
                    guard let high = Int(maximum), high <= 10_000 else {
                        throw Problem("repetition count \(maximum) is over 10000")
                    }
                    guard low <= high else { throw Problem("numbers out of order in {\(low),\(high)} quantifier") }
                    out = low == high ? "{\(low)}" : "{\(low),\(high)}"
                } else {
                    out = "{\(low),}"
                }
            } else {
                out = String(scalar)
            }
            if peek() == "?" {
                out += "?"
                index += 1
            }
            if let next = peek(), next == "*" || next == "+" || next == "?" || (next == "{" && looksLikeQuantifier()) {
                throw Problem(
                    "nothing to repeat at offset \(index) (possessive or doubled quantifiers are not ECMA-262)")
            }
            return out
        }

        mutating func group(depth: Int) throws(Problem) -> (String, Bool) {
            index += 1  // `(`
            var opening = "("
            var quantifiable = true
            if peek() == "?" {
                switch (peek(1), peek(2)) {
                case (":", _):
                    opening = "(?:"
                    index += 2
                case ("=", _):
                    opening = "(?="
                    index += 2
                    quantifiable = false
                case ("!", _):
                    opening = "(?!"
                    index += 2
                    quantifiable = false
                case ("<", "="):
                    opening = "(?<="
                    index += 3
                    quantifiable = false
                case ("<", "!"):
                    opening = "(?<!"
                    index += 3
                    quantifiable = false
                case ("<", _):
                    throw Problem("named groups are not supported in version 1; use `(` or `(?:`")
                default:
                    throw Problem(
                        "`(?\(peek(1).map(String.init) ?? "")` is not ECMA-262 syntax (no inline flags, atomic "
                            + "groups or comments); patterns are case-sensitive")
                }
            } else {
                groups += 1
            }
            let body = try disjunction(depth: depth + 1)
            guard peek() == ")" else { throw Problem("a `(` is not closed") }
            index += 1
            return (opening + body + ")", quantifiable)
        }

        /// `\` outside a class.
        mutating func atomEscape() throws(Problem) -> (String, Bool) {
            guard let escaped = peek(1) else { throw Problem("the pattern ends with a lone `\\`") }
            switch escaped {
            case "b":
                index += 2
                let w = "[\(wordClass)]"
                return ("(?:(?<=\(w))(?!\(w))|(?<!\(w))(?=\(w)))", false)
            case "B":
                index += 2
                let w = "[\(wordClass)]"
                return ("(?:(?<=\(w))(?=\(w))|(?<!\(w))(?!\(w)))", false)
            case "1"..."9":
                throw Problem("backreferences (`\\\(escaped)`) are not supported in version 1")
            case "k":
                throw Problem("named backreferences (`\\k`) are not supported in version 1")
            default:
                if let set = try classEscape() { return ("[\(set)]", true) }
                return (hex(try characterEscape()), true)
            }
        }

        /// `\d \D \w \W \s \S` as the body of an ICU set (`[...]` or `[^...]` inside), or nil for another escape.
        mutating func classEscape() throws(Problem) -> String? {
            guard peek() == "\\", let escaped = peek(1) else { return nil }
            let set: String
            switch escaped {
            case "d": set = digitClass
            case "D": set = "^\(digitClass)"
            case "w": set = wordClass
            case "W": set = "^\(wordClass)"
            case "s": set = spaceClass
            case "S": set = "^\(spaceClass)"
            case "p", "P":
                throw Problem("Unicode property escapes (`\\\(escaped){...}`) are not supported in version 1")
            default: return nil
            }
            index += 2
            return set
        }

        /// A character escape (`\n`, `\x41`, `\u{1F600}`, `\.`…); `index` is at the backslash. In `u` mode only
        /// syntax characters and `/` may be escaped as themselves (and `-` inside a class).
        mutating func characterEscape(inClass: Bool = false) throws(Problem) -> UInt32 {
            let escaped = scalars[index + 1]
            index += 2
            switch escaped {
            case "t": return 0x09
            case "n": return 0x0A
            case "v": return 0x0B
            case "f": return 0x0C
            case "r": return 0x0D
            case "b" where inClass: return 0x08
            case "-" where inClass: return 0x2D
            case "0":
                if let next = peek(), ("0"..."9").contains(next) {
                    throw Problem("`\\0` followed by a digit is an octal escape, which JavaScript's `u` mode rejects")
                }
                return 0
            case "c":
                guard let letter = peek(), letter.isASCII, letter.properties.isAlphabetic else {
                    throw Problem("`\\c` must be followed by a letter")
                }
                index += 1
                return letter.value % 32
            case "x":
                guard let value = hexDigits(count: 2) else { throw Problem("`\\x` must be followed by two hex digits") }
                return value
            case "u":
                if peek() == "{" {
                    index += 1
                    var text = ""
                    while let digit = peek(), digit != "}" {
                        text.unicodeScalars.append(digit)
                        index += 1
                    }
                    // Hex digits only (`UInt32(_:radix:)` would take a sign), any count of leading zeros, ≤ 10FFFF.
                    let digits = text.drop { $0 == "0" }
                    guard peek() == "}", !text.isEmpty, text.unicodeScalars.allSatisfy(\.properties.isASCIIHexDigit),
                        digits.count <= 6, let value = UInt32(digits.isEmpty ? "0" : String(digits), radix: 16),
                        Unicode.Scalar(value) != nil
                    else { throw Problem("`\\u{...}` must hold a Unicode scalar value in hex digits") }
                    index += 1
                    return value
                }
                guard let value = hexDigits(count: 4) else {
                    throw Problem("`\\u` must be followed by four hex digits or `{...}`")
                }
                // A surrogate pair `\\uD83D\\uDE00` is one code point in `u` mode; a lone surrogate can never match
                // a Swift string and is refused.
                if (0xD800...0xDBFF).contains(value), peek() == "\\", peek(1) == "u" {
                    let saved = index
                    index += 2
                    if let low = hexDigits(count: 4), (0xDC00...0xDFFF).contains(low) {
                        return 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    }
                    index = saved
                }
                guard Unicode.Scalar(value) != nil else {
                    throw Problem(
                        "`\\u\(String(value, radix: 16))` is a lone surrogate; write the character as `\\u{...}`")
                }
                return value
            default:
                if syntaxCharacters.unicodeScalars.contains(escaped) { return escaped.value }
                throw Problem(
                    "`\\\(escaped)` is not an escape JavaScript's `u` mode accepts"
                        + (inClass ? "" : (escaped == "-" ? " outside a character class; write `-`" : ""))
                        + " (no `\\A`, `\\z`, `\\Z`, `\\Q`, `\\h`, `\\x{..}` or identity escapes of letters and `_`)")
            }
        }

        mutating func hexDigits(count: Int) -> UInt32? {
            guard index + count <= scalars.count else { return nil }
            let text = String(String.UnicodeScalarView(scalars[index..<index + count]))
            guard text.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }), let value = UInt32(text, radix: 16)
            else { return nil }
            index += count
            return value
        }

        /// `[...]`, written as an ICU set whose every member is a `\x{...}` literal, range or nested set.
        mutating func characterClass() throws(Problem) -> String {
            index += 1  // `[`
            var negated = false
            if peek() == "^" {
                negated = true
                index += 1
            }
            var members = ""
            var empty = true
            while true {
                guard let scalar = peek() else { throw Problem("a `[` is not closed") }
                if scalar == "]" {
                    index += 1
                    break
                }
                empty = false
                if let set = try classEscape() {
                    if peek() == "-", let after = peek(1), after != "]" {
                        throw Problem(
                            "a class escape such as `\\d` cannot start or end a range in JavaScript's `u` mode")
                    }
                    members += "[\(set)]"
                    continue
                }
                let low = try classAtom()
                if peek() == "-", let after = peek(1), after != "]" {
                    index += 1
                    if try classEscape() != nil {
                        throw Problem(
                            "a class escape such as `\\d` cannot start or end a range in JavaScript's `u` mode")
                    }
                    let high = try classAtom()
                    guard low <= high else { throw Problem("range out of order in character class") }
                    members += "\(hex(low))-\(hex(high))"
                } else {
                    members += hex(low)
                }
            }
            if empty { return negated ? #"[\x{0}-\x{10FFFF}]"# : #"[^\x{0}-\x{10FFFF}]"# }
            return negated ? "[^\(members)]" : "[\(members)]"
        }

        mutating func classAtom() throws(Problem) -> UInt32 {
            let scalar = scalars[index]
            if scalar == "\\" {
                guard index + 1 < scalars.count else { throw Problem("the pattern ends with a lone `\\`") }
                return try characterEscape(inClass: true)
            }
            index += 1
            return scalar.value
        }
    }
}
