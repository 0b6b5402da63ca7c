import ClaimMapDiagnostics
import ClaimMapEmitters
import ClaimMapRuntime
import ClaimMapSemantics
import ClaimMapSyntax
import Foundation

/// One way the deployed flow differs from what the spec generates.
struct FlowDifference {
    enum Change: String {
        /// The spec's flow has it; the deployed flow does not.
        case missing
        /// The deployed flow has it; the spec's does not.
        case extra
        case changed
    }

    var change: Change
    /// Where, by meaning: keys, and actions by kind and (the spec's) label.
    var path: [String]
    var spec: FlowValue?
    var deployed: FlowValue?
    /// For a side that lacks it: the line of the mapping or list where it would be.
    var absentAt: Int?

    /// What the difference is about, from the innermost part of its path that says: variable, participant data,
    /// data action, routing, condition, assignment, or flow setting.
    var category: String {
        for segment in path.reversed() {
            let head = segment.drop { $0 == "[" || $0.isNumber || $0 == "]" || $0 == " " }
            if path.first == "variables" || head.hasPrefix("variables") { return "variable" }
            if head.hasPrefix("setParticipantData") { return "participant data" }
            if head.hasPrefix("callData") { return "data action" }
            if head.hasPrefix("transferToAcd") || head.hasPrefix("case") || head.hasPrefix("switch") {
                return "routing"
            }
            if head.hasPrefix("decision") { return "condition" }
            if head.hasPrefix("updateData") { return "assignment" }
            if head.hasPrefix("settingsErrorHandling") { return "routing" }
        }
        return "flow setting"
    }
}

/// Compares two flows read by `FlowReader`, aligning lists of actions so one inserted action is one difference.
struct FlowComparison {
    private(set) var differences: [FlowDifference] = []

    mutating func compare(spec: FlowValue, deployed: FlowValue, path: [String] = []) {
        switch (spec, deployed) {
        case (.map(let left, _, _), .map(let right, _, _)):
            for entry in left {
                let segment = Self.segment(entry.key, entry.value)
                if let match = right.first(where: { $0.key.isByteEqual(to: entry.key) }) {
                    compare(spec: entry.value, deployed: match.value, path: path + [segment])
                } else if !entry.value.isNothing(under: entry.key) {
                    differences.append(
                        FlowDifference(
                            change: .missing, path: path + [segment], spec: entry.value, absentAt: deployed.line))
                }
            }
            for entry in right where !left.contains(where: { $0.key.isByteEqual(to: entry.key) }) {
                guard !entry.value.isNothing(under: entry.key) else { continue }
                differences.append(
                    FlowDifference(
                        change: .extra, path: path + [Self.segment(entry.key, entry.value)], deployed: entry.value,
                        absentAt: spec.line))
            }
        case (.list(let left, let leftLine), .list(let right, let rightLine)):
            compareLists(left, right, lines: (leftLine, rightLine), path: path)
        case (.expression(let a, _, _), .expression(let b, _, _)):
            if !a.isByteEqual(to: b) {
                differences.append(FlowDifference(change: .changed, path: path, spec: spec, deployed: deployed))
            }
        case (.scalar(let a, _), .scalar(let b, _)):
            if !a.isByteEqual(to: b) {
                differences.append(FlowDifference(change: .changed, path: path, spec: spec, deployed: deployed))
            }
        default:
            differences.append(FlowDifference(change: .changed, path: path, spec: spec, deployed: deployed))
        }
    }

    /// `transferToAcd "Transfer to Gold"` for an action, the key otherwise.
    static func segment(_ key: String, _ value: FlowValue) -> String {
        if case .map(_, let label?, _) = value { return "\(key) \(JSONValue.quoted(label))" }
        return key
    }

    /// The action kind of a list item (`- transferToAcd: …`), for pairing changed items.
    private static func kind(_ value: FlowValue) -> String? {
        if case .map(let entries, _, _) = value, entries.count == 1 { return entries[0].key }
        return nil
    }

    private static func itemSegment(_ index: Int, _ value: FlowValue) -> String {
        if case .map(let entries, _, _) = value, entries.count == 1 {
            return "[\(index + 1)] " + segment(entries[0].key, entries[0].value)
        }
        return "[\(index + 1)]"
    }

