#!/usr/bin/env python3
"""The live identity provider, on loopback (#16): `keys fetch`, `replay --live`, `test --live` and `doctor` against
a real HTTPS OpenID provider started here, with its own test CA.

The provider serves one scenario per path prefix (`/ok/...`, `/mismatch/...`): discovery, a JWKS, and the failures
teams meet (a rotated key, an issuer that differs from the spec's, HS256 only, a 1024-bit key, 5xx, a stalled
answer, a 2 MiB body, malformed JSON, a redirect from https to http, too many redirects, a skewed clock). It counts
requests per path, so the refetch cooldown is measured, not assumed. Each case asserts the exit code, the message
and the files left behind.

Needs PyPI's `cryptography` (the CA, the server certificate, the RSA keys and RS256 signatures).
Usage: python3 Tests/IdP/run.py [path/to/claimmap]
"""

import base64
import datetime
import email.utils
import http.server
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
import ipaddress

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/claimmap")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def rsa_key(bits=2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def public_jwk(key, kid):
    numbers = key.public_key().public_numbers()
    n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
    e = numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")
    return {"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": b64url(n), "e": b64url(e)}


def sign(key, kid, claims):
    header = b64url(json.dumps({"alg": "RS256", "kid": kid, "typ": "JWT"}).encode())
    payload = b64url(json.dumps(claims).encode())
    signature = key.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{payload}.{b64url(signature)}"


def make_ca(directory):
    """A test CA and a server certificate for 127.0.0.1 and localhost, signed by it."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = rsa_key()
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "claimmap test CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False, key_agreement=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = rsa_key()
    server = (
        x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name).public_key(server_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = {name: os.path.join(directory, name) for name in ("ca.pem", "server.pem", "server.key")}
    with open(paths["ca.pem"], "wb") as f:
        f.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths["server.pem"], "wb") as f:
        f.write(server.public_bytes(serialization.Encoding.PEM))
    with open(paths["server.key"], "wb") as f:
        f.write(server_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                         serialization.NoEncryption()))
    return paths


class Provider:
    """Scenario state shared with the handler threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.credentials = 0
        self.base = ""
        self.http_base = ""
        self.keys = {"k1": rsa_key(), "k2": rsa_key(), "small": rsa_key(1024)}
        self.served = {"ok": ["k1"], "rotate": ["k1"], "doctor": ["k1", "k2"]}

    def count(self, path):
        with self.lock:
            return self.counts.get(path, 0)

    def discovery(self, scenario, **overrides):
        document = {
            "issuer": f"{self.base}/{scenario}",
            "authorization_endpoint": f"{self.base}/{scenario}/authorize",
            "jwks_uri": f"{self.base}/{scenario}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }
        document.update(overrides)
        return document

    def jwks(self, kids):
        return {"keys": [public_jwk(self.keys[kid], kid) for kid in kids]}


PROVIDER = Provider()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/json", headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        p = PROVIDER
        with p.lock:
            p.counts[self.path] = p.counts.get(self.path, 0) + 1
        if self.headers.get("Authorization") or self.headers.get("Cookie"):
            with p.lock:
                p.credentials += 1
            return self.send(400, {"error": "a request carried credentials"})
        scenario, _, rest = self.path.strip("/").partition("/")
        discovery = rest == ".well-known/openid-configuration"
        if scenario in ("ok", "rotate", "doctor"):
            return self.send(200, p.discovery(scenario) if discovery else p.jwks(p.served[scenario]))
        if scenario == "mismatch":
            return self.send(200, p.discovery(scenario, issuer=f"{p.base}/mismatch/") if discovery else p.jwks(["k1"]))
        if scenario == "plainjwks":
            return self.send(200, p.discovery(scenario, jwks_uri="http://keys.example/jwks"))
        if scenario == "hs256":
            return self.send(200, p.discovery(scenario, id_token_signing_alg_values_supported=["HS256"]))
        if scenario == "small":
            return self.send(200, p.discovery(scenario) if discovery else p.jwks(["small"]))
        if scenario == "error":
            return self.send(503, {"error": "temporarily unavailable"})
        if scenario == "stall":
            time.sleep(6)
            return self.send(200, p.discovery(scenario))
        if scenario == "huge":
            return self.send(200, b'{"pad":"' + b"x" * (2 << 20) + b'"}')
        if scenario == "malformed":
            return self.send(200, p.discovery(scenario) if discovery else b'{"keys": [')
        if scenario == "downgrade":
            return self.send(302, b"", headers=[("Location", f"{p.http_base}/ok/.well-known/openid-configuration")])
        if scenario == "loop":
            return self.send(302, b"", headers=[("Location", f"{p.base}/loop/.well-known/openid-configuration")])
        if scenario == "skew":
            late = email.utils.formatdate(time.time() + 3600, usegmt=True)
            body = p.discovery(scenario) if discovery else p.jwks(["k1"])
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Date", late)
            self.end_headers()
            self.wfile.write(data)
            return
        return self.send(404, {"error": "no such scenario"})

    def send_response(self, code, message=None):
        # The skew scenario sets its own Date header; the others get the real one.
        self.log_request(code)
        self.send_response_only(code, message)
        if not self.path.startswith("/skew/"):
            self.send_header("Date", self.date_time_string())


def serve(tls_paths):
    https = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tls_paths["server.pem"], tls_paths["server.key"])
    https.socket = context.wrap_socket(https.socket, server_side=True)
    plain = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    for server in (https, plain):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    PROVIDER.base = f"https://127.0.0.1:{https.server_address[1]}"
    PROVIDER.http_base = f"http://127.0.0.1:{plain.server_address[1]}"


