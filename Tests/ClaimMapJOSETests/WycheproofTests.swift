import ClaimMapRuntime
import ClaimMapTestSupport
import CryptoExtras
import Foundation
import Testing

@testable import ClaimMapJOSE

/// Wycheproof (C2SP/wycheproof, `Tests/Corpora/wycheproof/`) through the verifier: zero invalid vectors accepted, and
/// exactly the accept counts of the strict RS256 policy (docs/security.md, Figures from the test suite).
@Suite("Wycheproof")
struct WycheproofTests {
    static func load(_ name: String) throws -> JSONValue {
        let data = try Data(contentsOf: Corpora.directory("wycheproof/testvectors_v1/\(name)"))
        return try StrictJSONReader(maxDepth: 64).parse([UInt8](data))
    }

    static func array(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }

    static func string(_ value: JSONValue?) -> String {
        if case .string(let s)? = value { return s }
        return ""
    }

    static func int(_ value: JSONValue?) -> Int {
        if case .number(let n)? = value { return Int(n) ?? -1 }
        return -1
    }

    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex, let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) {
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }

    @Test(
        "RSA PKCS#1 v1.5 SHA-256 vectors under the policy e = 65537, n ≥ 2048",
        arguments: [
            ("rsa_signature_2048_sha256_test.json", 259, 7),
            ("rsa_signature_3072_sha256_test.json", 259, 7),
            ("rsa_signature_4096_sha256_test.json", 258, 7),
        ])
    func rsaVectors(file: String, total: Int, expectedAccepts: Int) throws {
        let document = try Self.load(file)
        var tests = 0
        var accepted = 0
        var overlay = 0
        var invalidAccepted: [Int] = []
        for group in Self.array(document[member: "testGroups"]) {
            let modulus = Self.hex(Self.string(group[member: "publicKey"]?[member: "modulus"]))
            let exponent = Self.hex(Self.string(group[member: "publicKey"]?[member: "publicExponent"]))
            // The key policy: e = 65537 (groups with e = 3 are rejected by policy, not by signature).
            let policyAllows = Array(exponent.drop { $0 == 0 }) == [1, 0, 1] && JWKS.bitLength(modulus) >= 2048
            let key = try? _RSA.Signing.PublicKey(n: modulus, e: exponent)
            for test in Self.array(group[member: "tests"]) {
                tests += 1
                if policyAllows && Self.string(test[member: "result"]) == "valid" { overlay += 1 }
                let ok =
                    policyAllows
                    && key.map { key in
                        let message = Self.hex(Self.string(test[member: "msg"]))
                        return message.withUnsafeBytes { input in
                            JWSVerifier.verifySignature(
                                Self.hex(Self.string(test[member: "sig"])), input: input, alg: "RS256", key: key)
                        }
                    } ?? false
                if ok {
                    accepted += 1
                    if Self.string(test[member: "result"]) != "valid" {
                        invalidAccepted.append(Self.int(test[member: "tcId"]))
                    }
                }
            }
        }
        #expect(tests == total)
        #expect(invalidAccepted.isEmpty, "invalid or acceptable vectors accepted: \(invalidAccepted)")
        #expect(accepted == expectedAccepts)
        // The expected overlay: accepted exactly when the vector is valid and its key passes policy.
        #expect(accepted == overlay)
    }

    /// The group's verification keys as a JWKS document: its `public` key, or the public part of `private`.
    static func publicKeySet(_ group: JSONValue) -> [UInt8] {
        let source = group[member: "public"] ?? group[member: "private"] ?? .null
        var keys: [JSONValue] = Self.array(source[member: "keys"])
        if keys.isEmpty { keys = [source] }
        let stripped: [JSONValue] = keys.map { key in
            guard case .object(let members) = key else { return key }
            return .object(members.filter { !JWKS.privateMembers.contains($0.0) })
        }
        return Array(JSONValue.object([("keys", .array(stripped))]).compact().utf8)
    }

    @Test("JWS vectors: exactly tcIds 33, 260–263, 345 and 349 verify under RS256 only; no invalid vector does")
    func jwsVectors() throws {
        let document = try Self.load("json_web_signature_test.json")
        var accepted: [Int] = []
        var reasons: [String: Int] = [:]
        var total = 0
        for group in Self.array(document[member: "testGroups"]) {
            let keys = try? JWKS(bytes: Self.publicKeySet(group))
            for test in Self.array(group[member: "tests"]) {
                total += 1
                let tcId = Self.int(test[member: "tcId"])
                guard let keys else {
                    reasons["jwks_unavailable", default: 0] += 1
                    continue
                }
                do throws(Rejection) {
                    _ = try JWSVerifier.verify(
                        Substring(Self.string(test[member: "jws"])), keys: keys, algorithms: ["RS256"])
                    accepted.append(tcId)
                    #expect(Self.string(test[member: "result"]) == "valid", "invalid vector \(tcId) accepted")
                } catch {
                    reasons[error.reason.rawValue, default: 0] += 1
                }
            }
        }
        #expect(total == 401)
        // Wycheproof marks tcId 259 valid; its payload segment is empty (`header..sig`). ClaimMap requires three
        // non-empty segments (docs/security.md), so it rejects it (malformed_segments) — a deliberate deviation: an
        // ID token always has a payload.
        #expect(accepted == [33, 260, 261, 262, 263, 345, 349], "\(accepted)")
        #expect(reasons["malformed_segments", default: 0] >= 1)
        // Known anomalies of the Wycheproof JWS file: tcIds 367 and 370 are byte-identical to valid tcId 357, and
        // 372/373 contain `?` yet are marked valid; all four are HS256, so RS256-only rejects them (alg_not_allowed
        // or bad_base64url) and they cannot skew the counts above.
        #expect(reasons["alg_not_allowed", default: 0] > 30)
        #expect(reasons["signature_invalid", default: 0] > 200)
    }

    @Test("JWK keysets: only the RS256 sets verify; private material, wrong use, small keys and e = 1 are refused")
    func jwkVectors() throws {
        let document = try Self.load("json_web_key_test.json")
        var accepted: [Int] = []
        var total = 0
        for group in Self.array(document[member: "testGroups"]) {
            let keys = try? JWKS(bytes: Self.publicKeySet(group))
            for test in Self.array(group[member: "tests"]) {
                total += 1
                guard let keys else { continue }
                if (try? JWSVerifier.verify(
                    Substring(Self.string(test[member: "jws"])), keys: keys, algorithms: JWKS.signatureAlgorithms))
                    != nil
                {
                    accepted.append(Self.int(test[member: "tcId"]))
                }
            }
        }
        #expect(total == 26)
        // tcId 7 is Wycheproof's ROCA key (CVE-2017-15361): a documented deviation, ClaimMap does not fingerprint
        // ROCA moduli (docs/security.md lists the deviation).
        #expect(accepted == [5, 7], "\(accepted)")
    }

    @Test("a private key set is refused whole")
    func privateSet() throws {
        let document = try Self.load("json_web_key_test.json")
        let group = Self.array(document[member: "testGroups"])[4]
        let privateSet = Array((group[member: "private"] ?? .null).compact().utf8)
        #expect(throws: Rejection.self) { try JWKS(bytes: privateSet) }
        do {
            _ = try JWKS(bytes: privateSet)
        } catch {
            #expect(error.reason == .jwksUnavailable)
        }
    }
}
