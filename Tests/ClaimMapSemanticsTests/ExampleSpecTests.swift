import ClaimMapDiagnostics
import ClaimMapDriver
import ClaimMapSemantics
import ClaimMapTestSupport
import Foundation
import Testing

@testable import ClaimMapSyntax

@Suite("example specs and scale")
struct ExampleSpecTests {
    static let mappings = Corpora.repository.appendingPathComponent("Mappings")

    static func specFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: mappings.path)) ?? [])
            .filter { $0.hasSuffix(".mapping.yaml") }.sorted()
    }

    @Test("Mappings/ holds the retail, bank and minimal examples")
    func examplesExist() {
        #expect(
            Set(Self.specFiles()).isSuperset(of: ["retail.mapping.yaml", "bank.mapping.yaml", "minimal.mapping.yaml"]))
    }

    @Test("every example spec checks with no diagnostic at all", arguments: specFiles())
    func cleanCheck(file: String) throws {
        let path = Self.mappings.appendingPathComponent(file).path
        let result = try Driver().check(path: path)
        #expect(
            result.diagnostics.isEmpty,
            "\(result.diagnostics.map { "\($0.range?.start.description ?? ""): \($0.message)" })")
        #expect(result.checked != nil)
    }

    @Test("a spec saved with CRLF line breaks (a Windows editor) checks as the LF spec does", arguments: specFiles())
    func crlfLineBreaks(file: String) throws {
        let text = try String(contentsOf: Self.mappings.appendingPathComponent(file), encoding: .utf8)
        let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
        let result = Driver(fileSystem: InMemoryFileSystem()).check(path: file, bytes: Array(crlf.utf8))
        #expect(
            result.diagnostics.isEmpty,
            "\(result.diagnostics.map { "\($0.range?.start.description ?? ""): \($0.message)" })")
        #expect(result.checked != nil)
        // A mistake in a CRLF file is located on its own line and column.
        let broken = crlf.replacingOccurrences(of: "claims:\r\n", with: "claims:\r\n  bogus: { typ: string }\r\n")
        let diagnostics = Driver(fileSystem: InMemoryFileSystem()).check(path: file, bytes: Array(broken.utf8))
            .diagnostics
        let line = broken.components(separatedBy: "\r\n").firstIndex(of: "  bogus: { typ: string }").map { $0 + 1 }
        #expect(
            diagnostics.contains { $0.range?.start.line == line && $0.range?.start.column == 12 },
            "\(diagnostics.map { "\($0.range?.start.description ?? ""): \($0.message)" })")
    }

    @Test("the retail example resolves as its spec says")
    func retailFacts() throws {
        let result = try Driver().check(path: Self.mappings.appendingPathComponent("retail.mapping.yaml").path)
        let spec = try #require(result.checked)
        #expect(spec.name == "retail")
        #expect(spec.identity.guests == .route)
        #expect(spec.variable("Flow.CustomerId")?.source == .builtin(claim: "sub", .sub))
        #expect(spec.variable("Flow.Accounts")?.type == .collection(.string))
        #expect(spec.variable("Flow.LifetimeValue")?.type == .decimal)
        #expect(spec.variable("Flow.Language")?.trusted == false)
        #expect(spec.variable("Flow.IsVip")?.trusted == true)
        #expect(
            spec.variable("Flow.Balance")?.source == .actionOutput(guardName: "Get Account Balance", field: "balance"))
        #expect(spec.guards.first?.inputs.map(\.pickFirst) == [false, true])
        #expect(spec.routing.map(\.name) == ["guests", "vip", "french", "default"])
    }

    /// A spec with `count` variables, each read by a computed variable and written to participant data.
    static func largeSpec(_ count: Int) -> String {
        var text = SpecFixture.text(["variables": "", "participantData": "", "routing": ""])
        text += "variables:\n  Flow.Id: { from: sub }\n"
        for index in 0..<count / 2 {
            text += "  Flow.T\(index): { from: tier, via: Profile, default: bronze }\n"
            text += "  Flow.G\(index): { type: Boolean, expr: 'Flow.T\(index) == \"gold\" or Flow.Id == \"x\"' }\n"
        }
        text += "participantData:\n"
        for index in 0..<count / 2 { text += "  p.\(index): Flow.G\(index)\n" }
        text += "routing:\n  - rule: g\n    when: Flow.G0\n    queue: G\n  - rule: default\n    queue: D\n"
        return text
    }

    @Test("a 5,000-variable spec checks, and the YAML walk is linear in its size")
    func scale() {
        var visits: [Int: Int] = [:]
        for count in [1250, 2500, 5000] {
            let text = Self.largeSpec(count)
            let result = SpecFixture.check(text)
            #expect(result.errorCodes.isEmpty, "\(result.diagnostics.prefix(3).map(\.message))")
            #expect(result.checked?.variables.count == count + 1)
            var reader = YAMLReader()
            _ = reader.read(Array(text.utf8))
            visits[count] = reader.nodesVisited
        }
        // Doubling the variables doubles the per-variable work exactly: constant second differences.
        let (a, b, c) = (visits[1250]!, visits[2500]!, visits[5000]!)
        #expect(c - b == 2 * (b - a), "\(visits)")
    }
}
