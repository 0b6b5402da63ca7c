import Foundation
import Yams

// Yams.compose of each file given, median of 5 runs, milliseconds: the floor `check` and `compile` are
// compared against.
for path in CommandLine.arguments.dropFirst() {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    var runs: [Double] = []
    for _ in 0..<5 {
        let start = ContinuousClock.now
        _ = try? Yams.compose(yaml: text, .basic)
        let elapsed = ContinuousClock.now - start
        runs.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }
    runs.sort()
    print("\(path) \(String(format: "%.2f", runs[2]))")
}
