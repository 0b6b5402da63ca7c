import ClaimMapRuntime
import ClaimMapTestSupport
import Crypto
import CryptoExtras
import Foundation
import Testing

@testable import ClaimMapJOSE

/// Identities, nonces, key ids and `typ` are compared on UTF-8 bytes (RFC 7519 §7.3), never by Swift's canonical
/// `String ==`: a canonically equivalent (KELVIN SIGN for `K`, NFD for NFC) or compatibility-equivalent (full-width)
/// value is a different value and is refused with its exact reason.
@Suite("byte-exact security comparisons")
struct ExactComparisonTests {
    static let now: Int64 = 1_795_608_000
    static let kelvin = "\u{212A}"
    static let nfcNonce = "caf\u{E9}-1"
    static let nfdNonce = "cafe\u{301}-1"

    static let policy = ClaimPolicy(
        issuer: "https://Kelvin.example", audiences: ["Kclient"], algorithms: ["RS256"], leewaySeconds: 60,
        nonceRequired: true, expectedNonce: nfcNonce)

    static func material() throws -> (key: RSAPrivateJWK, keys: JWKS) {
        let cookbook = try Data(contentsOf: try Corpora.directory("jose-cookbook/jwk/3_4.rsa_private_key.json"))
        let parsed = try RSAPrivateJWK(json: try StrictJSONReader().parse([UInt8](cookbook)))
        let key = try RSAPrivateJWK(kid: "K1", privateKey: parsed.privateKey)
        let keys = try JWKS(bytes: Array(JSONValue.object([("keys", .array([key.publicJSON()]))]).compact().utf8))
        return (key, keys)
    }

    static func token(
        _ key: RSAPrivateJWK, kid: String = "K1", typ: String? = nil, _ overrides: [(String, JSONValue)] = []
    ) throws -> String {
        var claims: [(String, JSONValue)] = [
            ("iss", .string("https://Kelvin.example")), ("aud", .string("Kclient")), ("sub", .string("u-1")),
            ("iat", .number(String(now - 30))), ("exp", .number(String(now + 600))), ("nonce", .string(nfcNonce)),
        ]
        for (name, value) in overrides {
            if let index = claims.firstIndex(where: { $0.0 == name }) {
                claims[index].1 = value
            } else {
                claims.append((name, value))
            }
        }
        var header: [(String, JSONValue)] = [("alg", .string("RS256")), ("kid", .string(kid))]
        if let typ { header.append(("typ", .string(typ))) }
        return try AttackCorpusTests.signRaw(
            key, header: JSONValue.object(header).compact(), payload: JSONValue.object(claims).compact())
    }

