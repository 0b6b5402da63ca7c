import ClaimMapRuntime
import ClaimMapTestSupport
import Foundation
import Testing

@testable import ClaimMapEmitters
@testable import ClaimMapSyntax

/// Every key path of every emitted flow and data action is one Genesys's own files use
/// (`Tests/Corpora/genesys/archy-vocabulary.json`), or one of the named extrapolations of `ArchyShapes.extrapolations`.
@Suite("Genesys vocabulary")
struct VocabularyTests {
    struct Vocabulary {
        var flow: Set<String>
        var actionRelative: Set<String>
        var dataAction: Set<String>
    }

    static func vocabulary() throws -> Vocabulary {
        let data = try Data(contentsOf: Corpora.directory("genesys/archy-vocabulary.json"))
        let json = try StrictJSONReader(maxDepth: 64).parse([UInt8](data))
        func set(_ name: String) -> Set<String> {
            guard case .array(let items)? = json[member: name] else { return [] }
            return Set(items.compactMap { if case .string(let s) = $0 { return s } else { return nil } })
        }
        return Vocabulary(
            flow: set("flowKeyPaths"), actionRelative: set("flowActionRelativeKeyPaths"),
            dataAction: set("actionKeyPaths"))
    }

    /// Collected paths: absolute ones from the flow root, relative ones rooted at an action.
    struct Paths {
        var absolute = Set<String>()
        var relative = Set<String>()
    }

    static func collect(_ node: YAMLNode, path: [String], relative: Bool, into paths: inout Paths) {
        let joined = path.joined(separator: ".")
        if !path.isEmpty {
            if relative { paths.relative.insert(joined) } else { paths.absolute.insert(joined) }
        }
        switch node {
        case .scalar: return
        case .sequence(let sequence):
            for item in sequence.items {
                if path.last == "actions", case .mapping(let action) = item, let kind = action.entries.first {
                    collect(kind.value, path: [kind.key.text], relative: true, into: &paths)
                } else {
                    collect(item, path: path, relative: relative, into: &paths)
                }
            }
        case .mapping(let mapping):
            for (key, value) in mapping.entries {
                // User-chosen keys are `*` in the vocabulary.
                let userChosen =
                    path.last == "supportedLanguages" || path.last == "category" || path.last == "dataAction"
                    || ["inputs", "successOutputs", "failureOutputs"].contains(path.last ?? "")
                collect(value, path: path + [userChosen ? "*" : key.text], relative: relative, into: &paths)
            }
        }
    }

    /// Rewrites a path by one named extrapolation, or returns nil when it does not apply.
    static let rewrites: [(String, @Sendable (String) -> String?)] = [
        (
            "variable kind",
            { path in
                let parts = path.split(separator: ".").map { part -> String in
                    part.hasSuffix("Variable") && part != "stringVariable" ? "stringVariable" : String(part)
                }
                let rewritten = parts.joined(separator: ".")
                return rewritten == path ? nil : rewritten
            }
        ),
        (
            "update-statement kind",
            { path in
                guard let range = path.range(of: "updateData.statements.") else { return nil }
                let rest = path[range.upperBound...].split(separator: ".", maxSplits: 1)
                guard let kind = rest.first, kind != "string" else { return nil }
                return String(path[..<range.upperBound]) + "string" + (rest.count > 1 ? "." + rest[1] : "")
            }
        ),
        (
            "value wrapper",
            { path in
                let parts = path.split(separator: ".").map(String.init)
                guard let last = parts.last, ["lit", "exp", "noValue"].contains(last) else { return nil }
                return (parts.dropLast() + [last == "exp" ? "lit" : "exp"]).joined(separator: ".")
            }
        ),
        (
            "value wrapper",
            { path in
                let parts = path.split(separator: ".").map(String.init)
                guard let last = parts.last, ["lit", "exp", "noValue"].contains(last) else { return nil }
                return (parts.dropLast() + [last == "noValue" ? "lit" : "noValue"]).joined(separator: ".")
            }
        ),
        (
            "duration unit",
            { path in
                for unit in ["seconds", "hours", "days"] where path.hasSuffix("timeout.lit.\(unit)") {
                    return String(path.dropLast(unit.count)) + "minutes"
                }
                return nil
            }
        ),
        (
            "task variables",
            { path in
                path.hasPrefix("inboundShortMessage.tasks.task.variables")
                    ? "inboundChat" + path.dropFirst("inboundShortMessage".count) : nil
            }
        ),
        (
            "skill literal",
            { path in
                path.hasSuffix("acdSkills.acdSkill.lit.name")
                    ? String(path.dropLast("acdSkill.lit.name".count)) + "acdSkill.exp" : nil
            }
        ),
        (
            "error handling queue",
            { path in
                path.hasPrefix("inboundShortMessage.settingsErrorHandling.errorHandling.queue")
                    ? "inboundChat" + path.dropFirst("inboundShortMessage".count) : nil
            }
        ),
    ]

    /// Whether `path` is in `known` directly or through rewrites; the extrapolations used, or nil.
    static func explain(_ path: String, in known: Set<String>, depth: Int = 0) -> Set<String>? {
        if known.contains(path) { return [] }
        guard depth < 4 else { return nil }
        for (name, rewrite) in rewrites {
            if let rewritten = rewrite(path), rewritten != path,
                let used = explain(rewritten, in: known, depth: depth + 1)
            {
                return used.union([name])
            }
        }
        return nil
    }

