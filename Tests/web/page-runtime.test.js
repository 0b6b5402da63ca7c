// The page script's fixed JavaScript, Sources/ClaimMapEmitters/PageScript/messenger-runtime.js, checked as a
// JavaScript file of its own: node --test Tests/web. claimmap embeds it at build time (Plugins/EmbedSources) into
// every messenger.js, between the spec's `var config = …;` and the end of one strict-mode function scope; the
// behaviour is run through those messenger.js files in messenger.test.js, lifecycle.test.js and Tests/web/browser.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const root = path.join(__dirname, "..", "..");
const file = path.join(root, "Sources", "ClaimMapEmitters", "PageScript", "messenger-runtime.js");
const source = fs.readFileSync(file, "utf8");

test("parses as strict-mode JavaScript inside a function, as messenger.js wraps it", () => {
  // vm.Script reports a syntax error with its line; strict mode refuses `with`, octal literals, duplicate parameters.
  assert.doesNotThrow(() => new vm.Script(`(function () {\n"use strict";\nvar config = {};\n${source}\n});`, { filename: file }));
});

test("lint: two-space indentation, no tabs, no trailing blanks, lines within 120 columns, one final newline", () => {
  const lines = source.split("\n");
  assert.equal(lines.pop(), "", "the file ends with exactly one newline");
  assert.notEqual(lines[lines.length - 1], "", "no blank line at the end");
  lines.forEach((line, index) => {
    const where = `messenger-runtime.js:${index + 1}`;
    assert.ok(!line.includes("\t"), `${where}: a tab`);
    assert.ok(!/\s$/.test(line), `${where}: trailing white space`);
    assert.ok(line.length <= 120, `${where}: ${line.length} columns`);
    const indent = line.match(/^ */)[0].length;
    assert.ok(line === "" || indent % 2 === 0, `${where}: odd indentation`);
    assert.ok(!/\bconsole\.log\b|\bdebugger\b|\beval\s*\(|new Function\b/.test(line), `${where}: console.log, debugger or eval`);
  });
});

test("lint: no browser global but window and Genesys; the top level runs with only those", () => {
  // The top level runs in a context that defines none of the browser's globals: a name it reads that is neither
  // declared nor given here throws a ReferenceError, naming it. Function bodies run later, in messenger.test.js and
  // the browser; the names below must not appear in them either.
  const context = vm.createContext({ window: {}, Genesys: () => {}, setTimeout: () => 0, clearTimeout: () => {},
    TextEncoder, encodeURIComponent });
  const script = new vm.Script(`(function () {\n"use strict";\nvar config = { spec: "t", guests: "route", nonceRequired: false, maxCustomAttributeBytes: 2048, attributes: [] };\n${source}\n})();`);
  assert.doesNotThrow(() => script.runInContext(context));
  const code = source.replace(/"(?:[^"\\]|\\.)*"|\/\/.*$/gm, "");
  for (const name of ["document", "localStorage", "sessionStorage", "fetch", "XMLHttpRequest", "alert"]) {
    assert.ok(!new RegExp(`(^|[^.\\w$])${name}\\b`).test(code),
      `the page script uses the global ${name}: it reaches the page only through window and Genesys`);
  }
});

test("every Generated/*/messenger.js carries this file verbatim", () => {
  const folders = fs.readdirSync(path.join(root, "Generated")).filter((name) =>
    fs.existsSync(path.join(root, "Generated", name, "messenger.js")));
  assert.ok(folders.length > 0);
  for (const name of folders) {
    const generated = fs.readFileSync(path.join(root, "Generated", name, "messenger.js"), "utf8");
    assert.ok(generated.includes(source.replace(/\n$/, "")), `Generated/${name}/messenger.js differs from the runtime file`);
  }
});
