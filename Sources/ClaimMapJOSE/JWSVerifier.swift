import ClaimMapRuntime
import Crypto
import CryptoExtras
import Foundation

/// A compact JWS whose structure, header policy and signature have been verified.
public struct VerifiedJWS: Sendable {
    public var alg: String
    public var kid: String?
    public var typ: String?
    /// The decoded payload bytes (not yet parsed).
    public var payload: [UInt8]
}

/// The signature layer (RFC 7515): size, three non-empty segments, canonical base64url, the header as a strict
/// JSON object with only `alg`, `kid` and `typ` (never `jwk`, `jku`, `x5u`, `x5c`, `crit`, `b64`, `zip`, `enc`),
/// `alg` from the caller's allow-list (never from the token), the key by `kid` under the key policy, and the
/// signature through swift-crypto. Checks run in the fixed order docs/security.md writes out; the first failure
/// is the token's one reason.
public enum JWSVerifier {
    public static let maxTokenBytes = 16 << 10
    static let allowedHeaderParameters: Set<String> = ["alg", "kid", "typ"]

    public static func verify(_ token: Substring, keys: JWKS, algorithms: Set<String>) throws(Rejection) -> VerifiedJWS
    {
        var memo = JWSHeaderMemo()
        return try verify(token, keys: keys, algorithms: algorithms, memo: &memo)
    }

