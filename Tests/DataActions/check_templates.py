#!/usr/bin/env python3
"""Every generated data action's response, rendered as Genesys renders it, against its own output contract.

    python3 Tests/DataActions/check_templates.py [ROOT]

For each data action under Generated/*/data-actions/ and the emitter fixtures' expected outputs, and for each
output field and type, a backend response is made with the field present, absent and JSON null (the other fields
present). Genesys's response step is then played: the translation map's JSONPath resolves each field (a path that
fails to resolve takes its translationMapDefaults value; "Null values do not fall back to defaults", Genesys help,
"Response configuration for data actions"), each value becomes its JSON text, and the success template is rendered
by a Velocity subset (formal `${x}` writes the reference itself for a null, silent `$!{x}` writes nothing: help,
"Velocity macros for data actions"). Because Genesys does not document whether a missing or null value reaches the
template as the text `null` or as no value, both readings are rendered and must agree.

The rendered text must parse as JSON and validate against the action's successSchema with a JSON Schema draft-04
validator (PyPI jsonschema); a present field must arrive with its value, an absent or null one must be left out, so
the flow sees it NOT_SET (an empty collection) and keeps the spec's default. The flow must agree: each enrichment
output lands in a task variable that flow.yaml tests with IsSet (a scalar) or Count(x) > 0 (a collection) before it
replaces the default.

Exit 0 when every case holds, 1 otherwise. The Velocity subset refuses any directive or reference it does not know,
so a change to the emitted templates cannot pass by being ignored.
"""

import glob
import json
import os
import re
import sys

import jsonschema
import yaml

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))

NULL = object()  # Java null in the Velocity context


class TemplateError(Exception):
    pass


def interpolate(text, context):
    """A Velocity string literal's interpolation: ${x} and $!{x}."""
    def replace(match):
        silent, name = match.group(1) == "!", match.group(2)
        if name not in context:
            raise TemplateError("unknown reference %s" % match.group(0))
        value = context[name]
        if value is NULL:
            return "" if silent else match.group(0)
        return value
    return re.sub(r"\$(!?)\{([A-Za-z][A-Za-z0-9_-]*)\}", replace, text)


def condition(text, context):
    """`"..." != "..."` (or ==) joined by &&."""
    result = True
    for part in text.split("&&"):
        match = re.fullmatch(r'\s*"((?:[^"\\]|\\.)*)"\s*(!=|==)\s*"((?:[^"\\]|\\.)*)"\s*', part)
        if not match:
            raise TemplateError("unsupported condition %r" % part)
        left, right = interpolate(match.group(1), context), interpolate(match.group(3), context)
        result = result and ((left != right) if match.group(2) == "!=" else (left == right))
    return result


def render(template, context):
    """The Velocity subset the emitter uses: #set($v = "lit"), #if(cond)...#end, ${x}, $!{x}, plain text."""
    context = dict(context)
    out = []
    stack = []  # whether each open #if is taken
    position = 0
    token = re.compile(r'#set\(\$([A-Za-z]\w*) = "((?:[^"\\]|\\.)*)"\)|#if\(((?:[^()"]|"(?:[^"\\]|\\.)*")*)\)|#end|\$(!?)\{([A-Za-z][A-Za-z0-9_-]*)\}|[#$]')
    for match in token.finditer(template):
        text = template[position:match.start()]
        position = match.end()
        live = all(stack)
        if live:
            out.append(text)
        whole = match.group(0)
        if whole in ("#", "$"):
            raise TemplateError("unsupported Velocity at %r" % template[match.start():match.start() + 20])
        if whole.startswith("#set"):
            if live:
                context[match.group(1)] = interpolate(match.group(2), context)
        elif whole.startswith("#if"):
            stack.append(live and condition(match.group(3), context))
        elif whole == "#end":
            if not stack:
                raise TemplateError("#end without #if")
            stack.pop()
        elif live:
            out.append(interpolate(whole, context))
    if stack:
        raise TemplateError("#if without #end")
    out.append(template[position:])
    return "".join(out)


def resolve(path, document):
    """A JSONPath `$.a.b` (the only form the emitter writes); (found, value)."""
    if not re.fullmatch(r"\$(\.[A-Za-z_][A-Za-z0-9_-]*)+", path):
        raise TemplateError("unsupported JSONPath %r" % path)
    value = document
    for name in path[2:].split("."):
        if not isinstance(value, dict) or name not in value:
            return False, None
        value = value[name]
    return True, value


def context_for(response, translation_map, defaults, null_reading):
    """Genesys's response step: each field's JSON text, or the default's, or a null read as `null_reading`."""
    context = {}
    for field, path in translation_map.items():
        found, value = resolve(path, response)
        if not found:
            if field not in defaults:
                raise TemplateError("%s has no translationMapDefaults: the action would fail when it is missing" % field)
            text = defaults[field]
            context[field] = NULL if (text == "null" and null_reading is NULL) else text
        elif value is None:
            context[field] = null_reading
        else:
            context[field] = json.dumps(value, ensure_ascii=False)
    return context


def sample(schema):
    kind = schema.get("type")
    if kind == "string":
        return schema["enum"][0] if "enum" in schema else 'a "quoted" value \\ ü'
    if kind == "integer":
        return 7
    if kind == "number":
        return 2.5
    if kind == "boolean":
        return False
    if kind == "array":
        return [sample(schema.get("items", {"type": "string"}))]
    if kind == "object":
        return {"k": "v"}
    raise TemplateError("no sample for schema %r" % schema)


