import Foundation

/// The reference evaluator: runs an `EvaluatorProgram` on one conversation with the semantics of the emitted
/// Architect flow (trust: docs/security.md; the choices behind it: docs/decisions.md). Order, as in the flow:
/// 1. every variable starts at its default (or NOT_SET), guests included;
/// 2. authenticated only: built-ins, then each enrichment (a failure or a value that breaks its claim's
///    contract leaves the default);
/// 3. attributes (page values, or the mirrored claim), checked against enum/pattern/maxLength;
/// 4. computed variables in dependency order (a NOT_SET result leaves the default);
/// 5. guards with `call: start`; then the first routing rule whose condition is true; then guards called
///    `before` that rule. Every guard's decision is reported whether or not its call point is reached.
///
/// `init` resolves the program once into a `Plan` — every variable name to a slot, every operator and function
/// name to a case, every claim to its path and contract — so evaluating a conversation does no name lookups and
/// copies no spec structs (docs/performance.md's target: evaluate < 2 µs per token).
public struct Interpreter: Sendable {
    public let program: EvaluatorProgram
    private let plan: Plan

    public init(program: EvaluatorProgram) {
        self.program = program
        self.plan = Plan(program)
    }

    struct Slot {
        var value: Value?
        var source: Int
    }

    struct State {
        /// Each variable's value and the index into `Plan.labels` of where it came from (one array: one copy of
        /// the defaults per conversation).
        var slots: [Slot]
        let authenticated: Bool
        /// The program's expressions (shared, read-only).
        let code: CodeTable
    }

    /// Evaluates one conversation into named variables, participant data strings, the route and each guard's
    /// decision.
    public func evaluate(_ input: EvaluationInput) -> EvaluationResult { evaluation(input).result }

    /// Evaluates one conversation, keeping its outcome as slots (see `Evaluation`): replay writes its line from
    /// these without building an `EvaluationResult`.
    public func evaluation(_ input: EvaluationInput) -> Evaluation {
        let plan = self.plan
        let checked = input.checkedClaims
        // One value per declared claim, in order: anything else is a caller's bug, not a guest conversation.
        precondition(
            checked.map { $0.count == plan.claimCount } ?? true,
            "checkedClaims must hold one value per declared claim (\(plan.claimCount))")
        let payload = input.claims
        // A token's conversation: its payload, or the declared claims a caller found and checked in it.
        let authenticated = payload != nil || checked != nil
        var state = State(slots: plan.initialSlots, authenticated: authenticated, code: plan.code)
        var warnings: [String] = []
        /// A declared claim's value: from the caller's checked lookup, or found in the payload.
        func claim(_ index: Int, _ path: [String]) -> JSONValue? {
            if let checked { return checked[index] }
            guard let payload else { return nil }
            return ClaimContract.member(at: path, in: payload)
        }
        if authenticated {
            for builtin in plan.builtins {
                // An absent or empty built-in claim leaves the variable as it was (the flow tests IsNotSetOrEmpty).
                if case .string(let text)? = claim(builtin.claim, builtin.path), !text.isEmpty {
                    state.assign(builtin.slot, .string(text), source: builtin.label)
                }
            }
            for enrichment in plan.enrichments {
                // (Replay without --enrichment passes none: skip hashing the name.)
                let result = input.enrichments.isEmpty ? nil : input.enrichments[enrichment.name]
                if result == .fail { continue }
                for target in enrichment.targets {
                    let raw: JSONValue?
                    var conforms = false
                    if case .response(let object)? = result {
                        raw = object[member: target.claimName]
                    } else {
                        raw = claim(target.claim, target.path)
                        conforms = checked != nil
                    }
                    guard let raw, raw != .null else { continue }
                    if !conforms, let violation = target.contract.violation(raw) {
                        warnings.append(
                            "enrichment `\(enrichment.name)` returned \(target.claimName) that breaks its contract (\(violation)); \(target.variableName) keeps its default"
                        )
                        continue
                    }
                    state.assign(
                        target.slot, ClaimContract.convert(raw, to: target.type),
                        source: target.label)
                }
            }
        }
        var refused: [EvaluationResult.RefusedAttribute] = []
        for attribute in plan.attributes {
            var text = input.attributes.isEmpty ? nil : input.attributes[attribute.spec.name]
            var mirrored: Int?
            if text == nil, authenticated, let (index, path) = attribute.mirror, let raw = claim(index, path) {
                if case .string(let s) = raw { text = s } else { text = raw.compact() }
                mirrored = index
            }
            guard let text else { continue }
            if let reason = attribute.refusal(text) {
                refused.append(
                    EvaluationResult.RefusedAttribute(
                        attribute: attribute.spec.name, value: text, reason: reason,
                        origin: mirrored.map { "claim \(program.claims[$0].name)" } ?? "page",
                        kept: attribute.targets.map { (plan.names[$0.slot], state.slots[$0.slot].value) }))
                continue
            }
            for target in attribute.targets { state.assign(target.slot, .string(text), source: target.label) }
        }
        for computation in plan.computations {
            var value = state.run(computation.code)
            if computation.widensToDecimal, case .integer(let i)? = value { value = .decimal(Decimal(i)) }
            state.assign(computation.slot, value, source: Plan.exprLabel)
        }
        var decisions: [Evaluation.Decision] = []
        decisions.reserveCapacity(plan.guards.count)
        for guardPlan in plan.guards { decisions.append(decide(guardPlan, &state)) }
        func runAction(_ index: Int) {
            let guardPlan = plan.guards[index]
            guard decisions[index] == .allowed, case .response(let object)? = input.actions[guardPlan.name] else {
                return
            }
            for output in guardPlan.outputs {
                guard let slot = output.slot, let raw = object[member: output.field] else { continue }
                state.assign(slot, Value(json: raw, type: output.type), source: guardPlan.label)
            }
        }
        for index in plan.startGuards { runAction(index) }
        // The first rule whose condition holds (the rules before it were tried); its guarded actions run before it.
        let route = plan.rules.firstIndex { rule in rule.when.map { state.run($0) == .boolean(true) } ?? true }
        if let route {
            for index in plan.rules[route].guardsBefore { runAction(index) }
        }
        return Evaluation(
            plan: plan, slots: state.slots, decisions: decisions, route: route, warnings: warnings,
            refusedAttributes: refused)
    }

