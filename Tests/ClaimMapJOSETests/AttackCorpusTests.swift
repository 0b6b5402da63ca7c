import ClaimMapRuntime
import ClaimMapTestSupport
import Crypto
import CryptoExtras
import Foundation
import Testing

@testable import ClaimMapJOSE

/// The attack corpus of docs/security.md (Attack classes): every class J-01 to J-30, generated deterministically
/// (RFC 7520's key as the trusted key, two Wycheproof keys as the rotated and the attacker key; RS256 is
/// deterministic), each attack asserting its exact reason code, plus positive controls that must all pass.
@Suite("attack corpus")
struct AttackCorpusTests {
    struct Attack: CustomStringConvertible {
        var id: String
        var name: String
        var token: String
        /// nil for a positive control.
        var reason: Rejection.Reason?
        /// The verification keys, or why the JWKS itself is unusable.
        var keys: Result<JWKS, Rejection>
        var description: String { "\(id) \(name)" }
    }

    static let now: Int64 = 1_795_608_000  // 2026-11-25T12:00:00Z
    static let policy = ClaimPolicy(
        issuer: "https://issuer.example", audiences: ["client"], algorithms: ["RS256"], leewaySeconds: 60,
        maxAgeSeconds: 3600, nonceRequired: true, expectedNonce: "n-1")

    struct Material {
        var trusted: RSAPrivateJWK
        var rotated: RSAPrivateJWK
        var attacker: RSAPrivateJWK
        var keys: JWKS
    }

    static func material() throws -> Material {
        let cookbook = try Data(contentsOf: Corpora.directory("jose-cookbook/jwk/3_4.rsa_private_key.json"))
        let trusted = try RSAPrivateJWK(json: try StrictJSONReader().parse([UInt8](cookbook)))
        let vectors = try StrictJSONReader(maxDepth: 64).parse(
            [UInt8](
                try Data(contentsOf: Corpora.directory("wycheproof/testvectors_v1/rsa_pkcs1_2048_sig_gen_test.json"))))
        guard case .array(let groups)? = vectors[member: "testGroups"] else {
            throw Rejection(.jwksUnavailable, "fixture")
        }
        var pems: [String] = []
        for group in groups {
            if case .string(let pem)? = group[member: "privateKeyPem"], !pems.contains(pem) { pems.append(pem) }
        }
        let rotated = try RSAPrivateJWK(
            kid: "rotated-2027", privateKey: try _RSA.Signing.PrivateKey(pemRepresentation: pems[0]))
        let attacker = try RSAPrivateJWK(
            kid: trusted.kid, privateKey: try _RSA.Signing.PrivateKey(pemRepresentation: pems[1]))
        let keys = try set([trusted.publicJSON()])
        return Material(trusted: trusted, rotated: rotated, attacker: attacker, keys: keys)
    }

    static func set(_ keys: [JSONValue]) throws(Rejection) -> JWKS {
        try JWKS(bytes: Array(JSONValue.object([("keys", .array(keys))]).compact().utf8))
    }

    static func b64(_ text: String) -> String { Base64URL.encode(Array(text.utf8)) }

