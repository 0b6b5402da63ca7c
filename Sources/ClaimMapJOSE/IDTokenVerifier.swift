import ClaimMapRuntime
import Foundation

/// What an OpenID Connect ID token must satisfy (OIDC Core §3.1.3.7, RFC 7519 §4.1, docs/security.md).
public struct ClaimPolicy: Sendable {
    public var issuer: String
    public var audiences: [String]
    public var algorithms: Set<String>
    public var leewaySeconds: Int64
    public var maxAgeSeconds: Int64?
    public var nonceRequired: Bool
    /// When set, the nonce must equal it (`replay --nonce`).
    public var expectedNonce: String?

    public init(
        issuer: String, audiences: [String], algorithms: Set<String>, leewaySeconds: Int64, maxAgeSeconds: Int64? = nil,
        nonceRequired: Bool, expectedNonce: String? = nil
    ) {
        self.issuer = issuer
        self.audiences = audiences
        self.algorithms = algorithms
        self.leewaySeconds = leewaySeconds
        self.maxAgeSeconds = maxAgeSeconds
        self.nonceRequired = nonceRequired
        self.expectedNonce = expectedNonce
    }
}

/// A verified ID token: the header facts and the payload as a strict JSON object, kept as its bytes (a member is
/// decoded when asked for).
public struct VerifiedIDToken: Sendable {
    public var jws: VerifiedJWS
    public var payload: JSONObjectBytes
}

/// The full ID-token check: the signature layer, then the payload and the standard claims, in the normative
/// order `iss → aud (+azp) → exp → nbf → iat in future → maxAge → nonce → typ`. The payload is parsed only after
/// the signature verifies. Comparisons are exact (RFC 7519 §7.3): no case folding, no slash normalisation.
public enum IDTokenVerifier {
    /// Latest NumericDate accepted: 9999-12-31T23:59:59Z. The evaluator's `Value.latestNumericDate` is the same
    /// bound (a test holds them equal); replay's `--now` uses this one.
    public static let maxNumericDate: Int64 = 253_402_300_799

    /// A NumericDate in a rejection's detail: epoch seconds and the same instant in RFC 3339, so a person reading
    /// `exp 1704070800 = 2024-01-01T01:00:00Z` need not convert it.
    static func time(_ seconds: Int64) -> String { "\(seconds) = \(CivilTime.rfc3339(seconds: seconds))" }

    public static func verify(_ token: Substring, keys: JWKS, policy: ClaimPolicy, now: Int64) throws(Rejection)
        -> VerifiedIDToken
    {
        var memo = JWSHeaderMemo()
        return try verify(token, keys: keys, policy: policy, now: now, memo: &memo)
    }

    /// `verify`, remembering the last well-formed header in `memo` (replay keeps one per thread).
    public static func verify(
        _ token: Substring, keys: JWKS, policy: ClaimPolicy, now: Int64, memo: inout JWSHeaderMemo
    ) throws(Rejection) -> VerifiedIDToken {
        let jws = try JWSVerifier.verify(token, keys: keys, algorithms: policy.algorithms, memo: &memo)
        let claims = try JWSVerifier.payloadObject(jws.payload)
        try checkIssuer(claims, policy)
        try checkAudience(claims, policy)
        // Every sum and difference below saturates: `now`, the leeway and maxAge come from the command line or
        // an evaluator file, and no input may trap (an overflowed comparison could also accept).
        let leeway = policy.leewaySeconds
        guard let exp = try numericDate(claims, "exp", required: true) else { throw Rejection(.claimMissing, "exp") }
        if now >= exp &+? leeway {
            throw Rejection(
                .expired, "exp \(time(exp)), \(now &-? exp) s before now (\(time(now)); leeway \(leeway) s)")
        }
        if let nbf = try numericDate(claims, "nbf", required: false), now < nbf &-? leeway {
            throw Rejection(
                .notYetValid, "nbf \(time(nbf)), \(nbf &-? now) s after now (\(time(now)); leeway \(leeway) s)")
        }
        guard let iat = try numericDate(claims, "iat", required: true) else { throw Rejection(.claimMissing, "iat") }
        if iat > now &+? leeway {
            throw Rejection(
                .iatInFuture, "iat \(time(iat)), \(iat &-? now) s after now (\(time(now)); leeway \(leeway) s)")
        }
        if let maxAge = policy.maxAgeSeconds {
            let authTime = try numericDate(claims, "auth_time", required: false)
            let issued = authTime ?? iat
            let name = authTime == nil ? "iat" : "auth_time"
            // An authentication time in the future cannot satisfy an age limit (OIDC Core §3.1.3.7 step 11).
            if issued > now &+? leeway {
                throw Rejection(
                    .tokenTooOld,
                    "\(name) \(time(issued)), \(issued &-? now) s after now (\(time(now)); leeway \(leeway) s)")
            }
            if now &-? issued > maxAge &+? leeway {
                throw Rejection(
                    .tokenTooOld,
                    "\(name) \(time(issued)), \(now &-? issued) s before now (\(time(now))); maxAge is \(maxAge) s")
            }
        }
        try checkNonce(claims, policy)
        if let typ = jws.typ, !typ.isASCIICaseInsensitiveEqual(to: "JWT") {
            throw Rejection(.typMismatch, "typ \"\(typ)\" is not JWT: this is not an ID token")
        }
        return VerifiedIDToken(jws: jws, payload: claims)
    }

