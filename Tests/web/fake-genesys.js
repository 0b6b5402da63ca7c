// A faithful fake of the Genesys Messenger JavaScript SDK for tests, modelled on Genesys's SDK documentation:
//   https://developer.genesys.cloud/commdigital/digital/webmessaging/messengersdk/authenticatedMessenger
//   https://developer.genesys.cloud/commdigital/digital/webmessaging/messengersdk/SDKCommandsEvents/authProviderPlugin
//   https://developer.genesys.cloud/commdigital/digital/webmessaging/messengersdk/SDKCommandsEvents/authPlugin
//   https://developer.genesys.cloud/commdigital/digital/webmessaging/messengersdk/SDKCommandsEvents/databasePlugin
//   https://developer.genesys.cloud/commdigital/digital/webmessaging/messengersdk/SDKCommandsEvents/conversationsPlugin
// (and the other plugin pages under .../messengersdk/SDKCommandsEvents/). Where those pages are silent (delivery by
// setTimeout 0, the envelope of a replayed event, the error for a taken plugin name, when Auth asks for a code) the
// fake follows how genesys.min.js behaves as developers who read it report: an inference, not documentation.
// It provides:
// - the official snippet's `Genesys.q` queue, replayed in FIFO order when the fake "loads", which also replaces
//   the global `Genesys` (calls made through a stored reference to the snippet function are then lost);
// - CXBus semantics: asynchronous delivery (setTimeout 0), the envelope { time, publisher, event, eventName, data },
//   `ready` (and other republished) events replayed to late subscribers without `eventName`;
// - `registerPlugin` rejecting a taken name, plugin objects with registerCommand / command (a Promise) /
//   subscribe / unsubscribe / publish / data / ready;
// - fakes of Auth, Messenger, Launcher, MessagingService and Database that record every call in `log`.
"use strict";

const vm = require("node:vm");

