import ClaimMapRuntime
import Foundation

/// Reading and writing `evaluator.json`. Members are written in a fixed order so the file is byte-stable.
extension EvaluatorProgram {
    public struct FormatError: Error, CustomStringConvertible, Sendable {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { "evaluator.json: \(message)" }
    }

    public func json() -> JSONValue {
        .object([
            ("evaluator", .string("claimmap")),
            ("version", .integer(Self.formatVersion)),
            ("spec", .string(spec)),
            ("identity", identity.json()),
            ("claims", .array(claims.map { $0.json() })),
            (
                "enrichments",
                .array(
                    enrichments.map {
                        .object([("name", .string($0.name)), ("returns", .array($0.returns.map(JSONValue.string)))])
                    })
            ),
            ("attributes", .array(attributes.map { $0.json() })),
            ("variables", .array(variables.map { $0.json() })),
            ("computationOrder", .array(computationOrder.map(JSONValue.string))),
            (
                "participantData",
                .array(participantData.map { .object([("key", .string($0.key)), ("variable", .string($0.variable))]) })
            ),
            ("routing", .array(routing.map { $0.json() })),
            ("guards", .array(guards.map { $0.json() })),
        ])
    }

    public init(json: JSONValue) throws(FormatError) {
        let r = Reader(json, path: "")
        guard try r.string("evaluator") == "claimmap" else { throw FormatError("not a claimmap evaluator") }
        let version = try r.int("version")
        guard version == Self.formatVersion else {
            throw FormatError(
                "format version \(version) is not supported (this claimmap reads version \(Self.formatVersion))")
        }
        self.init(
            spec: try r.string("spec"),
            identity: try IdentityPolicy(try r.child("identity")),
            claims: try r.array("claims").map { v throws(FormatError) in try ClaimSpec(v) },
            enrichments: try r.array("enrichments").map { v throws(FormatError) in
                EnrichmentSpec(name: try v.string("name"), returns: try v.strings("returns"))
            },
            attributes: try r.array("attributes").map { v throws(FormatError) in try AttributeSpec(v) },
            variables: try r.array("variables").map { v throws(FormatError) in try VariableSpec(v) },
            computationOrder: try r.strings("computationOrder"),
            participantData: try r.array("participantData").map { v throws(FormatError) in
                ParticipantDatumSpec(key: try v.string("key"), variable: try v.string("variable"))
            },
            routing: try r.array("routing").map { v throws(FormatError) in try RuleSpec(v) },
            guards: try r.array("guards").map { v throws(FormatError) in try GuardSpec(v) })
    }
}

