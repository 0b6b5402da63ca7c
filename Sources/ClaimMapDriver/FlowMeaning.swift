import ClaimMapDiagnostics
import ClaimMapRuntime
import ClaimMapSyntax
import Foundation

/// An Archy flow read for its meaning (docs/decisions.md, Drift against the deployed flow): what `archy export`
/// writes and what `compile` writes come out equal when they mean the same.
///
/// Layout is dropped: key order, comments, an action's `name:` (its label in Architect), `refId`s and the names of
/// states and tasks (references to them are replaced by their content), and where a variable is declared.
/// Expressions are compared after `FlowExpression.normalized`. A list of actions or cases keeps its order.
indirect enum FlowValue {
    /// A YAML scalar; `line` is where it is in its file.
    case scalar(String, line: Int)
    /// An `exp:` value: its normalised form, and the text as written.
    case expression(String, text: String, line: Int)
    /// A mapping without its layout keys. `label` is the action's `name:` when the mapping is an action's body.
    case map([(key: String, value: FlowValue)], label: String?, line: Int)
    case list([FlowValue], line: Int)

    var line: Int {
        switch self {
        case .scalar(_, let line), .expression(_, _, let line), .map(_, _, let line), .list(_, let line): line
        }
    }

    /// A short rendering for a report (scalars and expressions as written; structures summarised).
    var shown: String {
        switch self {
        case .scalar(let text, _): JSONValue.quoted(text)
        case .expression(_, let text, _): text
        case .map(let entries, let label, _):
            if entries.count == 1, let only = entries.first, case .map = only.value {
                label.map { "\(only.key) \(JSONValue.quoted($0))" } ?? only.key
            } else if entries.count == 1, let only = entries.first {
                "\(only.key): \(only.value.shown)"
            } else {
                "{" + entries.map(\.key).joined(separator: ", ") + "}"
            }
        case .list(let items, _): "\(items.count) item\(items.count == 1 ? "" : "s")"
        }
    }

    /// Flags whose absence means `false` in Archy's flow format.
    static let falseByDefault: Set<String> = ["isInput", "isOutput"]

    /// A value Archy writes for "nothing here" under `key`, which compares equal to the key being absent: `noValue:
    /// true` (alone, or as every output of a map), an empty list, and `false` for the flags in `falseByDefault`. A
    /// literal `false`, `0` or `""` elsewhere is a value (a Boolean variable initialised to false is not NOT_SET).
    func isNothing(under key: String) -> Bool {
        switch self {
        case .scalar(let text, _): return Self.falseByDefault.contains(key) && text == "false"
        case .expression: return false
        case .map(let entries, _, _):
            return entries.allSatisfy { entry in
                entry.key == "noValue" ? entry.value.isTrue : entry.value.isNothing(under: entry.key)
            }
        case .list(let items, _): return items.isEmpty
        }
    }

    var isTrue: Bool { if case .scalar("true", _) = self { true } else { false } }

    /// A hash of the value's meaning (labels, lines and nothing-valued keys aside; a map's key order ignored): values
    /// that mean the same have the same fingerprint. List alignment compares fingerprints, computed once per item,
    /// and compares the matched pairs in full, so a collision can hide no difference.
    var fingerprint: Int {
        var hasher = Hasher()
        combine(into: &hasher)
        return hasher.finalize()
    }

    private func combine(into hasher: inout Hasher) {
        switch self {
        case .scalar(let text, _):
            hasher.combine(0)
            hasher.combine(Array(text.utf8))
        case .expression(let normalized, _, _):
            hasher.combine(1)
            hasher.combine(Array(normalized.utf8))
        case .list(let items, _):
            hasher.combine(2)
            hasher.combine(items.count)
            for item in items { item.combine(into: &hasher) }
        case .map(let entries, _, _):
            hasher.combine(3)
            let kept = entries.filter { !$0.value.isNothing(under: $0.key) }
                .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            hasher.combine(kept.count)
            for entry in kept {
                hasher.combine(Array(entry.key.utf8))
                entry.value.combine(into: &hasher)
            }
        }
    }
}

/// Reads an Archy flow document into a `FlowValue` tree by meaning.
///
/// States, tasks, menus and any other top-level list of definitions with a `refId` are not read where they stand:
/// every `…Ref` key that points at one (`startUpRef`, `targetTaskRef`, absolute `/inboundShortMessage/tasks/task[Id]`
/// or relative `./tasks/task[Id]`) is replaced by the definition's content, under the key without `Ref`. So renaming
/// a task or its `refId` is not a difference; what it does is.
struct FlowReader {
    var substitutions: [String: String] = [:]
    /// Each definition by the references that reach it, absolute and relative.
    private var definitions: [String: YAMLNode] = [:]
    private var inlining: [String] = []
    private var inlined = 0
    /// Set when the flow calls tasks more often than `maxInlined`: it is not compared.
    private(set) var overBudget = false
    static let maxInlined = 10_000
    private(set) var problems: [String] = []

