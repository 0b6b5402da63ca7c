import ClaimMapDiagnostics
import ClaimMapRuntime
import Foundation

/// Turns the YAML tree of one spec into a `SpecDocument`: checks every key against `SpecGrammar`, converts
/// scalars by the schema, parses expressions. One pass over the tree; names are resolved later by the checker.
package struct SpecParser {
    private var diagnostics: [Diagnostic] = []
    private let lines: [[Unicode.Scalar]]
    private let path: String

    private init(path: String, text: String) {
        self.path = path
        self.lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
    }

    /// Parses `root` (read from `text`) into a document; the document is nil only when the root is not a mapping.
    package static func parse(root: YAMLNode, text: String, path: String) -> (SpecDocument?, [Diagnostic]) {
        var parser = SpecParser(path: path, text: text)
        let document = parser.parseDocument(root)
        return (document, parser.diagnostics)
    }

    // MARK: Root

    private mutating func parseDocument(_ root: YAMLNode) -> SpecDocument? {
        guard case .mapping(let mapping) = root else {
            diagnostics.append(
                SpecDiagnostics.wrongNode(context: "a spec", expected: "a mapping of sections", found: root))
            return nil
        }
        var document = SpecDocument(path: path, rootRange: mapping.range)
        let reader = MappingReader(mapping, allowed: SpecGrammar.root, context: "the spec", diagnostics: &diagnostics)
        for key in SpecGrammar.requiredRoot where !reader.has(key) {
            diagnostics.append(SpecDiagnostics.missingSection(key, at: mapping.range))
        }
        if let scalar = reader.scalar("claimmap", &diagnostics) {
            if scalar.text == "1" {
                document.version = Located(1, scalar.range)
            } else {
                diagnostics.append(SpecDiagnostics.unsupportedVersion(scalar))
            }
        }
        if let flow = reader.mappingValue("flow", &diagnostics) { document.flow = parseFlow(flow) }
        if let identity = reader.mappingValue("identity", &diagnostics) { document.identity = parseIdentity(identity) }
        if let claims = reader.mappingValue("claims", &diagnostics) {
            document.claims = entries(of: claims, what: "claim").compactMap { parseClaim(name: $0, $1) }
        }
        if let enrichment = reader.mappingValue("enrichment", &diagnostics) {
            document.enrichments = entries(of: enrichment, what: "enrichment").compactMap {
                parseEnrichment(name: $0, $1)
            }
        }
        if let attributes = reader.mappingValue("attributes", &diagnostics) {
            document.attributes = entries(of: attributes, what: "attribute").compactMap { parseAttribute(name: $0, $1) }
        }
        if let variables = reader.mappingValue("variables", &diagnostics) {
            document.variables = entries(of: variables, what: "variable").compactMap { parseVariable(name: $0, $1) }
        }
        if let data = reader.mappingValue("participantData", &diagnostics) {
            document.participantData = data.entries.compactMap { parseParticipantDatum(key: $0.key, $0.value) }
        }
        if let routing = reader.node("routing") {
            document.routingRange = routing.range
            if case .sequence(let sequence) = routing {
                document.routing = sequence.items.compactMap { parseRule($0) }
            } else {
                diagnostics.append(
                    SpecDiagnostics.wrongNode(
                        key: "routing", expected: "a list of rules (`- rule: ...`)", found: routing))
            }
        }
        if let guards = reader.mappingValue("guards", &diagnostics) {
            document.guards = entries(of: guards, what: "guarded data action").compactMap { parseGuard(name: $0, $1) }
        }
        return document
    }

    /// The entries of a section whose values must be mappings (`claims:`, `variables:`, ...).
    private mutating func entries(of mapping: YAMLMapping, what: String) -> [(Located<String>, YAMLMapping)] {
        var out: [(Located<String>, YAMLMapping)] = []
        for (key, value) in mapping.entries {
            guard case .mapping(let body) = value else {
                diagnostics.append(
                    SpecDiagnostics.wrongNode(
                        context: "\(what) `\(key.text)`", expected: "a mapping such as `{ type: string }`", found: value
                    ))
                continue
            }
            out.append((Located(key.text, key.range), body))
        }
        return out
    }

    // MARK: Sections

    private mutating func parseFlow(_ mapping: YAMLMapping) -> FlowSection? {
        let reader = MappingReader(mapping, allowed: SpecGrammar.flow, context: "`flow`", diagnostics: &diagnostics)
        let name = reader.requiredString("name", &diagnostics)
        let division = reader.string("division", &diagnostics)
        let language = reader.string("language", &diagnostics)
        checkSubstituted("name", name)
        checkSubstituted("division", division)
        guard let name else { return nil }
        return FlowSection(name: name, division: division, language: language, range: mapping.range)
    }

    private mutating func parseIdentity(_ mapping: YAMLMapping) -> IdentitySection {
        let reader = MappingReader(
            mapping, allowed: SpecGrammar.identity, context: "`identity`", diagnostics: &diagnostics)
        var identity = IdentitySection(range: mapping.range)
        if let discovery = reader.requiredString("discovery", &diagnostics) {
            if let problem = Self.urlProblem(discovery.value, allowLoopbackHTTP: true) {
                diagnostics.append(SpecDiagnostics.badURL(key: "discovery", discovery, reason: problem))
            } else {
                identity.discovery = discovery
            }
        }
        identity.issuer = reader.requiredString("issuer", &diagnostics)
        // OIDC Discovery §3 and Core §2: the issuer is an https URL without query or fragment; plain http only for
        // an IdP on this machine (loopback), as a test IdP is.
        if let issuer = identity.issuer, let problem = Self.issuerProblem(issuer.value) {
            diagnostics.append(SpecDiagnostics.badURL(key: "issuer", issuer, reason: problem))
        }
        if reader.has("audience") {
            identity.audienceRange = reader.keyRange("audience")
            let audience = reader.stringList("audience", &diagnostics, allowSingle: true) ?? []
            if audience.isEmpty, let range = reader.keyRange("audience") {
                diagnostics.append(SpecDiagnostics.emptyList(key: "audience", at: range))
            }
            for entry in audience where entry.value.isEmpty {
                diagnostics.append(SpecDiagnostics.emptyValue(key: "audience", at: entry.range))
            }
            identity.audience = audience.filter { !$0.value.isEmpty }
        } else {
            diagnostics.append(SpecDiagnostics.missingKey("audience", context: "`identity`", at: mapping.range))
        }
        if reader.has("algorithms") {
            identity.algorithmsRange = reader.keyRange("algorithms")
            identity.algorithms = reader.stringList("algorithms", &diagnostics, allowSingle: true) ?? []
            if identity.algorithms.isEmpty, let range = reader.keyRange("algorithms") {
                diagnostics.append(SpecDiagnostics.emptyList(key: "algorithms", at: range))
            }
        }
        identity.leeway = reader.duration("leeway", &diagnostics)
        identity.maxAge = reader.duration("maxAge", &diagnostics)
        identity.nonce = reader.choice("nonce", NonceMode.self, &diagnostics)
        identity.jwks = reader.string("jwks", &diagnostics)
        identity.guests = reader.choice("guests", GuestMode.self, &diagnostics)
        return identity
    }

    private mutating func parseClaim(name: Located<String>, _ mapping: YAMLMapping) -> ClaimDecl? {
        checkName(name, .claim)
        let reader = MappingReader(
            mapping, allowed: SpecGrammar.claim, context: "claim `\(name.value)`", diagnostics: &diagnostics)
        let claim = reader.string("claim", &diagnostics)
        var path: [Located<String>]?
        if reader.has("path") {
            path = reader.stringList("path", &diagnostics)
            if let keyRange = reader.keyRange("path") {
                if path?.isEmpty == true { diagnostics.append(SpecDiagnostics.emptyList(key: "path", at: keyRange)) }
                if claim != nil {
                    diagnostics.append(
                        SpecDiagnostics.conflictingKeys(
                            "claim", "path", at: keyRange,
                            help: "use `claim:` for a top-level member or `path:` for a nested one"))
                }
            }
            for segment in path ?? [] where segment.value.isEmpty {
                diagnostics.append(SpecDiagnostics.emptyValue(key: "path", at: segment.range))
            }
        }
        guard let schema = parseSchema(reader, context: "claim `\(name.value)`") else { return nil }
        return ClaimDecl(name: name, claim: claim, path: path, schema: schema)
    }

    private mutating func parseSchema(_ reader: MappingReader, context: String) -> ClaimSchema? {
        guard reader.has("type") else {
            diagnostics.append(SpecDiagnostics.missingKey("type", context: context, at: reader.mapping.range))
            return nil
        }
        guard let kind = reader.choice("type", ClaimKind.self, &diagnostics) else { return nil }
        var schema = ClaimSchema(kind: kind, range: reader.mapping.range)
        if let items = reader.mappingValue("items", &diagnostics) {
            let itemReader = MappingReader(
                items, allowed: SpecGrammar.nestedClaim, context: "`items` of \(context)", diagnostics: &diagnostics)
            if let itemSchema = parseSchema(itemReader, context: "`items` of \(context)") {
                schema.items = Box(itemSchema)
            }
        }
        if let properties = reader.mappingValue("properties", &diagnostics) {
            for (propertyName, body) in entries(of: properties, what: "property") {
                let propertyReader = MappingReader(
                    body, allowed: SpecGrammar.nestedClaim, context: "property `\(propertyName.value)`",
                    diagnostics: &diagnostics)
                if let propertySchema = parseSchema(propertyReader, context: "property `\(propertyName.value)`") {
                    schema.properties.append((propertyName, propertySchema))
                }
            }
        }
        if reader.has("enum") { schema.enumRange = reader.keyRange("enum") }
        (schema.enumValues, schema.pattern) = (enumValues(reader), pattern(reader))
        schema.format = reader.choice("format", ClaimFormat.self, &diagnostics)
        schema.minimum = decimal("minimum", reader)
        schema.maximum = decimal("maximum", reader)
        schema.maxLength = reader.integer("maxLength", &diagnostics)
        schema.maxItems = reader.integer("maxItems", &diagnostics)
        schema.required = reader.boolean("required", &diagnostics)
        checkApplicability(schema, reader: reader, context: context)
        return schema
    }

    private mutating func decimal(_ key: String, _ reader: MappingReader) -> Located<String>? {
        guard let scalar = reader.scalar(key, &diagnostics) else { return nil }
        guard SpecScalars.isDecimalText(scalar.text) else {
            diagnostics.append(SpecDiagnostics.notNumber(key: key, scalar: scalar))
            return nil
        }
        return Located(scalar.text, scalar.range)
    }

    /// Constraint keywords that do not apply to the declared JSON type are errors, not silently ignored.
    private mutating func checkApplicability(_ schema: ClaimSchema, reader: MappingReader, context: String) {
        let kind = schema.kind.value
        let applies: [String: Set<ClaimKind>] = [
            "items": [.array], "maxItems": [.array], "properties": [.object], "pattern": [.string],
            "maxLength": [.string], "minimum": [.integer, .number], "maximum": [.integer, .number],
            "enum": [.string, .integer, .number],
        ]
        for (key, kinds) in applies.sorted(by: { $0.key < $1.key }) where reader.has(key) && !kinds.contains(kind) {
            let range = reader.keyRange(key) ?? schema.range
            diagnostics.append(
                SyntaxDiagnostics.error(
                    .constraintDoesNotApply, "`\(key)` does not apply to a claim of type `\(kind.rawValue)`", range,
                    help: "`\(key)` applies to " + kinds.map { "`\($0.rawValue)`" }.sorted().joined(separator: ", ")
                        + " claims; remove it or change `type`"))
        }
        if kind == .array && schema.items == nil && !reader.has("items") {
            diagnostics.append(
                SyntaxDiagnostics.error(
                    .missingRequiredKeyOrSection, "\(context) is an array and needs `items`", schema.kind.range,
                    help: "add `items: { type: string }` (or the element type)"))
        }
        if let format = schema.format {
            let valid: Set<ClaimKind> = format.value == .numericDate ? [.integer, .number] : [.string]
            if !valid.contains(kind) {
                diagnostics.append(
                    SyntaxDiagnostics.error(
                        .constraintDoesNotApply,
                        "`format: \(format.value.rawValue)` does not apply to a claim of type `\(kind.rawValue)`",
                        format.range,
                        help: format.value == .numericDate
                            ? "`numeric-date` applies to integer and number claims"
                            : "`\(format.value.rawValue)` applies to string claims"))
            }
        }
        if let enumValues = schema.enumValues, kind == .integer || kind == .number {
            for value in enumValues {
                let ok =
                    kind == .integer ? SpecScalars.isIntegerText(value.value) : SpecScalars.isDecimalText(value.value)
                if !ok {
                    diagnostics.append(
                        SyntaxDiagnostics.error(
                            .notANumber, "enum value `\(value.value)` is not a valid \(kind.rawValue)", value.range))
                }
            }
        }
    }

    private mutating func parseEnrichment(name: Located<String>, _ mapping: YAMLMapping) -> EnrichmentDecl? {
        checkName(name, .dataAction)
        let reader = MappingReader(
            mapping, allowed: SpecGrammar.enrichment, context: "enrichment `\(name.value)`", diagnostics: &diagnostics)
        var enrichment = EnrichmentDecl(name: name, range: mapping.range)
        enrichment.category = reader.requiredString("category", &diagnostics)
        checkSubstituted("category", enrichment.category)
        if let url = reader.requiredString("url", &diagnostics) {
            if let problem = Self.urlProblem(url.value) ?? Self.templateProblem(url.value) {
                diagnostics.append(SpecDiagnostics.badURL(key: "url", url, reason: problem))
            } else {
                enrichment.url = url
            }
        }
        enrichment.timeout = reader.duration("timeout", &diagnostics)
        if reader.has("returns") {
            enrichment.returns = reader.stringList("returns", &diagnostics, allowSingle: true) ?? []
            if enrichment.returns.isEmpty, let range = reader.keyRange("returns") {
                diagnostics.append(SpecDiagnostics.emptyList(key: "returns", at: range))
            }
        } else {
            diagnostics.append(
                SpecDiagnostics.missingKey("returns", context: "enrichment `\(name.value)`", at: mapping.range))
        }
        return enrichment
    }

    private mutating func parseAttribute(name: Located<String>, _ mapping: YAMLMapping) -> AttributeDecl? {
        checkName(name, .attribute)
        let reader = MappingReader(
            mapping, allowed: SpecGrammar.attribute, context: "attribute `\(name.value)`", diagnostics: &diagnostics)
        var attribute = AttributeDecl(name: name, range: mapping.range)
        attribute.type = reader.string("type", &diagnostics)
        (attribute.enumValues, attribute.pattern) = (enumValues(reader), pattern(reader))
        attribute.maxLength = reader.integer("maxLength", &diagnostics, minimum: 1)
        attribute.mirrors = reader.string("mirrors", &diagnostics)
        return attribute
    }

    private mutating func parseVariable(name: Located<String>, _ mapping: YAMLMapping) -> VariableDecl? {
        checkVariableName(name)
        let reader = MappingReader(
            mapping, allowed: SpecGrammar.variable, context: "variable `\(name.value)`", diagnostics: &diagnostics)
        var variable = VariableDecl(name: name, range: mapping.range)
        if let from = reader.scalar("from", &diagnostics) {
            let words = from.text.split(separator: " ", omittingEmptySubsequences: true)
            if words.count == 2 && words[0] == "attribute" {
                variable.from = Located(.attribute(String(words[1])), from.range)
            } else if words.count == 1 {
                variable.from = Located(.claim(String(words[0])), from.range)
            } else {
                diagnostics.append(SpecDiagnostics.badFrom(from))
            }
        }
        variable.via = reader.string("via", &diagnostics)
        variable.type = reader.string("type", &diagnostics)
        if let value = reader.scalar("default", &diagnostics) {
            variable.defaultValue = Located(value.text, value.range)
        }
        variable.failOpen = reader.boolean("failOpen", &diagnostics)
        if let expr = reader.scalar("expr", &diagnostics) {
            variable.expr = parseExpression(expr)
            if reader.has("from"), let range = reader.keyRange("expr") {
                diagnostics.append(
                    SpecDiagnostics.conflictingKeys(
                        "from", "expr", at: range,
                        help: "a variable either comes from a claim or attribute, or is computed by `expr`"))
            }
        }
        if reader.has("via") && !reader.has("from"), let range = reader.keyRange("via") {
            diagnostics.append(
                SyntaxDiagnostics.error(
                    .missingRequiredKeyOrSection, "`via` needs `from: <claim>`", range,
                    help: "name the claim the enrichment returns, e.g. `from: tier`"))
        }
        return variable
    }

    private mutating func parseParticipantDatum(key: YAMLScalar, _ value: YAMLNode) -> ParticipantDatumDecl? {
        let keyName = Located(key.text, key.range)
        if key.text.isEmpty {
            diagnostics.append(SpecDiagnostics.emptyValue(key: "participant data key", at: key.range))
        } else if key.text.count > 255 {
            diagnostics.append(SpecDiagnostics.participantKeyTooLong(keyName))
        }
        switch value {
        case .scalar(let scalar):
            return ParticipantDatumDecl(
                key: keyName, variable: Located(scalar.text, scalar.range), piiAllowed: false, range: key.range)
        case .mapping(let mapping):
            let reader = MappingReader(
                mapping, allowed: SpecGrammar.participantDatum, context: "participant data `\(key.text)`",
                diagnostics: &diagnostics)
            guard let from = reader.requiredString("from", &diagnostics) else { return nil }
            var allowed = false
            if let pii = reader.scalar("pii", &diagnostics) {
                if pii.text == "allow" {
                    allowed = true
                } else {
                    diagnostics.append(SpecDiagnostics.notOneOf(key: "pii", scalar: pii, allowed: ["allow"]))
                }
            }
            return ParticipantDatumDecl(key: keyName, variable: from, piiAllowed: allowed, range: key.range)
        case .sequence:
            diagnostics.append(
                SpecDiagnostics.wrongNode(
                    context: "participant data `\(key.text)`",
                    expected: "a variable (`Flow.X`) or `{from: Flow.X, pii: allow}`",
                    found: value))
            return nil
        }
    }

    private mutating func parseRule(_ node: YAMLNode) -> RuleDecl? {
        guard case .mapping(let mapping) = node else {
            diagnostics.append(
                SpecDiagnostics.wrongNode(
                    context: "a routing rule", expected: "a mapping (`- rule: name`)", found: node))
            return nil
        }
        let reader = MappingReader(
            mapping, allowed: SpecGrammar.rule, context: "a routing rule", diagnostics: &diagnostics)
        guard let name = reader.requiredString("rule", &diagnostics) else { return nil }
        checkName(name, .rule)
        var rule = RuleDecl(name: name, range: mapping.range)
        if let when = reader.scalar("when", &diagnostics) { rule.when = parseExpression(when) }
        if reader.has("queue") {
            rule.queue = reader.string("queue", &diagnostics)
            checkSubstituted("queue", rule.queue)
        } else {
            diagnostics.append(SpecDiagnostics.missingKey("queue", context: "rule `\(name.value)`", at: name.range))
        }
        rule.priority = reader.integer("priority", &diagnostics)
        if reader.has("skills") {
            rule.skills = reader.stringList("skills", &diagnostics, allowSingle: true) ?? []
            for skill in rule.skills where skill.value.trimmingWhitespace.isEmpty {
                diagnostics.append(SpecDiagnostics.emptyValue(key: "skills", at: skill.range))
            }
            for skill in rule.skills { checkSubstituted("skills", skill) }
        }
        rule.sensitive = reader.boolean("sensitive", &diagnostics)
        return rule
    }

    private mutating func parseGuard(name: Located<String>, _ mapping: YAMLMapping) -> GuardDecl? {
        checkName(name, .dataAction)
        let context = "guarded action `\(name.value)`"
        let reader = MappingReader(
            mapping, allowed: SpecGrammar.guardAction, context: context, diagnostics: &diagnostics)
        var guardDecl = GuardDecl(name: name, range: mapping.range)
        guardDecl.category = reader.requiredString("category", &diagnostics)
        checkSubstituted("category", guardDecl.category)
        guardDecl.method = reader.choice("method", HTTPMethod.self, &diagnostics)
        if let url = reader.requiredString("url", &diagnostics) {
            if let problem = Self.urlProblem(url.value) ?? Self.templateProblem(url.value) {
                diagnostics.append(SpecDiagnostics.badURL(key: "url", url, reason: problem))
            } else {
                guardDecl.url = url
            }
        }
        if let requires = reader.scalar("requires", &diagnostics) {
            if requires.text == "authenticated" {
                guardDecl.requires = Located(requires.text, requires.range)
            } else {
                diagnostics.append(
                    SpecDiagnostics.notOneOf(key: "requires", scalar: requires, allowed: ["authenticated"]))
            }
        }
        if let when = reader.scalar("when", &diagnostics) { guardDecl.when = parseExpression(when) }
        if let call = reader.scalar("call", &diagnostics) {
            let words = call.text.split(separator: " ", omittingEmptySubsequences: true)
            if words.count == 1 && words[0] == "start" {
                guardDecl.call = Located(.start, call.range)
            } else if words.count == 2 && words[0] == "before" {
                guardDecl.call = Located(.before(String(words[1])), call.range)
            } else {
                diagnostics.append(SpecDiagnostics.badCall(call))
            }
        }
        if let inputs = reader.mappingValue("inputs", &diagnostics) {
            for (key, value) in inputs.entries {
                let inputName = Located(key.text, key.range)
                checkName(inputName, .input)
                switch value {
                case .scalar(let scalar):
                    guardDecl.inputs.append(
                        GuardInputDecl(name: inputName, from: Located(scalar.text, scalar.range), range: key.range))
                case .mapping(let body):
                    let inputReader = MappingReader(
                        body, allowed: SpecGrammar.guardInput, context: "input `\(key.text)`", diagnostics: &diagnostics
                    )
                    guard let from = inputReader.requiredString("from", &diagnostics) else { continue }
                    var input = GuardInputDecl(name: inputName, from: from, range: key.range)
                    if let pick = inputReader.scalar("pick", &diagnostics) {
                        if pick.text == "first" {
                            input.pickFirst = Located(true, pick.range)
                        } else {
                            diagnostics.append(SpecDiagnostics.badPick(pick))
                        }
                    }
                    guardDecl.inputs.append(input)
                case .sequence:
                    diagnostics.append(
                        SpecDiagnostics.wrongNode(
                            context: "input `\(key.text)`", expected: "a variable or `{from: Flow.X, pick: first}`",
                            found: value))
                }
            }
        }
        if let outputs = reader.mappingValue("outputs", &diagnostics) {
            for (variable, body) in entries(of: outputs, what: "output") {
                let outputReader = MappingReader(
                    body, allowed: SpecGrammar.guardOutput, context: "output `\(variable.value)`",
                    diagnostics: &diagnostics)
                var output = GuardOutputDecl(variable: variable, range: variable.range)
                output.field = outputReader.requiredString("field", &diagnostics)
                if let field = output.field, !Self.isFieldName(field.value) {
                    diagnostics.append(SpecDiagnostics.badField(field))
                    output.field = nil
                }
                output.type = outputReader.requiredString("type", &diagnostics)
                guardDecl.outputs.append(output)
            }
        }
        guardDecl.secure = reader.boolean("secure", &diagnostics)
        return guardDecl
    }

    // MARK: Helpers

    /// `enum:` of a claim or an attribute: a non-empty list of strings (nil when absent).
    private mutating func enumValues(_ reader: MappingReader) -> [Located<String>]? {
        guard reader.has("enum") else { return nil }
        let values = reader.stringList("enum", &diagnostics)
        if values?.isEmpty == true, let range = reader.keyRange("enum") {
            diagnostics.append(SpecDiagnostics.emptyList(key: "enum", at: range))
        }
        return values
    }

    /// `pattern:` of a claim or an attribute: an ECMA-262 pattern the runtime can run (nil when absent or
    /// refused); a pattern that backtracks catastrophically is kept, with a warning.
    private mutating func pattern(_ reader: MappingReader) -> Located<String>? {
        guard let pattern = reader.string("pattern", &diagnostics) else { return nil }
        if let problem = Self.patternProblem(pattern.value) {
            diagnostics.append(SpecDiagnostics.badPattern(pattern, reason: problem))
            return nil
        }
        if let hazard = ECMAPattern.backtrackingHazard(pattern.value) {
            diagnostics.append(SpecDiagnostics.backtrackingPattern(pattern, hazard: hazard))
        }
        return pattern
    }

    private mutating func parseExpression(_ scalar: YAMLScalar) -> ExpressionSource? {
        let (source, problems) = ExpressionParser.parse(scalar, lines: lines)
        diagnostics.append(contentsOf: problems)
        return source
    }

    private mutating func checkVariableName(_ name: Located<String>) {
        let parts = name.value.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "Flow", SpecScalars.isIdentifier(String(parts[1])) else {
            var rule = "variables are named `Flow.<Name>` with `<Name>` matching `^[A-Za-z][A-Za-z0-9_]*$`"
            if parts.count == 1, SpecScalars.isIdentifier(name.value) { rule = "did you mean `Flow.\(name.value)`?" }
            diagnostics.append(SpecDiagnostics.badName("variable", name, rule: rule))
            return
        }
    }

    /// The names with a fixed rule (a variable's is checked apart: its help may suggest `Flow.<Name>`).
    enum NameKind { case claim, attribute, rule, input, dataAction }

    /// Reports `name` when it breaks the rule of its kind, with what a valid one looks like.
    private mutating func checkName(_ name: Located<String>, _ kind: NameKind) {
        let (what, valid, rule): (String, Bool, String) =
            switch kind {
            case .claim:
                (
                    "claim", SpecScalars.isIdentifier(name.value),
                    "local claim names match `^[A-Za-z][A-Za-z0-9_]*$`; put the token's member name in `claim:`"
                )
            case .attribute:
                (
                    "attribute", Self.isAttributeName(name.value),
                    "attribute names match `^[A-Za-z][A-Za-z0-9_.-]*$` (at most 255 characters)"
                )
            case .rule: ("rule", Self.isRuleName(name.value), "rule names match `^[A-Za-z][A-Za-z0-9_-]*$`")
            case .input: ("input", SpecScalars.isIdentifier(name.value), "input names match `^[A-Za-z][A-Za-z0-9_]*$`")
            case .dataAction:
                (
                    "data action", Self.isName(name.value, others: " _-.()", maxLength: 256),
                    "data action names start with a letter and use letters, digits, spaces and `_-.()` (at most 256 characters)"
                )
            }
        if !valid { diagnostics.append(SpecDiagnostics.badName(what, name, rule: rule)) }
    }

    private mutating func checkSubstituted(_ key: String, _ value: Located<String>?) {
        if let value, let problem = Self.substitutionProblem(value.value) {
            diagnostics.append(SpecDiagnostics.badSubstitutedName(key: key, value, reason: problem))
        }
    }

}
