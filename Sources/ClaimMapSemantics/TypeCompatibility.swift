import ClaimMapRuntime
import ClaimMapSyntax

/// The claim-type × Architect-type table of docs/language.md (Claim types and Architect types), in one place.
///
/// | claim type | allowed Architect types |
/// | --- | --- |
/// | string (+enum/pattern/format) | String; DateTime if `format: date-time` |
/// | integer | Integer, Decimal (widening), String |
/// | number | Decimal, String (Integer is narrowing: an error) |
/// | integer with `format: numeric-date` | DateTime, Integer |
/// | boolean | Boolean, String |
/// | array of T | the collection of T's type |
/// | object | JSON |
package enum TypeCompatibility {
    /// Architect types a claim of this schema may be stored in; the first is the one inferred when none is written.
    package static func allowedTypes(for schema: ClaimSchema) -> [ArchitectType] {
        let format = schema.format?.value
        switch schema.kind.value {
        case .string:
            return format == .dateTime ? [.string, .dateTime] : [.string]
        case .integer:
            return format == .numericDate ? [.integer, .dateTime] : [.integer, .decimal, .string]
        case .number:
            return format == .numericDate ? [.decimal, .dateTime] : [.decimal, .string]
        case .boolean:
            return [.boolean, .string]
        case .object:
            return [.json]
        case .array:
            guard let items = schema.items?.value else { return [] }
            // A collection of T's own type (the first allowed type of the element).
            guard let element = allowedTypes(for: items).first, element != .json else { return [] }
            return [.collection(element)]
        }
    }

    /// The type inferred for a variable fed by this claim when the spec does not write one.
    package static func inferredType(for schema: ClaimSchema) -> ArchitectType? {
        allowedTypes(for: schema).first
    }

    /// Why `type` is not allowed for the claim, for the `help:` line, or nil when it is allowed.
    package static func explanation(claimKind: ClaimKind, format: ClaimFormat?, type: ArchitectType) -> String? {
        switch (claimKind, type) {
        case (.number, .integer):
            return
                "a JSON number may have a fraction; storing it in an Integer would narrow it. Use `Decimal`, or declare the claim `type: integer`"
        case (.string, .dateTime):
            return "a string claim becomes a DateTime only with `format: date-time`"
        case (.integer, .dateTime), (.number, .dateTime):
            return "a numeric claim becomes a DateTime only with `format: numeric-date`"
        case (.array, _):
            return "an array claim is stored in the collection of its item type"
        case (.object, _):
            return "an object claim is stored in a `JSON` variable"
        default:
            return nil
        }
    }
}
