import ClaimMapTestSupport
import Foundation
import Testing

/// `docs/diagnostics.md` documents exactly the codes the compiler can produce.
@Suite("diagnostics documentation")
struct DiagnosticsDocTests {
    static func codes(in text: String, pattern: String) throws -> Set<String> {
        let regex = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
        let range = NSRange(text.startIndex..., in: text)
        return Set(
            regex.matches(in: text, range: range).compactMap { match in
                Range(match.range(at: 1), in: text).map { String(text[$0]) }
            })
    }

    @Test("every code in Sources has a section, and every section a code")
    func documented() throws {
        let repository = Corpora.repository
        let doc = try String(contentsOf: repository.appendingPathComponent("docs/diagnostics.md"), encoding: .utf8)
        let documented = try Self.codes(in: doc, pattern: "^### (CM[0-9]{4})")
        var used = Set<String>()
        let sources = repository.appendingPathComponent("Sources")
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            used.formUnion(
                try Self.codes(in: try String(contentsOf: url, encoding: .utf8), pattern: "\"(CM[0-9]{4})\""))
        }
        #expect(used.count > 60)
        #expect(used.subtracting(documented).isEmpty, "undocumented: \(used.subtracting(documented).sorted())")
        #expect(documented.subtracting(used).isEmpty, "documented but unused: \(documented.subtracting(used).sorted())")
    }
}
