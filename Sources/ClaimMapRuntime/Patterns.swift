import Foundation

/// Compiled regular expressions, shared. JSON Schema `pattern` semantics: a search, not a whole-string match,
/// with ECMA-262's `$` (end of input only).
public final class PatternCache: @unchecked Sendable {
    /// `pattern` (ECMA-262) compiled by ICU with ECMA's meaning (`ECMAPattern`); nil when JavaScript's `u` mode
    /// or version 1 refuses it.
    public static func icuRegex(_ pattern: String) -> NSRegularExpression? {
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
public enum CompiledPattern: @unchecked Sendable {
    case simple(SimplePattern)
    case regex(NSRegularExpression)
    case invalid

    public func matches(_ text: String) -> Bool {
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
public struct SimplePattern: Sendable {
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

    public init?(_ pattern: String) {
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

    public func matches(_ text: String) -> Bool {
        // ASCII text is matched on its bytes (one pass over contiguous UTF-8 decides which); other text on scalars.
        var text = text
        let ascii = text.withUTF8 { bytes -> Bool? in
            bytes.allSatisfy { $0 < 0x80 } ? matches(bytes.lazy.map(UInt32.init)) : nil
        }
        return ascii ?? matches(text.unicodeScalars.map(\.value))
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
