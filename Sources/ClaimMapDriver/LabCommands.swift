import ClaimMapJOSE
import ClaimMapRuntime
import Foundation

/// The local token lab: `keys generate` and `token mint`, so engineers test routing without an IdP.
extension Driver {
    /// Writes `DIR/KID.private.jwk.json` (mode 0600, created exclusively) and adds the public key to the JWKS
    /// (default `DIR/jwks.json`), creating or merging it. The private key is never printed.
    package func runKeysGenerate(kid: String, out directory: String, jwks: String?) -> CommandOutput {
        guard !kid.isEmpty, kid.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "/" }) else {
            return CommandOutput(stderr: "error: --kid must be printable ASCII without spaces or `/`\n", exitCode: 2)
        }
        let jwksPath = jwks ?? "\(directory)/jwks.json"
        let privatePath = "\(directory)/\(kid).private.jwk.json"
        do {
            try fileSystem.createDirectory(directory)
            // The JWKS may live elsewhere (`--jwks Mappings/keys/x.jwks.json`): its folder is made before the
            // private key is written, so a failure cannot leave a private key without its public half.
            let jwksFolder = (jwksPath as NSString).deletingLastPathComponent
            if !jwksFolder.isEmpty { try fileSystem.createDirectory(jwksFolder) }
            let existing = try existingKeys(jwksPath, adding: kid)
            if fileSystem.fileExists(privatePath) {
                return CommandOutput(
                    stderr: "error: \(privatePath) exists; a private key is never overwritten\n", exitCode: 2)
            }
            let key = try RSAPrivateJWK.generate(kid: kid)
            try writePrivate(privatePath, Array(key.json().rendered().utf8))
            try fileSystem.writeFile(
                jwksPath, Array(JSONValue.object([("keys", .array(existing + [key.publicJSON()]))]).rendered().utf8))
            return CommandOutput(
                stdout:
                    "private key: \(privatePath) (mode 0600; keep it out of version control)\npublic JWKS: \(jwksPath) (now \(existing.count + 1) key\(existing.isEmpty ? "" : "s"))\n"
            )
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", exitCode: 2)
        }
    }

    /// The keys already in the JWKS at `path` (none when it does not exist yet). Throws when the file is not a JWKS
    /// or already holds `kid`: a lookup by kid must stay unambiguous.
    private func existingKeys(_ path: String, adding kid: String) throws -> [JSONValue] {
        guard fileSystem.fileExists(path) else { return [] }
        let document = try StrictJSONReader(maxDepth: 16).parse(try fileSystem.readFile(path))
        guard case .array(let keys)? = document[member: "keys"] else {
            throw ReplayUsageError("\(path) is not a JWKS (no `keys` array)")
        }
        if keys.contains(where: { $0[member: "kid"] == .string(kid) }) {
            throw ReplayUsageError("\(path) already holds kid \"\(kid)\"; choose another kid")
        }
        return keys
    }

    /// `keys import`: adds the public half of a PEM RSA key to a JWKS (created or merged) under `kid`, for an IdP
    /// that hands out PEM. The result is loaded back under the key policy, so a key replay would drop (1024 bits,
    /// e = 3) is refused here.
    package func runKeysImport(pem pemPath: String, kid: String, jwks jwksPath: String) -> CommandOutput {
        guard !kid.isEmpty, kid.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            return CommandOutput(stderr: "error: --kid must be printable ASCII without spaces\n", exitCode: 2)
        }
        do {
            guard fileSystem.fileExists(pemPath) else {
                return CommandOutput(stderr: "error: cannot read \(pemPath): no such file\n", exitCode: 2)
            }
            let pem = String(decoding: try fileSystem.readFile(pemPath, limit: 64 << 10), as: UTF8.self)
            guard pem.contains("-----BEGIN ") else {
                return CommandOutput(stderr: "error: \(pemPath) is not PEM (no -----BEGIN line)\n", exitCode: 2)
            }
            let key = try RSAPrivateJWK.publicJSON(pem: pem, kid: kid)
            let existing = try existingKeys(jwksPath, adding: kid)
            let document = Array(JSONValue.object([("keys", .array(existing + [key]))]).rendered().utf8)
            let loaded = try JWKS(bytes: document)
            let jwksFolder = (jwksPath as NSString).deletingLastPathComponent
            if !jwksFolder.isEmpty { try fileSystem.createDirectory(jwksFolder) }
            if let dropped = loaded.dropped.first(where: { $0.kid == kid }) {
                return CommandOutput(stderr: "error: \(pemPath): \(dropped.reason)\n", exitCode: 2)
            }
            try fileSystem.writeFile(jwksPath, document)
            return CommandOutput(
                stdout:
                    "public JWKS: \(jwksPath) (now \(existing.count + 1) key\(existing.isEmpty ? "" : "s"); kid \"\(kid)\" must be the kid in the IdP's token headers)\n"
            )
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", exitCode: 2)
        }
    }

    private func writePrivate(_ path: String, _ bytes: [UInt8]) throws {
        guard fileSystem is LocalFileSystem else {
            try fileSystem.writeFile(path, bytes)
            return
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw FileSystemError(path: path, reason: "cannot create (\(String(cString: strerror(errno))))")
        }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw FileSystemError(path: path, reason: "cannot write") }
            offset += written
        }
    }

    /// Signs the claims (a JSON object) with a private JWK: RS256 and the key's kid unless `--header` says
    /// otherwise; `iat` = now and `exp` = now + 1 h unless the claims give them.
    package func runTokenMint(key keyPath: String, claims: [UInt8], headers: [String], now: String?) -> CommandOutput {
        do {
            guard fileSystem.fileExists(keyPath) else {
                return CommandOutput(stderr: "error: cannot read key \(keyPath)\n", exitCode: 2)
            }
            let keyBytes = try fileSystem.readFile(keyPath, limit: 64 << 10)
            if String(decoding: keyBytes.prefix(256), as: UTF8.self).contains("-----BEGIN ") {
                return CommandOutput(
                    stderr:
                        "error: \(keyPath) is a PEM key; token mint signs with a private JWK: create one with `claimmap keys generate --kid KID --out DIR` and give --key DIR/KID.private.jwk.json\n",
                    exitCode: 2)
            }
            let keyJSON = try StrictJSONReader(maxDepth: 16).parse(keyBytes)
            if keyJSON[member: "keys"] != nil {
                return CommandOutput(
                    stderr:
                        "error: \(keyPath) is a JWKS (public keys, which cannot sign); give the private JWK `claimmap keys generate` wrote beside it: DIR/KID.private.jwk.json\n",
                    exitCode: 2)
            }
            let key = try RSAPrivateJWK(json: keyJSON)
            let payload = try StrictJSONReader(maxDepth: 16).parse(claims)
            guard case .object(var members) = payload else {
                return CommandOutput(stderr: "error: the claims must be a JSON object\n", exitCode: 2)
            }
            let time = try ReplaySession.time(now)
            if !members.contains(where: { $0.0 == "iat" }) { members.append(("iat", .number(String(time)))) }
            if !members.contains(where: { $0.0 == "exp" }) { members.append(("exp", .number(String(time + 3600)))) }
            var header: [(String, JSONValue)] = [
                ("alg", .string("RS256")), ("kid", .string(key.kid)), ("typ", .string("JWT")),
            ]
            for option in headers {
                guard let equals = option.firstIndex(of: "=") else {
                    return CommandOutput(stderr: "error: --header \(option): write NAME=VALUE\n", exitCode: 2)
                }
                let name = String(option[..<equals])
                let text = String(option[option.index(after: equals)...])
                // A value that is JSON (a number, an array, an object, true/false/null) is kept as JSON.
                let value = (try? StrictJSONReader(maxDepth: 8).parse(text)) ?? .string(text)
                header.removeAll { $0.0 == name }
                if value != .null { header.append((name, value)) }
            }
            let token = try key.sign(header: .object(header), payload: Array(JSONValue.object(members).compact().utf8))
            return CommandOutput(stdout: token + "\n")
        } catch let error as ReplayUsageError {
            return CommandOutput(stderr: "error: \(error)\n", exitCode: 2)
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", exitCode: 2)
        }
    }
}
