import ClaimMapDiagnostics
import ClaimMapRuntime
import ClaimMapSyntax
import Foundation

/// The semantic stage: resolves names, types every variable and expression, and proves the three properties of
/// docs/language.md, Trust and what the checker proves (trust, definite assignment, shape), plus the fail-open rule and
/// the lint severities of docs/decisions.md. Input: a `SpecDocument`; output: a `CheckedSpec` when there are no errors,
/// and the diagnostics.
package struct TypeChecker {
    let document: SpecDocument
    let specName: String
    var diagnostics: [Diagnostic] = []

    // Symbol tables, filled in declaration order.
    var claimDecls: [String: ClaimDecl] = [:]
    var checkedClaims: [String: CheckedClaim] = [:]
    var enrichmentDecls: [String: EnrichmentDecl] = [:]
    var attributeDecls: [String: AttributeDecl] = [:]
    var variableDecls: [String: VariableDecl] = [:]
    var variables: [String: CheckedVariable] = [:]
    /// Variable name → the guard output that sets it.
    var outputTargets: [String: (guardName: String, output: GuardOutputDecl)] = [:]
    var reportedUnconfirmed = Set<String>()
    var guestMode: GuestMode = .block

    init(document: SpecDocument, specName: String) {
        self.document = document
        self.specName = specName
    }

    package static func check(_ document: SpecDocument, specName: String) -> (CheckedSpec?, [Diagnostic]) {
        var checker = TypeChecker(document: document, specName: specName)
        let spec = checker.run()
        let hasErrors = checker.diagnostics.contains { $0.isError }
        return (hasErrors ? nil : spec, checker.diagnostics)
    }

    private mutating func run() -> CheckedSpec? {
        declareNames()
        let claims = document.claims.compactMap { checkClaim($0) }
        let identity = checkIdentity()
        let enrichments = document.enrichments.compactMap { checkEnrichment($0) }
        let attributes = document.attributes.compactMap { checkAttribute($0) }
        collectOutputTargets()
        for decl in document.variables where decl.expr == nil {
            if let variable = checkSourcedVariable(decl) { variables[variable.name] = variable }
        }
        let order = checkComputedVariables()
        let participantData = document.participantData.compactMap { checkParticipantDatum($0) }
        let routing = checkRouting()
        checkRuleConditions(routing)
        let guards = document.guards.compactMap { checkGuard($0) }
        checkFailOpen(routing: routing, guards: guards)
        lintClaims()
        guard let flow = document.flow, let identity else { return nil }
        return CheckedSpec(
            name: specName, path: document.path,
            flow: FlowSettings(
                name: flow.name.value, division: flow.division?.value ?? "Home",
                language: flow.language?.value ?? "en-us"),
            identity: identity, claims: claims, enrichments: enrichments, attributes: attributes,
            variables: document.variables.compactMap { variables[$0.name.value] }, computationOrder: order,
            participantData: participantData, routing: routing, guards: guards)
    }

    // MARK: Names

    private mutating func declareNames() {
        for claim in document.claims { claimDecls[claim.name.value] = claim }
        declareUnique(document.enrichments.map(\.name), what: "enrichment")
        for enrichment in document.enrichments { enrichmentDecls[enrichment.name.value] = enrichment }
        for attribute in document.attributes { attributeDecls[attribute.name.value] = attribute }
        declareUnique(document.variables.map(\.name), what: "variable")
        for variable in document.variables { variableDecls[variable.name.value] = variable }
        declareUnique(document.guards.map(\.name) + document.enrichments.map(\.name), what: "data action")
        var slugs: [String: String] = [:]
        for name in document.enrichments.map(\.name) + document.guards.map(\.name) {
            let slug = ActionNames.slug(name.value)
            if let other = slugs[slug], other.lowercased() != name.value.lowercased() {
                diagnostics.append(
                    SemanticDiagnostics.slugCollision(name.value, other: other, slug: slug, at: name.range))
            }
            slugs[slug] = slugs[slug] ?? name.value
        }
    }

    /// Architect compares variable and data action names case-insensitively: `Flow.Tier` and `Flow.tier` clash.
    private mutating func declareUnique(_ names: [Located<String>], what: String) {
        var seen: [String: SourceRange] = [:]
        for name in names {
            let folded = name.value.lowercased()
            if let first = seen[folded] {
                diagnostics.append(SemanticDiagnostics.duplicateName(what, name.value, at: name.range, first: first))
            } else {
                seen[folded] = name.range
            }
        }
    }

    var variableNames: [String] { document.variables.map(\.name.value) }

    // MARK: Claims

    private mutating func checkClaim(_ decl: ClaimDecl) -> CheckedClaim? {
        let type = resolve(decl.schema)
        var builtin: BuiltinClaim?
        if decl.path == nil, let member = BuiltinClaim(rawValue: decl.claim?.value ?? decl.name.value) {
            builtin = member
        }
        let claim = CheckedClaim(name: decl.name.value, memberPath: decl.memberPath, type: type, builtin: builtin)
        checkedClaims[claim.name] = claim
        return claim
    }

    private func resolve(_ schema: ClaimSchema) -> ClaimType {
        ClaimType(
            kind: schema.kind.value, items: schema.items.map { [resolve($0.value)] } ?? [],
            properties: schema.properties.map { ClaimProperty(name: $0.name.value, type: resolve($0.schema)) },
            enumValues: schema.enumValues?.map(\.value), pattern: schema.pattern?.value, format: schema.format?.value,
            minimum: schema.minimum?.value, maximum: schema.maximum?.value, maxLength: schema.maxLength?.value,
            maxItems: schema.maxItems?.value, required: schema.required?.value ?? false)
    }

    // MARK: Identity

    private mutating func checkIdentity() -> IdentitySettings? {
        guard let identity = document.identity else { return nil }
        var algorithms: [String] = []
        for algorithm in identity.algorithms {
            if SpecGrammar.supportedAlgorithms.contains(algorithm.value) {
                algorithms.append(algorithm.value)
            } else {
                diagnostics.append(SemanticDiagnostics.algorithm(algorithm.value, at: algorithm.range))
            }
        }
        if identity.algorithms.isEmpty { algorithms = ["RS256"] }
        let nonce = identity.nonce?.value ?? .required
        if nonce == .optional, let range = identity.nonce?.range {
            diagnostics.append(SemanticDiagnostics.nonceOptional(at: range))
        }
        if let leeway = identity.leeway, leeway.value.totalSeconds > SpecGrammar.maxLeewaySeconds {
            diagnostics.append(
                SemanticDiagnostics.make(
                    .leewayOrTimeoutOutOfRange, "a leeway of \(leeway.value.totalSeconds)s accepts tokens long expired",
                    leeway.range,
                    help: "clock skew is seconds, not minutes: use at most `5m` (60s is usual)"))
        }
        guard let discovery = identity.discovery, let issuer = identity.issuer, !identity.audience.isEmpty else {
            return nil
        }
        guestMode = derivedGuestMode()
        return IdentitySettings(
            discovery: discovery.value, issuer: issuer.value, audience: identity.audience.map(\.value),
            algorithms: algorithms, leewaySeconds: identity.leeway?.value.totalSeconds ?? 60,
            maxAgeSeconds: identity.maxAge?.value.totalSeconds, nonce: nonce, jwks: identity.jwks?.value,
            guests: guestMode, guestsDeclared: identity.guests != nil)
    }

    /// The guest mode (docs/decisions.md: guests are declared): as declared, else `route` when the first routing rule
    /// is the guest rule, else `block`.
    private func derivedGuestMode() -> GuestMode {
        if let declared = document.identity?.guests?.value { return declared }
        if let first = document.routing.first?.when?.expression, Self.isGuestCondition(first) { return .route }
        return .block
    }

    /// `not Message.IsAuthenticated` (also `!Message.IsAuthenticated`, `Message.IsAuthenticated == false`).
    static func isGuestCondition(_ expression: SpecExpression) -> Bool {
        switch expression.unparenthesized.kind {
        case .unary(.not, let operand):
            if case .name("Message.IsAuthenticated") = operand.unparenthesized.kind { return true }
        case .binary(.equal, let lhs, let rhs):
            if case .name("Message.IsAuthenticated") = lhs.unparenthesized.kind,
                case .boolean(false) = rhs.unparenthesized.kind
            {
                return true
            }
        default: break
        }
        return false
    }

    // MARK: Enrichments and attributes

    /// `{name}` placeholders of a URL template, in order, with `{{substitutions}}` skipped.
    static func placeholders(in url: String) -> [String] {
        var out: [String] = []
        let scalars = Array(url.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "{" {
                if i + 1 < scalars.count, scalars[i + 1] == "{" {
                    // Archy substitution: skip to the closing `}}`.
                    i += 2
                    while i + 1 < scalars.count, !(scalars[i] == "}" && scalars[i + 1] == "}") { i += 1 }
                    i += 2
                    continue
                }
                var j = i + 1
                var name = String.UnicodeScalarView()
                while j < scalars.count, scalars[j] != "}" {
                    name.append(scalars[j])
                    j += 1
                }
                out.append(String(name))
                i = j + 1
                continue
            }
            i += 1
        }
        return out
    }

    private mutating func checkEnrichment(_ decl: EnrichmentDecl) -> CheckedEnrichment? {
        for claim in decl.returns where claimDecls[claim.value] == nil {
            diagnostics.append(
                SemanticDiagnostics.unknown(
                    .claim, claim.value, at: claim.range, candidates: document.claims.map(\.name.value)))
        }
        if let url = decl.url {
            let found = Self.placeholders(in: url.value)
            if found.isEmpty || found.contains(where: { $0 != "sub" }) {
                diagnostics.append(
                    SemanticDiagnostics.enrichmentPlaceholders(decl.name.value, found: found, at: url.range))
            }
        }
        if let timeout = decl.timeout, timeout.value.totalSeconds > 60 {
            diagnostics.append(
                SemanticDiagnostics.make(
                    .leewayOrTimeoutOutOfRange,
                    "a data action timeout of \(timeout.value.totalSeconds)s is over Genesys's limit of 60s",
                    timeout.range, help: "use at most `60s`"))
        }
        guard let category = decl.category, let url = decl.url else { return nil }
        return CheckedEnrichment(
            name: decl.name.value, category: category.value, url: url.value,
            timeout: decl.timeout?.value ?? DurationValue(amount: 5, unit: .seconds), returns: decl.returns.map(\.value)
        )
    }

    private mutating func checkAttribute(_ decl: AttributeDecl) -> CheckedAttribute? {
        if let type = decl.type, type.value != "string" {
            diagnostics.append(
                SemanticDiagnostics.nonStringAttribute(decl.name.value, type: type.value, at: type.range))
        }
        if let mirrors = decl.mirrors, claimDecls[mirrors.value] == nil {
            diagnostics.append(
                SemanticDiagnostics.unknown(
                    .claim, mirrors.value, at: mirrors.range, candidates: document.claims.map(\.name.value)))
        }
        if let pattern = decl.pattern {
            diagnostics.append(SemanticDiagnostics.attributePatternUnchecked(decl.name.value, at: pattern.range))
        }
        return CheckedAttribute(
            name: decl.name.value, enumValues: decl.enumValues?.map(\.value), pattern: decl.pattern?.value,
            maxLength: decl.maxLength?.value, mirrors: decl.mirrors?.value)
    }

    // MARK: Variables with a source

    private mutating func collectOutputTargets() {
        for guardDecl in document.guards {
            for output in guardDecl.outputs {
                let name = output.variable.value
                guard let decl = variableDecls[name] else { continue }  // reported when the guard is checked
                if let existing = outputTargets[name] {
                    diagnostics.append(
                        SemanticDiagnostics.outputTarget(
                            name, at: output.variable.range, reason: "`\(existing.guardName)` already sets it"))
                } else if decl.from != nil || decl.expr != nil {
                    diagnostics.append(
                        SemanticDiagnostics.outputTarget(
                            name, at: output.variable.range,
                            reason: decl.expr != nil ? "it is computed by `expr`" : "it already comes from `from:`"))
                } else {
                    outputTargets[name] = (guardDecl.name.value, output)
                }
            }
        }
    }

    private mutating func writtenType(_ decl: VariableDecl) -> (ArchitectType?, ok: Bool) {
        guard let written = decl.type else { return (nil, true) }
        guard let type = ArchitectType(declared: written.value) else {
            diagnostics.append(SemanticDiagnostics.unknownType(written.value, at: written.range))
            return (nil, false)
        }
        return (type, true)
    }

    private mutating func checkSourcedVariable(_ decl: VariableDecl) -> CheckedVariable? {
        let name = decl.name.value
        let (written, typeOK) = writtenType(decl)
        guard typeOK else { return nil }
        var type: ArchitectType
        var source: VariableSource
        var trusted = true
        var tokenDerived = true
        var mayBeNotSet = true
        var enumValues: [String]?
        switch decl.from?.value {
        case .claim(let claimName)?:
            guard let claim = checkedClaims[claimName], let claimDecl = claimDecls[claimName] else {
                diagnostics.append(
                    SemanticDiagnostics.unknown(
                        .claim, claimName, at: decl.from?.range ?? decl.name.range,
                        candidates: document.claims.map(\.name.value)))
                return nil
            }
            var allowed = TypeCompatibility.allowedTypes(for: claimDecl.schema)
            if let via = decl.via {
                guard let enrichment = enrichmentDecls[via.value] else {
                    diagnostics.append(
                        SemanticDiagnostics.unknown(
                            .enrichment, via.value, at: via.range, candidates: document.enrichments.map(\.name.value)))
                    return nil
                }
                guard enrichment.returns.contains(where: { $0.value == claimName }) else {
                    diagnostics.append(
                        SemanticDiagnostics.notReturned(claim: claimName, enrichment: via.value, at: via.range))
                    return nil
                }
                source = .enrichment(claim: claimName, enrichment: via.value)
            } else if let builtin = claim.builtin {
                source = .builtin(claim: claimName, builtin)
                allowed = [.string]
                mayBeNotSet = !claim.type.required
            } else {
                let returning = document.enrichments.filter { $0.returns.contains { $0.value == claimName } }
                diagnostics.append(
                    SemanticDiagnostics.noChannel(
                        variable: name, claim: claimName, at: decl.from?.range ?? decl.name.range,
                        enrichments: returning.map(\.name.value)))
                return nil
            }
            guard let first = allowed.first else {
                diagnostics.append(
                    SemanticDiagnostics.make(
                        .claimTypeDoesNotFitTheArchitectType,
                        "claim `\(claimName)` has no Architect type (arrays of objects or arrays are not supported)",
                        decl.from?.range ?? decl.name.range,
                        help: "store the whole claim in a `JSON` variable via an object claim"))
                return nil
            }
            type = written ?? first
            if !allowed.contains(type) {
                diagnostics.append(
                    SemanticDiagnostics.incompatibleClaimType(
                        variable: name, claim: claimName, claimType: Self.describe(claimDecl.schema), type: type,
                        allowed: allowed,
                        reason: TypeCompatibility.explanation(
                            claimKind: claimDecl.schema.kind.value, format: claimDecl.schema.format?.value, type: type),
                        at: decl.type?.range ?? decl.name.range))
                return nil
            }
            if claim.type.kind == .string { enumValues = claim.type.enumValues }
        case .attribute(let attributeName)?:
            guard let attribute = attributeDecls[attributeName] else {
                diagnostics.append(
                    SemanticDiagnostics.unknown(
                        .attribute, attributeName, at: decl.from?.range ?? decl.name.range,
                        candidates: document.attributes.map(\.name.value)))
                return nil
            }
            if let via = decl.via {
                diagnostics.append(SemanticDiagnostics.viaOnAttribute(at: via.range))
                return nil
            }
            type = written ?? .string
            if type != .string {
                diagnostics.append(
                    SemanticDiagnostics.typeMismatch(
                        "attribute `\(attributeName)`", have: .string, want: type.description,
                        at: decl.type?.range ?? decl.name.range,
                        help:
                            "attributes arrive as strings; declare the variable `String` and convert it in a computed variable"
                    ))
                return nil
            }
            source = .attribute(attributeName)
            trusted = false
            tokenDerived = attribute.mirrors != nil
            enumValues = attribute.enumValues?.map(\.value)
        case nil:
            guard let target = outputTargets[name] else {
                diagnostics.append(SemanticDiagnostics.noSource(name, at: decl.name.range))
                return nil
            }
            guard let written else {
                diagnostics.append(
                    SemanticDiagnostics.make(
                        .missingRequiredKeyOrSection,
                        "variable `\(name)` is set by `\(target.guardName)` and needs a `type`",
                        decl.name.range,
                        help: "write `type:` to match the output, e.g. `\(name): { type: Decimal }`"))
                return nil
            }
            type = written
            source = .actionOutput(guardName: target.guardName, field: target.output.field?.value ?? "")
        }
        let defaultValue = decl.defaultValue.flatMap { checkDefault($0, type: type, enumValues: enumValues) }
        if decl.defaultValue != nil && defaultValue == nil { return nil }
        return CheckedVariable(
            name: name, type: type, source: source, defaultValue: defaultValue, failOpen: decl.failOpen?.value ?? false,
            trusted: trusted, tokenDerived: tokenDerived, mayBeNotSetWhenAuthenticated: mayBeNotSet,
            range: decl.name.range)
    }

    static func describe(_ schema: ClaimSchema) -> String {
        var text = schema.kind.value.rawValue
        if let items = schema.items?.value { text += " of \(items.kind.value.rawValue)" }
        if let format = schema.format?.value { text += ", format \(format.rawValue)" }
        return text
    }

    private static let dateTimePattern = try? NSRegularExpression(
        pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")

    mutating func checkDefault(_ text: Located<String>, type: ArchitectType, enumValues: [String]?) -> TypedLiteral? {
        let value = text.value
        let literal: TypedLiteral?
        switch type {
        case .string:
            literal = .string(value)
        case .integer:
            literal = SpecScalars.isIntegerText(value) ? .integer(value) : nil
        case .decimal:
            literal = SpecScalars.isDecimalText(value) ? .decimal(value) : nil
        case .boolean:
            literal = value == "true" ? .boolean(true) : value == "false" ? .boolean(false) : nil
        case .dateTime:
            let range = NSRange(value.startIndex..., in: value)
            literal = Self.dateTimePattern?.firstMatch(in: value, range: range) != nil ? .dateTime(value) : nil
        case .duration, .json, .collection:
            literal = nil
        }
        guard let literal else {
            diagnostics.append(SemanticDiagnostics.badDefault(value, type: type, at: text.range))
            return nil
        }
        if let enumValues, !enumValues.contains(value) {
            diagnostics.append(SemanticDiagnostics.defaultNotInEnum(value, allowed: enumValues, at: text.range))
            return nil
        }
        return literal
    }

    // MARK: Participant data

    private mutating func checkParticipantDatum(_ decl: ParticipantDatumDecl) -> CheckedParticipantDatum? {
        guard let variable = lookupVariable(decl.variable) else { return nil }
        if !decl.piiAllowed, let claim = Self.piiClaim(of: variable) {
            diagnostics.append(
                SemanticDiagnostics.pii(decl.key.value, variable: variable.name, claim: claim, at: decl.variable.range))
        }
        return CheckedParticipantDatum(
            key: decl.key.value, variable: variable.name, type: variable.type, trusted: variable.trusted,
            piiAllowed: decl.piiAllowed)
    }

    private static func piiClaim(of variable: CheckedVariable) -> String? {
        switch variable.source {
        case .builtin(let claim, let builtin) where builtin != .sub: claim
        case .enrichment(let claim, _) where ["email", "name", "given_name", "family_name"].contains(claim): claim
        default: nil
        }
    }

    /// Resolves `Flow.X` written somewhere other than an expression; reports unknown names with a suggestion.
    mutating func lookupVariable(_ name: Located<String>) -> CheckedVariable? {
        if let variable = variables[name.value] { return variable }
        if variableDecls[name.value] == nil {
            diagnostics.append(
                SemanticDiagnostics.unknown(.variable, name.value, at: name.range, candidates: variableNames))
        }
        return nil
    }

    // MARK: Lints over claims

    private mutating func lintClaims() {
        if let sub = claimDecls["sub"] {
            if sub.schema.required?.value != true {
                diagnostics.append(SemanticDiagnostics.subNotRequired(at: sub.name.range, missing: false))
            }
        } else if !document.claims.contains(where: { $0.memberPath == ["sub"] }) {
            let range = document.claims.first?.name.range ?? document.rootRange
            diagnostics.append(SemanticDiagnostics.subNotRequired(at: range, missing: true))
        }
        var used = Set<String>(["sub"])
        for decl in document.variables {
            if case .claim(let name)? = decl.from?.value { used.insert(name) }
        }
        for attribute in document.attributes { if let mirrors = attribute.mirrors { used.insert(mirrors.value) } }
        for claim in document.claims where !used.contains(claim.name.value) {
            diagnostics.append(SemanticDiagnostics.unusedClaim(claim.name.value, at: claim.name.range))
        }
    }
}
