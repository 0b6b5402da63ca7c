import ClaimMapRuntime
import ClaimMapTestSupport
import Foundation
import Testing

@testable import ClaimMapJOSE

@Suite("JOSE layer")
struct JOSETests {
    @Test("strict base64url: alphabet, no padding, impossible lengths, canonical trailing bits")
    func base64url() throws {
        #expect(try Base64URL.decode("Zm9v") == Array("foo".utf8))
        #expect(try Base64URL.decode("Zm8") == Array("fo".utf8))
        #expect(Base64URL.encode(Array("fo".utf8)) == "Zm8")
        for bad in ["Zm8=", "Zm+v", "Zm/v", "Zm 9v", "Z", "Zm9v\n"] {
            #expect(throws: Base64URL.Failure.self) { try Base64URL.decode(bad) }
        }
        // "Zm9" and "Zm8" differ only in unused bits of the last character: one of them is non-canonical.
        #expect(throws: Base64URL.Failure.noncanonical) { try Base64URL.decode("Zm9") }
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(try Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    /// The decoder works four characters at a time; this one bit at a time, as RFC 4648 describes it.
    static func referenceDecode(_ text: [UInt8]) -> Result<[UInt8], Base64URL.Failure> {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        if text.count % 4 == 1 { return .failure(.invalid(offset: text.count - 1)) }
        var out: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for (offset, byte) in text.enumerated() {
            guard let value = alphabet.firstIndex(of: byte) else { return .failure(.invalid(offset: offset)) }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        return accumulator == 0 ? .success(out) : .failure(.noncanonical)
    }

    @Test("base64url decoding agrees with a bit-at-a-time reference on 20,000 random inputs, valid and not")
    func base64urlReference() {
        var state: UInt64 = 42
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        let characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        let hostile = Array("=+/ .\n\u{0}é".utf8)
        var outcomes: [String: Int] = [:]
        for _ in 0..<20_000 {
            var text = (0..<next() % 48).map { _ in characters[next() % characters.count] }
            if next() % 4 == 0, !text.isEmpty { text[next() % text.count] = hostile[next() % hostile.count] }
            let decoded = Result { () throws(Base64URL.Failure) in try Base64URL.decode(text[...]) }
            let expected = Self.referenceDecode(text)
            #expect(decoded == expected, "\(String(decoding: text, as: UTF8.self))")
            switch expected {
            case .success: outcomes["valid", default: 0] += 1
            case .failure(.noncanonical): outcomes["noncanonical", default: 0] += 1
            case .failure: outcomes["invalid", default: 0] += 1
            }
        }
        // All three outcomes are exercised.
        #expect(outcomes.count == 3 && outcomes.values.allSatisfy { $0 > 1_000 }, "\(outcomes)")
    }

    @Test("segment counting: two, four and five segments are malformed, and five names JWE")
    func segmentCounts() throws {
        let (token, jwks) = try Self.rfc7515()
        let parts = token.split(separator: ".").map(String.init)
        let cases: [(String, String)] = [
            (parts[0] + "." + parts[1], "this one has 2"),
            (token + ".e30", "this one has 4"),
            (token + ".e30.e30", "5 segments: JWE is not accepted"),
            (parts[0] + ".." + parts[2], "three non-empty segments"),
        ]
        for (candidate, detail) in cases {
            do {
                _ = try JWSVerifier.verify(Substring(candidate), keys: jwks, algorithms: ["RS256"])
                Issue.record("accepted \(candidate)")
            } catch {
                #expect(error.reason == .malformedSegments)
                #expect(error.detail.contains(detail), "\(error.detail)")
            }
        }
        // The same token inside a larger string (a Substring with a non-zero start) still verifies.
        let padded = "xx" + token + "yy"
        let inner = padded.dropFirst(2).dropLast(2)
        #expect(try JWSVerifier.verify(inner, keys: jwks, algorithms: ["RS256"]).alg == "RS256")
    }

    static func rfc7515() throws -> (token: String, jwks: JWKS) {
        let data = try Data(contentsOf: Corpora.directory("rfc7515/rfc7515_appendixA.json"))
        let document = try StrictJSONReader(maxDepth: 32).parse([UInt8](data))
        guard case .array(let vectors)? = document[member: "vectors"], let a2 = vectors.first,
            case .string(let jws)? = a2[member: "jws"], let jwk = a2[member: "jwk"]
        else { throw Rejection(.jwksUnavailable, "fixture") }
        let jwks = try JWKS(bytes: Array(JSONValue.object([("keys", .array([jwk]))]).compact().utf8))
        return (jws, jwks)
    }

    @Test("RFC 7515 A.2: the signature verifies, then the token is expired; in March 2011 it is accepted")
    func rfc7515A2() throws {
        let (token, jwks) = try Self.rfc7515()
        let policy = ClaimPolicy(
            issuer: "joe", audiences: ["any"], algorithms: ["RS256"], leewaySeconds: 0, nonceRequired: false)
        let jws = try JWSVerifier.verify(Substring(token), keys: jwks, algorithms: ["RS256"])
        #expect(jws.alg == "RS256" && jws.kid == nil)
        // The A.2 claims set has no aud or iat, so the ID-token check needs a claim policy of its own: the JOSE
        // layer's API checks exp on the verified payload.
        let claims = try JWSVerifier.payloadObject(jws.payload)
        try IDTokenVerifier.checkIssuer(claims, policy)
        let exp = try IDTokenVerifier.numericDate(claims, "exp", required: true)
        #expect(exp == 1_300_819_380)
        let now2026 = Int64(1_795_000_000)
        #expect(now2026 >= exp! + policy.leewaySeconds, "at now the token is expired")
        let march2011 = Int64(1_300_752_000)  // 2011-03-22T00:00:00Z
        #expect(march2011 < exp! + policy.leewaySeconds)
        #expect(claims[member: "http://example.com/is_root"] == .bool(true))
    }

    @Test("the same token through the full ID-token verifier: expired now, accepted in 2011 with aud and iat present")
    func fullVerifier() throws {
        let key = try RSAPrivateJWK.generate(kid: "k1")
        let jwks = try JWKS(bytes: Array(JSONValue.object([("keys", .array([key.publicJSON()]))]).compact().utf8))
        let claims = #"{"iss":"joe","aud":"app","exp":1300819380,"iat":1300700000,"nonce":"n"}"#
        let token = try key.sign(
            header: .object([("alg", .string("RS256")), ("kid", .string("k1"))]), payload: Array(claims.utf8))
        let policy = ClaimPolicy(
            issuer: "joe", audiences: ["app"], algorithms: ["RS256"], leewaySeconds: 60, nonceRequired: true,
            expectedNonce: "n")
        let detail =
            "exp 1300819380 = 2011-03-22T18:43:00Z, 494180620 s before now (1795000000 = 2026-11-18T11:06:40Z; leeway 60 s)"
        #expect(throws: Rejection(.expired, detail)) {
            try IDTokenVerifier.verify(Substring(token), keys: jwks, policy: policy, now: 1_795_000_000)
        }
        let verified = try IDTokenVerifier.verify(Substring(token), keys: jwks, policy: policy, now: 1_300_752_000)
        #expect(verified.payload[member: "iss"] == .string("joe"))
    }

    @Test("a generated key signs tokens its public JWK verifies, with every RSA algorithm")
    func roundTrip() throws {
        let key = try RSAPrivateJWK.generate(kid: "rot-1")
        let jwks = try JWKS(bytes: Array(JSONValue.object([("keys", .array([key.publicJSON()]))]).compact().utf8))
        #expect(jwks.keys.first?.bits == 2048)
        for alg in ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"] {
            var publicJWK = key.publicJSON()
            if case .object(var members) = publicJWK {
                members.removeAll { $0.0 == "alg" }
                publicJWK = .object(members)
            }
            let set = try JWKS(bytes: Array(JSONValue.object([("keys", .array([publicJWK]))]).compact().utf8))
            let token = try key.sign(
                header: .object([("alg", .string(alg)), ("kid", .string("rot-1"))]), payload: Array("{}".utf8))
            #expect((try? JWSVerifier.verify(Substring(token), keys: set, algorithms: [alg])) != nil, "\(alg)")
        }
        // The private JWK round-trips through its JSON.
        let reread = try RSAPrivateJWK(json: key.json())
        #expect(reread.members.map(\.1) == key.members.map(\.1))
    }

    @Test("RFC 7520's private key signs deterministically (RS256)")
    func cookbookKey() throws {
        let data = try Data(contentsOf: Corpora.directory("jose-cookbook/jwk/3_4.rsa_private_key.json"))
        let key = try RSAPrivateJWK(json: try StrictJSONReader().parse([UInt8](data)))
        #expect(key.kid == "bilbo.baggins@hobbiton.example")
        let header = JSONValue.object([("alg", .string("RS256"))])
        #expect(
            try key.sign(header: header, payload: [1, 2, 3]) == (try key.sign(header: header, payload: [1, 2, 3])))
    }
}
