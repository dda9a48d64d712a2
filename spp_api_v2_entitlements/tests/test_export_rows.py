"""The export made by PostgreSQL against the JSON search, row by row.

A database with every kind of field value the mapping knows: currencies of
the journal, of the journal's company and of the entitlement's company with 0,
2 and 3 places; amounts with more places than their currency; paid, failed
and pending payments; transfer fees; ERNs, approval dates and missing dates;
a programme with and one without a payment manager; products with and without
an internal reference; registrants with a current ID, with only an expired
one, with only an invalid one, with none, and a group member seen through the
group's consent; names with quotes, commas, line breaks, control characters,
non-ASCII text and formula starts (also after ``;``, ``,`` and a tab).

For both clients (consent-bound and exempt) and both formats, the export's
body is the JSON search's entries (every page) written by the Python encoders
(``schemas/export_formats.py``) byte for byte, and, parsed, the same values.
"""

import csv
import io
import json
from datetime import datetime, timedelta

from pydantic import TypeAdapter

from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from odoo.addons.spp_api_v2.tests.common import record_consent
from odoo.addons.spp_api_v2_entitlements.models.entitlement_export import (
    TEXT,
    csv_cell_sql,
)
from odoo.addons.spp_api_v2_entitlements.schemas.entitlement import Entitlement
from odoo.addons.spp_api_v2_entitlements.schemas.export_formats import (
    CSV,
    NDJSON,
    csv_cell,
    encoder_for,
)

from .common import SEARCH, EntitlementApiCase

ROOT = "/api/v2/spp"
ENTRY = TypeAdapter(Entitlement)
GUARD_SAMPLES = (
    "plain",
    "=1+1",
    ";=1+1",
    "a,=b",
    "a\t@b",
    "a\n+b",
    "\t=x",
    "-12.50",
    "1;-5",
    "-5;=1",
    "a;;=1",
    "Jean-Pierre; Anne",
    'say "hi", =1',
    "-1e5",
    "x=1",
    "\r\n-",
)


