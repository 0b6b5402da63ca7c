import ClaimMapSemantics
import ClaimMapSyntax

/// Builds the Archy flow of a checked spec, `flow.yaml` (docs/security.md says why each channel is trusted or not):
///
/// - Initial State: `Authenticated?` decision → task "Verified claims" (built-ins, then one `callData` per
///   enrichment keyed on the verified `sub`); task "Page attributes" (`getParticipantData`, checked, converted);
///   the computed variables; guarded actions called at `start`; `setParticipantData`; the routing `switch`
///   (`firstTrue`, guarded actions called `before` a rule inside its case, then `transferToAcd`).
/// - Every variable starts at its default, so a failed data action or a guest leaves the default in place.
struct FlowEmitter {
    let spec: CheckedSpec
    private var taskCounter = 10
    private var substitutions: ArchySubstitutions

    init(spec: CheckedSpec) {
        self.spec = spec
        substitutions = ArchySubstitutions(
            designerNamesIn: [spec.flow.name, spec.flow.division] + spec.routing.flatMap { [$0.queue] + $0.skills }
                + spec.enrichments.map(\.category) + spec.guards.map(\.category))
    }

    static func emit(_ spec: CheckedSpec) -> ArchyFlow {
        var emitter = FlowEmitter(spec: spec)
        return emitter.build()
    }

    private mutating func refId(_ name: String) -> String {
        taskCounter += 1
        return "\(name)_\(taskCounter)"
    }

    static func initialValue(_ literal: TypedLiteral?) -> ArchyValue {
        switch literal {
        case nil: .noValue
        case .string(let s)?: .string(s)
        case .integer(let n)?, .decimal(let n)?: .number(n)
        case .boolean(let b)?: .boolean(b)
        case .dateTime(let s)?: .expression("ToDateTime(\(ArchitectExpressionWriter.stringLiteral(s)))")
        }
    }

    static func variable(_ name: String, _ type: ArchitectType, _ initial: ArchyValue) -> ArchyVariable {
        ArchyVariable(kind: ArchyShapes.variableKind(type.description), name: name, initialValue: initial)
    }

    /// Whether a variable can still be NOT_SET once variables are set (for guests or after a failure).
    static func mayBeNotSet(_ variable: CheckedVariable) -> Bool {
        variable.defaultValue == nil
            && (variable.mayBeNotSetWhenAuthenticated || variable.tokenDerived
                || {
                    if case .actionOutput = variable.source { return true }
                    return false
                }())
    }

    private mutating func build() -> ArchyFlow {
        var tasks: [ArchyTask] = []
        var actions: [ArchyAction] = []
        if let claimsTask = verifiedClaimsTask() {
            tasks.append(claimsTask)
            actions.append(
                .decision(
                    name: "Authenticated?", condition: "Message.IsAuthenticated",
                    yes: [.callTask(name: "Read verified claims", targetTaskRef: Self.taskRef(claimsTask))], no: []))
        }
        if let attributesTask = attributesTask() {
            tasks.append(attributesTask)
            actions.append(.callTask(name: "Read page attributes", targetTaskRef: Self.taskRef(attributesTask)))
        }
        let computed = computedStatements()
        if !computed.isEmpty { actions.append(.updateData(name: "Computed variables", statements: computed)) }
        var guardTasks: [String: ArchyTask] = [:]
        for guardAction in spec.guards {
            let task = guardTask(guardAction)
            guardTasks[guardAction.name] = task
            tasks.append(task)
        }
        for guardAction in spec.guards where guardAction.call == .start {
            if let task = guardTasks[guardAction.name] {
                actions.append(.callTask(name: "Call \(guardAction.name)", targetTaskRef: Self.taskRef(task)))
            }
        }
        actions.append(contentsOf: participantDataActions())
        actions.append(routingSwitch(guardTasks: guardTasks))
        actions.append(.disconnect(name: "Disconnect"))
        let state = ArchyState(name: "Initial State", refId: "Initial State_10", actions: actions)
        let errorQueue = substitutions.placeholder(.queue, spec.routing.last?.queue ?? "")
        let name = substitutions.placeholder(.flowName, spec.flow.name)
        let division = substitutions.placeholder(.division, spec.flow.division)
        return ArchyFlow(
            name: name, division: division, defaultLanguage: spec.flow.language,
            variables: spec.variables.map { Self.variable($0.name, $0.type, Self.initialValue($0.defaultValue)) },
            errorQueue: errorQueue, states: [state], tasks: tasks,
            substitutions: substitutions.entries.sorted { $0.name < $1.name })
    }

