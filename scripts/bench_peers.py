#!/usr/bin/env python3
"""Verifies the benchmark tokens with PyJWT or joserfc (signature plus the same claim checks: iss, aud, exp, nbf,
iat, and the nonce equal to the one the page sent, `bench-nonce`) and prints tokens/s for 5 runs."""
import json, os, sys, time

which, out = sys.argv[1], sys.argv[2]
tokens = [line.strip() for line in open(os.path.join(out, "tokens.txt"))]
jwk = json.load(open(os.path.join(out, "bench.jwks.json")))["keys"][0]
now = 1795608000

if which == "pyjwt":
    import jwt
    key = jwt.PyJWK(jwk).key
    def verify(token):
        claims = jwt.decode(token, key, algorithms=["RS256"], audience="0oa1retailmessenger", issuer="https://login.retail.example",
                            leeway=60, options={"require": ["exp", "iat", "iss", "aud", "nonce"], "verify_iat": True}, )
        if claims["nonce"] != "bench-nonce":
            raise ValueError("nonce")
        return claims
    # PyJWT reads the clock with datetime.now(); freeze it at the benchmark's "now", as --now does for claimmap.
    import jwt.api_jwt
    from datetime import datetime as _datetime

    class FrozenDateTime(_datetime):
        @classmethod
        def now(cls, tz=None):
            return _datetime.fromtimestamp(now, tz)

    jwt.api_jwt.datetime = FrozenDateTime
else:
    from joserfc import jwt
    from joserfc.jwk import RSAKey
    key = RSAKey.import_key(jwk)
    registry = jwt.JWTClaimsRegistry(now=now, leeway=60, iss={"essential": True, "value": "https://login.retail.example"},
                                     aud={"essential": True, "value": "0oa1retailmessenger"}, nonce={"essential": True, "value": "bench-nonce"})
    def verify(token):
        result = jwt.decode(token, key, algorithms=["RS256"])
        registry.validate(result.claims)
        return result.claims

for _ in range(5):
    start = time.perf_counter()
    for token in tokens:
        verify(token)
    print(int(len(tokens) / (time.perf_counter() - start)))
