#!/usr/bin/env python3
"""Every generated routing diagram drawn by the real Mermaid, in headless Chromium.

    python3 Tests/Mermaid/check_diagrams.py .build/debug/claimmap

Draws the ```mermaid block of each Generated/*/README.md, of each emitter fixture's expected README.md, and of a
spec with hostile names and literals compiled for the run, with Mermaid 11 (securityLevel 'strict', as GitHub
draws it). For each diagram: Mermaid parses it; the SVG has one node per node line of the source, each showing
exactly the text its label decodes to (so no spec text ended a label, added a node or became markup); the SVG holds
no <img>, <script>, <a> or event attribute; and, to prove the check can fail, a broken diagram is refused.

Mermaid's browser bundle comes from PyPI: the `mermaidx` 0.10.1 wheel ships Mermaid 11.16.0's single-file build
(mermaidx/assets/mermaid.js; Mermaid is MIT-licensed, mermaid-js/mermaid). It is downloaded once into
.build/mermaid/ and pinned by its SHA-256. Needs Debian's chromium and chromium-driver and PyPI's selenium.
Exit 0 when every diagram passes, 1 when one fails, 2 when the tools are missing.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CACHE = os.path.join(ROOT, ".build", "mermaid")
WHEEL = "mermaidx==0.10.1"
MEMBER = "mermaidx/assets/mermaid.js"
SHA256 = "74d7c46dabca328c2294733910a8aa1ed0c37451776e8d5295da38a2b758fb9b"

NODE = re.compile(r'^  ([A-Za-z0-9]+)(\(\[|\[\[|\[/|\[|\{)"([^"]*)"(\]\)|\]\]|/\]|\]|\})$')
EDGE = re.compile(r"^  ([A-Za-z0-9]+) -->(\|[a-z]+\|)? ([A-Za-z0-9]+)$")

HOSTILE = [
    'x"] --> evil["pwned',
    "a`b```c",
    "<img src=x onerror=alert(1)>",
    "#quot;#35;&amp;",
    "%%{init: {'securityLevel': 'loose'}}%%",
    "end\nclick rule0 call alert()",
    "é✓👋|[x](javascript:alert(1))",
]


def mermaid_js():
    """The pinned Mermaid bundle: from the cache, or downloaded from PyPI and checked."""
    path = os.path.join(CACHE, "mermaid.js")
    if not os.path.isfile(path):
        os.makedirs(CACHE, exist_ok=True)
        with tempfile.TemporaryDirectory() as download:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
                 "-d", download, WHEEL], check=True)
            wheel = [name for name in os.listdir(download) if name.endswith(".whl")][0]
            with zipfile.ZipFile(os.path.join(download, wheel)) as archive:
                with open(path + ".part", "wb") as out:
                    out.write(archive.read(MEMBER))
            os.replace(path + ".part", path)
    with open(path, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    if digest != SHA256:
        os.remove(path)
        raise SystemExit("error: %s has SHA-256 %s, not the pinned %s" % (MEMBER, digest, SHA256))
    return path


def yaml_double(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def hostile_readme(claimmap, workdir):
    """Compiles a spec whose literals and flow name are hostile text; returns its README and the texts."""
    mappings = os.path.join(workdir, "Mappings")
    os.makedirs(mappings)
    lines = [
        "claimmap: 1",
        "flow:",
        "  name: '%s'" % HOSTILE[2].replace("'", "''"),
        "identity:",
        "  discovery: https://id.example/.well-known/openid-configuration",
        "  issuer: https://id.example",
        "  audience: [test-client]",
        "claims:",
        "  sub: { type: string, required: true }",
        "  email: { type: string }",
        "variables:",
        "  Flow.Id: { from: sub }",
        "  Flow.Email: { from: email, default: %s }" % yaml_double(HOSTILE[0]),
    ]
    for index, text in enumerate(HOSTILE):
        lines.append("  Flow.Odd%d: { type: Boolean, expr: %s }" % (index, yaml_double("Flow.Email != " + yaml_double(text))))
    lines.append("routing:")
    for index, text in enumerate(HOSTILE):
        lines += ["  - rule: odd%d" % index, "    when: %s" % yaml_double("Flow.Email == " + yaml_double(text)),
                  "    queue: Odd %d" % index]
    lines += ["  - rule: default", "    queue: General", ""]
    with open(os.path.join(mappings, "hostile.mapping.yaml"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
    result = subprocess.run([os.path.abspath(claimmap), "compile"], cwd=workdir, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit("error: the hostile spec does not compile:\n" + result.stdout + result.stderr)
    with open(os.path.join(workdir, "Generated", "hostile", "README.md"), encoding="utf-8") as handle:
        return handle.read()


def diagram(readme):
    match = re.search(r"```mermaid\n(.*?)\n```\n", readme, re.S)
    return match.group(1) if match else None


def expected_nodes(source):
    """Each node id with the text Mermaid should show: the label's lines, entity codes decoded."""
    nodes = {}
    for line in source.split("\n")[1:]:
        node = NODE.match(line)
        if node:
            parts = node.group(3).split("<br>")
            nodes[node.group(1)] = [re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), part) for part in parts]
        elif not EDGE.match(line):
            raise AssertionError("a line that is neither a node nor an edge: %r" % line)
    return nodes


PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>diagrams</title><script src="mermaid.js"></script>
<script src="sources.js"></script></head>
<body><div id="out"></div><pre id="result">pending</pre>
<script>
(async () => {
  const sources = window.SOURCES;
  const results = [];
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  for (const [index, source] of sources.entries()) {
    const result = {};
    try {
      const { svg } = await mermaid.render('d' + index, source);
      const holder = document.createElement('div');
      holder.innerHTML = svg;
      document.getElementById('out').appendChild(holder);
      result.nodes = {};
      for (const node of holder.querySelectorAll('g.node')) {
        const id = (node.id.match(/flowchart-(.+)-\\d+$/) || [])[1];
        result.nodes[id || node.id] = node.textContent;
      }
      result.forbidden = holder.querySelectorAll('img, script, a, iframe, object, embed').length;
      result.handlers = [...holder.querySelectorAll('*')].filter(
        (e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length;
    } catch (error) {
      result.error = String(error && error.message || error);
    }
    results.push(result);
  }
  let refused = false;
  try { await mermaid.parse('flowchart TD\\n  a["x""] --> '); } catch (error) { refused = true; }
  document.getElementById('result').textContent = JSON.stringify({ results, refused });
})();
</script></body></html>
"""


def squash(text):
    """Whitespace aside (Mermaid wraps and breaks lines), and the zero-width space claimmap puts between a backslash
    and `n` (which Mermaid would otherwise draw as a line break)."""
    return re.sub(r"\s+", "", text.replace("\u200b", ""))


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    claimmap = sys.argv[1]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
    except ImportError:
        print("error: selenium is not installed (pip install selenium)", file=sys.stderr)
        return 2
    bundle = mermaid_js()
    work = tempfile.mkdtemp()
    try:
        readmes = []
        for name in sorted(os.listdir(os.path.join(ROOT, "Generated"))):
            path = os.path.join(ROOT, "Generated", name, "README.md")
            if os.path.isfile(path):
                readmes.append(("Generated/%s/README.md" % name, open(path, encoding="utf-8").read()))
        fixtures = os.path.join(ROOT, "Tests", "ClaimMapEmittersTests", "Fixtures")
        for name in sorted(os.listdir(fixtures)):
            path = os.path.join(fixtures, name, "expected", "README.md")
            if os.path.isfile(path):
                readmes.append(("fixture %s" % name, open(path, encoding="utf-8").read()))
        readmes.append(("hostile spec", hostile_readme(claimmap, os.path.join(work, "hostile"))))
        sources = []
        for label, readme in readmes:
            source = diagram(readme)
            if source is None:
                print("FAIL %s: no ```mermaid block" % label)
                return 1
            sources.append((label, source))
        shutil.copy(bundle, os.path.join(work, "mermaid.js"))
        with open(os.path.join(work, "page.html"), "w", encoding="utf-8") as handle:
            handle.write(PAGE)
        with open(os.path.join(work, "sources.js"), "w", encoding="utf-8") as handle:
            # `<` as \u003c: no source text can close the script.
            handle.write("window.SOURCES = %s;\n" % json.dumps([s for _, s in sources]).replace("<", "\\u003c"))
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                         "--allow-file-access-from-files"):
            options.add_argument(argument)
        try:
            driver = webdriver.Chrome(
                service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
        except Exception as error:  # noqa: BLE001 - any start failure means the tools are missing
            print("error: cannot start headless Chromium: %s" % error, file=sys.stderr)
            return 2
        try:
            driver.get("file://" + os.path.join(work, "page.html"))
            text = "pending"
            for _ in range(300):
                text = driver.find_element(By.ID, "result").text
                if text != "pending":
                    break
                time.sleep(0.2)
        finally:
            driver.quit()
        if text == "pending":
            print("FAIL: Mermaid did not finish within 60 s")
            return 1
        report = json.loads(text)
        failures = 0
        for (label, source), result in zip(sources, report["results"]):
            problems = []
            if "error" in result:
                problems.append("Mermaid refused it: %s" % result["error"])
            else:
                want = expected_nodes(source)
                got = result["nodes"]
                if sorted(got) != sorted(want):
                    problems.append("nodes drawn %s, nodes written %s" % (sorted(got), sorted(want)))
                for node, parts in want.items():
                    if node in got and squash(got[node]) != squash("".join(parts)):
                        problems.append("node %s shows %r, not %r" % (node, got[node], "".join(parts)))
                if result["forbidden"] or result["handlers"]:
                    problems.append("markup in the SVG: %d elements, %d handlers" % (result["forbidden"], result["handlers"]))
            if problems:
                failures += 1
                print("FAIL %s" % label)
                for problem in problems:
                    print("  " + problem)
            else:
                print("ok   %s: %d nodes drawn, each with exactly its label" % (label, len(result["nodes"])))
        if not report["refused"]:
            failures += 1
            print("FAIL: Mermaid accepted a broken diagram, so this check proves nothing")
        print("%d diagrams, %d failed (Mermaid 11.16.0, securityLevel strict)" % (len(sources), failures))
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
