"""The payment loop over HTTP on the running demo (`make demo` in another
terminal), as the demo's payment provider does it.

It polls the approved cash entitlements and notes the last `last_updated`;
reports one paid in full (`POST /Entitlement/{code}/payment-report`) and one
paid in part, twice, in a batch (`POST /PaymentReport`); prints the
`g2p.payment` rows and the entitlements' state and balance from the database
(an Odoo shell); polls again with `_lastUpdated=gt<noted>` and shows the changed
entries. Then the provider's mistakes: the same report sent again (same answer,
still one payment), another report with a used reference (409, nothing
written), a failed payment with its reason, a batch with one bad item (422
naming it, nothing written); and last the CSV export with its trailer. It
prints what it sees and exits non-zero when the API does not behave so.

Re-runnable on the same demo database: the references are new each run and
it pays entitlements still `approved`: a run pays two, the demo seeds twenty
the provider can see (a fresh demo database: `rm -rf .demo`).

    .venv/bin/python tests/demo/check_payment_loop.py
"""

import csv
import io
import json
import os
import sys
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_api import call, odoo_shell, provider_token, request
from tooling import odoo_python

SHELL_RECORDS = """
import json
client = env["spp.api.client"].search([("name", "=", "Demo Payment Provider")])
payments = env["g2p.payment"].search(
    [("api_client_id", "=", client.id), ("api_reference", "in", {references!r})],
    order="id",
)
for p in payments:
    print("PAYMENT", json.dumps({{
        "api_reference": p.api_reference, "name": p.name, "entitlement":
        p.entitlement_id.code, "state": p.state, "status": p.status,
        "amount_issued": p.amount_issued, "amount_paid": p.amount_paid,
        "payment_datetime": str(p.payment_datetime or ""),
        "failure_reason": p.failure_reason or None,
    }}))
for code in {codes!r}:
    e = env["g2p.entitlement"].search([("code", "=", code)])
    print("ENTITLEMENT", json.dumps({{
        "code": e.code, "state": e.state, "balance": "%.2f" % e.balance,
    }}))
print("COUNT", env["g2p.payment"].search_count([]))
"""


def now_utc(minutes=0):
    moment = datetime.now(UTC) + timedelta(minutes=minutes)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def records(references, codes):
    """The payments of those references, the entitlements' state and balance
    and the number of all payments, as the database has them."""
    lines = odoo_shell(
        SHELL_RECORDS.format(references=list(references), codes=list(codes)),
        "PAYMENT",
        "ENTITLEMENT",
        "COUNT",
    )
    payments, entitlements, count = [], {}, None
    for line in lines:
        marker, value = line.split(" ", 1)
        if marker == "PAYMENT":
            payments.append(json.loads(value))
        elif marker == "ENTITLEMENT":
            row = json.loads(value)
            entitlements[row["code"]] = row
        else:
            count = int(value)
    return payments, entitlements, count


def show_records(title, payments, entitlements, count):
    print(f"{title} (database, Odoo shell):")
    for p in payments:
        print(
            f"  g2p.payment {p['api_reference']}: name {p['name']}, "
            f"entitlement {p['entitlement']}, state {p['state']}, "
            f"status {p['status']}, amount_issued {p['amount_issued']}, "
            f"amount_paid {p['amount_paid']}, "
            f"payment_datetime {p['payment_datetime'] or None}, "
            f"failure_reason {p['failure_reason']}"
        )
    for e in entitlements.values():
        print(
            f"  g2p.entitlement {e['code']}: state {e['state']}, balance {e['balance']}"
        )
    print(f"  g2p.payment rows in all: {count}")


def search_all(token, **params):
    """Every entry of a search, following `next`."""
    params = {**params, "_count": 1000, "_total": "none"}
    entries = []
    while True:
        status, page = call(f"/Entitlement?{urllib.parse.urlencode(params)}", token)
        assert status == 200, (status, page)
        entries += page["entries"]
        if not page["next"]:
            return entries
        params["_cursor"] = page["next"]


def post(path, token, body):
    status, answer = call(path, token, body=body)
    print(f"POST {path}")
    print(f"  {json.dumps(body)}")
    print(f"  -> {status} {json.dumps(answer, indent=1)}")
    return status, answer


def check(ok, what):
    print(f"  {'ok' if ok else 'WRONG'}: {what}")
    return ok


