"""What the checks against the running demo share (check_consent.py,
check_payment_loop.py): its API over HTTP, a token of the demo's payment
provider, and an Odoo shell on the demo's database for what happens there.
"""

import functools
import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import run_demo
from tooling import odoo_python

API = f"{run_demo.BASE_URL}/api/v2/spp"


def request(path, token=None, data=None, body=None, headers=()):
    """``(status, headers, raw body)`` of a request to the API: a form
    (``data``), a JSON ``body``, or a GET without either."""
    all_headers = dict(headers)
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    payload = None
    if data is not None:
        payload = urllib.parse.urlencode(data).encode()
    elif body is not None:
        payload = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    req = urllib.request.Request(f"{API}{path}", data=payload, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def call(path, token=None, data=None, body=None):
    """``(status, JSON body)`` of a request to the API."""
    status, _headers, raw = request(path, token, data=data, body=body)
    return status, json.loads(raw or b"null")


def provider_token():
    """A bearer token of the demo's payment provider, with all its scopes."""
    creds = json.loads(run_demo.CREDENTIALS.read_text())["payment_provider"]
    status, grant = call(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": creds["client_id"],
            "client_secret": creds["client_secret"],
        },
    )
    assert status == 200, (status, grant)
    return grant["access_token"]


@functools.cache
def _shell_cmd():
    python, info = odoo_python.find_odoo_python()
    db_args, _cluster = run_demo._db_args()
    return run_demo._odoo_cmd(
        python, info, db_args, "--no-http", "--log-level=warn", command="shell"
    )


def odoo_shell(code, *markers):
    """Run ``code`` in an Odoo shell on the demo's database; the lines it
    printed that start with one of ``markers``."""
    out = subprocess.run(
        _shell_cmd(), input=code, capture_output=True, text=True, check=True
    ).stdout
    return [line for line in out.splitlines() if line.startswith(markers)]
