/// Lowers the typed flow model to a YAML tree in the exact key order Genesys-authored flows use.
extension ArchyFlow {
    func yaml() -> YAMLTree {
        let root: [(String, YAMLTree)] = [
            ("name", .string(name)),
            ("division", .string(division)),
            ("startUpRef", .string("/inboundShortMessage/states/state[\(states.first?.refId ?? "")]")),
            ("defaultLanguage", .string(defaultLanguage)),
            (
                "supportedLanguages",
                .map([(defaultLanguage, .map([("defaultLanguageSkill", .map([("noValue", .bool(true))]))]))])
            ),
            ("variables", .list(variables.map { $0.yaml(isFlowVariable: true) })),
            // UNCONFIRMED for inboundShortMessage: the `queue` error handling is the shape inboundChat flows use;
            // message flows in the corpus only show `disconnect`. Errors go to the default rule's queue
            // (docs/decisions.md).
            (
                "settingsErrorHandling",
                .map([
                    (
                        "errorHandling",
                        .map([
                            ("queue", .map([("targetQueue", .map([("lit", .map([("name", .string(errorQueue))]))]))]))
                        ])
                    )
                ])
            ),
            ("states", .list(states.map { $0.yaml() })),
        ]
        var entries = root
        if !tasks.isEmpty { entries.append(("tasks", .list(tasks.map { $0.yaml() }))) }
        return .map([("inboundShortMessage", .map(entries))])
    }
}

extension ArchyValue {
    var yaml: YAMLTree {
        switch self {
        case .noValue: .map([("noValue", .bool(true))])
        case .string(let s): .map([("lit", .string(s))])
        case .number(let n): .map([("lit", .number(n))])
        case .boolean(let b): .map([("lit", .bool(b))])
        case .expression(let e): .map([("exp", .string(e))])
        }
    }
}

extension ArchyVariable {
    func yaml(isFlowVariable: Bool) -> YAMLTree {
        var body: [(String, YAMLTree)] = [("name", .string(name)), ("initialValue", initialValue.yaml)]
        if isFlowVariable { body.append(("isOutput", .bool(false))) }
        return .map([(kind, .map(body))])
    }
}

extension ArchyState {
    func yaml() -> YAMLTree {
        .map([
            (
                "state",
                .map([
                    ("name", .string(name)), ("refId", .string(refId)), ("actions", .list(actions.map { $0.yaml() })),
                ])
            )
        ])
    }
}

extension ArchyTask {
    func yaml() -> YAMLTree {
        var body: [(String, YAMLTree)] = [("name", .string(name)), ("refId", .string(refId))]
        if !variables.isEmpty { body.append(("variables", .list(variables.map { $0.yaml(isFlowVariable: false) }))) }
        body.append(("actions", .list(actions.map { $0.yaml() })))
        return .map([("task", .map(body))])
    }
}

extension ArchyAction {
    private static func branch(_ actions: [ArchyAction]) -> YAMLTree {
        .map([("actions", .list(actions.map { $0.yaml() }))])
    }

    /// `getParticipantData` or `setParticipantData` (`action`): each attribute by its literal name, with the entry
    /// that binds it (`variable` to read into, or `value` to write).
    private static func participantData(
        _ action: String, _ name: String, _ attributes: [(name: String, binding: (String, YAMLTree))]
    ) -> YAMLTree {
        let list: [YAMLTree] = attributes.map { attribute in
            .map([("attribute", .map([("name", ArchyValue.string(attribute.name).yaml), attribute.binding]))])
        }
        return .map([(action, .map([("name", .string(name)), ("attributes", .list(list))]))])
    }