@dataclass
class Loop:
    """One run: the provider's token, this run's references, the approved
    entitlements it pays (``full``, ``part``), fails (``failed``) and
    overpays in a refused batch (``other``), and what it noted and got."""

    token: str
    refs: list
    full: dict = None
    part: dict = None
    failed: dict = None
    other: dict = None
    noted: str = None
    single: dict = None
    first: dict = None
    rest: Decimal = None
    payments: int = None

    def report_path(self, entitlement):
        return f"/Entitlement/{entitlement['code']}/payment-report"


def poll_approved(loop):
    print("1. poll: GET /Entitlement?state=approved&entitlement_type=cash")
    approved = search_all(loop.token, state="approved", entitlement_type="cash")
    for e in approved:
        print(
            f"  {e['code']} {e['beneficiary']} {e['cycle']}: amount {e['amount']} "
            f"{e['currency']}, balance {e['balance']}, ern {e['ern']}, "
            f"last_updated {e['last_updated']}"
        )
    if len(approved) < 4:
        print("  needs 4 approved cash entitlements: reseed the demo (rm -rf .demo)")
        return False
    loop.noted = approved[-1]["last_updated"]
    print(f"  {len(approved)} approved; last last_updated noted: {loop.noted}")
    loop.full, loop.part, loop.failed, loop.other = approved[:4]
    return True


def report_payments(loop):
    print("\n2. report payments")
    loop.single = {
        "reference": loop.refs[0],
        "status": "paid",
        "amount": loop.full["balance"],
        "currency": loop.full["currency"],
        "paid_at": now_utc(-2),
        "fee": "5.00",
    }
    status, loop.first = post(loop.report_path(loop.full), loop.token, loop.single)
    ok = check(
        status == 201
        and loop.first["entitlement_state"] == "rdpd2ben"
        and Decimal(loop.first["balance"]) == 0,
        "paid in full through the single route: 201, rdpd2ben, balance 0",
    )
    loop.rest = Decimal(loop.part["balance"]) - Decimal("750.00")
    reports = [
        {
            "entitlement": loop.part["code"],
            "reference": reference,
            "status": "paid",
            "amount": amount,
            "paid_at": now_utc(-1),
        }
        for reference, amount in ((loop.refs[1], "500.00"), (loop.refs[2], 250))
    ]
    status, answer = post("/PaymentReport", loop.token, {"reports": reports})
    outcomes = answer["outcomes"] if status == 201 else []
    return ok & check(
        status == 201
        and answer["count"] == 2
        and [o["entitlement_state"] for o in outcomes] == ["trans2FSP"] * 2
        and Decimal(outcomes[-1]["balance"]) == loop.rest,
        f"paid in part twice in a batch: 201, count 2, trans2FSP, balance {loop.rest}",
    )


def show_database(loop):
    print()
    full, part = loop.full["code"], loop.part["code"]
    payments, rows, loop.payments = records(loop.refs[:3], [full, part])
    show_records("3. what the database now holds", payments, rows, loop.payments)
    return check(
        [(p["api_reference"], p["status"], p["state"]) for p in payments]
        == [(r, "paid", "reconciled") for r in loop.refs[:3]]
        and rows[full] == dict(code=full, state="rdpd2ben", balance="0.00")
        and rows[part]
        == dict(code=part, state="trans2FSP", balance=f"{loop.rest:.2f}"),
        "three paid payments, reconciled; the entitlements rdpd2ben and trans2FSP",
    )


def poll_changes(loop):
    print(
        "\n4. poll again: "
        f"GET /Entitlement?entitlement_type=cash&_lastUpdated=gt{loop.noted}"
    )
    changed = search_all(
        loop.token, entitlement_type="cash", _lastUpdated=f"gt{loop.noted}"
    )
    paid = {loop.full["code"], loop.part["code"]}
    for e in changed:
        print(
            f"  {e['code']}: state {e['state']}, balance {e['balance']}, "
            f"ern {e['ern']}, last_updated {e['last_updated']}"
            + ("" if e["code"] in paid else "  (not paid by this run)")
        )
    seen = {e["code"]: (e["state"], e["balance"]) for e in changed}
    return check(
        {code: seen.get(code) for code in paid}
        == {
            loop.full["code"]: ("rdpd2ben", "0.00"),
            loop.part["code"]: ("trans2FSP", f"{loop.rest:.2f}"),
        },
        "both paid entitlements, once each, with their new state and balance",
    ) & check(len(seen) == len(changed), "no entry twice")


