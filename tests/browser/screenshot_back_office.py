"""Screenshots of the demo's back office in headless Debian chromium.

    python3 tests/browser/screenshot_back_office.py OUT_DIR [--lang fr_FR] \
        [--base-url URL] [NAME=PATH ...]

Logs in as the demo's admin (JSON-RPC ``/web/session/authenticate``), hands
the session cookie to chromium over the DevTools protocol (``--remote-debugging-
pipe``: no extra package), opens each back-office URL (``/web#...`` or
``/odoo/...`` paths, relative to the base URL), waits for Odoo to render it and
saves ``OUT_DIR/NAME.png``. With ``--lang`` the admin's language is set first
(the language must be installed). Every host but the demo's is unresolvable.
"""

import argparse
import base64
import http.cookiejar
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit


def _session(base_url, login, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def rpc(path, params):
        req = urllib.request.Request(
            base_url + path,
            data=json.dumps({"jsonrpc": "2.0", "params": params}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with opener.open(req, timeout=60) as response:
            body = json.load(response)
        if body.get("error"):
            raise SystemExit(f"{path}: {body['error']}")
        return body["result"]

    db = rpc("/web/database/list", {})[0]
    rpc("/web/session/authenticate", {"db": db, "login": login, "password": password})
    sid = next(c.value for c in jar if c.name == "session_id")
    return sid, rpc


class Chromium:
    """Chromium driven over --remote-debugging-pipe (fd 3 in, fd 4 out)."""

    def __init__(self, host):
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            raise SystemExit("needs Debian's chromium (apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="bo-shots-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        # the browser reads fd 3 and writes fd 4: the shell puts the pipes there
        redirect = f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}'
        self.proc = subprocess.Popen(
            [
                "sh",
                "-c",
                redirect,
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--remote-debugging-pipe",
                f"--user-data-dir={self.profile}",
                f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {host}",
                "--window-size=1400,900",
                "about:blank",
            ],
            pass_fds=(to_browser_r, from_browser_w),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call(
            "Target.attachToTarget", targetId=page["targetId"], flatten=True
        )["sessionId"]

    def call(self, method, session=None, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self.buffer:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise SystemExit("chromium exited")
                self.buffer += chunk
            raw, self.buffer = self.buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise SystemExit(f"{method}: {answer['error']}")
                return answer["result"]

    def page(self, method, **params):
        return self.call(method, session=self.session, **params)

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.profile, ignore_errors=True)


def _wait_rendered(browser, timeout=60):
    """Until Odoo's client has rendered an action (no spinner, a view)."""
    deadline = time.time() + timeout
    script = (
        "!!document.querySelector('.o_action_manager .o_view_controller,"
        " .modal .o_form_view, .o_apps, .o_kanban_view')"
        " && !document.querySelector('.o_loading_indicator, .o_blockUI')"
    )
    while time.time() < deadline:
        done = browser.page("Runtime.evaluate", expression=script)["result"]
        if done.get("value"):
            time.sleep(1.5)
            return True
        time.sleep(0.5)
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("shots", nargs="+", help="NAME=PATH")
    parser.add_argument(
        "--base-url",
        default=f"http://127.0.0.1:{os.environ.get('DEMO_PORT', '8069')}",
    )
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--lang", help="set the user's language first, e.g. fr_FR")
    parser.add_argument(
        "--click",
        action="append",
        default=[],
        help="NAME=CSS: click this element after NAME rendered, then shoot",
    )
    parser.add_argument(
        "--search",
        action="append",
        default=[],
        help="NAME=TEXT: type TEXT in the search box after NAME rendered",
    )
    args = parser.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sid, rpc = _session(args.base_url, args.login, args.password)
    if args.lang:
        rpc(
            "/web/dataset/call_kw/res.users/write",
            {
                "model": "res.users",
                "method": "write",
                "args": [[2], {"lang": args.lang}],
                "kwargs": {},
            },
        )
    clicks = dict(c.split("=", 1) for c in args.click)
    searches = dict(s.split("=", 1) for s in args.search)
    host = urlsplit(args.base_url).hostname
    browser = Chromium(host)
    failures = 0
    try:
        browser.page("Page.enable")
        browser.page("Runtime.enable")
        browser.page(
            "Network.setCookie",
            name="session_id",
            value=sid,
            url=args.base_url,
        )
        for shot in args.shots:
            name, path = shot.split("=", 1)
            browser.page("Page.navigate", url=args.base_url + path)
            rendered = _wait_rendered(browser)
            if name in searches:
                browser.page(
                    "Runtime.evaluate",
                    expression="document.querySelector('.o_searchview_input').focus()",
                )
                browser.page("Input.insertText", text=searches[name])
                for kind in ("keyDown", "keyUp"):
                    browser.page(
                        "Input.dispatchKeyEvent",
                        type=kind,
                        key="Enter",
                        code="Enter",
                        windowsVirtualKeyCode=13,
                    )
                time.sleep(1)
                rendered = _wait_rendered(browser)
            if name in clicks:
                browser.page(
                    "Runtime.evaluate",
                    expression=f"document.querySelector({json.dumps(clicks[name])}).click()",
                )
                time.sleep(1)
                rendered = _wait_rendered(browser)
            data = browser.page("Page.captureScreenshot", format="png")["data"]
            target = out / f"{name}.png"
            target.write_bytes(base64.b64decode(data))
            failures += not rendered
            print(f"{'ok' if rendered else 'NOT RENDERED'}  {target}  <- {path}")
    finally:
        browser.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
