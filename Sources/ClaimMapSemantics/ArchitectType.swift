import ClaimMapRuntime

/// The Architect data types a spec can use (docs/language.md, Claim types and Architect types): the runtime's
/// `ValueType`, whose `description` is the spelling a spec writes and Architect shows (`String`,
/// `StringCollection`, ...), so the compiler and the program name a type the same way.
package typealias ArchitectType = ValueType

extension ArchitectType {
    package static let scalars: [ArchitectType] = [.string, .integer, .decimal, .boolean, .dateTime, .duration, .json]
    package static let all: [ArchitectType] =
        scalars + [
            .collection(.string), .collection(.integer), .collection(.decimal), .collection(.boolean),
            .collection(.dateTime),
        ]

    /// The type a spec declares by `name`: one of `all` (the runtime's `init(name:)` reads more, such as
    /// `DurationCollection`).
    package init?(declared name: String) {
        guard let match = ArchitectType.all.first(where: { $0.description.isByteEqual(to: name) }) else { return nil }
        self = match
    }

    package var isCollection: Bool {
        if case .collection = self { return true }
        return false
    }

    package var element: ArchitectType? {
        if case .collection(let element) = self { return element }
        return nil
    }

    package var isNumeric: Bool { self == .integer || self == .decimal }

    /// Whether a value of type `self` may be stored where `target` is expected (Integer widens to Decimal).
    package func isAssignable(to target: ArchitectType) -> Bool {
        self == target || (self == .integer && target == .decimal)
    }
}
