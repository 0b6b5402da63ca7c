import ClaimMapDiagnostics
import ClaimMapEvaluator
import ClaimMapJOSE
import ClaimMapRuntime
import ClaimMapSyntax

/// What each libFuzzer target runs on one input, and what `swift test` replays every saved input through
/// (Tests/FuzzRegressions/<target>/): one function per target, so the regression test calls exactly the code the
/// fuzzer ran. Each must finish on any bytes without crashing or hanging.
public enum FuzzEntryPoints {
    /// `FuzzJSON`: the strict JSON reader.
    public static func json(_ bytes: [UInt8]) {
        _ = try? StrictJSONReader(maxDepth: 16).parse(bytes)
    }

    /// `FuzzSpecReader`: the YAML stage, then the spec parser on what it accepts.
    public static func specReader(_ bytes: [UInt8]) {
        var reader = YAMLReader()
        let result = reader.read(bytes)
        if let root = result.root, !result.hasErrors {
            _ = SpecParser.parse(root: root, text: result.text, path: "fuzz.mapping.yaml")
        }
    }

    /// `FuzzExpression`: the expression parser on the bytes as text.
    public static func expression(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let locations = (0...text.unicodeScalars.count).map { SourceLocation(line: 1, column: $0 + 1) }
        var parser = ExpressionParser(text: text, locations: locations)
        _ = parser.parse()
    }

    /// The RFC 7520 §3.4 public key (kid `bilbo.baggins@hobbiton.example`) the JWS target verifies against.
    static let keys: JWKS? = try? JWKS(
        bytes: Array(
            #"{"keys":[{"kty":"RSA","kid":"bilbo.baggins@hobbiton.example","use":"sig","n":"n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw","e":"AQAB"}]}"#
                .utf8))
    static let policy = ClaimPolicy(
        issuer: "https://issuer.example", audiences: ["client"], algorithms: ["RS256", "PS256"], leewaySeconds: 60,
        nonceRequired: true)

    /// `FuzzJWS`: the compact JWS parser and the ID-token verifier on the bytes as a token.
    public static func jws(_ bytes: [UInt8]) {
        guard let keys else { preconditionFailure("the fuzz target's fixed JWKS does not load") }
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? IDTokenVerifier.verify(Substring(text), keys: keys, policy: policy, now: 1_795_608_000)
    }

    /// `FuzzJWKS`: the JWKS loader and key policy, then a key lookup.
    public static func jwks(_ bytes: [UInt8]) {
        if let set = try? JWKS(bytes: bytes) {
            _ = try? set.key(for: set.keys.first?.kid)
        }
    }

    /// `FuzzContractFastPaths`: the claim contract's fast paths against the slow paths they replace; the
    /// disagreement, or nil. The fuzz target traps on one, the regression test fails.
    public static func contractFastPaths(_ bytes: [UInt8]) -> String? {
        FastPathOracle.disagreement(bytes)
    }
}
