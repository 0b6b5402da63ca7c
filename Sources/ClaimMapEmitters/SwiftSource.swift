import ClaimMapDiagnostics
import ClaimMapRuntime

/// A Swift expression as the evaluator emitter writes it. Only `.string` carries text from a spec, and the renderer
/// writes it through `SwiftSource.literal`; every other name (types, labels, enum cases) comes from this code.
indirect enum SwiftExpression: Sendable {
    struct Argument: Sendable {
        var label: String?
        var value: SwiftExpression
    }

    case string(String)
    case integer(Int64)
    case boolean(Bool)
    case none
    /// `.name`: an enum case or static member, its type given by the context.
    case member(String)
    /// `name`: a constant this emitter declared.
    case reference(String)
    /// `callee(label: value, …)`; `callee` is a type, a static function or `.case`.
    case call(String, [Argument])
    case array([SwiftExpression])
    /// `(a, b)`.
    case tuple([SwiftExpression])

    static func call(_ callee: String, _ arguments: (String?, SwiftExpression)...) -> SwiftExpression {
        .call(callee, arguments.map { Argument(label: $0.0, value: $0.1) })
    }

    static func optional(_ text: String?) -> SwiftExpression { text.map(SwiftExpression.string) ?? .none }
    static func optional(_ value: Int?) -> SwiftExpression { value.map { .integer(Int64($0)) } ?? .none }
    static func strings(_ texts: [String]) -> SwiftExpression { .array(texts.map(SwiftExpression.string)) }

    /// An enum case, escaped when its name is a keyword (`.if`).
    static func enumCase<Case: RawRepresentable>(_ value: Case) -> SwiftExpression {
        let name = String(describing: value)
        return .member(SwiftSource.keywords.contains(name) ? "`\(name)`" : name)
    }
}

/// A declaration of the generated file.
enum SwiftDeclaration: Sendable {
    /// `/// …` lines, then `static let name: Type = value` (public when `isPublic`).
    case constant(documentation: [String], isPublic: Bool, name: String, type: String, value: SwiftExpression)
    /// `/// …` lines, then a function whose body is the given lines (code of this emitter, not of the spec).
    case function(documentation: [String], signature: String, body: [String])
}

/// The printer of `SwiftExpression` and `SwiftDeclaration`: four spaces per level, an expression on one line when
/// it fits in `width` columns, else its arguments or elements one per line.
struct SwiftSource {
    private(set) var lines: [String] = []
    static let width = 110
    static let keywords: Set<String> = [
        "if", "else", "default", "case", "switch", "for", "in", "return", "true", "false",
    ]

    mutating func line(_ text: String = "", level: Int = 0) {
        lines.append(text.isEmpty ? "" : String(repeating: "    ", count: level) + text)
    }

    mutating func declaration(_ declaration: SwiftDeclaration, level: Int) {
        switch declaration {
        case .constant(let documentation, let isPublic, let name, let type, let value):
            for text in documentation { line("/// " + text, level: level) }
            expression(
                value, prefix: "\(isPublic ? "public " : "")static let \(name): \(type) = ", suffix: "", level: level)
        case .function(let documentation, let signature, let body):
            for text in documentation { line("/// " + text, level: level) }
            line(signature + " {", level: level)
            for text in body { line(text, level: level + 1) }
            line("}", level: level)
        }
    }

    /// Writes `prefix` + the expression + `suffix`, breaking it over lines when it does not fit.
    mutating func expression(_ e: SwiftExpression, prefix: String, suffix: String, level: Int) {
        if let flat = Self.flat(e, within: Self.width - level * 4 - prefix.count - suffix.count) {
            line(prefix + flat + suffix, level: level)
            return
        }
        switch e {
        case .call(let callee, let arguments) where !arguments.isEmpty:
            line(prefix + callee + "(", level: level)
            for (index, argument) in arguments.enumerated() {
                let label = argument.label.map { $0 + ": " } ?? ""
                expression(
                    argument.value, prefix: label, suffix: index == arguments.count - 1 ? "" : ",", level: level + 1)
            }
            line(")" + suffix, level: level)
        case .array(let items) where !items.isEmpty:
            line(prefix + "[", level: level)
            for item in items { expression(item, prefix: "", suffix: ",", level: level + 1) }
            line("]" + suffix, level: level)
        case .tuple(let items) where !items.isEmpty:
            line(prefix + "(", level: level)
            for (index, item) in items.enumerated() {
                expression(item, prefix: "", suffix: index == items.count - 1 ? "" : ",", level: level + 1)
            }
            line(")" + suffix, level: level)
        default:
            // A long string literal stays on one line: breaking it would change its value.
            line(prefix + Self.leaf(e) + suffix, level: level)
        }
    }

    /// The expression on one line, or nil as soon as it is longer than `budget` characters (so a large array is
    /// never written out whole only to be broken over lines).
    static func flat(_ e: SwiftExpression, within budget: Int) -> String? {
        var out = ""
        return write(e, into: &out, budget: budget) ? out : nil
    }

    private static func write(_ e: SwiftExpression, into out: inout String, budget: Int) -> Bool {
        func list(_ open: String, _ items: [(label: String?, value: SwiftExpression)], _ close: String) -> Bool {
            out += open
            for (index, item) in items.enumerated() {
                if index > 0 { out += ", " }
                if let label = item.label { out += label + ": " }
                guard write(item.value, into: &out, budget: budget) else { return false }
            }
            out += close
            return true
        }
        let written: Bool
        switch e {
        case .call(let callee, let arguments): written = list(callee + "(", arguments.map { ($0.label, $0.value) }, ")")
        case .array(let items): written = list("[", items.map { (nil, $0) }, "]")
        case .tuple(let items): written = list("(", items.map { (nil, $0) }, ")")
        default:
            out += leaf(e)
            written = true
        }
        // `out` never grows far past the budget: the check stops the walk at the first piece that overflows.
        return written && out.count <= budget
    }

    /// A leaf on one line: a literal, `nil`, `.member` or a reference.
    static func leaf(_ e: SwiftExpression) -> String {
        switch e {
        case .string(let text): literal(text)
        case .integer(let value): String(value)
        case .boolean(let value): value ? "true" : "false"
        case .none: "nil"
        case .member(let name): "." + name
        case .reference(let name): name
        case .call, .array, .tuple: flat(e, within: .max) ?? ""
        }
    }

    func rendered() -> String { lines.joined(separator: "\n") + "\n" }

    /// A Swift string literal for any text (escapes, no interpolation); invisible scalars as `\u{…}`.
    static func literal(_ text: String) -> String {
        QuotedText.doubleQuoted(text, invisible: { "\\u{\(String($0.value, radix: 16))}" })
    }
}
