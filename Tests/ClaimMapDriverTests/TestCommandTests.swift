import ClaimMapTestSupport
import Foundation
import Testing

/// `claimmap test` as a designer meets it (#15 item 4): a failing case shows why it routed as it did, and a tests
/// file that names what the spec does not have is an error in the file (exit 2) with a did-you-mean.
@Suite("claimmap test: failures explained, expectations checked", .serialized)
struct TestCommandTests {
    /// A copy of Mappings/ (specs, keys, tokens) with `text` as `case.tests.yaml` beside the specs.
    static func run(_ text: String) throws -> CLITests.Run {
        let directory = try CLITests.temporaryDirectory()
        let mappings = directory.appendingPathComponent("Mappings")
        try FileManager.default.copyItem(
            at: Corpora.repository.appendingPathComponent("Mappings"), to: mappings)
        let file = mappings.appendingPathComponent("case.tests.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try CLITests.run(["test", "Mappings/case.tests.yaml"], in: directory)
    }

    static let header = "spec: bank.mapping.yaml\nnow: 2026-11-25T12:00:00Z\ncases:\n"

    @Test("a failing case shows the rules tried and the variables that decided the route and the guard")
    func failureTrace() throws {
        let run = try Self.run(
            Self.header + """
                  - name: premier goes to private
                    claims: { sub: "c-2", segment: premier, riskScore: 80, kycLevel: 1 }
                    nonce: b-2
                    expect: { route: private, guards: { Get Balance: allowed } }

                """)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains("expected route private, got premier"), "\(run.stdout)")
        #expect(lines.contains("rules tried: private: no, premier: matches"), "\(run.stdout)")
        #expect(
            lines.contains(
                #"decided by: Flow.Segment = "premier" (enrichment:Bank Customer Lookup), Flow.IsPremier = true (expr)"#
            ),
            "\(run.stdout)")
        #expect(
            lines.contains {
                $0.hasPrefix("guard Get Balance: denied (condition_false); reads Flow.LowRisk = false (expr)")
            },
            "\(run.stdout)")
        #expect(run.stdout.hasSuffix("0 passed, 1 failed\n"))
    }

    @Test("a passing case prints no trace")
    func noTraceOnPass() throws {
        let run = try Self.run(
            Self.header + """
                  - name: premier goes to premier
                    claims: { sub: "c-2", segment: premier }
                    nonce: b-2
                    expect: { route: premier }

                """)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(!run.stdout.contains("rules tried"))
    }

    @Test(
        "an expectation naming what the spec does not have is an error in the tests file, with a did-you-mean",
        arguments: [
            ("expect: { rejected: expird }", "CM3001", "`expird` is not a rejection reason", "did you mean `expired`?"),
            ("expect: { route: premiere }", "CM3001", "`premiere` is not a routing rule", "did you mean `premier`?"),
            (
                "expect: { route: premier, guards: { Get Balance: alowed } }", "CM3001",
                "`alowed` is not a guard outcome",
                "did you mean `allowed`?"
            ),
            (
                "expect: { route: premier, guards: { Get Balanse: allowed } }", "CM3002",
                "the spec has no guarded action `Get Balanse`", "did you mean `Get Balance`?"
            ),
            (
                "expect: { route: premier, variables: { Flow.Segmnt: retail } }", "CM3002",
                "the spec has no variable `Flow.Segmnt`", "did you mean `Flow.Segment`?"
            ),
            (
                "expect: { route: premier, variables: { Flow.RiskScore: high } }", "CM3001",
                "`high` is not a value of Flow.RiskScore (Integer)", "write an Integer value"
            ),
            (
                "expect: { route: premier, participantData: { bank.segmnt: retail } }", "CM3002",
                "the spec has no participant data key `bank.segmnt`", "did you mean `bank.segment`?"
            ),
            (
                "attributes: { topik: cards }\n    expect: { route: premier }", "CM3002",
                "the spec has no attribute `topik`",
                "did you mean `topic`?"
            ),
            (
                "enrichment: { Bank Lookup: fail }\n    expect: { route: premier }", "CM3002",
                "the spec has no enrichment or guarded action `Bank Lookup`", "the spec has: `Bank Customer Lookup`"
            ),
        ])
    func unknownExpectation(line: String, code: String, message: String, help: String) throws {
        let run = try Self.run(
            Self.header + """
                  - name: a case
                    claims: { sub: "c-2", segment: premier }
                    nonce: b-2
                    \(line)

                """)
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("Mappings/case.tests.yaml:"), "\(run.stderr)")
        #expect(run.stderr.contains("error[\(code)]: \(message)"), "\(run.stderr)")
        #expect(run.stderr.contains("help: \(help)"), "\(run.stderr)")
        #expect(!run.stdout.contains("passed"), "no case runs: \(run.stdout)")
    }
}
