import ClaimMapSyntax

/// A typed model of the Archy `inboundShortMessage` flow ClaimMap emits. Only shapes confirmed by Genesys-authored
/// flows (`Tests/Corpora/genesys/archy-vocabulary.json`) or named extrapolations of them (see `ArchyShapes`) exist
/// here.
struct ArchyFlow: Sendable {
    var name: String
    var division: String
    var defaultLanguage: String
    var variables: [ArchyVariable]
    /// The queue `settingsErrorHandling` transfers to (the default rule's).
    var errorQueue: String
    var states: [ArchyState]
    var tasks: [ArchyTask]
    /// The placeholders the names above use, with their defaults (`archy-options.yaml`).
    var substitutions: [ArchySubstitutions.Entry]
}

/// `initialValue`, an input, or an update statement's value.
enum ArchyValue: Sendable {
    case noValue
    case string(String)
    case number(String)
    case boolean(Bool)
    case expression(String)
}

struct ArchyVariable: Sendable {
    /// `stringVariable`, `decimalVariable`, ...
    var kind: String
    var name: String
    var initialValue: ArchyValue
}

struct ArchyState: Sendable {
    var name: String
    var refId: String
    var actions: [ArchyAction]
}

struct ArchyTask: Sendable {
    var name: String
    var refId: String
    var variables: [ArchyVariable]
    var actions: [ArchyAction]
}

struct ArchyUpdateStatement: Sendable {
    /// `string`, `decimal`, ...
    var kind: String
    var variable: String
    var value: ArchyValue
}

indirect enum ArchyAction: Sendable {
    case decision(name: String, condition: String, yes: [ArchyAction], no: [ArchyAction])
    case updateData(name: String, statements: [ArchyUpdateStatement])
    case callData(ArchyCallData)
    case getParticipantData(name: String, attributes: [(name: String, variable: String)])
    case setParticipantData(name: String, attributes: [(name: String, value: ArchyValue)])
    case switchFirstTrue(
        name: String, cases: [(condition: String, actions: [ArchyAction])], defaultActions: [ArchyAction])
    /// `queue` and `skills` are names or `{{placeholder}}` texts; skills are literals, so publish checks them.
    case transferToAcd(name: String, queue: String, priority: Int, skills: [String])
    case callTask(name: String, targetTaskRef: String)
    case endTask(name: String, outputPath: String)
    case disconnect(name: String)
}

struct ArchyCallData: Sendable {
    var name: String
    var category: String
    var action: String
    var timeout: DurationValue
    var inputs: [(name: String, value: ArchyValue)]
    /// Output field → variable.
    var successOutputs: [(field: String, variable: String)]
    var onSuccess: [ArchyAction]
    var onFailure: [ArchyAction]
    var onTimeout: [ArchyAction]
}

/// Names for Architect types in variable declarations and update statements. The confirmed ones appear in
/// Genesys-authored flows; the others are the regular extrapolation of the same naming pattern.
enum ArchyShapes {
    /// Variable and update-statement kinds `Tests/Corpora/genesys/archy-vocabulary.json` shows for some flow type.
    static let confirmedVariableKinds: Set<String> = [
        "stringVariable", "booleanVariable", "integerVariable", "decimalVariable", "dateTimeVariable",
        "durationVariable",
        "jsonVariable", "stringCollectionVariable", "integerCollectionVariable",
    ]
    static let confirmedStatementKinds: Set<String> = ["string", "boolean", "integer", "json", "dateTime"]

    /// UNCONFIRMED: `decimal`, `duration` and the other collection statement kinds, and the collection variable
    /// kinds beyond string/integer, follow the naming pattern of the confirmed ones.
    static func variableKind(_ typeName: String) -> String { lowerFirst(typeName) + "Variable" }
    static func statementKind(_ typeName: String) -> String { lowerFirst(typeName) }

    private static func lowerFirst(_ text: String) -> String {
        text == "JSON" ? "json" : text.prefix(1).lowercased() + text.dropFirst()
    }

    /// Every shape the emitters use that no Genesys-authored flow or export shows (per the vocabulary in
    /// `Tests/Corpora/genesys/`), as a regular extrapolation of one that does. UNCONFIRMED, each of them; the
    /// vocabulary test fails on any other unknown key path, and on any extrapolation not named here.
    static let extrapolations: [String: String] = [
        "variable kind":
            "declarations such as `decimalVariable` or `booleanCollectionVariable` follow the confirmed `stringVariable` naming",
        "update-statement kind":
            "statements such as `decimal:` or `stringCollection:` follow the confirmed `string:` naming",
        "value wrapper": "`lit`, `exp` and `noValue` are interchangeable wherever one of them is confirmed",
        "duration unit": "`timeout.lit.seconds` (and hours, days) follow the confirmed `timeout.lit.minutes`",
        "task variables":
            "task-scoped `variables:` are confirmed for inboundCall and inboundChat tasks, not yet inboundShortMessage",
        "skill literal":
            "`acdSkills.acdSkill.lit.name` follows the confirmed `targetQueue.lit.name`; Genesys-authored flows show only `acdSkill.exp`",
        "error handling queue":
            "`settingsErrorHandling.errorHandling.queue.targetQueue` is confirmed for inboundChat; message flows show only `disconnect` (errors go to the default rule's queue)",
        "input schema keyword":
            "`pattern`, `maxLength`, `minimum`, `maximum` in data-action input schemas are JSON Schema keywords Genesys exports do not show",
    ]

    /// The standard failure outputs of `callData`, each bound to nothing (as Genesys-authored flows write them).
    static let failureOutputs = [
        "errorCode", "status", "correlationId", "entityId", "entityName", "userMessage", "userParamsMessage",
        "userParams.key", "userParams.value", "details.errorCode", "details.fieldName", "details.entityId",
        "details.entityName",
    ]
}