    private func decide(_ guardPlan: Plan.Guard, _ state: inout State) -> Evaluation.Decision {
        guard state.authenticated else { return .notAuthenticated }
        for input in guardPlan.inputs {
            let value = input.slot.flatMap { state.slots[$0].value }
            // The flow tests a collection with `Count(x) > 0`: empty is not set.
            var present = value != nil
            if case .collection(let items)? = value { present = !items.isEmpty }
            guard present else { return .inputNotSet }
        }
        if let when = guardPlan.when, state.run(when) != .boolean(true) { return .conditionFalse }
        return .allowed
    }

    /// The string Set Participant Data stores for a value (`ToString`).
    public static func architectString(_ value: Value) -> String {
        ArchitectOperations.toString(value)
    }
}

extension Interpreter.State {
    /// A NOT_SET result leaves the variable as it was (its default, or an earlier source's value), and so does an
    /// empty collection: Architect has no NOT_SET collection, so the flow tests `Count(x) > 0` and keeps the default.
    mutating func assign(_ slot: Int, _ value: Value?, source: Int) {
        guard let value else { return }
        if case .collection(let items) = value, items.isEmpty { return }
        slots[slot] = Interpreter.Slot(value: value, source: source)
    }
}

/// An `EvaluatorProgram` resolved for evaluation. Variables are addressed by slot (their index in the
/// program); a name the program does not declare resolves to no slot and reads as NOT_SET, as it did when
/// names were looked up per conversation. Where a name is declared twice, the first declaration wins.
final class Plan: Sendable {
    static let defaultLabel = 0
    static let exprLabel = 1

    struct Builtin {
        let slot: Int
        /// Index of the claim in the program's `claims`, and its path in the payload.
        let claim: Int
        let path: [String]
        let label: Int
    }

    final class EnrichmentTarget: Sendable {
        let slot: Int
        let variableName: String
        let claimName: String
        let claim: Int
        let path: [String]
        let contract: ClaimContract.Compiled
        let type: ValueType
        let label: Int

        init(
            slot: Int, variableName: String, claimName: String, claim: Int, path: [String],
            contract: ClaimContract.Compiled, type: ValueType, label: Int
        ) {
            self.slot = slot
            self.variableName = variableName
            self.claimName = claimName
            self.claim = claim
            self.path = path
            self.contract = contract
            self.type = type
            self.label = label
        }
    }

