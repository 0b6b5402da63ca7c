import ClaimMapRuntime
import Crypto
import CryptoExtras
import Foundation
import SwiftASN1

/// An RSA private key as a JWK (RFC 7518 §6.3.2), for the local token lab: `claimmap keys generate` writes one,
/// `claimmap token mint` and `claimmap test` sign with one. Keys are generated and used through swift-crypto;
/// the JWK members come from the key's PKCS#1 DER (RFC 8017 A.1.2) read with swift-asn1.
public struct RSAPrivateJWK: Sendable {
    public var kid: String
    public let privateKey: _RSA.Signing.PrivateKey
    /// Base64url members: n, e, d, p, q, dp, dq, qi.
    public let members: [(String, String)]

    public enum Failure: Error, CustomStringConvertible {
        case invalid(String)
        public var description: String {
            switch self {
            case .invalid(let message): message
            }
        }
    }

    /// A new RSA-2048 key.
    public static func generate(kid: String) throws -> RSAPrivateJWK {
        try RSAPrivateJWK(kid: kid, privateKey: _RSA.Signing.PrivateKey(keySize: .bits2048))
    }

    public init(kid: String, privateKey: _RSA.Signing.PrivateKey) throws {
        self.kid = kid
        self.privateKey = privateKey
        let der = Array(privateKey.derRepresentation)
        let node = try DER.parse(der)
        let values: [ArraySlice<UInt8>] = try DER.sequence(node, identifier: .sequence) { nodes in
            _ = try Int(derEncoded: &nodes)  // version
            var out: [ArraySlice<UInt8>] = []
            for _ in 0..<8 { out.append(try ArraySlice<UInt8>(derEncoded: &nodes)) }
            return out
        }
        let names = ["n", "e", "d", "p", "q", "dp", "dq", "qi"]
        members = zip(names, values).map { ($0, Base64URL.encode($1.drop { $0 == 0 })) }
    }

    /// Reads a private RSA JWK (such as RFC 7520's `3_4.rsa_private_key.json`).
    public init(json: JSONValue) throws {
        func member(_ name: String) throws -> [UInt8] {
            guard case .string(let text)? = json[member: name] else {
                throw Failure.invalid("the private JWK has no `\(name)`")
            }
            do {
                return try Base64URL.decode(text)
            } catch {
                throw Failure.invalid("`\(name)` is not canonical base64url")
            }
        }
        guard json[member: "kty"] == .string("RSA") else {
            throw Failure.invalid("the JWK is not an RSA key (`kty` must be RSA)")
        }
        let privateKey = try _RSA.Signing.PrivateKey(
            n: try member("n"), e: try member("e"), d: try member("d"), p: try member("p"), q: try member("q"))
        var kid = "key"
        if case .string(let text)? = json[member: "kid"] { kid = text }
        try self.init(kid: kid, privateKey: privateKey)
    }

    public func json() -> JSONValue {
        .object(
            [("kty", .string("RSA")), ("kid", .string(kid)), ("use", .string("sig")), ("alg", .string("RS256"))]
                + members.map { ($0.0, .string($0.1)) })
    }

    /// The public JWK of a PEM RSA key (`BEGIN PUBLIC KEY`, `BEGIN RSA PUBLIC KEY`, or a private key's PEM, whose
    /// public half is taken), for `claimmap keys import`: what an IdP that publishes PEM instead of a JWKS needs.
    /// No `alg`: the key is not restricted to one algorithm (identity.algorithms still is).
    public static func publicJSON(pem: String, kid: String) throws -> JSONValue {
        let publicKey: _RSA.Signing.PublicKey
        if pem.contains("PRIVATE KEY-----") {
            do {
                publicKey = try _RSA.Signing.PrivateKey(pemRepresentation: pem).publicKey
            } catch {
                throw Failure.invalid("the PEM holds no RSA private key of 2048 bits or more that swift-crypto reads")
            }
        } else {
            do {
                publicKey = try _RSA.Signing.PublicKey(pemRepresentation: pem)
            } catch {
                throw Failure.invalid("the PEM holds no RSA public key of 2048 bits or more that swift-crypto reads")
            }
        }
        let primitives = try publicKey.getKeyPrimitives()
        return .object([
            ("kty", .string("RSA")), ("kid", .string(kid)), ("use", .string("sig")),
            ("n", .string(Base64URL.encode(Array(primitives.modulus).drop { $0 == 0 }))),
            ("e", .string(Base64URL.encode(Array(primitives.publicExponent).drop { $0 == 0 }))),
        ])
    }

    public func publicJSON() -> JSONValue {
        .object(
            [("kty", .string("RSA")), ("kid", .string(kid)), ("use", .string("sig")), ("alg", .string("RS256"))]
                + members.filter { $0.0 == "n" || $0.0 == "e" }.map { ($0.0, .string($0.1)) })
    }

    /// A compact JWS over `payload` with `header` (which must name `alg`); RS256/384/512 and PS256/384/512.
    public func sign(header: JSONValue, payload: [UInt8]) throws -> String {
        guard case .string(let alg)? = header[member: "alg"] else { throw Failure.invalid("the header has no alg") }
        let input = Base64URL.encode(Array(header.compact().utf8)) + "." + Base64URL.encode(payload)
        let bytes = Array(input.utf8)
        let signature: _RSA.Signing.RSASignature
        switch alg {
        case "RS256": signature = try privateKey.signature(for: SHA256.hash(data: bytes), padding: .insecurePKCS1v1_5)
        case "RS384": signature = try privateKey.signature(for: SHA384.hash(data: bytes), padding: .insecurePKCS1v1_5)
        case "RS512": signature = try privateKey.signature(for: SHA512.hash(data: bytes), padding: .insecurePKCS1v1_5)
        case "PS256": signature = try privateKey.signature(for: SHA256.hash(data: bytes), padding: .PSS)
        case "PS384": signature = try privateKey.signature(for: SHA384.hash(data: bytes), padding: .PSS)
        case "PS512": signature = try privateKey.signature(for: SHA512.hash(data: bytes), padding: .PSS)
        default: throw Failure.invalid("cannot sign with alg \(alg): RSA algorithms only")
        }
        return input + "." + Base64URL.encode(Array(signature.rawRepresentation))
    }
}