    init(substitutions: [String: String] = [:]) {
        self.substitutions = substitutions
    }

    /// The flow's meaning: its settings and variables, and from its start-up reference on, everything it runs.
    mutating func read(_ root: YAMLNode) -> FlowValue? {
        guard case .mapping(let top) = root, top.entries.count == 1, let flow = top.entries.first,
            case .mapping(let body) = flow.value
        else {
            problems.append("not an Archy flow: the document must be one mapping such as `inboundShortMessage: …`")
            return nil
        }
        var definitionLists = Set<String>()
        for entry in body.entries {
            guard case .sequence(let items) = entry.value else { continue }
            var found = false
            for item in items.items {
                guard case .mapping(let wrapper) = item, wrapper.entries.count == 1, let inner = wrapper.entries.first,
                    case .mapping(let definition) = inner.value,
                    let refId = definition.entries.first(where: { $0.key.text == "refId" })?.value.scalarText
                else { continue }
                found = true
                let path = "\(entry.key.text)/\(inner.key.text)[\(refId)]"
                definitions["/\(flow.key.text)/\(path)"] = inner.value
                definitions["./\(path)"] = inner.value
            }
            if found { definitionLists.insert(entry.key.text) }
        }
        var entries: [(key: String, value: FlowValue)] = []
        for entry in body.entries where !definitionLists.contains(entry.key.text) {
            if let member = member(entry.key, entry.value, inAction: false) { entries.append(member) }
        }
        return .map(entries, label: flow.key.text, line: top.start.line)
    }

    private func substituted(_ text: String) -> String {
        guard !substitutions.isEmpty, text.contains("{{") else { return text }
        var out = text
        for (name, value) in substitutions { out = out.replacingOccurrences(of: "{{\(name)}}", with: value) }
        return out
    }

    private mutating func inline(_ reference: String, line: Int) -> FlowValue {
        guard let target = definitions[reference] else {
            problems.append("line \(line): `\(reference)` names nothing the flow defines")
            return .scalar("unresolved \(reference)", line: line)
        }
        guard !inlining.contains(reference), inlining.count < 32 else {
            return .scalar("recursive \(reference)", line: line)
        }
        // Each call inlines its task: a chain of tasks each calling the next twice would double at every step.
        inlined += 1
        guard inlined <= Self.maxInlined else {
            if !overBudget { problems.append("more than \(Self.maxInlined) task calls to follow; not compared") }
            overBudget = true
            return .scalar("too many task calls", line: line)
        }
        inlining.append(reference)
        defer { inlining.removeLast() }
        // A state's or task's `name:` is layout, as an action's is.
        return value(target, key: nil, inAction: true)
    }

    private mutating func value(_ node: YAMLNode, key: String?, inAction: Bool) -> FlowValue {
        switch node {
        case .scalar(let scalar):
            let text = substituted(scalar.text)
            if key == "exp" {
                return .expression(FlowExpression.read(text).normalized, text: text, line: scalar.start.line)
            }
            return .scalar(text, line: scalar.start.line)
        case .sequence(let sequence):
            if key == "variables" { return variables(sequence) }
            // Each item of `actions:` is `- <kind>: {body}`: the body is an action's, its `name:` a label.
            let actions = key == "actions"
            return .list(
                sequence.items.map { item in
                    guard actions, case .mapping(let wrapper) = item, wrapper.entries.count == 1,
                        let only = wrapper.entries.first
                    else { return value(item, key: nil, inAction: false) }
                    return .map(
                        [(only.key.text, value(only.value, key: only.key.text, inAction: true))], label: nil,
                        line: wrapper.start.line)
                }, line: sequence.start.line)
        case .mapping(let mapping):
            // `exp: "\"gold\""` (expression mode) and `lit: gold` (literal mode) say the same in Architect.
            if mapping.entries.count == 1, let only = mapping.entries.first, only.key.text == "exp",
                case .scalar(let scalar) = only.value
            {
                let text = substituted(scalar.text)
                let read = FlowExpression.read(text)
                let line = scalar.start.line
                let value: (String, FlowValue) =
                    read.literal.map { ("lit", .scalar($0, line: line)) }
                    ?? ("exp", .expression(read.normalized, text: text, line: line))
                return .map([value], label: nil, line: mapping.start.line)
            }
            var entries: [(key: String, value: FlowValue)] = []
            var label: String?
            for entry in mapping.entries {
                if inAction && entry.key.text == "name" {
                    label = entry.value.scalarText
                    continue
                }
                if let member = member(entry.key, entry.value, inAction: inAction) { entries.append(member) }
            }
            return .map(entries, label: label, line: mapping.start.line)
        }
    }