/// A small typed view over a decoded JSON object, with paths in its errors.
struct Reader {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String) {
        self.value = value
        self.path = path
    }

    func member(_ name: String) -> JSONValue? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.0.isByteEqual(to: name) }?.1
    }

    func required(_ name: String) throws(EvaluatorProgram.FormatError) -> JSONValue {
        guard let member = member(name) else { throw .init("missing \(path)\(name)") }
        return member
    }

    func child(_ name: String) throws(EvaluatorProgram.FormatError) -> Reader {
        Reader(try required(name), path: "\(path)\(name).")
    }

    func optionalChild(_ name: String) -> Reader? {
        guard let member = member(name), member != .null else { return nil }
        return Reader(member, path: "\(path)\(name).")
    }

    func string(_ name: String) throws(EvaluatorProgram.FormatError) -> String {
        guard case .string(let s) = try required(name) else { throw .init("\(path)\(name) must be a string") }
        return s
    }

    func optionalString(_ name: String) throws(EvaluatorProgram.FormatError) -> String? {
        guard let member = member(name), member != .null else { return nil }
        guard case .string(let s) = member else { throw .init("\(path)\(name) must be a string") }
        return s
    }

    func int(_ name: String) throws(EvaluatorProgram.FormatError) -> Int {
        guard case .number(let text) = try required(name), let value = Int(text) else {
            throw .init("\(path)\(name) must be an integer")
        }
        return value
    }

    func optionalInt(_ name: String) throws(EvaluatorProgram.FormatError) -> Int? {
        guard let member = member(name), member != .null else { return nil }
        guard case .number(let text) = member, let value = Int(text) else {
            throw .init("\(path)\(name) must be an integer")
        }
        return value
    }

    func bool(_ name: String) throws(EvaluatorProgram.FormatError) -> Bool {
        guard case .bool(let b) = try required(name) else { throw .init("\(path)\(name) must be a boolean") }
        return b
    }

    func array(_ name: String) throws(EvaluatorProgram.FormatError) -> [Reader] {
        guard case .array(let items) = try required(name) else { throw .init("\(path)\(name) must be an array") }
        return items.enumerated().map { Reader($1, path: "\(path)\(name)[\($0)].") }
    }

    /// A string that must be one of `allowed`, byte for byte.
    func choice(_ name: String, _ allowed: [String]) throws(EvaluatorProgram.FormatError) -> String {
        let value = try string(name)
        guard allowed.containsByteEqual(value) else { throw notOneOf(name, value, allowed) }
        return value
    }

    /// One of an enumeration's names, byte for byte; any other text is an error naming the allowed ones.
    func choice<Name: RawRepresentable & CaseIterable>(_ name: String, _: Name.Type) throws(EvaluatorProgram
        .FormatError)
        -> Name where Name.RawValue == String
    {
        let text = try string(name)
        guard let value = Name.allCases.first(where: { $0.rawValue.isByteEqual(to: text) }) else {
            throw notOneOf(name, text, Name.allCases.map(\.rawValue))
        }
        return value
    }

    private func notOneOf(_ name: String, _ value: String, _ allowed: [String]) -> EvaluatorProgram.FormatError {
        .init(
            "\(path)\(name) must be one of \(allowed.joined(separator: ", ")); it is \(JSONValue.string(value).compact())"
        )
    }

    func optionalChoice<Name: RawRepresentable & CaseIterable>(_ name: String, _ type: Name.Type)
        throws(EvaluatorProgram.FormatError) -> Name? where Name.RawValue == String
    {
        guard let member = member(name), member != .null else { return nil }
        return try choice(name, type)
    }

    func strings(_ name: String) throws(EvaluatorProgram.FormatError) -> [String] {
        try array(name).map { r throws(EvaluatorProgram.FormatError) in
            guard case .string(let s) = r.value else { throw .init("\(r.path) must be a string") }
            return s
        }
    }

    func optionalStrings(_ name: String) throws(EvaluatorProgram.FormatError) -> [String]? {
        guard let member = member(name), member != .null else { return nil }
        return try strings(name)
    }

    func type(_ name: String) throws(EvaluatorProgram.FormatError) -> ValueType {
        let text = try string(name)
        guard let type = ValueType(name: text) else { throw .init("\(path)\(name): unknown type \(text)") }
        return type
    }
}

extension JSONValue {
    static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    static func optional(_ value: Int?) -> JSONValue { value.map(JSONValue.integer) ?? .null }
    static func optional(_ values: [String]?) -> JSONValue { values.map { .array($0.map(JSONValue.string)) } ?? .null }
}

extension IdentityPolicy {
    func json() -> JSONValue {
        .object([
            ("discovery", .string(discovery)), ("issuer", .string(issuer)),
            ("audience", .array(audience.map(JSONValue.string))),
            ("algorithms", .array(algorithms.map(JSONValue.string))),
            ("leewaySeconds", .integer(leewaySeconds)), ("maxAgeSeconds", .optional(maxAgeSeconds)),
            ("nonce", .string(nonceRequired ? "required" : "optional")), ("jwks", .optional(jwks)),
            ("guests", .string(guests.rawValue)),
        ])
    }

