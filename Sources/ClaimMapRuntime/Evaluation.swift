/// What a conversation brings besides its program: the verified claims (or none, for a guest), the custom
/// attributes the page sent, and what each data action returned.
public struct EvaluationInput: Sendable {
    public enum DataActionResult: Sendable, Hashable {
        /// The action succeeded with this JSON object (keyed by claim local names for enrichments, by output
        /// field for guarded actions).
        case response(JSONValue)
        /// The action failed or timed out: defaults apply.
        case fail
    }

    /// The verified token payload. A conversation is a guest's when this and `checkedClaims` are both nil.
    public var claims: JSONValue?
    /// Attribute values the page set, overriding `mirrors` (a tampered page is simulated this way).
    public var attributes: [String: String]
    /// Per enrichment; absent means "take the claim from the token when it carries it".
    public var enrichments: [String: DataActionResult]
    /// Per guarded action, used when the guard opens and the flow reaches the call.
    public var actions: [String: DataActionResult]
    /// Set by a caller that has already looked up every declared claim in `claims` and checked it against its
    /// contract, as replay does before evaluating: the value of each of the program's `claims`, in order (nil
    /// when absent). The evaluator then neither looks token claims up again nor re-checks them, and needs no
    /// `claims` (replay passes none: the payload stays bytes); data-action responses are always checked. It must
    /// hold one entry per declared claim (a precondition: another length is the caller's bug).
    public var checkedClaims: [JSONValue?]?

    public init(
        claims: JSONValue?, attributes: [String: String] = [:], enrichments: [String: DataActionResult] = [:],
        actions: [String: DataActionResult] = [:]
    ) {
        self.claims = claims
        self.attributes = attributes
        self.enrichments = enrichments
        self.actions = actions
    }
}

/// Everything one conversation gets: variables, participant data, the route and each guard's decision.
public struct EvaluationResult: Sendable, Hashable {
    public struct Variable: Sendable, Hashable {
        public var name: String
        public var type: ValueType
        /// nil is NOT_SET.
        public var value: Value?
        public var trusted: Bool
        /// `builtin:<claim>`, `enrichment:<name>`, `attribute:<name>`, `default`, `expr` or `action:<name>`.
        public var source: String
    }

    public struct Route: Sendable, Hashable {
        public var rule: String
        public var queue: String
        public var priority: Int?
        public var skills: [String]