    static func taskRef(_ task: ArchyTask) -> String { "/inboundShortMessage/tasks/task[\(task.refId)]" }

    private static let endTask = ArchyAction.endTask(name: "End Task", outputPath: "default")

    // MARK: Verified claims

    private mutating func verifiedClaimsTask() -> ArchyTask? {
        var actions: [ArchyAction] = []
        var taskVariables: [ArchyVariable] = []
        for builtin in BuiltinClaim.allCases {
            let statements = spec.variables.compactMap { variable -> ArchyUpdateStatement? in
                guard case .builtin(_, builtin) = variable.source else { return nil }
                return ArchyUpdateStatement(
                    kind: ArchyShapes.statementKind(variable.type.description), variable: variable.name,
                    value: .expression(builtin.architectVariable))
            }
            guard !statements.isEmpty else { continue }
            actions.append(
                .decision(
                    name: "Token has \(builtin.rawValue)?", condition: "IsNotSetOrEmpty(\(builtin.architectVariable))",
                    yes: [], no: [.updateData(name: "Set from the \(builtin.rawValue) claim", statements: statements)]))
        }
        for enrichment in spec.enrichments {
            let targets = spec.variables.filter {
                if case .enrichment(_, enrichment.name) = $0.source { return true }
                return false
            }
            guard !targets.isEmpty else { continue }
            // Outputs land in task variables of the claim's own type first (one per claim), so a missing field
            // never overwrites a default; each variable then takes the value converted to its type.
            var outputs: [(field: String, variable: String)] = []
            var statements: [ArchyUpdateStatement] = []
            for variable in targets {
                guard case .enrichment(let claimName, _) = variable.source, let claim = spec.claim(claimName) else {
                    continue
                }
                let natural = Self.naturalType(claim.type)
                let temporary = "Task." + String(claimName.map { $0.isLetter || $0.isNumber ? $0 : "_" })
                if !outputs.contains(where: { $0.field == claimName }) {
                    outputs.append((claimName, temporary))
                    taskVariables.append(Self.variable(temporary, natural, .noValue))
                }
                let converted = Self.convert(temporary, from: natural, to: variable.type)
                statements.append(
                    Self.keepDefault(
                        variable.name, type: variable.type, unless: temporary, of: natural, becomes: converted))
            }
            actions.append(
                .callData(
                    ArchyCallData(
                        name: "Enrich from \(enrichment.name)",
                        category: substitutions.placeholder(.category, enrichment.category), action: enrichment.name,
                        timeout: enrichment.timeout, inputs: [("sub", .expression(BuiltinClaim.sub.architectVariable))],
                        successOutputs: outputs,
                        onSuccess: [.updateData(name: "Keep defaults for missing fields", statements: statements)],
                        onFailure: [], onTimeout: [])))
        }
        guard !actions.isEmpty else { return nil }
        actions.append(Self.endTask)
        return ArchyTask(
            name: "Read verified claims", refId: refId("Read verified claims"), variables: taskVariables,
            actions: actions)
    }

    /// The Architect test that `value` is set: `IsSet` for a scalar; for a collection, which Architect never holds as
    /// NOT_SET ("NOT_SET is a value that applies to scalar values", Genesys help, "Use NOT_SET in expressions"),
    /// `Count(x) > 0`.
    static func isSet(_ value: String, _ type: ArchitectType) -> String {
        type.isCollection ? "Count(\(value)) > 0" : "IsSet(\(value))"
    }