    struct Enrichment {
        let name: String
        let targets: [EnrichmentTarget]
    }

    struct Target {
        let slot: Int
        let label: Int
    }

    final class Attribute: Sendable {
        let spec: AttributeSpec
        /// The mirrored claim's index in the program's `claims`, and its path.
        let mirror: (Int, [String])?
        let targets: [Target]
        let pattern: CompiledPattern?

        init(spec: AttributeSpec, mirror: (Int, [String])?, targets: [Target]) {
            self.spec = spec
            self.mirror = mirror
            self.targets = targets
            self.pattern = spec.pattern.map { PatternCache.shared.compiled($0) }
        }

        /// nil for a page value within the attribute's enum, length and pattern (and not empty); else why the
        /// flow's checks refuse it.
        func refusal(_ text: String) -> String? {
            if let values = spec.enumValues, !values.containsByteEqual(text) {
                return "not one of its enum values (\(values.map(JSONValue.quoted).joined(separator: ", ")))"
            }
            if let maxLength = spec.maxLength, let count = text.scalarCount(above: maxLength) {
                return "longer than its maxLength \(maxLength) (\(count) characters)"
            }
            if let pattern, !pattern.matches(text) {
                return "does not match its pattern \(JSONValue.quoted(spec.pattern ?? ""))"
            }
            return text.isEmpty ? "empty (an empty attribute counts as not sent)" : nil
        }
    }

    struct Computation {
        let slot: Int
        /// Root instruction in `Plan.code`.
        let code: Int
        let widensToDecimal: Bool
    }

    final class Guard: Sendable {
        struct Input {
            let slot: Int?
        }
        struct Output {
            let slot: Int?
            let field: String
            let type: ValueType
        }
        let name: String
        let inputs: [Input]
        let when: Int?
        let outputs: [Output]
        /// The label of values its action writes: `action:<name>`.
        let label: Int

        init(name: String, inputs: [Input], when: Int?, outputs: [Output], label: Int) {
            self.name = name
            self.inputs = inputs
            self.when = when
            self.outputs = outputs
            self.label = label
        }
    }

    final class Rule: Sendable {
        let when: Int?
        let route: EvaluationResult.Route
        /// Indexes into `guards` of the actions called before this rule's transfer.
        let guardsBefore: [Int]

        init(when: Int?, route: EvaluationResult.Route, guardsBefore: [Int]) {
            self.when = when
            self.route = route
            self.guardsBefore = guardsBefore
        }
    }

    let names: [String]
    let types: [ValueType]
    let trusted: [Bool]
    /// Every source label a variable can report; `State.sources` indexes it.
    let labels: [String]
    let initialSlots: [Interpreter.Slot]
    let builtins: [Builtin]
    let enrichments: [Enrichment]
    let attributes: [Attribute]
    let computations: [Computation]
    let guards: [Guard]
    /// Indexes into `guards` of the actions called at the start.
    let startGuards: [Int]
    let rules: [Rule]
    let participantData: [(key: String, slot: Int?)]
    /// How many claims the program declares (the length `EvaluationInput.checkedClaims` must have).
    let claimCount: Int
    /// Every expression of the program: computed variables, guard conditions and rule conditions.
    let code: CodeTable
    /// What replay's line takes from the program, encoded once.
    let lineText: Interpreter.LineText

