#!/usr/bin/env python3
"""Prints the benchmark table with its ratios and writes .bench/results.json."""
import json, os, platform, sys
out, openssl, swift, replay, pyjwt, joserfc, table, mem50, mem1m, check_cpu = sys.argv[1:11]
openssl, swift, replay, pyjwt, joserfc = (float(x or 0) for x in (openssl, swift, replay, pyjwt, joserfc))
rows = [r.split() for r in table.split(";") if r.strip()]
evaluate = open(os.path.join(out, "evaluate.txt")).read().splitlines()
results = {"machine": platform.processor() or platform.machine(), "openssl_verify_per_s": openssl, "swift_crypto_verify_per_s": swift,
           "replay_tokens_per_s": replay, "pyjwt_tokens_per_s": pyjwt, "joserfc_tokens_per_s": joserfc,
           "evaluate": evaluate, "scaling_ms": [{"variables": int(r[0]), "compose": float(r[1]), "check": float(r[2]), "compile": float(r[3])} for r in rows],
           "peak_rss_kib": {"50k": int(mem50 or 0), "1M": int(mem1m or 0)}, "check_mappings_cpu_ms": float(check_cpu or 0)}
json.dump(results, open(os.path.join(out, "results.json"), "w"), indent=2)
print()
print("| measure | figure | ratio | target |")
print("| --- | --- | --- | --- |")
print(f"| openssl speed rsa2048 verify | {openssl:,.0f}/s | | the limit |")
print(f"| swift-crypto verify (JOSE layer) | {swift:,.0f}/s | {swift / openssl:.2f} × openssl | reference |")
print(f"| replay - (verify + evaluate + JSON line) | {replay:,.0f} tokens/s | {replay / openssl:.2f} × openssl | ≥ 0.9 |")
print(f"| PyJWT | {pyjwt:,.0f} tokens/s | replay = {replay / pyjwt:.1f} × PyJWT | ≥ 3 |")
print(f"| joserfc | {joserfc:,.0f} tokens/s | replay = {replay / joserfc:.1f} × joserfc | |")
for line in evaluate:
    print(f"| evaluate only, {line.split()[0]} | {line.split()[1]} ns/token | | < 2,000 ns |")
previous = None
for r in rows:
    growth = f", ×{float(r[3]) / max(float(previous[3]), 0.01):.2f} per doubling" if previous else ""
    print(f"| {int(r[0]):,} variables | compose {r[1]} ms, check {r[2]} ms, compile {r[3]} ms | compile = {float(r[3]) / max(float(r[1]), 0.01):.1f} × compose (check {float(r[2]) / max(float(r[1]), 0.01):.1f} ×){growth} | ≤ 2, ×2 per doubling |")
    previous = r
print(f"| check of Mappings/ (process time) | {float(check_cpu or 0):.1f} ms | | < 100 ms |")
print(f"| peak memory | {int(mem50 or 0):,} KiB (50k tokens), {int(mem1m or 0):,} KiB (1M tokens) | | flat |")