FAILURES = []


def check(condition, what, detail=""):
    if condition:
        print(f"  ok   {what}")
    else:
        print(f"  FAIL {what}\n{detail}")
        FAILURES.append(what)


def spec(directory, scenario, jwks="keys/idp.jwks.json"):
    mappings = os.path.join(directory, "Mappings")
    os.makedirs(os.path.join(mappings, "keys"), exist_ok=True)
    path = os.path.join(mappings, f"{scenario}.mapping.yaml")
    with open(path, "w") as f:
        f.write(f"""claimmap: 1
flow:
  name: Live {scenario}
identity:
  discovery: {PROVIDER.base}/{scenario}/.well-known/openid-configuration
  issuer: {PROVIDER.base}/{scenario}
  audience: live-client
  jwks: {jwks}
claims:
  sub: {{ type: string, required: true }}
variables:
  Flow.Id: {{ from: sub }}
routing:
  - rule: default
    queue: General
""")
    return path


def run(args, directory, env_extra=None, stdin=None):
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = os.path.join(directory, "cache")
    env.update(env_extra or {})
    started = time.monotonic()
    result = subprocess.run([BINARY] + args, cwd=directory, capture_output=True, text=True, env=env, timeout=120,
                            input=stdin)
    result.elapsed = time.monotonic() - started
    return result


def fetch_case(name, scenario, code, message, *, ca=True, extra=(), before=None):
    """keys fetch against `scenario`: exit `code`, `message` in the output, and the JWKS file left as `before`."""
    directory = tempfile.mkdtemp(prefix=f"claimmap-idp-{name}-")
    spec_path = spec(directory, scenario)
    jwks_path = os.path.join(directory, "Mappings/keys/idp.jwks.json")
    if before is not None:
        with open(jwks_path, "w") as f:
            f.write(before)
    args = ["keys", "fetch", spec_path] + (["--ca-file", CA] if ca else []) + list(extra)
    result = run(args, directory)
    output = result.stdout + result.stderr
    check(result.returncode == code, f"{name}: exit {code}", f"got {result.returncode}: {output}")
    check(message in output, f"{name}: says {message!r}", output)
    if before is not None:
        with open(jwks_path) as f:
            check(f.read() == before, f"{name}: the JWKS file is left as it was")
        check(not os.path.exists(jwks_path + ".provenance.json"), f"{name}: no provenance written")
    return directory, result