def report_again(loop):
    print("\n5. the same report again, then another one with the same reference")
    path = loop.report_path(loop.full)
    status, again = post(path, loop.token, loop.single)
    ok = check(
        status == 201 and again == loop.first, "same status and body as the first time"
    )
    status, answer = post(path, loop.token, {**loop.single, "amount": "1.00"})
    ok &= check(
        status == 409 and "reference" in answer["detail"], "409 naming reference"
    )
    payments, rows, count = records(loop.refs[:1], [loop.full["code"]])
    show_records("   afterwards", payments, rows, count)
    return ok & check(
        len(payments) == 1 and count == loop.payments,
        f"one payment of {loop.refs[0]}; {count} payments in all, as before",
    )


def report_failure(loop):
    print("\n6. a failed payment")
    status, answer = post(
        loop.report_path(loop.failed),
        loop.token,
        {
            "reference": loop.refs[3],
            "status": "failed",
            "reason": "Beneficiary account closed",
            "paid_at": now_utc(),
        },
    )
    ok = check(
        status == 201
        and answer["entitlement_state"] == "approved"
        and answer["balance"] == loop.failed["balance"],
        "201; the entitlement stays approved with its balance",
    )
    payments, rows, loop.payments = records(loop.refs[3:4], [loop.failed["code"]])
    show_records("   its record", payments, rows, loop.payments)
    return ok & check(
        [(p["status"], p["failure_reason"]) for p in payments]
        == [("failed", "Beneficiary account closed")]
        and rows[loop.failed["code"]]["state"] == "approved",
        "one failed payment with its reason",
    )


def report_bad_batch(loop):
    print("\n7. a batch with one bad item")
    too_much = Decimal(loop.other["balance"]) + 1
    reports = [
        {
            "entitlement": entitlement["code"],
            "reference": reference,
            "status": "paid",
            "amount": amount,
            "paid_at": now_utc(),
        }
        for entitlement, reference, amount in (
            (loop.failed, loop.refs[4], loop.failed["balance"]),
            (loop.other, loop.refs[5], f"{too_much:.2f}"),
        )
    ]
    status, answer = post("/PaymentReport", loop.token, {"reports": reports})
    faults = answer["detail"] if status == 422 else []
    ok = check(
        [(f["index"], f["entitlement"], f["field"]) for f in faults]
        == [(1, loop.other["code"], "amount")],
        "422 naming item 1, its entitlement and the field amount",
    )
    codes = [loop.failed["code"], loop.other["code"]]
    payments, rows, count = records(loop.refs[4:6], codes)
    show_records("   afterwards", payments, rows, count)
    return ok & check(
        not payments
        and count == loop.payments
        and [rows[code]["state"] for code in codes] == ["approved", "approved"],
        "nothing written: no payment, both entitlements still approved",
    )


def export_csv(loop):
    print("\n8. export: GET /Entitlement with Accept: text/csv")
    status, headers, raw = request(
        "/Entitlement", loop.token, headers={"Accept": "text/csv"}
    )
    text = raw.decode()
    lines = text.removesuffix("\r\n").split("\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    print(f"  {status} Content-Type: {headers['Content-Type']}")
    print(f"  header:  {lines[0]}")
    print(f"  ({len(rows) - 2} entries)")
    print(f"  trailer: {lines[-1]}")
    return check(
        status == 200
        and headers["Content-Type"].startswith("text/csv")
        and rows[-1][0] == "#end"
        and int(rows[-1][1]) == len(rows) - 2
        and {loop.full["code"], loop.part["code"]} <= {row[0] for row in rows[1:-1]},
        "a header, the entries, and the trailer #end,<their number>",
    )


def main():
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    loop = Loop(provider_token(), [f"DEMO-{stamp}-{n}" for n in range(6)])
    if not poll_approved(loop):
        print("payment loop: FAILED")
        return 1
    ok = True
    for step in (
        report_payments,
        show_database,
        poll_changes,
        report_again,
        report_failure,
        report_bad_batch,
        export_csv,
    ):
        ok &= step(loop)
    print("\npayment loop:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    os.chdir(odoo_python.REPO)
    sys.exit(main())
