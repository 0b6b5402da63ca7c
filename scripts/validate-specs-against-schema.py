#!/usr/bin/env python3
"""Validate every Mappings/*.mapping.yaml against `claimmap schema` with an independent JSON Schema validator.

The schema is what editors use; this proves it accepts the specs `claimmap check` accepts, and rejects a few
specs `check` rejects for shape reasons. PyYAML reads YAML 1.1, so the examples avoid `yes`/`no` scalars.
"""
import glob
import json
import subprocess
import sys

import jsonschema
import yaml

claimmap = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/claimmap"
schema = json.loads(subprocess.run([claimmap, "schema"], check=True, capture_output=True, text=True).stdout)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

failures = 0
specs = sorted(glob.glob("Mappings/*.mapping.yaml"))
for path in specs:
    with open(path, encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    errors = list(validator.iter_errors(document))
    for error in errors:
        print(f"{path}: {'/'.join(map(str, error.path))}: {error.message}")
    failures += bool(errors)

with open("Mappings/retail.mapping.yaml", encoding="utf-8") as handle:
    retail = yaml.safe_load(handle)
broken = [
    ("unknown top-level key", {**retail, "routnig": []}),
    ("unknown rule key", {**retail, "routing": [{"rule": "d", "queu": "x"}]}),
    ("bad variable name", {**retail, "variables": {"Tier": {"from": "tier"}}}),
]
for name, document in broken:
    if validator.is_valid(document):
        print(f"schema accepted a broken spec: {name}")
        failures += 1

print(f"schema check: {len(specs)} specs and {len(broken)} broken variants, {failures} problems")
sys.exit(1 if failures else 0)