def main():
    global CA
    if not os.access(BINARY, os.X_OK):
        sys.exit(f"build claimmap first: {BINARY} not found")
    work = tempfile.mkdtemp(prefix="claimmap-idp-")
    tls = make_ca(work)
    CA = tls["ca.pem"]
    serve(tls)
    old = '{"keys": []}\n'

    print("== keys fetch")
    directory, result = fetch_case("ok", "ok", 0, 'added: "k1"')
    jwks_path = os.path.join(directory, "Mappings/keys/idp.jwks.json")
    written = json.load(open(jwks_path))
    check([k["kid"] for k in written["keys"]] == ["k1"], "ok: the JWKS file holds the IdP's keys")
    provenance = json.load(open(jwks_path + ".provenance.json"))
    check(provenance["jwks_uri"] == f"{PROVIDER.base}/ok/jwks" and provenance["kids"] == ["k1"]
          and provenance["issuer"] == f"{PROVIDER.base}/ok" and "fetchedAt" in provenance,
          "ok: the provenance names jwks_uri, issuer, kids and the time", json.dumps(provenance))
    check(PROVIDER.count("/ok/jwks") >= 1, "ok: the JWKS was requested from jwks_uri")

    # Rotation: the IdP replaces k1 with k2.
    directory, _ = fetch_case("rotate (first)", "rotate", 0, 'added: "k1"')
    PROVIDER.served["rotate"] = ["k2"]
    result = run(["keys", "fetch", spec(directory, "rotate"), "--ca-file", CA], directory)
    check(result.returncode == 0 and 'added: "k2"' in result.stdout and 'removed: "k1"' in result.stdout,
          "rotate: the second fetch says k2 added and k1 removed", result.stdout + result.stderr)

    fetch_case("mismatch", "mismatch", 1, "is not identity.issuer", before=old)
    fetch_case("hs256", "hs256", 1, "not with RS256", before=old)
    fetch_case("small key", "small", 1, "no key the key policy accepts", before=old)
    fetch_case("5xx", "error", 2, "answered HTTP 503", before=old)
    fetch_case("huge body", "huge", 2, "over 1048576 bytes", before=old)
    fetch_case("malformed JWKS", "malformed", 2, "is not JSON", before=old)
    _, stalled = fetch_case("stall", "stall", 2, "did not answer in time", extra=["--timeout", "2"], before=old)
    check(stalled.elapsed < 5, f"stall: gave up after {stalled.elapsed:.1f} s (deadline 2 s)")
    fetch_case("https to http", "downgrade", 2, "redirects from https to http", before=old)
    fetch_case("redirect loop", "loop", 2, "more than 3 redirects", before=old)
    fetch_case("untrusted CA", "ok", 2, "TLS handshake failed", ca=False, before=old)
    fetch_case("missing CA file", "ok", 2, "cannot read --ca-file", extra=["--ca-file", "/nonexistent.pem"],
               before=old)
    fetch_case("jwks_uri over http", "plainjwks", 1, "only https is allowed", before=old)

    print("== replay --live: cache, one refetch for an unknown kid, then the cooldown")
    directory = tempfile.mkdtemp(prefix="claimmap-idp-live-")
    spec_path = spec(directory, "ok")
    base_claims = {"iss": f"{PROVIDER.base}/ok", "aud": "live-client", "sub": "u-1", "nonce": "n",
                   "iat": int(time.time()), "exp": int(time.time()) + 600}
    tokens = []
    for name, key, kid in [("good", "k1", "k1"), ("forged1", "k2", "forged-1"), ("forged2", "k2", "forged-2")]:
        path = os.path.join(directory, f"{name}.jwt")
        with open(path, "w") as f:
            f.write(sign(PROVIDER.keys[key], kid, base_claims))
        tokens.append(path)
    before = PROVIDER.count("/ok/jwks")
    result = run(["replay", spec_path, "--live", "--ca-file", CA, "--format", "json"] + tokens, directory)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    check(result.returncode == 1 and len(lines) == 3, "replay --live: three lines, exit 1 (two rejected)",
          result.stdout + result.stderr)
    if len(lines) == 3:
        check(lines[0]["verdict"] == "accepted", "replay --live: the token signed by the IdP's key is accepted")
        check(lines[1]["reason"] == "key_not_found" and "refetched the JWKS" in lines[1]["detail"],
              "replay --live: an unknown kid triggers a refetch, and says so", lines[1]["detail"])
        check(lines[2]["reason"] == "key_not_found" and "not refetched" in lines[2]["detail"]
              and "cooldown 30 s" in lines[2]["detail"], "replay --live: the next unknown kid is within the cooldown",
              lines[2]["detail"])
    check(PROVIDER.count("/ok/jwks") - before == 2,
          f"replay --live: 2 JWKS requests (the first fetch and one refetch), got {PROVIDER.count('/ok/jwks') - before}")
    cache = os.path.join(directory, "cache", "claimmap")
    check(os.path.isdir(cache) and len(os.listdir(cache)) == 1, "replay --live: the keys are cached under "
          "$XDG_CACHE_HOME/claimmap")
    check(not os.path.exists(os.path.join(directory, "Mappings/keys/idp.jwks.json")),
          "replay --live: the spec's identity.jwks is never written")
    before = PROVIDER.count("/ok/jwks")
    again = run(["replay", spec_path, "--live", "--ca-file", CA, tokens[0]], directory)
    check(again.returncode == 0 and PROVIDER.count("/ok/jwks") == before,
          "replay --live: a second run uses the cache (no request)", again.stdout + again.stderr)
    # Rotation while cached: the IdP now signs with k2; the cached set has only k1: one refetch finds it.
    PROVIDER.served["ok"] = ["k2"]
    rotated = os.path.join(directory, "rotated.jwt")
    with open(rotated, "w") as f:
        f.write(sign(PROVIDER.keys["k2"], "k2", base_claims))
    result = run(["replay", spec_path, "--live", "--ca-file", CA, rotated], directory)
    check(result.returncode == 0 and "accepted" in result.stdout,
          "replay --live: a key rotated since the cache was filled is found by the refetch", result.stdout + result.stderr)
    # The same rotation met by 4 workers at once: they share one key cache and one refetch cooldown, so the run makes
    # one request and every token is accepted (a worker that missed the kid while another refetched retries with the
    # new keys; that window is microseconds wide, so this holds the outcome, not the interleaving).
    PROVIDER.served["ok"] = ["k1"]
    fresh_cache = run(["replay", spec_path, "--live", "--ca-file", CA, tokens[0]], directory,
                      env_extra={"XDG_CACHE_HOME": os.path.join(directory, "cache-jobs")})
    PROVIDER.served["ok"] = ["k2"]
    before = PROVIDER.count("/ok/jwks")
    with open(rotated) as f:
        stream = (f.read().strip() + "\n") * 512
    result = run(["replay", spec_path, "--live", "--ca-file", CA, "--jobs", "4", "--format", "json", "-"], directory,
                 stdin=stream, env_extra={"XDG_CACHE_HOME": os.path.join(directory, "cache-jobs")})
    verdicts = [json.loads(line)["verdict"] for line in result.stdout.splitlines()]
    check(fresh_cache.returncode == 0 and result.returncode == 0 and verdicts == ["accepted"] * 512,
          "replay --live --jobs 4: 512 tokens signed by a rotated key are all accepted",
          result.stdout[-500:] + result.stderr)
    check(PROVIDER.count("/ok/jwks") - before == 1,
          f"replay --live --jobs 4: one refetch for the whole run, got {PROVIDER.count('/ok/jwks') - before}")
    PROVIDER.served["ok"] = ["k1"]

    print("== test --live")
    tests = os.path.join(directory, "Mappings", "ok.tests.yaml")
    # A tests file names files beside it: the IdP-signed token goes there.
    shutil.copy(tokens[0], os.path.join(directory, "Mappings", "good.jwt"))
    with open(tests, "w") as f:
        f.write("spec: ok.mapping.yaml\ncases:\n  - name: a minted token\n    claims: { sub: u-9 }\n"
                "    nonce: n\n    expect: { route: default }\n  - name: a token the IdP signed\n    token: good.jwt\n"
                "    expect: { route: default }\n")
    result = run(["test", tests, "--live", "--ca-file", CA], directory)
    check(result.returncode == 0 and "2 passed, 0 failed" in result.stdout, "test --live: both cases pass",
          result.stdout + result.stderr)
    result = run(["test", tests], directory)
    check(result.returncode == 1 and "1 passed, 1 failed" in result.stdout,
          "test without --live: the IdP-signed token fails (no identity.jwks file)", result.stdout + result.stderr)

    print("== doctor")
    directory = tempfile.mkdtemp(prefix="claimmap-idp-doctor-")
    spec_path = spec(directory, "doctor")
    with open(os.path.join(directory, "Mappings/keys/idp.jwks.json"), "w") as f:
        json.dump(PROVIDER.jwks(["k1", "k2"]), f)
    result = run(["doctor", spec_path, "--ca-file", CA], directory)
    check(result.returncode == 0 and "0 failures" in result.stdout, "doctor: a healthy IdP exits 0",
          result.stdout + result.stderr)
    for line in ("ok    issuer:", "ok    keys: 2 RSA keys", "ok    spec kids:", "ok    clock:"):
        check(line in result.stdout, f"doctor: reports {line.strip()!r}", result.stdout)
    # The spec's file holds a kid the IdP has retired.
    with open(os.path.join(directory, "Mappings/keys/idp.jwks.json"), "w") as f:
        json.dump({"keys": [public_jwk(PROVIDER.keys["small"], "retired")]}, f)
    result = run(["doctor", spec_path, "--ca-file", CA, "--format", "json"], directory)
    report = json.loads(result.stdout) if result.stdout.startswith("{") else {}
    failing = [c["name"] for c in report.get("checks", []) if c["status"] == "fail"]
    check(result.returncode == 1 and failing == ["spec kids"], "doctor: a retired kid in the spec's file fails",
          result.stdout + result.stderr)
    skew = spec(directory, "skew")
    result = run(["doctor", skew, "--ca-file", CA], directory)
    check(result.returncode == 1 and "fail  clock: this machine is 3600 s behind the IdP" in result.stdout,
          "doctor: an hour of clock skew against a 60 s leeway fails", result.stdout + result.stderr)
    mismatch = spec(directory, "mismatch")
    result = run(["doctor", mismatch, "--ca-file", CA], directory)
    check(result.returncode == 1 and "fail  discovery:" in result.stdout and "is not identity.issuer" in result.stdout,
          "doctor: a mismatched issuer fails", result.stdout + result.stderr)

    check(PROVIDER.credentials == 0 and sum(PROVIDER.counts.values()) > 20,
          f"no request of the {sum(PROVIDER.counts.values())} carried an Authorization or Cookie header")
    print(f"{len(FAILURES)} failed" if FAILURES else "all live-IdP checks passed")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
