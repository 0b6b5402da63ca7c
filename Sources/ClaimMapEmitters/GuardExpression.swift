import ClaimMapSemantics

/// The Architect condition a guarded data action is called under (docs/language.md, What a guard promises;
/// docs/decisions.md): authenticated, a non-empty verified `sub`, every input set (a `pick: first` collection
/// non-empty), then the guard's `when`. Written as a chain of `If(...)`, so no read of a maybe-NOT_SET input is
/// evaluated before its test.
enum GuardExpression {
    static func conditions(for guardAction: CheckedGuard) -> [String] {
        var conditions = [
            "Message.IsAuthenticated", "!IsNotSetOrEmpty(\(BuiltinClaim.sub.architectVariable))",
        ]
        for input in guardAction.inputs {
            conditions.append("IsSet(\(input.variable))")
            if input.pickFirst { conditions.append("Count(\(input.variable)) > 0") }
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
