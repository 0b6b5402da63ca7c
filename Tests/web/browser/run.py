#!/usr/bin/env python3
"""Every generated page script in a real browser: headless Chromium driven by Selenium.

    python3 Tests/web/browser/run.py [--only SPEC] [--screenshots DIR]

Serves, on loopback, a brand's page (page.html) that loads the Genesys snippet, the fake Messenger SDK
(Tests/web/fake-sdk.js, standing in for genesys.min.js) and Generated/<spec>/messenger.js, plus a fake OpenID
provider whose sign-in page redirects back with ?code=. For each example spec it drives the authentication lifecycle
(docs/web.md) and asserts on what the page and the fake SDK recorded. A screenshot of each scenario's last page is
saved under .build/web-screenshots/ for a person to look at.

Needs Debian's chromium and chromium-driver and PyPI's selenium (.ci/run installs them). Exit 0 when every scenario
passes, 1 when one fails, 2 when the browser cannot be started.
"""

import argparse
import html
import http.server
import json
import os
import re
import secrets
import shutil
import sys
import threading
import time
import traceback
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
WEB = os.path.join(ROOT, "Tests", "web")


def specs():
    """Every example spec with a page script: its name, guest mode and one valid declared attribute."""
    found = []
    generated = os.path.join(ROOT, "Generated")
    for name in sorted(os.listdir(generated)):
        path = os.path.join(generated, name, "messenger.js")
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
        config = json.loads(re.search(r"var config = (\{[\s\S]*?\n  \});", source).group(1))
        attributes = None
        for attribute in config["attributes"]:
            if attribute["enum"]:
                attributes = {attribute["name"]: attribute["enum"][0]}
                break
        found.append({"spec": name, "guests": config["guests"], "attributes": attributes, "path": path})
    return found


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, catalogue):
        super().__init__(("127.0.0.1", 0), Handler)
        self.catalogue = {entry["spec"]: entry for entry in catalogue}
        self.origin = "http://127.0.0.1:%d" % self.server_address[1]
        self.issued = []


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body, content_type, headers=None):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        parts = [p for p in url.path.split("/") if p]
        if url.path == "/reset":
            return self.send(200, "<script>localStorage.clear(); sessionStorage.clear();</script>reset", "text/html")
        if url.path == "/genesys-bootstrap/genesys.min.js":
            with open(os.path.join(WEB, "fake-sdk.js"), encoding="utf-8") as handle:
                sdk = handle.read()
            return self.send(200, sdk + "\nwindow.__sdk = FakeGenesysSDK.install(window, window.__fakeOptions || {});\n", "text/javascript")
        if len(parts) == 3 and parts[0] == "claimmap" and parts[2] == "messenger.js" and parts[1] in self.server.catalogue:
            with open(self.server.catalogue[parts[1]]["path"], encoding="utf-8") as handle:
                return self.send(200, handle.read(), "text/javascript")
        if len(parts) == 2 and parts[0] == "s" and parts[1] in self.server.catalogue and url.path.endswith("/"):
            entry = self.server.catalogue[parts[1]]
            with open(os.path.join(WEB, "browser", "page.html"), encoding="utf-8") as handle:
                page = handle.read()
            test = json.dumps({"spec": entry["spec"], "guests": entry["guests"], "attributes": entry["attributes"]})
            page = page.replace("__TEST__", test.replace("<", "\\u003c"))
            page = page.replace("__SCRIPT__", "/claimmap/%s/messenger.js" % urllib.parse.quote(entry["spec"]))
            return self.send(200, page, "text/html; charset=utf-8")
        if url.path == "/idp/authorize":
            redirect = query.get("redirect_uri", [""])[0]
            state = query.get("state", [""])[0]
            if not redirect.startswith(self.server.origin + "/s/") or not state or not query.get("nonce"):
                return self.send(400, "invalid authorization request", "text/plain")
            code = "code-" + secrets.token_urlsafe(12)
            self.server.issued.append(code)
            if query.get("prompt") == ["popup"]:
                return self.send(200, json.dumps({"code": code}), "application/json")
            separator = "&" if "?" in redirect else "?"
            back = redirect + separator + urllib.parse.urlencode({"code": code, "state": state})
            page = (
                "<!doctype html><meta charset=utf-8><title>Fake IdP</title>"
                "<h1>Fake identity provider</h1><p>Sign in to <b>page-test</b> as <b>ana@example.test</b></p>"
                '<a id="continue" href="%s">Continue</a>' % html.escape(back, quote=True)
            )
            return self.send(200, page, "text/html; charset=utf-8")
        return self.send(404, "not found", "text/plain")


