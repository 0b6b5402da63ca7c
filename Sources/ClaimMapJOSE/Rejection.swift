/// Why a token is rejected: exactly one stable reason code per token (that of the first check failed, in the order
/// docs/security.md writes out) and a detail naming the claim or parameter. The detail never contains the token, a
/// signature or key material.
public struct Rejection: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: String, Sendable, CaseIterable {
        case tokenTooLarge = "token_too_large"
        case malformedSegments = "malformed_segments"
        case badBase64URL = "bad_base64url"
        case noncanonicalBase64URL = "noncanonical_base64url"
        case headerNotJSONObject = "header_not_json_object"
        case payloadNotJSONObject = "payload_not_json_object"
        case duplicateMember = "duplicate_member"
        case jsonTooDeep = "json_too_deep"
        case jsonNotUTF8 = "json_not_utf8"
        case algMissing = "alg_missing"
        case algNotAllowed = "alg_not_allowed"
        case headerParamNotAllowed = "header_param_not_allowed"
        case critUnsupported = "crit_unsupported"
        case kidInvalid = "kid_invalid"
        case keyNotFound = "key_not_found"
        case keyPolicyViolation = "key_policy_violation"
        case jwksUnavailable = "jwks_unavailable"
        case signatureInvalid = "signature_invalid"
        case claimMissing = "claim_missing"
        case claimTypeInvalid = "claim_type_invalid"
        case expired
        case notYetValid = "not_yet_valid"
        case iatInFuture = "iat_in_future"
        case tokenTooOld = "token_too_old"
        case issuerMismatch = "issuer_mismatch"
        case audienceMismatch = "audience_mismatch"
        case azpMismatch = "azp_mismatch"
        case nonceMismatch = "nonce_mismatch"
        case typMismatch = "typ_mismatch"
        case claimValueRejected = "claim_value_rejected"
        case claimTooLong = "claim_too_long"
    }

    public var reason: Reason
    public var detail: String

    public init(_ reason: Reason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}
