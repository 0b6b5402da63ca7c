#!/usr/bin/env python3
"""Every generated Terraform file against the Genesys Cloud provider's documented schema.

    python3 Tests/Terraform/check_terraform.py [ROOT]

Parses each Generated/*/terraform/*.tf (and the emitter fixtures') with PyPI's python-hcl2 and checks:
- every resource and data source type, attribute and nested block exists in Tests/Terraform/provider-schema.json (the
  `## Schema` sections of terraform-provider-genesyscloud's docs, commit and paths inside), no read-only attribute is
  set, and every required attribute and block is present;
- no `count` or `for_each`: one block per data action, for a reviewer to read;
- each genesyscloud_integration_action equals its data-actions/*.json (name, contracts, request and response
  configuration), every Velocity `${` written `$${`;
- genesyscloud_flow publishes ../flow.yaml with `substitutions` keyed exactly by the flow's {{placeholders}}, the same
  keys as archy-options.yaml;
- the deployment is wired to the flow and its configuration; authentication uses the OIDC integration variable and
  `allow_session_upgrade` follows the guests mode; credentials only by a sensitive variable;
- every `var.x` used is declared with a description; files end with a newline and are indented with spaces.
Exit 0 when all hold, 1 otherwise.
"""

import glob
import io
import json
import os
import re
import sys

import hcl2
import yaml

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMA = json.load(open(os.path.join(ROOT, "Tests", "Terraform", "provider-schema.json"), encoding="utf-8"))
META = {"depends_on", "lifecycle", "provider"}


def unquote(text):
    """A key or string as python-hcl2 returns it (quoted, HCL escapes) to its value: `$${` and `%%{` are the literal
    `${` and `%{`, `\\UXXXXXXXX` an astral character; the other escapes are JSON's."""
    if isinstance(text, str) and len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        body = text[1:-1].replace("$${", "\ue000").replace("%%{", "\ue001")
        body = re.sub(r"\\U([0-9A-Fa-f]{8})", lambda m: chr(int(m.group(1), 16)), body)
        return json.loads('"' + body + '"').replace("\ue000", "${").replace("\ue001", "%{")
    return text


def plain(value):
    """python-hcl2's structure with quotes removed from keys and strings."""
    if isinstance(value, dict):
        return {unquote(k): plain(v) for k, v in value.items() if k != "__is_block__"}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return unquote(value)


def jsonencoded(expression):
    """The JSON value inside `${jsonencode({...})}`, parsed as HCL again."""
    match = re.fullmatch(r"\$\{jsonencode\((.*)\)\}", expression, re.S)
    if not match:
        raise ValueError("not a jsonencode(...) expression: %s" % expression[:80])
    parsed = hcl2.load(io.StringIO("value = " + match.group(1) + "\n"))
    return plain(parsed["value"])


def check_body(kind, name, body, schema, path, where, failures):
    attributes = schema.get("attributes", {})
    blocks = schema.get("blocks", {})
    for key, value in body.items():
        if key in META or key in ("__is_block__", "__comments__"):
            continue
        if key in ("count", "for_each"):
            failures.append("%s: %s %s uses %s" % (path, kind, name, key))
        elif key in attributes:
            if attributes[key].get("read_only"):
                failures.append("%s: %s sets read-only `%s`" % (path, where, key))
            if isinstance(value, list) and value and isinstance(value[0], dict) and value[0].get("__is_block__"):
                failures.append("%s: %s writes attribute `%s` as a block" % (path, where, key))
        elif key in blocks:
            items = value if isinstance(value, list) else [value]
            spec = blocks[key]
            if spec.get("max_items") is not None and len(items) > spec["max_items"]:
                failures.append("%s: %s has %d `%s` blocks, at most %d" % (path, where, len(items), key, spec["max_items"]))
            for item in items:
                if not (isinstance(item, dict) and item.get("__is_block__")):
                    failures.append("%s: %s writes block `%s` as an attribute" % (path, where, key))
                    continue
                check_body(kind, name, item, spec, path, where + "." + key, failures)
        else:
            failures.append("%s: %s has `%s`, which the provider's schema does not document" % (path, where, key))
    for key, spec in attributes.items():
        if spec.get("required") and key not in body:
            failures.append("%s: %s lacks required attribute `%s`" % (path, where, key))
    for key, spec in blocks.items():
        if spec.get("required") and key not in body:
            failures.append("%s: %s lacks required block `%s`" % (path, where, key))