    init(_ program: EvaluatorProgram) {
        let variables = program.variables
        let slots = Dictionary(variables.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        let claims = Dictionary(program.claims.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let claimIndexes = Dictionary(
            program.claims.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        claimCount = program.claims.count
        let contracts = claims.mapValues { ClaimContract.Compiled($0.type) }
        var labels = ["default", "expr"]
        var labelIndex = ["default": 0, "expr": 1]
        func label(_ text: String) -> Int {
            if let index = labelIndex[text] { return index }
            labels.append(text)
            labelIndex[text] = labels.count - 1
            return labels.count - 1
        }
        names = variables.map(\.name)
        types = variables.map(\.type)
        trusted = variables.map(\.trusted)
        initialSlots = variables.map {
            Interpreter.Slot(
                value: $0.defaultValue, source: $0.defaultValue == nil ? label($0.source.label) : Self.defaultLabel)
        }

        var builtins: [Builtin] = []
        for variable in variables {
            guard case .builtin(let claimName) = variable.source, let claim = claims[claimName],
                let index = claimIndexes[claimName], let slot = slots[variable.name]
            else { continue }
            builtins.append(
                Builtin(slot: slot, claim: index, path: claim.path, label: label(variable.source.label)))
        }
        self.builtins = builtins

        enrichments = program.enrichments.map { enrichment in
            var targets: [EnrichmentTarget] = []
            for variable in variables {
                guard case .enrichment(let claimName, let name) = variable.source, name == enrichment.name,
                    let claim = claims[claimName], let index = claimIndexes[claimName], let slot = slots[variable.name]
                else { continue }
                targets.append(
                    EnrichmentTarget(
                        slot: slot, variableName: variable.name, claimName: claimName, claim: index, path: claim.path,
                        contract: contracts[claimName] ?? ClaimContract.Compiled(claim.type), type: variable.type,
                        label: label(variable.source.label)))
            }
            return Enrichment(name: enrichment.name, targets: targets)
        }

        attributes = program.attributes.map { attribute in
            var targets: [Target] = []
            for variable in variables {
                guard case .attribute(attribute.name) = variable.source, let slot = slots[variable.name] else {
                    continue
                }
                targets.append(Target(slot: slot, label: label(variable.source.label)))
            }
            return Attribute(
                spec: attribute,
                mirror: attribute.mirrors.flatMap { name in
                    claims[name].flatMap { claim in claimIndexes[name].map { ($0, claim.path) } }
                }, targets: targets)
        }

        var code = CodeTable()
        computations = program.computationOrder.compactMap { name in
            guard let slot = slots[name], case .expression(let expr) = variables[slot].source else { return nil }
            return Computation(
                slot: slot, code: code.add(expr, slots: slots), widensToDecimal: variables[slot].type == .decimal)
        }

        guards = program.guards.map { guardSpec in
            Guard(
                name: guardSpec.name,
                inputs: guardSpec.inputs.map { Guard.Input(slot: slots[$0.variable]) },
                when: guardSpec.when.map { code.add($0, slots: slots) },
                outputs: guardSpec.outputs.map {
                    Guard.Output(slot: slots[$0.variable], field: $0.field, type: $0.type)
                },
                label: label("action:\(guardSpec.name)"))
        }
        startGuards = program.guards.indices.filter { program.guards[$0].beforeRule == nil }
        rules = program.routing.map { rule in
            Rule(
                when: rule.when.map { code.add($0, slots: slots) },
                route: EvaluationResult.Route(
                    rule: rule.name, queue: rule.queue, priority: rule.priority, skills: rule.skills),
                guardsBefore: program.guards.indices.filter { program.guards[$0].beforeRule == rule.name })
        }
        participantData = program.participantData.map { ($0.key, slots[$0.variable]) }
        self.labels = labels
        self.code = code
        // Every source a variable can report: where it starts (its default, or its own source while unset), and
        // each writer of its slot. The line encodes, per variable and source, its tail and the next variable's head.
        var sources = initialSlots.map { [$0.source] }
        func writes(_ slot: Int?, _ label: Int) {
            guard let slot, !sources[slot].contains(label) else { return }
            sources[slot].append(label)
        }
        for builtin in builtins { writes(builtin.slot, builtin.label) }
        for target in enrichments.flatMap(\.targets) { writes(target.slot, target.label) }
        for target in attributes.flatMap(\.targets) { writes(target.slot, target.label) }
        for computation in computations { writes(computation.slot, Self.exprLabel) }
        for guardPlan in guards { for output in guardPlan.outputs { writes(output.slot, guardPlan.label) } }
        lineText = Interpreter.LineText(
            names: names, types: types, trusted: trusted, labels: labels, sources: sources,
            participantData: participantData, routes: rules.map(\.route), guards: guards.map(\.name))
    }
}

extension Interpreter {
    /// The parts of replay's line (`Evaluation.writeJSONMembers`) that the program fixes, each encoded once into
    /// `bytes`: per token, only values are encoded. Routes are written by `Route.writeJSON`, as in
    /// `EvaluationResult.writeJSONMembers`; the rest repeats that writer's punctuation, and `DifferentialTests.slotLine`
    /// holds the two lines byte-equal. A class, so that a token's line takes one reference to it, not one per array.
    final class LineText: Sendable {
        let bytes: [UInt8]
        /// Per variable: `"name":{"type":"T","value":`.
        let variableHeads: [Range<Int>]
        /// Per source label, untrusted then trusted (index 2 × label + 1 when trusted):
        /// `,"trusted":B,"source":"label"}`.
        let variableTails: [Range<Int>]
        /// `"variables":{` and the first variable's head.
        let opening: Range<Int>
        /// Per variable, per source it can report (`joinSources[joinFirst[i] ..< joinFirst[i + 1]]`): its tail, and
        /// `,` and the next variable's head — one piece between two values instead of three.
        let joinFirst: [Int]
        let joinSources: [Int]
        let joins: [Range<Int>]
        /// Per participant data key: `"key":`, after `},"participantData":{` (the first) or `,`.
        let dataKeys: [Range<Int>]
        /// Per rule: `},"route":`, its route object and `,"guards":{`.
        let routes: [Range<Int>]
        /// Per guard: `"name":{"allowed":`, after `,` (all but the first).
        let guardHeads: [Range<Int>]

        init(
            names: [String], types: [ValueType], trusted: [Bool], labels: [String], sources: [[Int]],
            participantData: [(key: String, slot: Int?)], routes: [EvaluationResult.Route], guards: [String]
        ) {
            var out = ByteWriter(capacity: 4096)
            var variableHeads: [Range<Int>] = []
            for (name, type) in zip(names, types) {
                let start = out.count
                out.appendQuoted(name)
                out.append(":{\"type\":")
                type.writeQuotedName(to: &out)
                out.append(",\"value\":")
                variableHeads.append(start..<out.count)
            }
            var variableTails: [Range<Int>] = []
            for label in labels {
                for trusted in [false, true] {
                    let start = out.count
                    out.append(trusted ? ",\"trusted\":true,\"source\":" : ",\"trusted\":false,\"source\":")
                    out.appendQuoted(label)
                    out.append(UInt8(ascii: "}"))
                    variableTails.append(start..<out.count)
                }
            }
            func copy(_ range: Range<Int>) { out.appendCopy(of: range) }
            var start = out.count
            out.append("\"variables\":{")
            if let first = variableHeads.first { copy(first) }
            opening = start..<out.count
            var joinFirst: [Int] = []
            var joinSources: [Int] = []
            var joins: [Range<Int>] = []
            for variable in names.indices {
                joinFirst.append(joins.count)
                for source in sources[variable] {
                    start = out.count
                    copy(variableTails[2 * source + (trusted[variable] ? 1 : 0)])
                    if variable + 1 < names.count {
                        out.append(UInt8(ascii: ","))
                        copy(variableHeads[variable + 1])
                    }
                    joinSources.append(source)
                    joins.append(start..<out.count)
                }
            }
            joinFirst.append(joins.count)
            self.joinFirst = joinFirst
            self.joinSources = joinSources
            self.joins = joins
            var dataKeys: [Range<Int>] = []
            for datum in participantData {
                let start = out.count
                out.append(dataKeys.isEmpty ? "},\"participantData\":{" : ",")
                out.appendQuoted(datum.key)
                out.append(UInt8(ascii: ":"))
                dataKeys.append(start..<out.count)
            }
            var routeRanges: [Range<Int>] = []
            for route in routes {
                let start = out.count
                out.append("},\"route\":")
                route.writeJSON(to: &out)
                out.append(",\"guards\":{")
                routeRanges.append(start..<out.count)
            }
            var guardHeads: [Range<Int>] = []
            for name in guards {
                let start = out.count
                if !guardHeads.isEmpty { out.append(UInt8(ascii: ",")) }
                out.appendQuoted(name)
                out.append(":{\"allowed\":")
                guardHeads.append(start..<out.count)
            }
            bytes = out.bytes
            self.variableHeads = variableHeads
            self.variableTails = variableTails
            self.dataKeys = dataKeys
            self.routes = routeRanges
            self.guardHeads = guardHeads
        }

        /// The join of `variable` when it reports `source`; nil for a source the plan did not list for it (the line
        /// then writes the pieces one by one, and `DifferentialTests.slotLine` fails: the list is incomplete).
        func join(_ variable: Int, _ source: Int) -> Range<Int>? {
            var index = joinFirst[variable]
            while index < joinFirst[variable + 1] {
                if joinSources[index] == source { return joins[index] }
                index += 1
            }
            return nil
        }
    }
}

/// Every expression of a program, flattened into one table. An instruction's operands are indexes of other
/// instructions (or of `constants` and `arguments`), so an instruction holds nothing reference-counted: running
/// one retains only the values it produces. Variables are slots, operators and functions are cases.
struct CodeTable: Sendable {
    enum Instruction: Sendable {
        case constant(Int)
        case slot(Int)
        /// A collection variable: NOT_SET reads as empty (Architect has no NOT_SET collection).
        case collectionSlot(Int)
        case isAuthenticated
        case not(Int)
        case negate(Int)
        /// `and`/`or` are emitted as If(...): the right side is only evaluated when it decides the result.
        case and(Int, Int)
        case or(Int, Int)
        case binary(ArchitectOperations.Operator, Int, Int)
        case ifThenElse(Int, Int, Int)
        /// The operands are `arguments[first ..< first + count]`.
        case call(ArchitectOperations.Function, first: Int, count: Int)
    }

    private(set) var instructions: [Instruction] = []
    private(set) var constants: [Value?] = []
    private(set) var arguments: [Int] = []

    private mutating func emit(_ instruction: Instruction) -> Int {
        instructions.append(instruction)
        return instructions.count - 1
    }

    private mutating func constant(_ value: Value?) -> Int {
        constants.append(value)
        return emit(.constant(constants.count - 1))
    }

    /// Adds `expr` and returns the index of its root instruction.
    mutating func add(_ expr: TypedExpr, slots: [String: Int]) -> Int {
        switch expr.kind {
        case .literal(let value): return constant(value)
        case .isAuthenticated: return emit(.isAuthenticated)
        case .variable(let name):
            if case .collection = expr.type {
                return slots[name].map { emit(.collectionSlot($0)) } ?? constant(.collection([]))
            }
            return slots[name].map { emit(.slot($0)) } ?? constant(nil)
        case .not(let operand): return emit(.not(add(operand, slots: slots)))
        case .negate(let operand): return emit(.negate(add(operand, slots: slots)))
        case .binary(let op, let lhs, let rhs):
            let left = add(lhs, slots: slots)
            let right = add(rhs, slots: slots)
            switch op {
            case .and: return emit(.and(left, right))
            case .or: return emit(.or(left, right))
            default: return emit(.binary(op, widened(left, besides: rhs.type), widened(right, besides: lhs.type)))
            }
        case .call(let function, let operands):
            let indexes = operands.map { add($0, slots: slots) }
            if function == .if {
                // The checker allows If only with three arguments; another count is no value, as `call` answers.
                return indexes.count == 3 ? emit(.ifThenElse(indexes[0], indexes[1], indexes[2])) : constant(nil)
            }
            arguments += indexes
            return emit(.call(function, first: arguments.count - indexes.count, count: indexes.count))
        }
    }

    /// An Integer literal against a Decimal operand is computed as a Decimal by every operator: convert it once
    /// here rather than on every conversation.
    private mutating func widened(_ index: Int, besides other: ValueType) -> Int {
        guard other == .decimal, case .constant(let c) = instructions[index], case .integer(let i)? = constants[c]
        else { return index }
        return constant(.decimal(Decimal(i)))
    }
}

extension Interpreter.State {
    /// The value of instruction `index` (NOT_SET is nil).
    func run(_ index: Int) -> Value? {
        switch code.instructions[index] {
        case .constant(let c): return code.constants[c]
        case .slot(let slot): return slots[slot].value
        case .collectionSlot(let slot): return slots[slot].value ?? .collection([])
        case .isAuthenticated: return .boolean(authenticated)
        case .not(let operand): return ArchitectOperations.not(run(operand))
        case .negate(let operand): return ArchitectOperations.negate(run(operand))
        // The right side runs only when the left does not decide (an autoclosure).
        case .and(let lhs, let rhs): return ArchitectOperations.logical(run(lhs), run(rhs), deciding: false)
        case .or(let lhs, let rhs): return ArchitectOperations.logical(run(lhs), run(rhs), deciding: true)
        case .binary(let op, let lhs, let rhs):
            // `and`/`or` are their own instructions: a binary instruction's operands must both be set.
            guard let left = run(lhs), let right = run(rhs) else { return nil }
            return ArchitectOperations.setOperands(op, left, right)
        case .ifThenElse(let condition, let then, let otherwise):
            guard case .boolean(let holds)? = run(condition) else { return nil }
            return holds ? run(then) : run(otherwise)
        case .call(let function, let first, let count):
            return ArchitectOperations.call(function, (first..<first + count).map { run(code.arguments[$0]) })
        }
    }
}
