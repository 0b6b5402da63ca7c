import ClaimMapEmitters
import ClaimMapRuntime
import ClaimMapSemantics
import ClaimMapSyntax
import ClaimMapTestSupport
import Foundation
import Testing
import Yams

@testable import ClaimMapDriver

/// `claimmap drift SPEC --deployed FLOW.yaml` (#19): the flow exported from Genesys Cloud compared with what the spec
/// generates, by meaning. Layout passes; every kind of edit is reported with its place in both files.
@Suite("drift --deployed: the deployed flow against the spec", .serialized)
struct DeployedDriftTests {
    /// The bank example's flow as Archy publishes it: every `{{placeholder}}` replaced by its value.
    static func published(_ name: String = "bank") throws -> String {
        let spec = try Self.checked(name)
        let flow = Emitter.flow(for: spec)
        var text = flow.text
        for (key, value) in flow.substitutions { text = text.replacingOccurrences(of: "{{\(key)}}", with: value) }
        return text
    }

    static func checked(_ name: String) throws -> CheckedSpec {
        let path = "Mappings/\(name).mapping.yaml"
        let bytes = [UInt8](try Data(contentsOf: Corpora.repository.appendingPathComponent(path)))
        let result = Driver(fileSystem: InMemoryFileSystem()).check(path: path, bytes: bytes)
        return try #require(result.checked)
    }

    /// The flow written out again by another YAML writer: keys sorted, its own quoting and indentation, no comments,
    /// and every variable given `isInput: false` as `archy export` adds.
    static func rewritten(_ text: String) throws -> String {
        func walk(_ node: Any) -> Any {
            if var map = node as? [String: Any] {
                for (key, value) in map {
                    var value = walk(value)
                    if key.hasSuffix("Variable"), var declaration = value as? [String: Any],
                        declaration["isInput"] == nil
                    {
                        declaration["isInput"] = false
                        value = declaration
                    }
                    map[key] = value
                }
                return map
            }
            if let list = node as? [Any] { return list.map(walk) }
            return node
        }
        let loaded = try #require(try Yams.load(yaml: text))
        return try Yams.dump(object: walk(loaded), width: -1, sortKeys: true)
    }

