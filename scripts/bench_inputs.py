#!/usr/bin/env python3
"""Deterministic benchmark inputs: an RSA-2048 key (fixed seed material), its JWKS, and N distinct RS256 tokens of
about 900 bytes with 12 claims for the retail spec, all with the nonce `bench-nonce` (replay and the peers
compare it, as the page does in production)."""
import base64, json, os, sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

count, out = int(sys.argv[1]), sys.argv[2]
key_path = os.path.join(out, "bench.key.json")
if os.path.exists(key_path):
    numbers = json.load(open(key_path))
    p, q, e = numbers["p"], numbers["q"], 65537
    d = pow(e, -1, (p - 1) * (q - 1))
    private = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, p * q)).private_key()
else:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    n = private.private_numbers()
    json.dump({"p": n.p, "q": n.q}, open(key_path, "w"))

def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
def uint(v): return b64(v.to_bytes((v.bit_length() + 7) // 8, "big"))

public = private.public_key().public_numbers()
json.dump({"keys": [{"kty": "RSA", "kid": "bench-1", "use": "sig", "alg": "RS256", "n": uint(public.n), "e": uint(public.e)}]},
          open(os.path.join(out, "bench.jwks.json"), "w"))
tokens_path = os.path.join(out, "tokens.txt")
# The stamp names what tokens.txt holds; inputs of an older layout (one nonce per token) are made again.
stamp_path, stamp = os.path.join(out, "tokens.stamp"), f"v2 {count} nonce=bench-nonce"
if os.path.exists(tokens_path) and os.path.exists(stamp_path) and open(stamp_path).read() == stamp:
    sys.exit(0)
now = 1795608000
header = b64(json.dumps({"alg": "RS256", "kid": "bench-1", "typ": "JWT"}, separators=(",", ":")).encode())
tiers = ["bronze", "silver", "gold", "platinum"]
with open(tokens_path, "w") as handle:
    for i in range(count):
        claims = {"iss": "https://login.retail.example", "aud": "0oa1retailmessenger", "sub": f"user-{i:08d}",
                  "iat": now - 60, "exp": now + 3600, "nonce": "bench-nonce", "email": f"user{i}@retail.example",
                  "name": f"Customer Number {i}", "https://retail.example/tier": tiers[i % 4],
                  "https://retail.example/accounts": [f"{i:010d}", f"{i + 1:010d}"], "https://retail.example/ltv": (i % 20000) + 0.5,
                  "address": {"country": "FR"}}
        payload = b64(json.dumps(claims, separators=(",", ":")).encode())
        signing_input = f"{header}.{payload}".encode()
        signature = private.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        handle.write(f"{header}.{payload}.{b64(signature)}\n")
open(stamp_path, "w").write(stamp)
