import ClaimMapEvaluator
import ClaimMapRuntime
import ClaimMapSemantics
import ClaimMapSyntax
import Foundation

/// Lowers a `CheckedSpec` to the evaluator program (`evaluator.json`): the runtime's own types, no compiler
/// types, so replay and embedders need nothing from the compiler.
package enum ProgramLowering {
    package static func program(_ spec: CheckedSpec) -> EvaluatorProgram {
        EvaluatorProgram(
            spec: spec.name,
            identity: IdentityPolicy(
                discovery: spec.identity.discovery, issuer: spec.identity.issuer, audience: spec.identity.audience,
                algorithms: spec.identity.algorithms, leewaySeconds: spec.identity.leewaySeconds,
                maxAgeSeconds: spec.identity.maxAgeSeconds, nonceRequired: spec.identity.nonce == .required,
                jwks: spec.identity.jwks, guests: spec.identity.guests),
            claims: spec.claims.map {
                ClaimSpec(
                    name: $0.name, path: $0.memberPath, type: claimType($0.type), required: $0.type.required,
                    builtin: $0.builtin?.rawValue)
            },
            enrichments: spec.enrichments.map { EnrichmentSpec(name: $0.name, returns: $0.returns) },
            attributes: spec.attributes,
            variables: spec.variables.map { variable in
                VariableSpec(
                    name: variable.name, type: variable.type, source: source(variable.source),
                    defaultValue: variable.defaultValue.map(value), trusted: variable.trusted)
            },
            computationOrder: spec.computationOrder,
            participantData: spec.participantData.map { ParticipantDatumSpec(key: $0.key, variable: $0.variable) },
            routing: spec.routing.map {
                RuleSpec(
                    name: $0.name, when: $0.when.map(expression), queue: $0.queue, priority: $0.priority,
                    skills: $0.skills, sensitive: $0.sensitive)
            },
            guards: spec.guards.map { guardAction in
                var beforeRule: String?
                if case .before(let rule) = guardAction.call { beforeRule = rule }
                return GuardSpec(
                    name: guardAction.name, when: guardAction.when.map(expression), beforeRule: beforeRule,
                    inputs: guardAction.inputs.map {
                        GuardInputSpec(name: $0.name, variable: $0.variable, pickFirst: $0.pickFirst)
                    }, outputs: guardAction.outputs)
            })
    }

    static func claimType(_ type: ClaimType) -> ClaimTypeSpec {
        ClaimTypeSpec(
            kind: type.kind, items: type.items.map(claimType),
            properties: type.properties.map { ($0.name, claimType($0.type)) },
            enumValues: type.enumValues, pattern: type.pattern, format: type.format, minimum: type.minimum,
            maximum: type.maximum, maxLength: type.maxLength, maxItems: type.maxItems)
    }

    static func value(_ literal: TypedLiteral) -> Value {
        switch literal {
        case .string(let s): .string(s)
        case .integer(let n): Int64(n).map(Value.integer) ?? .string(n)
        case .decimal(let n): .decimal(POSIXLocale.decimal(n) ?? 0)
        case .boolean(let b): .boolean(b)
        case .dateTime(let s): .dateTime(Value.parseRFC3339(s) ?? 0)
        }
    }

    static func source(_ source: VariableSource) -> VariableSourceSpec {
        switch source {
        case .builtin(let claim, _): .builtin(claim: claim)
        case .enrichment(let claim, let enrichment): .enrichment(claim: claim, enrichment: enrichment)
        case .attribute(let name): .attribute(name)
        case .expression(let expression): .expression(self.expression(expression))
        case .actionOutput(let guardName, let field): .action(guardName: guardName, field: field)
        }
    }

    static func expression(_ e: TypedExpression) -> TypedExpr {
        let type = e.type
        switch e.kind {
        case .literal(let literal):
            // A decimal literal where the checker typed Decimal stays Decimal; integers stay Integer.
            return TypedExpr(.literal(value(literal)), type: type)
        case .variable(let name): return TypedExpr(.variable(name), type: type)
        case .isAuthenticated: return TypedExpr(.isAuthenticated, type: type)
        case .call(let name, let arguments): return TypedExpr(.call(name, arguments.map(expression)), type: type)
        case .not(let operand): return TypedExpr(.not(expression(operand)), type: type)
        case .negate(let operand): return TypedExpr(.negate(expression(operand)), type: type)
        case .binary(let op, let lhs, let rhs):
            return TypedExpr(.binary(op, expression(lhs), expression(rhs)), type: type)
        }
    }
}
