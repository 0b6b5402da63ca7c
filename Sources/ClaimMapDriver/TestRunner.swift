import ClaimMapDiagnostics
import ClaimMapEvaluator
import ClaimMapIdP
import ClaimMapJOSE
import ClaimMapRuntime
import ClaimMapSyntax
import Foundation

/// `claimmap test`: runs `Mappings/*.tests.yaml` (docs/language.md, The tests file). Claims are minted and signed on
/// the fly with a key made for this run and added to the spec's JWKS; token files are replayed as they are.
extension Driver {
    /// What `claimmap test` reports besides the cases (docs/language.md, 9.4 Coverage).
    package struct TestOptions: Sendable {
        package var live = false
        package var network = NetworkOptions()
        /// Report each spec's coverage.
        package var coverage = false
        /// `.json`: stdout holds one JSON document (docs/schemas/test-report.schema.json); the case lines go to stderr.
        package var format = ReportFormat.text
        /// Exit 1 when a spec's coverage is below this percentage (implies `coverage`).
        package var minimumCoverage: Decimal?

        package init() {}
    }

    /// `live`: keys come from each spec's IdP through discovery (cached, as `replay --live`), not its identity.jwks.
    package func runTests(_ paths: [String], live: Bool = false, network: NetworkOptions = .init()) -> CommandOutput {
        var options = TestOptions()
        options.live = live
        options.network = network
        return runTests(paths, options: options)
    }

