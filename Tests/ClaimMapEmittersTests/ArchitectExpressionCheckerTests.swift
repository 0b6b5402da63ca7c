import ClaimMapRuntime
import ClaimMapTestSupport
import Foundation
import Testing

@testable import ClaimMapEmitters
@testable import ClaimMapSyntax

/// A checker of the Architect expressions in emitted flows: every function is one Architect has, and each argument
/// is of the kind (scalar or collection) the function takes, per `Tests/Corpora/genesys/architect-functions.json`
/// (Genesys's help pages and the Genesys-authored flows). Operators take scalars. So `IsSet(Flow.Accounts)` on a
/// collection, which Architect can never see as NOT_SET, fails here before it reaches a publish.
struct ArchitectExpressionChecker {
    enum Kind: String { case scalar, collection, any }

    struct Function {
        var overloads: [[Kind]]
        var variadic: Bool
        var returnsCollection: Bool
    }

    var functions: [String: Function]

    static func load() throws -> ArchitectExpressionChecker {
        let data = try Data(contentsOf: Corpora.directory("genesys/architect-functions.json"))
        let json = try StrictJSONReader(maxDepth: 64).parse([UInt8](data))
        guard case .object(let members)? = json[member: "functions"] else {
            throw FixtureError(message: "no functions")
        }
        var table: [String: Function] = [:]
        func kinds(_ value: JSONValue) -> [Kind] {
            guard case .array(let items) = value else { return [] }
            return items.compactMap { if case .string(let s) = $0 { Kind(rawValue: s) } else { nil } }
        }
        for (name, entry) in members {
            var overloads: [[Kind]] = []
            if let parameters = entry[member: "parameters"] { overloads.append(kinds(parameters)) }
            if case .array(let list)? = entry[member: "overloads"] { overloads += list.map(kinds) }
            var returns = ""
            if case .string(let r)? = entry[member: "returns"] { returns = r }
            table[name] = Function(
                overloads: overloads, variadic: entry[member: "variadic"] == .bool(true),
                returnsCollection: returns.lowercased().contains("collection"))
        }
        return ArchitectExpressionChecker(functions: table)
    }

    // MARK: Parsing

    indirect enum Node {
        case name(String)
        case literal
        case call(String, [Node])
        case unary(String, Node)
        case binary(String, Node, Node)
    }

    enum Token: Equatable {
        case name(String), string, number, op(String), open, close, comma
    }