def check_folder(folder, failures):
    spec_folder = os.path.dirname(folder)
    files = sorted(glob.glob(os.path.join(folder, "*.tf")))
    parsed = {}
    for path in files:
        text = open(path, encoding="utf-8").read()
        if not text.endswith("\n") or "\t" in text:
            failures.append("%s: not in terraform fmt style (tab or no final newline)" % path)
        for number, line in enumerate(text.split("\n"), 1):
            if line.lstrip().startswith("#"):
                continue
            # A quoted string never spans lines: a raw line break inside one is invalid Terraform, even where
            # python-hcl2 accepts it.
            if line.replace("\\\\", "").replace('\\"', "").count('"') % 2:
                failures.append("%s:%d: a string is not closed on its line" % (path, number))
            if line != line.rstrip() or (len(line) - len(line.lstrip(" "))) % 2:
                failures.append("%s:%d: not in terraform fmt style (trailing space or odd indentation)" % (path, number))
        parsed[path] = (text, hcl2.load(io.StringIO(text)))
    resources, data_sources, variables, used = {}, {}, {}, set()
    # resource and data blocks: the same walk against their own half of the schema table.
    walks = (("resource", "resources", "resource type", "", resources),
             ("data", "data_sources", "data source", "data.", data_sources))
    for path, (text, document) in parsed.items():
        for key, table, noun, prefix, found in walks:
            for entry in document.get(key, []):
                for kind, named in entry.items():
                    for name, body in named.items():
                        kind, name = unquote(kind), unquote(name)
                        schema = SCHEMA[table].get(kind)
                        if schema is None:
                            failures.append("%s: %s %s is not in the provider's schema" % (path, noun, kind))
                            continue
                        check_body(kind, name, body, schema, path, "%s%s.%s" % (prefix, kind, name), failures)
                        found[(kind, name)] = body
        for entry in document.get("variable", []):
            for name, body in entry.items():
                variables[unquote(name)] = body
        used.update(re.findall(r"\bvar\.([A-Za-z_][A-Za-z0-9_]*)", text))
    for name in sorted(used):
        if name not in variables:
            failures.append("%s: var.%s is used but not declared" % (folder, name))
        elif not unquote(variables[name].get("description", "")):
            failures.append("%s: variable %s has no description" % (folder, name))

    # Data actions: one block each, equal to data-actions/*.json.
    actions = {}
    for path in sorted(glob.glob(os.path.join(spec_folder, "data-actions", "*.json"))):
        document = json.load(open(path, encoding="utf-8"))
        actions[document["name"]] = document
    blocks = {unquote(b["name"]): b for (k, _), b in resources.items() if k == "genesyscloud_integration_action"}
    if sorted(blocks) != sorted(actions):
        failures.append("%s: integration actions %s, data-actions/ holds %s" % (folder, sorted(blocks), sorted(actions)))
    for name, document in actions.items():
        block = blocks.get(name)
        if block is None:
            continue
        where = "%s: action %s" % (folder, name)
        if jsonencoded(block["contract_input"]) != document["contract"]["input"]["inputSchema"]:
            failures.append(where + ": contract_input differs from the JSON document")
        if jsonencoded(block["contract_output"]) != document["contract"]["output"]["successSchema"]:
            failures.append(where + ": contract_output differs from the JSON document")
        request = plain(block["config_request"][0])
        response = plain(block["config_response"][0])
        want_request = document["config"]["request"]
        want_response = document["config"]["response"]
        pairs = [
            (request["request_url_template"], want_request["requestUrlTemplate"], "request_url_template"),
            (request["request_type"], want_request["requestType"], "request_type"),
            (request["request_template"], want_request["requestTemplate"], "request_template"),
            (request["headers"], want_request["headers"], "headers"),
            (response["translation_map"], want_response["translationMap"], "translation_map"),
            (response["translation_map_defaults"], want_response["translationMapDefaults"], "translation_map_defaults"),
            (response["success_template"], want_response["successTemplate"], "success_template"),
            (block["secure"], document["secure"], "secure"),
        ]
        for have, want, label in pairs:
            if have != want:
                failures.append("%s: %s is %r, the JSON document has %r" % (where, label, have, want))
        raw = open(os.path.join(folder, "main.tf"), encoding="utf-8").read()
        if re.search(r"(?<!\$)\$\{input\.", raw):
            failures.append(where + ": a Velocity ${ is not written $${")

    # The flow and its substitutions.
    flows = [b for (k, _), b in resources.items() if k == "genesyscloud_flow"]
    if len(flows) != 1:
        failures.append("%s: %d genesyscloud_flow blocks" % (folder, len(flows)))
        return
    flow = flows[0]
    if unquote(flow["filepath"]) != "${path.module}/../flow.yaml":
        failures.append("%s: the flow is not published from ../flow.yaml: %s" % (folder, flow["filepath"]))
    flow_text = open(os.path.join(spec_folder, "flow.yaml"), encoding="utf-8").read()
    placeholders = set(re.findall(r"\{\{(.*?)\}\}", flow_text))
    keys = set(plain(flow["substitutions"]).keys())
    options = yaml.safe_load(open(os.path.join(spec_folder, "archy-options.yaml"), encoding="utf-8"))["substitutions"]
    if keys != placeholders:
        failures.append("%s: substitutions %s, flow placeholders %s" % (folder, sorted(keys), sorted(placeholders)))
    if set(options) != placeholders:
        failures.append("%s: archy-options.yaml %s, flow placeholders %s" % (folder, sorted(options), sorted(placeholders)))
    for name in placeholders:
        if not re.fullmatch(r"[A-Za-z0-9_]+", name):
            failures.append("%s: placeholder %s is not letters, digits and _" % (folder, name))
        default = unquote(variables[name].get("default")) if name in variables else None
        if name in variables and default != options.get(name) and not (default is None and options.get(name) == ""):
            failures.append("%s: variable %s's default differs from archy-options.yaml" % (folder, name))
    if "FindSkill(" in flow_text:
        failures.append("%s: the flow still finds skills at run time (FindSkill)" % folder)

    # The deployment, wired to the flow; authentication; credentials.
    deployments = [b for (k, _), b in resources.items() if k == "genesyscloud_webdeployments_deployment"]
    configurations = [b for (k, _), b in resources.items() if k == "genesyscloud_webdeployments_configuration"]
    if len(deployments) != 1 or len(configurations) != 1:
        failures.append("%s: expected one deployment and one configuration" % folder)
        return
    deployment, configuration = deployments[0], configurations[0]
    if unquote(deployment.get("flow_id")) != "${genesyscloud_flow.flow.id}":
        failures.append("%s: the deployment is not wired to the flow: %s" % (folder, deployment.get("flow_id")))
    if "allowed_domains" not in deployment:
        failures.append("%s: the deployment sets no allowed_domains" % folder)
    settings = plain(configuration["authentication_settings"][0])
    evaluator = json.load(open(os.path.join(spec_folder, "evaluator.json"), encoding="utf-8"))
    guests = evaluator.get("identity", {}).get("guests")
    if settings.get("enabled") is not True or settings.get("integration_id") != "${var.oidc_integration_id}":
        failures.append("%s: authentication_settings %s" % (folder, settings))
    if guests in ("route", "block") and settings.get("allow_session_upgrade") != (guests == "route"):
        failures.append("%s: allow_session_upgrade does not follow guests: %s" % (folder, guests))
    visibility = plain(configuration["messenger"][0]["launcher_button"][0]).get("visibility")
    if guests == "block" and visibility != "OnDemand":
        failures.append("%s: a members-only Messenger needs launcher visibility OnDemand, got %s" % (folder, visibility))
    for (kind, _), body in resources.items():
        if kind == "genesyscloud_integration_credential":
            if unquote(body.get("fields")) != "${var.integration_credential_fields}":
                failures.append("%s: credential fields are not the sensitive variable" % folder)
            declared = variables.get("integration_credential_fields", {})
            if declared.get("sensitive") is not True or "default" in declared:
                failures.append("%s: integration_credential_fields must be sensitive, without a default" % folder)
    return len(resources) + len(data_sources)


def main():
    folders = sorted(glob.glob(os.path.join(ROOT, "Generated", "*", "terraform")))
    folders += sorted(glob.glob(os.path.join(ROOT, "Tests", "ClaimMapEmittersTests", "Fixtures", "*", "expected", "terraform")))
    if not folders:
        print("error: no terraform folders under %s" % ROOT, file=sys.stderr)
        return 1
    failures = []
    blocks = 0
    for folder in folders:
        blocks += check_folder(folder, failures) or 0
    # The checker itself must catch an attribute the provider does not have and a missing required one.
    probe = []
    check_body("resource", "probe", {"name": '"x"', "invented": '"y"'}, SCHEMA["resources"]["genesyscloud_flow"], "probe", "genesyscloud_flow.probe", probe)
    if not any("does not document" in p for p in probe) or not any("lacks required attribute `filepath`" in p for p in probe):
        failures.append("the schema check did not catch an invented attribute and a missing filepath: %s" % probe)
    for failure in failures:
        print("FAIL " + failure)
    print("%d terraform folders, %d resources and data sources checked against provider %s @ %s, %d failures" % (
        len(folders), blocks, SCHEMA["source"]["repository"], SCHEMA["source"]["commit"][:12], len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