def bound_outputs(flow, action_name):
    """field -> variable for every callData of this action in the flow (parsed YAML)."""
    found = {}
    def walk(node):
        if isinstance(node, dict):
            call = node.get("callData")
            if isinstance(call, dict):
                for category in (call.get("category") or {}).values():
                    for name, body in ((category or {}).get("dataAction") or {}).items():
                        if name == action_name:
                            for field, target in ((body or {}).get("successOutputs") or {}).items():
                                found[field] = target.get("var")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(flow)
    return found


def flow_tests(flow_text, temporary, collection):
    """Whether flow.yaml replaces a default only after testing this output's task variable."""
    test = ("Count(%s) > 0" % temporary) if collection else ("IsSet(%s)" % temporary)
    return ("If(%s, " % test) in flow_text


def check(path, failures):
    with open(path, encoding="utf-8") as handle:
        action = json.load(handle)
    response = action["config"]["response"]
    translation_map = response["translationMap"]
    defaults = response["translationMapDefaults"]
    template = response["successTemplate"]
    schema = action["contract"]["output"]["successSchema"]
    properties = schema.get("properties", {})
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema)
    folder = os.path.dirname(os.path.dirname(path))
    flow_path = os.path.join(folder, "flow.yaml")
    flow_text = open(flow_path, encoding="utf-8").read() if os.path.exists(flow_path) else ""
    bound = bound_outputs(yaml.safe_load(flow_text), action["name"]) if flow_text else {}
    cases = 0
    checked_bindings = []
    full = {field: sample(properties[field]) for field in translation_map}
    for field in translation_map:
        if field not in properties:
            failures.append("%s: %s is mapped but not in the output contract" % (path, field))
            continue
        for variant in ("present", "absent", "null"):
            backend = dict(full)
            if variant == "absent":
                del backend[field]
            elif variant == "null":
                backend[field] = None
            outputs = []
            for reading in (NULL, "null"):
                try:
                    text = render(template, context_for(backend, translation_map, defaults, reading))
                except TemplateError as error:
                    failures.append("%s: %s" % (path, error))
                    return cases, len(checked_bindings)
                try:
                    document = json.loads(text)
                except ValueError as error:
                    failures.append("%s, %s %s: the template renders invalid JSON (%s): %s" % (path, field, variant, error, text))
                    continue
                problems = [e.message for e in validator.iter_errors(document)]
                if problems:
                    failures.append("%s, %s %s: breaks the output contract: %s" % (path, field, variant, problems))
                if variant == "present" and document.get(field, NULL) != full[field]:
                    failures.append("%s, %s present: arrived as %r, sent %r" % (path, field, document.get(field), full[field]))
                if variant != "present" and field in document:
                    failures.append("%s, %s %s: arrived as %r; it must be left out so the default applies" % (path, field, variant, document[field]))
                others = {k: v for k, v in full.items() if k != field}
                if any(document.get(k, NULL) != v for k, v in others.items()):
                    failures.append("%s, %s %s: the other fields were lost: %s" % (path, field, variant, text))
                outputs.append(text)
                cases += 1
            if len(outputs) == 2 and outputs[0] != outputs[1]:
                failures.append("%s, %s %s: the two readings of a missing value render differently" % (path, field, variant))
        if field in bound:
            # The flow reads this output: into a task variable, tested before it replaces the default.
            temporary = bound[field] or ""
            if not temporary.startswith("Task."):
                failures.append("%s: flow.yaml binds %s straight to %s: a missing field would overwrite its default" % (path, field, temporary))
            elif not flow_tests(flow_text, temporary, properties[field].get("type") == "array"):
                failures.append("%s: flow.yaml does not test %s before it replaces the default" % (path, temporary))
            checked_bindings.append(field)
    return cases, len(checked_bindings)


def main():
    paths = sorted(glob.glob(os.path.join(ROOT, "Generated", "*", "data-actions", "*.json")))
    paths += sorted(glob.glob(os.path.join(ROOT, "Tests", "ClaimMapEmittersTests", "Fixtures", "*", "expected", "data-actions", "*.json")))
    if not paths:
        print("error: no data actions found under %s" % ROOT, file=sys.stderr)
        return 1
    failures = []
    results = [check(path, failures) for path in paths]
    cases = sum(c for c, _ in results)
    bindings = sum(b for _, b in results)
    if bindings == 0:
        failures.append("no flow binding of a data-action output was checked: the flow agreement check found nothing")
    # The checker itself: a template that writes null for a missing field must be caught.
    probe = []
    old = {"config": {"response": {"translationMap": {"a": "$.a"}, "translationMapDefaults": {"a": "null"},
                                   "successTemplate": '{"a": ${a}}'}},
           "contract": {"output": {"successSchema": {"type": "object", "properties": {"a": {"type": "string"}}}}},
           "name": "probe"}
    probe_path = os.path.join(ROOT, ".build", "probe-data-action", "data-actions", "probe.json")
    os.makedirs(os.path.dirname(probe_path), exist_ok=True)
    with open(probe_path, "w", encoding="utf-8") as handle:
        json.dump(old, handle)
    check(probe_path, probe)
    if not any("breaks the output contract" in p or "left out" in p for p in probe):
        failures.append("the checker did not catch a template that writes null for a missing string")
    for failure in failures:
        print("FAIL " + failure)
    print("%d data actions, %d rendered cases (each field present, absent and null, two readings of null), "
          "%d flow bindings tested before they replace a default, %d failures" % (len(paths), cases, bindings, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