    /// Runs `drift` on the bank spec against `text` written as the deployed flow.
    static func drift(_ text: String, _ extra: [String] = [], spec: String = "bank") throws -> CLITests.Run {
        let directory = try CLITests.temporaryDirectory()
        let file = directory.appendingPathComponent("deployed.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let specPath = Corpora.repository.appendingPathComponent("Mappings/\(spec).mapping.yaml").path
        return try CLITests.run(["drift", specPath, "--deployed", file.path] + extra, in: directory)
    }

    @Test("the published flow, and the same flow rewritten by another YAML writer, mean what the spec generates")
    func layoutPasses() throws {
        for name in ["bank", "retail", "minimal"] {
            let published = try Self.published(name)
            let plain = try Self.drift(published, spec: name)
            #expect(plain.status == 0, "\(name): \(plain.stdout)\(plain.stderr)")
            let rewritten = try Self.rewritten(published)
            #expect(rewritten != published)
            let run = try Self.drift(rewritten, spec: name)
            #expect(run.status == 0, "\(name): \(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("means what"))
        }
    }

    /// Semantically equal rewrites a person makes in Architect, each of which must pass.
    static let equalRewrites: [(String, String)] = [
        ("name: Transfer to Private Banking", "name: VIP desk"),
        ("name: Read verified claims", "name: Claims"),
        ("refId: Initial State_10", "refId: Start_99"),
        ("lit: bank.premier", "exp: \"\\\"bank.premier\\\"\""),
        ("lit: 20", "exp: 20"),
        ("exp: Flow.Segment == \"private\"", "exp: (Flow.Segment  ==  \"private\")"),
        (
            "exp: Flow.RiskScore < 50 and Flow.KycLevel >= 2",
            "exp: ((Flow.RiskScore < 50) and (Flow.KycLevel >= 2))"
        ),
        (
            "exp: If(Message.IsAuthenticated, If(!IsNotSetOrEmpty(Message.Message.senderAddressInfo.addressDisplayable), If(IsSet(Flow.CustomerId), Flow.LowRisk, false), false), false)",
            "exp: Message.IsAuthenticated and !IsNotSetOrEmpty(Message.Message.senderAddressInfo.addressDisplayable) and IsSet(Flow.CustomerId) and Flow.LowRisk"
        ),
    ]

    @Test("relabelled actions, renamed states, parentheses, spacing and the emitter's If chains written as `and` pass")
    func equalEditsPass() throws {
        var text = try Self.published()
        for (old, new) in Self.equalRewrites {
            #expect(text.contains(old), "the bank flow no longer has `\(old)`")
            text = text.replacingOccurrences(of: old, with: new)
        }
        text = text.replacingOccurrences(of: "Initial State_10]", with: "Start_99]")
        let run = try Self.drift(text)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    }

    /// One edit per kind the issue lists: (what to replace, with what, the category and a text the report names).
    static let edits: [(String, String, String, String)] = [
        (
            "- integerVariable:\n        name: Flow.RiskScore", "- decimalVariable:\n        name: Flow.RiskScore",
            "variable", "Flow.RiskScore"
        ),
        (
            "name: Flow.Segment\n        initialValue:\n          lit: retail",
            "name: Flow.Segment\n        initialValue:\n          lit: private", "variable", "initialValue"
        ),
        (
            "Flow.RiskScore < 50 and Flow.KycLevel >= 2", "Flow.RiskScore < 90 and Flow.KycLevel >= 2", "assignment",
            "Flow.RiskScore < 90"
        ),
        (
            "exp: Flow.Segment == \"private\"", "exp: Flow.Segment == \"premier\"", "routing",
            "Flow.Segment == \"premier\""
        ),
        ("name: \"Premier Banking\"", "name: \"Premier Banking Overflow\"", "routing", "Premier Banking Overflow"),
        ("lit: 20", "lit: 99", "routing", "priority"),
        ("name: \"Cards\"", "name: \"Cards Tier 2\"", "routing", "Cards Tier 2"),
        ("lit: bank.premier", "lit: bank.vip", "participant data", "bank.vip"),
        ("exp: ToString(Flow.IsPremier)", "exp: ToString(Flow.LowRisk)", "participant data", "Flow.LowRisk"),
        (
            "If(IsSet(Flow.CustomerId), Flow.LowRisk, false)", "If(IsSet(Flow.CustomerId), true, false)", "condition",
            "true"
        ),
        ("exp: GetAt(Flow.Cards, 0)", "exp: GetAt(Flow.Cards, 1)", "data action", "GetAt(Flow.Cards, 1)"),
        // The claim wiring: the built-in a variable is set from.
        (
            "exp: Message.Message.senderAddressInfo.email\n",
            "exp: Message.Message.senderAddressInfo.addressDisplayable\n", "assignment",
            "Message.Message.senderAddressInfo.addressDisplayable"
        ),
        // The enrichment wiring: which output lands where, and the call's timeout.
        ("var: Task.segment\n", "var: Task.cards\n", "data action", "Task.cards"),
        ("seconds: 3\n", "seconds: 30\n", "data action", "30"),
        // A Boolean initialised to false is not NOT_SET: dropping the initial value is a difference.
        (
            "name: Flow.EmailVerified\n        initialValue:\n          lit: false\n",
            "name: Flow.EmailVerified\n", "variable", "initialValue"
        ),
    ]

    @Test("every kind of edit is reported, with its category and its line in both files", arguments: 0..<edits.count)
    func editsReported(_ index: Int) throws {
        let (old, new, category, named) = Self.edits[index]
        let published = try Self.published()
        #expect(published.contains(old), "the bank flow no longer has `\(old)`")
        let text = published.replacingOccurrences(of: old, with: new)
        let run = try Self.drift(text)
        #expect(run.status == 1, "`\(old)`: \(run.stdout)\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("  \(category), ") }, "`\(old)` → \(category): \(run.stdout)")
        #expect(run.stdout.contains(named), "`\(old)`: \(run.stdout)")
        // Both sides located: the deployed file's line, and the generated flow's.
        func located(_ pattern: String) -> Bool {
            lines.contains { $0.range(of: pattern, options: .regularExpression) != nil }
        }
        // A real line number on each side (a lost location prints 0).
        #expect(located(#"deployed\.yaml:[1-9]"#), "\(run.stdout)")
        #expect(
            located(#"\(Generated/bank/flow\.yaml:[1-9]"#)
                || located(#"spec:     absent \(in Generated/bank/flow\.yaml:[1-9]"#), "\(run.stdout)")
    }

    @Test("an inserted and a removed action are one difference each")
    func insertedAndRemoved() throws {
        let published = try Self.published()
        let inserted = published.replacingOccurrences(
            of: "                  cases:\n",
            with:
                "                  cases:\n                    - case:\n                        value:\n                          exp: Flow.Topic == \"loans\"\n                        actions:\n                          - disconnect:\n                              name: Drop loans\n",
            options: [], range: nil)
        let run = try Self.drift(inserted)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("1 difference between"), "\(run.stdout)")
        #expect(run.stdout.contains("routing, extra:"), "\(run.stdout)")
        // Dropping the participant data action.
        guard let start = published.range(of: "          - setParticipantData:"),
            let end = published.range(of: "\n          - ", range: start.upperBound..<published.endIndex)
        else {
            Issue.record("no setParticipantData action in the bank flow")
            return
        }
        let removed = published.replacingCharacters(
            in: start.lowerBound..<published.index(after: end.lowerBound), with: "")
        let second = try Self.drift(removed)
        #expect(second.status == 1)
        #expect(second.stdout.contains("participant data, missing:"), "\(second.stdout)")
        #expect(second.stdout.contains("1 difference between"), "\(second.stdout)")
    }

    @Test("--options gives the values the flow was published with; --format json is one document")
    func optionsAndJSON() throws {
        let published = try Self.published().replacingOccurrences(of: "Premier Banking", with: "Premier Desk EU")
        #expect(try Self.drift(published).status == 1)
        let directory = try CLITests.temporaryDirectory()
        let options = directory.appendingPathComponent("org.yaml")
        try "substitutions:\n  queue_premier_banking: Premier Desk EU\n".write(
            to: options, atomically: true, encoding: .utf8)
        let run = try Self.drift(published, ["--options", options.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let json = try Self.drift(
            try Self.published().replacingOccurrences(of: "lit: 20", with: "lit: 21"), ["--format", "json"])
        #expect(json.status == 1)
        let document = try StrictJSONReader(maxDepth: 64).parse(json.stdout)
        #expect(document[member: "differences"] == .number("1"))
        guard case .array(let flows)? = document[member: "flows"],
            case .array(let differences)? = flows.first?[member: "differences"]
        else {
            Issue.record("no flows in \(json.stdout)")
            return
        }
        #expect(differences.first?[member: "category"] == .string("routing"))
        #expect(differences.first?[member: "deployed"]?[member: "value"] == .string("\"21\""))
        #expect(differences.first?[member: "spec"]?[member: "value"] == .string("\"20\""))
    }

    @Test("unreadable input exits 2: a missing file, not YAML, not a flow, a spec count that does not match")
    func unreadable() throws {
        let directory = try CLITests.temporaryDirectory()
        let spec = Corpora.repository.appendingPathComponent("Mappings/bank.mapping.yaml").path
        #expect(try CLITests.run(["drift", spec, "--deployed", "nope.yaml"], in: directory).status == 2)
        for (name, text) in [("bad.yaml", "a: [1\n"), ("list.yaml", "- 1\n- 2\n"), ("two.yaml", "a: 1\nb: 2\n")] {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            let run = try CLITests.run(["drift", spec, "--deployed", name], in: directory)
            #expect(run.status == 2, "\(name): \(run.stdout)\(run.stderr)")
        }
        let mismatch = try CLITests.run(["drift", spec, spec, "--deployed", "bad.yaml"], in: directory)
        #expect(mismatch.status == 2 && mismatch.stderr.contains("one SPEC per --deployed"))
        #expect(try CLITests.run(["drift", "--options", "x.yaml"], in: directory).status == 2)
        // 40 tasks each calling the next twice would inline 2^40 copies: refused, quickly.
        var flow = "inboundShortMessage:\n  name: x\n  startUpRef: \"/inboundShortMessage/tasks/task[t0]\"\n  tasks:\n"
        for index in 0..<40 {
            flow += "    - task:\n        name: t\(index)\n        refId: t\(index)\n        actions:\n"
            for _ in 0..<2 where index < 39 {
                flow +=
                    "          - callTask:\n              targetTaskRef: \"/inboundShortMessage/tasks/task[t\(index + 1)]\"\n"
            }
            if index == 39 { flow += "          - endTask:\n              name: done\n" }
        }
        try flow.write(to: directory.appendingPathComponent("bomb.yaml"), atomically: true, encoding: .utf8)
        let bomb = try CLITests.run(["drift", spec, "--deployed", "bomb.yaml"], in: directory)
        #expect(bomb.status == 2 && bomb.stderr.contains("task calls"), "\(bomb.stdout)\(bomb.stderr)")
    }

    @Test(
        "each vendored Genesys-authored flow reads without a crash, every reference resolving, and means itself rewritten"
    )
    func genesysFlows() throws {
        let folder = Corpora.repository.appendingPathComponent("Tests/Corpora/genesys/flows")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(names.count == 14)
        for name in names.sorted() {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            var yaml = YAMLReader(limits: Driver.flowReadLimits)
            let read = yaml.read(Array(text.utf8))
            guard let root = read.root else {
                Issue.record("\(name): \(read.diagnostics.map(\.message))")
                continue
            }
            var reader = FlowReader()
            let read1 = reader.read(root)
            let value = try #require(read1, "\(name): \(reader.problems)")
            // Every reference (startUpRef, targetTaskRef, a menu's, absolute or `./` relative) resolves.
            #expect(reader.problems.isEmpty, "\(name): \(reader.problems)")
            var again = YAMLReader(limits: Driver.flowReadLimits)
            let rewritten = again.read(Array(try Self.rewritten(text).utf8))
            var second = FlowReader()
            let rewrittenRoot = try #require(rewritten.root, "\(name): \(rewritten.diagnostics.map(\.message))")
            let read2 = second.read(rewrittenRoot)
            let other = try #require(read2, "\(name)")
            var comparison = FlowComparison()
            comparison.compare(spec: value, deployed: other)
            #expect(comparison.differences.isEmpty, "\(name): \(comparison.differences.map(\.path))")
        }
    }

    @Test("long lists are paired by position past the alignment table's bound, in bounded time")
    func longLists() {
        let left = FlowValue.list((0..<2_100).map { .scalar(String($0), line: $0) }, line: 1)
        var items = (0..<2_100).map { FlowValue.scalar(String($0), line: $0) }
        items[7] = .scalar("changed", line: 7)
        var comparison = FlowComparison()
        comparison.compare(spec: left, deployed: .list(items, line: 1))
        #expect(comparison.differences.count == 1)
        #expect(comparison.differences.first?.path == ["[8]"])
        // One item inserted at the front: an alignment would report that one item; pairing by position (the table
        // would need 2,100 × 2,101 cells, past its bound) reports every item after it as changed.
        items = [.scalar("inserted", line: 0)] + (0..<2_100).map { FlowValue.scalar(String($0), line: $0) }
        var shifted = FlowComparison()
        shifted.compare(spec: left, deployed: .list(items, line: 1))
        #expect(shifted.differences.count > 2_000, "\(shifted.differences.count) differences")
    }

    @Test("expressions are compared by meaning")
    func expressions() {
        let same = [
            ("a == \"x\"", "(a==\"x\")"),
            ("If(a, If(b, c, false), false)", "a and b and c"),
            ("a and (b and c)", "(a and b) and c"),
            ("not a", "!a"),
            ("a or b or c", "a or (b or c)"),
        ]
        for (left, right) in same {
            #expect(FlowExpression.normalized(left) == FlowExpression.normalized(right), "\(left) vs \(right)")
        }
        let different = [
            ("a == \"x\"", "a == \"y\""), ("a and b", "b and a"), ("a < 1", "a <= 1"), ("If(a, b, c)", "a and b"),
        ]
        for (left, right) in different {
            #expect(FlowExpression.normalized(left) != FlowExpression.normalized(right), "\(left) vs \(right)")
        }
    }
}
