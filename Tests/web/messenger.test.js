// Tests of Generated/<name>/messenger.js against the fake SDK: node --test Tests/web
// (the authentication lifecycle, scenario by scenario for every spec, is in lifecycle.test.js)
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { createPage } = require("./fake-genesys.js");

const root = path.join(__dirname, "..", "..");
const script = (spec) => fs.readFileSync(path.join(root, "Generated", spec, "messenger.js"), "utf8");

function pageFunctions(overrides = {}) {
  let counter = 0;
  const calls = { getAuthCode: 0, signIn: 0, failures: [] };
  return {
    calls,
    ClaimMapPage: {
      getAuthCode: () => {
        calls.getAuthCode += 1;
        counter += 1;
        return Promise.resolve(overrides.code ? overrides.code(counter) : { authCode: `code-${counter}`, redirectUri: "https://shop.example/cb", nonce: `nonce-${counter}` });
      },
      signIn: () => { calls.signIn += 1; return overrides.signIn ? overrides.signIn() : Promise.resolve({ user: "u" }); },
      onAuthFailure: (reason) => calls.failures.push(reason),
    },
  };
}

const index = (log, name) => log.findIndex((entry) => entry.name === name);
// Values made inside the page's VM context have that context's prototypes: compare them as plain JSON.
const plain = (value) => JSON.parse(JSON.stringify(value));

for (const order of ["before", "after"]) {
  test(`gatekeeper (bank, guests blocked): nothing opens, starts or sends before Auth.authenticated — script ${order} the SDK loads`, async () => {
    const page = createPage();
    const { calls, ClaimMapPage } = pageFunctions();
    page.window.ClaimMapPage = ClaimMapPage;
    if (order === "before") { page.run(script("bank")); page.load(); } else { page.load(); page.run(script("bank")); }
    await page.settle();
    const authenticated = index(page.log, "Auth.authenticated");
    assert.ok(authenticated > 0, "the fake authenticated through the AuthProvider plugin");
    for (const name of ["Messenger.open", "Launcher.show", "MessagingService.startConversation", "MessagingService.sendMessage", "MessagingService.started"]) {
      const at = index(page.log, name);
      assert.ok(at === -1 || at > authenticated, `${name} happened before Auth.authenticated`);
    }
    assert.equal(page.log.filter((entry) => entry.name === "Messenger.open").length, 1, "the Messenger is opened exactly once");
    assert.ok(index(page.log, "Launcher.show") > authenticated, "the launcher is shown only after authentication");
    assert.equal(page.state.opened, true);
    assert.equal(calls.getAuthCode, 1);
    assert.deepEqual(page.warnings, []);
  });
}

test("getAuthCode asks the page for a fresh code on every call, with the nonce and optional members", async () => {
  const page = createPage({ autoAuthenticate: false });
  const { calls, ClaimMapPage } = pageFunctions({
    code: (n) => ({ authCode: `fresh-${n}`, redirectUri: "https://shop.example/cb", nonce: "n", codeVerifier: "v".repeat(43), maxAge: 300, iss: "https://idp", extra: "dropped" }),
  });
  page.window.ClaimMapPage = ClaimMapPage;
  page.run(script("retail"));
  page.load();
  await page.settle();
  const first = await page.command("AuthProvider.getAuthCode");
  const second = await page.command("AuthProvider.getAuthCode");
  assert.equal(first.authCode, "fresh-1");
  assert.equal(second.authCode, "fresh-2");
  assert.equal(calls.getAuthCode, 2);
  assert.deepEqual(plain(Object.keys(first).sort()), ["authCode", "codeVerifier", "iss", "maxAge", "nonce", "redirectUri"]);
});

test("a missing nonce is refused when the spec requires it: no authentication, no Messenger", async () => {
  const page = createPage();
  const { ClaimMapPage } = pageFunctions({ code: (n) => ({ authCode: `c-${n}`, redirectUri: "https://shop.example/cb" }) });
  page.window.ClaimMapPage = ClaimMapPage;
  page.run(script("bank"));
  page.load();
  await page.settle();
  await assert.rejects(page.command("AuthProvider.getAuthCode"), /nonce required/);
  assert.equal(index(page.log, "Auth.authenticated"), -1);
  assert.equal(index(page.log, "Messenger.open"), -1);
  assert.ok(page.warnings.some((w) => w.includes("requires the nonce")));
});

test("only declared, valid attributes are set, and only after authentication", async () => {
  const page = createPage({ autoAuthenticate: false });
  const { ClaimMapPage } = pageFunctions();
  page.window.ClaimMapPage = ClaimMapPage;
  page.run(script("bank"));
  page.load();
  await page.settle();
  const result = plain(page.window.ClaimMap.setAttributes({ topic: "cards", tier: "gold", injected: "x" }));
  assert.deepEqual(result.accepted, ["topic"]);
  assert.deepEqual(result.refused.sort(), ["injected", "tier"]);
  const invalid = plain(page.window.ClaimMap.setAttributes({ topic: "cards\"; drop", }));
  assert.deepEqual(invalid.refused, ["topic"]);
  await page.settle();
  assert.equal(index(page.log, "Database.set"), -1, "nothing is sent before authentication");
  await page.authenticate();
  await page.settle();
  const sets = page.log.filter((entry) => entry.name === "Database.set");
  assert.equal(sets.length, 1);
  assert.deepEqual(plain(sets[0].data), { messaging: { customAttributes: { topic: "cards" } } });
  assert.ok(index(page.log, "Database.set") > index(page.log, "Auth.authenticated"));
  assert.equal(page.warnings.length, 3);
});