    /// Reads an `identity` and holds it to the same policy as a spec: a hand-edited evaluator file cannot loosen
    /// what the compiler would refuse (`algorithms: ["none"]`, a leeway of years, an unknown nonce mode).
    init(_ r: Reader) throws(EvaluatorProgram.FormatError) {
        let algorithms = try r.strings("algorithms")
        guard !algorithms.isEmpty else { throw .init("\(r.path)algorithms must name at least one algorithm") }
        for algorithm in algorithms where !Self.supportedAlgorithms.containsByteEqual(algorithm) {
            throw .init(
                "\(r.path)algorithms: \(JSONValue.string(algorithm).compact()) is not supported "
                    + "(\(Self.supportedAlgorithms.joined(separator: ", ")))")
        }
        let leeway = try r.int("leewaySeconds")
        guard Self.leewayRange.contains(leeway) else {
            throw .init("\(r.path)leewaySeconds \(leeway) is outside 0 ... 300 (a spec's leeway is at most 5m)")
        }
        let maxAge = try r.optionalInt("maxAgeSeconds")
        if let maxAge, !Self.maxAgeRange.contains(maxAge) {
            throw .init("\(r.path)maxAgeSeconds \(maxAge) is outside 1 ... 86400000000")
        }
        let audience = try r.strings("audience")
        guard !audience.isEmpty, audience.allSatisfy({ !$0.isEmpty }) else {
            throw .init("\(r.path)audience must hold at least one non-empty client id")
        }
        let issuer = try r.string("issuer")
        guard !issuer.isEmpty else { throw .init("\(r.path)issuer must not be empty") }
        self.init(
            discovery: try r.string("discovery"), issuer: issuer, audience: audience, algorithms: algorithms,
            leewaySeconds: leeway, maxAgeSeconds: maxAge,
            nonceRequired: try r.choice("nonce", ["required", "optional"]).isByteEqual(to: "required"),
            jwks: try r.optionalString("jwks"), guests: try r.choice("guests", GuestMode.self))
    }
}

extension ClaimTypeSpec {
    func json() -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .string(kind.rawValue))]
        if let item = items.first { members.append(("items", item.json())) }
        if !propertyOrder.isEmpty {
            members.append(
                ("properties", .object(propertyOrder.compactMap { name in properties[name].map { (name, $0.json()) } }))
            )
        }
        if let enumValues { members.append(("enum", .array(enumValues.map(JSONValue.string)))) }
        if let pattern { members.append(("pattern", .string(pattern))) }
        if let format { members.append(("format", .string(format.rawValue))) }
        if let minimum { members.append(("minimum", .number(minimum))) }
        if let maximum { members.append(("maximum", .number(maximum))) }
        if let maxLength { members.append(("maxLength", .integer(maxLength))) }
        if let maxItems { members.append(("maxItems", .integer(maxItems))) }
        return .object(members)
    }

    init(_ r: Reader) throws(EvaluatorProgram.FormatError) {
        var properties: [(String, ClaimTypeSpec)] = []
        if case .object(let members)? = r.member("properties") {
            for (name, value) in members {
                properties.append((name, try ClaimTypeSpec(Reader(value, path: "\(r.path)properties.\(name)."))))
            }
        }
        func number(_ name: String) throws(EvaluatorProgram.FormatError) -> String? {
            guard let member = r.member(name), member != .null else { return nil }
            guard case .number(let text) = member else { throw .init("\(r.path)\(name) must be a number") }
            return text
        }
        self.init(
            kind: try r.choice("type", ClaimKind.self),
            items: try r.optionalChild("items").map { c throws(EvaluatorProgram.FormatError) in [try ClaimTypeSpec(c)] }
                ?? [],
            properties: properties, enumValues: try r.optionalStrings("enum"), pattern: try r.optionalString("pattern"),
            format: try r.optionalChoice("format", ClaimFormat.self), minimum: try number("minimum"),
            maximum: try number("maximum"),
            maxLength: try r.optionalInt("maxLength"), maxItems: try r.optionalInt("maxItems"))
    }
}