function createPage(options = {}) {
  const log = [];
  const warnings = [];
  const window = {
    console: { warn: (message) => warnings.push(String(message)), log: () => {} },
    setTimeout, clearTimeout, Promise, Object, Array, RegExp, Error, String, JSON,
  };
  window.window = window;
  const context = vm.createContext(window);

  // The official deployment snippet (genesys.min.js is "loaded" later by load()).
  vm.runInContext(`(function (g, e, n, es, ys) {
    g['_genesysJs'] = e;
    g[e] = g[e] || function () { (g[e].q = g[e].q || []).push(arguments) };
    g[e].t = 1 * new Date(); g[e].c = es;
  })(window, 'Genesys', 'https://apps.example/genesys-bootstrap/genesys.min.js', { environment: 'prod', deploymentId: 'test' });`, context);

  const deploymentConfig = {
    auth: { enabled: true, allowSessionUpgrade: options.allowSessionUpgrade ?? false },
    messenger: { launcherButton: { visibility: options.launcherVisibility ?? "OnDemand" } },
    headlessMode: { enabled: false },
  };

  const subscribers = new Map(); // event -> [{ callback, owner }]
  const republished = new Map(); // event -> envelope
  const commands = new Map(); // "Plugin.command" -> handler(e)
  const plugins = new Map();
  const dataModel = {};
  let seq = 0;

  function record(kind, name, data) { log.push({ seq: ++seq, kind, name, data }); }

  function deliver(callback, envelope) { setTimeout(() => callback(envelope), 0); }

  function publish(publisher, name, data, { republish = false } = {}) {
    const envelope = { time: Date.now(), publisher, event: name.split(".").slice(1).join("."), eventName: name, data };
    record("event", name, data);
    if (republish) republished.set(name, envelope);
    for (const subscriber of subscribers.get(name) || []) deliver(subscriber.callback, envelope);
  }

  function subscribe(name, callback, owner) {
    if (!subscribers.has(name)) subscribers.set(name, []);
    subscribers.get(name).push({ callback, owner });
    const last = republished.get(name);
    if (last) {
      const { eventName, ...replay } = last; // a replay to a late subscriber has no eventName
      deliver(callback, replay);
    }
  }

  function runCommand(name, data) {
    record("command", name, data);
    const handler = commands.get(name);
    if (!handler) return Promise.reject(new Error(`command ${name} is not registered`));
    return new Promise((resolve, reject) => {
      try { handler({ data: data || {}, resolve, reject }); } catch (error) { reject(error); }
    });
  }

  function makePlugin(name) {
    const plugin = {
      registerCommand(command, handler) { commands.set(`${name}.${command}`, handler); },
      command(command, data) { return runCommand(command, data); },
      subscribe(event, callback) { subscribe(event, callback, name); },
      unsubscribe(event) {
        const list = subscribers.get(event) || [];
        subscribers.set(event, list.filter((s) => s.owner !== name));
      },
      publish(event, data) { publish(name, `${name}.${event}`, data); },
      data(path, value) {
        if (value !== undefined) dataModel[path] = value;
        return dataModel[path];
      },
      ready() { publish(name, `${name}.ready`, {}, { republish: true }); },
    };
    return plugin;
  }

  function registerPlugin(name, setup) {
    record("registerPlugin", name);
    if (plugins.has(name)) {
      const error = new Error(`Can't register plugin ${name} -- Name is already taken`);
      record("error", name, error.message);
      throw error;
    }
    const plugin = makePlugin(name);
    plugins.set(name, plugin);
    setup(plugin);
    return plugin;
  }

  // The dispatcher genesys.min.js installs as the global Genesys.
  function dispatcher(action, ...args) {
    switch (action) {
      case "command": {
        const [name, data, onResolve, onReject] = args;
        runCommand(name, data).then((value) => onResolve && onResolve(value), (error) => onReject && onReject(error));
        return undefined; // the global form returns no promise
      }
      case "subscribe": subscribe(args[0], args[1], "page"); return undefined;
      case "registerPlugin": registerPlugin(args[0], args[1]); return undefined;
      default: record("unsupported", action); return undefined;
    }
  }

  const state = { authenticated: false, opened: false, conversationStarted: false, customAttributes: {}, codesSeen: [] };

  function builtIns() {
    const auth = registerPlugin("Auth", () => {});
    const messenger = registerPlugin("Messenger", () => {});
    const launcher = registerPlugin("Launcher", () => {});
    const messaging = registerPlugin("MessagingService", () => {});
    const database = registerPlugin("Database", () => {});

    auth.registerCommand("getTokens", (e) => { authenticate().then(e.resolve, e.reject); });
    auth.registerCommand("logout", (e) => {
      state.authenticated = false;
      auth.data("Auth.authenticated", false);
      publish("Auth", "Auth.loggedOut", {});
      e.resolve();
    });
    auth.registerCommand("refreshToken", (e) => e.resolve({}));

    messenger.registerCommand("open", (e) => {
      state.opened = true;
      publish("Messenger", "Messenger.opened", {});
      // Opening the Messenger starts (or restores) the messaging session.
      state.conversationStarted = true;
      publish("MessagingService", "MessagingService.started", { authenticated: state.authenticated, newSession: true });
      e.resolve();
    });
    messenger.registerCommand("close", (e) => { state.opened = false; publish("Messenger", "Messenger.closed", {}); e.resolve(); });
    launcher.registerCommand("show", (e) => {
      if (deploymentConfig.messenger.launcherButton.visibility !== "OnDemand") return e.reject(new Error("Launcher visibility is not OnDemand"));
      publish("Launcher", "Launcher.visible", {}); e.resolve();
    });
    launcher.registerCommand("hide", (e) => {
      if (deploymentConfig.messenger.launcherButton.visibility !== "OnDemand") return e.reject(new Error("Launcher visibility is not OnDemand"));
      publish("Launcher", "Launcher.hidden", {}); e.resolve();
    });
    for (const name of ["startConversation", "sendMessage"]) {
      messaging.registerCommand(name, (e) => { state.conversationStarted = true; e.resolve({}); });
    }
    database.registerCommand("set", (e) => {
      const attributes = (e.data.messaging && e.data.messaging.customAttributes) || {};
      state.customAttributes = Object.assign({}, state.customAttributes, attributes); // shallow merge
      publish("Database", "Database.updated", { messaging: { customAttributes: state.customAttributes } });
      e.resolve(state.customAttributes);
    });
    database.registerCommand("get", (e) => e.resolve(state.customAttributes));
    return { auth };
  }

  // Auth: once AuthProvider is ready, ask it for a code and exchange it. The sequencing is inferred: the
  // authProviderPlugin page says the Auth plugin calls getAuthCode (repeatedly, for the latest code), not when.
  async function authenticate() {
    const code = await runCommand("AuthProvider.getAuthCode", {});
    state.codesSeen.push(code);
    publish("Auth", "Auth.authenticating", { authCode: code.authCode, redirectUri: code.redirectUri });
    const valid = options.exchange ? options.exchange(code) : true;
    if (!valid) {
      publish("Auth", "Auth.authError", { message: "invalid code" });
      throw new Error("invalid code");
    }
    state.authenticated = true;
    dataModel["Auth.authenticated"] = true;
    publish("Auth", "Auth.authenticated", { jwt: "jwt-" + code.authCode, refreshToken: "rt" });
    return code;
  }

  function load() {
    const queued = (window.Genesys && window.Genesys.q) || [];
    publish("GenesysJS", "GenesysJS.configurationReceived", { deploymentConfig, snippetConfig: window.Genesys.c }, { republish: true });
    window.Genesys = dispatcher;
    builtIns();
    for (const name of ["Messenger", "Launcher", "MessagingService", "Database", "Auth"]) {
      publish(name, `${name}.ready`, {}, { republish: true });
    }
    subscribe("AuthProvider.ready", () => { if (options.autoAuthenticate !== false) authenticate().catch(() => {}); }, "Auth");
    for (const args of queued) dispatcher(...Array.from(args));
  }

  return {
    window, log, warnings, state, load,
    run(source) { vm.runInContext(source, context); },
    command: runCommand,
    publish,
    authenticate,
    settle: () => new Promise((resolve) => setTimeout(resolve, 20)),
  };
}

module.exports = { createPage };