    static func tokens(_ text: String) throws -> [Token] {
        var out: [Token] = []
        let chars = Array(text.unicodeScalars)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " {
                i += 1
            } else if c == "\"" {
                i += 1
                while i < chars.count && chars[i] != "\"" { i += chars[i] == "\\" ? 2 : 1 }
                guard i < chars.count else { throw FixtureError(message: "unterminated string in \(text)") }
                i += 1
                out.append(.string)
            } else if c.properties.isAlphabetic || c == "_" {
                var name = ""
                while i < chars.count,
                    chars[i].properties.isAlphabetic || ("0"..."9").contains(chars[i]) || chars[i] == "_"
                        || chars[i] == "."
                {
                    name.unicodeScalars.append(chars[i])
                    i += 1
                }
                out.append(["and", "or", "not"].contains(name) ? .op(name) : .name(name))
            } else if ("0"..."9").contains(c) {
                while i < chars.count, ("0"..."9").contains(chars[i]) || chars[i] == "." { i += 1 }
                out.append(.number)
            } else if c == "(" {
                out.append(.open)
                i += 1
            } else if c == ")" {
                out.append(.close)
                i += 1
            } else if c == "," {
                out.append(.comma)
                i += 1
            } else {
                let two = i + 1 < chars.count ? String(String.UnicodeScalarView([c, chars[i + 1]])) : ""
                if ["==", "!=", "<=", ">=", "<>"].contains(two) {
                    out.append(.op(two))
                    i += 2
                } else if "+-*/<>!".unicodeScalars.contains(c) {
                    out.append(.op(String(c)))
                    i += 1
                } else {
                    throw FixtureError(message: "unexpected `\(c)` in \(text)")
                }
            }
        }
        return out
    }

    struct Parser {
        var tokens: [Token]
        var at = 0
        static let precedence: [String: Int] = [
            "or": 1, "and": 2, "==": 3, "!=": 3, "<>": 3, "<": 3, "<=": 3, ">": 3, ">=": 3, "+": 4, "-": 4, "*": 5,
            "/": 5,
        ]

        mutating func expression(_ minimum: Int = 1) throws -> Node {
            var left = try unary()
            while at < tokens.count, case .op(let op) = tokens[at], let p = Self.precedence[op], p >= minimum {
                at += 1
                left = .binary(op, left, try expression(p + 1))
            }
            return left
        }

        mutating func unary() throws -> Node {
            guard at < tokens.count else { throw FixtureError(message: "expression ends early") }
            let token = tokens[at]
            at += 1
            switch token {
            case .op(let op) where ["!", "-", "not"].contains(op): return .unary(op, try unary())
            case .string, .number: return .literal
            case .open:
                let inner = try expression()
                guard at < tokens.count, tokens[at] == .close else { throw FixtureError(message: "missing )") }
                at += 1
                return inner
            case .name(let name):
                guard at < tokens.count, tokens[at] == .open else {
                    return ["true", "false"].contains(name.lowercased()) ? .literal : .name(name)
                }
                at += 1
                var arguments: [Node] = []
                if at < tokens.count, tokens[at] == .close {
                    at += 1
                    return .call(name, arguments)
                }
                while true {
                    arguments.append(try expression())
                    guard at < tokens.count else { throw FixtureError(message: "missing ) after \(name)(") }
                    if tokens[at] == .comma {
                        at += 1
                        continue
                    }
                    guard tokens[at] == .close else { throw FixtureError(message: "expected , or ) in \(name)(") }
                    at += 1
                    return .call(name, arguments)
                }
            default: throw FixtureError(message: "unexpected token \(token)")
            }
        }
    }

    // MARK: Checking

    /// The problems of one expression, given the collection-typed variables in scope.
    func problems(_ text: String, collections: Set<String>) -> [String] {
        var problems: [String] = []
        do {
            var parser = Parser(tokens: try Self.tokens(text))
            let root = try parser.expression()
            guard parser.at == parser.tokens.count else { return ["trailing text in `\(text)`"] }
            _ = kind(of: root, collections: collections, problems: &problems)
        } catch {
            problems.append("cannot parse `\(text)`: \(error)")
        }
        return problems
    }

    private func kind(of node: Node, collections: Set<String>, problems: inout [String]) -> Kind {
        switch node {
        case .literal: return .scalar
        case .name(let name): return collections.contains(name) ? .collection : .scalar
        case .unary(let op, let operand):
            if kind(of: operand, collections: collections, problems: &problems) == .collection {
                problems.append("operator `\(op)` applied to a collection")
            }
            return .scalar
        case .binary(let op, let lhs, let rhs):
            for side in [lhs, rhs] where kind(of: side, collections: collections, problems: &problems) == .collection {
                problems.append("operator `\(op)` applied to a collection")
            }
            return .scalar
        case .call(let name, let arguments):
            let kinds = arguments.map { kind(of: $0, collections: collections, problems: &problems) }
            guard let function = functions[name] else {
                problems.append("`\(name)` is not an Architect function in the table")
                return .scalar
            }
            let fits = function.overloads.contains { parameters in
                guard function.variadic || parameters.count == kinds.count else { return false }
                return kinds.enumerated().allSatisfy { index, kind in
                    let parameter = parameters.isEmpty ? .any : parameters[min(index, parameters.count - 1)]
                    return parameter == .any || parameter == kind
                }
            }
            if !fits {
                let have = kinds.map(\.rawValue).joined(separator: ", ")
                let want = function.overloads.map { "(\($0.map(\.rawValue).joined(separator: ", ")))" }
                problems.append("`\(name)(\(have))` does not match \(want.joined(separator: " or "))")
            }
            if name == "If", kinds.count == 3 {
                return kinds[1] == .collection && kinds[2] == .collection ? .collection : .scalar
            }
            return function.returnsCollection ? .collection : .scalar
        }
    }

    /// Every `exp` of a flow with the problems found, variables' kinds read from the flow's declarations.
    func check(flow contents: String) throws -> [String] {
        var reader = YAMLReader()
        let result = reader.read(Array(contents.utf8))
        guard let root = result.root, !result.hasErrors else { throw FixtureError(message: "flow does not parse") }
        var collections = Set<String>()
        var expressions: [String] = []
        func walk(_ node: YAMLNode, key: String?) {
            switch node {
            case .scalar(let scalar):
                if key == "exp" { expressions.append(scalar.text) }
            case .sequence(let sequence):
                for item in sequence.items { walk(item, key: nil) }
            case .mapping(let mapping):
                for (k, value) in mapping.entries {
                    if k.text.hasSuffix("CollectionVariable"), case .mapping(let body) = value,
                        let name = body.entries.first(where: { $0.key.text == "name" }),
                        case .scalar(let text) = name.value
                    {
                        collections.insert(text.text)
                    }
                    walk(value, key: k.text)
                }
            }
        }
        walk(root, key: nil)
        return expressions.flatMap { text in problems(text, collections: collections).map { "\($0) in `\(text)`" } }
    }
}

@Suite("Architect expressions")
struct ArchitectExpressionCheckerTests {
    @Test(
        "every expression of every emitted flow (examples and fixtures) calls Architect functions with the right kinds")
    func emittedFlows() throws {
        let checker = try ArchitectExpressionChecker.load()
        var flows = 0
        for (name, contents) in try VocabularyTests.flowFiles() where name.hasSuffix("flow.yaml") {
            flows += 1
            let problems = try checker.check(flow: contents)
            #expect(problems.isEmpty, "\(name): \(problems)")
        }
        #expect(flows >= 5)
    }

    @Test("the checker catches a NOT_SET test on a collection, a collection in an operator, and a scalar Count")
    func catches() throws {
        let checker = try ArchitectExpressionChecker.load()
        let collections: Set<String> = ["Flow.Accounts"]
        #expect(!checker.problems("IsSet(Flow.Accounts)", collections: collections).isEmpty)
        #expect(!checker.problems("Flow.Accounts == \"x\"", collections: collections).isEmpty)
        #expect(!checker.problems("Count(Flow.Tier) > 0", collections: collections).isEmpty)
        #expect(!checker.problems("Frobnicate(Flow.Tier)", collections: collections).isEmpty)
        #expect(checker.problems("Count(Flow.Accounts) > 0", collections: collections).isEmpty)
        #expect(
            checker.problems(
                "If(Count(Flow.Accounts) > 0, GetAt(Flow.Accounts, 0), \"none\")", collections: collections
            ).isEmpty)
        #expect(checker.problems("IsSet(Flow.Tier) and !IsNotSetOrEmpty(Flow.Name)", collections: collections).isEmpty)
    }
}
