/// The Architect data types a spec can use (docs/language.md, Claim types and Architect types).
package indirect enum ArchitectType: Hashable, Sendable, CustomStringConvertible {
    case string, integer, decimal, boolean, dateTime, duration, json
    case collection(ArchitectType)

    package static let scalars: [ArchitectType] = [.string, .integer, .decimal, .boolean, .dateTime, .duration, .json]
    package static let all: [ArchitectType] =
        scalars + [
            .collection(.string), .collection(.integer), .collection(.decimal), .collection(.boolean),
            .collection(.dateTime),
        ]

    /// The spelling a spec writes and Architect shows: `String`, `StringCollection`, ...
    package var description: String {
        switch self {
        case .string: "String"
        case .integer: "Integer"
        case .decimal: "Decimal"
        case .boolean: "Boolean"
        case .dateTime: "DateTime"
        case .duration: "Duration"
        case .json: "JSON"
        case .collection(let element): "\(element)Collection"
        }
    }

    package init?(name: String) {
        guard let match = ArchitectType.all.first(where: { $0.description == name }) else { return nil }
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