@tagged("post_install", "-at_install")
class TestExportRowsAreTheSearchEntries(EntitlementApiCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Currency = cls.env["res.currency"].with_context(active_test=False)
        kwd = Currency.search([("name", "=", "KWD")])
        jpy = Currency.search([("name", "=", "JPY")])
        (kwd | jpy).active = True
        yen_company = cls.env["res.company"].create(
            {"name": "Yen company", "currency_id": jpy.id}
        )
        dinar_company = cls.env["res.company"].create(
            {"name": "Dinar company", "currency_id": kwd.id}
        )
        # a journal with its own currency for one programme
        cls.cash_program.journal_id = cls.env["account.journal"].create(
            {
                "name": "Disbursements",
                "type": "bank",
                "code": "XDISB",
                "beneficiary_disb": True,
                "currency_id": kwd.id,
            }
        )
        cls.percent_program.payment_managers = [(5, 0, 0)]
        # registrants of every handle case, with hard names
        IdType = cls.env["g2p.id.type"]
        piped = IdType.create({"name": "Bad|Type"})
        yesterday = cls.today - timedelta(days=1)

        def registrant(name, ids=()):
            return cls.env["res.partner"].create(
                {
                    "name": name,
                    "is_registrant": True,
                    "reg_ids": [
                        (0, 0, {"id_type": id_type.id, "value": value, **extra})
                        for id_type, value, extra in ids
                    ],
                }
            )

        hard = [
            registrant(";=1+1", [(cls.national_id, "E-1", {"expiry_date": yesterday})]),
            registrant(
                'Quote "Q", comma', [(cls.passport, "P-9", {"status": "invalid"})]
            ),
            registrant("Line\nbreak\r\n\tand\x01control", []),
            registrant(
                "Zoë Ñúñez 李", [(piped, "X-1", {}), (cls.passport, "=P-1", {})]
            ),
            registrant("-2+3,@x\t+y", [(cls.national_id, "N-77", {})]),
            registrant("-12.50", [(cls.national_id, ";-1,=2", {})]),
        ]
        for partner in hard[:5]:
            record_consent(partner)
        # amounts: places of each currency, more places than the currency
        cash = cls.env["g2p.entitlement"]
        for n, partner in enumerate(hard):
            cash |= cls._cash(
                partner,
                "10",
                cycle=(cls.cash_cycle, cls.cash_cycle2, cls.percent_cycle)[n % 3],
                state=("approved", "draft", "trans2FSP")[n % 3],
                code=f"C-HARD-{n}" if n != 4 else "=C-HARD-4",
                valid_until=False if n % 2 else "2024-07-31",
            )
        cash[0].company_id = yen_company
        cash[2].company_id = dinar_company
        cash[3].date_approved = "2024-06-03"
        cash.flush_recordset()
        exact = {
            "initial_amount": [
                "0.125",
                "1500",
                "1e-05",
                "-3.5",
                "12345678901234.5678",
                "7",
            ],
            "transfer_fee": ["0.5", "0", "2.25", "0.001", "1", None],
        }
        for column, amounts in exact.items():
            for record, amount in zip(cash, amounts, strict=True):
                cls.env.cr.execute(
                    SQL(
                        "UPDATE g2p_entitlement SET %s = %s::numeric WHERE id = %s",
                        SQL.identifier(column),
                        amount,
                        record.id,
                    )
                )
        cash.invalidate_recordset()
        Payment = cls.env["g2p.payment"]
        for n, status in enumerate(("paid", "failed", False, "paid")):
            Payment.create(
                {
                    "name": f"PAY-{n}",
                    "entitlement_id": cash[n % 2].id,
                    "cycle_id": cash[n % 2].cycle_id.id,
                    "amount_issued": 1.0,
                    "amount_paid": 0.3 + n,
                    "status": status,
                    "state": "reconciled" if status else "issued",
                }
            )
        for n, partner in enumerate(hard):
            cls._inkind(
                partner,
                (cls.rice, cls.oil)[n % 2],
                n,
                state=("approved", "draft")[n % 2],
                code=f"K-HARD-{n}",
                unit_price=1.5 + n if n % 2 else False,
                total_amount=(1.5 + n) * n if n % 2 else False,
                uom_id=cls.unit.id if n % 3 else False,
            )
        moment = cls._stamp_all(start=datetime(2024, 6, 2, 8))
        # ties on write_date: order by code, kind, record
        tied = cls.env["g2p.entitlement.inkind"].search([("code", "like", "K-HARD-%")])
        cls._stamp(tied, moment)
        cls._stamp(cash[:2], moment)

    def _body(self, media_type, client):
        response = self.opener.get(
            self.base_url() + ROOT + SEARCH,
            headers={
                "Authorization": f"Bearer {self._token(client)}",
                "Accept": media_type,
            },
            timeout=60,
        )
        self.assertEqual(response.status_code, 200, response.text)
        return response.content

    def _entries(self, client):
        entries, params = [], {"_count": 3}
        while True:
            page = self._search(params, client)
            entries += page["entries"]
            if not page["next"]:
                return entries
            params = {"_count": 3, "_cursor": page["next"]}

    def test_export_rows_are_the_json_search_entries(self):
        for client in (self.psp, self.auditor):
            entries = self._entries(client)
            self.assertGreater(len(entries), 12)
            models = [ENTRY.validate_python(entry) for entry in entries]
            for media_type in (CSV, NDJSON):
                with self.subTest(client=client.name, media_type=media_type):
                    encoder = encoder_for(media_type)
                    expected = (
                        encoder.header()
                        + encoder.entries(models)
                        + encoder.trailer(len(models))
                    )
                    body = self._body(media_type, client)
                    if media_type == NDJSON:
                        lines = body.decode().split("\n")
                        self.assertEqual(
                            [json.loads(line) for line in lines[:-2]], entries
                        )
                    else:
                        rows = list(csv.reader(io.StringIO(body.decode())))
                        header = rows[0]
                        self.assertEqual(
                            rows[1:-1],
                            [
                                [csv_cell(entry.get(column)) for column in header]
                                for entry in entries
                            ],
                        )
                    # row by row, then the whole body byte for byte
                    self.assertEqual(
                        body.splitlines(keepends=True),
                        expected.splitlines(keepends=True),
                    )
                    self.assertEqual(body, expected)

    def test_the_guard_and_quoting_are_the_same_in_sql(self):
        for text in GUARD_SAMPLES:
            self.env.cr.execute(
                SQL("SELECT %s", csv_cell_sql(SQL("%s::text", text), TEXT))
            )
            expected = io.StringIO()
            csv.writer(expected, lineterminator="\r\n").writerow([csv_cell(text)])
            self.assertEqual(
                self.env.cr.fetchone()[0], expected.getvalue()[:-2], repr(text)
            )

    def test_the_cells_of_every_short_text_are_the_same_in_sql(self):
        # every text of up to 3 of these characters: the tests that let most
        # cells through unchanged (MAY_CHANGE_CELL, MAY_NEED_GUARD) let none
        # through that the guard or the quoting changes
        alphabet = ["a", "1", ".", "-", "+", "=", "@", ";", ",", "\t", "\r", "\n", '"']
        texts = [""]
        for _ in range(3):
            texts = [t + c for t in texts for c in alphabet] + texts
        texts = sorted(set(texts))
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM unnest(%s::text[]) WITH ORDINALITY AS t(text, n)"
                " ORDER BY n",
                csv_cell_sql(SQL("t.text"), TEXT),
                texts,
            )
        )
        cells = [row[0] for row in self.env.cr.fetchall()]
        expected = []
        for text in texts:
            out = io.StringIO()
            csv.writer(out, lineterminator="\r\n").writerow([csv_cell(text), "x"])
            expected.append(out.getvalue()[: -len(",x\r\n")])
        self.assertEqual(len(cells), len(texts))
        for text, cell, want in zip(texts, cells, expected, strict=True):
            self.assertEqual(cell, want, repr(text))
