import ClaimMapSemantics

/// The Architect condition a guarded data action is called under (docs/language.md, What a guard promises;
/// docs/decisions.md): authenticated, a non-empty verified `sub`, every input set (a collection non-empty), then
/// the guard's `when`. Written as a chain of `If(...)`, so no read of a maybe-NOT_SET input is
/// evaluated before its test.
enum GuardExpression {
    static func conditions(for guardAction: CheckedGuard) -> [String] {
        var conditions = [
            "Message.IsAuthenticated", "!IsNotSetOrEmpty(\(BuiltinClaim.sub.architectVariable))",
        ]
        for input in guardAction.inputs {
            // NOT_SET applies to scalars only (Genesys help, "Use NOT_SET in expressions"): a collection is tested
            // with `Count(x) > 0`.
            if input.pickFirst || input.type.isCollection {
                conditions.append("Count(\(input.variable)) > 0")
            } else {
                conditions.append("IsSet(\(input.variable))")
            }
        }
        if let when = guardAction.when { conditions.append(ArchitectExpressionWriter.write(when)) }
        return conditions
    }

    static func architect(for guardAction: CheckedGuard) -> String {
        let conditions = conditions(for: guardAction)
        guard var text = conditions.last else { return "false" }
        for condition in conditions.dropLast().reversed() {
            text = "If(\(condition), \(text), false)"
        }
        return text
    }

    /// The expression a guard input is sent as.
    static func inputExpression(_ input: CheckedGuardInput) -> String {
        input.pickFirst ? "GetAt(\(input.variable), 0)" : input.variable
    }
}
