/// Line diffs in unified format (`diff -u`), from a Myers shortest-edit script.
package enum UnifiedDiff {
    private enum Edit: Equatable {
        case keep(Int, Int)
        case delete(Int)
        case insert(Int)
    }

    /// The unified diff of `old` → `new` with `context` lines around changes; empty when equal.
    package static func diff(old: String, new: String, oldLabel: String, newLabel: String, context: Int = 3) -> String {
        let a = lines(old)
        let b = lines(new)
        if a == b { return "" }
        let edits = script(a, b)
        var out = "--- \(oldLabel)\n+++ \(newLabel)\n"
        // Group edits into hunks separated by more than 2 × context unchanged lines.
        var index = 0
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
            let stop = min(edits.count, lastChange + context + 1)
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
                case .keep(let i, _): out += " " + a[i] + "\n"
                case .delete(let i): out += "-" + a[i] + "\n"
                case .insert(let j): out += "+" + b[j] + "\n"
                }
            }
            index = stop
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

    /// Myers' O(ND) algorithm with a trace for the backtrack.
    private static func script(_ a: [String], _ b: [String]) -> [Edit] {
        let n = a.count
        let m = b.count
        let max = n + m
        var v = [Int](repeating: 0, count: 2 * max + 2)
        var trace: [[Int]] = []
        outer: for d in 0...max {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max]) {
                    x = v[k + 1 + max]
                } else {
                    x = v[k - 1 + max] + 1
                }
                var y = x - k
                while x < n && y < m && a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[k + max] = x
                if x >= n && y >= m { break outer }
            }
        }
        var edits: [Edit] = []
        var x = n
        var y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let previousK = (k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max])) ? k + 1 : k - 1
            let previousX = v[previousK + max]
            let previousY = previousX - previousK
            while x > previousX && y > previousY {
                edits.append(.keep(x - 1, y - 1))
                x -= 1
                y -= 1
            }
            if d > 0 {
                if x == previousX {
                    edits.append(.insert(y - 1))
                } else {
                    edits.append(.delete(x - 1))
                }
            }
            x = previousX
            y = previousY
        }
        return edits.reversed()
    }
}