class Browser:
    def __init__(self, server, screenshots):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,800"):
            options.add_argument(argument)
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if binary:
            options.binary_location = binary
        driver = shutil.which("chromedriver")
        service = Service(executable_path=driver) if driver else Service()
        self.driver = webdriver.Chrome(service=service, options=options)
        self.server = server
        self.screenshots = screenshots

    def open(self, spec, query=""):
        self.driver.get(self.server.origin + "/reset")
        self.driver.get(self.server.origin + "/s/%s/%s" % (spec, query))
        self.quiet()

    def quiet(self, timeout=10.0):
        """Waits until the page has loaded the SDK and no delivery has been pending for two polls."""
        deadline = time.time() + timeout
        calm = 0
        while time.time() < deadline:
            ready = self.driver.execute_script(
                "return document.readyState === 'complete' && !!window.__sdk && window.__pendingTimers === 0")
            calm = calm + 1 if ready else 0
            if calm >= 3:
                return
            time.sleep(0.05)
        raise AssertionError("the page did not become quiet within %.0f s" % timeout)

    def events(self):
        return self.driver.execute_script("return window.__events")

    def failures(self):
        return self.driver.execute_script("return window.__failures")

    def sdk_state(self):
        return self.driver.execute_script("return JSON.parse(JSON.stringify(window.__sdk.state))")

    def run(self, script):
        self.driver.execute_script(script)

    def click(self, element_id):
        self.driver.find_element("id", element_id).click()

    def wait_for(self, condition, what, timeout=10.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if self.driver.execute_script("return " + condition):
                    return
            except Exception:  # the page may be navigating
                pass
            time.sleep(0.05)
        raise AssertionError("timed out waiting for " + what)

    def screenshot(self, name):
        os.makedirs(self.screenshots, exist_ok=True)
        self.driver.execute_script("window.__render && window.__render()")
        self.driver.save_screenshot(os.path.join(self.screenshots, name + ".png"))


def named(events, name):
    return [event for event in events if event.get("name") == name]


def index(events, name):
    for position, event in enumerate(events):
        if event.get("name") == name:
            return position
    return -1


def check(condition, message):
    if not condition:
        raise AssertionError(message)


# Scenarios. Each gets the browser and the spec entry and leaves the page to be photographed.

def anonymous_view(browser, entry):
    browser.open(entry["spec"])
    events = browser.events()
    check(index(events, "AuthProvider.signedIn") == -1, "no signedIn without a code")
    seen = browser.sdk_state()["codesSeen"]
    check(len(seen) == 1 and seen[0]["authCode"] == "", "getAuthCode answered an empty code: %r" % seen)
    check(browser.failures() == [], "an anonymous view is not a failure: %r" % browser.failures())
    check(index(events, "Database.set") == -1, "no attributes for a guest")
    if entry["guests"] == "block":
        check(index(events, "Messenger.open") == -1, "the members-only Messenger stays closed")
        check(not browser.sdk_state()["launcherVisible"], "the launcher stays hidden")


def redirect_round_trip(browser, entry):
    browser.open(entry["spec"])
    browser.click("sign-in")
    browser.wait_for("location.pathname === '/idp/authorize'", "the fake IdP's page")
    browser.screenshot("%s-idp-page" % entry["spec"])
    browser.click("continue")
    browser.wait_for("location.pathname.startsWith('/s/') && !!window.__sdk", "the page again")
    browser.quiet()
    check("code=" not in browser.driver.current_url, "the page removed the code from its address")
    events = browser.events()
    signed = named(events, "AuthProvider.signedIn")
    check(len(signed) == 1, "signedIn published once, got %d" % len(signed))
    issued = browser.server.issued[-1]
    check(signed[0]["data"] == {"authCode": issued}, "signedIn carries the IdP's code: %r" % signed[0]["data"])
    check(index(events, "AuthProvider.signedIn") < index(events, "AuthProvider.ready"), "signedIn before AuthProvider.ready")
    seen = browser.sdk_state()["codesSeen"]
    check([c["authCode"] for c in seen] == [issued], "the code was exchanged once: %r" % seen)
    check(seen[0].get("nonce") and seen[0]["redirectUri"].startswith(browser.server.origin + "/s/"), "nonce and redirectUri were handed over")
    check(index(events, "Auth.authenticated") >= 0, "authenticated")
    check(browser.failures() == [], "no failure: %r" % browser.failures())
    if entry["guests"] == "block":
        check(len(named(events, "Messenger.open")) == 1, "the gatekeeper opened the Messenger once")
        check(index(events, "Messenger.open") > index(events, "Auth.authenticated"), "only after authentication")
    else:
        check(index(events, "Messenger.open") == -1, "guests routed: the script does not open the Messenger")
    if entry["attributes"]:
        sets = named(events, "Database.set")
        check(len(sets) == 1 and sets[0]["data"] == {"messaging": {"customAttributes": entry["attributes"]}}, "attributes sent once authenticated: %r" % sets)
        check(index(events, "Database.set") > index(events, "Auth.authenticated"), "attributes only after authentication")


def stored_token_reload(browser, entry):
    redirect_round_trip(browser, entry)
    browser.driver.refresh()
    browser.quiet()
    events = browser.events()
    check(index(events, "AuthProvider.getAuthCode") == -1, "no code asked for on a reload with stored tokens")
    check(index(events, "Auth.authenticated") == -1, "Auth published no authenticated event")
    check(index(events, "AuthProvider.signedIn") == -1, "nothing announced: the address holds no code")
    check(browser.failures() == [], "no failure: %r" % browser.failures())
    if entry["guests"] == "block":
        check(len(named(events, "Messenger.open")) == 1, "the members-only Messenger opens from Auth.ready")
    if entry["attributes"]:
        sets = named(events, "Database.set")
        check(len(sets) == 1 and sets[0]["data"] == {"messaging": {"customAttributes": entry["attributes"]}}, "attributes sent after the reload: %r" % sets)


def force_update_redirect(browser, entry):
    redirect_round_trip(browser, entry)
    first = browser.server.issued[-1]
    browser.run("window.__sdk.forceUpdate()")
    browser.wait_for("location.pathname === '/idp/authorize'", "the fake IdP's page after forceUpdate")
    browser.click("continue")
    browser.wait_for("location.pathname.startsWith('/s/') && !!window.__sdk", "the page again")
    browser.quiet()
    second = browser.server.issued[-1]
    check(second != first, "a new code was issued")
    events = browser.events()
    check([e["data"] for e in named(events, "AuthProvider.signedIn")] == [{"authCode": second}], "the new code is announced")
    check([c["authCode"] for c in browser.sdk_state()["codesSeen"]] == [second], "only the new code is handed to Genesys")
    check(index(events, "Auth.authenticated") >= 0 and browser.failures() == [], "authenticated again, no failure")


def force_update_popup(browser, entry):
    browser.open(entry["spec"], "?login=popup")
    browser.run("window.__sdk.forceUpdate()")
    browser.wait_for("window.__sdk.state.codesSeen.length >= 2", "the popup's code to be exchanged")
    browser.quiet()
    popup = browser.server.issued[-1]
    seen = [c["authCode"] for c in browser.sdk_state()["codesSeen"]]
    check(seen == ["", popup], "Genesys got the popup's code, never another: %r" % seen)
    check(index(browser.events(), "Auth.authenticated") >= 0, "authenticated")
    check(browser.failures() == [], "no failure: %r" % browser.failures())
    if entry["guests"] == "block":
        check(len(named(browser.events(), "Messenger.open")) == 1, "the gatekeeper opened the Messenger")


def step_up_popup(browser, entry):
    browser.open(entry["spec"], "?login=popup")
    browser.run("window.__sdk.command('Messenger.open'); window.__stepped = 'pending'; "
                "window.__sdk.stepUp().then(function () { window.__stepped = 'resolved'; }, function (e) { window.__stepped = String(e); });")
    browser.wait_for("window.__stepped === 'resolved'", "the step-up to complete")
    browser.quiet()
    popup = browser.server.issued[-1]
    events = browser.events()
    check([e["data"] for e in named(events, "AuthProvider.signedIn")] == [{"authCode": popup}], "signedIn carries the popup's code")
    check(browser.sdk_state()["authenticatedSession"], "the guest conversation was upgraded")
    check(index(events, "MessagingService.steppedUpConversation") >= 0, "steppedUpConversation")
    check(browser.failures() == [], "no failure: %r" % browser.failures())


def step_up_redirect(browser, entry):
    browser.open(entry["spec"])
    browser.run("window.__sdk.command('Messenger.open'); window.__sdk.stepUp();")
    browser.wait_for("location.pathname === '/idp/authorize'", "the fake IdP's page for the step-up")
    browser.click("continue")
    browser.wait_for("location.pathname.startsWith('/s/') && !!window.__sdk", "the page again")
    browser.quiet()
    events = browser.events()
    check([e["data"] for e in named(events, "AuthProvider.signedIn")] == [{"authCode": browser.server.issued[-1]}], "the new page announces the code")
    check(index(events, "AuthProvider.signInFailed") == -1 and browser.failures() == [], "no failure")


def error_events(browser, entry):
    redirect_round_trip(browser, entry)
    expected = []
    for event, reason in (("Auth.authError", "authError"), ("Auth.tokenError", "tokenError"),
                          ("Auth.authProviderError", "authProviderError"), ("Auth.error", "error")):
        browser.run("window.__sdk.authenticate()")
        browser.quiet()
        browser.run("window.__sdk.publish('Auth', %s, {message: 'from the test'})" % json.dumps(event))
        browser.quiet()
        expected.append(reason)
        check(browser.failures() == expected, "%s reached onAuthFailure: %r" % (event, browser.failures()))
        if entry["guests"] == "block":
            check(not browser.sdk_state()["opened"], "%s closed the members-only Messenger" % event)
    browser.run("window.__sdk.command('Auth.logout')")
    browser.quiet()
    check(browser.failures() == expected + ["loggedOut"], "logout reached onAuthFailure: %r" % browser.failures())


SCENARIOS = [
    ("anonymous-view", anonymous_view, None),
    ("redirect-round-trip", redirect_round_trip, None),
    ("stored-token-reload", stored_token_reload, None),
    ("force-update-redirect", force_update_redirect, None),
    ("force-update-popup", force_update_popup, None),
    ("step-up-popup", step_up_popup, "route"),
    ("step-up-redirect", step_up_redirect, "route"),
    ("error-events", error_events, None),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run one spec")
    parser.add_argument("--screenshots", default=os.path.join(ROOT, ".build", "web-screenshots"))
    arguments = parser.parse_args()
    catalogue = [entry for entry in specs() if not arguments.only or entry["spec"] == arguments.only]
    if not catalogue:
        print("error: no Generated/<spec>/messenger.js to test (run claimmap compile)", file=sys.stderr)
        return 2
    server = Server(catalogue)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        browser = Browser(server, arguments.screenshots)
    except Exception as error:  # noqa: BLE001 - any failure to start is reported the same way
        print("error: cannot start headless Chromium through chromedriver: %s" % error, file=sys.stderr)
        print("  install Debian's chromium and chromium-driver and PyPI's selenium (.ci/run does)", file=sys.stderr)
        return 2
    failed = 0
    ran = 0
    started = time.time()
    try:
        for entry in catalogue:
            for name, scenario, mode in SCENARIOS:
                if mode and entry["guests"] != mode:
                    continue
                ran += 1
                label = "%s (%s) %s" % (entry["spec"], entry["guests"], name)
                try:
                    scenario(browser, entry)
                    print("ok      " + label)
                except Exception:  # noqa: BLE001 - report and go on with the next scenario
                    failed += 1
                    print("FAILED  " + label)
                    traceback.print_exc(limit=3)
                    try:
                        print("  events: " + ", ".join(e.get("name", "?") for e in browser.events()))
                    except Exception:  # noqa: BLE001
                        pass
                try:
                    browser.screenshot("%s-%s" % (entry["spec"], name))
                except Exception:  # noqa: BLE001
                    pass
    finally:
        browser.driver.quit()
        server.shutdown()
    print("%d scenarios in headless Chromium, %d failed, %.1f s; screenshots in %s" % (ran, failed, time.time() - started, arguments.screenshots))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
