import ClaimMapRuntime
import ClaimMapTestSupport
import Foundation
import Testing

@testable import ClaimMapJOSE

/// The token and JWKS limits of docs/security.md (Limits) at their boundary: exactly at the limit passes that check,
/// one over is rejected with its code.
@Suite("limits at the boundary")
struct LimitTests {
    static let key: RSAPrivateJWK = {
        // swift-format-ignore: NeverUseForceTry
        try! RSAPrivateJWK.generate(kid: "limit-1")
    }()

    static func keys(_ jwk: JSONValue) throws -> JWKS {
        try JWKS(bytes: Array(JSONValue.object([("keys", .array([jwk]))]).compact().utf8))
    }

    @Test("token size: 16,384 bytes pass the size check, 16,385 do not")
    func tokenSize() throws {
        let keys = try Self.keys(Self.key.publicJSON())
        func token(padding: Int) throws -> String {
            let payload = #"{"p":"\#(String(repeating: "x", count: padding))"}"#
            return try Self.key.sign(
                header: .object([("alg", .string("RS256")), ("kid", .string("limit-1"))]), payload: Array(payload.utf8))
        }
        let base = try token(padding: 0).utf8.count
        // Base64 grows in steps of 4 characters per 3 bytes: find the padding that lands exactly on the limit.
        var padding = (JWSVerifier.maxTokenBytes - base) * 3 / 4
        var candidate = try token(padding: padding)
        while candidate.utf8.count < JWSVerifier.maxTokenBytes {
            padding += 1
            candidate = try token(padding: padding)
        }
        while candidate.utf8.count > JWSVerifier.maxTokenBytes {
            padding -= 1
            candidate = try token(padding: padding)
        }
        let atLimit = candidate.utf8.count
        #expect(atLimit >= JWSVerifier.maxTokenBytes - 3)
        #expect(
            (try? JWSVerifier.verify(Substring(candidate), keys: keys, algorithms: ["RS256"])) != nil,
            "\(atLimit) bytes")
        #expect(throws: Rejection.self) {
            try JWSVerifier.verify(Substring(candidate + "AAAA"), keys: keys, algorithms: ["RS256"])
        }
        do {
            _ = try JWSVerifier.verify(
                Substring(String(repeating: "A", count: JWSVerifier.maxTokenBytes + 1)), keys: keys,
                algorithms: ["RS256"])
        } catch {
            #expect(error.reason == .tokenTooLarge)
        }
    }

    @Test("payload JSON depth: 16 levels pass, 17 do not")
    func depth() throws {
        let keys = try Self.keys(Self.key.publicJSON())
        func token(_ depth: Int) throws -> String {
            // The payload object itself is level 1.
            let nested = String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1)
            return try Self.key.sign(
                header: .object([("alg", .string("RS256"))]), payload: Array(#"{"d":\#(nested)}"#.utf8))
        }
        let ok = try JWSVerifier.verify(Substring(try token(16)), keys: keys, algorithms: ["RS256"])
        #expect((try? JWSVerifier.payloadObject(ok.payload)) != nil)
        let deep = try JWSVerifier.verify(Substring(try token(17)), keys: keys, algorithms: ["RS256"])
        #expect(throws: Rejection(.jsonTooDeep, "the payload JSON is nested more than 16 levels")) {
            try JWSVerifier.payloadObject(deep.payload)
        }
    }

    @Test("RSA modulus: 2,048 bits are kept, 2,047 dropped; e = 65537 kept, 65539 dropped; leading zero bytes dropped")
    func keyPolicy() throws {
        guard case .object(let members) = Self.key.publicJSON(),
            case .string(let nText)? = Self.key.publicJSON()[member: "n"]
        else { return }
        var n = try Base64URL.decode(nText)
        #expect(JWKS.bitLength(n) == 2048)
        #expect(try Self.keys(Self.key.publicJSON()).keys.count == 1)
        n[0] = (n[0] & 0x3F) | 0x40  // exactly 2,047 significant bits
        let short = JSONValue.object(members.map { $0.0 == "n" ? ("n", .string(Base64URL.encode(n))) : $0 })
        let dropped = try Self.keys(short)
        #expect(dropped.keys.isEmpty)
        #expect(dropped.dropped.first?.reason.contains("2047 bits") == true, "\(dropped.dropped)")
        let bigE = JSONValue.object(
            members.map { $0.0 == "e" ? ("e", .string(Base64URL.encode([0x01, 0x00, 0x03]))) : $0 })
        #expect(try Self.keys(bigE).keys.isEmpty)
        let leadingZeroE = JSONValue.object(
            members.map { $0.0 == "e" ? ("e", .string(Base64URL.encode([0x00, 0x01, 0x00, 0x01]))) : $0 })
        // RFC 7518 §6.3.1.1/§6.3.1.2: the minimum number of octets, so a leading zero byte in `n` or `e` drops the key.
        let zeroE = try Self.keys(leadingZeroE)
        #expect(zeroE.keys.isEmpty)
        #expect(zeroE.dropped.first?.reason.contains("`e` has a leading zero byte") == true, "\(zeroE.dropped)")
        let original = try Base64URL.decode(nText)
        let leadingZeroN = JSONValue.object(
            members.map { $0.0 == "n" ? ("n", .string(Base64URL.encode([0x00] + original))) : $0 })
        let zeroN = try Self.keys(leadingZeroN)
        #expect(zeroN.keys.isEmpty)
        #expect(zeroN.dropped.first?.reason.contains("`n` has a leading zero byte") == true, "\(zeroN.dropped)")
    }

    @Test("JWKS size: over 256 KiB is refused whole")
    func jwksSize() {
        let big =
            Array(#"{"keys":[],"pad":""#.utf8) + [UInt8](repeating: 0x61, count: JWKS.maxBytes) + Array(#""}"#.utf8)
        #expect(throws: Rejection.self) { try JWKS(bytes: big) }
    }
}
