#!/usr/bin/env python3
"""Interoperability with an independent JOSE implementation (joserfc + cryptography), both ways:

1. tokens minted by joserfc (RS256, PS256) verify in `claimmap replay`;
2. tokens from `claimmap token mint` verify in joserfc with the JWKS `claimmap keys generate` wrote;
3. a token joserfc signs with a key that is not in the JWKS is rejected by claimmap (key_not_found),
   and one whose payload joserfc signed but claimmap's JWKS does not trust is never accepted.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

claimmap = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/claimmap"
spec = "Mappings/minimal.mapping.yaml"
now = 1795608000  # 2026-11-25T12:00:00Z
failures = []


def run(*args, stdin=None):
    return subprocess.run([claimmap, *args], input=stdin, capture_output=True, text=True)


with tempfile.TemporaryDirectory() as tmp:
    # 1. joserfc signs, claimmap verifies.
    key = RSAKey.generate_key(2048, parameters={"kid": "py-1", "use": "sig", "alg": "RS256"}, private=True)
    jwks_path = os.path.join(tmp, "py.jwks.json")
    with open(jwks_path, "w") as handle:
        json.dump({"keys": [key.as_dict(private=False)]}, handle)
    claims = {"iss": "https://auth.minimal.example/", "aud": "minimal-messenger", "sub": "py-user", "name": "Zoë",
              "nonce": "py-n", "iat": now - 10, "exp": now + 600}
    lines = []
    for alg in ["RS256", "PS256"]:
        if alg == "PS256":
            ps_key = RSAKey.import_key({k: v for k, v in key.as_dict(private=True).items() if k != "alg"})
            token = jwt.encode({"alg": "PS256", "kid": "py-1"}, claims, ps_key, algorithms=["PS256"])
        else:
            token = jwt.encode({"alg": "RS256", "kid": "py-1"}, claims, key)
        lines.append(token)
    other = RSAKey.generate_key(2048, parameters={"kid": "py-2"}, private=True)
    lines.append(jwt.encode({"alg": "RS256", "kid": "py-2"}, claims, other))
    # PS256 is not in the minimal spec's algorithms: claimmap must refuse it by policy.
    result = run("replay", spec, "-", "--jwks", jwks_path, "--now", str(now), "--format", "json", stdin="\n".join(lines) + "\n")
    verdicts = [json.loads(line) for line in result.stdout.splitlines()]
    expected = [("accepted", None), ("rejected", "alg_not_allowed"), ("rejected", "key_not_found")]
    got = [(v["verdict"], v["reason"]) for v in verdicts]
    if got != expected:
        failures.append(f"joserfc -> claimmap: expected {expected}, got {got} ({result.stderr})")
    elif verdicts[0]["variables"]["Flow.CustomerName"]["value"] != "Zoë":
        failures.append("joserfc -> claimmap: the name claim did not arrive exactly")

    # 2. claimmap signs, joserfc verifies.
    out = run("keys", "generate", "--kid", "cm-1", "--out", tmp)
    if out.returncode != 0:
        failures.append(f"keys generate failed: {out.stderr}")
    mint = run("token", "mint", "--key", os.path.join(tmp, "cm-1.private.jwk.json"), "--claims", "-", "--now", str(int(time.time())),
               stdin=json.dumps({"iss": "https://issuer.example", "aud": "client", "sub": "cm-user", "n": 9007199254740993}))
    if mint.returncode != 0:
        failures.append(f"token mint failed: {mint.stderr}")
    else:
        with open(os.path.join(tmp, "jwks.json")) as handle:
            keyset = KeySet.import_key_set(json.load(handle))
        token = jwt.decode(mint.stdout.strip(), keyset, algorithms=["RS256"])
        claims_registry = jwt.JWTClaimsRegistry(iss={"essential": True, "value": "https://issuer.example"})
        claims_registry.validate(token.claims)
        if token.header.get("kid") != "cm-1" or token.claims["sub"] != "cm-user" or token.claims["n"] != 9007199254740993:
            failures.append(f"claimmap -> joserfc: unexpected token {token.header} {token.claims}")

for failure in failures:
    print(f"interop: {failure}")
print(f"interop: {'ok' if not failures else 'FAILED'} (joserfc -> claimmap: 3 tokens, claimmap -> joserfc: 1 token)")
sys.exit(1 if failures else 0)
