// Genesys's authentication lifecycle, scenario by scenario, for every generated page script (both identity.guests
// modes): node --test Tests/web. The same scenarios run in headless Chromium (Tests/web/browser/).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { createPage, memoryStorage } = require("./fake-genesys.js");

const root = path.join(__dirname, "..", "..");

// Every example spec's script, and the emitter fixtures (one per mode at least).
function scripts() {
  const found = [];
  const generated = path.join(root, "Generated");
  for (const name of fs.readdirSync(generated).sort()) {
    const file = path.join(generated, name, "messenger.js");
    if (fs.existsSync(file)) found.push({ name, source: fs.readFileSync(file, "utf8") });
  }
  const fixtures = path.join(root, "Tests", "ClaimMapEmittersTests", "Fixtures");
  for (const name of fs.readdirSync(fixtures).sort()) {
    const file = path.join(fixtures, name, "expected", "messenger.js");
    if (fs.existsSync(file)) found.push({ name: `fixture ${name}`, source: fs.readFileSync(file, "utf8") });
  }
  return found.map((script) => {
    const config = JSON.parse(/var config = (\{[\s\S]*?\n {2}\});/.exec(script.source)[1]);
    return Object.assign(script, { config, guests: config.guests });
  });
}
const all = scripts();
assert.ok(all.some((s) => s.guests === "block") && all.some((s) => s.guests === "route"), "both modes are covered");
assert.ok(all.filter((s) => !s.name.startsWith("fixture")).length >= 3, "every example spec is covered");

// A valid value for one declared attribute, when the spec has one with an enum.
function sampleAttribute(config) {
  const attribute = config.attributes.find((a) => Array.isArray(a.enum));
  return attribute ? { [attribute.name]: attribute.enum[0] } : null;
}

// The web page's side: ClaimMapPage as a real page writes it. `code` is what the URL holds (null: anonymous);
// signIn either navigates (records it, returns nothing), resolves a popup's code, or rejects.
function makePage(options = {}) {
  let issued = 0;
  const calls = { getAuthCode: 0, signIn: 0, navigations: 0, failures: [] };
  const nextCode = () => ({ authCode: `popup-${++issued}`, redirectUri: "https://shop.example/account", nonce: `n-popup-${issued}` });
  const ClaimMapPage = {
    getAuthCode() {
      calls.getAuthCode += 1;
      if (options.code === undefined || options.code === null) return Promise.resolve(options.nullShape === "object" ? { authCode: null, redirectUri: "https://shop.example/account" } : null);
      return Promise.resolve(Object.assign({ redirectUri: "https://shop.example/account", nonce: `n-${options.code}` }, options.extra || {}, { authCode: options.code }));
    },
    signIn() {
      calls.signIn += 1;
      switch (options.signIn || "redirect") {
        case "redirect": calls.navigations += 1; return undefined;
        case "popup": return Promise.resolve(nextCode());
        case "no-code": return Promise.resolve({ user: "u" });
        default: return Promise.reject(new Error("user cancelled"));
      }
    },
    onAuthFailure(reason) { calls.failures.push(reason); },
  };
  return { calls, ClaimMapPage };
}

function start(script, pageOptions = {}, sdkOptions = {}) {
  const page = createPage(Object.assign({ allowSessionUpgrade: script.guests === "route", launcherVisibility: script.guests === "block" ? "OnDemand" : "On" }, sdkOptions));
  const { calls, ClaimMapPage } = makePage(pageOptions);
  page.window.ClaimMapPage = ClaimMapPage;
  page.run(script.source);
  if (pageOptions.attributes) page.window.ClaimMap.setAttributes(pageOptions.attributes);
  page.load();
  return { page, calls };
}

const named = (log, name) => log.filter((entry) => entry.name === name);
const at = (log, name) => log.findIndex((entry) => entry.name === name);
const plain = (value) => JSON.parse(JSON.stringify(value));
const settled = (promise) => Promise.race([promise.then(() => "resolved", () => "rejected"), new Promise((r) => setTimeout(() => r("pending"), 30))]);