    /// One key of a mapping by meaning: nil for a `refId`; a reference replaced by what it points at; otherwise the
    /// value read. A placeholder may name a key too (a data action's category).
    private mutating func member(_ key: YAMLScalar, _ node: YAMLNode, inAction: Bool) -> (String, FlowValue)? {
        let name = substituted(key.text)
        if name == "refId" { return nil }
        if name.hasSuffix("Ref"), let reference = node.scalarText.map(substituted),
            reference.hasPrefix("/") || reference.hasPrefix("./")
        {
            return (String(name.dropLast(3)), inline(reference, line: key.start.line))
        }
        return (name, value(node, key: name, inAction: false))
    }

    /// `variables:` as a mapping from each variable's name to its type and settings (their order is layout).
    private mutating func variables(_ sequence: YAMLSequence) -> FlowValue {
        var entries: [(key: String, value: FlowValue)] = []
        for item in sequence.items {
            guard case .mapping(let wrapper) = item, let only = wrapper.entries.first,
                case .mapping(let declaration) = only.value
            else {
                entries.append(("?", value(item, key: nil, inAction: false)))
                continue
            }
            let name = declaration.entries.first { $0.key.text == "name" }?.value.scalarText ?? "?"
            var settings: [(key: String, value: FlowValue)] = [
                ("type", .scalar(only.key.text, line: wrapper.start.line))
            ]
            for entry in declaration.entries where entry.key.text != "name" {
                settings.append((entry.key.text, value(entry.value, key: entry.key.text, inAction: false)))
            }
            entries.append((name, .map(settings, label: nil, line: declaration.start.line)))
        }
        return .map(entries, label: nil, line: sequence.start.line)
    }
}

extension YAMLNode {
    var scalarText: String? { if case .scalar(let scalar) = self { scalar.text } else { nil } }
}

/// Architect expressions compared by meaning: parsed, then printed canonically — whitespace and redundant
/// parentheses gone, `and`/`or` chains flattened, and the guard chains the emitter writes,
/// `If(a, If(b, c, false), false)`, read as `a and b and c`. Text that does not parse is compared with its
/// whitespace collapsed.
enum FlowExpression {
    /// The expression's canonical form, and its value when it is one literal (a string's text, a number's digits,
    /// `true`/`false`), from one parse.
    static func read(_ text: String) -> (normalized: String, literal: String?) {
        let scalars = Array(text.unicodeScalars)
        let locations = (0...scalars.count).map { SourceLocation(line: 1, column: $0 + 1) }
        var parser = ExpressionParser(text: text, locations: locations)
        guard let expression = parser.parse() else {
            return ("text:" + text.split(whereSeparator: \.isWhitespace).joined(separator: " "), nil)
        }
        let literal: String? =
            switch expression.unparenthesized.kind {
            case .string(let value), .integer(let value), .decimal(let value): value
            case .boolean(let value): value ? "true" : "false"
            default: nil
            }
        return (render(expression), literal)
    }

    static func normalized(_ text: String) -> String { read(text).normalized }

    /// The operands of a conjunction, with `If(c, x, false)` read as `c and x`.
    private static func conjuncts(_ e: SpecExpression) -> [SpecExpression] {
        let e = e.unparenthesized
        switch e.kind {
        case .binary(.and, let lhs, let rhs): return conjuncts(lhs) + conjuncts(rhs)
        case .call(let function, _, let arguments)
        where function.lowercased() == "if" && arguments.count == 3 && isFalse(arguments[2]):
            return conjuncts(arguments[0]) + conjuncts(arguments[1])
        default: return [e]
        }
    }

    private static func disjuncts(_ e: SpecExpression) -> [SpecExpression] {
        let e = e.unparenthesized
        if case .binary(.or, let lhs, let rhs) = e.kind { return disjuncts(lhs) + disjuncts(rhs) }
        return [e]
    }

    private static func isFalse(_ e: SpecExpression) -> Bool {
        if case .boolean(false) = e.unparenthesized.kind { return true }
        return false
    }

    static func render(_ e: SpecExpression) -> String {
        let e = e.unparenthesized
        let and = conjuncts(e)
        if and.count > 1 { return "and(" + and.map(render).joined(separator: ", ") + ")" }
        let or = disjuncts(e)
        if or.count > 1 { return "or(" + or.map(render).joined(separator: ", ") + ")" }
        switch e.kind {
        case .string(let text): return JSONValue.quoted(text)
        case .integer(let text), .decimal(let text): return text
        case .boolean(let value): return value ? "true" : "false"
        case .name(let name): return name
        case .call(let function, _, let arguments):
            return function + "(" + arguments.map(render).joined(separator: ", ") + ")"
        case .unary(let op, let operand): return (op == .not ? "not" : "negate") + "(" + render(operand) + ")"
        case .binary(let op, let lhs, let rhs): return op.rawValue + "(" + render(lhs) + ", " + render(rhs) + ")"
        case .parenthesized(let inner): return render(inner)
        }
    }
}