        /// `{"rule":…,"queue":…,"priority":…,"skills":[…]}`.
        public func writeJSON(to out: inout ByteWriter) {
            out.append("{\"rule\":")
            out.appendQuoted(rule)
            out.append(",\"queue\":")
            out.appendQuoted(queue)
            out.append(",\"priority\":")
            if let priority { out.appendUTF8(String(priority)) } else { out.append("null") }
            out.append(",\"skills\":[")
            for (index, skill) in skills.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.appendQuoted(skill)
            }
            out.append("]}")
        }
    }

    public struct GuardDecision: Sendable, Hashable {
        public var name: String
        public var allowed: Bool
        /// nil when allowed; else `not_authenticated`, `input_not_set` or `condition_false`.
        public var reason: String?

        public init(name: String, allowed: Bool, reason: String?) {
            self.name = name
            self.allowed = allowed
            self.reason = reason
        }
    }

    public var variables: [Variable]
    /// Key → the string Architect writes, or nil when the variable is NOT_SET (the flow skips the key).
    public var participantData: [(key: String, value: String?)]
    public var route: Route?
    /// Each rule tried in order with whether its condition held, up to the one that matched.
    public var rulesTried: [(rule: String, matched: Bool)] = []
    public var guards: [GuardDecision]
    /// Data problems that did not reject the token, e.g. an enrichment value that broke its claim's contract.
    public var warnings: [String]
    /// Page values (or mirrored claims) an attribute's contract refused; each target kept what it had.
    public var refusedAttributes: [RefusedAttribute] = []

    /// An attribute value the flow's checks would refuse: which, why, and what each of its variables holds instead.
    public struct RefusedAttribute: Sendable, Hashable {
        public var attribute: String
        public var value: String
        /// `not one of its enum values ...`, `longer than its maxLength ...`, `does not match its pattern ...`, `empty`.
        public var reason: String
        /// `page` for a value the page sent, or `claim <name>` for a mirrored claim.
        public var origin: String
        /// Each target variable and the value it keeps (nil: NOT_SET).
        public var kept: [(variable: String, value: Value?)]

        public static func == (lhs: RefusedAttribute, rhs: RefusedAttribute) -> Bool {
            lhs.attribute == rhs.attribute && lhs.value == rhs.value && lhs.reason == rhs.reason
                && lhs.origin == rhs.origin && lhs.kept.map(\.variable) == rhs.kept.map(\.variable)
                && lhs.kept.map(\.value) == rhs.kept.map(\.value)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(attribute)
            hasher.combine(value)
        }
    }

    public static func == (lhs: EvaluationResult, rhs: EvaluationResult) -> Bool {
        lhs.variables == rhs.variables && lhs.route == rhs.route && lhs.guards == rhs.guards
            && lhs.warnings == rhs.warnings && lhs.refusedAttributes == rhs.refusedAttributes
            && lhs.participantData.map(\.key) == rhs.participantData.map(\.key)
            && lhs.participantData.map(\.value) == rhs.participantData.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(variables)
        hasher.combine(route)
        hasher.combine(guards)
    }

    public func variable(_ name: String) -> Variable? { variables.first { $0.name == name } }

    /// The result as one compact JSON object, as replay prints it after the token facts (the differential tests
    /// compare the generated evaluator's output with it).
    public func jsonText() -> String {
        var out = ByteWriter(capacity: 2048)
        out.append("{")
        writeJSONMembers(to: &out)
        out.append("}")
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Streams the result's four members — `"variables":…,"participantData":…,"route":…,"guards":…`, without
    /// the enclosing braces — in the compact JSON form (replay writes one such line per token, without building a
    /// `JSONValue` tree). `docs/schemas/replay-line.schema.json` documents the shape.
    public func writeJSONMembers(to out: inout ByteWriter) {
        // Elements are read in place through buffer pointers: iterating would copy (retain and release) each
        // struct's strings, which cost a fifth of the line.
        out.append("\"variables\":{")
        variables.withUnsafeBufferPointer { variables in
            for index in variables.indices {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.appendQuoted(variables[index].name)
                out.append(":{\"type\":")
                variables[index].type.writeQuotedName(to: &out)
                out.append(",\"value\":")
                if let value = variables[index].value {
                    value.writeJSON(to: &out)
                } else {
                    out.append("null")
                }
                out.append(
                    variables[index].trusted ? ",\"trusted\":true,\"source\":" : ",\"trusted\":false,\"source\":")
                out.appendQuoted(variables[index].source)
                out.append(UInt8(ascii: "}"))
            }
        }
        out.append("},\"participantData\":{")
        participantData.withUnsafeBufferPointer { data in
            for index in data.indices {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.appendQuoted(data[index].key)
                out.append(UInt8(ascii: ":"))
                if let value = data[index].value {
                    out.appendQuoted(value)
                } else {
                    out.append("null")
                }
            }
        }
        out.append("},\"route\":")
        if let route { route.writeJSON(to: &out) } else { out.append("null") }
        out.append(",\"guards\":{")
        guards.withUnsafeBufferPointer { guards in
            for index in guards.indices {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.appendQuoted(guards[index].name)
                out.append(
                    guards[index].allowed ? ":{\"allowed\":true,\"reason\":" : ":{\"allowed\":false,\"reason\":")
                if let reason = guards[index].reason {
                    out.appendQuoted(reason)
                } else {
                    out.append("null")
                }
                out.append(UInt8(ascii: "}"))
            }
        }
        out.append(UInt8(ascii: "}"))
    }
}

/// One conversation as the interpreter left it: each variable's value and source as slots, each guard's decision and
/// the chosen rule as indexes, nothing yet turned into names and strings. `result` names them (an
/// `EvaluationResult`); `writeJSONMembers` writes replay's line from the slots, with every name, type, source label,
/// key and route encoded once per program (`Interpreter.LineText`), so a token's line costs its values only.
public struct Evaluation: Sendable {
    /// A guard's decision.
    enum Decision: UInt8, Sendable {
        case allowed, notAuthenticated, inputNotSet, conditionFalse