    /// `variable = If(<temporary is set>, value, variable)`: a data action's output, landed in a task variable of type
    /// `temporaryType`, replaces the variable (its default) only when the action returned it.
    static func keepDefault(
        _ variable: String, type: ArchitectType, unless temporary: String, of temporaryType: ArchitectType,
        becomes value: String
    ) -> ArchyUpdateStatement {
        ArchyUpdateStatement(
            kind: ArchyShapes.statementKind(type.description), variable: variable,
            value: .expression("If(\(isSet(temporary, temporaryType)), \(value), \(variable))"))
    }

    /// The Architect type a data action's output of this claim arrives as (its JSON type's natural mapping).
    static func naturalType(_ type: ClaimType) -> ArchitectType {
        switch type.kind {
        case .string: .string
        case .integer: .integer
        case .number: .decimal
        case .boolean: .boolean
        case .object: .json
        case .array: .collection(type.itemType.map(naturalType) ?? .string)
        }
    }

    /// `value` (of type `from`) converted to `to`, in Architect.
    static func convert(_ value: String, from: ArchitectType, to: ArchitectType) -> String {
        switch (from, to) {
        case _ where from == to: return value
        case (_, .string): return "ToString(\(value))"
        case (.integer, .decimal): return "(\(value) * 1.0)"
        case (.string, .dateTime): return "ToDateTime(\(value))"
        // UNCONFIRMED: `AddSeconds` is in Architect's Expression Help but in no Genesys-authored flow.
        case (.integer, .dateTime), (.decimal, .dateTime):
            return "AddSeconds(ToDateTime(\"1970-01-01T00:00:00Z\"), ToInt(\(value)))"
        default: return value
        }
    }

    // MARK: Attributes