    func yaml() -> YAMLTree {
        switch self {
        case .decision(let name, let condition, let yes, let no):
            var outputs: [(String, YAMLTree)] = []
            if !yes.isEmpty { outputs.append(("yes", Self.branch(yes))) }
            if !no.isEmpty { outputs.append(("no", Self.branch(no))) }
            return .map([
                (
                    "decision",
                    .map([
                        ("name", .string(name)), ("condition", .map([("exp", .string(condition))])),
                        ("outputs", .map(outputs)),
                    ])
                )
            ])
        case .updateData(let name, let statements):
            return .map([
                (
                    "updateData",
                    .map([
                        ("name", .string(name)),
                        (
                            "statements",
                            .list(
                                statements.map { s in
                                    .map([(s.kind, .map([("variable", .string(s.variable)), ("value", s.value.yaml)]))])
                                })
                        ),
                    ])
                )
            ])
        case .callData(let call):
            return call.yaml()
        case .getParticipantData(let name, let attributes):
            return Self.participantData(
                "getParticipantData", name, attributes.map { ($0.name, ("variable", .string($0.variable))) })
        case .setParticipantData(let name, let attributes):
            return Self.participantData(
                "setParticipantData", name, attributes.map { ($0.name, ("value", $0.value.yaml)) })
        case .switchFirstTrue(let name, let cases, let defaultActions):
            let caseList: [YAMLTree] = cases.map { c in
                .map([
                    (
                        "case",
                        .map([
                            ("value", .map([("exp", .string(c.condition))])),
                            ("actions", .list(c.actions.map { $0.yaml() })),
                        ])
                    )
                ])
            }
            return .map([
                (
                    "switch",
                    .map([
                        ("name", .string(name)),
                        (
                            "evaluate",
                            .map([
                                (
                                    "firstTrue",
                                    .map([("default", Self.branch(defaultActions)), ("cases", .list(caseList))])
                                )
                            ])
                        ),
                    ])
                )
            ])
        case .transferToAcd(let name, let queue, let priority, let skills):
            let skillTree: YAMLTree =
                skills.isEmpty
                ? .map([("noValue", .bool(true))])
                : .list(
                    skills.map {
                        // A literal, not `FindSkill("…")`: publish then checks the skill exists. UNCONFIRMED shape:
                        // Genesys-authored flows show `acdSkill.exp`; `lit.name` is the `targetQueue` form.
                        .map([("acdSkill", .map([("lit", .map([("name", .string($0))]))]))])
                    })
            return .map([
                (
                    "transferToAcd",
                    .map([
                        ("name", .string(name)),
                        ("targetQueue", .map([("lit", .map([("name", .string(queue))]))])),
                        ("acdSkills", skillTree),
                        ("priority", .map([("lit", .number(String(priority)))])),
                        ("languageSkill", .map([("noValue", .bool(true))])),
                        ("directAgent", .map([("noValue", .bool(true))])),
                    ])
                )
            ])
        case .callTask(let name, let ref):
            return .map([("callTask", .map([("name", .string(name)), ("targetTaskRef", .string(ref))]))])
        case .endTask(let name, let path):
            return .map([("endTask", .map([("name", .string(name)), ("outputPath", .map([("name", .string(path))]))]))])
        case .disconnect(let name):
            return .map([("disconnect", .map([("name", .string(name))]))])
        }
    }
}

extension ArchyCallData {
    func yaml() -> YAMLTree {
        // Genesys-authored flows show `timeout.lit.minutes`; other units are the regular extrapolation (UNCONFIRMED).
        let unit: String =
            switch timeout.unit {
            case .seconds: "seconds"
            case .minutes: "minutes"
            case .hours: "hours"
            case .days: "days"
            }
        var body: [(String, YAMLTree)] = [
            ("name", .string(name)),
            ("timeout", .map([("lit", .map([(unit, .number(String(timeout.amount)))]))])),
            (
                "category",
                .map([
                    (
                        category,
                        .map([
                            (
                                "dataAction",
                                .map([
                                    (
                                        action,
                                        .map([
                                            ("inputs", .map(inputs.map { ($0.name, $0.value.yaml) })),
                                            (
                                                "successOutputs",
                                                .map(
                                                    successOutputs.map {
                                                        ($0.field, .map([("var", .string($0.variable))]))
                                                    })
                                            ),
                                            (
                                                "failureOutputs",
                                                .map(
                                                    ArchyShapes.failureOutputs.map {
                                                        ($0, .map([("noValue", .bool(true))]))
                                                    })
                                            ),
                                        ])
                                    )
                                ])
                            )
                        ])
                    )
                ])
            ),
        ]
        var outputs: [(String, YAMLTree)] = []
        for (label, actions) in [("success", onSuccess), ("failure", onFailure), ("timeout", onTimeout)]
        where !actions.isEmpty {
            outputs.append((label, .map([("actions", .list(actions.map { $0.yaml() }))])))
        }
        if !outputs.isEmpty { body.append(("outputs", .map(outputs))) }
        return .map([("callData", .map(body))])
    }
}