test("attribute values are checked against enum, pattern and length, and the total stays under the limit", async () => {
  const page = createPage({ autoAuthenticate: false });
  page.window.ClaimMapPage = pageFunctions().ClaimMapPage;
  page.run(script("retail"));
  page.load();
  await page.settle();
  const set = (values) => plain(page.window.ClaimMap.setAttributes(values));
  assert.deepEqual(set({ preferredLanguage: "es" }).refused, ["preferredLanguage"]);
  assert.deepEqual(set({ preferredLanguage: 3 }).refused, ["preferredLanguage"]);
  assert.deepEqual(set({ preferredLanguage: "fr" }).accepted, ["preferredLanguage"]);
});

test("logout and auth errors close the Messenger again and reach onAuthFailure", async () => {
  const page = createPage();
  const { calls, ClaimMapPage } = pageFunctions();
  page.window.ClaimMapPage = ClaimMapPage;
  page.run(script("bank"));
  page.load();
  await page.settle();
  assert.equal(page.state.opened, true);
  await page.command("Auth.logout");
  await page.settle();
  assert.equal(page.state.opened, false);
  assert.deepEqual(calls.failures, ["loggedOut"]);
  page.publish("Auth", "Auth.authError", { message: "bad code" });
  page.publish("Auth", "Auth.tokenError", { message: "expired" });
  await page.settle();
  assert.deepEqual(calls.failures, ["loggedOut", "authError", "tokenError"]);
  assert.ok(page.log.filter((entry) => entry.name === "Messenger.close").length >= 1);
  await page.authenticate();
  await page.settle();
  assert.equal(page.state.opened, true, "signing in again reopens the Messenger");
});

test("a failed sign-in publishes signInFailed and reaches onAuthFailure", async () => {
  const page = createPage({ autoAuthenticate: false });
  const { calls, ClaimMapPage } = pageFunctions({ signIn: () => Promise.reject(new Error("user cancelled")) });
  page.window.ClaimMapPage = ClaimMapPage;
  page.run(script("minimal"));
  page.load();
  await page.settle();
  await assert.rejects(page.command("AuthProvider.signIn"), /user cancelled/);
  await page.settle();
  assert.ok(index(page.log, "AuthProvider.signInFailed") > 0);
  assert.deepEqual(calls.failures, ["signInFailed"]);
});

test("gatekeeper specs register no signIn step-up; a second AuthProvider is refused by the SDK", async () => {
  const page = createPage();
  page.window.ClaimMapPage = pageFunctions().ClaimMapPage;
  page.run(script("bank"));
  page.load();
  await page.settle();
  await assert.rejects(page.command("AuthProvider.signIn"), /not registered/);
  assert.throws(() => page.run(script("bank")), /Name is already taken/);
});

test("the scripts only call the bare global Genesys, never a stored reference", () => {
  for (const spec of ["bank", "minimal", "retail"]) {
    const source = script(spec);
    assert.doesNotMatch(source, /=\s*(window\.)?Genesys\b(?!\s*\()/, `${spec} stores a reference to Genesys`);
    assert.doesNotMatch(source, /window\.Genesys\s*\(/);
    assert.match(source, /^\/\* Generated by claimmap/);
  }
});

test("patterns, lengths and the total size limit (features fixture)", async () => {
  const source = fs.readFileSync(path.join(root, "Tests/ClaimMapEmittersTests/Fixtures/features/expected/messenger.js"), "utf8");
  const page = createPage({ autoAuthenticate: false });
  page.window.ClaimMapPage = pageFunctions().ClaimMapPage;
  page.run(source);
  page.load();
  await page.settle();
  const set = (values) => plain(page.window.ClaimMap.setAttributes(values));
  assert.deepEqual(set({ ref: "AB1234" }).accepted, ["ref"]);
  assert.deepEqual(set({ ref: "ab1234" }).refused, ["ref"], "pattern");
  assert.deepEqual(set({ ref: "AB12345" }).refused, ["ref"], "the pattern is anchored");
  assert.deepEqual(set({ channel: "web" }).accepted, ["channel"]);
  assert.deepEqual(set({ channel: "website" }).refused, ["channel"], "enum");
  assert.deepEqual(set({ planHint: "pro" }).accepted, ["planHint"]);
  await page.authenticate();
  await page.settle();
  const sent = plain(page.log.filter((entry) => entry.name === "Database.set").map((entry) => entry.data.messaging.customAttributes));
  assert.deepEqual(sent, [{ ref: "AB1234", channel: "web", planHint: "pro" }]);
});

test("custom attributes stay under the 2,048-byte budget: a set that would exceed it is refused", async () => {
  const config = { spec: "budget", guests: "route", nonceRequired: true, maxCustomAttributeBytes: 2048,
    attributes: [{ name: "note", enum: null, pattern: null, maxLength: null }, { name: "extra", enum: null, pattern: null, maxLength: null }] };
  const source = script("retail").replace(/var config = \{[\s\S]*?\n  \};/, `var config = ${JSON.stringify(config)};`);
  assert.notEqual(source, script("retail"), "the configuration was replaced");
  const page = createPage({ autoAuthenticate: false });
  page.window.ClaimMapPage = pageFunctions().ClaimMapPage;
  page.run(source);
  page.load();
  await page.settle();
  const set = (values) => plain(page.window.ClaimMap.setAttributes(values));
  assert.deepEqual(set({ note: "é".repeat(1000) }).accepted, ["note"], "4 + 2,000 bytes fit");
  assert.deepEqual(set({ extra: "x".repeat(40) }).refused, ["extra"], "45 more bytes would exceed 2,048");
  assert.deepEqual(set({ extra: "x".repeat(39) }).accepted, ["extra"], "exactly 2,048 bytes fit");
  assert.ok(page.warnings.some((w) => w.includes("over 2048 bytes")));
});