        /// `GuardDecision.reason`.
        var reason: String? {
            switch self {
            case .allowed: nil
            case .notAuthenticated: "not_authenticated"
            case .inputNotSet: "input_not_set"
            case .conditionFalse: "condition_false"
            }
        }
    }

    let plan: Plan
    let slots: [Interpreter.Slot]
    /// One per guard, in the program's order.
    let decisions: [Decision]
    /// The index of the rule that matched; every rule before it was tried and did not.
    let route: Int?
    /// As `EvaluationResult.warnings`.
    public let warnings: [String]
    /// As `EvaluationResult.refusedAttributes`.
    public let refusedAttributes: [EvaluationResult.RefusedAttribute]

    init(
        plan: Plan, slots: [Interpreter.Slot], decisions: [Decision], route: Int?, warnings: [String],
        refusedAttributes: [EvaluationResult.RefusedAttribute]
    ) {
        self.plan = plan
        self.slots = slots
        self.decisions = decisions
        self.route = route
        self.warnings = warnings
        self.refusedAttributes = refusedAttributes
    }

    /// The conversation with its variables, keys, rules and guards named.
    public var result: EvaluationResult {
        var variables: [EvaluationResult.Variable] = []
        variables.reserveCapacity(plan.names.count)
        for slot in plan.names.indices {
            variables.append(
                EvaluationResult.Variable(
                    name: plan.names[slot], type: plan.types[slot], value: slots[slot].value,
                    trusted: plan.trusted[slot], source: plan.labels[slots[slot].source]))
        }
        let tried = route.map { $0 + 1 } ?? plan.rules.count
        return EvaluationResult(
            variables: variables,
            participantData: plan.participantData.map { datum in
                (datum.key, datum.slot.flatMap { slots[$0].value }.map(Interpreter.architectString))
            },
            route: route.map { plan.rules[$0].route },
            rulesTried: (0..<tried).map { (plan.rules[$0].route.rule, $0 == route) },
            guards: zip(plan.guards, decisions).map {
                EvaluationResult.GuardDecision(name: $0.name, allowed: $1 == .allowed, reason: $1.reason)
            },
            warnings: warnings, refusedAttributes: refusedAttributes)
    }

    /// Writes the same bytes as `result.writeJSONMembers(to:)` (a differential test holds them equal), from the slots.
    public func writeJSONMembers(to out: inout ByteWriter) {
        let text = plan.lineText
        text.bytes.withUnsafeBufferPointer { bytes in
            func put(_ range: Range<Int>) { out.append(UnsafeBufferPointer(rebasing: bytes[range])) }
            put(text.opening)
            slots.withUnsafeBufferPointer { slots in
                for index in slots.indices {
                    switch slots[index].value {
                    case .some(let value): value.writeJSON(to: &out)
                    case .none: out.append("null")
                    }
                    // The variable's tail and the next one's head, encoded together for each source it can report.
                    let source = slots[index].source
                    if let join = text.join(index, source) {
                        put(join)
                    } else {
                        // A source the plan did not list: the pieces one by one (the same bytes).
                        put(text.variableTails[2 * source + (plan.trusted[index] ? 1 : 0)])
                        if index + 1 < slots.count {
                            out.append(UInt8(ascii: ","))
                            put(text.variableHeads[index + 1])
                        }
                    }
                }
            }
            if text.dataKeys.isEmpty { out.append("},\"participantData\":{") }
            for index in text.dataKeys.indices {
                put(text.dataKeys[index])
                if let slot = plan.participantData[index].slot, let value = slots[slot].value {
                    out.appendQuoted(Interpreter.architectString(value))
                } else {
                    out.append("null")
                }
            }
            if let route { put(text.routes[route]) } else { out.append("},\"route\":null,\"guards\":{") }
            for index in decisions.indices {
                put(text.guardHeads[index])
                if let reason = decisions[index].reason {
                    out.append("false,\"reason\":")
                    out.appendQuoted(reason)
                    out.append(UInt8(ascii: "}"))
                } else {
                    out.append("true,\"reason\":null}")
                }
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
