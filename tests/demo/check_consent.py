"""Consent over HTTP on the running demo (`make demo` in another terminal).

Ramon Bautista (National ID NID-1006) has cash entitlements but no consent, so
the demo's payment provider cannot see him. This script records his consent
the OpenSPP way (spp_consent's "Record consent" wizard, default consent config,
expiry today) through an Odoo shell, shows that his entitlements appear in the
provider's search, total and lookup, then moves the consent's expiry to
yesterday (as if a day had passed) and shows that they are gone from all three.
Then what a poller of the changes feed sees when his consent is withdrawn
between two polls: his consent recorded again, a first poll of
`/EntitlementEvent?_since=<now>` (nothing), the withdrawal (the consent's
*Withdraw*), a second poll with the same `_since` (a `consent_ended` event per
entitlement of his) and the search and lookups without them.
It finishes with the access audit rows those requests left. It prints what it
sees and exits non-zero when the API does not behave so.

    .venv/bin/python tests/demo/check_consent.py
"""

import json
import os
import sys
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_api import call, provider_token
from demo_api import odoo_shell as _odoo_shell
from tooling import odoo_python

HANDLE = "National ID|NID-1006"

SHELL_CONSENT = """
from datetime import timedelta
from odoo import fields
person = env["g2p.reg.id"].search([("value", "=", "NID-1006")]).partner_id
env["spp.consent"].search([("signatory_id", "=", person.id)]).unlink()
today = fields.Date.context_today(person)
if "{step}" == "record":
    env["spp.record.consent.wizard"].create({{
        "signatory_id": person.id,
        "expiry": today,
        "config_id": env.ref("spp_consent.default_consent_config").id,
    }}).record_consent()
    consent = env["spp.consent"].search([("signatory_id", "=", person.id)])
    print("CONSENT", consent.id, consent.expiry)
env.cr.commit()
"""

SHELL_EXPIRE = """
from datetime import timedelta
from odoo import fields
person = env["g2p.reg.id"].search([("value", "=", "NID-1006")]).partner_id
consent = env["spp.consent"].search([("signatory_id", "=", person.id)])
consent.expiry = fields.Date.context_today(person) - timedelta(days=1)
print("CONSENT", consent.id, consent.expiry)
env.cr.commit()
"""

SHELL_WITHDRAW = """
person = env["g2p.reg.id"].search([("value", "=", "NID-1006")]).partner_id
consent = env["spp.consent"].search([("signatory_id", "=", person.id)])
consent.action_withdraw()
print("CONSENT", consent.id, "withdrawn on", consent.withdrawn_on)
env.cr.commit()
"""

SHELL_AUDIT = """
client = env["spp.api.client"].search([("name", "=", "Demo Payment Provider")])
for row in env["spp.api.audit"].search([("client_id", "=", client.id)], limit=6):
    print("AUDIT", row.timestamp, row.operation, row.parameters, row.status_code,
          row.record_count, row.registrant_ids.mapped("name"))
"""


def odoo_shell(code):
    return _odoo_shell(code, "CONSENT", "AUDIT")


def visible(token):
    query = urllib.parse.urlencode({"beneficiary": HANDLE, "entitlement_type": "cash"})
    status, page = call(f"/Entitlement?{query}", token)
    codes = [entry["code"] for entry in page["entries"]] if status == 200 else []
    return status, page.get("total"), codes


def events(token, since):
    query = urllib.parse.urlencode({"_since": since, "_count": 1000})
    status, page = call(f"/EntitlementEvent?{query}", token)
    return status, page


def poll_withdrawal(token):
    """What the poller sees for a consent withdrawn between two polls."""
    ok = True
    print(*odoo_shell(SHELL_CONSENT.format(step="record")))
    _status, _total, codes = visible(token)
    since = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    status, page = events(token, since)
    print(f"changes feed, poll 1: GET /EntitlementEvent?_since={since}")
    print(f"                     {status} {json.dumps(page)}")
    ok &= status == 200 and not {e["code"] for e in page["entries"]} & set(codes)
    print(*odoo_shell(SHELL_WITHDRAW))
    status, page = events(token, since)
    print(f"changes feed, poll 2: GET /EntitlementEvent?_since={since}")
    print(f"                     {status} {json.dumps(page, indent=1)}")
    ended = {
        e["code"] for e in page.get("entries", []) if e["reason"] == "consent_ended"
    }
    ok &= status == 200 and bool(codes) and set(codes) <= ended
    status, total, after = visible(token)
    lookups = {code: call(f"/Entitlement/{code}", token)[0] for code in codes}
    print(f"after withdrawal:    search {status}, total {total}, entries {after}")
    print(f"                     lookups {lookups}")
    ok &= total == 0 and not after and set(lookups.values()) == {404}
    return ok


def main():
    token = provider_token()
    ok = True

    print(*odoo_shell(SHELL_CONSENT.format(step="clear")))
    status, total, codes = visible(token)
    print(f"no consent:          search {status}, total {total}, entries {codes}")
    ok &= total == 0 and not codes

    print(*odoo_shell(SHELL_CONSENT.format(step="record")))
    status, total, codes = visible(token)
    print(f"consent until today: search {status}, total {total}, entries {codes}")
    ok &= total == len(codes) > 0
    lookups = {code: call(f"/Entitlement/{code}", token)[0] for code in codes}
    print(f"                     lookups {lookups}")
    ok &= set(lookups.values()) == {200}

    print(*odoo_shell(SHELL_EXPIRE))
    status, total, after = visible(token)
    print(f"consent expired:     search {status}, total {total}, entries {after}")
    ok &= total == 0 and not after
    lookups = {code: call(f"/Entitlement/{code}", token)[0] for code in codes}
    print(f"                     lookups {lookups}")
    ok &= bool(lookups) and set(lookups.values()) == {404}

    ok &= poll_withdrawal(token)

    print("access audit of the payment provider, newest first:")
    for line in odoo_shell(SHELL_AUDIT):
        print(" ", line)
    print("consent check:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    os.chdir(odoo_python.REPO)
    sys.exit(main())
