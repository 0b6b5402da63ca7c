import ClaimMapJSON
import Foundation

/// The reference evaluator: runs an `EvaluatorProgram` on one conversation with the semantics of the emitted
/// Architect flow (DESIGN §1, §10). Order, as in the flow:
/// 1. every variable starts at its default (or NOT_SET), guests included;
/// 2. authenticated only: built-ins, then each enrichment (a failure or a value that breaks its claim's
///    contract leaves the default);
/// 3. attributes (page values, or the mirrored claim), checked against enum/pattern/maxLength;
/// 4. computed variables in dependency order (a NOT_SET result leaves the default);
/// 5. guards with `call: start`; then the first routing rule whose condition is true; then guards called
///    `before` that rule. Every guard's decision is reported whether or not its call point is reached.
public struct Interpreter: Sendable {
    public let program: EvaluatorProgram
    private let claimsByName: [String: ClaimSpec]
    private let variableIndex: [String: Int]

    public init(program: EvaluatorProgram) {
        self.program = program
        self.claimsByName = Dictionary(program.claims.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.variableIndex = Dictionary(
            program.variables.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    struct State {
        var values: [Value?]
        var sources: [String]
        var authenticated: Bool
        var warnings: [String] = []
    }

    public func evaluate(_ input: EvaluationInput) -> EvaluationResult {
        let variables = program.variables
        var state = State(
            values: variables.map(\.defaultValue),
            sources: variables.map { $0.defaultValue == nil ? $0.source.label : "default" },
            authenticated: input.claims != nil)
        func assign(_ name: String, _ value: Value?, source: String) {
            guard let index = variableIndex[name], let value else { return }
            state.values[index] = value
            state.sources[index] = source
        }
        if let claims = input.claims {
            for variable in variables {
                guard case .builtin(let claimName) = variable.source, let claim = claimsByName[claimName] else {
                    continue
                }
                // An absent or empty built-in claim leaves the variable as it was (the flow tests IsNotSetOrEmpty).
                if case .string(let text)? = ClaimContract.member(at: claim.path, in: claims), !text.isEmpty {
                    assign(variable.name, .string(text), source: variable.source.label)
                }
            }
            for enrichment in program.enrichments {
                let result = input.enrichments[enrichment.name]
                if result == .fail { continue }
                for variable in variables {
                    guard case .enrichment(let claimName, let name) = variable.source, name == enrichment.name,
                        let claim = claimsByName[claimName]
                    else { continue }
                    let raw: JSONValue?
                    if case .response(let object)? = result {
                        raw = object[member: claimName]
                    } else {
                        raw = ClaimContract.member(at: claim.path, in: claims)
                    }
                    guard let raw, raw != .null else { continue }
                    if let violation = ClaimContract.violation(raw, claim.type) {
                        state.warnings.append(
                            "enrichment `\(enrichment.name)` returned \(claimName) that breaks its contract (\(violation)); \(variable.name) keeps its default"
                        )
                        continue
                    }
                    assign(
                        variable.name, ClaimContract.convert(raw, claim: claim.type, to: variable.type),
                        source: variable.source.label)
                }
            }
        }
        for attribute in program.attributes {
            var text = input.attributes[attribute.name]
            if text == nil, let mirrored = attribute.mirrors, let claims = input.claims,
                let claim = claimsByName[mirrored],
                let raw = ClaimContract.member(at: claim.path, in: claims)
            {
                if case .string(let s) = raw { text = s } else { text = raw.compact() }
            }
            guard let text, Self.attributeAccepts(attribute, text) else { continue }
            for variable in variables {
                if case .attribute(attribute.name) = variable.source {
                    assign(variable.name, .string(text), source: variable.source.label)
                }
            }
        }
        for name in program.computationOrder {
            guard let index = variableIndex[name], case .expression(let expr) = variables[index].source else {
                continue
            }
            assign(name, coerce(evaluate(expr, &state), to: variables[index].type), source: "expr")
        }
        var decisions: [String: EvaluationResult.GuardDecision] = [:]
        for guardSpec in program.guards {
            decisions[guardSpec.name] = decide(guardSpec, &state)
        }
        func runAction(_ guardSpec: GuardSpec) {
            guard decisions[guardSpec.name]?.allowed == true,
                case .response(let object)? = input.actions[guardSpec.name]
            else { return }
            for output in guardSpec.outputs {
                guard let raw = object[member: output.field] else { continue }
                assign(output.variable, Value(json: raw, type: output.type), source: "action:\(guardSpec.name)")
            }
        }
        for guardSpec in program.guards where guardSpec.beforeRule == nil { runAction(guardSpec) }
        var route: EvaluationResult.Route?
        var rulesTried: [(rule: String, matched: Bool)] = []
        for rule in program.routing {
            let matches = rule.when.map { evaluate($0, &state) == .boolean(true) } ?? true
            rulesTried.append((rule.name, matches))
            if matches {
                route = EvaluationResult.Route(
                    rule: rule.name, queue: rule.queue, priority: rule.priority, skills: rule.skills)
                for guardSpec in program.guards where guardSpec.beforeRule == rule.name { runAction(guardSpec) }
                break
            }
        }
        var result = EvaluationResult(
            variables: variables.enumerated().map { index, variable in
                EvaluationResult.Variable(
                    name: variable.name, type: variable.type, value: state.values[index], trusted: variable.trusted,
                    source: state.sources[index])
            },
            participantData: program.participantData.map { datum in
                (datum.key, variableIndex[datum.variable].flatMap { state.values[$0] }.map(Self.architectString))
            },
            route: route, guards: program.guards.compactMap { decisions[$0.name] }, warnings: state.warnings)
        result.rulesTried = rulesTried
        return result
    }

    static func attributeAccepts(_ attribute: AttributeSpec, _ text: String) -> Bool {
        if let values = attribute.enumValues, !values.contains(text) { return false }
        if let maxLength = attribute.maxLength, text.unicodeScalars.count > maxLength { return false }
        if let pattern = attribute.pattern, !PatternCache.shared.matches(pattern, text) { return false }
        return !text.isEmpty
    }

    private func decide(_ guardSpec: GuardSpec, _ state: inout State) -> EvaluationResult.GuardDecision {
        guard state.authenticated else {
            return EvaluationResult.GuardDecision(name: guardSpec.name, allowed: false, reason: "not_authenticated")
        }
        for input in guardSpec.inputs {
            let value = variableIndex[input.variable].flatMap { state.values[$0] }
            var present = value != nil
            if input.pickFirst, case .collection(let items)? = value { present = !items.isEmpty }
            guard present else {
                return EvaluationResult.GuardDecision(name: guardSpec.name, allowed: false, reason: "input_not_set")
            }
        }
        if let when = guardSpec.when, evaluate(when, &state) != .boolean(true) {
            return EvaluationResult.GuardDecision(name: guardSpec.name, allowed: false, reason: "condition_false")
        }
        return EvaluationResult.GuardDecision(name: guardSpec.name, allowed: true, reason: nil)
    }

    private func coerce(_ value: Value?, to type: ValueType) -> Value? {
        if case .integer(let i)? = value, type == .decimal { return .decimal(Decimal(i)) }
        return value
    }

    func evaluate(_ expr: TypedExpr, _ state: inout State) -> Value? {
        switch expr.kind {
        case .literal(let value): return value
        case .isAuthenticated: return .boolean(state.authenticated)
        case .variable(let name): return variableIndex[name].flatMap { state.values[$0] }
        case .not(let operand):
            guard case .boolean(let b)? = evaluate(operand, &state) else { return nil }
            return .boolean(!b)
        case .negate(let operand):
            switch evaluate(operand, &state) {
            case .integer(let i)?: return i == .min ? nil : .integer(-i)
            case .decimal(let d)?: return .decimal(-d)
            default: return nil
            }
        case .binary(let op, let lhs, let rhs):
            // `and`/`or` are emitted as If(...): the right side is only evaluated when it decides the result.
            if op == "and" || op == "or" {
                guard case .boolean(let left)? = evaluate(lhs, &state) else { return nil }
                if op == "and" && !left { return .boolean(false) }
                if op == "or" && left { return .boolean(true) }
                guard case .boolean(let right)? = evaluate(rhs, &state) else { return nil }
                return .boolean(right)
            }
            return ArchitectOperations.binary(op, evaluate(lhs, &state), evaluate(rhs, &state))
        case .call(let name, let arguments):
            switch name {
            case "If":
                guard case .boolean(let condition)? = evaluate(arguments[0], &state) else { return nil }
                return evaluate(arguments[condition ? 1 : 2], &state)
            default:
                return ArchitectOperations.call(name, arguments.map { evaluate($0, &state) })
            }
        }
    }

    /// The string Set Participant Data stores for a value (`ToString`).
    public static func architectString(_ value: Value) -> String {
        ArchitectOperations.toString(value)
    }
}
