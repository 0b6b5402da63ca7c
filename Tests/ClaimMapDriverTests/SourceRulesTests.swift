import ClaimMapTestSupport
import Foundation
import Testing

/// Rules of the code base a maintainer relies on (docs/decisions.md, One evaluator runtime): no program hides in a
/// string literal, and the runtime shipped into every Generated folder compiles on its own.
@Suite("source rules")
struct SourceRulesTests {
    static func swiftFiles(under folder: String) throws -> [(String, String)] {
        let root = Corpora.repository.appendingPathComponent(folder)
        var files: [(String, String)] = []
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            files.append((url.path, try String(contentsOf: url, encoding: .utf8)))
        }
        return files
    }

    /// The longest multi-line string literal of a Swift file, in lines, and where it opens.
    static func longestLiteral(_ text: String) -> (lines: Int, opening: Int) {
        var longest = (lines: 0, opening: 0)
        var opening: Int?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let delimiters = line.components(separatedBy: "\"\"\"").count - 1
            guard delimiters % 2 == 1 else { continue }
            if let start = opening {
                if index - start - 1 > longest.lines { longest = (index - start - 1, start + 1) }
                opening = nil
            } else {
                opening = index
            }
        }
        return longest
    }

    @Test("no string literal in Sources spans more than 150 lines")
    func noLongLiterals() throws {
        let files = try Self.swiftFiles(under: "Sources")
        #expect(files.count > 50)
        for (path, text) in files {
            let longest = Self.longestLiteral(text)
            #expect(longest.lines <= 150, "\(path):\(longest.opening): a \(longest.lines)-line string literal")
        }
        // The check sees a long literal when there is one.
        let long = "let x = \"\"\"\n" + String(repeating: "a\n", count: 151) + "\"\"\"\n"
        #expect(Self.longestLiteral(long).lines == 151)
    }

    @Test("the runtime module imports Foundation only and uses no package access")
    func runtimeStandsAlone() throws {
        for (path, text) in try Self.swiftFiles(under: "Sources/ClaimMapRuntime") {
            for line in text.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("import ") { #expect(trimmed == "import Foundation", "\(path): \(trimmed)") }
                #expect(!trimmed.hasPrefix("package "), "\(path): \(trimmed)")
            }
        }
    }
}
