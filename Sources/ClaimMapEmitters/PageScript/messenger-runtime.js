  // State. A code is an OAuth authorization code: single use. `handedOut` is the code last resolved to Genesys,
  // waiting for its outcome; once Genesys has exchanged or refused it, it is `used` and never handed back.
  var state = {
    messengerReady: false, authenticated: false, opened: false, anonymous: false,
    pending: {}, sent: {},
    atLoad: null, announced: null, latest: null, handedOut: null, used: Object.create(null)
  };
  // Genesys's Auth events that end or refuse an authentication, with the reason given to ClaimMapPage.onAuthFailure.
  var failureEvents = {
    "Auth.loggedOut": "loggedOut", "Auth.authError": "authError", "Auth.tokenError": "tokenError",
    "Auth.authProviderError": "authProviderError", "Auth.error": "error"
  };

  function page() { return window.ClaimMapPage || {}; }
  function warn(message) {
    if (window.console && typeof window.console.warn === "function") { window.console.warn("[claimmap] " + message); }
  }
  function command(name, data) {
    return new Promise(function (resolve, reject) { Genesys("command", name, data || {}, resolve, reject); });
  }
  function notifyFailure(reason) {
    var callback = page().onAuthFailure;
    if (typeof callback === "function") {
      try { callback(reason); } catch (error) { warn("ClaimMapPage.onAuthFailure threw: " + error); }
    }
  }
  function message(error) { return String((error && error.message) || error); }

  // Codes from the page. A page with no code (null, or an object whose authCode is null or "") is an anonymous view.
  function holdsNoCode(result) {
    return result === null || result === undefined ||
      (typeof result === "object" &&
        (result.authCode === null || result.authCode === undefined || result.authCode === ""));
  }
  function codeProblem(result) {
    if (typeof result !== "object" || typeof result.authCode !== "string" || !result.authCode) {
      return "a code must be { authCode, redirectUri, nonce?, codeVerifier?, maxAge?, iss? }";
    }
    if (typeof result.redirectUri !== "string" || !result.redirectUri) { return "the code has no redirectUri"; }
    if (config.nonceRequired && (typeof result.nonce !== "string" || !result.nonce)) {
      return "nonce required: this deployment requires the nonce the page sent to the IdP, " +
        "and the code came without one";
    }
    if (state.used[result.authCode] === true) {
      return "the code was already used: Genesys has exchanged or refused it";
    }
    return null;
  }
  function codeValue(result) {
    var value = { authCode: result.authCode, redirectUri: result.redirectUri };
    ["nonce", "codeVerifier", "maxAge", "iss"].forEach(function (key) {
      if (result[key] !== undefined && result[key] !== null) { value[key] = result[key]; }
    });
    return value;
  }
  // The page's current code, checked: resolves a code value, or null for an anonymous view.
  function pageCode() {
    return Promise.resolve().then(function () {
      var getter = page().getAuthCode;
      if (typeof getter !== "function") { throw new Error("ClaimMapPage.getAuthCode is not defined"); }
      return getter();
    }).then(function (result) {
      if (holdsNoCode(result)) { return null; }
      var why = codeProblem(result);
      if (why !== null) { throw new Error(why); }
      return codeValue(result);
    });
  }
  // Starts a login with ClaimMapPage.signIn(): resolves the code a popup produced, or undefined when the page
  // navigates away (the caller then leaves its command pending: the page is about to unload).
  function signIn() {
    return Promise.resolve().then(function () {
      var start = page().signIn;
      if (typeof start !== "function") { throw new Error("ClaimMapPage.signIn is not defined"); }
      return start();
    }).then(function (result) {
      if (result === undefined || result === null) { return undefined; }
      var why = codeProblem(result);
      if (why !== null) { throw new Error("ClaimMapPage.signIn resolved no usable code: " + why); }
      state.latest = codeValue(result);
      return state.latest;
    });
  }
  // The code Genesys was last given has had its outcome: it is never handed back.
  function settleHandedOut() {
    if (state.handedOut !== null) { state.used[state.handedOut] = true; state.handedOut = null; }
    if (state.latest !== null && state.used[state.latest.authCode] === true) { state.latest = null; }
  }
  function handOut(e, code) {
    if (state.used[code.authCode] === true) {
      warn("getAuthCode: the code was already used: Genesys has exchanged or refused it");
      e.reject(new Error("the code was already used"));
      return;
    }
    state.handedOut = code.authCode;
    state.anonymous = false;
    e.resolve(code);
  }
  // Genesys's sample (messenger-authentication-okta-integration-blueprint, docs/oauth.html) resolves an empty code
  // when the page holds none; the same is answered here, and no failure that follows is reported (docs/web.md).
  function handOutNoCode(e) {
    state.anonymous = true;
    var address = window.location && typeof window.location.href === "string"
      ? window.location.href.split(/[?#]/)[0] : "";
    e.resolve({ authCode: "", redirectUri: address });
  }

  // Gatekeeper (identity.guests: block): open only when the Messenger is ready and the user authenticated.
  function tryOpen() {
    if (config.guests !== "block" || state.opened || !state.messengerReady || !state.authenticated) { return; }
    state.opened = true;
    command("Launcher.show").catch(function () {});
    command("Messenger.open").catch(function (error) {
      state.opened = false;
      warn("Messenger.open failed: " + error);
    });
  }
  function authenticated() {
    settleHandedOut();
    state.authenticated = true;
    state.anonymous = false;
    flushAttributes();
    tryOpen();
  }
  function failed(reason, event) {
    settleHandedOut();
    var wasAuthenticated = state.authenticated;
    state.authenticated = false;
    if (config.guests === "block") {
      state.opened = false;
      command("Messenger.close").catch(function () {});
      command("Launcher.hide").catch(function () {});
    }
    if (reason !== "loggedOut" && state.anonymous && !wasAuthenticated) {
      var detail = event && event.data && event.data.message ? " (" + event.data.message + ")" : "";
      warn("Auth reported " + reason + " for an anonymous page view (no code): not a failure" + detail);
      return;
    }
    notifyFailure(reason);
  }

  // Custom attributes: declared names only, each checked as the flow and replay check it.
  function byteLength(text) {
    var bytes = 0;
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      if (code < 0x80) { bytes += 1; } else if (code < 0x800) { bytes += 2; }
      else if (code >= 0xD800 && code <= 0xDBFF) { bytes += 4; i++; } else { bytes += 3; }
    }
    return bytes;
  }
  function problem(spec, value) {
    if (typeof value !== "string") { return "must be a string"; }
    if (value.length === 0) { return "must not be empty"; }
    if (spec.enum && spec.enum.indexOf(value) < 0) { return "must be one of " + spec.enum.join(", "); }
    if (spec.maxLength !== null && Array.from(value).length > spec.maxLength) {
      return "is longer than " + spec.maxLength;
    }
    if (spec.pattern !== null && !new RegExp(spec.pattern, "u").test(value)) {
      return "does not match " + spec.pattern;
    }
    return null;
  }
  function totalBytes(values) {
    var total = 0;
    Object.keys(values).forEach(function (key) { total += byteLength(key) + byteLength(values[key]); });
    return total;
  }
  function flushAttributes() {
    if (!state.authenticated) { return; }
    var names = Object.keys(state.pending);
    if (names.length === 0) { return; }
    var values = state.pending;
    state.pending = {};
    command("Database.set", { messaging: { customAttributes: values } }).then(function () {
      names.forEach(function (name) { state.sent[name] = values[name]; });
    }, function (error) { warn("Database.set failed: " + error); });
  }
  function setAttributes(values) {
    var accepted = [];
    var refused = [];
    if (!values || typeof values !== "object") {
      warn("ClaimMap.setAttributes takes an object of attribute names and values");
      return { accepted: accepted, refused: refused };
    }
    Object.keys(values).forEach(function (name) {
      var spec = null;
      for (var i = 0; i < config.attributes.length; i++) {
        if (config.attributes[i].name === name) { spec = config.attributes[i]; }
      }
      if (spec === null) {
        refused.push(name);
        warn("attribute \"" + name + "\" is not declared in the spec; not sent");
        return;
      }
      var why = problem(spec, values[name]);
      if (why !== null) {
        refused.push(name);
        warn("attribute \"" + name + "\" " + why + "; not sent");
        return;
      }
      var candidate = Object.assign({}, state.sent, state.pending);
      candidate[name] = values[name];
      if (totalBytes(candidate) > config.maxCustomAttributeBytes) {
        refused.push(name);
        warn("attribute \"" + name + "\" would take custom attributes over " + config.maxCustomAttributeBytes +
          " bytes; not sent");
        return;
      }
      state.pending[name] = values[name];
      accepted.push(name);
    });
    flushAttributes();
    return { accepted: accepted, refused: refused };
  }

  Genesys("registerPlugin", "AuthProvider", function (AuthProvider) {
    // Genesys calls this whenever it needs a code. With forceUpdate the code it holds is spent: a new login starts.
    AuthProvider.registerCommand("getAuthCode", function (e) {
      if (e.data && e.data.forceUpdate) {
        settleHandedOut();
        state.atLoad = null; // the code read at load, announced with signedIn, is spent too
        if (state.announced !== null) { state.used[state.announced] = true; }
        signIn().then(function (code) {
          if (code !== undefined) { handOut(e, code); }
        }, function (error) {
          warn("a new login for Genesys failed: " + message(error));
          notifyFailure("signInFailed");
          e.reject(error);
        });
        return;
      }
      var code;
      if (state.atLoad !== null) {
        code = state.atLoad; // the code the page held at load, already checked and announced
        state.atLoad = null;
      } else if (state.latest !== null) {
        code = Promise.resolve(state.latest); // a popup's code
      } else {
        code = pageCode();
      }
      code.then(function (value) {
        if (value === null) { handOutNoCode(e); } else { handOut(e, value); }
      }, function (error) {
        warn("getAuthCode: " + message(error));
        e.reject(error);
      });
    });
    // Genesys calls this when its tokens can no longer be refreshed: the user signs in again.
    AuthProvider.registerCommand("reAuthenticate", function (e) {
      signIn().then(function (code) {
        if (code !== undefined) { e.resolve(); }
      }, function (error) {
        warn("reAuthenticate: " + message(error));
        notifyFailure("signInFailed");
        e.reject(error);
      });
    });
    if (config.guests === "route") {
      // Step-up: a guest conversation becomes authenticated (allow_session_upgrade in terraform/).
      AuthProvider.registerCommand("signIn", function (e) {
        signIn().then(function (code) {
          if (code === undefined) { return; } // the page navigates to the IdP; the new page announces the code
          AuthProvider.publish("signedIn", { authCode: code.authCode });
          e.resolve({ authCode: code.authCode });
        }, function (error) {
          warn("signIn: " + message(error));
          AuthProvider.publish("signInFailed", { message: message(error) });
          notifyFailure("signInFailed");
          e.reject(error);
        });
      });
    }

    // Stored Messenger tokens (a reload): Auth is ready and already authenticated, and may publish nothing more.
    AuthProvider.subscribe("Auth.ready", function () {
      if (AuthProvider.data("Auth.authenticated") === true) { authenticated(); }
    });
    AuthProvider.subscribe("Auth.authenticated", function () { authenticated(); });
    Object.keys(failureEvents).forEach(function (name) {
      AuthProvider.subscribe(name, function (event) { failed(failureEvents[name], event); });
    });

    // Back from the IdP with a code: announce it once (Genesys's sample: "MANDATORY for Messenger to
    // reInitialize"), then tell CXBus the plugin is ready.
    state.atLoad = pageCode();
    state.atLoad.then(function (value) {
      if (value === null) { state.anonymous = true; } // errors before Genesys asks are not failures either
      if (value !== null) {
        state.announced = value.authCode;
        AuthProvider.publish("signedIn", { authCode: value.authCode });
      }
    }, function (error) {
      warn("getAuthCode at load: " + message(error));
    }).then(function () { AuthProvider.ready(); });
  });

  Genesys("subscribe", "Messenger.ready", function () { state.messengerReady = true; tryOpen(); });
  Genesys("subscribe", "Launcher.ready", function () {
    if (config.guests === "block" && !state.authenticated) { command("Launcher.hide").catch(function () {}); }
  });

  window.ClaimMap = { spec: config.spec, guests: config.guests, setAttributes: setAttributes };
