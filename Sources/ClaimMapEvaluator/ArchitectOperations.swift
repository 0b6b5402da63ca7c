import ClaimMapJSON
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

    public static func binary(_ op: String, _ lhs: Value?, _ rhs: Value?) -> Value? {
        guard let lhs, let rhs else { return nil }
        switch op {
        case "==": return equal(lhs, rhs).map(Value.boolean)
        case "!=": return equal(lhs, rhs).map { .boolean(!$0) }
        case "<", "<=", ">", ">=":
            guard let order = compare(lhs, rhs) else { return nil }
            switch op {
            case "<": return .boolean(order < 0)
            case "<=": return .boolean(order <= 0)
            case ">": return .boolean(order > 0)
            default: return .boolean(order >= 0)
            }
        case "+":
            if case .string(let a) = lhs, case .string(let b) = rhs { return .string(a + b) }
            return arithmetic(op, lhs, rhs)
        case "-", "*", "/": return arithmetic(op, lhs, rhs)
        default: return nil
        }
    }

    private static func arithmetic(_ op: String, _ lhs: Value, _ rhs: Value) -> Value? {
        if op != "/", case .integer(let a) = lhs, case .integer(let b) = rhs {
            let (result, overflow): (Int64, Bool) =
                switch op {
                case "+": a.addingReportingOverflow(b)
                case "-": a.subtractingReportingOverflow(b)
                default: a.multipliedReportingOverflow(by: b)
                }
            return overflow ? nil : .integer(result)
        }
        guard let a = decimal(lhs), let b = decimal(rhs) else { return nil }
        switch op {
        case "+": return .decimal(a + b)
        case "-": return .decimal(a - b)
        case "*": return .decimal(a * b)
        default: return b == 0 ? nil : .decimal(a / b)
        }
    }

    static func equal(_ lhs: Value, _ rhs: Value) -> Bool? {
        if let a = decimal(lhs), let b = decimal(rhs) { return a == b }
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): return a == b
        case let (.boolean(a), .boolean(b)): return a == b
        case let (.dateTime(a), .dateTime(b)), let (.duration(a), .duration(b)): return a == b
        default: return nil
        }
    }

    static func compare(_ lhs: Value, _ rhs: Value) -> Int? {
        if let a = decimal(lhs), let b = decimal(rhs) { return a < b ? -1 : a == b ? 0 : 1 }
        switch (lhs, rhs) {
        case let (.dateTime(a), .dateTime(b)), let (.duration(a), .duration(b)): return a < b ? -1 : a == b ? 0 : 1
        default: return nil
        }
    }

    public static func call(_ name: String, _ arguments: [Value?]) -> Value? {
        switch name {
        case "IsSet": return .boolean(arguments.first.map { $0 != nil } ?? false)
        case "IsNotSetOrEmpty":
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
        switch (name, values.first) {
        case ("ToString", let value?): return .string(toString(value))
        case ("ToInt", .string(let s)?):
            return Int64(s.trimmingCharacters(in: .whitespaces)).map(Value.integer)
        case ("ToInt", .integer(let i)?): return .integer(i)
        case ("ToInt", .decimal(let d)?):
            var input = d
            var truncated = Decimal()
            NSDecimalRound(&truncated, &input, 0, d < 0 ? .up : .down)
            let number = NSDecimalNumber(decimal: truncated)
            guard truncated.magnitude < Decimal(Int64.max) else { return nil }
            return .integer(number.int64Value)
        case ("ToDecimal", .string(let s)?):
            let trimmed = s.trimmingCharacters(in: .whitespaces)
            guard isDecimalText(trimmed) else { return nil }
            return Decimal(string: trimmed, locale: POSIXLocale.shared).map(Value.decimal)
        case ("ToDecimal", let value?): return decimal(value).map(Value.decimal)
        case ("ToBool", .string(let s)?):
            switch s.lowercased() {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: return nil
            }
        case ("ToDateTime", .string(let s)?): return Value.parseRFC3339(s).map(Value.dateTime)
        case ("Lower", .string(let s)?): return .string(s.lowercased())
        case ("Upper", .string(let s)?): return .string(s.uppercased())
        case ("Contains", .string(let s)?):
            guard case .string(let part) = values[1] else { return nil }
            return .boolean(part.isEmpty || s.contains(part))
        case ("Contains", .collection(let items)?):
            return .boolean(items.contains { equal($0, values[1]) == true })
        case ("StartsWith", .string(let s)?):
            guard case .string(let part) = values[1] else { return nil }
            return .boolean(s.hasPrefix(part))
        case ("EndsWith", .string(let s)?):
            guard case .string(let part) = values[1] else { return nil }
            return .boolean(s.hasSuffix(part))
        case ("Count", .collection(let items)?): return .integer(Int64(items.count))
        case ("Substring", .string(let s)?):
            guard case .integer(let start) = values[1], case .integer(let length) = values[2], start >= 0, length >= 0
            else {
                return nil
            }
            let characters = Array(s)
            guard start + length <= Int64(characters.count) else { return nil }
            return .string(String(characters[Int(start)..<Int(start + length)]))
        case ("GetAt", .collection(let items)?):
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