    static func reason(_ token: String, _ keys: JWKS) -> Rejection.Reason? {
        do {
            _ = try IDTokenVerifier.verify(Substring(token), keys: keys, policy: policy, now: now)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test("the exact values are accepted (the positive control)")
    func control() throws {
        let (key, keys) = try Self.material()
        #expect(Self.reason(try Self.token(key), keys) == nil)
        #expect(Self.reason(try Self.token(key, typ: "jWt"), keys) == nil)
    }

    @Test(
        "canonically and compatibility-equivalent values are different values",
        arguments: [
            ("iss with KELVIN SIGN", [("iss", JSONValue.string("https://\(kelvin)elvin.example"))], "issuer_mismatch"),
            ("iss full-width", [("iss", .string("https://\u{FF2B}elvin.example"))], "issuer_mismatch"),
            ("aud with KELVIN SIGN", [("aud", .string("\(kelvin)client"))], "audience_mismatch"),
            ("aud array with KELVIN SIGN", [("aud", .array([.string("\(kelvin)client")]))], "audience_mismatch"),
            (
                "azp with KELVIN SIGN",
                [("aud", .array([.string("Kclient"), .string("other")])), ("azp", .string("\(kelvin)client"))],
                "azp_mismatch"
            ),
            ("nonce in NFD", [("nonce", .string(nfdNonce))], "nonce_mismatch"),
            ("nonce with a compatibility ligature", [("nonce", .string("ca\u{FB00}-1"))], "nonce_mismatch"),
        ])
    func equivalents(name: String, overrides: [(String, JSONValue)], expected: String) throws {
        let (key, keys) = try Self.material()
        // Swift's own == would call these equal: the test would be vacuous otherwise.
        if name.contains("KELVIN") { #expect("\(Self.kelvin)client" == "Kclient") }
        #expect(Self.reason(try Self.token(key, overrides), keys)?.rawValue == expected, "\(name)")
    }

    @Test("a kid with KELVIN SIGN does not select kid K1; typ is ASCII case-insensitive only")
    func kidAndTyp() throws {
        let (key, keys) = try Self.material()
        #expect(Self.reason(try Self.token(key, kid: "\(Self.kelvin)1"), keys) == .keyNotFound)
        // U+FF2A FULLWIDTH J and U+01F0 (ǰ, whose uppercase is J + combining caron) are not `J`.
        #expect(Self.reason(try Self.token(key, typ: "\u{FF2A}WT"), keys) == .typMismatch)
        #expect(Self.reason(try Self.token(key, typ: "\u{1F0}wt"), keys) == .typMismatch)
        #expect(Self.reason(try Self.token(key, typ: "JWT\u{200B}"), keys) == .typMismatch)
    }

    @Test("a kid with a C1 control character is refused")
    func kidC1() throws {
        let (key, keys) = try Self.material()
        #expect(Self.reason(try Self.token(key, kid: "K\u{9B}31m"), keys) == .kidInvalid)
        #expect(Self.reason(try Self.token(key, kid: "K\u{85}"), keys) == .kidInvalid)
    }

    @Test("claims read in place (escape-free strings, plain integers) and their escaped or decimal spellings agree")
    func inPlaceAndDecoded() throws {
        let (key, keys) = try Self.material()
        let iat = Self.now - 30
        let exp = Self.now + 600
        func verdict(
            iss: String = #""https://Kelvin.example""#, aud: String = #""Kclient""#, iat: String = "\(iat)",
            exp: String = "\(exp)", nonce: String = "\"caf\u{E9}-1\"", extra: String = ""
        ) throws -> Rejection.Reason? {
            let payload =
                #"{"iss":\#(iss),"aud":\#(aud),"sub":"u-1","iat":\#(iat),"exp":\#(exp),"nonce":\#(nonce)\#(extra)}"#
            let token = try AttackCorpusTests.signRaw(key, header: #"{"alg":"RS256","kid":"K1"}"#, payload: payload)
            return Self.reason(token, keys)
        }
        #expect(try verdict() == nil)
        // Escaped spellings of the same text are the same claim.
        #expect(try verdict(iss: #""https:\/\/Kelvin.example""#) == nil)
        #expect(try verdict(iss: #""\u0068ttps://Kelvin.example""#) == nil)
        #expect(try verdict(aud: #""K\u0063lient""#) == nil)
        #expect(try verdict(aud: #"["Kclient"]"#) == nil)
        #expect(try verdict(nonce: #""caf\u00e9-1""#) == nil)
        #expect(try verdict(extra: #","azp":"Kclient""#) == nil)
        // Fractions and exponents are floored as before; long integers are read exactly.
        #expect(try verdict(exp: "\(exp).9") == nil)
        #expect(try verdict(exp: "\(exp / 10)e1") == nil)
        #expect(try verdict(iat: "-0") == nil)
        #expect(try verdict(exp: "0000\(exp)") == .payloadNotJSONObject)
        // Every mismatch keeps its reason, in place or decoded.
        #expect(try verdict(iss: #""https:\/\/kelvin.example""#) == .issuerMismatch)
        #expect(try verdict(iss: #""https://Kelvin.example/""#) == .issuerMismatch)
        #expect(try verdict(iss: "7") == .claimTypeInvalid)
        #expect(try verdict(aud: #""Kclient2""#) == .audienceMismatch)
        #expect(try verdict(extra: #","azp":"other""#) == .azpMismatch)
        #expect(try verdict(nonce: #""cafe\u0301-1""#) == .nonceMismatch)
        #expect(try verdict(nonce: "1") == .claimTypeInvalid)
        #expect(try verdict(exp: "\(Self.now - 100)") == .expired)
        #expect(try verdict(exp: "-1") == .claimTypeInvalid)
        #expect(try verdict(exp: "253402300800") == .claimTypeInvalid)
        #expect(try verdict(exp: "9223372036854775808") == .claimTypeInvalid)
        #expect(try verdict(exp: "99999999999999999999") == .claimTypeInvalid)
        #expect(try verdict(exp: "\"\(exp)\"") == .claimTypeInvalid)
    }

    @Test("the header, indexed: escaped names are the names they spell, nested members are checked, order kept")
    func headerIndex() throws {
        let (key, keys) = try Self.material()
        let payload =
            #"{"iss":"https://Kelvin.example","aud":"Kclient","sub":"u-1","iat":\#(Self.now - 30),"#
            + #""exp":\#(Self.now + 600),"nonce":"caf\u00e9-1"}"#
        func verdict(_ header: String) throws -> Rejection.Reason? {
            Self.reason(try AttackCorpusTests.signRaw(key, header: header, payload: payload), keys)
        }
        #expect(try verdict(#"{"alg":"RS256","kid":"K1"}"#) == nil)
        #expect(try verdict(#"{"alg":"RS256","\u006bid":"K1"}"#) == nil)
        #expect(try verdict(#"{"\u0061lg":"RS256","kid":"K\u0031","typ":"J\u0057T"}"#) == nil)
        #expect(try verdict(#"{"alg":"RS256","kid":"K1","\u0063rit":["exp"]}"#) == .critUnsupported)
        #expect(try verdict(#"{"alg":"RS256","kid":"K1","x5u":{"a":1,"a":2}}"#) == .duplicateMember)
        #expect(try verdict(#"{"alg":"RS256","kid":"K1","kid":"K1"}"#) == .duplicateMember)
        #expect(try verdict(#"{"alg":"RS256","kid":"K1","jku":"https://x"}"#) == .headerParamNotAllowed)
        #expect(try verdict(#"{"kid":"K1"}"#) == .algMissing)
        #expect(try verdict(#"{"alg":"R\u0053256","kid":"K1"}"#) == nil)
        #expect(try verdict(#"{"alg":"RS256","kid":"K\u212A"}"#) == .keyNotFound)
        #expect(try verdict(#"{"alg":"RS256","kid":"K1","typ":"jwt "}"#) == .typMismatch)
        #expect(try verdict(#"["RS256"]"#) == .headerNotJSONObject)
        #expect(try verdict(#"{"alg":"RS256","kid":"K1"} x"#) == .headerNotJSONObject)
    }

    @Test("the byte-exact helpers")
    func helpers() {
        #expect(!"\(Self.kelvin)".isByteEqual(to: "K"))
        #expect("K".isByteEqual(to: "K"))
        #expect(!Self.nfdNonce.isByteEqual(to: Self.nfcNonce))
        #expect("JwT".isASCIICaseInsensitiveEqual(to: "jwt"))
        #expect(!"\u{1F0}wt".isASCIICaseInsensitiveEqual(to: "jwt"))
        #expect(!["DK"].containsByteEqual("D\(Self.kelvin)"))
        #expect("a\u{E9}b".containsBytes("\u{E9}"))
        #expect(!"ae\u{301}b".containsBytes("\u{E9}"))
        #expect("".containsBytes(""))
        #expect("abc".hasBytePrefix("ab") && !"abc".hasBytePrefix("abcd"))
        #expect("abc".hasByteSuffix("bc") && !"abc".hasByteSuffix("xabc"))
        #expect(JSONValue.string("K") != JSONValue.string(Self.kelvin))
        #expect(JSONValue.object([("K", .null)])[member: Self.kelvin] == nil)
    }
}

/// Time checks with extreme policy values and an authentication time in the future.
@Suite("time checks never trap")
struct TimeCheckTests {
    @Test("auth_time after now fails maxAge; extreme leeway, maxAge and now saturate instead of trapping")
    func times() throws {
        let (key, keys) = try ExactComparisonTests.material()
        let now = ExactComparisonTests.now
        func reason(_ overrides: [(String, JSONValue)], leeway: Int64 = 60, maxAge: Int64? = 3600, at: Int64 = now)
            -> Rejection.Reason?
        {
            let policy = ClaimPolicy(
                issuer: "https://Kelvin.example", audiences: ["Kclient"], algorithms: ["RS256"], leewaySeconds: leeway,
                maxAgeSeconds: maxAge, nonceRequired: false)
            let token = try? ExactComparisonTests.token(key, overrides)
            do {
                _ = try IDTokenVerifier.verify(Substring(token ?? ""), keys: keys, policy: policy, now: at)
                return nil
            } catch {
                return error.reason
            }
        }
        #expect(reason([("auth_time", .number(String(now + 3600)))]) == .tokenTooOld)
        #expect(reason([("auth_time", .number(String(now + 30)))]) == nil, "within the leeway")
        #expect(reason([("auth_time", .number(String(now - 100)))]) == nil)
        #expect(reason([], leeway: .max, maxAge: .max) == nil)
        #expect(reason([], leeway: .max, maxAge: .max, at: .min) != nil)
        #expect(reason([], leeway: .min, maxAge: .min, at: .max) != nil)
        #expect(reason([], leeway: 60, maxAge: nil, at: .max) == .expired)
    }
}
