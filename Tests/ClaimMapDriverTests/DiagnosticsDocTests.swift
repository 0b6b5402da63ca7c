import ClaimMapDiagnostics
import ClaimMapTestSupport
import Foundation
import Testing

/// `docs/diagnostics.md` documents exactly the catalog: one `### CMxxxx — <title>` section per `DiagnosticCode`,
/// with the catalog's title (a `(warning)` or `(note)` suffix names the catalog's severity), and nothing else.
@Suite("diagnostics documentation")
struct DiagnosticsDocTests {
    static func sections() throws -> [(code: String, title: String)] {
        let doc = try String(
            contentsOf: Corpora.repository.appendingPathComponent("docs/diagnostics.md"), encoding: .utf8)
        return doc.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("### CM") else { return nil }
            let parts = line.dropFirst(4).components(separatedBy: " — ")
            return parts.count == 2 ? (parts[0], parts[1]) : (parts[0], "")
        }
    }

    @Test("every catalog code has a section with its title and severity, and every section a code")
    func documented() throws {
        let sections = try Self.sections()
        #expect(sections.count == DiagnosticCode.allCases.count, "sections: \(sections.count)")
        var seen = Set<String>()
        for (code, title) in sections {
            #expect(seen.insert(code).inserted, "\(code) has two sections")
            guard let entry = DiagnosticCode(rawValue: code) else {
                Issue.record("docs/diagnostics.md documents \(code), which the catalog does not declare")
                continue
            }
            var expected = entry.title
            if entry.severity != .error || title.hasSuffix("(error)") { expected += " (\(entry.severity.rawValue))" }
            #expect(title == expected, "\(code): the docs say \"\(title)\", the catalog \"\(expected)\"")
        }
        let missing = DiagnosticCode.allCases.filter { !seen.contains($0.rawValue) }
        #expect(missing.isEmpty, "undocumented: \(missing.map(\.rawValue))")
    }

    /// A declared code nothing reports is a dead entry: each is named in Sources outside the catalog.
    @Test("every catalog code is reported somewhere")
    func used() throws {
        let sources = Corpora.repository.appendingPathComponent("Sources")
        var text = ""
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift", url.lastPathComponent != "DiagnosticCatalog.swift" else { continue }
            text += try String(contentsOf: url, encoding: .utf8)
        }
        let unused = DiagnosticCode.allCases.filter { code in
            // The case's name (`fileTooLarge`), as the code that reports it spells it.
            let name = String(describing: code).split(separator: ".").last.map(String.init) ?? ""
            return !["." + name + ",", "." + name + ")", "." + name + "]"].contains { text.contains($0) }
        }
        #expect(unused.isEmpty, "declared but never reported: \(unused.map(\.rawValue))")
    }
}
