import Foundation

/// Architect's operators and functions on runtime values. A NOT_SET (nil) operand, an overflow, a division by
/// zero or a failed conversion yields NOT_SET, where Architect would take the flow's error path.
public enum ArchitectOperations {
    private static func decimal(_ value: Value) -> Decimal? {
        switch value {
        case .integer(let i): Decimal(i)
        case .decimal(let d): d
        default: nil
        }
    }

    /// The binary operators of the expression language (docs/language.md, Expressions), one enum from the parser
    /// to the program format; `evaluator.json` writes the raw values.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case or, and
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case add = "+", subtract = "-", multiply = "*", divide = "/"
    }

    /// The functions of the expression language, spelled as in a spec and in `evaluator.json`.
    public enum Function: String, Sendable, Hashable, CaseIterable {
        case isSet = "IsSet", isNotSetOrEmpty = "IsNotSetOrEmpty", `if` = "If", toString = "ToString", toInt = "ToInt"
        case toDecimal = "ToDecimal", toBool = "ToBool", toDateTime = "ToDateTime", lower = "Lower", upper = "Upper"
        case contains = "Contains", startsWith = "StartsWith", endsWith = "EndsWith", count = "Count"
        case substring = "Substring", getAt = "GetAt"
    }

    /// `lhs op rhs`. The interpreter short-circuits `and` and `or` itself; given both operands they decide as it
    /// does (false and NOT_SET is false, true or NOT_SET is true).
    public static func binary(_ op: Operator, _ lhs: Value?, _ rhs: Value?) -> Value? {
        switch op {
        case .and: return logical(lhs, rhs, deciding: false)
        case .or: return logical(lhs, rhs, deciding: true)
        default: break
        }
        guard let lhs, let rhs else { return nil }
        return setOperands(op, lhs, rhs)
    }

    /// `lhs op rhs` for two set operands: what `binary` answers once neither side is NOT_SET.
    public static func setOperands(_ op: Operator, _ lhs: Value, _ rhs: Value) -> Value? {
        switch op {
        case .and: return logical(lhs, rhs, deciding: false)
        case .or: return logical(lhs, rhs, deciding: true)
        case .equal: return equal(lhs, rhs).map(Value.boolean)
        case .notEqual: return equal(lhs, rhs).map { .boolean(!$0) }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let order = compare(lhs, rhs) else { return nil }
            switch op {
            case .less: return .boolean(order < 0)
            case .lessOrEqual: return .boolean(order <= 0)
            case .greater: return .boolean(order > 0)
            default: return .boolean(order >= 0)
            }
        case .add:
            if case .string(let a) = lhs, case .string(let b) = rhs { return .string(a + b) }
            return arithmetic(op, lhs, rhs)
        case .subtract, .multiply, .divide: return arithmetic(op, lhs, rhs)
        }
    }

    /// `!value` (`not`): NOT_SET unless a Boolean.
    public static func not(_ value: Value?) -> Value? {
        guard case .boolean(let b)? = value else { return nil }
        return .boolean(!b)
    }

    /// `-value`: NOT_SET unless a number, and for the one Integer whose negation overflows.
    public static func negate(_ value: Value?) -> Value? {
        switch value {
        case .integer(let i)?: i == .min ? nil : .integer(-i)
        case .decimal(let d)?: .decimal(-d)
        default: nil
        }
    }

    /// `and` (deciding value false) and `or` (true): a Boolean left side equal to the deciding value decides;
    /// otherwise the right side must be a Boolean. Anything else is NOT_SET.
    public static func logical(_ lhs: Value?, _ rhs: @autoclosure () -> Value?, deciding: Bool) -> Value? {
        guard case .boolean(let left)? = lhs else { return nil }
        if left == deciding { return .boolean(deciding) }
        guard case .boolean(let right)? = rhs() else { return nil }
        return .boolean(right)
    }

    private static func arithmetic(_ op: Operator, _ lhs: Value, _ rhs: Value) -> Value? {
        if op != .divide, case .integer(let a) = lhs, case .integer(let b) = rhs {
            let (result, overflow): (Int64, Bool) =
                switch op {
                case .add: a.addingReportingOverflow(b)
                case .subtract: a.subtractingReportingOverflow(b)
                default: a.multipliedReportingOverflow(by: b)
                }
            return overflow ? nil : .integer(result)
        }
        guard let a = decimal(lhs), let b = decimal(rhs) else { return nil }
        switch op {
        case .add: return .decimal(a + b)
        case .subtract: return .decimal(a - b)
        case .multiply: return .decimal(a * b)
        default: return b == 0 ? nil : .decimal(a / b)
        }
    }

    static func equal(_ lhs: Value, _ rhs: Value) -> Bool? {
        // Integers compare as integers (the same answer as through Decimal, without building two Decimals).
        if case .integer(let a) = lhs, case .integer(let b) = rhs { return a == b }
        if let a = decimal(lhs), let b = decimal(rhs) { return a.order(b) == 0 }
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): return a.isByteEqual(to: b)
        case let (.boolean(a), .boolean(b)): return a == b
        case let (.dateTime(a), .dateTime(b)), let (.duration(a), .duration(b)): return a == b
        default: return nil
        }
    }

    static func compare(_ lhs: Value, _ rhs: Value) -> Int? {
        if case .integer(let a) = lhs, case .integer(let b) = rhs { return a < b ? -1 : a == b ? 0 : 1 }
        if let a = decimal(lhs), let b = decimal(rhs) { return a.order(b) }
        switch (lhs, rhs) {
        case let (.dateTime(a), .dateTime(b)), let (.duration(a), .duration(b)): return a < b ? -1 : a == b ? 0 : 1
        default: return nil
        }
    }

    /// `function(arguments)`. The interpreter evaluates only the branch `If` takes; given every argument, `If`
    /// decides as it does.
    public static func call(_ function: Function, _ arguments: [Value?]) -> Value? {
        switch function {
        case .if:
            guard arguments.count == 3, case .boolean(let holds)? = arguments[0] else { return nil }
            return holds ? arguments[1] : arguments[2]
        case .isSet: return .boolean(arguments.first.map { $0 != nil } ?? false)
        case .isNotSetOrEmpty:
            switch arguments.first ?? nil {
            case nil: return .boolean(true)
            case .string(let s)?: return .boolean(s.isEmpty)
            case .collection(let items)?: return .boolean(items.isEmpty)
            default: return .boolean(false)
            }
        default: break
        }
        let values = arguments.compactMap { $0 }
        guard values.count == arguments.count else { return nil }
        switch (function, values.first) {
        case (.toString, let value?): return .string(toString(value))
        case (.toInt, .string(let s)?):
            return Int64(s.trimmingCharacters(in: .whitespaces)).map(Value.integer)
        case (.toInt, .integer(let i)?): return .integer(i)
        case (.toInt, .decimal(let d)?):
            var input = d
            var truncated = Decimal()
            NSDecimalRound(&truncated, &input, 0, d < 0 ? .up : .down)
            let number = NSDecimalNumber(decimal: truncated)
            guard truncated.magnitude < Decimal(Int64.max) else { return nil }
            return .integer(number.int64Value)
        case (.toDecimal, .string(let s)?):
            let trimmed = s.trimmingCharacters(in: .whitespaces)
            guard isDecimalText(trimmed) else { return nil }
            return POSIXLocale.decimal(trimmed).map(Value.decimal)
        case (.toDecimal, let value?): return decimal(value).map(Value.decimal)
        case (.toBool, .string(let s)?):
            switch s.lowercased() {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: return nil
            }
        case (.toDateTime, .string(let s)?): return Value.parseRFC3339(s).map(Value.dateTime)
        case (.lower, .string(let s)?): return .string(s.lowercased())
        case (.upper, .string(let s)?): return .string(s.uppercased())
        case (.contains, .string(let s)?):
            guard case .string(let part) = values[1] else { return nil }
            return .boolean(s.containsBytes(part))
        case (.contains, .collection(let items)?):
            return .boolean(items.contains { equal($0, values[1]) == true })
        case (.startsWith, .string(let s)?):
            guard case .string(let part) = values[1] else { return nil }
            return .boolean(s.hasBytePrefix(part))
        case (.endsWith, .string(let s)?):
            guard case .string(let part) = values[1] else { return nil }
            return .boolean(s.hasByteSuffix(part))
        case (.count, .collection(let items)?): return .integer(Int64(items.count))
        case (.substring, .string(let s)?):
            guard case .integer(let start) = values[1], case .integer(let length) = values[2], start >= 0, length >= 0
            else {
                return nil
            }
            let characters = Array(s)
            // Compared without a sum: start + length could overflow for untrusted integers.
            guard start <= Int64(characters.count), length <= Int64(characters.count) - start else { return nil }
            return .string(String(characters[Int(start)..<Int(start + length)]))
        case (.getAt, .collection(let items)?):
            guard case .integer(let index) = values[1], index >= 0, index < Int64(items.count) else { return nil }
            return items[Int(index)]
        default:
            return nil
        }
    }

    static func isDecimalText(_ text: String) -> Bool {
        var body = Substring(text)
        if body.hasPrefix("-") { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit) else { return false }
        return parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy(\.isASCIIDigit))
    }

    /// Architect's `ToString`. UNCONFIRMED against Architect for Boolean (`true`), DateTime (RFC 3339, UTC) and
    /// collections (written as compact JSON arrays); the emitted flow and this evaluator agree by construction.
    public static func toString(_ value: Value) -> String {
        switch value {
        case .string(let s): s
        case .integer(let i): String(i)
        case .decimal(let d): Value.decimalText(d)
        case .boolean(let b): b ? "true" : "false"
        case .dateTime, .duration:
            if case .string(let s) = value.json { s } else { "" }
        case .json(let json): json.compact()
        case .collection: value.json.compact()
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
