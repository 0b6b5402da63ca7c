import ClaimMapEvaluator
import ClaimMapRuntime
import ClaimMapSemantics
import ClaimMapSyntax

/// One data-action document per enrichment and per guarded action. Every input is escaped for where it lands:
/// `$esc.uriEncode` in the URL (it encodes `/ ? # @ :`, so an input can never change the path's shape or the
/// host), `$esc.jsonString` inside JSON string bodies; numbers and booleans are validated by the input schema
/// before they are written unquoted. Input schemas are tight: every input required, no other property, and the
/// claim's own constraints (`pattern`, `maxLength`, `enum`, bounds).
enum DataActionEmitter {
    /// File name of a data action (docs/decisions.md, Names).
    static func slug(_ name: String) -> String { ActionNames.slug(name) }

    static func enrichment(_ enrichment: CheckedEnrichment, spec: CheckedSpec) -> DataActionDocument {
        let subClaim = spec.claims.first { $0.builtin == .sub }
        let inputs: [(String, JSONValue)] = [("sub", inputProperty(.string, claim: subClaim?.type))]
        let returned = enrichment.returns.compactMap { name in spec.claim(name) }
        return DataActionDocument(
            name: enrichment.name, category: enrichment.category,
            requestURLTemplate: urlTemplate(enrichment.url), requestType: "GET",
            headers: [("Accept", "application/json")], requestTemplate: "${input.rawRequest}",
            translationMap: returned.map { ($0.name, "$.\($0.name)") },
            translationMapDefaults: returned.map { ($0.name, "null") },
            successTemplate: successTemplate(returned.map(\.name)),
            inputSchema: inputSchema(title: enrichment.name, inputs),
            successSchema: outputSchema(title: enrichment.name, returned.map { ($0.name, claimSchema($0.type)) }),
            secure: false)
    }

    static func guarded(_ guardAction: CheckedGuard, spec: CheckedSpec) -> DataActionDocument {
        let inputs: [(String, JSONValue)] = guardAction.inputs.map { input in
            var claim: ClaimType?
            switch spec.variable(input.variable)?.source {
            case .builtin(let name, _)?, .enrichment(let name, _)?:
                claim = spec.claim(name)?.type
                if input.pickFirst { claim = claim?.itemType }
            default: break
            }
            return (input.name, inputProperty(input.type, claim: claim))
        }
        var body = ""
        if guardAction.method == .POST {
            body = jsonBodyTemplate(guardAction.inputs.filter { !$0.inURL }.map { ($0.name, $0.type) })
        }
        return DataActionDocument(
            name: guardAction.name, category: guardAction.category, requestURLTemplate: urlTemplate(guardAction.url),
            requestType: guardAction.method.rawValue,
            headers: guardAction.method == .POST
                ? [("Accept", "application/json"), ("Content-Type", "application/json")]
                : [("Accept", "application/json")],
            requestTemplate: guardAction.method == .POST ? body : "${input.rawRequest}",
            translationMap: guardAction.outputs.map { ($0.field, "$.\($0.field)") },
            translationMapDefaults: guardAction.outputs.map { ($0.field, "null") },
            successTemplate: successTemplate(guardAction.outputs.map(\.field)),
            inputSchema: inputSchema(title: guardAction.name, inputs),
            successSchema: outputSchema(
                title: guardAction.name, guardAction.outputs.map { ($0.field, typeSchema($0.type)) }),
            secure: guardAction.secure)
    }

    /// `{name}` → `$esc.uriEncode("${input.name}")`; `{{substitutions}}` are kept for Archy/Terraform.
    static func urlTemplate(_ url: String) -> String {
        var out = ""
        let scalars = Array(url.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "{", i + 1 < scalars.count, scalars[i + 1] == "{" {
                var j = i
                while j + 1 < scalars.count, !(scalars[j] == "}" && scalars[j + 1] == "}") { j += 1 }
                out.unicodeScalars.append(contentsOf: scalars[i..<min(scalars.count, j + 2)])
                i = j + 2
            } else if scalars[i] == "{", let close = scalars[i...].firstIndex(of: "}") {
                let name = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
                out += "$esc.uriEncode(\"${input.\(name)}\")"
                i = close + 1
            } else {
                out.unicodeScalars.append(scalars[i])
                i += 1
            }
        }
        return out
    }

