import ClaimMapRuntime
import CryptoExtras
import Foundation

/// A verification key set loaded under the key policy of docs/security.md:
/// - RSA public keys only (`kty: RSA`), modulus ≥ 2048 bits (RFC 7518 §3.3), `e` = 65537;
/// - `use`, if present, is `sig`; `key_ops`, if present, contains `verify` and agrees with `use`; `alg`, if
///   present, is an RSA signature algorithm (RFC 7517 §4.2–4.4);
/// - a key failing that policy is dropped at load with a diagnostic, never used;
/// - private or secret members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`, `k`) or a duplicate `kid` reject the whole
///   set: a verification set must be public, and a lookup must be unambiguous.
public struct JWKS: Sendable {
    public struct Key: Sendable {
        public var kid: String?
        /// The algorithm the key is restricted to, if its JWK says so.
        public var alg: String?
        public var bits: Int
        public let publicKey: _RSA.Signing.PublicKey
    }

    public struct DroppedKey: Sendable, Equatable {
        public var kid: String?
        public var reason: String
    }

    public private(set) var keys: [Key]
    public private(set) var dropped: [DroppedKey]

    public static let signatureAlgorithms: Set<String> = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
    static let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]
    public static let maxBytes = 256 << 10

    /// Loads a JWKS document; throws `jwks_unavailable` with the reason when the set as a whole is unusable.
    public init(bytes: [UInt8]) throws(Rejection) {
        guard bytes.count <= Self.maxBytes else {
            throw Rejection(.jwksUnavailable, "the JWKS is over \(Self.maxBytes) bytes")
        }
        let document: JSONValue
        do {
            document = try StrictJSONReader(maxDepth: 16).parse(bytes)
        } catch {
            throw Rejection(.jwksUnavailable, "the JWKS is not valid JSON (\(error))")
        }
        guard case .array(let entries)? = document[member: "keys"] else {
            throw Rejection(.jwksUnavailable, "the JWKS has no `keys` array")
        }
        var keys: [Key] = []
        var dropped: [DroppedKey] = []
        var kids = Set<String>()
        for (index, entry) in entries.enumerated() {
            guard case .object(let members) = entry else {
                throw Rejection(.jwksUnavailable, "keys[\(index)] is not a JSON object")
            }
            if let member = Self.privateMembers.first(where: { name in members.contains { $0.0.isByteEqual(to: name) } }
            ) {
                throw Rejection(
                    .jwksUnavailable,
                    "keys[\(index)] holds private key material (`\(member)`); a verification JWKS must hold public keys only"
                )
            }
            var kid: String?
            if let value = entry[member: "kid"] {
                guard case .string(let text) = value else {
                    dropped.append(DroppedKey(kid: nil, reason: "keys[\(index)]: `kid` is not a string"))
                    continue
                }
                guard kids.insert(text).inserted else {
                    throw Rejection(.jwksUnavailable, "two keys have kid \"\(text)\"; a kid must identify one key")
                }
                kid = text
            }
            switch Self.key(entry, kid: kid) {
            case .success(let key): keys.append(key)
            case .failure(let problem): dropped.append(DroppedKey(kid: kid, reason: problem.message))
            }
        }
        self.keys = keys
        self.dropped = dropped
    }

    struct Problem: Error {
        var message: String
    }

    private static func string(_ entry: JSONValue, _ name: String) -> String? {
        if case .string(let s)? = entry[member: name] { return s }
        return nil
    }

    /// Number of significant bits of a big-endian unsigned integer.
    static func bitLength(_ bytes: [UInt8]) -> Int {
        guard let first = bytes.firstIndex(where: { $0 != 0 }) else { return 0 }
        return (bytes.count - first - 1) * 8 + (8 - bytes[first].leadingZeroBitCount)
    }

    private static func key(_ entry: JSONValue, kid: String?) -> Result<Key, Problem> {
        guard let kty = string(entry, "kty") else { return .failure(Problem(message: "no `kty`")) }
        guard kty.isByteEqual(to: "RSA") else {
            return .failure(Problem(message: "kty \(kty) is not RSA (version 1 verifies RSA signatures only)"))
        }
        if let use = entry[member: "use"], use != .string("sig") {
            return .failure(Problem(message: "`use` is \(use.compact()), not \"sig\""))
        }
        if let ops = entry[member: "key_ops"] {
            guard case .array(let items) = ops, items.contains(.string("verify")) else {
                return .failure(Problem(message: "`key_ops` does not allow \"verify\""))
            }
        }
        var alg: String?
        if let value = entry[member: "alg"] {
            guard case .string(let text) = value, signatureAlgorithms.containsByteEqual(text) else {
                return .failure(Problem(message: "`alg` \(value.compact()) is not an RSA signature algorithm"))
            }
            alg = text
        }
        guard let nText = string(entry, "n"), let eText = string(entry, "e") else {
            return .failure(Problem(message: "an RSA key needs `n` and `e`"))
        }
        let n: [UInt8]
        let e: [UInt8]
        do {
            n = try Base64URL.decode(nText)
            e = try Base64URL.decode(eText)
        } catch {
            return .failure(Problem(message: "`n` or `e` is not canonical base64url"))
        }
        // RFC 7518 §6.3.1.1 and §6.3.1.2: both are unsigned big-endian integers in the minimum number of octets.
        guard n.first != 0, e.first != 0 else {
            return .failure(
                Problem(message: "`\(n.first == 0 ? "n" : "e")` has a leading zero byte (RFC 7518 §6.3.1 forbids it)"))
        }
        guard e == [0x01, 0x00, 0x01] else {
            return .failure(Problem(message: "public exponent is not 65537"))
        }
        let bits = bitLength(n)
        guard bits >= 2048 else {
            return .failure(Problem(message: "RSA modulus is \(bits) bits; at least 2048 are required"))
        }
        guard bits <= 8192 else {
            return .failure(Problem(message: "RSA modulus is \(bits) bits; at most 8192 are accepted"))
        }
        do {
            let publicKey = try _RSA.Signing.PublicKey(n: n, e: e)
            return .success(Key(kid: kid, alg: alg, bits: bits, publicKey: publicKey))
        } catch {
            return .failure(Problem(message: "not a valid RSA public key"))
        }
    }

    /// "it holds "a", "b"", or why it holds no kid at all.
    static func heldKids(_ keys: [Key]) -> String {
        let kids = keys.compactMap(\.kid)
        if keys.isEmpty { return "it holds no usable key" }
        if kids.isEmpty { return "its keys have no kid" }
        return "it holds " + kids.map { "\"\($0)\"" }.joined(separator: ", ")
    }

    /// The key for a token's `kid` (or the only key when the token has none).
    public func key(for kid: String?) throws(Rejection) -> Key {
        guard let kid else {
            guard keys.count == 1, dropped.isEmpty, let only = keys.first else {
                throw Rejection(
                    .kidInvalid,
                    "the token has no kid, and the JWKS holds \(keys.count + dropped.count) keys; a kid may be omitted only when there is exactly one"
                )
            }
            return only
        }
        if let key = keys.first(where: { $0.kid?.isByteEqual(to: kid) == true }) { return key }
        if let droppedKey = dropped.first(where: { $0.kid?.isByteEqual(to: kid) == true }) {
            throw Rejection(.keyPolicyViolation, "key \"\(kid)\" was dropped at load: \(droppedKey.reason)")
        }
        throw Rejection(
            .keyNotFound,
            "the JWKS given does not hold kid \"\(kid)\" (\(Self.heldKids(keys))). "
                + "The usual cause is a key rotation at the IdP: fetch the current JWKS from its jwks_uri and replay again"
        )
    }
}
