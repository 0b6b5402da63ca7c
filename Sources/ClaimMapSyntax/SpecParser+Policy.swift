import ClaimMapRuntime
import Foundation

/// The parser's policy, apart from its YAML walking: which names, URLs, templates and patterns a spec may write.
/// Each rule is a pure function of the text, shared by the parser, the checker and the tests.
extension SpecParser {
    /// Whether `name` starts with an ASCII letter and goes on with ASCII letters, digits and the characters of
    /// `others`, in at most `maxLength` characters.
    static func isName(_ name: String, others: String, maxLength: Int = .max) -> Bool {
        guard name.count <= maxLength, let first = name.unicodeScalars.first, first.isASCIILetter else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCIILetter || ("0"..."9").contains($0) || others.unicodeScalars.contains($0)
        }
    }

    static func isAttributeName(_ name: String) -> Bool { isName(name, others: "_.-", maxLength: 255) }

    static func isRuleName(_ name: String) -> Bool { isName(name, others: "_-") }

    /// Whether an `http://` URL names this machine: `localhost`, `127.0.0.0/8` or `[::1]`, with or without a port.
    static func isLoopbackHTTP(_ text: String) -> Bool {
        guard text.hasPrefix("http://") else { return false }
        let authority = text.dropFirst("http://".count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host: Substring
        if authority.hasPrefix("[") {
            host = authority.prefix { $0 != "]" }.dropFirst()
            return host == "::1"
        }
        host = authority.prefix { $0 != ":" }
        if host == "localhost" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127"
            && octets.allSatisfy { octet in
                octet.count <= 3 && octet.allSatisfy { ("0"..."9").contains($0) } && (Int(octet) ?? 256) <= 255
            }
    }

    /// Why a data-action URL cannot become a Velocity request template safely, or nil. Outside `{input}` and
    /// `{{substitution}}` placeholders, only the characters RFC 3986 allows in a URL may appear, and never `$` or
    /// `#`: Genesys renders the URL as a Velocity template, where `$input.x`, `${...}`, `#set` and `#if` are live
    /// code, and a fragment is never sent to the server anyway.
    static func templateProblem(_ text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        let allowed = Set("-._~:/?[]@!&'()*+,;=%".unicodeScalars)
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "{" {
                let double = index + 1 < scalars.count && scalars[index + 1] == "{"
                let start = index + (double ? 2 : 1)
                guard let close = scalars[start...].firstIndex(of: "}") else { return "a `{` is not closed" }
                let name = String(String.UnicodeScalarView(scalars[start..<close]))
                guard SpecScalars.isIdentifier(name) else {
                    return "placeholder `{\(name)}` must be a name of letters, digits and `_`"
                }
                if double {
                    guard close + 1 < scalars.count, scalars[close + 1] == "}" else {
                        return "substitution `{{\(name)}` must end with `}}`"
                    }
                    index = close + 2
                } else {
                    index = close + 1
                }
                continue
            }
            if scalar == "$" {
                return "`$` would be live Velocity code in the request template; percent-encode it (%24)"
            }
            if scalar == "#" {
                return "`#` starts a fragment, which is never sent, and would be a Velocity directive; encode it (%23)"
            }
            if scalar == "}" { return "a `}` closes no placeholder" }
            let ascii = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
            guard ascii || allowed.contains(scalar) else {
                return "character \(scalar.codePointName) is not allowed in a URL; percent-encode it"
            }
            index += 1
        }
        return nil
    }

    /// Names the generated Terraform declares itself: a spec's own `{{placeholder}}` may not take one.
    static let reservedSubstitutions: Set<String> = [
        "oidc_integration_id", "allowed_domains", "messenger_name", "integration_name", "integration_credential_type",
        "integration_credential_fields",
    ]

    /// Why an org-specific name (flow, division, queue, skill, category) cannot become an Archy substitution's
    /// value, or nil. Archy and Terraform paste the value as text into a double-quoted YAML scalar, so `"`, `\`,
    /// control and invisible characters would break or disguise the flow; a `{{placeholder}}` the spec writes
    /// itself must be a name of letters, digits and `_`, and not one the generated Terraform declares.
    static func substitutionProblem(_ text: String) -> String? {
        for scalar in text.unicodeScalars {
            if scalar == "\"" || scalar == "\\" {
                return "\(scalar.codePointName) would end or escape the quoted YAML the name is substituted into"
            }
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar.isInvisible {
                return "\(scalar.codePointName) is not allowed in a name"
            }
        }
        guard let parts = SpecScalars.substitutionParts(text) else {
            return "a `{{` is not closed by `}}`, or a `}}` closes no substitution"
        }
        for case .placeholder(let name) in parts {
            guard SpecScalars.isIdentifier(name) else {
                return "substitution `{{\(name)}}` must be a name of letters, digits and `_`"
            }
            if reservedSubstitutions.contains(name) {
                return "substitution `{{\(name)}}` is a variable of the generated Terraform; choose another name"
            }
        }
        return nil
    }

    /// Whether a guarded action's output `field` is a safe response member name: a JSONPath `$.field` and a
    /// Velocity `${field}` read it literally (no `..`, `*`, quotes, `$` or `#`).
    static func isFieldName(_ text: String) -> Bool {
        guard text.unicodeScalars.count <= 128, let first = text.unicodeScalars.first,
            first.isASCII && (first.properties.isAlphabetic || first == "_")
        else { return false }
        return text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
        }
    }

    /// Why `text` cannot be an OpenID Connect issuer identifier, or nil.
    static func issuerProblem(_ text: String) -> String? {
        if let problem = urlProblem(text, allowLoopbackHTTP: true) { return problem }
        if text.contains("{") { return "an issuer has no placeholders" }
        if text.contains("?") || text.contains("#") { return "an issuer has no query or fragment (OIDC Core §2)" }
        return nil
    }

    /// Why `text` is not an absolute https URL, or nil. Placeholders `{name}` are allowed in the path. With
    /// `allowLoopbackHTTP`, `http://` is allowed for loopback hosts only.
    static func urlProblem(_ text: String, allowLoopbackHTTP: Bool = false) -> String? {
        let scheme = allowLoopbackHTTP && isLoopbackHTTP(text) ? "http://" : "https://"
        guard text.hasPrefix(scheme) else {
            if text.hasPrefix("http://") {
                return allowLoopbackHTTP ? "it must use https (plain http only for localhost)" : "it must use https"
            }
            return "it must start with `https://`"
        }
        let rest = text.dropFirst(scheme.count)
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if host.isEmpty { return "it has no host" }
        if host.contains("{") && !host.hasPrefix("{{") {
            return "placeholders may not form the host; put them in the path"
        }
        if host.contains("@") { return "it must not contain user information (`@`)" }
        if text.unicodeScalars.contains(where: { $0 == " " || $0.value < 0x20 }) {
            return "it contains spaces or control characters"
        }
        return nil
    }

    /// Why `pattern` is not an ECMA-262 regular expression the page (JavaScript, `u` mode) and replay read alike, or
    /// nil (`ECMAPattern`).
    static func patternProblem(_ pattern: String) -> String? {
        if pattern.isEmpty { return "it is empty" }
        switch ECMAPattern.translate(pattern) {
        case .success(let icu):
            return (try? NSRegularExpression(pattern: icu)) == nil
                ? "ICU cannot run it (a lookbehind must have a bounded length: no `*`, `+` or `{n,}` inside `(?<=` or `(?<!`)"
                : nil
        case .failure(let problem):
            return problem.message
        }
    }
}