    /// A JSON object body: strings through `$esc.jsonString`, numbers and booleans as validated literals.
    static func jsonBodyTemplate(_ fields: [(String, ArchitectType)]) -> String {
        let members = fields.map { name, type -> String in
            switch type {
            case .integer, .decimal, .boolean: "\"\(name)\": ${input.\(name)}"
            default: "\"\(name)\": \"$esc.jsonString(${input.\(name)})\""
            }
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    /// The success template: each translated field as raw JSON (`null` when the response lacks it).
    /// The success template writes a field only when the backend returned a value for it, so a missing field
    /// reaches the flow NOT_SET (or, for a collection, empty) and the spec's default applies, while the action
    /// still succeeds and the other fields arrive (docs/decisions.md, Data actions). Genesys: a translation map
    /// default "is used if the JSONPath expression ... fails to resolve a value. Null values do not fall back to
    /// defaults" (help, "Response configuration for data actions"); silent notation `$!{x}` "outputs an empty
    /// string" for null (help, "Velocity macros for data actions"). The test `"$!{x}" != "" && "$!{x}" != "null"`
    /// therefore holds for a value, and fails for a missing field (default `null`) and for a JSON null, whether
    /// Genesys hands the template the text `null` or no value.
    static func successTemplate(_ fields: [String]) -> String {
        var template = "{#set($sep = \"\")"
        for field in fields {
            template +=
                "#if(\"$!{\(field)}\" != \"\" && \"$!{\(field)}\" != \"null\")${sep}\"\(field)\": ${\(field)}#set($sep = \", \")#end"
        }
        return template + "}"
    }

    private static func inputSchema(title: String, _ properties: [(String, JSONValue)]) -> JSONValue {
        .object([
            ("$schema", .string("http://json-schema.org/draft-04/schema#")),
            ("title", .string(title)),
            ("type", .string("object")),
            ("required", .array(properties.map { .string($0.0) })),
            ("properties", .object(properties)),
            ("additionalProperties", .bool(false)),
        ])
    }

    private static func outputSchema(title: String, _ properties: [(String, JSONValue)]) -> JSONValue {
        .object([
            ("$schema", .string("http://json-schema.org/draft-04/schema#")),
            ("title", .string(title)),
            ("type", .string("object")),
            ("properties", .object(properties)),
            ("additionalProperties", .bool(true)),
        ])
    }

    static func jsonType(_ type: ArchitectType) -> String {
        switch type {
        case .integer: "integer"
        case .decimal: "number"
        case .boolean: "boolean"
        case .json: "object"
        case .collection: "array"
        default: "string"
        }
    }

    static func typeSchema(_ type: ArchitectType) -> JSONValue {
        if let element = type.element {
            return .object([("type", .string("array")), ("items", .object([("type", .string(jsonType(element)))]))])
        }
        return .object([("type", .string(jsonType(type)))])
    }

    /// An input property: the Architect type's JSON type, tightened by the claim's constraints.
    static func inputProperty(_ type: ArchitectType, claim: ClaimType?) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .string(jsonType(type)))]
        if let claim {
            if let values = claim.enumValues {
                members.append(("enum", .array(values.map { type == .string ? .string($0) : .number($0) })))
            }
            if type == .string {
                if let pattern = claim.pattern { members.append(("pattern", .string(pattern))) }
                if let maxLength = claim.maxLength { members.append(("maxLength", .integer(maxLength))) }
            }
            if type.isNumeric {
                if let minimum = claim.minimum { members.append(("minimum", .number(minimum))) }
                if let maximum = claim.maximum { members.append(("maximum", .number(maximum))) }
            }
        }
        return .object(members)
    }

    static func claimSchema(_ type: ClaimType) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .string(type.kind.rawValue))]
        if let item = type.itemType { members.append(("items", claimSchema(item))) }
        if !type.properties.isEmpty {
            members.append(("properties", .object(type.properties.map { ($0.name, claimSchema($0.type)) })))
        }
        return .object(members)
    }
}
