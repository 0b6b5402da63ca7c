import ClaimMapDiagnostics

/// Parses the expression language (docs/language.md, Expressions) with a precedence-climbing parser. Positions come
/// from a per-scalar location table, so every node's range is column-exact inside the YAML scalar.
///
/// Precedence, loosest first: `or`, `and`, `not`/`!`, comparisons (not chainable), `+ -`, `* /`, unary `-`.
/// Keywords are case-insensitive (`OR` appears in Genesys-authored flows).
package struct ExpressionParser {
    private enum Token: Equatable {
        case string(String)
        case number(String)
        case identifier(String)
        case symbol(String)
        case end
    }

    private struct Lexeme {
        var token: Token
        var start: Int
        var end: Int
    }

    private let scalars: [Unicode.Scalar]
    private let locations: [SourceLocation]
    private var lexemes: [Lexeme] = []
    private var position = 0
    private var diagnostics: [Diagnostic] = []
    /// Deep nesting in an expression is a mistake, and the recursion must stay bounded on hostile input.
    private let maxDepth = 64
    private var depth = 0

    /// - Parameters:
    ///   - text: the expression text (the YAML scalar's value).
    ///   - locations: one source location per scalar of `text`, plus one for the end.
    package init(text: String, locations: [SourceLocation]) {
        self.scalars = Array(text.unicodeScalars)
        self.locations = locations
    }

    package static func parse(_ scalar: YAMLScalar, lines: [[Unicode.Scalar]]) -> (ExpressionSource?, [Diagnostic]) {
        let locations = ScalarPositions.locations(of: scalar, lines: lines)
        var parser = ExpressionParser(text: scalar.text, locations: locations)
        let expression = parser.parse()
        return (
            expression.map { ExpressionSource(text: scalar.text, range: scalar.range, expression: $0) },
            parser.diagnostics
        )
    }

    /// Parses the whole text; nil (with diagnostics) when it is not a well-formed expression.
    package mutating func parse() -> SpecExpression? {
        guard lex() else { return nil }
        if lexemes.count == 1 {
            diagnostics.append(
                SyntaxDiagnostics.error(
                    .syntaxError, "expression is empty", range(0, 0),
                    help: "write a condition such as `Flow.Tier == \"gold\"`"))
            return nil
        }
        guard let expression = parseOr() else { return nil }
        if current.token != .end {
            diagnostics.append(unexpected(current, expecting: "an operator or the end of the expression"))
            return nil
        }
        return expression
    }

    package var producedDiagnostics: [Diagnostic] { diagnostics }

    // MARK: Lexer

    private func location(_ index: Int) -> SourceLocation {
        if locations.isEmpty { return SourceLocation(line: 1, column: 1) }
        return locations[min(max(0, index), locations.count - 1)]
    }

    private func range(_ start: Int, _ end: Int) -> SourceRange {
        let startLocation = location(start)
        var endLocation = location(end)
        if endLocation.line != startLocation.line || endLocation <= startLocation {
            endLocation = startLocation.advanced(by: max(1, end - start))
        }
        return SourceRange(start: startLocation, end: endLocation)
    }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_"
    }

    private static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
        isIdentifierStart(c) || ("0"..."9").contains(c)
    }

    private mutating func lex() -> Bool {
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                i += 1
                continue
            }
            let start = i
            if c == "\"" {
                var value = String.UnicodeScalarView()
                i += 1
                var closed = false
                while i < scalars.count {
                    if scalars[i] == "\\", i + 1 < scalars.count, scalars[i + 1] == "\"" || scalars[i + 1] == "\\" {
                        value.append(scalars[i + 1])
                        i += 2
                        continue
                    }
                    if scalars[i] == "\"" {
                        closed = true
                        i += 1
                        break
                    }
                    value.append(scalars[i])
                    i += 1
                }
                guard closed else {
                    diagnostics.append(
                        SyntaxDiagnostics.error(
                            .lexicalError, "unterminated string literal", range(start, start + 1),
                            help: "close the string with a double quote `\"`"))
                    return false
                }
                lexemes.append(Lexeme(token: .string(String(value)), start: start, end: i))
            } else if ("0"..."9").contains(c) {
                while i < scalars.count, ("0"..."9").contains(scalars[i]) { i += 1 }
                if i + 1 < scalars.count, scalars[i] == ".", ("0"..."9").contains(scalars[i + 1]) {
                    i += 1
                    while i < scalars.count, ("0"..."9").contains(scalars[i]) { i += 1 }
                }
                if i < scalars.count, Self.isIdentifierPart(scalars[i]) {
                    diagnostics.append(
                        SyntaxDiagnostics.error(
                            .lexicalError, "malformed number", range(start, i + 1),
                            help: "numbers are written as `10000` or `0.5`"))
                    return false
                }
                let text = String(String.UnicodeScalarView(scalars[start..<i]))
                lexemes.append(Lexeme(token: .number(text), start: start, end: i))
            } else if Self.isIdentifierStart(c) {
                while i < scalars.count,
                    Self.isIdentifierPart(scalars[i])
                        || (scalars[i] == "." && i + 1 < scalars.count && Self.isIdentifierStart(scalars[i + 1]))
                {
                    i += 1
                }
                let text = String(String.UnicodeScalarView(scalars[start..<i]))
                lexemes.append(Lexeme(token: .identifier(text), start: start, end: i))
            } else {
                let two = i + 1 < scalars.count ? String(String.UnicodeScalarView([c, scalars[i + 1]])) : ""
                if ["==", "!=", "<=", ">=", "&&", "||"].contains(two) {
                    if two == "&&" || two == "||" {
                        let word = two == "&&" ? "and" : "or"
                        diagnostics.append(
                            SyntaxDiagnostics.error(
                                .lexicalError, "`\(two)` is not an operator of Architect expressions", range(i, i + 2),
                                help: "write `\(word)`"))
                        return false
                    }
                    lexemes.append(Lexeme(token: .symbol(two), start: i, end: i + 2))
                    i += 2
                } else if "+-*/<>(),!".unicodeScalars.contains(c) {
                    lexemes.append(Lexeme(token: .symbol(String(c)), start: i, end: i + 1))
                    i += 1
                } else if c == "=" {
                    diagnostics.append(
                        SyntaxDiagnostics.error(
                            .lexicalError, "`=` is not a comparison", range(i, i + 1), help: "write `==` to compare"))
                    return false
                } else if c == "'" {
                    diagnostics.append(
                        SyntaxDiagnostics.error(
                            .lexicalError, "string literals use double quotes", range(i, i + 1),
                            help: "write \"text\" instead of 'text' (quote the whole YAML value with single quotes)"))
                    return false
                } else {
                    diagnostics.append(
                        SyntaxDiagnostics.error(
                            .lexicalError, "unexpected character `\(c)` in expression", range(i, i + 1)))
                    return false
                }
            }
        }
        lexemes.append(Lexeme(token: .end, start: scalars.count, end: scalars.count))
        return true
    }

    // MARK: Parser

    private var current: Lexeme { lexemes[min(position, lexemes.count - 1)] }

    private mutating func advance() -> Lexeme {
        let lexeme = current
        if position < lexemes.count - 1 { position += 1 }
        return lexeme
    }

    private func isKeyword(_ lexeme: Lexeme, _ word: String) -> Bool {
        if case .identifier(let text) = lexeme.token { return text.lowercased() == word }
        return false
    }

    private func isSymbol(_ lexeme: Lexeme, _ symbol: String) -> Bool {
        lexeme.token == .symbol(symbol)
    }

    private func describe(_ lexeme: Lexeme) -> String {
        switch lexeme.token {
        case .end: "the end of the expression"
        case .string(let text): "the string \"\(text)\""
        case .number(let text): "`\(text)`"
        case .identifier(let text): "`\(text)`"
        case .symbol(let text): "`\(text)`"
        }
    }

    private func unexpected(_ lexeme: Lexeme, expecting: String) -> Diagnostic {
        SyntaxDiagnostics.error(
            .syntaxError, "expected \(expecting), found \(describe(lexeme))",
            range(lexeme.start, max(lexeme.end, lexeme.start + 1)))
    }

    private func span(_ start: Int, _ end: Int) -> SourceRange { range(start, end) }

    private mutating func enter() -> Bool {
        depth += 1
        if depth > maxDepth {
            diagnostics.append(
                SyntaxDiagnostics.error(
                    .syntaxError, "expression is nested more than \(maxDepth) levels deep",
                    range(current.start, current.start + 1)))
            return false
        }
        return true
    }

    /// One level of left-associative binary operators, `operand (operator operand)*`: `operators` maps the keywords
    /// (in any letter case) and symbols that write the level's operators.
    private mutating func parseLeftAssociative(
        _ operators: [String: BinaryOperator], operand: (inout ExpressionParser) -> SpecExpression?
    ) -> SpecExpression? {
        func operatorAt(_ lexeme: Lexeme) -> BinaryOperator? {
            switch lexeme.token {
            case .identifier(let word): operators[word.lowercased()]
            case .symbol(let symbol): operators[symbol]
            default: nil
            }
        }
        let start = current.start
        guard var lhs = operand(&self) else { return nil }
        while let op = operatorAt(current) {
            _ = advance()
            guard let rhs = operand(&self) else { return nil }
            lhs = SpecExpression(.binary(op, lhs, rhs), range: span(start, lexemes[position - 1].end))
        }
        return lhs
    }

    private mutating func parseOr() -> SpecExpression? {
        guard enter() else { return nil }
        defer { depth -= 1 }
        return parseLeftAssociative(["or": .or]) { $0.parseAnd() }
    }

    private mutating func parseAnd() -> SpecExpression? {
        parseLeftAssociative(["and": .and]) { $0.parseNot() }
    }

    /// The prefix operator `op` written at the current lexeme, applied to the `operand` after it.
    private mutating func parsePrefixed(_ op: UnaryOperator, operand: (inout ExpressionParser) -> SpecExpression?)
        -> SpecExpression?
    {
        guard enter() else { return nil }
        defer { depth -= 1 }
        let start = advance().start
        guard let operand = operand(&self) else { return nil }
        return SpecExpression(.unary(op, operand), range: span(start, lexemes[position - 1].end))
    }

    private mutating func parseNot() -> SpecExpression? {
        guard isKeyword(current, "not") || isSymbol(current, "!") else { return parseComparison() }
        return parsePrefixed(.not) { $0.parseNot() }
    }

    private static let comparisons: [String: BinaryOperator] = [
        "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    private mutating func parseComparison() -> SpecExpression? {
        let start = current.start
        guard let lhs = parseAdditive() else { return nil }
        guard case .symbol(let symbol) = current.token, let op = Self.comparisons[symbol] else { return lhs }
        _ = advance()
        guard let rhs = parseAdditive() else { return nil }
        if case .symbol(let next) = current.token, Self.comparisons[next] != nil {
            diagnostics.append(
                SyntaxDiagnostics.error(
                    .syntaxError, "comparisons cannot be chained", range(current.start, current.end),
                    help: "combine two comparisons with `and`, e.g. `0 < Flow.X and Flow.X < 10`"))
            return nil
        }
        return SpecExpression(.binary(op, lhs, rhs), range: span(start, lexemes[position - 1].end))
    }

    private mutating func parseAdditive() -> SpecExpression? {
        parseLeftAssociative(["+": .add, "-": .subtract]) { $0.parseMultiplicative() }
    }

    private mutating func parseMultiplicative() -> SpecExpression? {
        parseLeftAssociative(["*": .multiply, "/": .divide]) { $0.parseUnary() }
    }

    private mutating func parseUnary() -> SpecExpression? {
        guard isSymbol(current, "-") else { return parsePrimary() }
        return parsePrefixed(.negate) { $0.parseUnary() }
    }

    private mutating func parsePrimary() -> SpecExpression? {
        let lexeme = current
        switch lexeme.token {
        case .string(let text):
            _ = advance()
            return SpecExpression(.string(text), range: span(lexeme.start, lexeme.end))
        case .number(let text):
            _ = advance()
            let kind: ExpressionKind = text.contains(".") ? .decimal(text) : .integer(text)
            return SpecExpression(kind, range: span(lexeme.start, lexeme.end))
        case .identifier(let text):
            _ = advance()
            switch text.lowercased() {
            case "true": return SpecExpression(.boolean(true), range: span(lexeme.start, lexeme.end))
            case "false": return SpecExpression(.boolean(false), range: span(lexeme.start, lexeme.end))
            case "and", "or", "not":
                diagnostics.append(unexpected(lexeme, expecting: "a value"))
                return nil
            default: break
            }
            if isSymbol(current, "(") {
                return parseCall(name: text, lexeme: lexeme)
            }
            return SpecExpression(.name(text), range: span(lexeme.start, lexeme.end))
        case .symbol("("):
            guard enter() else { return nil }
            defer { depth -= 1 }
            _ = advance()
            guard let inner = parseOr() else { return nil }
            guard isSymbol(current, ")") else {
                diagnostics.append(unexpected(current, expecting: "`)`"))
                return nil
            }
            let close = advance()
            return SpecExpression(.parenthesized(inner), range: span(lexeme.start, close.end))
        default:
            diagnostics.append(unexpected(lexeme, expecting: "a value"))
            return nil
        }
    }

    private mutating func parseCall(name: String, lexeme: Lexeme) -> SpecExpression? {
        guard enter() else { return nil }
        defer { depth -= 1 }
        _ = advance()  // (
        var arguments: [SpecExpression] = []
        if !isSymbol(current, ")") {
            while true {
                guard let argument = parseOr() else { return nil }
                arguments.append(argument)
                if isSymbol(current, ",") {
                    _ = advance()
                    continue
                }
                break
            }
        }
        guard isSymbol(current, ")") else {
            diagnostics.append(unexpected(current, expecting: "`,` or `)`"))
            return nil
        }
        let close = advance()
        return SpecExpression(
            .call(function: name, functionRange: span(lexeme.start, lexeme.end), arguments: arguments),
            range: span(lexeme.start, close.end))
    }
}