    static func flowFiles() throws -> [(String, String)] {
        var files: [(String, String)] = []
        for spec in try EmitterFixtures.allSpecs() {
            for file in Emitter.files(for: spec) { files.append(("\(spec.name)/\(file.path)", file.contents)) }
        }
        return files
    }

    @Test("every key path of every emitted flow.yaml is Genesys vocabulary or a named extrapolation")
    func flows() throws {
        let vocabulary = try Self.vocabulary()
        #expect(vocabulary.flow.count > 3000 && vocabulary.actionRelative.count > 500)
        var used = Set<String>()
        var checked = 0
        for (name, contents) in try Self.flowFiles() where name.hasSuffix("flow.yaml") {
            var reader = YAMLReader()
            let result = reader.read(Array(contents.utf8))
            #expect(!result.hasErrors, "\(name) does not parse: \(result.diagnostics.map(\.message))")
            guard let root = result.root else { continue }
            var paths = Paths()
            Self.collect(root, path: [], relative: false, into: &paths)
            for path in paths.absolute.sorted() {
                checked += 1
                if let extrapolations = Self.explain(path, in: vocabulary.flow) {
                    used.formUnion(extrapolations)
                } else {
                    Issue.record("\(name): `\(path)` is not a Genesys key path")
                }
            }
            for path in paths.relative.sorted() {
                checked += 1
                if let extrapolations = Self.explain(path, in: vocabulary.actionRelative) {
                    used.formUnion(extrapolations)
                } else {
                    Issue.record("\(name): action path `\(path)` is not a Genesys key path")
                }
            }
        }
        #expect(checked > 200)
        // The walk is live: real extrapolations are seen, and an invented key is not explained away.
        #expect(used.contains("variable kind") && used.contains("duration unit"))
        #expect(Self.explain("inboundShortMessage.states.state.actions", in: vocabulary.flow) == [])
        #expect(Self.explain("inboundShortMessage.states.state.gotoState", in: vocabulary.flow) == nil)
        #expect(Self.explain("transferToAcd.targetQueue.lit.id", in: vocabulary.actionRelative) == nil)
        #expect(
            used.isSubset(of: Set(ArchyShapes.extrapolations.keys)),
            "unnamed: \(used.subtracting(ArchyShapes.extrapolations.keys))")
    }

    static func collectJSON(_ value: JSONValue, path: [String], into paths: inout Set<String>) {
        if !path.isEmpty { paths.insert(path.joined(separator: ".")) }
        switch value {
        case .object(let members):
            let wildcard = ["properties", "headers", "translationMap", "translationMapDefaults"].contains(
                path.last ?? "")
            for (key, member) in members { collectJSON(member, path: path + [wildcard ? "*" : key], into: &paths) }
        case .array(let items):
            for item in items { collectJSON(item, path: path, into: &paths) }
        default: return
        }
    }

    @Test("every emitted data action uses Genesys's key paths and validates against the import schema")
    func dataActions() throws {
        let vocabulary = try Self.vocabulary()
        let schemaData = try Data(
            contentsOf: Corpora.repository.appendingPathComponent("docs/schemas/data-action-import.schema.json"))
        let schema = MiniJSONSchema(try StrictJSONReader(maxDepth: 64).parse([UInt8](schemaData)))
        var documents = 0
        for (name, contents) in try Self.flowFiles() where name.contains("/data-actions/") {
            documents += 1
            let json = try StrictJSONReader(maxDepth: 64).parse(contents)
            #expect(schema.validate(json).isEmpty, "\(name): \(schema.validate(json))")
            var paths = Set<String>()
            Self.collectJSON(json, path: [], into: &paths)
            for path in paths.sorted() where !vocabulary.dataAction.contains(path) {
                let keyword = path.split(separator: ".").last.map(String.init) ?? ""
                let unconfirmed =
                    path.hasPrefix("contract.input.inputSchema.properties.*.")
                    && DataActionShapes.unconfirmedInputKeywords.contains(keyword)
                #expect(unconfirmed, "\(name): `\(path)` is not a Genesys data-action key path")
            }
        }
        #expect(documents >= 7)
    }

    @Test("the import schema rejects what Genesys would not import")
    func schemaRejects() throws {
        let schemaData = try Data(
            contentsOf: Corpora.repository.appendingPathComponent("docs/schemas/data-action-import.schema.json"))
        let schema = MiniJSONSchema(try StrictJSONReader(maxDepth: 64).parse([UInt8](schemaData)))
        let valid = try StrictJSONReader(maxDepth: 64).parse(
            try String(
                contentsOf: Corpora.repository.appendingPathComponent(
                    "Generated/retail/data-actions/customer-profile.json"), encoding: .utf8))
        #expect(schema.validate(valid).isEmpty)
        guard case .object(var members) = valid else { return }
        members.removeAll { $0.0 == "contract" }
        #expect(!schema.validate(.object(members)).isEmpty)
        #expect(!schema.validate(.object(members + [("contract", .string("x")), ("extra", .null)])).isEmpty)
    }
}
