import ClaimMapRuntime

/// A small JSON Schema validator for the keywords the project's own schemas use: `type`, `enum`, `const`,
/// `required`, `properties`, `additionalProperties` (boolean or schema), `items`, `minLength`, `maxLength`,
/// `$ref` to `#/definitions/...`. Returns every violation with its JSON path.
public struct MiniJSONSchema {
    public let root: JSONValue

    public init(_ root: JSONValue) {
        self.root = root
    }

    public func validate(_ value: JSONValue) -> [String] {
        var problems: [String] = []
        check(value, against: root, path: "$", problems: &problems)
        return problems
    }

    private func resolve(_ schema: JSONValue) -> JSONValue {
        guard case .string(let ref)? = schema[member: "$ref"], ref.hasPrefix("#/definitions/") else { return schema }
        return root[member: "definitions"]?[member: String(ref.dropFirst("#/definitions/".count))] ?? schema
    }

    private static func typeName(_ value: JSONValue) -> [String] {
        switch value {
        case .null: ["null"]
        case .bool: ["boolean"]
        case .number: value.isIntegerNumber ? ["integer", "number"] : ["number"]
        case .string: ["string"]
        case .array: ["array"]
        case .object: ["object"]
        }
    }

    private func check(_ value: JSONValue, against rawSchema: JSONValue, path: String, problems: inout [String]) {
        let schema = resolve(rawSchema)
        if case .string(let type)? = schema[member: "type"], !Self.typeName(value).contains(type) {
            problems.append("\(path): expected \(type)")
            return
        }
        if case .array(let types)? = schema[member: "type"] {
            let names = types.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
            guard names.contains(where: Self.typeName(value).contains) else {
                problems.append("\(path): expected one of \(names)")
                return
            }
            if value == .null { return }
        }
        if case .array(let allowed)? = schema[member: "enum"], !allowed.contains(value) {
            problems.append("\(path): not one of the allowed values")
        }
        if let constant = schema[member: "const"], constant != value {
            problems.append("\(path): must be \(constant.compact())")
        }
        if case .string(let text) = value {
            if case .number(let n)? = schema[member: "minLength"], let min = Int(n), text.count < min {
                problems.append("\(path): shorter than \(min)")
            }
            if case .number(let n)? = schema[member: "maxLength"], let max = Int(n), text.count > max {
                problems.append("\(path): longer than \(max)")
            }
        }
        if case .object(let members) = value {
            if case .array(let required)? = schema[member: "required"] {
                for case .string(let name) in required where !members.contains(where: { $0.0 == name }) {
                    problems.append("\(path): missing \(name)")
                }
            }
            let properties = schema[member: "properties"]
            for (name, member) in members {
                if let propertySchema = properties?[member: name] {
                    check(member, against: propertySchema, path: "\(path).\(name)", problems: &problems)
                } else if let additional = schema[member: "additionalProperties"] {
                    if additional == .bool(false) {
                        problems.append("\(path): unexpected member \(name)")
                    } else if case .object = additional {
                        check(member, against: additional, path: "\(path).\(name)", problems: &problems)
                    }
                }
            }
        }
        if case .array(let items) = value, let itemSchema = schema[member: "items"] {
            for (index, item) in items.enumerated() {
                check(item, against: itemSchema, path: "\(path)[\(index)]", problems: &problems)
            }
        }
    }
}