extension ClaimSpec {
    func json() -> JSONValue {
        .object([
            ("name", .string(name)), ("path", .array(path.map(JSONValue.string))), ("type", type.json()),
            ("required", .bool(required)), ("builtin", .optional(builtin)),
        ])
    }

    init(_ r: Reader) throws(EvaluatorProgram.FormatError) {
        self.init(
            name: try r.string("name"), path: try r.strings("path"), type: try ClaimTypeSpec(try r.child("type")),
            required: try r.bool("required"), builtin: try r.optionalString("builtin"))
    }
}

extension AttributeSpec {
    func json() -> JSONValue {
        .object([
            ("name", .string(name)), ("enum", .optional(enumValues)), ("pattern", .optional(pattern)),
            ("maxLength", .optional(maxLength)), ("mirrors", .optional(mirrors)),
        ])
    }

    init(_ r: Reader) throws(EvaluatorProgram.FormatError) {
        self.init(
            name: try r.string("name"), enumValues: try r.optionalStrings("enum"),
            pattern: try r.optionalString("pattern"),
            maxLength: try r.optionalInt("maxLength"), mirrors: try r.optionalString("mirrors"))
    }
}

extension VariableSpec {
    func json() -> JSONValue {
        let source: JSONValue
        switch self.source {
        case .builtin(let claim): source = .object([("kind", .string("builtin")), ("claim", .string(claim))])
        case .enrichment(let claim, let enrichment):
            source = .object([
                ("kind", .string("enrichment")), ("claim", .string(claim)), ("enrichment", .string(enrichment)),
            ])
        case .attribute(let name): source = .object([("kind", .string("attribute")), ("attribute", .string(name))])
        case .expression(let expr): source = .object([("kind", .string("expression")), ("expr", expr.json())])
        case .action(let guardName, let field):
            source = .object([("kind", .string("action")), ("guard", .string(guardName)), ("field", .string(field))])
        }
        return .object([
            ("name", .string(name)), ("type", .string(type.description)), ("source", source),
            ("default", defaultValue.map { $0.json } ?? .null), ("trusted", .bool(trusted)),
        ])
    }

    init(_ r: Reader) throws(EvaluatorProgram.FormatError) {
        let type = try r.type("type")
        let s = try r.child("source")
        let source: VariableSourceSpec
        switch try s.string("kind") {
        case "builtin": source = .builtin(claim: try s.string("claim"))
        case "enrichment": source = .enrichment(claim: try s.string("claim"), enrichment: try s.string("enrichment"))
        case "attribute": source = .attribute(try s.string("attribute"))
        case "expression": source = .expression(try TypedExpr(try s.child("expr")))
        case "action": source = .action(guardName: try s.string("guard"), field: try s.string("field"))
        case let other: throw .init("\(s.path)kind: unknown source \(other)")
        }
        var defaultValue: Value?
        if let member = r.member("default"), member != .null {
            guard let value = Value(json: member, type: type) else {
                throw .init("\(r.path)default does not fit \(type)")
            }
            defaultValue = value
        }
        self.init(
            name: try r.string("name"), type: type, source: source, defaultValue: defaultValue,
            trusted: try r.bool("trusted"))
    }
}

extension RuleSpec {
    func json() -> JSONValue {
        .object([
            ("rule", .string(name)), ("when", when.map { $0.json() } ?? .null), ("queue", .string(queue)),
            ("priority", .optional(priority)), ("skills", .array(skills.map(JSONValue.string))),
            ("sensitive", .bool(sensitive)),
        ])
    }

