#!/usr/bin/env python3
"""Prints the benchmark table with its ratios and writes .bench/results.json."""
import json, os, platform, sys
(out, openssl, swift, replay, pyjwt, joserfc, table, mem50, mem1m, check_cpu, cores, openssl_multi, parallel, mem50n,
 mem1mn, bests) = sys.argv[1:17]
# The best run of each kind (openssl one core, --jobs 1, openssl -multi N, --jobs N), printed beside the medians.
best_openssl, best_replay, best_multi, best_parallel = (float(x) for x in bests.split())
openssl, swift, replay, pyjwt, joserfc, openssl_multi, parallel = (
    float(x or 0) for x in (openssl, swift, replay, pyjwt, joserfc, openssl_multi, parallel))
cores = int(cores)
verify_ns = 1e9 / openssl
rows = [r.split() for r in table.split(";") if r.strip()]
evaluate = open(os.path.join(out, "evaluate.txt")).read().splitlines()
results = {"machine": platform.processor() or platform.machine(), "openssl_verify_per_s": openssl, "swift_crypto_verify_per_s": swift,
           "replay_tokens_per_s": replay, "pyjwt_tokens_per_s": pyjwt, "joserfc_tokens_per_s": joserfc,
           "evaluate": evaluate, "scaling_ms": [{"variables": int(r[0]), "compose": float(r[1]), "check": float(r[2]), "compile": float(r[3])} for r in rows],
           "peak_rss_kib": {"50k": int(mem50 or 0), "1M": int(mem1m or 0), "50k_all_cores": int(mem50n or 0),
                            "1M_all_cores": int(mem1mn or 0)},
           "check_mappings_cpu_ms": float(check_cpu or 0), "cores": cores, "openssl_multi_verify_per_s": openssl_multi,
           "replay_all_cores_tokens_per_s": parallel, "parallel_efficiency": parallel / (cores * replay),
           "openssl_verify_ns": verify_ns,
           "best_runs": {"openssl_verify_per_s": best_openssl, "replay_tokens_per_s": best_replay,
                         "openssl_multi_verify_per_s": best_multi, "replay_all_cores_tokens_per_s": best_parallel}}
json.dump(results, open(os.path.join(out, "results.json"), "w"), indent=2)
print()
print("| measure | figure | ratio | target |")
print("| --- | --- | --- | --- |")
print(f"| openssl speed rsa2048 verify | {openssl:,.0f}/s | | the limit |")
print(f"| swift-crypto verify (JOSE layer) | {swift:,.0f}/s | {swift / openssl:.2f} × openssl | reference |")
print(f"| replay - --jobs 1, one core (verify + evaluate + JSON line) | {replay:,.0f} tokens/s (best run {best_replay:,.0f}) | "
      f"{replay / openssl:.2f} × openssl (best runs: {best_replay / best_openssl:.2f} ×) | ≥ 0.75 |")
print(f"| openssl speed -multi {cores} rsa2048 verify | {openssl_multi:,.0f}/s | {openssl_multi / openssl:.2f} × one core | |")
print(f"| replay - --jobs {cores}, every core | {parallel:,.0f} tokens/s, {parallel / cores:,.0f} per core (best run {best_parallel:,.0f}) | "
      f"{parallel / (cores * replay):.2f} × {cores} × --jobs 1 (best runs: {best_parallel / (cores * best_replay):.2f} ×); "
      f"{parallel / openssl_multi:.2f} × openssl -multi {cores} | ≥ 0.9 × {cores} × --jobs 1 |")
print(f"| PyJWT | {pyjwt:,.0f} tokens/s | replay = {replay / pyjwt:.1f} × PyJWT | ≥ 3 |")
print(f"| joserfc | {joserfc:,.0f} tokens/s | replay = {replay / joserfc:.1f} × joserfc | |")
# EvaluateBench prints, per spec, `NAME` (claims → slots, as replay evaluates), `NAME+line` (and the JSON members
# written from them) and `NAME+named` (and the library's named EvaluationResult); the target is for the first.
for line in evaluate:
    name, ns = line.split()[0], float(line.split()[1])
    spec, _, extra = name.partition("+")
    what = {"": "evaluate only", "line": "evaluate + line members", "named": "evaluate + named result"}[extra]
    target = "≤ 0.1 ×" if not extra else ""
    print(f"| {what}, {spec} | {ns:,.0f} ns/token | {ns / verify_ns:.3f} × one RSA-2048 verify ({verify_ns:,.0f} ns) | {target} |")
previous = None
for r in rows:
    growth = f", ×{float(r[3]) / max(float(previous[3]), 0.01):.2f} per doubling" if previous else ""
    print(f"| {int(r[0]):,} variables | compose {r[1]} ms, check {r[2]} ms, compile {r[3]} ms | compile = {float(r[3]) / max(float(r[1]), 0.01):.1f} × compose (check {float(r[2]) / max(float(r[1]), 0.01):.1f} ×){growth} | ≤ 2, ×2 per doubling |")
    previous = r
print(f"| check of Mappings/ (process time) | {float(check_cpu or 0):.1f} ms | | < 100 ms |")
print(f"| peak memory, --jobs 1 | {int(mem50 or 0):,} KiB (50k tokens), {int(mem1m or 0):,} KiB (1M tokens) | | flat |")
print(f"| peak memory, --jobs {cores} | {int(mem50n or 0):,} KiB (50k tokens), {int(mem1mn or 0):,} KiB (1M tokens) | | flat |")
