import ClaimMapRuntime
import ClaimMapTestSupport
import Foundation
import Testing

@testable import ClaimMapEmitters

/// Injection into data actions (docs/security.md, attack classes G-01 to G-12): every `${input.*}` of every emitted
/// template is escaped for where it lands, and rendering the templates with hostile values keeps the URL's host and
/// path shape and the JSON body's keys intact; input schemas carry the claim constraints that refuse such values
/// upstream.
@Suite("data-action injection")
struct InjectionTests {
    static let payloads = [
        "../admin", "%2e%2e%2f", "a/b", "a?x=1", "a#frag", "a%00", "evil.com#", "@evil.com", "a&grant_type=password&x=",
        "x\",\"role\":\"admin\",\"y\":\"", "\\\"", "\u{0}", "line\nbreak", "v\r\nX-Evil: 1", "#set($x=1)",
        "$esc.java('a')",
        "${input.secret}", "#foreach($i in [1..9])x#end", "url:https://evil", "checkbox:true", "\u{2028}\u{2029}",
        "é✓👋",
    ]

    /// `$esc.uriEncode`: RFC 3986 percent-encoding of everything but the unreserved characters.
    static func uriEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~".contains(c)) {
                out.append(c)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// `$esc.jsonString`: the value escaped for the inside of a JSON string.
    static func jsonString(_ text: String) -> String { String(JSONValue.quoted(text).dropFirst().dropLast()) }

    static func documents() throws -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = []
        for spec in try EmitterFixtures.allSpecs() {
            for file in Emitter.files(for: spec) where file.path.hasPrefix("data-actions/") {
                out.append(("\(spec.name)/\(file.path)", try StrictJSONReader(maxDepth: 64).parse(file.contents)))
            }
        }
        return out
    }

    static func string(_ value: JSONValue?) -> String { if case .string(let s)? = value { s } else { "" } }

    @Test("every input reference is escaped for its context, and no template evaluates text")
    func escaped() throws {
        var references = 0
        for (name, document) in try Self.documents() {
            let request = document[member: "config"]?[member: "request"]
            let url = Self.string(request?[member: "requestUrlTemplate"])
            let body = Self.string(request?[member: "requestTemplate"])
            for directive in ["#evaluate", "#parse", "#include", "$render", "#define"] {
                #expect(!url.contains(directive) && !body.contains(directive), "\(name) uses \(directive)")
            }
            let inURL = url.components(separatedBy: "${input.").count - 1
            let escapedInURL = url.components(separatedBy: "$esc.uriEncode(\"${input.").count - 1
            #expect(inURL == escapedInURL, "\(name): an input in the URL is not $esc.uriEncode'd")
            references += inURL
            // The host never comes from an input.
            let host = url.dropFirst("https://".count).prefix { $0 != "/" }
            #expect(!host.contains("$"), "\(name): an input forms the host")
            if body != "${input.rawRequest}" {
                let properties = document[member: "contract"]?[member: "input"]?[member: "inputSchema"]?[
                    member: "properties"]
                guard case .object(let inputs)? = properties else { continue }
                for (input, schema) in inputs where body.contains("${input.\(input)}") {
                    references += 1
                    let type = Self.string(schema[member: "type"])
                    if body.contains("\"$esc.jsonString(${input.\(input)})\"") {
                        continue
                    }
                    #expect(
                        ["integer", "number", "boolean"].contains(type),
                        "\(name): \(input) (\(type)) reaches the body unescaped")
                }
            }
            // Headers are never templated from inputs (G-05).
            if case .object(let headers)? = request?[member: "headers"] {
                #expect(headers.allSatisfy { !Self.string($0.1).contains("${") }, "\(name): a header is templated")
            }
        }
        #expect(references >= 8)
    }

    @Test("rendering with hostile values keeps the URL's host and path shape and the body's keys")
    func rendered() throws {
        for (name, document) in try Self.documents() {
            let request = document[member: "config"]?[member: "request"]
            let url = Self.string(request?[member: "requestUrlTemplate"])
            let body = Self.string(request?[member: "requestTemplate"])
            let expectedSegments = url.split(separator: "/").count
            /// One pass, as Velocity substitutes: a substituted value is never parsed again (G-06).
            func renderBody(_ payload: String) throws -> [(String, JSONValue)] {
                let regex = try NSRegularExpression(
                    pattern: #"\$esc\.jsonString\(\$\{input\.[A-Za-z0-9_]+\}\)|\$\{input\.[A-Za-z0-9_]+\}"#)
                var rendered = ""
                var cursor = body.startIndex
                for match in regex.matches(in: body, range: NSRange(body.startIndex..., in: body)) {
                    guard let range = Range(match.range, in: body) else { continue }
                    rendered += body[cursor..<range.lowerBound]
                    rendered += body[range].hasPrefix("$esc") ? Self.jsonString(payload) : "1"
                    cursor = range.upperBound
                }
                rendered += body[cursor...]
                guard case .object(let members) = try StrictJSONReader().parse(rendered) else { return [] }
                return members
            }
            let benignKeys = body == "${input.rawRequest}" ? [] : try renderBody("benign").map(\.0)
            for payload in Self.payloads {
                var renderedURL = url
                while let range = renderedURL.range(
                    of: #"\$esc\.uriEncode\("\$\{input\.[A-Za-z0-9_]+\}"\)"#, options: .regularExpression)
                {
                    renderedURL.replaceSubrange(range, with: Self.uriEncode(payload))
                }
                let parsed = URLComponents(string: renderedURL)
                #expect(
                    parsed?.host
                        == URLComponents(
                            string: url.replacingOccurrences(
                                of: #"\$esc[^)]*\)"#, with: "x", options: .regularExpression))?.host,
                    "\(name): host changed by \(payload.debugDescription)")
                #expect(
                    renderedURL.split(separator: "/").count == expectedSegments,
                    "\(name): path shape changed by \(payload.debugDescription)")
                #expect(parsed?.fragment == nil && (parsed?.query == nil) == !url.contains("?"))
                guard body != "${input.rawRequest}" else { continue }
                let members = try renderBody(payload)
                #expect(members.map(\.0) == benignKeys, "\(name): body keys changed by \(payload.debugDescription)")
                #expect(
                    members.contains { $0.1 == .string(payload) },
                    "\(name): the value \(payload.debugDescription) did not survive as is: \(members.map { $0.1.compact() })"
                )
            }
        }
    }

    @Test("input schemas refuse what the claim constraints forbid")
    func schemas() throws {
        let retail = try Self.documents().first { $0.0 == "retail/data-actions/get-account-balance.json" }
        let schema = try #require(retail?.1[member: "contract"]?[member: "input"]?[member: "inputSchema"])
        let accountPattern = Self.string(schema[member: "properties"]?[member: "accountId"]?[member: "pattern"])
        let regex = try NSRegularExpression(pattern: accountPattern)
        for payload in Self.payloads + ["0123456789"] {
            let matches = regex.firstMatch(in: payload, range: NSRange(payload.startIndex..., in: payload)) != nil
            #expect(matches == (payload == "0123456789"), "\(payload.debugDescription)")
        }
        #expect(schema[member: "additionalProperties"] == .bool(false))
        if case .array(let required)? = schema[member: "required"] { #expect(required.count == 2) }
    }
}