    /// A `--min-coverage` value: digits with at most three decimals, from 0 to 100; nil otherwise.
    package static func coveragePercent(_ text: String) -> Decimal? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, (1...3).contains(whole.count),
            parts.count == 1 || (1...3).contains(parts[1].count),
            parts.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
            let value = POSIXLocale.decimal(text), value <= 100
        else { return nil }
        return value
    }

    package func runTests(_ paths: [String], options: TestOptions) -> CommandOutput {
        var files = paths
        do {
            files = try expandDirectories(files, suffix: ".tests.yaml")
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", exitCode: 2)
        }
        if files.isEmpty {
            do {
                files = fileSystem.isDirectory("Mappings") ? try discoverSpecs(suffix: ".tests.yaml") : []
            } catch {
                return CommandOutput(stderr: "error: \(error)\n", exitCode: 2)
            }
            if files.isEmpty {
                return CommandOutput(stderr: "error: no Mappings/*.tests.yaml here; name a tests file\n", exitCode: 2)
            }
        }
        let runKey: RSAPrivateJWK
        do {
            runKey = try RSAPrivateJWK.generate(kid: "claimmap-test-\(UInt32.random(in: 0...UInt32.max))")
        } catch {
            return CommandOutput(stderr: "error: cannot generate the run's key: \(error)\n", exitCode: 2)
        }
        var out = CommandOutput()
        var progress = ""
        var passed = 0
        var failed = 0
        var reports: [TestsReport] = []
        // One coverage per spec, however many tests files name it, in the order first named.
        var coverages: [TestCoverage] = []
        for file in files {
            switch runTestsFile(file, runKey: runKey, live: options.live ? options.network : nil) {
            case .failure(let problem):
                out.stderr += problem.text
                out.exitCode = 2
            case .success(let report):
                progress += report.text
                passed += report.passed
                failed += report.failed
                reports.append(report)
                guard let coverage = report.coverage else { continue }
                if let index = coverages.firstIndex(where: { $0.spec.isByteEqual(to: coverage.spec) }) {
                    coverages[index].merge(coverage)
                } else {
                    coverages.append(coverage)
                }
            }
        }
        let measure = options.coverage || options.minimumCoverage != nil
        // Nothing ran because nothing could be read: the error says so, a "0 passed" line would not.
        if passed + failed > 0 || out.exitCode == 0 { progress += "\(passed) passed, \(failed) failed\n" }
        if out.exitCode == 0 && failed > 0 { out.exitCode = 1 }
        var below: [TestCoverage] = []
        if let minimum = options.minimumCoverage { below = coverages.filter { !$0.meets(minimum) } }
        if options.format == .json {
            out.stderr = progress + out.stderr
            var members: [(String, JSONValue)] = [
                ("passed", .number(String(passed))), ("failed", .number(String(failed))),
                ("files", .array(reports.map(\.json))),
            ]
            if measure { members.append(("coverage", .array(coverages.map { $0.json() }))) }
            out.stdout = JSONValue.object(members).rendered()
        } else {
            out.stdout = progress
            if measure { out.stdout += coverages.map { $0.text() }.joined() }
        }
        if let minimum = options.minimumCoverage {
            for coverage in below {
                out.stderr +=
                    "error: coverage of \(TerminalText.escaped(coverage.spec)) is \(coverage.percentText), below "
                    + "--min-coverage \(minimum)\n"
            }
            if !below.isEmpty && out.exitCode == 0 { out.exitCode = 1 }
        }
        return out
    }

    struct TestsFileProblem: Error {
        var text: String
    }

    /// Why a path written in a tests file may not be followed, or nil.
    static func pathProblem(_ name: String) -> String? {
        if name.hasPrefix("/") { return "is an absolute path; a tests file names files relative to itself" }
        if name.split(separator: "/").contains("..") { return "leaves the tests file's folder (`..`)" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "holds a control character"
        }
        return nil
    }

    struct TestsReport {
        var text = ""
        var passed = 0
        var failed = 0
        /// Each case's result, for the JSON form.
        var cases: [JSONValue] = []
        var tests = ""
        var spec = ""
        var coverage: TestCoverage?

        var json: JSONValue {
            .object([("tests", .string(tests)), ("spec", .string(spec)), ("cases", .array(cases))])
        }
    }

    private func runTestsFile(_ path: String, runKey: RSAPrivateJWK, live: NetworkOptions?) -> Result<
        TestsReport, TestsFileProblem
    > {
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.readFile(path, limit: Self.specReadLimit)
        } catch {
            return .failure(TestsFileProblem(text: "error: cannot read tests file \(error)\n"))
        }
        var reader = YAMLReader()
        let read = reader.read(bytes)
        let source = SourceText(path: path, text: read.text)
        func fail(_ diagnostics: [Diagnostic]) -> Result<TestsReport, TestsFileProblem> {
            let located = diagnostics.map { d -> Diagnostic in
                var d = d
                d.file = path
                return d
            }
            return .failure(TestsFileProblem(text: DiagnosticRenderer.text(located, sources: [path: source])))
        }
        guard let root = read.root, !read.hasErrors else { return fail(read.diagnostics) }
        let (parsed, problems) = TestsFileParser.parse(root: root)
        guard let document = parsed, !problems.contains(where: \.isError) else { return fail(problems) }
        let directory = (path as NSString).deletingLastPathComponent
        // A tests file names files relative to itself and inside its folder tree: no absolute path, no `..`. It is
        // data in the repository (a pull request can change it), so it must not make CI read `/proc/self/environ`.
        func relative(_ name: String) -> String {
            (directory as NSString).appendingPathComponent(name)
        }
        for name in [document.spec.value] + document.cases.compactMap(\.token?.value) {
            if let problem = Self.pathProblem(name) {
                return .failure(TestsFileProblem(text: "\(path): `\(TerminalText.escaped(name))` \(problem)\n"))
            }
        }
        let specPath = relative(document.spec.value)
        guard specPath.hasSuffix(Driver.specSuffix) || specPath.hasSuffix(".json") else {
            return .failure(
                TestsFileProblem(
                    text:
                        "\(path): `spec: \(TerminalText.escaped(document.spec.value))` must name a `*.mapping.yaml` spec "
                        + "or an `evaluator.json`\n"))
        }
        let specKind = fileSystem.entryKind(specPath)
        guard specKind == .file else {
            return .failure(
                TestsFileProblem(
                    text: "\(path): `spec: \(TerminalText.escaped(document.spec.value))` is \(specKind.noun), "
                        + "not a regular file\n"))
        }
        let program: EvaluatorProgram
        let jwksBase: String?
        do {
            (program, jwksBase) = try ReplaySession.program(specPath, driver: self)
        } catch {
            return .failure(TestsFileProblem(text: "\(path): \(error)\n"))
        }
        var now = Int64(Date().timeIntervalSince1970)
        if let text = document.now?.value {
            do {
                now = try ReplaySession.time(text, option: "`now:`")
            } catch {
                return .failure(TestsFileProblem(text: "\(path): \(error)\n"))
            }
        }
        let invalid = TestsFileValidation.diagnostics(document, program: program)
        if !invalid.isEmpty { return fail(invalid) }
        var liveKeys: LiveKeys?
        if let live {
            let identity = program.identity
            do {
                let client = try IdPClient(caFile: live.caFile, totalSeconds: live.timeoutSeconds)
                liveKeys = try LiveKeys(
                    ExpectedIdentity(
                        discovery: identity.discovery, issuer: identity.issuer, algorithms: identity.algorithms),
                    client: client, cacheDirectory: LiveKeys.cacheDirectory(), cooldownSeconds: 30)
            } catch {
                return .failure(TestsFileProblem(text: "\(path): --live: \(error.description)\n"))
            }
        }
        let specName = (specPath as NSString).standardizingPath
        var report = TestsReport(text: "\(path) (\(program.spec)):\n", tests: path, spec: specName)
        var coverage = TestCoverage(spec: specName, testsFile: path, program: program)
        for testCase in document.cases {
            var failures: [String]
            var outcome: ReplaySession.Outcome?
            let input = TestValues.input(testCase, program: program)
            do {
                (failures, outcome) = try run(
                    testCase, input: input, program: program, runKey: runKey, now: now, relative: relative,
                    jwksBase: jwksBase, liveBody: liveKeys?.body)
                // A token file whose kid the live keys lack: the IdP may have rotated; one refetch (then the
                // cooldown, as for replay --live), and the case runs again.
                if let liveKeys, testCase.token != nil, outcome?.rejection?.reason == .keyNotFound,
                    liveKeys.refetch().0 != nil
                {
                    (failures, outcome) = try run(
                        testCase, input: input, program: program, runKey: runKey, now: now, relative: relative,
                        jwksBase: jwksBase, liveBody: liveKeys.body)
                }
            } catch {
                failures = ["\(error)"]
            }
            let result = outcome?.result
            if failures.isEmpty {
                report.passed += 1
                report.text += "  ✔ \(testCase.name.value)\n"
            } else {
                report.failed += 1
                report.text += "  ✘ \(testCase.name.value) (\(path):\(testCase.range.start.line))\n"
                if let result, testCase.expect.rejected == nil {
                    failures += TestValues.trace(
                        result, program: program, guards: testCase.expect.guards.map(\.key.text))
                }
                for failure in failures { report.text += "      \(TerminalText.escaped(failure))\n" }
            }
            report.cases.append(
                .object([
                    ("name", .string(testCase.name.value)), ("passed", .bool(failures.isEmpty)),
                    ("failures", .array(failures.map(JSONValue.string))),
                ]))
            coverage.record(
                caseName: testCase.name.value, guest: testCase.guest, input: input, result: result)
        }
        report.coverage = coverage
        return .success(report)
    }

    /// The case's keys plus the run key: from `liveBody` (the IdP's JWKS) when given, else from the file.
    private func keySet(_ jwksPath: String?, liveBody: [UInt8]?, extra: JSONValue) throws -> JWKS {
        var keys: [JSONValue] = []
        var bytes = liveBody
        if bytes == nil, let jwksPath, fileSystem.fileExists(jwksPath) {
            bytes = try fileSystem.readFileInPlace(jwksPath, limit: JWKS.maxBytes + 1)
        }
        if let bytes {
            let document = try StrictJSONReader(maxDepth: 16).parse(bytes)
            if case .array(let existing)? = document[member: "keys"] { keys = existing }
        }
        return try JWKS(bytes: Array(JSONValue.object([("keys", .array(keys + [extra]))]).compact().utf8))
    }

    /// Runs one case on `input` (its page attributes and data-action answers): what did not match its expectation,
    /// and the outcome (nil when the token could not be read).
    private func run(
        _ testCase: TestCaseDecl, input: EvaluationInput, program: EvaluatorProgram, runKey: RSAPrivateJWK,
        now: Int64, relative: (String) -> String, jwksBase: String?, liveBody: [UInt8]?
    ) throws -> ([String], ReplaySession.Outcome?) {
        var jwksPath = testCase.jwks.map { relative($0.value) }
        if jwksPath == nil, let configured = program.identity.jwks, let jwksBase {
            jwksPath =
                configured.hasPrefix("/") ? configured : (jwksBase as NSString).appendingPathComponent(configured)
        }
        // A case's own `jwks:` wins over the live keys; the live keys over the spec's identity.jwks.
        let keys = try keySet(
            jwksPath, liveBody: testCase.jwks == nil ? liveBody : nil, extra: runKey.publicJSON())
        let session = ReplaySession(program: program, keys: keys, now: now, nonce: testCase.nonce?.value, input: input)
        let outcome: ReplaySession.Outcome
        if testCase.guest {
            outcome = session.replayGuest()
        } else if let token = testCase.token {
            let path = relative(token.value)
            let bytes: [UInt8]
            do {
                bytes = try fileSystem.readFileInPlace(path, limit: ReplaySession.maxFileBytes)
            } catch {
                return (["cannot read token file \(error)"], nil)
            }
            let text = String(decoding: bytes.prefix(ReplaySession.maxFileBytes), as: UTF8.self)
            outcome = session.replay(token: Driver.trimmingLineWhitespace(Substring(text)), label: token.value)
        } else {
            let payload = TestValues.payload(testCase, program: program, now: now)
            let header = JSONValue.object([
                ("alg", .string("RS256")), ("kid", .string(runKey.kid)), ("typ", .string("JWT")),
            ])
            let token = try runKey.sign(header: header, payload: Array(payload.compact().utf8))
            outcome = session.replay(token: Substring(token), label: testCase.name.value)
        }
        return (TestValues.compare(testCase.expect, outcome, program: program), outcome)
    }
}

