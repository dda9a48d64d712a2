"""Generate a Python client from each OpenAPI document of the running demo and
run the integrators' flows with them, with no hand-written HTTP.

    python3 tests/clients/run_generated_clients.py [--base-url URL]

Needs the demo running (``make demo``; ``DEMO_PORT`` or ``--base-url`` when it
is not on port 8069) and its credentials file
``.demo/openspp_api_demo.credentials.json``.
Creates a venv under ``.test-run/clients/`` with openapi-python-client and the
generated clients' needs, pinned by constraints.txt; generates
``spp_api_v2_client`` from ``/api/v2/spp/openapi.json`` and ``registry_client``
from ``/api/v1/registry/openapi.json`` there (not committed: they are
regenerated every run, any generator warning fails the run), then with those
clients only:

- entitlements: a token (HTTP Basic, and form body), every entitlement by
  following ``next``, each one read by its code, one read again with its
  ``ETag`` in ``If-None-Match`` (304), three found with ``code=a,b,c``, a 404
  and a 401 parsed as their error models;
- registry: an individual created, a programme membership created (``Location``,
  ``ETag``), read, changed with ``If-Match``, refused with a stale ``If-Match``
  (412), searched, deleted with ``If-Match`` (204) and gone (404).

Exit status 0 when every step answered as the contract says.
"""

import argparse
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from tooling.odoo_python import pip_install  # noqa: E402

WORK = REPO / ".test-run" / "clients"
VENV = WORK / "venv"
REQUIREMENTS = Path(__file__).resolve().parent / "requirements.txt"
CREDENTIALS = REPO / ".demo" / "openspp_api_demo.credentials.json"
DOCUMENTS = {
    "spp_api_v2_client": "/api/v2/spp/openapi.json",
    "registry_client": "/api/v1/registry/openapi.json",
}


def _venv_python():
    return VENV / "bin" / "python"


def _prepare_venv():
    if not _venv_python().exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip_install(str(_venv_python()), "-r", str(REQUIREMENTS))


def _generate(base_url):
    env = dict(os.environ, PATH=f"{VENV / 'bin'}{os.pathsep}{os.environ['PATH']}")
    for package, path in DOCUMENTS.items():
        document = WORK / f"{package}.openapi.json"
        with urllib.request.urlopen(base_url + path, timeout=30) as answer:
            document.write_bytes(answer.read())
        run = subprocess.run(
            [
                str(VENV / "bin" / "openapi-python-client"),
                "generate",
                "--path",
                str(document),
                "--meta",
                "none",
                "--output-path",
                str(WORK / package),
                "--overwrite",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        output = (run.stdout + run.stderr).strip()
        print(f"generate {package} from {path}: {output.splitlines()[0]}")
        if run.returncode or "warning" in output.lower():
            print(output)
            raise SystemExit(f"openapi-python-client failed or warned on {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--base-url",
        default=f"http://127.0.0.1:{os.environ.get('DEMO_PORT', '8069')}",
    )
    parser.add_argument("--flows", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.flows:
        sys.path[:0] = [str(WORK), str(Path(__file__).resolve().parent)]
        from flows import run_flows  # noqa: PLC0415 (generated, on the path now)

        return run_flows(args.base_url, json.loads(CREDENTIALS.read_text()))
    if not CREDENTIALS.exists():
        raise SystemExit(f"no demo credentials at {CREDENTIALS}: run `make demo`")
    WORK.mkdir(parents=True, exist_ok=True)
    _prepare_venv()
    _generate(args.base_url)
    return subprocess.run(
        [str(_venv_python()), __file__, "--flows", "--base-url", args.base_url],
        check=False,
    ).returncode


if __name__ == "__main__":
    sys.exit(main())
