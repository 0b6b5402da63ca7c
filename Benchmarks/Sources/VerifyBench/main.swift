import ClaimMapJOSE
import ClaimMapRuntime
import Foundation

// Raw swift-crypto RSA-2048 verification rate (the same call replay makes), for reference next to openssl speed.
let key = try RSAPrivateJWK.generate(kid: "bench")
let keys = try JWKS(bytes: Array(JSONValue.object([("keys", .array([key.publicJSON()]))]).compact().utf8))
let token = try key.sign(header: .object([("alg", .string("RS256")), ("kid", .string("bench"))]), payload: Array("{}".utf8))
var count = 0
let start = ContinuousClock.now
while ContinuousClock.now - start < .seconds(3) {
    for _ in 0..<100 { if (try? JWSVerifier.verify(Substring(token), keys: keys, algorithms: ["RS256"])) != nil { count += 1 } }
}
let elapsed = ContinuousClock.now - start
print("swift-crypto RS256 verify: \(Int(Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))) /s")
