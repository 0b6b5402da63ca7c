import ClaimMapRuntime

/// The one table of expression functions: signature, result, Architect spelling and whether that spelling is confirmed
/// by a Genesys-authored flow (`Tests/Corpora/genesys/archy-vocabulary.json` lists the functions they use).
/// Unconfirmed functions type-check but draw warning CM2508, because the emitted flow would use a spelling no Genesys
/// file shows.
package struct FunctionSpec: Sendable {
    package enum Narrowing: Sendable {
        case none
        /// `IsSet(x)`: true ⇒ x is set.
        case setWhenTrue
        /// `IsNotSetOrEmpty(x)`: false ⇒ x is set.
        case setWhenFalse
    }

    package var function: ArchitectOperations.Function
    /// The spelling in a spec (and in `evaluator.json`).
    package var name: String { function.rawValue }
    /// The spelling emitted into Archy expressions.
    package var architectName: String
    package var arity: ClosedRange<Int>
    package var confirmed: Bool
    package var narrowing: Narrowing
    /// Whether the argument may be NOT_SET (the function's purpose is to test for it).
    package var acceptsNotSet: Bool
    /// Whether the result may be NOT_SET although every argument is set (a failed conversion).
    package var mayYieldNotSet: Bool
    /// Computes the result type from argument types, or returns the expected signature text on mismatch.
    package var resultType: @Sendable ([ArchitectType]) -> Result<ArchitectType, SignatureMismatch>
    package var signature: String
}

package struct SignatureMismatch: Error, Sendable {
    package var argument: Int
    package var expected: String
}