    static func checkIssuer(_ claims: JSONObjectBytes, _ policy: ClaimPolicy) throws(Rejection) {
        guard let member = claims.member(named: "iss") else { throw Rejection(.claimMissing, "iss") }
        // The usual issuer, a string without escapes, is compared where it lies; any other form, and a mismatch
        // (to explain it), is decoded below.
        if claims.withPlainString(member, { $0.isUTF8(of: policy.issuer) }) == true { return }
        guard case .string(let issuer)? = claims.value(member) else {
            throw Rejection(.claimTypeInvalid, "iss is not a string")
        }
        guard issuer.isByteEqual(to: policy.issuer) else {
            throw Rejection(.issuerMismatch, "iss \"\(issuer)\" is not \"\(policy.issuer)\" (compared byte for byte)")
        }
    }

    static func checkAudience(_ claims: JSONObjectBytes, _ policy: ClaimPolicy) throws(Rejection) {
        guard let member = claims.member(named: "aud") else { throw Rejection(.claimMissing, "aud") }
        let azp = claims.member(named: "azp")
        // The usual case in place: one audience, a string without escapes, that is the client, and no azp.
        if azp == nil,
            claims.withPlainString(member, { text in policy.audiences.contains { text.isUTF8(of: $0) } })
                == true
        {
            return
        }
        guard let aud = claims.value(member) else { throw Rejection(.claimMissing, "aud") }
        var count = 0
        var matched = false
        switch aud {
        case .string(let single):
            count = 1
            matched = policy.audiences.containsByteEqual(single)
        case .array(let items):
            for item in items {
                guard case .string(let value) = item else {
                    throw Rejection(.claimTypeInvalid, "aud holds a non-string")
                }
                count += 1
                if !matched && policy.audiences.containsByteEqual(value) { matched = true }
            }
        default: throw Rejection(.claimTypeInvalid, "aud is neither a string nor an array of strings")
        }
        guard matched else {
            throw Rejection(
                .audienceMismatch,
                "aud \(aud.compact()) does not contain \(policy.audiences.map { "\"\($0)\"" }.joined(separator: " or "))"
            )
        }
        if count > 1 || azp != nil {
            guard let azp = azp.flatMap(claims.value) else {
                throw Rejection(.azpMismatch, "aud has several values, so azp must name the client")
            }
            guard case .string(let party) = azp, policy.audiences.containsByteEqual(party) else {
                throw Rejection(
                    .azpMismatch,
                    "azp \(azp.compact()) is not \(policy.audiences.map { "\"\($0)\"" }.joined(separator: " or "))")
            }
        }
    }

    static func checkNonce(_ claims: JSONObjectBytes, _ policy: ClaimPolicy) throws(Rejection) {
        guard let member = claims.member(named: "nonce") else {
            if policy.nonceRequired || policy.expectedNonce != nil { throw Rejection(.claimMissing, "nonce") }
            return
        }
        if let expected = policy.expectedNonce, claims.withPlainString(member, { $0.isUTF8(of: expected) }) == true {
            return
        }
        guard case .string(let value)? = claims.value(member) else {
            throw Rejection(.claimTypeInvalid, "nonce is not a string")
        }
        if let expected = policy.expectedNonce, !value.isByteEqual(to: expected) {
            throw Rejection(.nonceMismatch, "nonce does not equal the one the page sent")
        }
    }

    /// A NumericDate (RFC 7519 §2): a JSON number, fractions floored, within 0 ... 9999-12-31.
    static func numericDate(_ claims: JSONObjectBytes, _ name: String, required: Bool) throws(Rejection) -> Int64? {
        guard let member = claims.member(named: name) else {
            if required { throw Rejection(.claimMissing, name) }
            return nil
        }
        // The usual plain integer is read in place: no decoding, and no Decimal (whose parse cost as much as a
        // SHA-256 of the token). Anything else — a fraction, an exponent, a value outside the range (to say so) — is
        // decoded and read as a Decimal.
        if let seconds = claims.integer(member), seconds >= 0, seconds <= maxNumericDate { return seconds }
        guard case .number(let text)? = claims.value(member) else {
            throw Rejection(.claimTypeInvalid, "\(name) is not a JSON number")
        }
        guard let decimal = POSIXLocale.decimal(text), !decimal.isNaN else {
            // A valid JSON number Foundation cannot hold (`1e400`) is far outside any NumericDate.
            throw Rejection(.claimTypeInvalid, "\(name) \(text) is out of range (0 ... \(maxNumericDate))")
        }
        var floored = Decimal()
        var input = decimal
        NSDecimalRound(&floored, &input, 0, .down)
        guard floored >= 0, floored <= Decimal(maxNumericDate) else {
            throw Rejection(.claimTypeInvalid, "\(name) \(text) is outside 0 ... \(maxNumericDate)")
        }
        return NSDecimalNumber(decimal: floored).int64Value
    }
}

infix operator &+? : AdditionPrecedence
infix operator &-? : AdditionPrecedence

extension Int64 {
    /// Saturating addition: `Int64.max` or `Int64.min` instead of a trap or a wrapped value.
    @inlinable
    static func &+? (lhs: Int64, rhs: Int64) -> Int64 {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        return overflow ? (rhs > 0 ? .max : .min) : sum
    }

    /// Saturating subtraction.
    @inlinable
    static func &-? (lhs: Int64, rhs: Int64) -> Int64 {
        let (difference, overflow) = lhs.subtractingReportingOverflow(rhs)
        return overflow ? (rhs < 0 ? .max : .min) : difference
    }
}
