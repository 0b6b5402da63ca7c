// The fake Messenger SDK (fake-sdk.js) in a Node vm context standing in for a page: the official snippet runs first,
// `load()` plays genesys.min.js arriving, `run(source)` runs a page script. The browser tests (Tests/web/browser/)
// load the same fake-sdk.js in Chromium.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const fakeSDK = fs.readFileSync(path.join(__dirname, "fake-sdk.js"), "utf8");

// A Storage with the Web Storage methods the fake uses; pass the same one to two pages to model a reload.
function memoryStorage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => { items.set(key, String(value)); },
    removeItem: (key) => { items.delete(key); },
  };
}

function createPage(options = {}) {
  const warnings = [];
  const storage = options.storage || memoryStorage();
  const href = options.href || "https://shop.example/account";
  let pendingTimers = 0;
  const window = {
    console: { warn: (message) => warnings.push(String(message)), log: () => {} },
    location: { href },
    // Counted, so that settle() can wait until every delivery and what it started has run.
    setTimeout: (callback, ms) => { pendingTimers += 1; return setTimeout(() => { pendingTimers -= 1; callback(); }, ms); },
    clearTimeout, Promise, Object, Array, RegExp, Error, String, JSON, Date,
  };
  window.window = window;
  const context = vm.createContext(window);

  // The official deployment snippet (genesys.min.js is "loaded" later by load()).
  vm.runInContext(`(function (g, e, n, es, ys) {
    g['_genesysJs'] = e;
    g[e] = g[e] || function () { (g[e].q = g[e].q || []).push(arguments) };
    g[e].t = 1 * new Date(); g[e].c = es;
  })(window, 'Genesys', 'https://apps.example/genesys-bootstrap/genesys.min.js', { environment: 'prod', deploymentId: 'test' });`, context);
  vm.runInContext(fakeSDK, context, { filename: "fake-sdk.js" });

  const page = {
    window, warnings, storage,
    sdk: null,
    // What the fake recorded; empty until genesys.min.js "loads".
    get log() { return page.sdk ? page.sdk.log : []; },
    get state() { return page.sdk ? page.sdk.state : {}; },
    load() {
      page.sdk = window.FakeGenesysSDK.install(window, Object.assign({}, options, { storage }));
    },
    run(source) { vm.runInContext(source, context); },
    command: (name, data) => page.sdk.command(name, data),
    publish: (publisher, name, data) => page.sdk.publish(publisher, name, data),
    authenticate: () => page.sdk.authenticate(),
    // Resolves once the page is quiet: no delivery pending for two turns in a row (at most 2 s).
    async settle() {
      let quiet = 0;
      for (let turn = 0; turn < 2000 && quiet < 2; turn++) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        quiet = pendingTimers === 0 ? quiet + 1 : 0;
      }
    },
  };
  return page;
}

module.exports = { createPage, memoryStorage };
