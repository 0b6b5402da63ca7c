/// Line diffs in unified format (`diff -u`), from a Myers shortest-edit script.
package enum UnifiedDiff {
    enum Edit: Equatable {
        case keep(Int, Int)
        case delete(Int)
        case insert(Int)
    }

    /// The unified diff of `old` → `new` with `context` lines around changes; empty when equal. At most `maxLines`
    /// diff lines are shown; a longer diff is cut at a hunk boundary and says how many changed lines it left out.
    package static func diff(
        old: String, new: String, oldLabel: String, newLabel: String, context: Int = 3, maxLines: Int = 2_000
    ) -> String {
        let a = lines(old)
        let b = lines(new)
        if a == b { return "" }
        let edits = script(a, b)
        var out = "--- \(TerminalText.escaped(oldLabel))\n+++ \(TerminalText.escaped(newLabel))\n"
        // Group edits into hunks separated by more than 2 × context unchanged lines.
        var index = 0
        var shown = 0
        while index < edits.count {
            guard
                let firstChange = edits[index...].firstIndex(where: {
                    if case .keep = $0 { return false } else { return true }
                })
            else {
                break
            }
            let start = max(index, firstChange - context)
            var end = firstChange
            var lastChange = firstChange
            while end < edits.count {
                if case .keep = edits[end] {
                    if end - lastChange > 2 * context { break }
                } else {
                    lastChange = end
                }
                end += 1
            }
            var stop = min(edits.count, lastChange + context + 1)
            // A hunk longer than what may still be shown is cut (its header counts what is shown).
            if shown + (stop - start) + 1 > maxLines { stop = min(stop, start + max(1, maxLines - shown - 1)) }
            let hunk = Array(edits[start..<stop])
            let oldStart = hunk.compactMap { e -> Int? in
                switch e {
                case .keep(let i, _), .delete(let i): i
                case .insert: nil
                }
            }.first
            let newStart = hunk.compactMap { e -> Int? in
                switch e {
                case .keep(_, let j), .insert(let j): j
                case .delete: nil
                }
            }.first
            let oldCount = hunk.filter { if case .insert = $0 { return false } else { return true } }.count
            let newCount = hunk.filter { if case .delete = $0 { return false } else { return true } }.count
            out +=
                "@@ -\(range(oldStart, oldCount, fallback: position(edits, before: start, old: true))) +\(range(newStart, newCount, fallback: position(edits, before: start, old: false))) @@\n"
            for edit in hunk {
                switch edit {
                // Lines of a file in Generated/ may hold anything: escaped for the terminal and CI logs.
                case .keep(let i, _): out += " " + TerminalText.escaped(a[i]) + "\n"
                case .delete(let i): out += "-" + TerminalText.escaped(a[i]) + "\n"
                case .insert(let j): out += "+" + TerminalText.escaped(b[j]) + "\n"
                }
            }
            shown += hunk.count + 1
            index = stop
            if shown >= maxLines && index < edits.count {
                let left = edits[index...].filter { if case .keep = $0 { return false } else { return true } }.count
                if left > 0 {
                    out +=
                        "[diff cut after \(shown) lines: \(left) more changed lines not shown; run claimmap compile "
                        + "and use git diff to see them all]\n"
                }
                break
            }
        }
        return out
    }

    /// `start,count` of a hunk side, 1-based; an empty side names the line before it (as `diff -u` does).
    private static func range(_ start: Int?, _ count: Int, fallback: Int) -> String {
        let first = count == 0 ? fallback : (start ?? fallback) + 1
        return count == 1 ? "\(first)" : "\(first),\(count)"
    }

    private static func position(_ edits: [Edit], before index: Int, old: Bool) -> Int {
        var count = 0
        for edit in edits[..<index] {
            switch edit {
            case .keep: count += 1
            case .delete: if old { count += 1 }
            case .insert: if !old { count += 1 }
            }
        }
        return count
    }

    private static func lines(_ text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() }
        return result
    }

    /// The shortest edit script by Myers' O(ND) algorithm in linear space (the middle-snake bisection of §4b of
    /// "An O(ND) Difference Algorithm and Its Variations", as diff-match-patch implements it): memory is O(N + M)
    /// whatever the distance, where keeping the trace needed O(D²) (8,000 changed lines took 1 GB). Lines are
    /// interned to integers first; a common prefix and suffix are matched directly. Past `budget` steps of the
    /// search a remaining region is written as deleted-then-inserted: still a correct diff, just not minimal, so
    /// time stays bounded too.
    static func script(_ a: [String], _ b: [String], budget: Int = 40_000_000) -> [Edit] {
        var ids: [String: Int] = [:]
        let x = a.map { line in
            ids[line]
                ?? {
                    ids[line] = ids.count; return ids.count - 1
                }()
        }
        let y = b.map { line in
            ids[line]
                ?? {
                    ids[line] = ids.count; return ids.count - 1
                }()
        }
        var differ = LinearDiffer(a: x, b: y, budget: budget)
        differ.diff(0, x.count, 0, y.count)
        return differ.edits
    }

    struct LinearDiffer {
        let a: [Int]
        let b: [Int]
        var budget: Int
        var edits: [Edit] = []

        init(a: [Int], b: [Int], budget: Int) {
            self.a = a
            self.b = b
            self.budget = budget
            edits.reserveCapacity(max(a.count, b.count))
        }

        mutating func diff(_ aLow: Int, _ aHigh: Int, _ bLow: Int, _ bHigh: Int) {
            var aLow = aLow
            var bLow = bLow
            var aHigh = aHigh
            var bHigh = bHigh
            while aLow < aHigh && bLow < bHigh && a[aLow] == b[bLow] {
                edits.append(.keep(aLow, bLow))
                aLow += 1
                bLow += 1
            }
            var suffix = 0
            while aLow < aHigh && bLow < bHigh && a[aHigh - 1] == b[bHigh - 1] {
                aHigh -= 1
                bHigh -= 1
                suffix += 1
            }
            if aLow == aHigh {
                for j in bLow..<bHigh { edits.append(.insert(j)) }
            } else if bLow == bHigh {
                for i in aLow..<aHigh { edits.append(.delete(i)) }
            } else if let (splitX, splitY) = bisect(aLow, aHigh, bLow, bHigh) {
                diff(aLow, splitX, bLow, splitY)
                diff(splitX, aHigh, splitY, bHigh)
            } else {
                for i in aLow..<aHigh { edits.append(.delete(i)) }
                for j in bLow..<bHigh { edits.append(.insert(j)) }
            }
            for offset in 0..<suffix { edits.append(.keep(aHigh + offset, bHigh + offset)) }
        }

        /// The middle snake's start, as absolute indexes; nil when the two sides share nothing or the budget is spent.
        mutating func bisect(_ aLow: Int, _ aHigh: Int, _ bLow: Int, _ bHigh: Int) -> (Int, Int)? {
            let n = aHigh - aLow
            let m = bHigh - bLow
            let maxD = (n + m + 1) / 2
            let offset = maxD
            let length = 2 * maxD + 2
            var forward = [Int](repeating: -1, count: length)
            var backward = [Int](repeating: -1, count: length)
            forward[offset + 1] = 0
            backward[offset + 1] = 0
            let delta = n - m
            let front = delta % 2 != 0
            var k1Start = 0
            var k1End = 0
            var k2Start = 0
            var k2End = 0
            for d in 0..<maxD {
                budget -= 2 * d + 1
                if budget < 0 { return nil }
                for k1 in stride(from: -d + k1Start, through: d - k1End, by: 2) {
                    let k1Offset = offset + k1
                    var x1 =
                        k1 == -d || (k1 != d && forward[k1Offset - 1] < forward[k1Offset + 1])
                        ? forward[k1Offset + 1] : forward[k1Offset - 1] + 1
                    var y1 = x1 - k1
                    while x1 < n && y1 < m && a[aLow + x1] == b[bLow + y1] {
                        x1 += 1
                        y1 += 1
                    }
                    forward[k1Offset] = x1
                    if x1 > n {
                        k1End += 2
                    } else if y1 > m {
                        k1Start += 2
                    } else if front {
                        let k2Offset = offset + delta - k1
                        if k2Offset >= 0 && k2Offset < length && backward[k2Offset] != -1
                            && x1 >= n - backward[k2Offset]
                        {
                            return (aLow + x1, bLow + y1)
                        }
                    }
                }
                for k2 in stride(from: -d + k2Start, through: d - k2End, by: 2) {
                    let k2Offset = offset + k2
                    var x2 =
                        k2 == -d || (k2 != d && backward[k2Offset - 1] < backward[k2Offset + 1])
                        ? backward[k2Offset + 1] : backward[k2Offset - 1] + 1
                    var y2 = x2 - k2
                    while x2 < n && y2 < m && a[aHigh - x2 - 1] == b[bHigh - y2 - 1] {
                        x2 += 1
                        y2 += 1
                    }
                    backward[k2Offset] = x2
                    if x2 > n {
                        k2End += 2
                    } else if y2 > m {
                        k2Start += 2
                    } else if !front {
                        let k1Offset = offset + delta - k2
                        if k1Offset >= 0 && k1Offset < length && forward[k1Offset] != -1 {
                            let x1 = forward[k1Offset]
                            let y1 = offset + x1 - k1Offset
                            if x1 >= n - x2 { return (aLow + x1, bLow + y1) }
                        }
                    }
                }
            }
            return nil
        }
    }
}
