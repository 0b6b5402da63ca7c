import ClaimMapDiagnostics
import ClaimMapEvaluator
import ClaimMapIdP
import ClaimMapJOSE
import ClaimMapRuntime
import Foundation

/// Options every command that talks to the IdP takes.
package struct NetworkOptions: Sendable {
    package var caFile: String?
    package var timeoutSeconds: Int64

    package init(caFile: String? = nil, timeoutSeconds: Int64 = 10) {
        self.caFile = caFile
        self.timeoutSeconds = timeoutSeconds
    }
}

/// `keys fetch` and `doctor`: the spec's identity provider, live (docs/decisions.md, The live identity provider).
extension Driver {
    /// A spec's identity and the path of its `identity.jwks` file, or why not.
    func liveTarget(_ spec: String) throws -> (ExpectedIdentity, jwks: String?, program: EvaluatorProgram) {
        guard spec.hasSuffix(Driver.specSuffix) else {
            throw ReplayUsageError("\(spec): give a spec (`*.mapping.yaml`): the IdP is the one its identity names")
        }
        let (program, base) = try ReplaySession.program(spec, driver: self)
        let identity = program.identity
        var jwks: String?
        if let relative = identity.jwks {
            jwks = relative.hasPrefix("/") ? relative : ((base ?? ".") as NSString).appendingPathComponent(relative)
        }
        return (
            ExpectedIdentity(discovery: identity.discovery, issuer: identity.issuer, algorithms: identity.algorithms),
            jwks, program
        )
    }

    /// The kids of a JWKS file, in order (empty when it is missing or unreadable).
    func kids(ofJWKSFile path: String) -> [String]? {
        guard let bytes = try? fileSystem.readFileInPlace(path, limit: JWKS.maxBytes + 1),
            let json = try? StrictJSONReader(maxDepth: 16).parse(bytes), case .array(let keys)? = json[member: "keys"]
        else { return nil }
        return keys.compactMap { key in
            if case .string(let kid)? = key[member: "kid"] { return kid }
            return nil
        }
    }

    /// `claimmap keys fetch SPEC`: discovery, checks, JWKS, key policy; then `identity.jwks` is replaced atomically
    /// with the IdP's JWKS as served, and `<jwks>.provenance.json` written beside it. Exit 0; 1 when the IdP
    /// contradicts the spec (nothing written); 2 for usage and network errors (nothing written).
    package func runKeysFetch(spec: String, network: NetworkOptions) -> CommandOutput {
        let expected: ExpectedIdentity
        let jwksPath: String
        do {
            let target = try liveTarget(spec)
            expected = target.0
            guard let path = target.jwks else {
                return CommandOutput(
                    stderr:
                        "error: \(spec) names no identity.jwks; add `jwks: keys/<name>.jwks.json` for keys fetch to write\n",
                    exitCode: 2)
            }
            jwksPath = path
        } catch {
            return CommandOutput(stderr: "error: \(TerminalText.escaped("\(error)"))\n", exitCode: 2)
        }
        if let problem = jwksWriteProblem(spec: spec, jwksPath: jwksPath) {
            return CommandOutput(stderr: "error: \(TerminalText.escaped(problem))\n", exitCode: 2)
        }
        let fetched: FetchedKeys
        do {
            let client = try IdPClient(caFile: network.caFile, totalSeconds: network.timeoutSeconds)
            defer { client.shutdown() }
            fetched = try LiveIdentity.fetchKeys(expected, client: client)
        } catch {
            let prefix = error.exitCode == 1 ? "error: the IdP contradicts the spec: " : "error: "
            return CommandOutput(
                stderr: "\(prefix)\(TerminalText.escaped(error.description))\n\(jwksPath) is left as it was\n",
                exitCode: error.exitCode)
        }
        let old = kids(ofJWKSFile: jwksPath) ?? []
        let new = fetched.kids
        let now = Int64(Date().timeIntervalSince1970)
        let provenance = JSONValue.object([
            ("fetchedAt", .string(CivilTime.rfc3339(seconds: now))),
            ("discovery", .string(expected.discovery)),
            ("issuer", .string(fetched.discovery.issuer)),
            ("jwks_uri", .string(fetched.discovery.jwksURI)),
            ("kids", .array(new.map(JSONValue.string))),
            ("dropped", .array(fetched.keys.dropped.map { .string("\($0.kid ?? "(no kid)"): \($0.reason)") })),
        ])
        do {
            let folder = (jwksPath as NSString).deletingLastPathComponent
            if !folder.isEmpty { try fileSystem.createDirectory(folder) }
            try writeAtomically(jwksPath, fetched.document.body)
            try writeAtomically(jwksPath + ".provenance.json", Array(provenance.rendered().utf8))
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", exitCode: 2)
        }
        var out = "\(jwksPath): \(new.count) key\(new.count == 1 ? "" : "s") from \(fetched.discovery.jwksURI)\n"
        let added = new.filter { !old.containsByteEqual($0) }
        let removed = old.filter { !new.containsByteEqual($0) }
        out +=
            "added: \(added.isEmpty ? "none" : added.map { "\"\(TerminalText.escaped($0))\"" }.joined(separator: ", "))\n"
        out +=
            "removed: \(removed.isEmpty ? "none" : removed.map { "\"\(TerminalText.escaped($0))\"" }.joined(separator: ", "))\n"
        for dropped in fetched.keys.dropped {
            out += "dropped by the key policy: \(TerminalText.escaped(dropped.kid ?? "(no kid)")): \(dropped.reason)\n"
        }
        out += "provenance: \(jwksPath).provenance.json\n"
        return CommandOutput(stdout: out)
    }

    /// Why keys fetch may not write the spec's `identity.jwks`, or nil. The spec is data in the repository (a pull
    /// request can change it), so the path must stay inside the spec's folder: relative, no `..`, and no symbolic
    /// link on the way or at the end (a link could point anywhere, `/etc/passwd` included).
    func jwksWriteProblem(spec: String, jwksPath: String) -> String? {
        let folder = (spec as NSString).deletingLastPathComponent
        let base = folder.isEmpty ? "" : folder + "/"
        guard jwksPath.hasPrefix(base) || base.isEmpty else {
            return "identity.jwks `\(jwksPath)` leaves the spec's folder; keys fetch writes only inside it"
        }
        let relative = String(jwksPath.dropFirst(base.count))
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        if relative.hasPrefix("/") || parts.contains("..") || parts.contains("") {
            return "identity.jwks `\(relative)` leaves the spec's folder; keys fetch writes only inside it"
        }
        var path = folder
        for part in parts {
            path = path.isEmpty ? String(part) : "\(path)/\(part)"
            if fileSystem.entryKind(path) == .symlink {
                return "\(path) is a symbolic link; keys fetch writes only regular files inside the spec's folder"
            }
        }
        return nil
    }

    /// A temporary file in the same folder, then `rename` over the target: a reader sees the old file or the new.
    func writeAtomically(_ path: String, _ bytes: [UInt8]) throws {
        let temporary = "\(path).\(UUID().uuidString).tmp"
        do {
            try fileSystem.writeFile(temporary, bytes)
            try fileSystem.rename(temporary, to: path)
        } catch {
            try? fileSystem.removeItem(temporary)
            throw error
        }
    }
}