    private mutating func attributesTask() -> ArchyTask? {
        var actions: [ArchyAction] = []
        var taskVariables: [ArchyVariable] = []
        for attribute in spec.attributes {
            let targets = spec.variables.filter { $0.source == .attribute(attribute.name) }
            guard !targets.isEmpty else { continue }
            let temporary = "Task.Attribute_" + String(attribute.name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
            taskVariables.append(Self.variable(temporary, .string, .noValue))
            actions.append(
                .getParticipantData(name: "Get \(attribute.name)", attributes: [(attribute.name, temporary)]))
            var checks = ["!IsNotSetOrEmpty(\(temporary))"]
            if let values = attribute.enumValues {
                checks.append(
                    values.map { "\(temporary) == \(ArchitectExpressionWriter.stringLiteral($0))" }.joined(
                        separator: " or "))
            }
            if let maxLength = attribute.maxLength {
                // UNCONFIRMED: `Length` is in Architect's Expression Help but in no Genesys-authored flow.
                checks.append("Length(\(temporary)) <= \(maxLength)")
            }
            // `pattern` is not checked here: Architect has no confirmed regular-expression function (CM2509).
            var condition = checks.last ?? "true"
            for check in checks.dropLast().reversed() { condition = "If(\(check), \(condition), false)" }
            actions.append(
                .decision(
                    name: "\(attribute.name) is a declared value?", condition: condition,
                    yes: [
                        .updateData(
                            name: "Set from attribute \(attribute.name)",
                            statements: targets.map {
                                ArchyUpdateStatement(kind: "string", variable: $0.name, value: .expression(temporary))
                            })
                    ], no: []))
        }
        guard !actions.isEmpty else { return nil }
        actions.append(Self.endTask)
        return ArchyTask(
            name: "Read page attributes", refId: refId("Read page attributes"), variables: taskVariables,
            actions: actions)
    }

    // MARK: Computed variables

    private func computedStatements() -> [ArchyUpdateStatement] {
        // One lookup table, not a scan per computed variable (that scan made compile quadratic).
        let variables = Dictionary(spec.variables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return spec.computationOrder.compactMap { name in
            guard let variable = variables[name], case .expression(let expression) = variable.source else {
                return nil
            }
            var text = ArchitectExpressionWriter.write(expression)
            if expression.type == .integer && variable.type == .decimal { text = "(\(text)) * 1.0" }
            if variable.mayBeNotSetWhenAuthenticated && variable.defaultValue != nil {
                // A failed conversion keeps the default.
                text = "If(\(Self.isSet(text, variable.type)), \(text), \(name))"
            }
            return ArchyUpdateStatement(
                kind: ArchyShapes.statementKind(variable.type.description), variable: name, value: .expression(text))
        }
    }

    // MARK: Guarded actions

    private mutating func guardTask(_ guardAction: CheckedGuard) -> ArchyTask {
        // Outputs land in task variables first, as an enrichment's do: a field the action leaves out is NOT_SET
        // (a collection: empty) and must not overwrite the variable's default.
        var taskVariables: [ArchyVariable] = []
        var statements: [ArchyUpdateStatement] = []
        var outputs: [(field: String, variable: String)] = []
        for output in guardAction.outputs {
            let temporary = "Task.Output_" + String(output.field.map { $0.isLetter || $0.isNumber ? $0 : "_" })
            taskVariables.append(Self.variable(temporary, output.type, .noValue))
            outputs.append((output.field, temporary))
            statements.append(
                Self.keepDefault(
                    output.variable, type: output.type, unless: temporary, of: output.type, becomes: temporary))
        }
        let call = ArchyCallData(
            name: guardAction.name, category: substitutions.placeholder(.category, guardAction.category),
            action: guardAction.name,
            timeout: DurationValue(amount: 1, unit: .minutes),
            inputs: guardAction.inputs.map { ($0.name, .expression(GuardExpression.inputExpression($0))) },
            successOutputs: outputs,
            onSuccess: statements.isEmpty
                ? [] : [.updateData(name: "Keep defaults for missing fields", statements: statements)],
            onFailure: [], onTimeout: [])
        let name = "Guard \(guardAction.name)"
        return ArchyTask(
            name: name, refId: refId(name), variables: taskVariables,
            actions: [
                .decision(
                    name: "\(guardAction.name) allowed?", condition: GuardExpression.architect(for: guardAction),
                    yes: [.callData(call)], no: []),
                Self.endTask,
            ])
    }

    // MARK: Participant data

    private func participantDataActions() -> [ArchyAction] {
        var always: [(name: String, value: ArchyValue)] = []
        var conditional: [ArchyAction] = []
        for datum in spec.participantData {
            guard let variable = spec.variable(datum.variable) else { continue }
            let value = ArchyValue.expression(variable.type == .string ? variable.name : "ToString(\(variable.name))")
            if Self.mayBeNotSet(variable) {
                conditional.append(
                    .decision(
                        name: "\(variable.name) is set?", condition: Self.isSet(variable.name, variable.type),
                        yes: [.setParticipantData(name: "Set \(datum.key)", attributes: [(datum.key, value)])], no: []))
            } else {
                always.append((datum.key, value))
            }
        }
        var actions: [ArchyAction] = []
        if !always.isEmpty { actions.append(.setParticipantData(name: "Set participant data", attributes: always)) }
        return actions + conditional
    }

    // MARK: Routing

    private mutating func routingSwitch(guardTasks: [String: ArchyTask]) -> ArchyAction {
        func actions(for rule: CheckedRule) -> [ArchyAction] {
            var out: [ArchyAction] = []
            for guardAction in spec.guards where guardAction.call == .before(rule.name) {
                if let task = guardTasks[guardAction.name] {
                    out.append(.callTask(name: "Call \(guardAction.name)", targetTaskRef: Self.taskRef(task)))
                }
            }
            out.append(
                .transferToAcd(
                    name: "Transfer to \(rule.queue)", queue: substitutions.placeholder(.queue, rule.queue),
                    priority: rule.priority ?? 0, skills: rule.skills.map { substitutions.placeholder(.skill, $0) }))
            return out
        }
        let conditional = spec.routing.filter { $0.when != nil }
        let fallback = spec.routing.last { $0.when == nil }
        return .switchFirstTrue(
            name: "Route",
            cases: conditional.compactMap { rule in
                rule.when.map { (ArchitectExpressionWriter.write($0), actions(for: rule)) }
            },
            defaultActions: fallback.map(actions(for:)) ?? [])
    }
}
