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
        /// Every function is spelled in Archy expressions as in a spec.
        func add(
            _ function: ArchitectOperations.Function, arity: ClosedRange<Int> = 1...1, confirmed: Bool,
            narrowing: FunctionSpec.Narrowing = .none, acceptsNotSet: Bool = false, mayYieldNotSet: Bool = false,
            signature: String,
            resultType: @escaping @Sendable ([ArchitectType]) -> Result<ArchitectType, SignatureMismatch>
        ) {
            table[function.rawValue] = FunctionSpec(
                function: function, architectName: function.rawValue, arity: arity, confirmed: confirmed,
                narrowing: narrowing, acceptsNotSet: acceptsNotSet, mayYieldNotSet: mayYieldNotSet,
                resultType: resultType, signature: signature)
        }
        add(
            .isSet, confirmed: true, narrowing: .setWhenTrue, acceptsNotSet: true,
            signature: "IsSet(value) -> Boolean", resultType: { _ in .success(.boolean) })
        add(
            .isNotSetOrEmpty, confirmed: true, narrowing: .setWhenFalse, acceptsNotSet: true,
            signature: "IsNotSetOrEmpty(value) -> Boolean", resultType: { _ in .success(.boolean) })
        add(.if, arity: 3...3, confirmed: true, signature: "If(Boolean, T, T) -> T") { arguments in
            guard arguments[0] == .boolean else {
                return .failure(SignatureMismatch(argument: 0, expected: "Boolean"))
            }
            let (a, b) = (arguments[1], arguments[2])
            if a == b { return .success(a) }
            if a.isNumeric && b.isNumeric { return .success(.decimal) }
            return .failure(SignatureMismatch(argument: 2, expected: a.description))
        }
        add(.toString, confirmed: true, signature: "ToString(value) -> String") { arguments in
            anyScalar.contains(arguments[0]) || arguments[0].isCollection || arguments[0] == .json
                ? .success(.string) : .failure(SignatureMismatch(argument: 0, expected: "a value"))
        }
        for (function, result) in [(ArchitectOperations.Function.toInt, ArchitectType.integer), (.toDecimal, .decimal)]
        {
            add(
                function, confirmed: function == .toInt, mayYieldNotSet: true,
                signature: "\(function.rawValue)(String|Integer|Decimal) -> \(result)"
            ) { arguments in
                [.string, .integer, .decimal].contains(arguments[0])
                    ? .success(result) : .failure(SignatureMismatch(argument: 0, expected: "String or a number"))
            }
        }
        for (function, result) in [
            (ArchitectOperations.Function.toBool, ArchitectType.boolean), (.toDateTime, .dateTime),
        ] {
            add(
                function, confirmed: function == .toDateTime, mayYieldNotSet: true,
                signature: "\(function.rawValue)(String) -> \(result)", resultType: fixed([.string], result))
        }
        for function in [ArchitectOperations.Function.lower, .upper] {
            add(
                function, confirmed: function == .lower, signature: "\(function.rawValue)(String) -> String",
                resultType: fixed([.string], .string))
        }
        add(
            .contains, arity: 2...2, confirmed: true,
            signature: "Contains(String, String) | Contains(Collection of T, T) -> Boolean"
        ) { arguments in
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
        }
        for function in [ArchitectOperations.Function.startsWith, .endsWith] {
            add(
                function, arity: 2...2, confirmed: false, signature: "\(function.rawValue)(String, String) -> Boolean",
                resultType: fixed([.string, .string], .boolean))
        }
        add(.count, confirmed: true, signature: "Count(Collection) -> Integer") { arguments in
            arguments[0].isCollection
                ? .success(.integer) : .failure(SignatureMismatch(argument: 0, expected: "a collection"))
        }
        add(
            .substring, arity: 3...3, confirmed: true,
            signature: "Substring(String, Integer start, Integer length) -> String",
            resultType: fixed([.string, .integer, .integer], .string))
        add(
            .getAt, arity: 2...2, confirmed: true, mayYieldNotSet: true,
            signature: "GetAt(Collection of T, Integer index) -> T"
        ) { arguments in
            guard let element = arguments[0].element else {
                return .failure(SignatureMismatch(argument: 0, expected: "a collection"))
            }
            return arguments[1] == .integer
                ? .success(element) : .failure(SignatureMismatch(argument: 1, expected: "Integer"))
        }
        return table
    }()

    package static func lookup(_ name: String) -> FunctionSpec? { functions[name] }
}