/// Typing of test values by the spec, and the comparison of expectations.
enum TestValues {
    /// The case's page attributes and data-action answers (`fail`, or the response typed by the spec's claims).
    static func input(_ testCase: TestCaseDecl, program: EvaluatorProgram) -> EvaluationInput {
        var input = EvaluationInput(claims: nil)
        for (name, value) in testCase.attributes { input.attributes[name.text] = value.text }
        for (name, value) in testCase.enrichment {
            let result: EvaluationInput.DataActionResult
            if case .scalar(let scalar) = value, scalar.text == "fail" {
                result = .fail
            } else {
                result = .response(json(value, enrichmentOf: name.text, program: program))
            }
            // TestsFileValidation has checked that the name is one or the other.
            if program.guards.contains(where: { $0.name.isByteEqual(to: name.text) }) {
                input.actions[name.text] = result
            } else {
                input.enrichments[name.text] = result
            }
        }
        return input
    }

    /// A YAML value as JSON, typed by a claim type when there is one, else by its spelling.
    static func json(_ node: YAMLNode, type: ClaimTypeSpec?) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch type?.kind {
            case .string?: return .string(scalar.text)
            case .integer?, .number?:
                return SpecScalars.isDecimalText(scalar.text) || Double(scalar.text) != nil
                    ? .number(scalar.text) : .string(scalar.text)
            case .boolean?:
                return scalar.text == "true"
                    ? .bool(true) : scalar.text == "false" ? .bool(false) : .string(scalar.text)
            default:
                if scalar.style != .plain { return .string(scalar.text) }
                if scalar.text == "null" { return .null }
                if scalar.text == "true" || scalar.text == "false" { return .bool(scalar.text == "true") }
                if SpecScalars.isDecimalText(scalar.text) { return .number(scalar.text) }
                return .string(scalar.text)
            }
        case .sequence(let sequence):
            return .array(sequence.items.map { json($0, type: type?.items.first) })
        case .mapping(let mapping):
            return .object(mapping.entries.map { ($0.key.text, json($0.value, type: type?.properties[$0.key.text])) })
        }
    }

    static func json(_ node: YAMLNode, enrichmentOf name: String, program: EvaluatorProgram) -> JSONValue {
        guard case .mapping(let mapping) = node else { return json(node, type: nil) }
        return .object(
            mapping.entries.map { entry in
                let claim = program.claims.first { $0.name == entry.key.text }
                return (entry.key.text, json(entry.value, type: claim?.type))
            })
    }

    /// The payload of a minted token: `claims:` by local name at each claim's path, `iss`, `aud`, `iat`, `exp`
    /// and `nonce` filled from the spec, `now` and the case unless given, then `raw:` members on top.
    static func payload(_ testCase: TestCaseDecl, program: EvaluatorProgram, now: Int64) -> JSONValue {
        var payload = JSONValue.object([])
        func set(_ path: [String], _ value: JSONValue) { payload = inserting(value, at: path, into: payload) }
        for (name, value) in testCase.claims ?? [] {
            if let claim = program.claims.first(where: { $0.name == name.text }) {
                set(claim.path, json(value, type: claim.type))
            } else {
                set([name.text], json(value, type: nil))
            }
        }
        func has(_ name: String) -> Bool { payload[member: name] != nil }
        if !has("iss") { set(["iss"], .string(program.identity.issuer)) }
        if !has("aud") { set(["aud"], .string(program.identity.audience.first ?? "")) }
        if !has("iat") { set(["iat"], .number(String(now))) }
        if !has("exp") { set(["exp"], .number(String(now + 3600))) }
        if !has("nonce"), let nonce = testCase.nonce?.value { set(["nonce"], .string(nonce)) }
        for (name, value) in testCase.raw ?? [] {
            if case .scalar(let scalar) = value, scalar.style == .plain, scalar.text == "~" {
                if case .object(var members) = payload {
                    members.removeAll { $0.0 == name.text }
                    payload = .object(members)
                }
                continue
            }
            set([name.text], json(value, type: nil))
        }
        return payload
    }

    static func inserting(_ value: JSONValue, at path: [String], into object: JSONValue) -> JSONValue {
        guard let first = path.first else { return value }
        var members: [(String, JSONValue)] = []
        if case .object(let existing) = object { members = existing }
        if let index = members.firstIndex(where: { $0.0 == first }) {
            members[index].1 = inserting(value, at: Array(path.dropFirst()), into: members[index].1)
        } else {
            members.append((first, inserting(value, at: Array(path.dropFirst()), into: .object([]))))
        }
        return .object(members)
    }

    /// An expected variable value, read by the variable's type.
    static func expected(_ node: YAMLNode, type: ValueType) -> Value?? {
        if case .scalar(let scalar) = node, scalar.style == .plain, ["null", "NOT_SET", "~"].contains(scalar.text) {
            return .some(nil)
        }
        guard let value = Value(json: json(node, type: claimType(for: type)), type: type) else { return nil }
        return .some(value)
    }

    static func claimType(for type: ValueType) -> ClaimTypeSpec? {
        switch type {
        case .string, .dateTime: ClaimTypeSpec(kind: .string)
        case .integer: ClaimTypeSpec(kind: .integer)
        case .decimal: ClaimTypeSpec(kind: .number)
        case .boolean: ClaimTypeSpec(kind: .boolean)
        case .collection(let element): ClaimTypeSpec(kind: .array, items: claimType(for: element).map { [$0] } ?? [])
        default: nil
        }
    }

    static func show(_ value: Value?) -> String { value.map { $0.json.compact() } ?? "NOT_SET" }

    /// What a person needs to see why a case routed as it did: each rule tried, and the value and source of every
    /// variable the tried conditions read (through computed variables); for each guard the case names, its
    /// decision and the variables its condition and inputs read.
    static func trace(_ result: EvaluationResult, program: EvaluatorProgram, guards: [String]) -> [String] {
        var lines: [String] = []
        let tried = result.rulesTried.map { "\($0.rule): \($0.matched ? "matches" : "no")" }
        lines.append("rules tried: " + tried.joined(separator: ", "))
        let conditions = result.rulesTried.compactMap { tried in
            program.routing.first { $0.name.isByteEqual(to: tried.rule) }?.when
        }
        let deciding = reads(conditions, program: program)
        if !deciding.isEmpty { lines.append("decided by: " + describe(deciding, result)) }
        for name in guards {
            guard let guardSpec = program.guards.first(where: { $0.name.isByteEqual(to: name) }),
                let decision = result.guards.first(where: { $0.name.isByteEqual(to: name) })
            else { continue }
            var read = reads(guardSpec.when.map { [$0] } ?? [], program: program)
            for input in guardSpec.inputs where !read.contains(input.variable) { read.append(input.variable) }
            let verdict = decision.allowed ? "allowed" : "denied (\(decision.reason ?? ""))"
            lines.append("guard \(name): \(verdict)" + (read.isEmpty ? "" : "; reads " + describe(read, result)))
        }
        return lines
    }

    /// `Flow.Tier = "bronze" (default), ...`.
    static func describe(_ names: [String], _ result: EvaluationResult) -> String {
        names.compactMap { name in
            result.variable(name).map { "\(name) = \(show($0.value)) (\($0.source))" }
        }.joined(separator: ", ")
    }

    /// The variables the expressions read, in order, through computed variables (each once).
    static func reads(_ expressions: [TypedExpr], program: EvaluatorProgram) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        func walk(_ expression: TypedExpr) {
            switch expression.kind {
            case .variable(let name):
                guard seen.insert(name).inserted else { return }
                out.append(name)
                if let variable = program.variables.first(where: { $0.name.isByteEqual(to: name) }),
                    case .expression(let inner) = variable.source
                {
                    walk(inner)
                }
            case .call(_, let arguments): arguments.forEach(walk)
            case .not(let operand), .negate(let operand): walk(operand)
            case .binary(_, let lhs, let rhs):
                walk(lhs)
                walk(rhs)
            case .literal, .isAuthenticated: break
            }
        }
        expressions.forEach(walk)
        return out
    }

    static func compare(_ expect: TestExpectationDecl, _ outcome: ReplaySession.Outcome, program: EvaluatorProgram)
        -> [String]
    {
        var failures: [String] = []
        if let rejected = expect.rejected?.value {
            if outcome.rejection?.reason.rawValue != rejected {
                let actual = outcome.rejection.map { "rejected: \($0.reason.rawValue) (\($0.detail))" } ?? "accepted"
                failures.append("expected rejected: \(rejected), got \(actual)")
            }
            return failures
        }
        guard let result = outcome.result else {
            return [
                "expected the token to be accepted, got rejected: \(outcome.rejection?.reason.rawValue ?? "") (\(outcome.rejection?.detail ?? ""))"
            ]
        }
        if let route = expect.route, result.route?.rule != route.value {
            failures.append("expected route \(route.value), got \(result.route?.rule ?? "none")")
        }
        for (name, node) in expect.variables {
            guard let variable = result.variable(name.text) else {
                failures.append("\(name.text): the spec has no such variable")
                continue
            }
            guard let want = expected(node, type: variable.type) else {
                failures.append("\(name.text): the expected value does not fit its type \(variable.type)")
                continue
            }
            if want != variable.value {
                failures.append(
                    "expected \(name.text) = \(show(want)), got \(show(variable.value)) (\(variable.source))")
            }
        }
        for (name, value) in expect.guards {
            guard let decision = result.guards.first(where: { $0.name == name.text }) else {
                failures.append("guard \(name.text): the spec has no such guarded action")
                continue
            }
            let actual = decision.allowed ? "allowed" : "denied"
            let ok = value.text == actual || (!decision.allowed && value.text == decision.reason)
            if !ok {
                failures.append(
                    "expected guard \(name.text) \(value.text), got \(actual)\(decision.reason.map { " (\($0))" } ?? "")"
                )
            }
        }
        for (key, node) in expect.participantData {
            let actual = result.participantData.first { $0.key == key.text }?.value
            var want: String?
            if case .scalar(let scalar) = node, !(scalar.style == .plain && scalar.text == "null") {
                want = scalar.text
            }
            if want != actual {
                failures.append(
                    "expected participant data \(key.text) = \(want.map { "\"\($0)\"" } ?? "not set"), got \(actual.map { "\"\($0)\"" } ?? "not set")"
                )
            }
        }
        return failures
    }
}
