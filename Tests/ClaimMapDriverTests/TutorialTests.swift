import ClaimMapTestSupport
import Foundation
import Testing

/// docs/tutorial.md is run as written (#15 item 1): every ```sh block, in order, in one shell whose HOME is an
/// empty folder and whose PATH starts with this build's `claimmap`; the ```text block after a command block is its
/// expected output (stdout and stderr together), line for line, where a line `…` stands for any lines. A block
/// preceded by `<!-- tutorial-test: skip (why) -->` is not run (the build step: the test brings its own build).
@Suite("the tutorial runs as written", .serialized)
struct TutorialTests {
    struct Step {
        var commands: String
        var expected: [String]?
        var line: Int
    }

    static func steps() throws -> [Step] {
        let text = try String(
            contentsOf: Corpora.repository.appendingPathComponent("docs/tutorial.md"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        var steps: [Step] = []
        var index = 0
        var skip = false
        func block() -> [String] {
            var body: [String] = []
            index += 1
            while index < lines.count, lines[index] != "```" {
                body.append(lines[index])
                index += 1
            }
            index += 1
            return body
        }
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("<!-- tutorial-test: skip") {
                skip = true
                index += 1
            } else if line == "```sh" {
                let start = index + 1
                let body = block()
                if skip {
                    skip = false
                    continue
                }
                var step = Step(commands: body.joined(separator: "\n"), expected: nil, line: start)
                if index < lines.count, lines[index] == "```text" { step.expected = block() }
                steps.append(step)
            } else if line.hasPrefix("```") {
                skip = false
                _ = block()
            } else {
                index += 1
            }
        }
        return steps
    }

    /// Whether `output` is `expected` where each `…` line stands for any number of lines.
    static func matches(_ output: [String], _ expected: [String]) -> Bool {
        func match(_ o: Int, _ e: Int) -> Bool {
            if e == expected.count { return o == output.count }
            if expected[e] == "…" { return (o...output.count).contains { match($0, e + 1) } }
            return o < output.count && output[o] == expected[e] && match(o + 1, e + 1)
        }
        return match(0, 0)
    }

    @Test("every command block runs, and prints what the tutorial shows")
    func tutorial() throws {
        let steps = try Self.steps()
        #expect(steps.count >= 9, "the tutorial lost its steps: \(steps.count)")
        let home = try CLITests.temporaryDirectory()
        let outputs = home.appendingPathComponent(".tutorial-output")
        try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
        var script = "set -e -o pipefail\ncd \"$HOME\"\n"
        for (number, step) in steps.enumerated() {
            script += "{\n\(step.commands)\n} > \"\(outputs.path)/\(number).txt\" 2>&1\n"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = home
        process.environment = [
            "HOME": home.path, "PATH": CLITests.binary.deletingLastPathComponent().path + ":/usr/bin:/bin",
            "LANG": "C.UTF-8",
        ]
        try process.run()
        process.waitUntilExit()
        for (number, step) in steps.enumerated() {
            let file = outputs.appendingPathComponent("\(number).txt")
            guard let data = FileManager.default.contents(atPath: file.path) else {
                Issue.record("docs/tutorial.md:\(step.line): the block did not run (an earlier block failed)")
                break
            }
            var output = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
            if output.last == "" { output.removeLast() }
            if let expected = step.expected {
                #expect(
                    Self.matches(output, expected),
                    "docs/tutorial.md:\(step.line): the output differs from the tutorial:\n\(output.joined(separator: "\n"))"
                )
            }
        }
        #expect(process.terminationStatus == 0, "the tutorial's script stopped at a failing command")
    }

    @Test("the matcher: `…` stands for any lines, and everything else must match line for line")
    func matcher() {
        #expect(Self.matches(["a", "b", "c"], ["a", "…", "c"]))
        #expect(Self.matches(["a", "c"], ["a", "…", "c"]))
        #expect(Self.matches(["a", "b"], ["…"]))
        #expect(!Self.matches(["a", "b", "c"], ["a", "c"]))
        #expect(!Self.matches(["a", "b"], ["a"]))
        #expect(!Self.matches(["a"], ["a", "b"]))
    }
}
