import ClaimMapDiagnostics

/// The catalog of the semantic stage. CM20xx names and references, CM21xx types, CM22xx trust, CM23xx definite
/// assignment, CM24xx shape, CM25xx security lints. Each message is written once, here.
package enum SemanticDiagnostics {
    /// A diagnostic of `code`, with the severity the catalog gives it.
    package static func make(
        _ code: DiagnosticCode, _ message: String, _ range: SourceRange?, help: String? = nil,
        have: String? = nil, want: String? = nil, notes: [DiagnosticNote] = []
    ) -> Diagnostic {
        Diagnostic(
            code: code, message: message, range: range, notes: notes, have: have,
            want: want, help: help)
    }

    package static func quoted(_ s: String) -> String { "`\(s)`" }

    // MARK: CM20xx names and references

    /// What a spec declares in a section and other entries refer to by name.
    package enum Declaration: String, Sendable {
        case claim, variable, enrichment, attribute
    }

    /// A reference to an undeclared `kind` `name`: the help suggests the closest of `candidates`, else where to
    /// declare it.
    package static func unknown(_ kind: Declaration, _ name: String, at range: SourceRange, candidates: [String])
        -> Diagnostic
    {
        let (code, declare): (DiagnosticCode, String) =
            switch kind {
            case .claim: (.unknownClaim, "declare it under `claims:`")
            case .variable: (.unknownVariable, "declare it under `variables:`")
            case .enrichment: (.unknownEnrichment, "declare the data action under `enrichment:`")
            case .attribute: (.unknownAttribute, "declare it under `attributes:`")
            }
        return make(
            code, "unknown \(kind.rawValue) `\(name)`", range,
            help: Suggestion.help(for: name, in: candidates) ?? declare)
    }

    package static func duplicateName(_ what: String, _ name: String, at range: SourceRange, first: SourceRange)
        -> Diagnostic
    {
        make(
            .namesThatDifferOnlyInCase, "\(what) `\(name)` is declared twice (names differ only in letter case)", range,
            help: "Architect compares these names without regard to case; rename one",
            notes: [DiagnosticNote("first declared here", at: first)])
    }

    package static func unknownRule(_ name: String, at range: SourceRange, candidates: [String]) -> Diagnostic {
        make(
            .unknownRoutingRule, "unknown routing rule `\(name)`", range,
            help: Suggestion.help(for: name, in: candidates)
                ?? ("rules are: " + candidates.map(quoted).joined(separator: ", ")))
    }

    package static func unknownFunction(_ name: String, at range: SourceRange) -> Diagnostic {
        make(
            .unknownFunction, "unknown function `\(name)`", range,
            help: Suggestion.help(for: name, in: FunctionTable.functions.keys.sorted())
                ?? ("functions are: " + FunctionTable.functions.keys.sorted().joined(separator: ", ")))
    }

    package static func unknownName(_ name: String, at range: SourceRange, candidates: [String]) -> Diagnostic {
        var help = Suggestion.help(for: name, in: candidates)
        if help == nil {
            if !name.contains(".") {
                help = "variables are written `Flow.\(name)`; text is written in double quotes: \"\(name)\""
            } else if name.hasPrefix("Message.") {
                help = "the built-in an expression may read is `Message.IsAuthenticated`; read claims through variables"
            }
        }
        return make(.unknownNameInAnExpression, "unknown name `\(name)` in expression", range, help: help)
    }

    package static func notReturned(claim: String, enrichment: String, at range: SourceRange) -> Diagnostic {
        make(
            .enrichmentDoesNotReturnTheClaim, "enrichment `\(enrichment)` does not return claim `\(claim)`", range,
            help: "add `\(claim)` to `returns:` of `\(enrichment)`, or use the enrichment that returns it")
    }

    package static func noSource(_ name: String, at range: SourceRange) -> Diagnostic {
        make(
            .variableWithoutAValue,
            "variable `\(name)` has no value: no `from`, no `expr`, and no guarded action's `outputs` sets it",
            range,
            help: "add `from: <claim>`, an `expr`, or list it under a guard's `outputs:`")
    }

    package static func outputTarget(_ name: String, at range: SourceRange, reason: String) -> Diagnostic {
        make(
            .invalidDataActionOutputTarget, "`\(name)` cannot be a data action output: \(reason)", range,
            help:
                "declare the variable with only a `type` (e.g. `\(name): { type: Decimal }`) and set it from one action"
        )
    }

    package static func cycle(_ names: [String], at range: SourceRange) -> Diagnostic {
        make(
            .cycleBetweenComputedVariables,
            "computed variables depend on each other in a cycle: " + names.joined(separator: " -> "), range,
            help: "break the cycle; a computed variable may read only variables computed before it")
    }

    package static func readsActionOutput(_ variable: String, output: String, at range: SourceRange) -> Diagnostic {
        make(
            .computedVariableReadsADataActionOutput,
            "computed variable `\(variable)` reads `\(output)`, which a guarded data action sets later",
            range,
            help:
                "computed variables are set before any guarded action runs; read `\(output)` in a routing rule instead")
    }

    // MARK: CM21xx types

    package static func incompatibleClaimType(
        variable: String, claim: String, claimType: String, type: ArchitectType, allowed: [ArchitectType],
        reason: String?, at range: SourceRange
    ) -> Diagnostic {
        make(
            .claimTypeDoesNotFitTheArchitectType,
            "claim `\(claim)` (\(claimType)) cannot be stored in `\(variable)` of type \(type)", range,
            help: reason ?? ("use " + allowed.map { quoted($0.description) }.joined(separator: " or ")),
            have: type.description, want: allowed.map(\.description).joined(separator: " or "))
    }

    package static func typeMismatch(
        _ what: String, have: ArchitectType, want: String, at range: SourceRange, help: String? = nil
    )
        -> Diagnostic
    {
        make(
            .expressionTypeMismatch, "\(what) has type \(have), expected \(want)", range, help: help,
            have: have.description,
            want: want)
    }

    package static func unknownType(_ name: String, at range: SourceRange) -> Diagnostic {
        make(
            .unknownArchitectType, "unknown Architect type `\(name)`", range,
            help: Suggestion.help(for: name, in: ArchitectType.all.map(\.description))
                ?? ("types are: " + ArchitectType.all.map(\.description).joined(separator: ", ")))
    }

    package static func noChannel(variable: String, claim: String, at range: SourceRange, enrichments: [String])
        -> Diagnostic
    {
        var help =
            "Architect sees only `sub`, `email` and `name` as built-ins; bring `\(claim)` through an enrichment (`via: <enrichment>`, trusted) or an attribute the page sets (`from: attribute <name>`, untrusted)"
        if let first = enrichments.first { help += "; enrichment `\(first)` returns it" }
        return make(
            .claimWithNoChannelIntoTheFlow, "claim `\(claim)` has no way into the flow for `\(variable)`", range,
            help: help)
    }

    package static func arity(_ function: FunctionSpec, count: Int, at range: SourceRange) -> Diagnostic {
        let expected =
            function.arity.lowerBound == function.arity.upperBound
            ? "\(function.arity.lowerBound)" : "\(function.arity.lowerBound) to \(function.arity.upperBound)"
        return make(
            .wrongNumberOfArguments,
            "`\(function.name)` takes \(expected) argument\(expected == "1" ? "" : "s"), but \(count) were given",
            range, help: "signature: \(function.signature)")
    }

    package static func argumentMismatch(
        _ function: FunctionSpec, index: Int, have: ArchitectType, want: String, at range: SourceRange
    )
        -> Diagnostic
    {
        make(
            .argumentOfTheWrongType, "argument \(index + 1) of `\(function.name)` has type \(have), expected \(want)",
            range,
            help: "signature: \(function.signature)", have: have.description, want: want)
    }

    package static func notSetTestOnCollection(
        _ function: String, subject: String, type: ArchitectType, at range: SourceRange
    ) -> Diagnostic {
        make(
            .notSetTestOnACollection,
            "`\(function)` tests for NOT_SET, which a collection (\(type)) never is in Architect", range,
            help:
                "test a collection with `Count(\(subject)) > 0` (Genesys: \"NOT_SET is a value that applies to scalar values\"); an absent collection is empty"
        )
    }

    /// A default `text` that is no value of `type`; the help says how to write one, or that the type takes none.
    package static func badDefault(_ text: String, type: ArchitectType, at range: SourceRange) -> Diagnostic {
        let help =
            switch type {
            case .string: ""  // never reported: every text is a String
            case .integer: "write a whole number such as `0`"
            case .decimal: "write a number such as `0` or `10.5`"
            case .boolean: "write `true` or `false`"
            case .dateTime: "write an RFC 3339 time such as `2026-01-01T00:00:00Z`"
            case .duration, .json, .collection: "variables of type \(type) cannot have a default in version 1"
            }
        return make(.invalidDefault, "default `\(text)` is not a valid \(type)", range, help: help)
    }

    package static func comparisonOutsideEnum(
        _ value: String, variable: String, allowed: [String], at range: SourceRange
    )
        -> Diagnostic
    {
        make(
            .comparisonWithAValueTheVariableNeverTakes,
            "`\(variable)` is never \"\(value)\": it takes one of "
                + allowed.map { "\"\($0)\"" }.joined(separator: ", "),
            range,
            help: Suggestion.help(for: value, in: allowed, quote: { "\"\($0)\"" })
                ?? "compare with one of the declared values")
    }

    package static func defaultNotInEnum(_ value: String, allowed: [String], at range: SourceRange) -> Diagnostic {
        make(
            .defaultOutsideTheDeclaredValues, "default `\(value)` is not one of the declared values", range,
            help: "use one of " + allowed.map(quoted).joined(separator: ", "))
    }

    package static func nonStringAttribute(_ name: String, type: String, at range: SourceRange) -> Diagnostic {
        make(
            .nonStringAttribute, "attribute `\(name)` is declared `\(type)`, but attributes are strings in version 1",
            range,
            help:
                "declare `type: string` (or omit it) and convert in a computed variable if needed; the conversion of a page value is not yet confirmed safe in Architect"
        )
    }

    package static func badGuardInputType(_ input: String, type: ArchitectType, at range: SourceRange, help: String)
        -> Diagnostic
    {
        make(.invalidDataActionInputType, "input `\(input)` cannot send a \(type)", range, help: help)
    }

    package static func outputTypeMismatch(
        _ variable: String, have: ArchitectType, want: ArchitectType, at range: SourceRange
    )
        -> Diagnostic
    {
        make(
            .outputTypeDiffersFromTheVariable, "output type \(have) does not match `\(variable)`, declared \(want)",
            range,
            help: "make the output `type` and the variable's `type` the same", have: have.description,
            want: want.description)
    }

    package static func enrichmentPlaceholders(_ name: String, found: [String], at range: SourceRange) -> Diagnostic {
        let detail =
            found.isEmpty ? "it has no `{sub}`" : "it uses " + found.map { "`{\($0)}`" }.joined(separator: ", ")
        return make(
            .enrichmentURLNotKeyedOnSub,
            "the URL of enrichment `\(name)` must be keyed on the verified subject: \(detail)", range,
            help: "write the URL with `{sub}` as its only placeholder, e.g. `https://crm.example/customers/{sub}`")
    }

    package static func placeholderNotInput(
        _ placeholder: String, guardName: String, at range: SourceRange, inputs: [String]
    )
        -> Diagnostic
    {
        make(
            .urlPlaceholderIsNotAnInput,
            "URL placeholder `{\(placeholder)}` of `\(guardName)` is not one of its inputs", range,
            help: Suggestion.help(for: placeholder, in: inputs)
                ?? "add `\(placeholder): Flow.<Variable>` under `inputs:`")
    }

    package static func inputUnused(_ input: String, guardName: String, at range: SourceRange) -> Diagnostic {
        make(
            .inputNotUsed, "input `\(input)` of `\(guardName)` is not used: a GET request sends only its URL", range,
            help: "put `{\(input)}` in the URL, use `method: POST` to send it in the body, or remove the input")
    }

    package static func viaOnAttribute(at range: SourceRange) -> Diagnostic {
        make(
            .viaOnAnAttribute, "`via` applies to claims delivered by an enrichment, not to attributes", range,
            help: "remove `via`, or write `from: <claim>` with `via: <enrichment>`")
    }

    // MARK: CM22xx trust

    package static func untrusted(
        _ what: String, variable: String, origin: String, at range: SourceRange, notes: [DiagnosticNote]
    )
        -> Diagnostic
    {
        make(
            .untrustedValueWhereTrustIsRequired, "\(what) reads `\(variable)`, which is untrusted: \(origin)", range,
            help:
                "feed it from a built-in claim (`sub`, `email`, `name`) or an enrichment keyed on the verified `sub`; the page, and so the user, controls attributes",
            notes: notes)
    }

    // MARK: CM23xx definite assignment

    package static func maybeNotSet(_ variable: String, reason: String, at range: SourceRange) -> Diagnostic {
        make(
            .valueMayBeNotSet, "`\(variable)` may be NOT_SET here: \(reason)", range,
            help:
                "test it first (`IsSet(\(variable)) and ...`, or `If(IsSet(\(variable)), ..., ...)`), or give the variable a `default`"
        )
    }

    package static func resultMaybeNotSet(_ what: String, at range: SourceRange) -> Diagnostic {
        make(
            .aConversionMayBeNotSet, "\(what) may be NOT_SET (a conversion can fail)", range,
            help: "store it in a variable and test that with `IsSet(...)`, or wrap it: `If(IsSet(...), ..., ...)`")
    }

    // MARK: CM24xx shape

    package static func unreachableRule(_ name: String, at range: SourceRange, after: String, afterRange: SourceRange)
        -> Diagnostic
    {
        make(
            .unreachableRule, "rule `\(name)` is unreachable: rule `\(after)` before it matches every conversation",
            range,
            help: "move `\(name)` above `\(after)`, or give `\(after)` a `when:`",
            notes: [DiagnosticNote("`\(after)` has no `when`", at: afterRange)])
    }

    package static func neverTrueRule(_ name: String, alone: Bool, at range: SourceRange) -> Diagnostic {
        make(
            .ruleNeverRoutes,
            alone
                ? "the condition of rule `\(name)` is never true, so the rule never routes a conversation"
                : "rule `\(name)` never routes a conversation: whenever its condition is true, a rule before it has already matched",
            range,
            help: alone
                ? "a condition such as `x == \"a\" and x == \"b\"` or `x and not x` cannot hold; fix the condition or remove the rule"
                : "move `\(name)` above the rules that take its conversations, narrow theirs, or remove it")
    }

    package static func alwaysTrueRule(_ name: String, alone: Bool, later: [String], at range: SourceRange)
        -> Diagnostic
    {
        let rules = later.map { "`\($0)`" }.joined(separator: ", ")
        return make(
            .conditionAlwaysTrueBeforeTheLastRule,
            (alone
                ? "the condition of rule `\(name)` is always true"
                : "the condition of rule `\(name)` is always true once the rules before it have not matched")
                + ", so \(later.count == 1 ? "rule" : "rules") \(rules) after it \(later.count == 1 ? "is" : "are") never reached",
            range,
            help: "fix the condition, or drop it and make `\(name)` the last (default) rule")
    }

    package static func guardWithoutCondition(_ name: String, at range: SourceRange) -> Diagnostic {
        make(
            .guardedActionWithoutWhen,
            "guarded action `\(name)` has no `when`: it runs for every authenticated conversation whose inputs are set",
            range,
            help:
                "add `when:` with what the action needs beyond a signed-in user (a verified claim, a trusted level), or keep it if authentication is enough"
        )
    }

    package static func missingDefaultRule(at range: SourceRange) -> Diagnostic {
        make(
            .noDefaultRule, "the last routing rule must have no `when`, so that every conversation is routed", range,
            help: "add a final rule such as `- rule: default` with a `queue:` and no `when:`")
    }

    package static func duplicateRule(_ name: String, at range: SourceRange, first: SourceRange) -> Diagnostic {
        make(
            .duplicateRuleName, "rule name `\(name)` is used twice", range, help: "give each rule its own name",
            notes: [DiagnosticNote("first used here", at: first)])
    }

    package static func guestRuleBlocked(_ name: String, at range: SourceRange, guestsRange: SourceRange?) -> Diagnostic
    {
        make(
            .guestRuleWhileGuestsAreBlocked, "rule `\(name)` routes guests, but this deployment blocks guests", range,
            help: guestsRange == nil
                ? "guests are blocked because the guest rule is not the first rule; move it to the top (or write `identity.guests: route`)"
                : "remove the rule, or write `identity.guests: route` to serve guests")
    }

    package static func failOpen(
        _ what: String, variable: String, defaultText: String, scenario: String, at range: SourceRange,
        defaultRange: SourceRange
    ) -> Diagnostic {
        make(
            .aDefaultOpensAGuardOrASensitiveRule,
            "\(what) is true when `\(variable)` falls back to its default `\(defaultText)` (\(scenario))",
            range,
            help:
                "a default must never open a guard or a sensitive rule: change the default or the condition, or mark the variable `failOpen: true` if that is intended",
            notes: [DiagnosticNote("default set here", at: defaultRange)])
    }

    // MARK: CM25xx lints

    package static func algorithm(_ name: String, at range: SourceRange) -> Diagnostic {
        let upper = name.uppercased()
        let reason: String
        if upper == "NONE" {
            reason = "`none` means unsigned tokens: anyone could write any claims"
        } else if upper.hasPrefix("HS") {
            reason =
                "HMAC algorithms are symmetric: every verifier would hold the secret that signs tokens, and key confusion attacks become possible"
        } else {
            reason = "version 1 verifies RSA signatures only"
        }
        return make(
            .algorithmNotAllowed, "algorithm `\(name)` is not allowed: \(reason)", range,
            help: "use " + ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"].map(quoted).joined(separator: ", "))
    }

    package static func nonceOptional(at range: SourceRange) -> Diagnostic {
        make(
            .nonceOptional, "`nonce: optional` lets a replayed ID token through", range,
            help: "send a nonce in the authorize request, resolve it in `getAuthCode`, and write `nonce: required`")
    }

    package static func subNotRequired(at range: SourceRange, missing: Bool) -> Diagnostic {
        make(
            .subMissingOrNotRequired,
            missing ? "the claims must declare `sub`" : "claim `sub` must be `required: true`", range,
            help:
                "`sub` is the verified identity every enrichment and guard is keyed on: `sub: { type: string, required: true }`"
        )
    }

    package static func pii(_ key: String, variable: String, claim: String, at range: SourceRange) -> Diagnostic {
        make(
            .personalDataInParticipantData,
            "participant data `\(key)` writes `\(claim)` (personal data) from `\(variable)`", range,
            help:
                "agents and analytics see participant data; if intended, write `\(key): { from: \(variable), pii: allow }`"
        )
    }

    package static func emailIdentity(_ guardName: String, variable: String, at range: SourceRange) -> Diagnostic {
        make(
            .emailAsIdentityWithoutEmailVerified,
            "guarded action `\(guardName)` uses `\(variable)` (the `email` claim) without checking `email_verified`",
            range,
            help:
                "an unverified email is not an identity; key the action on `sub`, or add an `email_verified` claim and test it in `when`"
        )
    }

    package static func unusedClaim(_ name: String, at range: SourceRange) -> Diagnostic {
        make(
            .unusedClaim, "claim `\(name)` is declared but no variable or attribute reads it", range,
            help: "remove it from `claims:`, or map it to a variable")
    }

    package static func secureUnconfirmed(_ guardName: String, at range: SourceRange) -> Diagnostic {
        make(
            .secureTrue,
            "`secure: true` on `\(guardName)`: whether inbound message flows may call secure data actions is unconfirmed",
            range, help: "verify in a sandbox org that the flow can call it; `claimmap` emits the flag as written")
    }

    package static func slugCollision(_ name: String, other: String, slug: String, at range: SourceRange) -> Diagnostic
    {
        make(
            .dataActionFileNamesCollide,
            "data actions `\(other)` and `\(name)` would both be written to `data-actions/\(slug).json`",
            range,
            help: "rename one so their names differ in more than punctuation and case")
    }

    package static func attributePatternUnchecked(_ name: String, at range: SourceRange) -> Diagnostic {
        make(
            .attributePatternNotCheckableInTheFlow,
            "the flow cannot check attribute `\(name)`'s `pattern`: Architect has no confirmed regular-expression function",
            range,
            help:
                "replay, tests and the web script enforce it; in the flow only `enum` and `maxLength` are checked. Prefer `enum` where the values are known"
        )
    }

    package static func unconfirmedFunction(_ name: String, at range: SourceRange) -> Diagnostic {
        make(
            .unconfirmedFunctionSpelling,
            "the Architect spelling of `\(name)` is not confirmed by any Genesys-authored flow", range,
            help:
                "check it in Architect's Expression Help before publishing, or use a confirmed function (IsSet, IsNotSetOrEmpty, If, ToString, ToInt, ToDateTime, Lower, Contains, Count, Substring, GetAt)"
        )
    }
}
