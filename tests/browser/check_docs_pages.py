"""Open every docs page of the running demo in a real headless browser, with
the network limited to the demo server, and check that it shows the API's
operations.

    python3 tests/browser/check_docs_pages.py [--base-url URL] [--screenshots DIR]

Needs Debian's ``chromium`` (``apt-get install -y chromium``) and the demo
running (``make demo``; ``DEMO_PORT`` or ``--base-url`` when it is not on port
8069). Every host but the demo's resolves to nowhere (``--host-resolver-rules``),
as on a server without internet access: a page that still loaded its scripts
from a CDN would stay blank. For each of ``/api/v2/spp/docs``, ``/redoc`` and
``/api/v1/registry/docs``, ``/redoc`` it dumps the DOM after the page has
rendered and looks for the operations the page must list; with
``--screenshots`` it also saves a PNG of each page. Exit status 0 when every
page shows them all.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

# (path, texts the rendered page must contain)
PAGES = [
    (
        "/api/v2/spp/docs",
        ["/oauth/token", "/Entitlement", "/Entitlement/{code}", "searchEntitlements"],
    ),
    (
        "/api/v2/spp/redoc",
        ["Get an access token", "Search entitlements", "Read one entitlement"],
    ),
    (
        "/api/v1/registry/docs",
        [
            "/program_membership",
            "/program_membership/{_id}",
            "updateProgramMembership",
            "/individual",
            "/group",
        ],
    ),
    (
        "/api/v1/registry/redoc",
        [
            "Search Program Memberships",
            "Create Program Membership",
            "Create Individual",
        ],
    ),
]


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit("no chromium: apt-get install -y chromium")


def _browser(chromium, base_url, profile, *args):
    host = urlsplit(base_url).hostname
    return subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            # no other host: a CDN script or font would not load
            f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {host}",
            "--virtual-time-budget=15000",
            "--window-size=1280,2400",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--base-url",
        default=f"http://127.0.0.1:{os.environ.get('DEMO_PORT', '8069')}",
    )
    parser.add_argument("--screenshots", type=Path)
    args = parser.parse_args()
    chromium = _chromium()
    failed = 0
    for path, wanted in PAGES:
        url = args.base_url + path
        with tempfile.TemporaryDirectory() as profile:
            dom = _browser(chromium, args.base_url, profile, "--dump-dom", url).stdout
        missing = [text for text in wanted if text not in dom]
        cdn = [
            word
            for word in ("cdn.jsdelivr", "unpkg.com", "fonts.googleapis")
            if word in dom
        ]
        ok = not missing and not cdn and len(dom) > 5000
        failed += not ok
        print(
            f"{'ok  ' if ok else 'FAIL'} {url}: rendered DOM {len(dom)} characters; "
            + (f"missing {missing}" if missing else f"shows {', '.join(wanted)}")
            + (f"; refers to {cdn}" if cdn else "")
        )
        if args.screenshots:
            args.screenshots.mkdir(parents=True, exist_ok=True)
            target = args.screenshots / (path.strip("/").replace("/", "_") + ".png")
            with tempfile.TemporaryDirectory() as profile:
                _browser(
                    chromium, args.base_url, profile, f"--screenshot={target}", url
                )
            print(f"     screenshot {target}")
    print(f"{len(PAGES) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