for (const script of all) {
  const block = script.guests === "block";
  const attribute = sampleAttribute(script.config);

  test(`${script.name} (${script.guests}): back from the IdP with ?code=, signedIn {authCode} is published once, before ready, and the code is exchanged`, async () => {
    const { page, calls } = start(script, { code: "c-redirect", attributes: attribute || undefined });
    await page.settle();
    const signedIn = named(page.log, "AuthProvider.signedIn");
    assert.equal(signedIn.length, 1, "signedIn exactly once");
    assert.deepEqual(plain(signedIn[0].data), { authCode: "c-redirect" });
    assert.ok(at(page.log, "AuthProvider.signedIn") < at(page.log, "AuthProvider.ready"), "announced before AuthProvider.ready, as Genesys's sample does");
    assert.deepEqual(plain(page.state.codesSeen.map((c) => c.authCode)), ["c-redirect"], "the code was exchanged once");
    assert.equal(page.state.codesSeen[0].nonce, "n-c-redirect");
    assert.equal(calls.getAuthCode, 1, "the code read at load answers Genesys's first getAuthCode");
    assert.ok(at(page.log, "Auth.authenticated") > 0);
    assert.deepEqual(calls.failures, []);
    if (block) {
      assert.equal(named(page.log, "Messenger.open").length, 1);
      assert.ok(at(page.log, "Messenger.open") > at(page.log, "Auth.authenticated"));
    } else {
      assert.equal(at(page.log, "Messenger.open"), -1, "guests routed: the script does not open the Messenger");
    }
    if (attribute) {
      const sets = named(page.log, "Database.set");
      assert.equal(sets.length, 1);
      assert.deepEqual(plain(sets[0].data), { messaging: { customAttributes: attribute } });
      assert.ok(at(page.log, "Database.set") > at(page.log, "Auth.authenticated"), "attributes only once authenticated");
    }
    assert.deepEqual(page.warnings, []);
  });

  for (const outcome of ["Auth.authError", "Auth.error", "Auth.authProviderError", "none"]) {
    test(`${script.name} (${script.guests}): an anonymous view (no code) is not a failure, whatever Genesys does (${outcome})`, async () => {
      const { page, calls } = start(script, { code: null, attributes: attribute || undefined }, { anonymousOutcome: outcome });
      await page.settle();
      assert.equal(at(page.log, "AuthProvider.signedIn"), -1, "no signedIn without a code");
      assert.deepEqual(plain(page.state.codesSeen), [{ authCode: "", redirectUri: "https://shop.example/account" }], "Genesys's sample answers an empty code");
      assert.deepEqual(calls.failures, [], "never reported to the page as a failure");
      assert.equal(at(page.log, "Database.set"), -1, "no attributes for a guest");
      if (block) {
        assert.equal(at(page.log, "Messenger.open"), -1);
        assert.equal(page.state.launcherVisible, false);
      } else {
        assert.equal(at(page.log, "Launcher.hide"), -1, "guests are served: the launcher is not hidden");
      }
    });
  }

  test(`${script.name} (${script.guests}): getAuthCode resolving {authCode: null} is an anonymous view too`, async () => {
    const { page, calls } = start(script, { code: null, nullShape: "object" });
    await page.settle();
    assert.equal(page.state.codesSeen[0].authCode, "");
    assert.deepEqual(calls.failures, []);
  });

  test(`${script.name} (${script.guests}): a reload with stored Messenger tokens counts as authenticated from Auth.ready`, async () => {
    const storage = memoryStorage();
    const first = createPage({ storage, allowSessionUpgrade: !block });
    first.window.ClaimMapPage = makePage({ code: "c-first" }).ClaimMapPage;
    first.run(script.source);
    first.load();
    await first.settle();
    assert.ok(first.sdk.storedTokens(), "the first load stored Messenger tokens");

    const { page, calls } = start(script, { code: null, attributes: attribute || undefined }, { storage });
    await page.settle();
    assert.equal(at(page.log, "AuthProvider.getAuthCode"), -1, "no code is asked for");
    assert.equal(at(page.log, "Auth.authenticated"), -1, "and Auth publishes no authenticated event");
    assert.deepEqual(calls.failures, []);
    if (block) {
      assert.equal(named(page.log, "Messenger.open").length, 1, "the members-only Messenger opens");
      assert.equal(page.state.launcherVisible, true);
    }
    if (attribute) assert.deepEqual(plain(named(page.log, "Database.set")[0].data), { messaging: { customAttributes: attribute } }, "pending attributes are sent");
  });

  test(`${script.name} (${script.guests}): forceUpdate with a popup login hands Genesys the new code, never the spent one`, async () => {
    const { page, calls } = start(script, { code: "c-old", signIn: "popup" });
    await page.settle();
    const outcome = await page.sdk.forceUpdate();
    await page.settle();
    assert.equal(calls.signIn, 1, "forceUpdate starts a new login");
    assert.equal(outcome.authCode, "popup-1");
    assert.deepEqual(plain(page.state.codesSeen.map((c) => c.authCode)), ["c-old", "popup-1"]);
    assert.equal(named(page.log, "Auth.authenticated").length, 2);
    assert.deepEqual(calls.failures, []);
    // The page's URL still holds the spent code: a later request never hands it back.
    await assert.rejects(page.command("AuthProvider.getAuthCode"), /already used/);
    const again = await page.command("AuthProvider.getAuthCode").catch((e) => e);
    assert.match(String(again), /already used/);
  });

  test(`${script.name} (${script.guests}): forceUpdate with a redirect login leaves the command pending while the page navigates`, async () => {
    const { page, calls } = start(script, { code: "c-old", signIn: "redirect" });
    await page.settle();
    const outcome = await settled(page.sdk.forceUpdate());
    assert.equal(outcome, "pending");
    assert.equal(calls.navigations, 1);
    assert.deepEqual(plain(page.state.codesSeen.map((c) => c.authCode)), ["c-old"], "the spent code is not handed back");
    assert.deepEqual(calls.failures, []);
  });

  test(`${script.name} (${script.guests}): an error before Genesys asks for a code is not a failure on an anonymous view`, async () => {
    const { page, calls } = start(script, { code: null }, { autoAuthenticate: false });
    await page.settle();
    assert.equal(at(page.log, "AuthProvider.getAuthCode"), -1, "Genesys has not asked yet");
    page.publish("Auth", "Auth.authError", { message: "no session" });
    await page.settle();
    assert.deepEqual(calls.failures, []);
  });

  test(`${script.name} (${script.guests}): a first getAuthCode with forceUpdate never hands back the code announced at load`, async () => {
    const { page, calls } = start(script, { code: "c-announced", signIn: "popup" }, { autoAuthenticate: false });
    await page.settle();
    assert.equal(named(page.log, "AuthProvider.signedIn").length, 1);
    const forced = await page.command("AuthProvider.getAuthCode", { forceUpdate: true });
    assert.equal(forced.authCode, "popup-1");
    page.publish("Auth", "Auth.authenticated", {});
    await page.settle();
    await assert.rejects(page.command("AuthProvider.getAuthCode"), /already used/, "the page still holds c-announced");
    assert.equal(calls.signIn, 1);
  });

  test(`${script.name} (${script.guests}): forceUpdate whose login fails reports signInFailed`, async () => {
    const { page, calls } = start(script, { code: "c-old", signIn: "reject" });
    await page.settle();
    await assert.rejects(page.sdk.forceUpdate(), /user cancelled/);
    await page.settle();
    assert.deepEqual(calls.failures, ["signInFailed"]);
  });

  test(`${script.name} (${script.guests}): reAuthenticate resolves after a popup login and stays pending for a redirect`, async () => {
    const popup = start(script, { code: "c-1", signIn: "popup" });
    await popup.page.settle();
    assert.equal(await settled(popup.page.sdk.reAuthenticate()), "resolved");
    assert.equal((await popup.page.command("AuthProvider.getAuthCode")).authCode, "popup-1", "the next code is the new login's");
    const redirect = start(script, { code: "c-1", signIn: "redirect" });
    await redirect.page.settle();
    assert.equal(await settled(redirect.page.sdk.reAuthenticate()), "pending");
    assert.equal(redirect.calls.navigations, 1);
  });

  for (const [event, reason] of [["Auth.loggedOut", "loggedOut"], ["Auth.authError", "authError"], ["Auth.tokenError", "tokenError"], ["Auth.authProviderError", "authProviderError"], ["Auth.error", "error"]]) {
    test(`${script.name} (${script.guests}): ${event} reaches onAuthFailure("${reason}")${block ? " and closes the Messenger" : ""}`, async () => {
      const { page, calls } = start(script, { code: "c-1" });
      await page.settle();
      assert.ok(at(page.log, "Auth.authenticated") > 0);
      if (event === "Auth.loggedOut") await page.command("Auth.logout");
      else page.publish("Auth", event, { message: "from Genesys" });
      await page.settle();
      assert.deepEqual(calls.failures, [reason]);
      if (block) {
        assert.equal(page.state.opened, false);
        assert.ok(named(page.log, "Messenger.close").length >= 1);
        assert.equal(page.state.launcherVisible, false);
      } else {
        assert.equal(at(page.log, "Messenger.close"), -1, "guests routed: the Messenger stays");
      }
    });
  }

  if (block) {
    test(`${script.name} (block): no signIn step-up is registered`, async () => {
      const { page } = start(script, { code: null });
      await page.settle();
      await assert.rejects(page.command("AuthProvider.signIn"), /not registered/);
    });
  } else {
    test(`${script.name} (route): step-up with a popup publishes signedIn with the code, and the conversation is upgraded`, async () => {
      const { page, calls } = start(script, { code: null, signIn: "popup" });
      await page.settle();
      await page.command("Messenger.open"); // the guest starts a conversation
      const stepped = page.sdk.stepUp();
      await page.settle();
      assert.equal(await settled(stepped), "resolved");
      const signedIn = named(page.log, "AuthProvider.signedIn");
      assert.equal(signedIn.length, 1);
      assert.deepEqual(plain(signedIn[0].data), { authCode: "popup-1" });
      assert.equal(page.state.codesSeen.at(-1).authCode, "popup-1", "Genesys's getAuthCode gets the popup's code");
      assert.equal(page.state.authenticatedSession, true);
      assert.ok(at(page.log, "MessagingService.steppedUpConversation") > 0);
      assert.deepEqual(calls.failures, []);
    });

    test(`${script.name} (route): step-up by redirect publishes nothing before the page navigates`, async () => {
      const { page, calls } = start(script, { code: null, signIn: "redirect" });
      await page.settle();
      await page.command("Messenger.open");
      assert.equal(await settled(page.command("AuthProvider.signIn")), "pending");
      assert.equal(calls.navigations, 1);
      assert.equal(at(page.log, "AuthProvider.signedIn"), -1);
      assert.equal(at(page.log, "AuthProvider.signInFailed"), -1);
      assert.deepEqual(calls.failures, []);
    });

    for (const how of ["reject", "no-code"]) {
      test(`${script.name} (route): a step-up whose signIn ${how === "reject" ? "rejects" : "resolves no code"} publishes signInFailed`, async () => {
        const { page, calls } = start(script, { code: null, signIn: how });
        await page.settle();
        await assert.rejects(page.command("AuthProvider.signIn"));
        await page.settle();
        assert.equal(at(page.log, "AuthProvider.signedIn"), -1);
        assert.equal(named(page.log, "AuthProvider.signInFailed").length, 1);
        assert.deepEqual(calls.failures, ["signInFailed"]);
      });
    }
  }

  test(`${script.name} (${script.guests}): a code without the required nonce is neither announced nor handed out`, async () => {
    if (!script.config.nonceRequired) return;
    const { page, calls } = start(script, { code: "c-1", extra: { nonce: undefined } });
    await page.settle();
    assert.equal(at(page.log, "AuthProvider.signedIn"), -1);
    assert.equal(at(page.log, "Auth.authenticated"), -1);
    assert.ok(page.warnings.some((w) => w.includes("nonce required")));
    assert.equal(calls.failures.length, 0);
  });
}
