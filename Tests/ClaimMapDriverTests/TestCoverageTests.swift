import ClaimMapDriver
import ClaimMapRuntime
import ClaimMapTestSupport
import Foundation
import Testing

/// `claimmap test --coverage` (#18): what the cases never exercised, named, in text and JSON, and enforced with
/// `--min-coverage`.
@Suite("claimmap test --coverage: what the cases reached", .serialized)
struct TestCoverageTests {
    /// A copy of Mappings/ with `files` (name → text) beside the specs; runs `claimmap test` with `arguments`.
    static func run(_ files: [String: String], _ arguments: [String]) throws -> CLITests.Run {
        let directory = try CLITests.temporaryDirectory()
        let mappings = directory.appendingPathComponent("Mappings")
        try FileManager.default.copyItem(at: Corpora.repository.appendingPathComponent("Mappings"), to: mappings)
        for (name, text) in files {
            try text.write(to: mappings.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return try CLITests.run(["test"] + arguments, in: directory)
    }

    static func element(_ array: JSONValue?, _ index: Int) -> JSONValue? {
        guard case .array(let items)? = array, items.indices.contains(index) else { return nil }
        return items[index]
    }

    static let header = "spec: bank.mapping.yaml\nnow: 2026-11-25T12:00:00Z\ncases:\n"

    static let premier = """
          - name: premier
            claims: { sub: "c-2", segment: premier, riskScore: 80, kycLevel: 1 }
            nonce: b-2
            expect: { route: premier }

        """

    static let coreDown = """
          - name: core down
            claims: { sub: "c-6", segment: private }
            nonce: b-6
            enrichment: { Bank Customer Lookup: fail }
            attributes: { topic: "cards\\"; drop" }
            expect: { route: default }

        """

    static let rejected = """
          - name: expired
            token: tokens/bank-expired.jwt
            expect: { rejected: expired }

        """

    @Test("the text report counts each kind and names every item no case reached")
    func textNamesMisses() throws {
        let run = try Self.run(
            ["one.tests.yaml": Self.header + Self.premier], ["Mappings/one.tests.yaml", "--coverage"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        // 37 reachable items in bank (4 rules, 4 guard outcomes, 25 variable paths, 4 keys). One premier case,
        // without enrichment answers (the token stands in for them), reaches 17: rule premier; both guards refused;
        // CustomerId, Segment, RiskScore and KycLevel from their sources; Email, EmailVerified and Cards at their
        // fallbacks for an absent claim; Topic absent; Balance and BlockRef not set by their actions; the 4 keys.
        #expect(lines.contains("coverage of Mappings/bank.mapping.yaml (1 case): 17/37 reachable items, 45.9 %"))
        #expect(lines.contains("routing rules      1/4"))
        #expect(lines.contains("guard outcomes     2/4"))
        #expect(lines.contains("variable sources   10/25 (1 unreachable)"))
        #expect(lines.contains("participant data   4/4"))
        for miss in [
            "rule private: matched", "rule default: matched", "guard Get Balance: allowed",
            "variable Flow.Segment: default (enrichment failed)", "variable Flow.Topic: default (attribute refused)",
            "variable Flow.Topic: from attribute topic", "variable Flow.Email: from claim email",
            "variable Flow.Balance: from action Get Balance",
        ] {
            #expect(lines.contains(miss), "missing miss line `\(miss)` in \(run.stdout)")
        }
        #expect(!lines.contains("rule premier: matched"))
        #expect(
            lines.contains(
                "variable Flow.CustomerId: NOT_SET (claim absent or empty): claim `sub` is required: a token without "
                    + "it, or with it empty, is rejected"))
    }

    @Test("a failed enrichment, a refused attribute and a guest each reach their own items; a rejected token none")
    func fallbackReasons() throws {
        let guest = """
              - name: a guest
                guest: true
                expect: { route: default }

            """
        let run = try Self.run(
            ["one.tests.yaml": Self.header + Self.coreDown + Self.rejected + guest],
            ["Mappings/one.tests.yaml", "--format", "json", "--coverage"])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try StrictJSONReader(maxDepth: 64).parse(run.stdout)
        let coverage = Self.element(document[member: "coverage"], 0)
        #expect(coverage?[member: "cases"] == .number("3"))
        func items(_ kind: String, _ state: String) -> [String] {
            guard case .array(let items)? = coverage?[member: "kinds"]?[member: kind]?[member: state] else { return [] }
            return items.compactMap {
                guard case .string(let name)? = $0[member: "name"], case .string(let outcome)? = $0[member: "outcome"]
                else { return nil }
                return "\(name): \(outcome)"
            }
        }
        let variables = items("variable", "covered")
        #expect(variables.contains("Flow.Segment: default (enrichment failed)"))
        #expect(variables.contains("Flow.Cards: NOT_SET (enrichment failed)"))
        #expect(variables.contains("Flow.Topic: default (attribute refused)"))
        #expect(!variables.contains("Flow.Segment: default (claim absent or invalid in the response)"))
        #expect(!variables.contains("Flow.Topic: default (attribute absent)"), "the guest counts for no variable")
        #expect(items("rule", "covered") == ["default: matched"])
        // The guest's refusals are counted, with their reason.
        guard case .array(let guards)? = coverage?[member: "kinds"]?[member: "guard"]?[member: "covered"] else {
            Issue.record("no covered guards in \(run.stdout)")
            return
        }
        let balance = guards.first { $0[member: "name"] == .string("Get Balance") }
        #expect(balance?[member: "outcome"] == .string("refused"))
        #expect(balance?[member: "reasons"] == .array([.string("condition_false"), .string("not_authenticated")]))
        #expect(balance?[member: "cases"] == .array([.string("core down"), .string("a guest")]))
    }

    @Test("--format json: stdout holds only the document, valid against docs/schemas/test-report.schema.json")
    func jsonDocument() throws {
        let run = try Self.run(
            ["one.tests.yaml": Self.header + Self.premier + Self.rejected],
            ["Mappings/one.tests.yaml", "Mappings/retail.tests.yaml", "--format", "json", "--min-coverage", "0"])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try StrictJSONReader(maxDepth: 64).parse(run.stdout)
        let schemaData = try Data(
            contentsOf: Corpora.repository.appendingPathComponent("docs/schemas/test-report.schema.json"))
        let schema = MiniJSONSchema(try StrictJSONReader(maxDepth: 64).parse([UInt8](schemaData)))
        #expect(schema.validate(document).isEmpty, "\(schema.validate(document))")
        #expect(run.stderr.contains("✔ premier"), "the case lines go to stderr")
        #expect(!run.stdout.contains("✔"))
        #expect(document[member: "passed"] == .number("18"))
        #expect(Self.element(document[member: "coverage"], 0)?[member: "percent"] == .number("45.9"))
        #expect(Self.element(document[member: "coverage"], 1)?[member: "percent"] == .number("100.0"))
    }

    @Test("--min-coverage exits 1 below it and names the spec; at or above it, 0")
    func minimum() throws {
        let files = ["one.tests.yaml": Self.header + Self.premier]
        let below = try Self.run(files, ["Mappings/one.tests.yaml", "--min-coverage", "46"])
        #expect(below.status == 1, "\(below.stdout)\(below.stderr)")
        #expect(
            below.stderr.contains("error: coverage of Mappings/bank.mapping.yaml is 45.9 %, below --min-coverage 46"))
        #expect(below.stdout.contains("coverage of Mappings/bank.mapping.yaml"), "--min-coverage implies --coverage")
        // 17/37 = 45.945... %: the comparison is exact, not against the rounded-down figure.
        let at = try Self.run(files, ["Mappings/one.tests.yaml", "--min-coverage", "45.94"])
        #expect(at.status == 0, "\(at.stdout)\(at.stderr)")
        for bad in ["101", "-1", "1e2", "50%", "12.3456", "nan", "1,5"] {
            let run = try Self.run(files, ["Mappings/one.tests.yaml", "--min-coverage=\(bad)"])
            #expect(run.status == 2, "`\(bad)`: \(run.stderr)")
            #expect(run.stderr.contains("--min-coverage takes a percentage from 0 to 100"), "`\(bad)`")
        }
        #expect(Driver.coveragePercent("87.5") == Decimal(string: "87.5"))
        #expect(Driver.coveragePercent("100.000") == 100)
        #expect(Driver.coveragePercent("0") == 0)
    }

    @Test("two tests files of one spec add up to one coverage")
    func merged() throws {
        let run = try Self.run(
            ["a.tests.yaml": Self.header + Self.premier, "b.tests.yaml": Self.header + Self.coreDown],
            ["Mappings/a.tests.yaml", "Mappings/b.tests.yaml", "--coverage"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let headings = run.stdout.split(separator: "\n").filter { $0.hasPrefix("coverage of ") }
        #expect(headings.count == 1, "\(run.stdout)")
        #expect(headings.first?.hasPrefix("coverage of Mappings/bank.mapping.yaml (2 cases)") == true)
        #expect(run.stdout.contains("routing rules      2/4"))
    }

    @Test("the examples in Mappings/ reach 100 %, as CI enforces")
    func examplesComplete() throws {
        let run = try CLITests.run(["test", "--min-coverage", "100"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(!run.stdout.contains("not covered:"))
    }
}
