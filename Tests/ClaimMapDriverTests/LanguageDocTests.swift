import ClaimMapDriver
import ClaimMapRuntime
import ClaimMapTestSupport
import Foundation
import Testing

/// `docs/language.md`, the language reference, names every key `claimmap schema` knows: the top-level keys, the
/// keys of each section and of every object the schema defines (`$defs` included).
@Suite("language reference")
struct LanguageDocTests {
    /// Every property name of every object in the schema, with the JSON path where it is declared.
    static func keys(in value: JSONValue, at path: String, into out: inout [(key: String, path: String)]) {
        switch value {
        case .object(let members):
            for (name, member) in members {
                if name == "properties", case .object(let properties) = member {
                    for (key, child) in properties {
                        out.append((key, path))
                        keys(in: child, at: "\(path)/\(key)", into: &out)
                    }
                } else {
                    keys(in: member, at: "\(path)/\(name)", into: &out)
                }
            }
        case .array(let items):
            for (index, item) in items.enumerated() { keys(in: item, at: "\(path)[\(index)]", into: &out) }
        default:
            break
        }
    }

    @Test("every key of the schema appears in docs/language.md, in backticks")
    func everySchemaKeyDocumented() throws {
        let doc = try String(
            contentsOf: Corpora.repository.appendingPathComponent("docs/language.md"), encoding: .utf8)
        var found: [(key: String, path: String)] = []
        Self.keys(in: SpecSchema.document(), at: "#", into: &found)
        #expect(found.count > 40, "the schema should declare many keys; found \(found.count)")
        let missing = found.filter { !doc.contains("`\($0.key)`") && !doc.contains("`\($0.key):") }
        #expect(missing.isEmpty, "keys of `claimmap schema` missing from docs/language.md: \(missing)")
    }

    @Test("the README points to the language reference")
    func readmePointsToIt() throws {
        let readme = try String(contentsOf: Corpora.repository.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("docs/language.md"))
    }
}