package enum FunctionTable {
    private static func fixed(_ parameters: [ArchitectType?], _ result: ArchitectType)
        -> @Sendable ([ArchitectType]) ->
        Result<ArchitectType, SignatureMismatch>
    {
        { arguments in
            for (index, (argument, parameter)) in zip(arguments, parameters).enumerated() {
                if let parameter, !argument.isAssignable(to: parameter) {
                    return .failure(SignatureMismatch(argument: index, expected: parameter.description))
                }
            }
            return .success(result)
        }
    }

    private static let anyScalar: Set<ArchitectType> = [.string, .integer, .decimal, .boolean, .dateTime, .duration]

    package static let functions: [String: FunctionSpec] = {
        var table: [String: FunctionSpec] = [:]
        func add(_ spec: FunctionSpec) { table[spec.name] = spec }
        add(
            FunctionSpec(
                function: .isSet, architectName: "IsSet", arity: 1...1, confirmed: true, narrowing: .setWhenTrue,
                acceptsNotSet: true, mayYieldNotSet: false, resultType: { _ in .success(.boolean) },
                signature: "IsSet(value) -> Boolean"))
        add(
            FunctionSpec(
                function: .isNotSetOrEmpty, architectName: "IsNotSetOrEmpty", arity: 1...1, confirmed: true,
                narrowing: .setWhenFalse, acceptsNotSet: true, mayYieldNotSet: false,
                resultType: { _ in .success(.boolean) }, signature: "IsNotSetOrEmpty(value) -> Boolean"))
        add(
            FunctionSpec(
                function: .`if`, architectName: "If", arity: 3...3, confirmed: true, narrowing: .none,
                acceptsNotSet: false,
                mayYieldNotSet: false,
                resultType: { arguments in
                    guard arguments[0] == .boolean else {
                        return .failure(SignatureMismatch(argument: 0, expected: "Boolean"))
                    }
                    let (a, b) = (arguments[1], arguments[2])
                    if a == b { return .success(a) }
                    if a.isNumeric && b.isNumeric { return .success(.decimal) }
                    return .failure(SignatureMismatch(argument: 2, expected: a.description))
                }, signature: "If(Boolean, T, T) -> T"))
        add(
            FunctionSpec(
                function: .toString, architectName: "ToString", arity: 1...1, confirmed: true, narrowing: .none,
                acceptsNotSet: false, mayYieldNotSet: false,
                resultType: { arguments in
                    anyScalar.contains(arguments[0]) || arguments[0].isCollection || arguments[0] == .json
                        ? .success(.string) : .failure(SignatureMismatch(argument: 0, expected: "a value"))
                }, signature: "ToString(value) -> String"))
        add(
            FunctionSpec(
                function: .toInt, architectName: "ToInt", arity: 1...1, confirmed: true, narrowing: .none,
                acceptsNotSet: false, mayYieldNotSet: true,
                resultType: { arguments in
                    [.string, .integer, .decimal].contains(arguments[0])
                        ? .success(.integer) : .failure(SignatureMismatch(argument: 0, expected: "String or a number"))
                }, signature: "ToInt(String|Integer|Decimal) -> Integer"))
        add(
            FunctionSpec(
                function: .toDecimal, architectName: "ToDecimal", arity: 1...1, confirmed: false, narrowing: .none,
                acceptsNotSet: false, mayYieldNotSet: true,
                resultType: { arguments in
                    [.string, .integer, .decimal].contains(arguments[0])
                        ? .success(.decimal) : .failure(SignatureMismatch(argument: 0, expected: "String or a number"))
                }, signature: "ToDecimal(String|Integer|Decimal) -> Decimal"))
        add(
            FunctionSpec(
                function: .toBool, architectName: "ToBool", arity: 1...1, confirmed: false, narrowing: .none,
                acceptsNotSet: false, mayYieldNotSet: true, resultType: fixed([.string], .boolean),
                signature: "ToBool(String) -> Boolean"))
        add(
            FunctionSpec(
                function: .toDateTime, architectName: "ToDateTime", arity: 1...1, confirmed: true, narrowing: .none,
                acceptsNotSet: false, mayYieldNotSet: true, resultType: fixed([.string], .dateTime),
                signature: "ToDateTime(String) -> DateTime"))
        for function in [ArchitectOperations.Function.lower, .upper] {
            add(
                FunctionSpec(
                    function: function, architectName: function.rawValue, arity: 1...1, confirmed: function == .lower,
                    narrowing: .none,
                    acceptsNotSet: false, mayYieldNotSet: false, resultType: fixed([.string], .string),
                    signature: "\(function.rawValue)(String) -> String"))
        }
        add(
            FunctionSpec(
                function: .contains, architectName: "Contains", arity: 2...2, confirmed: true, narrowing: .none,
                acceptsNotSet: false, mayYieldNotSet: false,
                resultType: { arguments in
                    if let element = arguments[0].element {
                        return arguments[1].isAssignable(to: element)
                            ? .success(.boolean)
                            : .failure(SignatureMismatch(argument: 1, expected: element.description))
                    }
                    guard arguments[0] == .string else {
                        return .failure(SignatureMismatch(argument: 0, expected: "String or a collection"))
                    }
                    return arguments[1] == .string
                        ? .success(.boolean) : .failure(SignatureMismatch(argument: 1, expected: "String"))
                }, signature: "Contains(String, String) | Contains(Collection of T, T) -> Boolean"))
        for function in [ArchitectOperations.Function.startsWith, .endsWith] {
            add(
                FunctionSpec(
                    function: function, architectName: function.rawValue, arity: 2...2, confirmed: false,
                    narrowing: .none,
                    acceptsNotSet: false, mayYieldNotSet: false, resultType: fixed([.string, .string], .boolean),
                    signature: "\(function.rawValue)(String, String) -> Boolean"))
        }
        add(
            FunctionSpec(
                function: .count, architectName: "Count", arity: 1...1, confirmed: true, narrowing: .none,
                acceptsNotSet: false, mayYieldNotSet: false,
                resultType: { arguments in
                    arguments[0].isCollection
                        ? .success(.integer) : .failure(SignatureMismatch(argument: 0, expected: "a collection"))
                }, signature: "Count(Collection) -> Integer"))
        add(
            FunctionSpec(
                function: .substring, architectName: "Substring", arity: 3...3, confirmed: true, narrowing: .none,
                acceptsNotSet: false, mayYieldNotSet: false, resultType: fixed([.string, .integer, .integer], .string),
                signature: "Substring(String, Integer start, Integer length) -> String"))
        add(
            FunctionSpec(
                function: .getAt, architectName: "GetAt", arity: 2...2, confirmed: true, narrowing: .none,
                acceptsNotSet: false, mayYieldNotSet: true,
                resultType: { arguments in
                    guard let element = arguments[0].element else {
                        return .failure(SignatureMismatch(argument: 0, expected: "a collection"))
                    }
                    return arguments[1] == .integer
                        ? .success(element) : .failure(SignatureMismatch(argument: 1, expected: "Integer"))
                }, signature: "GetAt(Collection of T, Integer index) -> T"))
        return table
    }()

    package static func lookup(_ name: String) -> FunctionSpec? { functions[name] }
}