    static func claims(_ overrides: [(String, JSONValue?)] = []) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("iss", .string("https://issuer.example")), ("aud", .string("client")), ("sub", .string("user-1")),
            ("iat", .number(String(now - 30))), ("exp", .number(String(now + 600))), ("nonce", .string("n-1")),
        ]
        for (name, value) in overrides {
            if let index = members.firstIndex(where: { $0.0 == name }) {
                if let value { members[index].1 = value } else { members.remove(at: index) }
            } else if let value {
                members.append((name, value))
            }
        }
        return .object(members)
    }

    static func header(_ key: RSAPrivateJWK, _ extra: [(String, JSONValue?)] = []) -> JSONValue {
        var members: [(String, JSONValue)] = [("alg", .string("RS256")), ("kid", .string(key.kid))]
        for (name, value) in extra {
            if let index = members.firstIndex(where: { $0.0 == name }) {
                if let value { members[index].1 = value } else { members.remove(at: index) }
            } else if let value {
                members.append((name, value))
            }
        }
        return .object(members)
    }

    /// Signs raw header and payload texts (so duplicates and odd JSON survive).
    static func signRaw(_ key: RSAPrivateJWK, header: String, payload: String) throws -> String {
        let input = b64(header) + "." + b64(payload)
        let signature = try key.privateKey.signature(
            for: SHA256.hash(data: Array(input.utf8)), padding: .insecurePKCS1v1_5)
        return input + "." + Base64URL.encode(Array(signature.rawRepresentation))
    }

    static func corpus() throws -> [Attack] {
        let m = try material()
        let k = m.trusted
        var attacks: [Attack] = []
        func add(_ id: String, _ name: String, _ token: String, _ reason: Rejection.Reason?, keys: JWKS? = nil) {
            attacks.append(Attack(id: id, name: name, token: token, reason: reason, keys: .success(keys ?? m.keys)))
        }
        func sign(_ header: JSONValue, _ payload: JSONValue, key: RSAPrivateJWK? = nil) throws -> String {
            try signRaw(key ?? k, header: header.compact(), payload: payload.compact())
        }
        let valid = try sign(header(k), claims())
        let parts = valid.split(separator: ".").map(String.init)

        // Positive controls.
        add("C", "valid RS256 token", valid, nil)
        add(
            "C", "aud as an array with azp",
            try sign(
                header(k),
                claims([("aud", .array([.string("client"), .string("other")])), ("azp", .string("client"))])), nil)
        add("C", "aud array of one", try sign(header(k), claims([("aud", .array([.string("client")]))])), nil)
        add("C", "typ JWT", try sign(header(k, [("typ", .string("JWT"))]), claims()), nil)
        add("C", "typ jwt (case-insensitive)", try sign(header(k, [("typ", .string("jwt"))]), claims()), nil)
        add(
            "C", "fractional exp and iat",
            try sign(header(k), claims([("exp", .number("\(now + 600).75")), ("iat", .number("\(now - 30).5"))])), nil)
        add("C", "exp just inside the leeway", try sign(header(k), claims([("exp", .number(String(now - 59)))])), nil)
        add("C", "nbf just inside the leeway", try sign(header(k), claims([("nbf", .number(String(now + 59)))])), nil)
        add(
            "C", "auth_time within maxAge", try sign(header(k), claims([("auth_time", .number(String(now - 3000)))])),
            nil)
        add(
            "C", "non-ASCII and big integer claims",
            try sign(header(k), claims([("name", .string("Zoë 👋")), ("n", .number("9007199254740993"))])), nil)
        add(
            "C", "whitespace inside header JSON",
            try signRaw(k, header: "{ \"alg\" : \"RS256\" ,\n \"kid\": \"\(k.kid)\" }", payload: claims().compact()),
            nil)
        add("C", "no kid with a single-key JWKS", try sign(header(k, [("kid", nil)]), claims()), nil)
        let rotatedKeys = try set([k.publicJSON(), m.rotated.publicJSON()])
        add(
            "C", "the rotated key once the JWKS holds it", try sign(header(m.rotated), claims(), key: m.rotated), nil,
            keys: rotatedKeys)

        // J-01 alg none and variants.
        for alg in ["none", "None", "NONE", "nOnE", "none ", "none\u{0}"] {
            add(
                "J-01", "alg \(alg.debugDescription) with a signature",
                b64(header(k, [("alg", .string(alg))]).compact()) + "." + parts[1] + "." + parts[2], .algNotAllowed)
        }
        add("J-01", "alg none without a signature", b64(#"{"alg":"none"}"#) + "." + parts[1] + ".", .malformedSegments)
        add("J-01", "no alg", try sign(header(k, [("alg", nil)]), claims()), .algMissing)
        add("J-01", "alg as a number", try sign(header(k, [("alg", .number("256"))]), claims()), .algNotAllowed)
        for alg in ["RS384", "RS512", "PS256", "ES256", "EdDSA", "rs256", "RS256 "] {
            add(
                "J-01", "alg \(alg) not in the allow-list", try sign(header(k, [("alg", .string(alg))]), claims()),
                .algNotAllowed)
        }

        // J-02 HS256 with the public key's bytes as the HMAC secret.
        let publicKey = k.privateKey.publicKey
        let secrets: [(String, [UInt8])] = [
            ("PEM", Array(publicKey.pemRepresentation.utf8)),
            ("PEM + newline", Array((publicKey.pemRepresentation + "\n").utf8)),
            ("SPKI DER", Array(publicKey.derRepresentation)), ("PKCS#1 DER", Array(publicKey.pkcs1DERRepresentation)),
            ("JWK JSON", Array(k.publicJSON().compact().utf8)),
            ("raw n", (try? Base64URL.decode(k.members[0].1)) ?? []),
        ]
        for (label, secret) in secrets {
            let input = b64(#"{"alg":"HS256","kid":"\#(k.kid)"}"#) + "." + b64(claims().compact())
            let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: secret))
            add("J-02", "HS256 keyed with the \(label)", input + "." + Base64URL.encode(Array(mac)), .algNotAllowed)
        }

        // J-03 / J-04 / J-22 / J-26 header parameters never accepted.
        let attackerJWK = m.attacker.publicJSON()
        add(
            "J-03", "embedded jwk of the attacker",
            try sign(header(m.attacker, [("jwk", attackerJWK)]), claims(), key: m.attacker), .headerParamNotAllowed)
        add(
            "J-03", "embedded jwk, kid of a trusted key",
            try sign(header(k, [("jwk", attackerJWK)]), claims(), key: m.attacker), .headerParamNotAllowed)
        add(
            "J-03", "attacker key under a trusted kid", try sign(header(k), claims(), key: m.attacker),
            .signatureInvalid)
        for url in [
            "http://127.0.0.1:1/jwks", "file:///etc/passwd", "https://evil.example/jwks",
            "https://issuer.example.evil/jwks",
        ] {
            add("J-04", "jku \(url)", try sign(header(k, [("jku", .string(url))]), claims()), .headerParamNotAllowed)
            add("J-04", "x5u \(url)", try sign(header(k, [("x5u", .string(url))]), claims()), .headerParamNotAllowed)
        }
        add(
            "J-22", "x5c self-signed",
            try sign(header(k, [("x5c", .array([.string("MIIBszCCAVmgAwIBAgIJAO")]))]), claims()),
            .headerParamNotAllowed)
        add("J-22", "x5t", try sign(header(k, [("x5t", .string("abc"))]), claims()), .headerParamNotAllowed)
        for (name, value) in [
            ("b64", JSONValue.bool(false)), ("zip", .string("DEF")), ("enc", .string("A256GCM")),
            ("cty", .string("JWT")), ("p2c", .number("2000000000")), ("epk", .object([])),
        ] {
            add(
                "J-26", "header parameter \(name)", try sign(header(k, [(name, value)]), claims()),
                .headerParamNotAllowed)
        }

        // J-05 kid injection.
        for kid in ["../../../../dev/null", "' OR '1'='1", "$(id)", "unknown-kid"] {
            add("J-05", "kid \(kid)", try sign(header(k, [("kid", .string(kid))]), claims()), .keyNotFound)
        }
        for (label, value) in [
            ("10 KB", JSONValue.string(String(repeating: "k", count: 10_000))), ("NUL", .string("k\u{0}id")),
            ("number", .number("123")), ("null", .null), ("array", .array([.string("a")])), ("object", .object([])),
            ("empty", .string("")),
        ] {
            add("J-05", "kid \(label)", try sign(header(k, [("kid", value)]), claims()), .kidInvalid)
        }

        // J-06 crit.
        for value in [
            JSONValue.array([.string("exp")]), .array([.string("x")]), .array([]), .string("x"), .array([.null]),
            .array([.string("alg")]),
        ] {
            add("J-06", "crit \(value.compact())", try sign(header(k, [("crit", value)]), claims()), .critUnsupported)
        }

        // J-07 / J-08 / J-09 time claims.
        add("J-07", "no exp", try sign(header(k), claims([("exp", nil)])), .claimMissing)
        add("J-07", "exp null", try sign(header(k), claims([("exp", .null)])), .claimTypeInvalid)
        add("J-07", "exp empty string", try sign(header(k), claims([("exp", .string(""))])), .claimTypeInvalid)
        add("J-07", "no iat", try sign(header(k), claims([("iat", nil)])), .claimMissing)
        add(
            "J-08", "expired beyond the leeway", try sign(header(k), claims([("exp", .number(String(now - 61)))])),
            .expired)
        add(
            "J-08", "expired exactly at the leeway", try sign(header(k), claims([("exp", .number(String(now - 60)))])),
            .expired)
        add(
            "J-08", "nbf beyond the leeway", try sign(header(k), claims([("nbf", .number(String(now + 61)))])),
            .notYetValid)
        add(
            "J-08", "iat in the future", try sign(header(k), claims([("iat", .number(String(now + 61)))])), .iatInFuture
        )
        add(
            "J-08", "iat ten years ago (maxAge)",
            try sign(header(k), claims([("iat", .number(String(now - 315_360_000)))])), .tokenTooOld)
        add(
            "J-08", "auth_time beyond maxAge",
            try sign(header(k), claims([("auth_time", .number(String(now - 3700)))])), .tokenTooOld)
        for (label, value) in [
            ("string", JSONValue.string("1795608600")), ("true", .bool(true)), ("1e400", .number("1e400")),
            ("-1", .number("-1")),
            ("2^66", .number("99999999999999999999")), ("array", .array([.number("1")])), ("object", .object([])),
            ("beyond year 9999", .number("9007199254740993")),
        ] {
            add("J-09", "exp \(label)", try sign(header(k), claims([("exp", value)])), .claimTypeInvalid)
        }
        add(
            "J-09", "exp 1.7e9 (a number, long past)", try sign(header(k), claims([("exp", .number("1.7e9"))])),
            .expired)
        add("J-09", "nbf as a string", try sign(header(k), claims([("nbf", .string("0"))])), .claimTypeInvalid)
        add("J-09", "iat as a boolean", try sign(header(k), claims([("iat", .bool(false))])), .claimTypeInvalid)

        // J-10 aud forms.
        for (label, value, reason) in [
            ("[]", JSONValue.array([]), Rejection.Reason.audienceMismatch),
            ("[\"\"]", .array([.string("")]), .audienceMismatch),
            ("case", .string("Client"), .audienceMismatch),
            ("trailing space", .array([.string("client ")]), .audienceMismatch),
            ("URL with slash", .string("https://client/"), .audienceMismatch),
            ("[1]", .array([.number("1")]), .claimTypeInvalid),
            ("nested", .array([.array([.string("client")])]), .claimTypeInvalid),
            ("object", .object([("client", .number("1"))]), .claimTypeInvalid),
            ("several without azp", .array([.string("client"), .string("other")]), .azpMismatch),
        ] {
            add("J-10", "aud \(label)", try sign(header(k), claims([("aud", value)])), reason)
        }
        add(
            "J-10", "azp of another client",
            try sign(
                header(k), claims([("aud", .array([.string("client"), .string("other")])), ("azp", .string("other"))])),
            .azpMismatch)
        add("J-10", "no aud", try sign(header(k), claims([("aud", nil)])), .claimMissing)

        // J-11 / J-29 issuer.
        for (label, value, reason) in [
            ("trailing slash", JSONValue.string("https://issuer.example/"), Rejection.Reason.issuerMismatch),
            ("case", .string("https://Issuer.example"), .issuerMismatch),
            ("scheme", .string("http://issuer.example"), .issuerMismatch),
            ("prefix", .string("https://issuer.exam"), .issuerMismatch),
            ("superstring", .string("https://issuer.example.evil"), .issuerMismatch),
            ("fullwidth", .string("https://ｉｓｓｕｅｒ.example"), .issuerMismatch),
            ("array", .array([.string("https://issuer.example")]), .claimTypeInvalid),
            ("null", .null, .claimTypeInvalid),
        ] {
            add("J-11", "iss \(label)", try sign(header(k), claims([("iss", value)])), reason)
        }
        add(
            "J-29", "another issuer is rejected, never treated as a guest",
            try sign(header(k), claims([("iss", .string("https://other-idp.example"))])), .issuerMismatch)
        add("J-11", "no iss", try sign(header(k), claims([("iss", nil)])), .claimMissing)

        // J-12 duplicate members.
        let payload = claims().compact()
        add(
            "J-12", "duplicate alg in the header",
            try signRaw(k, header: #"{"alg":"RS256","alg":"none","kid":"\#(k.kid)"}"#, payload: payload),
            .duplicateMember)
        add(
            "J-12", "duplicate exp",
            try signRaw(k, header: header(k).compact(), payload: String(payload.dropLast()) + #","exp":9999999999}"#),
            .duplicateMember)
        add(
            "J-12", "duplicate aud",
            try signRaw(k, header: header(k).compact(), payload: String(payload.dropLast()) + #","aud":"b"}"#),
            .duplicateMember)
        add(
            "J-12", "escaped duplicate (\\u0065xp)",
            try signRaw(k, header: header(k).compact(), payload: String(payload.dropLast()) + #","\u0065xp":1}"#),
            .duplicateMember)
        add(
            "J-12", "nested duplicate",
            try signRaw(k, header: header(k).compact(), payload: String(payload.dropLast()) + #","x":{"a":1,"a":2}}"#),
            .duplicateMember)

        // J-13 base64url.
        add("J-13", "padding", parts[0] + "=." + parts[1] + "." + parts[2], .badBase64URL)
        add(
            "J-13", "standard alphabet",
            parts[0] + "." + parts[1] + "."
                + parts[2].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "+",
            .badBase64URL)
        add("J-13", "whitespace", parts[0] + " ." + parts[1] + "." + parts[2], .badBase64URL)
        add("J-13", "line break", parts[0] + ".\n" + parts[1] + "." + parts[2], .badBase64URL)
        add("J-13", "length 1 mod 4", parts[0] + "." + parts[1] + "." + parts[2] + "AAA", .badBase64URL)
        add("J-13", "padding in the payload", parts[0] + "." + parts[1] + "==." + parts[2], .badBase64URL)
        add("J-13", "`+` in the header", "+" + parts[0].dropFirst() + "." + parts[1] + "." + parts[2], .badBase64URL)
        add("J-13", "a NUL byte", parts[0] + "\u{0}." + parts[1] + "." + parts[2], .badBase64URL)
        add("J-13", "invalid character", parts[0] + "." + parts[1] + "?." + parts[2], .badBase64URL)
        func noncanonical(_ segment: String) -> String {
            // Flip an unused low bit of the last character, if the segment has any.
            guard let last = segment.last,
                let index = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".firstIndex(of: last)
            else { return segment }
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
            let value = alphabet.distance(
                from: alphabet.startIndex,
                to: index.utf16Offset(in: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                    + alphabet.startIndex)
            return String(segment.dropLast()) + String(alphabet[value | 1])
        }
        for (index, name) in [(0, "header"), (1, "payload"), (2, "signature")] where parts[index].count % 4 != 0 {
            var copy = parts
            copy[index] = noncanonical(parts[index])
            if copy[index] != parts[index] {
                add("J-13", "non-canonical \(name)", copy.joined(separator: "."), .noncanonicalBase64URL)
            }
        }

        // J-14 structure.
        for (label, token) in [
            ("two segments", parts[0] + "." + parts[1]), ("four segments", valid + ".e30"),
            ("trailing dot", valid + "."),
            ("leading dot", "." + valid), ("empty header", "." + parts[1] + "." + parts[2]),
            ("empty payload", parts[0] + ".." + parts[2]),
            ("empty string", ""), ("one segment", parts[0]),
            ("JWE, five segments", parts[0] + ".e30.e30.e30." + parts[2]),
            (
                "JSON serialization",
                #"{"payload":"\#(parts[1])","protected":"\#(parts[0])","signature":"\#(parts[2])"}"#
            ),
            ("only dots", String(repeating: ".", count: 2000)),
        ] {
            add("J-14", label, token, .malformedSegments)
        }

        // J-15 size and depth.
        add("J-15", "16 KiB + 1 token", String(repeating: "A", count: 16 * 1024 - 2) + ".A.A" + "A", .tokenTooLarge)
        add("J-15", "1 MB of dots", String(repeating: ".", count: 1 << 20), .tokenTooLarge)
        let deep = String(repeating: "[", count: 17) + String(repeating: "]", count: 17)
        add(
            "J-15", "payload nested 17 deep",
            try signRaw(k, header: header(k).compact(), payload: String(payload.dropLast()) + #","d":\#(deep)}"#),
            .jsonTooDeep)
        add(
            "J-15", "header nested deep", try signRaw(k, header: #"{"alg":"RS256","x":\#(deep)}"#, payload: payload),
            .jsonTooDeep)
        add(
            "J-15", "payload not JSON", try signRaw(k, header: header(k).compact(), payload: "foo"),
            .payloadNotJSONObject)
        add(
            "J-15", "payload a JSON array", try signRaw(k, header: header(k).compact(), payload: "[1]"),
            .payloadNotJSONObject)
        add("J-15", "header a JSON array", try signRaw(k, header: "[]", payload: payload), .headerNotJSONObject)
        add("J-15", "header not JSON", try signRaw(k, header: "{alg:RS256}", payload: payload), .headerNotJSONObject)
        add(
            "J-15", "payload with a trailing comma",
            try signRaw(k, header: header(k).compact(), payload: String(payload.dropLast()) + ",}"),
            .payloadNotJSONObject)

        // J-16 / J-17 signatures.
        let signature = (try? Base64URL.decode(parts[2])) ?? []
        add(
            "J-16", "signature of another token",
            parts[0] + "." + parts[1] + "."
                + (try sign(header(k), claims([("sub", .string("admin"))]))).split(separator: ".")[2], .signatureInvalid
        )
        add(
            "J-16", "payload swapped under a valid signature",
            parts[0] + "." + b64(claims([("sub", .string("admin"))]).compact()) + "." + parts[2], .signatureInvalid)
        for (label, bytes) in [
            ("zeros", [UInt8](repeating: 0, count: signature.count)),
            ("ones", [UInt8](repeating: 0xFF, count: signature.count)),
            ("truncated", Array(signature.dropLast())), ("extended", signature + [0]),
            ("leading zero", [0] + signature),
            ("one byte", [1]),
            (
                "bit flipped",
                {
                    var s = signature; s[s.count / 2] ^= 1; return s
                }()
            ),
            ("modulus", (try? Base64URL.decode(k.members[0].1)) ?? []),
        ] {
            add(
                "J-17", "signature \(label)", parts[0] + "." + parts[1] + "." + Base64URL.encode(bytes),
                .signatureInvalid)
        }

        // J-19 / J-21 weak or mismatched keys in the JWKS.
        func publicJWK(_ edits: [(String, JSONValue?)]) -> JSONValue {
            guard case .object(var members) = k.publicJSON() else { return .null }
            for (name, value) in edits {
                members.removeAll { $0.0 == name }
                if let value { members.append((name, value)) }
            }
            return .object(members)
        }
        let n = (try? Base64URL.decode(k.members[0].1)) ?? []
        for (label, edits) in [
            ("1024-bit modulus", [("n", Optional(JSONValue.string(Base64URL.encode(n.prefix(128)))))]),
            ("e = 3", [("e", JSONValue.string("Aw"))]), ("e = 1", [("e", JSONValue.string("AQ"))]),
            ("e = 2", [("e", JSONValue.string("Ag"))]),
            ("use enc", [("use", JSONValue.string("enc"))]),
            ("key_ops sign", [("key_ops", JSONValue.array([.string("sign")]))]),
            ("alg RS512 on the key", [("alg", JSONValue.string("RS512"))]),
            ("alg HS256 on the key", [("alg", JSONValue.string("HS256"))]),
            ("kty EC", [("kty", JSONValue.string("EC"))]),
        ] {
            let keys = try set([publicJWK(edits)])
            add(
                label == "alg RS512 on the key" ? "J-21" : "J-19", "JWKS key with \(label)", valid, .keyPolicyViolation,
                keys: keys)
        }
        do {
            _ = try set([k.json()])
            Issue.record("a JWKS with private members was loaded")
        } catch {
            attacks.append(
                Attack(
                    id: "J-21", name: "private members make the JWKS unusable", token: valid, reason: .jwksUnavailable,
                    keys: .failure(error)))
        }
        do {
            _ = try set([k.publicJSON(), k.publicJSON()])
            Issue.record("a JWKS with a duplicate kid was loaded")
        } catch {
            attacks.append(
                Attack(
                    id: "J-21", name: "a duplicate kid makes the JWKS unusable", token: valid, reason: .jwksUnavailable,
                    keys: .failure(error)))
        }

        // J-20 rotation.
        add(
            "J-20", "a kid the JWKS does not hold (rotation)", try sign(header(m.rotated), claims(), key: m.rotated),
            .keyNotFound)
        add(
            "J-20", "no kid while the JWKS holds two keys", try sign(header(k, [("kid", nil)]), claims()), .kidInvalid,
            keys: rotatedKeys)

        // J-23 typ / cross-JWT confusion; J-24 nonce; J-25 Unicode.
        for typ in ["at+jwt", "JOSE", "logout+jwt", "JWS"] {
            add("J-23", "typ \(typ)", try sign(header(k, [("typ", .string(typ))]), claims()), .typMismatch)
        }
        add("J-24", "no nonce", try sign(header(k), claims([("nonce", nil)])), .claimMissing)
        add("J-24", "another nonce", try sign(header(k), claims([("nonce", .string("n-2"))])), .nonceMismatch)
        add("J-24", "nonce in another case", try sign(header(k), claims([("nonce", .string("N-1"))])), .nonceMismatch)
        add(
            "J-24", "nonce with a trailing space", try sign(header(k), claims([("nonce", .string("n-1 "))])),
            .nonceMismatch)
        add("J-24", "nonce as a number", try sign(header(k), claims([("nonce", .number("1"))])), .claimTypeInvalid)
        add("J-25", "nonce in NFD", try sign(header(k), claims([("nonce", .string("n-1\u{301}"))])), .nonceMismatch)
        add(
            "J-25", "invalid UTF-8 in the payload",
            try {
                let input =
                    b64(header(k).compact()) + "."
                    + Base64URL.encode(Array(#"{"iss":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8))
                let s = try k.privateKey.signature(
                    for: SHA256.hash(data: Array(input.utf8)), padding: .insecurePKCS1v1_5)
                return input + "." + Base64URL.encode(Array(s.rawRepresentation))
            }(), .jsonNotUTF8)
        add(
            "J-25", "lone surrogate escape",
            try signRaw(k, header: header(k).compact(), payload: String(payload.dropLast()) + #","x":"\ud800"}"#),
            .payloadNotJSONObject)
        add(
            "J-25", "aud with a zero-width space", try sign(header(k), claims([("aud", .string("cli\u{200B}ent"))])),
            .audienceMismatch)

        // More boundaries and encodings of the same classes.
        add("C", "nbf exactly at the leeway", try sign(header(k), claims([("nbf", .number(String(now + 60)))])), nil)
        add("C", "iat exactly at the leeway", try sign(header(k), claims([("iat", .number(String(now + 60)))])), nil)
        for (label, value) in [("null", JSONValue.null), ("true", .bool(true)), ("number", .number("1"))] {
            add("J-10", "aud \(label)", try sign(header(k), claims([("aud", value)])), .claimTypeInvalid)
        }
        add("J-10", "aud upper case", try sign(header(k), claims([("aud", .string("CLIENT"))])), .audienceMismatch)
        add(
            "J-10", "azp as a number",
            try sign(header(k), claims([("aud", .array([.string("client"), .string("x")])), ("azp", .number("1"))])),
            .azpMismatch)
        add(
            "J-10", "azp on a single audience naming another client",
            try sign(header(k), claims([("azp", .string("other"))])), .azpMismatch)
        for (label, value) in [
            ("string", JSONValue.string("0")), ("1e400", .number("1e400")), ("negative", .number("-5")),
        ] {
            add("J-09", "iat \(label)", try sign(header(k), claims([("iat", value)])), .claimTypeInvalid)
        }
        add("J-09", "nbf null", try sign(header(k), claims([("nbf", .null)])), .claimTypeInvalid)
        add(
            "J-09", "auth_time as a string", try sign(header(k), claims([("auth_time", .string("yesterday"))])),
            .claimTypeInvalid)
        add(
            "J-08", "nbf an hour ahead", try sign(header(k), claims([("nbf", .number(String(now + 3600)))])),
            .notYetValid)
        add("J-08", "exp zero", try sign(header(k), claims([("exp", .number("0"))])), .expired)
        for (label, value) in [
            ("null", JSONValue.null), ("array", .array([.string("n-1")])), ("object", .object([("n", .string("n-1"))])),
        ] {
            add("J-24", "nonce \(label)", try sign(header(k), claims([("nonce", value)])), .claimTypeInvalid)
        }
        add("J-24", "empty nonce", try sign(header(k), claims([("nonce", .string(""))])), .nonceMismatch)
        for kid in [
            "bilbo.baggins@hobbiton.examp1e", "BILBO.BAGGINS@HOBBITON.EXAMPLE", " bilbo.baggins@hobbiton.example",
            "bilbo.baggins@hobbiton.example ",
        ] {
            add(
                "J-05", "kid \(kid.debugDescription)", try sign(header(k, [("kid", .string(kid))]), claims()),
                .keyNotFound)
        }
        add("J-11", "iss as a number", try sign(header(k), claims([("iss", .number("1"))])), .claimTypeInvalid)
        add(
            "J-11", "iss with a newline", try sign(header(k), claims([("iss", .string("https://issuer.example\n"))])),
            .issuerMismatch)
        add(
            "J-11", "iss with a BOM", try sign(header(k), claims([("iss", .string("\u{FEFF}https://issuer.example"))])),
            .issuerMismatch)
        for param in ["iv", "tag", "apu", "apv", "x5t#S256", "url", "nonce"] {
            add(
                "J-26", "header parameter \(param)", try sign(header(k, [(param, .string("x"))]), claims()),
                .headerParamNotAllowed)
        }
        add(
            "J-27", "a JWE with PBES2 parameters",
            b64(#"{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2c":2000000000}"#) + ".a.b.c.d", .malformedSegments)
        add(
            "J-27", "JWE algorithm in a JWS header", try sign(header(k, [("alg", .string("RSA-OAEP"))]), claims()),
            .algNotAllowed)
        for (label, bytes) in [
            ("empty-length random", [UInt8](repeating: 7, count: 255)),
            ("512 bytes", [UInt8](repeating: 1, count: 512)),
        ] {
            add(
                "J-17", "signature \(label)", parts[0] + "." + parts[1] + "." + Base64URL.encode(bytes),
                .signatureInvalid)
        }
        add(
            "J-16", "header swapped under a valid signature",
            b64(header(k, [("typ", .string("JWT"))]).compact()) + "." + parts[1] + "." + parts[2], .signatureInvalid)
        add(
            "J-16", "a PS256 signature relabelled RS256",
            try {
                let input = parts[0] + "." + parts[1]
                let pss = try k.privateKey.signature(for: SHA256.hash(data: Array(input.utf8)), padding: .PSS)
                return input + "." + Base64URL.encode(Array(pss.rawRepresentation))
            }(), .signatureInvalid)
        add("J-23", "typ as a number", try sign(header(k, [("typ", .number("1"))]), claims()), .typMismatch)
        add("J-23", "typ JWT with a space", try sign(header(k, [("typ", .string("JWT "))]), claims()), .typMismatch)
        add(
            "J-20", "a kid removed from the JWKS after rotation", try sign(header(k), claims()), .keyNotFound,
            keys: try set([m.rotated.publicJSON()]))
        add(
            "J-28", "a token from another tenant of the same IdP",
            try sign(header(k), claims([("iss", .string("https://issuer.example/tenant-2"))])), .issuerMismatch)
        add("J-15", "a 1 MB string claim", String(repeating: "A", count: 1 << 20), .tokenTooLarge)

        // More cases where verifiers most often go wrong: time boundaries, structure, duplicates, rotation, Unicode.
        for offset in [61, 120, 3600, 86400, 31_536_000] {
            add(
                "J-08", "exp \(offset)s ago",
                try sign(header(k), claims([("exp", .number(String(now - Int64(offset))))])), .expired)
            add(
                "J-08", "nbf \(offset)s ahead",
                try sign(header(k), claims([("nbf", .number(String(now + Int64(offset))))])), .notYetValid)
            add(
                "J-08", "iat \(offset)s ahead",
                try sign(
                    header(k),
                    claims([("iat", .number(String(now + Int64(offset)))), ("exp", .number(String(now + 40_000_000)))])),
                .iatInFuture)
        }
        for fraction in ["0.1", "0.5", "0.999"] {
            add(
                "J-08", "fractional exp \(fraction)s past the leeway",
                try sign(header(k), claims([("exp", .number("\(now - 60).\(fraction.dropFirst(2))"))])), .expired)
        }
        for (label, token) in [
            ("three dots", valid.replacingOccurrences(of: ".", with: "..")), ("header only with dots", parts[0] + ".."),
            ("signature only", ".." + parts[2]), ("spaces around", " " + valid + " "),
            ("tab inside", parts[0] + ".\t" + parts[1] + "." + parts[2]),
            ("ten segments", Array(repeating: parts[0], count: 10).joined(separator: ".")),
        ] {
            add(
                "J-14", label, token,
                [" " + valid + " ", parts[0] + ".\t" + parts[1] + "." + parts[2]].contains(token)
                    ? .badBase64URL : .malformedSegments)
        }
        for (index, name) in [(0, "header"), (1, "payload"), (2, "signature")] {
            var copy = parts
            copy[index] = copy[index] + "="
            add("J-13", "padding on the \(name)", copy.joined(separator: "."), .badBase64URL)
            copy = parts
            copy[index] = "/" + copy[index].dropFirst()
            add("J-13", "`/` in the \(name)", copy.joined(separator: "."), .badBase64URL)
        }
        add(
            "J-12", "duplicate kid in the header",
            try signRaw(k, header: #"{"alg":"RS256","kid":"\#(k.kid)","kid":"other"}"#, payload: payload),
            .duplicateMember)
        add(
            "J-12", "duplicate nonce",
            try signRaw(k, header: header(k).compact(), payload: String(payload.dropLast()) + #","nonce":"n-1"}"#),
            .duplicateMember)
        add(
            "J-12", "duplicate sub",
            try signRaw(k, header: header(k).compact(), payload: String(payload.dropLast()) + #","sub":"admin"}"#),
            .duplicateMember)
        for (label, value) in [
            ("1e3", JSONValue.number("1e3")), ("-0", .number("-0")),
            ("9223372036854775808", .number("9223372036854775808")), ("0.0", .number("0.0")),
        ] {
            add(
                "J-09", "exp \(label)", try sign(header(k), claims([("exp", value)])),
                label == "9223372036854775808" ? .claimTypeInvalid : .expired)
        }
        for kid in [
            "rotated-2025", "rotated-2028", "bilbo", "bilbo.baggins", "hobbiton.example", "*", "%", "kid\u{301}",
        ] {
            add(
                "J-20", "unknown kid \(kid.debugDescription) after a rotation",
                try sign(header(k, [("kid", .string(kid))]), claims()), .keyNotFound)
        }
        for (label, value) in [
            ("fullwidth sub is still a string", "ｕｓｅｒ-1"), ("RTL override", "\u{202E}n-1"),
            ("zero-width joiner", "n\u{200D}-1"), ("combining mark", "n-1\u{0308}"),
        ] {
            add("J-25", "nonce with \(label)", try sign(header(k), claims([("nonce", .string(value))])), .nonceMismatch)
        }
        add(
            "J-25", "issuer with a homoglyph",
            try sign(header(k), claims([("iss", .string("https://issuer.exаmple"))])), .issuerMismatch)
        add(
            "J-25", "audience in NFD", try sign(header(k), claims([("aud", .string("cli\u{0065}\u{0301}nt"))])),
            .audienceMismatch)
        add(
            "J-25", "an overlong UTF-8 encoding in the header",
            {
                let input =
                    Base64URL.encode([0x7B, 0x22, 0x61, 0x6C, 0x67, 0x22, 0x3A, 0x22, 0xC1, 0x92, 0x22, 0x7D]) + "."
                    + b64(payload)
                return input + "." + parts[2]
            }(), .jsonNotUTF8)
        add(
            "J-19", "JWKS key with an 8,200-bit modulus", valid, .keyPolicyViolation,
            keys: try set([publicJWK([("n", .string(Base64URL.encode([UInt8](repeating: 0xFF, count: 1025))))])]))
        add(
            "J-19", "JWKS key with n not in base64url", valid, .keyPolicyViolation,
            keys: try set([publicJWK([("n", .string("not base64!"))])]))
        return attacks
    }

    @Test("every attack is rejected for its exact reason; every control is accepted")
    func corpus() throws {
        let attacks = try Self.corpus()
        var tried: [String: Int] = [:]
        var rejected: [String: Int] = [:]
        var falseAccepts: [String] = []
        var falseRejects: [String] = []
        var wrongReasons: [String] = []
        for attack in attacks {
            let id = attack.id
            tried[id, default: 0] += 1
            do throws(Rejection) {
                _ = try IDTokenVerifier.verify(
                    Substring(attack.token), keys: try attack.keys.get(), policy: Self.policy, now: Self.now)
                if attack.reason != nil { falseAccepts.append(attack.description) }
            } catch {
                guard let expected = attack.reason else {
                    falseRejects.append("\(attack): \(error)")
                    continue
                }
                rejected[id, default: 0] += 1
                if error.reason != expected {
                    wrongReasons.append("\(attack): expected \(expected.rawValue), got \(error)")
                }
                // J-30: a detail never carries the token or its signature.
                let signature = attack.token.split(separator: ".").last.map(String.init) ?? ""
                if signature.count > 20 { #expect(!error.detail.contains(signature), "\(attack) leaks its signature") }
                #expect(!error.detail.contains(attack.token) || attack.token.count < 8)
            }
        }
        #expect(falseAccepts.isEmpty, "false accepts: \(falseAccepts)")
        #expect(falseRejects.isEmpty, "false rejects: \(falseRejects)")
        #expect(wrongReasons.isEmpty, "wrong reasons:\n\(wrongReasons.joined(separator: "\n"))")
        let attackCount = attacks.filter { $0.reason != nil }.count
        let controls = attacks.count - attackCount
        #expect(controls >= 10)
        #expect(attackCount >= 200, "\(attackCount) attacks")
        let classes = Set(attacks.map(\.id)).subtracting(["C"])
        #expect(classes.count >= 24, "\(classes.sorted())")
        // The per-class table docs/security.md reports.
        let report = tried.keys.sorted().map { "\($0): \(tried[$0] ?? 0) tried, \(rejected[$0] ?? 0) rejected" }.joined(
            separator: "; ")
        print("attack corpus: \(attackCount) attacks, \(controls) controls — \(report)")
    }

    /// A verdict, its reason and its detail, or the accepted token's alg, kid and typ.
    static func verdict(_ verify: () throws(Rejection) -> VerifiedIDToken) -> String {
        do throws(Rejection) {
            let token = try verify()
            return "accepted \(token.jws.alg) \(token.jws.kid ?? "-") \(token.jws.typ ?? "-")"
        } catch {
            return "\(error.reason.rawValue): \(error.detail)"
        }
    }

    @Test("a remembered header changes no verdict: each attack after a control, with one memo, as with none")
    func headerMemo() throws {
        let attacks = try Self.corpus()
        let controls = attacks.filter { $0.reason == nil }
        let control = try #require(controls.first { $0.id == "C" })
        let controlKeys = try control.keys.get()
        var memo = JWSHeaderMemo()
        var remembered = 0
        for attack in attacks {
            guard let keys = try? attack.keys.get() else { continue }
            // The control leaves its header in the memo; the attack is then verified with it, and the control again.
            #expect(
                Self.verdict { () throws(Rejection) in
                    try IDTokenVerifier.verify(
                        Substring(control.token), keys: controlKeys, policy: Self.policy, now: Self.now, memo: &memo)
                }.hasPrefix("accepted"))
            let fresh = Self.verdict { () throws(Rejection) in
                try IDTokenVerifier.verify(Substring(attack.token), keys: keys, policy: Self.policy, now: Self.now)
            }
            let withMemo = Self.verdict { () throws(Rejection) in
                try IDTokenVerifier.verify(
                    Substring(attack.token), keys: keys, policy: Self.policy, now: Self.now, memo: &memo)
            }
            #expect(withMemo == fresh, "\(attack)")
            if attack.token.split(separator: ".").first == control.token.split(separator: ".").first {
                remembered += 1
            }
            // Twice in a row: the attack's own header, if it was remembered, gives the same verdict again.
            #expect(
                Self.verdict { () throws(Rejection) in
                    try IDTokenVerifier.verify(
                        Substring(attack.token), keys: keys, policy: Self.policy, now: Self.now, memo: &memo)
                } == fresh, "\(attack), again")
        }
        // Many attacks share the control's header and reach the checks after it through the memo.
        #expect(remembered > 50, "\(remembered)")
        // The allowed algorithms are checked on every token, remembered header or not.
        var narrower = Self.policy
        narrower.algorithms = ["PS256"]
        let refused = Self.verdict { () throws(Rejection) in
            try IDTokenVerifier.verify(
                Substring(control.token), keys: controlKeys, policy: narrower, now: Self.now, memo: &memo)
        }
        #expect(refused.hasPrefix("alg_not_allowed: alg \"RS256\" is not allowed (allowed: PS256)"), "\(refused)")
        #expect(
            refused
                == Self.verdict { () throws(Rejection) in
                    try IDTokenVerifier.verify(
                        Substring(control.token), keys: controlKeys, policy: narrower, now: Self.now)
                })
    }
}