    private mutating func compareLists(
        _ left: [FlowValue], _ right: [FlowValue], lines: (spec: Int, deployed: Int), path: [String]
    ) {
        /// Compares two items; `- kind: {body}` items are named by their segment, so their bodies are compared.
        func pair(_ index: Int, _ other: Int) {
            let segment = path + [Self.itemSegment(index, left[index])]
            if case .map(let a, _, _) = left[index], a.count == 1, case .map(let b, _, _) = right[other], b.count == 1 {
                compare(spec: a[0].value, deployed: b[0].value, path: segment)
            } else {
                compare(spec: left[index], deployed: right[other], path: segment)
            }
        }
        func missing(_ index: Int) {
            differences.append(
                FlowDifference(
                    change: .missing, path: path + [Self.itemSegment(index, left[index])], spec: left[index],
                    absentAt: lines.deployed))
        }
        func extra(_ index: Int) {
            differences.append(
                FlowDifference(
                    change: .extra, path: path + [Self.itemSegment(index, right[index])], deployed: right[index],
                    absentAt: lines.spec))
        }
        let n = left.count
        let m = right.count
        // The alignment table is n × m: past a few million cells, pair the items by position (bounded memory).
        let cells = n.multipliedReportingOverflow(by: m)
        guard !cells.overflow, cells.partialValue <= 4_000_000 else {
            for index in 0..<min(n, m) { pair(index, index) }
            for index in min(n, m)..<n { missing(index) }
            for index in min(n, m)..<m { extra(index) }
            return
        }
        // Longest common subsequence of items equal by meaning (by fingerprint, each computed once); what lies
        // between two matches is paired by action kind. Matched items are compared in full too, so a fingerprint
        // collision still shows its differences.
        let leftPrints = left.map(\.fingerprint)
        let rightPrints = right.map(\.fingerprint)
        var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] =
                    leftPrints[i] == rightPrints[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var pendingLeft: [Int] = []
        var pendingRight: [Int] = []
        func flush() {
            var unmatchedRight = pendingRight
            for index in pendingLeft {
                let kind = Self.kind(left[index])
                if let position = unmatchedRight.firstIndex(where: { Self.kind(right[$0]) == kind }) {
                    pair(index, unmatchedRight.remove(at: position))
                } else {
                    missing(index)
                }
            }
            unmatchedRight.forEach(extra)
            pendingLeft = []
            pendingRight = []
        }
        var i = 0
        var j = 0
        while i < n && j < m {
            if leftPrints[i] == rightPrints[j] {
                flush()
                pair(i, j)
                i += 1
                j += 1
            } else if table[i + 1][j] >= table[i][j + 1] {
                pendingLeft.append(i)
                i += 1
            } else {
                pendingRight.append(j)
                j += 1
            }
        }
        pendingLeft += Array(i..<n)
        pendingRight += Array(j..<m)
        flush()
    }
}

extension Driver {
    /// What `drift --deployed` prints besides the differences.
    package struct DeployedDriftOptions: Sendable {
        package var deployed: [String] = []
        /// The Archy options file the flow was published with; default: the spec's own substitution values.
        package var options: String?
        package var format = ReportFormat.text

        package init() {}
    }

    /// Flows as `archy export` writes them can be larger than a spec.
    static var flowReadLimits: YAMLReader.Limits {
        var limits = YAMLReader.Limits()
        limits.maxFileBytes = 16 << 20
        limits.maxDepth = 256
        limits.maxScalarBytes = 1 << 20
        return limits
    }

