#!/usr/bin/env python3
"""Generated specs with 1,250, 2,500, 5,000 and 10,000 variables (half enrichment-fed, half computed)."""
import os, sys
out = sys.argv[1]
for n in [1250, 2500, 5000, 10000]:
    lines = ["claimmap: 1", "flow:", "  name: Scale", "identity:", "  discovery: https://id.example/.well-known/openid-configuration",
             "  issuer: https://id.example", "  audience: [c]", "claims:", "  sub: { type: string, required: true }",
             "  tier: { type: string, enum: [bronze, gold] }", "enrichment:", "  P:", "    category: C", "    url: https://crm.example/{sub}",
             "    returns: [tier]", "variables:", "  Flow.Id: { from: sub }"]
    for i in range(n // 2):
        lines.append(f"  Flow.T{i}: {{ from: tier, via: P, default: bronze }}")
        lines.append(f"  Flow.G{i}: {{ type: Boolean, expr: 'Flow.T{i} == \"gold\" or Flow.Id == \"x\"' }}")
    lines += ["routing:", "  - rule: g", "    when: Flow.G0", "    queue: G", "  - rule: d", "    queue: D"]
    open(os.path.join(out, f"scale-{n}.mapping.yaml"), "w").write("\n".join(lines) + "\n")
