/// "Did you mean" suggestions: the closest candidate by Levenshtein distance (case-insensitive), if it is
/// close enough to be a plausible typo.
public enum Suggestion {
    public static func closest<S: Sequence>(to word: String, in candidates: S) -> String? where S.Element == String {
        let target = Array(word.lowercased().unicodeScalars)
        var best: (String, Int)?
        for candidate in candidates {
            let distance = levenshtein(target, Array(candidate.lowercased().unicodeScalars))
            if let current = best, distance >= current.1 { continue }
            best = (candidate, distance)
        }
        guard let (candidate, distance) = best else { return nil }
        let limit = max(1, min(3, (word.unicodeScalars.count + 2) / 3))
        return distance <= limit ? candidate : nil
    }

    /// " (did you mean `x`?)"-style help text, or nil.
    public static func help<S: Sequence>(for word: String, in candidates: S, quote: (String) -> String = { "`\($0)`" })
        -> String?
    where S.Element == String {
        closest(to: word, in: candidates).map { "did you mean \(quote($0))?" }
    }

    static func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Long words are never plausible typos of each other; bound the work.
        if abs(a.count - b.count) > 3 { return abs(a.count - b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