    /// `claimmap drift SPEC... --deployed FLOW.yaml... [--options FILE] [--format json]`: each spec against the
    /// flow exported from Genesys Cloud, by meaning. Exit 0 equal, 1 on a difference, 2 on unreadable input.
    package func runDeployedDrift(specs: [String], options: DeployedDriftOptions) -> CommandOutput {
        guard specs.count == options.deployed.count else {
            return CommandOutput(
                stderr:
                    "error: give one SPEC per --deployed flow, in the same order (\(specs.count) spec\(specs.count == 1 ? "" : "s"), \(options.deployed.count) --deployed)\n",
                exitCode: 2)
        }
        let checked: [CheckedSpec]
        switch checkAll(specs) {
        case .failure(let failure):
            return CommandOutput(stdout: failure.stdout, stderr: failure.stderr, exitCode: 2)
        case .success(let specs): checked = specs
        }
        var overrides: [String: String]?
        if let path = options.options {
            do {
                overrides = try readSubstitutions(path)
            } catch {
                return CommandOutput(stderr: "error: \(error)\n", exitCode: 2)
            }
        }
        var out = CommandOutput()
        var reports: [JSONValue] = []
        var total = 0
        for (spec, deployedPath) in zip(checked, options.deployed) {
            let deployed: FlowValue
            switch readFlow(deployedPath) {
            case .failure(let problem): return CommandOutput(stderr: problem.text, exitCode: 2)
            case .success(let value): deployed = value
            }
            let emitted = Emitter.flow(for: spec)
            var values = Dictionary(
                emitted.substitutions.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
            for (name, value) in overrides ?? [:] { values[name] = value }
            let text = emitted.text
            var reader = YAMLReader(limits: Self.flowReadLimits)
            let read = reader.read(Array(text.utf8))
            var flowReader = FlowReader(substitutions: values)
            guard let root = read.root, let generated = flowReader.read(root) else {
                return CommandOutput(
                    stderr: "error: internal: the generated flow of \(spec.path) does not read back\n", exitCode: 2)
            }
            var comparison = FlowComparison()
            comparison.compare(spec: generated, deployed: deployed)
            let differences = comparison.differences
            total += differences.count
            // The generated text is Generated/<name>/flow.yaml's, so its lines are that file's.
            let generatedName = "Generated/\(spec.name)/flow.yaml"
            if (options.format == .json) {
                reports.append(
                    .object([
                        ("spec", .string(spec.path)), ("deployed", .string(deployedPath)),
                        ("equal", .bool(differences.isEmpty)),
                        (
                            "differences",
                            .array(
                                differences.map { difference in
                                    func side(_ value: FlowValue?) -> JSONValue {
                                        value.map {
                                            .object([("value", .string($0.shown)), ("line", .number(String($0.line)))])
                                        } ?? .null
                                    }
                                    return .object([
                                        ("category", .string(difference.category)),
                                        ("change", .string(difference.change.rawValue)),
                                        ("path", .array(difference.path.map(JSONValue.string))),
                                        ("deployed", side(difference.deployed)), ("spec", side(difference.spec)),
                                        ("absentAt", difference.absentAt.map { .number(String($0)) } ?? .null),
                                    ])
                                })
                        ),
                    ]))
                continue
            }
            let deployedName = TerminalText.escaped(deployedPath)
            if differences.isEmpty {
                out.stdout += "\(deployedName) means what \(TerminalText.escaped(spec.path)) generates\n"
                continue
            }
            out.stdout +=
                "\(deployedName) differs from what \(TerminalText.escaped(spec.path)) generates: "
                + "\(differences.count) difference\(differences.count == 1 ? "" : "s")\n"
            for difference in differences {
                let path = difference.path.joined(separator: " › ")
                out.stdout += "  \(difference.category), \(difference.change.rawValue): \(TerminalText.escaped(path))\n"
                if let value = difference.deployed {
                    out.stdout += "    deployed: \(TerminalText.escaped(value.shown)) (\(deployedName):\(value.line))\n"
                } else {
                    out.stdout += "    deployed: absent (in \(deployedName):\(difference.absentAt ?? 0))\n"
                }
                if let value = difference.spec {
                    out.stdout +=
                        "    spec:     \(TerminalText.escaped(value.shown)) (\(TerminalText.escaped(generatedName)):\(value.line))\n"
                } else {
                    out.stdout +=
                        "    spec:     absent (in \(TerminalText.escaped(generatedName)):\(difference.absentAt ?? 0))\n"
                }
            }
        }
        if (options.format == .json) {
            out.stdout = JSONValue.object([("flows", .array(reports)), ("differences", .number(String(total)))])
                .rendered()
        } else if total > 0 {
            out.stdout +=
                "\(total) difference\(total == 1 ? "" : "s") between the deployed flow and the spec; the spec is the "
                + "source: change it and republish, or republish Generated/ to undo the edit\n"
        }
        if total > 0 { out.exitCode = 1 }
        return out
    }

    struct FlowProblem: Error {
        var text: String
    }

    /// An exported flow, read by meaning.
    func readFlow(_ path: String) -> Result<FlowValue, FlowProblem> {
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.readFile(path, limit: Self.flowReadLimits.maxFileBytes)
        } catch {
            return .failure(FlowProblem(text: "error: cannot read the deployed flow \(error)\n"))
        }
        var reader = YAMLReader(limits: Self.flowReadLimits)
        let read = reader.read(bytes)
        guard let root = read.root, !read.hasErrors else {
            let located = read.diagnostics.map { d -> Diagnostic in
                var d = d
                d.file = path
                return d
            }
            return .failure(
                FlowProblem(
                    text: DiagnosticRenderer.text(located, sources: [path: SourceText(path: path, text: read.text)])))
        }
        var flowReader = FlowReader()
        guard let value = flowReader.read(root), !flowReader.overBudget else {
            return .failure(
                FlowProblem(
                    text: flowReader.problems.map { "\(TerminalText.escaped(path)): \($0)\n" }.joined()))
        }
        return .success(value)
    }

    /// `substitutions:` of an Archy options file.
    func readSubstitutions(_ path: String) throws -> [String: String] {
        let bytes = try fileSystem.readFile(path, limit: Self.specReadLimit)
        var reader = YAMLReader()
        let read = reader.read(bytes)
        guard let root = read.root, !read.hasErrors else {
            throw FlowProblem(
                text: "\(path): " + (read.diagnostics.first.map { "\($0.message)" } ?? "not YAML"))
        }
        guard case .mapping(let top) = root,
            let entry = top.entries.first(where: { $0.key.text == "substitutions" }),
            case .mapping(let values) = entry.value
        else { throw FlowProblem(text: "\(path): an Archy options file holds `substitutions:`, a mapping") }
        var out: [String: String] = [:]
        for value in values.entries {
            guard let text = value.value.scalarText else {
                throw FlowProblem(text: "\(path):\(value.key.start.line): `\(value.key.text)` is not a single value")
            }
            out[value.key.text] = text
        }
        return out
    }
}

extension Driver.FlowProblem: CustomStringConvertible {
    var description: String { text }
}