    init(_ r: Reader) throws(EvaluatorProgram.FormatError) {
        self.init(
            name: try r.string("rule"),
            when: try r.optionalChild("when").map { c throws(EvaluatorProgram.FormatError) in try TypedExpr(c) },
            queue: try r.string("queue"), priority: try r.optionalInt("priority"), skills: try r.strings("skills"),
            sensitive: try r.bool("sensitive"))
    }
}

extension GuardSpec {
    func json() -> JSONValue {
        .object([
            ("name", .string(name)), ("when", when.map { $0.json() } ?? .null),
            ("call", .string(beforeRule.map { "before \($0)" } ?? "start")),
            (
                "inputs",
                .array(
                    inputs.map {
                        .object([
                            ("name", .string($0.name)), ("variable", .string($0.variable)),
                            ("pick", $0.pickFirst ? .string("first") : .null),
                        ])
                    })
            ),
            (
                "outputs",
                .array(
                    outputs.map {
                        .object([
                            ("variable", .string($0.variable)), ("field", .string($0.field)),
                            ("type", .string($0.type.description)),
                        ])
                    })
            ),
        ])
    }

    init(_ r: Reader) throws(EvaluatorProgram.FormatError) {
        let call = try r.string("call")
        let beforeRule: String? = call.hasPrefix("before ") ? String(call.dropFirst("before ".count)) : nil
        self.init(
            name: try r.string("name"),
            when: try r.optionalChild("when").map { c throws(EvaluatorProgram.FormatError) in try TypedExpr(c) },
            beforeRule: beforeRule,
            inputs: try r.array("inputs").map { i throws(EvaluatorProgram.FormatError) in
                GuardInputSpec(
                    name: try i.string("name"), variable: try i.string("variable"),
                    pickFirst: try i.optionalString("pick") == "first")
            },
            outputs: try r.array("outputs").map { o throws(EvaluatorProgram.FormatError) in
                GuardOutputSpec(
                    variable: try o.string("variable"), field: try o.string("field"), type: try o.type("type"))
            })
    }
}

extension TypedExpr {
    func json() -> JSONValue {
        var members: [(String, JSONValue)]
        switch kind {
        case .literal(let value): members = [("lit", value.json)]
        case .variable(let name): members = [("var", .string(name))]
        case .isAuthenticated: members = [("builtin", .string("Message.IsAuthenticated"))]
        case .call(let name, let arguments):
            members = [("call", .string(name.rawValue)), ("args", .array(arguments.map { $0.json() }))]
        case .not(let operand): members = [("not", operand.json())]
        case .negate(let operand): members = [("negate", operand.json())]
        case .binary(let op, let lhs, let rhs):
            members = [("op", .string(op.rawValue)), ("lhs", lhs.json()), ("rhs", rhs.json())]
        }
        return .object(members + [("type", .string(type.description))])
    }

    init(_ r: Reader) throws(EvaluatorProgram.FormatError) {
        let type = try r.type("type")
        if let literal = r.member("lit") {
            guard let value = Value(json: literal, type: type) else { throw .init("\(r.path)lit does not fit \(type)") }
            self.init(.literal(value), type: type)
        } else if r.member("var") != nil {
            self.init(.variable(try r.string("var")), type: type)
        } else if r.member("builtin") != nil {
            self.init(.isAuthenticated, type: type)
        } else if r.member("call") != nil {
            self.init(
                .call(
                    try r.choice("call", ArchitectOperations.Function.self),
                    try r.array("args").map { a throws(EvaluatorProgram.FormatError) in try TypedExpr(a) }), type: type)
        } else if r.member("not") != nil {
            self.init(.not(try TypedExpr(try r.child("not"))), type: type)
        } else if r.member("negate") != nil {
            self.init(.negate(try TypedExpr(try r.child("negate"))), type: type)
        } else {
            self.init(
                .binary(
                    try r.choice("op", ArchitectOperations.Operator.self), try TypedExpr(try r.child("lhs")),
                    try TypedExpr(try r.child("rhs"))),
                type: type)
        }
    }
}
