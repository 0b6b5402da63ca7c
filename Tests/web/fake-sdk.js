// A faithful fake of the Genesys Messenger JavaScript SDK (genesys.min.js) for tests. It runs as a classic script in a
// browser (Tests/web/browser/) and inside a Node vm context (Tests/web/fake-genesys.js), and defines
// window.FakeGenesysSDK.install(window, options), which does what genesys.min.js does when it loads.
//
// Modelled on Genesys's SDK documentation:
//   https://developer.genesys.cloud/commdigital/digital/webmessaging/messengersdk/authenticatedMessenger
//   https://developer.genesys.cloud/commdigital/digital/webmessaging/messengersdk/SDKCommandsEvents/authProviderPlugin
//   https://developer.genesys.cloud/commdigital/digital/webmessaging/messengersdk/SDKCommandsEvents/authPlugin
//   https://developer.genesys.cloud/commdigital/digital/webmessaging/messengersdk/SDKCommandsEvents/databasePlugin
//   https://developer.genesys.cloud/commdigital/digital/webmessaging/messengersdk/SDKCommandsEvents/messagingServicePlugin
// and on Genesys's AuthProvider sample (GenesysCloudBlueprints/messenger-authentication-okta-integration-blueprint,
// docs/oauth.html), which shows forceUpdate, Auth.ready with data('Auth.authenticated'), Auth.error, and signedIn
// published on load after the IdP's redirect. Where those are silent (delivery by setTimeout 0, the envelope of a
// replayed event, the error for a taken plugin name, when Auth asks for a code, what it does with an empty code) the
// fake follows how genesys.min.js behaves as developers who read it report, or is configurable: an inference, not
// documentation. docs/web.md lists which is which.
//
// It provides:
// - the official snippet's `Genesys.q` queue, replayed in FIFO order on install, which also replaces the global
//   `Genesys` (calls made through a stored reference to the snippet function are then lost);
// - CXBus semantics: asynchronous delivery (setTimeout 0), the envelope { time, publisher, event, eventName, data },
//   `ready` (and other republished) events replayed to late subscribers without `eventName`;
// - `registerPlugin` rejecting a taken name, plugin objects with registerCommand / command (a Promise) /
//   subscribe / unsubscribe / publish / data / ready;
// - Auth: Messenger tokens kept in storage (`_{deploymentId}:gcatkn`), so a reload with stored tokens is ready and
//   authenticated without asking for a code; otherwise, once AuthProvider is ready or publishes signedIn, it asks
//   getAuthCode and exchanges the code (single use: a spent code fails with Auth.authError); forceUpdate,
//   reAuthenticate, logout and every error event; MessagingService.stepUpConversation through AuthProvider.signIn;
// - fakes of Messenger, Launcher, MessagingService and Database; every call recorded in `log`.
(function (root) {
  "use strict";

  function install(window, options) {
    options = options || {};
    var log = [];
    var seq = 0;
    var storage = options.storage || window.localStorage;
    var snippet = window.Genesys;
    var snippetConfig = (snippet && snippet.c) || {};
    var tokenKey = "_" + (snippetConfig.deploymentId || "deployment") + ":gcatkn";
    var spentKey = "fake-idp:spent-codes";
    var deploymentConfig = {
      auth: { enabled: true, allowSessionUpgrade: options.allowSessionUpgrade === true },
      messenger: { launcherButton: { visibility: options.launcherVisibility || "OnDemand" } },
      headlessMode: { enabled: false },
    };

    var subscribers = {}; // event -> [{ callback, owner }]
    var republished = {}; // event -> envelope
    var commands = {}; // "Plugin.command" -> handler(e)
    var plugins = {};
    var dataModel = {};
    var state = {
      authenticated: false, opened: false, launcherVisible: false, conversationStarted: false, authenticatedSession: false,
      customAttributes: {}, codesSeen: [], exchanging: null,
    };

    function record(kind, name, data) {
      var entry = { seq: ++seq, kind: kind, name: name, data: data === undefined ? null : JSON.parse(JSON.stringify(data)) };
      log.push(entry);
      if (options.onRecord) { options.onRecord(entry); }
    }
    function deliver(callback, envelope) { window.setTimeout(function () { callback(envelope); }, 0); }

    function publish(publisher, name, data, republish) {
      var envelope = { time: Date.now(), publisher: publisher, event: name.split(".").slice(1).join("."), eventName: name, data: data };
      record("event", name, data);
      if (republish) { republished[name] = envelope; }
      (subscribers[name] || []).slice().forEach(function (subscriber) { deliver(subscriber.callback, envelope); });
    }
    function subscribe(name, callback, owner) {
      (subscribers[name] = subscribers[name] || []).push({ callback: callback, owner: owner });
      var last = republished[name];
      if (last) {
        // A replay to a late subscriber has no eventName.
        deliver(callback, { time: last.time, publisher: last.publisher, event: last.event, data: last.data });
      }
    }
    function runCommand(name, data) {
      record("command", name, data);
      var handler = commands[name];
      if (!handler) { return Promise.reject(new Error("command " + name + " is not registered")); }
      return new Promise(function (resolve, reject) {
        try { handler({ data: data || {}, resolve: resolve, reject: reject }); } catch (error) { reject(error); }
      });
    }
    function makePlugin(name) {
      return {
        registerCommand: function (command, handler) { commands[name + "." + command] = handler; },
        command: function (command, data) { return runCommand(command, data); },
        subscribe: function (event, callback) { subscribe(event, callback, name); },
        unsubscribe: function (event) {
          subscribers[event] = (subscribers[event] || []).filter(function (s) { return s.owner !== name; });
        },
        publish: function (event, data) { publish(name, name + "." + event, data, false); },
        data: function (path, value) {
          if (value !== undefined) { dataModel[path] = value; }
          return dataModel[path];
        },
        ready: function () { publish(name, name + ".ready", {}, true); },
      };
    }
    function registerPlugin(name, setup) {
      record("registerPlugin", name);
      if (plugins[name]) {
        var error = new Error("Can't register plugin " + name + " -- Name is already taken");
        record("error", name, error.message);
        throw error;
      }
      var plugin = makePlugin(name);
      plugins[name] = plugin;
      setup(plugin);
      return plugin;
    }

    // The dispatcher genesys.min.js installs as the global Genesys.
    function dispatcher(action) {
      var args = Array.prototype.slice.call(arguments, 1);
      switch (action) {
        case "command":
          runCommand(args[0], args[1]).then(function (value) { if (args[2]) { args[2](value); } }, function (error) { if (args[3]) { args[3](error); } });
          return undefined; // the global form returns no promise
        case "subscribe": subscribe(args[0], args[1], "page"); return undefined;
        case "registerPlugin": registerPlugin(args[0], args[1]); return undefined;
        default: record("unsupported", action); return undefined;
      }
    }

    // The identity provider's single-use codes, shared across page loads like the IdP's own records.
    function spentCodes() { try { return JSON.parse(storage.getItem(spentKey) || "[]"); } catch (e) { return []; } }
    function spend(code) { var spent = spentCodes(); spent.push(code); storage.setItem(spentKey, JSON.stringify(spent)); }

    var auth;
    function setAuthenticated(value) {
      state.authenticated = value;
      dataModel["Auth.authenticated"] = value;
    }
    // Exchange a code (what Genesys's token endpoint does with the brand's code).
    function exchange(code) {
      state.codesSeen.push(code);
      if (!code || typeof code.authCode !== "string" || code.authCode === "") {
        // No code: an anonymous page view. What Genesys then publishes is not documented: configurable.
        var outcome = options.anonymousOutcome || "Auth.authError";
        if (outcome !== "none") { publish("Auth", outcome, { message: "no auth code" }); }
        return Promise.reject(new Error("no auth code"));
      }
      publish("Auth", "Auth.authenticating", { authCode: code.authCode, redirectUri: code.redirectUri });
      var refused = spentCodes().indexOf(code.authCode) >= 0 ? "the code was already used"
        : (options.exchange && !options.exchange(code)) ? "invalid code" : null;
      spend(code.authCode);
      if (refused) {
        publish("Auth", "Auth.authError", { message: refused });
        return Promise.reject(new Error(refused));
      }
      storage.setItem(tokenKey, JSON.stringify({ jwt: "jwt-" + code.authCode, refreshToken: "rt-" + code.authCode }));
      setAuthenticated(true);
      if (state.conversationStarted) { state.authenticatedSession = true; }
      publish("Auth", "Auth.authenticated", { jwt: "jwt-" + code.authCode, refreshToken: "rt" });
      return Promise.resolve(code);
    }
    // Ask the AuthProvider for a code and exchange it; one exchange at a time.
    function authenticate(data) {
      if (state.exchanging) { return state.exchanging; }
      state.exchanging = runCommand("AuthProvider.getAuthCode", data || {}).then(exchange).then(function (code) {
        state.exchanging = null;
        return code;
      }, function (error) {
        state.exchanging = null;
        throw error;
      });
      return state.exchanging;
    }

    function builtIns() {
      auth = registerPlugin("Auth", function () {});
      var messenger = registerPlugin("Messenger", function () {});
      var launcher = registerPlugin("Launcher", function () {});
      var messaging = registerPlugin("MessagingService", function () {});
      var database = registerPlugin("Database", function () {});

      auth.registerCommand("getTokens", function (e) { authenticate().then(e.resolve, e.reject); });
      auth.registerCommand("logout", function (e) {
        storage.removeItem(tokenKey);
        setAuthenticated(false);
        publish("Auth", "Auth.loggedOut", {});
        e.resolve();
      });
      auth.registerCommand("refreshToken", function (e) { e.resolve({}); });

      messenger.registerCommand("open", function (e) {
        state.opened = true;
        publish("Messenger", "Messenger.opened", {});
        // Opening the Messenger starts (or restores) the messaging session.
        state.conversationStarted = true;
        state.authenticatedSession = state.authenticated;
        publish("MessagingService", "MessagingService.started", { authenticated: state.authenticated, newSession: true }, true);
        e.resolve();
      });
      messenger.registerCommand("close", function (e) { state.opened = false; publish("Messenger", "Messenger.closed", {}); e.resolve(); });
      launcher.registerCommand("show", function (e) {
        if (deploymentConfig.messenger.launcherButton.visibility !== "OnDemand") { return e.reject(new Error("Launcher visibility is not OnDemand")); }
        state.launcherVisible = true;
        publish("Launcher", "Launcher.visible", {}); e.resolve();
      });
      launcher.registerCommand("hide", function (e) {
        if (deploymentConfig.messenger.launcherButton.visibility !== "OnDemand") { return e.reject(new Error("Launcher visibility is not OnDemand")); }
        state.launcherVisible = false;
        publish("Launcher", "Launcher.hidden", {}); e.resolve();
      });
      ["startConversation", "sendMessage"].forEach(function (name) {
        messaging.registerCommand(name, function (e) { state.conversationStarted = true; e.resolve({}); });
      });
      // Step-up (allowSessionUpgrade): the SDK calls AuthProvider.signIn; the brand publishes signedIn or signInFailed.
      messaging.registerCommand("stepUpConversation", function (e) {
        if (!deploymentConfig.auth.allowSessionUpgrade) { return e.reject(new Error("Session upgrade is not allowed")); }
        if (!state.conversationStarted) { return e.reject(new Error("No active conversation found to step-up.")); }
        runCommand("AuthProvider.signIn", {}).catch(function (error) {
          publish("MessagingService", "MessagingService.stepUpConversationError", { message: String(error && error.message) });
        });
        var done = function (envelope) {
          subscribers["Auth.authenticated"] = (subscribers["Auth.authenticated"] || []).filter(function (s) { return s.callback !== done; });
          publish("MessagingService", "MessagingService.steppedUpConversation", { authCode: envelope.data && envelope.data.jwt ? "stepped" : "" });
          e.resolve({});
        };
        subscribe("Auth.authenticated", done, "MessagingService");
      });
      database.registerCommand("set", function (e) {
        var attributes = (e.data.messaging && e.data.messaging.customAttributes) || {};
        state.customAttributes = Object.assign({}, state.customAttributes, attributes); // shallow merge
        publish("Database", "Database.updated", { messaging: { customAttributes: state.customAttributes } });
        e.resolve(state.customAttributes);
      });
      database.registerCommand("get", function (e) { e.resolve(state.customAttributes); });
    }

    // What genesys.min.js does when it loads.
    var queued = (snippet && snippet.q) || [];
    publish("GenesysJS", "GenesysJS.configurationReceived", { deploymentConfig: deploymentConfig, snippetConfig: snippetConfig }, true);
    window.Genesys = dispatcher;
    builtIns();
    if (storage.getItem(tokenKey)) { setAuthenticated(true); } // a reload with stored Messenger tokens
    ["Messenger", "Launcher", "MessagingService", "Database", "Auth"].forEach(function (name) {
      publish(name, name + ".ready", {}, true);
    });
    // Auth asks for a code when the AuthProvider announces one (signedIn) and, unless already authenticated by
    // stored tokens, once the AuthProvider is ready (autoAuthenticate: false leaves both to the test).
    // signedIn re-initialises even with stored tokens (the sample: "MANDATORY for Messenger to reInitialize").
    subscribe("AuthProvider.signedIn", function () {
      if (options.autoAuthenticate !== false) { authenticate().catch(function () {}); }
    }, "Auth");
    subscribe("AuthProvider.ready", function () {
      if (options.autoAuthenticate !== false && !state.authenticated) { authenticate().catch(function () {}); }
    }, "Auth");
    queued.forEach(function (args) { dispatcher.apply(null, Array.prototype.slice.call(args)); });

    return {
      log: log, state: state, deploymentConfig: deploymentConfig,
      command: runCommand,
      publish: function (publisher, name, data) { publish(publisher, name, data, false); },
      authenticate: authenticate,
      // Genesys holds a spent code: it forces a new one and exchanges it (may never settle when the page navigates).
      forceUpdate: function () {
        storage.removeItem(tokenKey);
        setAuthenticated(false);
        return runCommand("AuthProvider.getAuthCode", { forceUpdate: true }).then(exchange);
      },
      // Genesys can no longer refresh its tokens.
      reAuthenticate: function () { return runCommand("AuthProvider.reAuthenticate", {}); },
      stepUp: function () { return runCommand("MessagingService.stepUpConversation", {}); },
      storedTokens: function () { return storage.getItem(tokenKey); },
    };
  }

  root.FakeGenesysSDK = { install: install };
})(typeof window !== "undefined" ? window : this);