    /// `verify`, remembering the last well-formed header in `memo` (see `JWSHeaderMemo`).
    public static func verify(_ token: Substring, keys: JWKS, algorithms: Set<String>, memo: inout JWSHeaderMemo)
        throws(Rejection) -> VerifiedJWS
    {
        let utf8 = token.utf8
        guard utf8.count <= maxTokenBytes else {
            throw Rejection(.tokenTooLarge, "the token is \(utf8.count) bytes; at most \(maxTokenBytes) are accepted")
        }
        // A native string's UTF-8 is read where it lies (any other is copied first); segments are ranges of it.
        func verified(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<VerifiedJWS, Rejection> {
            Result { () throws(Rejection) in try verify(bytes: bytes, keys: keys, algorithms: algorithms, memo: &memo) }
        }
        return try (utf8.withContiguousStorageIfAvailable(verified) ?? Array(utf8).withUnsafeBufferPointer(verified))
            .get()
    }

    private static func verify(
        bytes: UnsafeBufferPointer<UInt8>, keys: JWKS, algorithms: Set<String>, memo: inout JWSHeaderMemo
    ) throws(Rejection) -> VerifiedJWS {
        // The first two dots, and how many there are (counting stops at five segments).
        var firstDot = -1
        var secondDot = -1
        var dotCount = 0
        var from = 0
        while dotCount <= 4, let index = bytes.firstIndex(of: UInt8(ascii: "."), from: from) {
            if dotCount == 0 { firstDot = index } else if dotCount == 1 { secondDot = index }
            dotCount += 1
            from = index + 1
        }
        let segmentCount = dotCount + 1
        let emptySegment =
            firstDot == 0 ? "first (header)" : secondDot == firstDot + 1 ? "second (payload)" : "third (signature)"
        guard segmentCount == 3, firstDot > 0, secondDot > firstDot + 1, secondDot < bytes.count - 1 else {
            throw Rejection(
                .malformedSegments,
                segmentCount == 5
                    ? "5 segments: JWE is not accepted"
                    : segmentCount == 3
                        ? "a compact JWS has exactly three non-empty segments; the \(emptySegment) one is empty"
                        : "a compact JWS has exactly three non-empty segments; this one has \(segmentCount > 5 ? "more than 5" : "\(segmentCount)")"
            )
        }
        func decode(_ segment: Range<Int>, _ name: StaticString) throws(Rejection) -> [UInt8] {
            do throws(Base64URL.Failure) {
                return try Base64URL.decode(UnsafeBufferPointer(rebasing: bytes[segment]))
            } catch .noncanonical {
                throw Rejection(.noncanonicalBase64URL, "the \(name) segment has non-zero unused bits")
            } catch {
                throw Rejection(.badBase64URL, "the \(name) segment is not base64url (no padding, no `+` or `/`)")
            }
        }
        // A header the same, byte for byte, as the last one read in full passed every check of the header alone:
        // only the checks that depend on more than its bytes (the allowed algorithms, below; the key; the
        // signature) run again.
        let headerSegment = UnsafeBufferPointer(rebasing: bytes[0..<firstDot])
        let remembered = memo.segment.withUnsafeBufferPointer { $0.sameBytes(as: headerSegment) }
        let headerBytes = remembered ? [] : try decode(0..<firstDot, "header")
        let payloadBytes = try decode((firstDot + 1)..<secondDot, "payload")
        let signatureBytes = try decode((secondDot + 1)..<bytes.count, "signature")
        let alg: String
        let kid: String?
        let typ: String?
        if remembered {
            (alg, kid, typ) = (memo.alg, memo.kid, memo.typ)
            guard algorithms.containsByteEqual(alg) else { throw algNotAllowed(.string(alg), algorithms) }
        } else {
            (alg, kid, typ) = try header(headerBytes, algorithms: algorithms)
            memo = JWSHeaderMemo(segment: Array(headerSegment), alg: alg, kid: kid, typ: typ)
        }
        let key = try keys.key(for: kid)
        if let restricted = key.alg, !restricted.isByteEqual(to: alg) {
            throw Rejection(
                .keyPolicyViolation, "key \(kid.map { "\"\($0)\"" } ?? "") is for \(restricted), the token says \(alg)")
        }
        let signingInput = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[..<secondDot]))
        guard verifySignature(signatureBytes, input: signingInput, alg: alg, key: key.publicKey) else {
            throw Rejection(
                .signatureInvalid,
                "the \(alg) signature does not verify with key \(kid.map { "\"\($0)\"" } ?? "(the only key)")")
        }
        return VerifiedJWS(alg: alg, kid: kid, typ: typ, payload: payloadBytes)
    }

    /// A header's checks, in the order docs/security.md writes them out (the header alone, and `alg` against the
    /// allowed algorithms): its alg, kid and typ.
    private static func header(_ headerBytes: [UInt8], algorithms: Set<String>) throws(Rejection) -> (
        alg: String, kid: String?, typ: String?
    ) {
        // The header is read as member ranges, like the payload: only alg, kid and typ are decoded.
        let header = try object(headerBytes, what: "header", notObject: .headerNotJSONObject)
        if header.contains("crit") {
            throw Rejection(
                .critUnsupported,
                "the header has `crit`: no extension is understood, so the JWS is invalid (RFC 7515 §4.1.11)")
        }
        // Names are distinct (the reader refuses duplicates), so a member besides alg, kid and typ exists exactly when
        // fewer than all members were found among them; only then are the names decoded, for the message.
        let algMember = header.member(named: "alg")
        let kidMember = header.member(named: "kid")
        let typMember = header.member(named: "typ")
        let known = (algMember == nil ? 0 : 1) + (kidMember == nil ? 0 : 1) + (typMember == nil ? 0 : 1)
        if header.count > known,
            let extra = header.firstName(where: { !allowedHeaderParameters.containsByteEqual($0) })
        {
            throw Rejection(.headerParamNotAllowed, "header parameter `\(extra)` is not allowed (only alg, kid, typ)")
        }
        guard let algValue = algMember.flatMap(header.value) else {
            throw Rejection(.algMissing, "the header has no `alg`")
        }
        guard case .string(let alg) = algValue, algorithms.containsByteEqual(alg) else {
            throw algNotAllowed(algValue, algorithms)
        }
        var kid: String?
        if let kidValue = kidMember.flatMap(header.value) {
            guard case .string(let text) = kidValue, !text.isEmpty, text.scalarCount(above: 256) == nil,
                // C0, DEL and C1 controls: none belongs in a key id, and each could drive a terminal.
                !text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
            else {
                throw Rejection(
                    .kidInvalid, "kid must be a non-empty string of at most 256 characters without control characters")
            }
            kid = text
        }
        var typ: String?
        if let typValue = typMember.flatMap(header.value) {
            guard case .string(let text) = typValue else { throw Rejection(.typMismatch, "typ is not a string") }
            typ = text
        }
        return (alg, kid, typ)
    }

    private static func algNotAllowed(_ algValue: JSONValue, _ algorithms: Set<String>) -> Rejection {
        Rejection(
            .algNotAllowed,
            "alg \(algValue.compact()) is not allowed (allowed: \(algorithms.sorted().joined(separator: ", ")))")
    }

    static func verifySignature(
        _ signature: [UInt8], input: UnsafeRawBufferPointer, alg: String, key: _RSA.Signing.PublicKey
    ) -> Bool {
        // The signature must be exactly the modulus length (RFC 8017 §8.2.2 step 1).
        guard signature.count == (key.keySizeInBits + 7) / 8 else { return false }
        let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
        switch alg {
        case "RS256":
            return key.isValidSignature(rsaSignature, for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5)
        case "RS384":
            return key.isValidSignature(rsaSignature, for: SHA384.hash(data: input), padding: .insecurePKCS1v1_5)
        case "RS512":
            return key.isValidSignature(rsaSignature, for: SHA512.hash(data: input), padding: .insecurePKCS1v1_5)
        case "PS256": return key.isValidSignature(rsaSignature, for: SHA256.hash(data: input), padding: .PSS)
        case "PS384": return key.isValidSignature(rsaSignature, for: SHA384.hash(data: input), padding: .PSS)
        case "PS512": return key.isValidSignature(rsaSignature, for: SHA512.hash(data: input), padding: .PSS)
        default: return false
        }
    }

    /// The payload, read as strictly as the tree reader (`StrictJSONReader.parse`) reads it (the same tokens
    /// accepted, the same reason for the rest) but kept as bytes and member ranges: the verifier and replay decode
    /// only the members they read.
    static func payloadObject(_ bytes: [UInt8]) throws(Rejection) -> JSONObjectBytes {
        try object(bytes, what: "payload", notObject: .payloadNotJSONObject)
    }

    /// A header or payload: strict JSON, depth ≤ 16, and it must be an object.
    static func object(_ bytes: [UInt8], what: String, notObject: Rejection.Reason) throws(Rejection)
        -> JSONObjectBytes
    {
        let object: JSONObjectBytes?
        do throws(StrictJSONReader.Failure) {
            object = try StrictJSONReader(maxDepth: 16).object(bytes)
        } catch {
            throw rejection(error, what: what, notObject: notObject)
        }
        guard let object else { throw Rejection(notObject, "the \(what) is JSON but not an object") }
        return object
    }

    static func rejection(_ failure: StrictJSONReader.Failure, what: String, notObject: Rejection.Reason) -> Rejection {
        switch failure {
        case .duplicateMember(let name): Rejection(.duplicateMember, "the \(what) has member \"\(name)\" twice")
        case .tooDeep: Rejection(.jsonTooDeep, "the \(what) JSON is nested more than 16 levels")
        case .notUTF8: Rejection(.jsonNotUTF8, "the \(what) is not UTF-8")
        default: Rejection(notObject, "the \(what) is not a JSON object (\(failure))")
        }
    }
}

/// The last header segment a verifier read in full, and its alg, kid and typ. Tokens from one identity provider
/// share a few headers (one per signing key), so replay keeps one per thread: the next token's header segment,
/// compared byte for byte with it, is not decoded or parsed again. Only a header that passed every check is
/// remembered, and the checks that depend on more than its bytes (the allowed algorithms, the key, the signature)
/// run for every token, so a token gets the same verdict and reason with or without it.
public struct JWSHeaderMemo: Sendable {
    var segment: [UInt8] = []
    var alg = ""
    var kid: String?
    var typ: String?

    public init() {}

    init(segment: [UInt8], alg: String, kid: String?, typ: String?) {
        self.segment = segment
        self.alg = alg
        self.kid = kid
        self.typ = typ
    }
}
