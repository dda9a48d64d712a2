"""Rules of the payment write-back, without Odoo."""

from datetime import datetime
from decimal import Decimal

import pytest

from odoo.addons.spp_api_v2_entitlements.schemas.errors import STATUS_OF_KIND
from odoo.addons.spp_api_v2_entitlements.schemas.payment_report import (
    FAILED_EXAMPLE,
    OUTCOME_EXAMPLE,
    PAID_EXAMPLE,
    PARTIAL_EXAMPLE,
    PaymentOutcome,
    PaymentReportBatchIn,
    PaymentReportIn,
    inline_schema,
    parse_batch,
    parse_report,
)
from odoo.addons.spp_api_v2_entitlements.services.errors import ReportRejected
from odoo.addons.spp_api_v2_entitlements.services.payment_report_rules import (
    Report,
    apply_report,
    outcome,
    parse_json,
)

NOW = datetime(2024, 6, 3, 12, 0)


def paid(**extra):
    return {**PAID_EXAMPLE, **extra}


def errors_of(call, *args):
    with pytest.raises(ReportRejected) as caught:
        call(*args)
    return [(e.field, STATUS_OF_KIND[e.kind]) for e in caught.value.errors]


def test_paid_report():
    report = parse_report(paid(), "E-1", NOW)
    assert report == Report(
        entitlement="E-1",
        reference="PSP-000123",
        status="paid",
        amount=Decimal("1500.00"),
        currency="PHP",
        paid_at=datetime(2024, 6, 3, 10, 0),
        fee=Decimal("5.00"),
        reason=None,
    )


def test_paid_at_offsets_are_converted_to_utc_and_naive_is_utc():
    report = parse_report(PARTIAL_EXAMPLE, "E-1", NOW)
    assert report.paid_at == datetime(2024, 6, 3, 2, 5)
    naive = parse_report(paid(paid_at="2024-06-03T10:00:00"), "E-1", NOW)
    assert naive.paid_at == datetime(2024, 6, 3, 10, 0)


def test_failed_report():
    report = parse_report(FAILED_EXAMPLE, "E-1", NOW)
    assert (report.status, report.reason, report.amount) == (
        "failed",
        "Beneficiary account closed",
        None,
    )


@pytest.mark.parametrize(
    "body, fields",
    [
        ({"reference": "R", "status": "paid"}, [("amount", 422), ("paid_at", 422)]),
        (paid(amount="0"), [("amount", 422)]),
        (paid(amount="-1"), [("amount", 422)]),
        (paid(amount="1e3"), [("amount", 422)]),
        (paid(amount="1,5"), [("amount", 422)]),
        (paid(amount=True), [("amount", 422)]),
        (paid(amount="1" * 21), [("amount", 422)]),
        (paid(fee="-0.01"), [("fee", 422)]),
        (paid(reason="x"), [("reason", 422)]),
        (paid(paid_at="2024-06-03T12:06:00Z"), [("paid_at", 422)]),
        (paid(paid_at=1717408800), [("paid_at", 422)]),
        (paid(status="refunded"), [("status", 422)]),
        (paid(reference=" PSP"), [("reference", 422)]),
        (paid(reference="x" * 129), [("reference", 422)]),
        (paid(reference="PSP\x00-1"), [("reference", 422)]),
        ({**FAILED_EXAMPLE, "reason": "closed\x00"}, [("reason", 422)]),
        (paid(extra=1), [("extra", 422)]),
        ({"reference": "R", "status": "failed"}, [("reason", 422)]),
        (
            {**FAILED_EXAMPLE, "amount": "1", "fee": "1"},
            [("amount", 422), ("fee", 422)],
        ),
        ([], [("body", 422)]),
    ],
)
def test_invalid_reports_name_every_field(body, fields):
    assert errors_of(parse_report, body, "E-1", NOW) == fields


def test_paid_at_within_the_clock_skew_is_accepted():
    assert parse_report(paid(paid_at="2024-06-03T12:04:59Z"), "E-1", NOW)


def test_decimals_are_exact_from_strings_and_json_numbers():
    data = parse_json(b'{"amount": 0.30000000000000004, "fee": 12, "x": 1.10}')
    assert data == {
        "amount": Decimal("0.30000000000000004"),
        "fee": 12,
        "x": Decimal("1.10"),
    }
    report = parse_report(paid(amount=data["amount"], fee=data["fee"]), "E-1", NOW)
    assert report.amount == Decimal("0.30000000000000004")
    assert report.fee == Decimal(12)


@pytest.mark.parametrize(
    "raw",
    [b"{", b"\xff", b'{"amount": NaN}', b"Infinity", b"[" * 100_000 + b"]" * 100_000],
)
def test_bodies_that_are_not_json(raw):
    assert errors_of(parse_json, raw) == [("body", 422)]


def test_digest_ignores_notation_not_content():
    one = parse_report(paid(amount="1500.00", paid_at="2024-06-03T10:00:00Z"), "E", NOW)
    same = parse_report(
        paid(amount=Decimal("1500"), paid_at="2024-06-03T12:00:00+02:00"), "E", NOW
    )
    assert one.digest() == same.digest()
    for other in (
        parse_report(paid(amount="1500.01"), "E", NOW),
        parse_report(paid(), "F", NOW),
        parse_report(paid(fee=None), "E", NOW),
        parse_report(paid(currency=None), "E", NOW),
    ):
        assert other.digest() != one.digest()


def report(**extra):
    return parse_report(paid(**extra), "E-1", NOW)


def test_full_payment_leaves_nothing_and_the_entitlement_paid():
    applied = apply_report(
        report(amount="1500"), state="approved", balance=Decimal("1500"), currency="PHP"
    )
    assert (applied.state, applied.balance) == ("rdpd2ben", Decimal(0))


def test_partial_payment_transfers_to_the_provider():
    for state in ("approved", "trans2FSP"):
        applied = apply_report(
            report(amount="500.10"),
            state=state,
            balance=Decimal("1500.10"),
            currency="PHP",
        )
        assert (applied.state, applied.balance) == ("trans2FSP", Decimal("1000.00"))


def test_failure_keeps_state_and_balance():
    failure = parse_report(FAILED_EXAMPLE, "E-1", NOW)
    for state in ("approved", "trans2FSP"):
        applied = apply_report(
            failure, state=state, balance=Decimal("10"), currency=None
        )
        assert (applied.state, applied.balance) == (state, Decimal("10"))


@pytest.mark.parametrize(
    "state", ["draft", "pending_validation", "rdpd2ben", "cancelled", "expired"]
)
def test_other_states_are_a_conflict(state):
    assert errors_of(
        lambda: apply_report(
            report(), state=state, balance=Decimal("1500"), currency="PHP"
        )
    ) == [("entitlement", 409)]


def test_amount_above_balance_and_other_currency():
    assert errors_of(
        lambda: apply_report(
            report(amount="1500.01", currency="USD"),
            state="approved",
            balance=Decimal("1500"),
            currency="PHP",
        )
    ) == [("currency", 422), ("amount", 422)]
    # an unknown currency cannot be confirmed
    assert errors_of(
        lambda: apply_report(
            report(), state="approved", balance=Decimal("1500"), currency=None
        )
    ) == [("currency", 422)]
    # no currency given: nothing to compare
    assert apply_report(
        report(currency=None), state="approved", balance=Decimal("1500"), currency=None
    )


def test_outcome_has_the_currency_places():
    applied = apply_report(
        report(amount="1000.1", fee="5"),
        state="approved",
        balance=Decimal("1500.1"),
        currency="PHP",
    )
    result = PaymentOutcome(
        **outcome(
            report(amount="1000.1", fee="5"),
            payment="P-1",
            applied=applied,
            currency="PHP",
            places=2,
        )
    )
    assert result.model_dump(mode="json") == {
        "reference": "PSP-000123",
        "entitlement": "E-1",
        "status": "paid",
        "amount": "1000.10",
        "currency": "PHP",
        "paid_at": "2024-06-03T10:00:00.000000Z",
        "fee": "5.00",
        "reason": None,
        "payment": "P-1",
        "entitlement_state": "trans2FSP",
        "balance": "500.00",
    }


def item(code, **extra):
    return {"entitlement": code, **PAID_EXAMPLE, **extra}


def test_batch_keeps_valid_reports_and_lists_the_others():
    reports, errors = parse_batch(
        {
            "reports": [
                item("A"),
                item("B", amount="x"),
                "not an object",
                item("C", reference="R2"),
                {**PAID_EXAMPLE},
            ]
        },
        NOW,
    )
    assert [(index, r.entitlement) for index, r in reports] == [(0, "A"), (3, "C")]
    assert [(e.index, e.entitlement, e.field) for e in errors] == [
        (1, "B", "amount"),
        (2, None, "body"),
        (4, None, "entitlement"),
    ]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"reports": []}, "reports"),
        ({"reports": [item("A")] * 1001}, "reports"),
        ({"reports": "A"}, "reports"),
        ({}, "reports"),
        ({"reports": [item("A")], "more": 1}, "more"),
        ([item("A")], "body"),
    ],
)
def test_batch_body_faults(body, field):
    assert errors_of(parse_batch, body, NOW) == [(field, 422)]


def test_examples_validate():
    PaymentReportIn.model_validate(PAID_EXAMPLE)
    PaymentReportIn.model_validate(PARTIAL_EXAMPLE)
    PaymentReportIn.model_validate(FAILED_EXAMPLE)
    PaymentOutcome.model_validate(OUTCOME_EXAMPLE)
    batch = PaymentReportBatchIn.model_json_schema()["examples"][0]
    assert parse_batch(batch, NOW)[1] == []


def test_inline_schema_has_no_references():
    schema = inline_schema(PaymentReportBatchIn)
    assert "$ref" not in str(schema) and "$defs" not in schema
    assert "reference" in schema["properties"]["reports"]["items"]["properties"]


def test_the_balance_in_a_message_has_the_currency_places():
    with pytest.raises(ReportRejected) as caught:
        apply_report(
            report(amount="1801"),
            state="approved",
            balance=Decimal("1800.0"),  # as a numeric column may hold it
            currency="PHP",
            places=2,
        )
    assert caught.value.detail() == "amount: 1801.00 exceeds the balance 1800.00"


def test_more_decimal_places_than_the_currency_has_are_refused():
    for extra, field in (({"amount": "10.005"}, "amount"), ({"fee": "0.001"}, "fee")):
        with pytest.raises(ReportRejected) as caught:
            apply_report(
                report(**{"amount": "10", **extra}),
                state="approved",
                balance=Decimal("1500"),
                currency="PHP",
                places=2,
            )
        assert [e.field for e in caught.value.errors] == [field]
        assert "more decimal places than PHP has (2)" in caught.value.detail()
    applied = apply_report(
        report(amount="10.50", fee="0.10"),
        state="approved",
        balance=Decimal("1500"),
        currency="PHP",
        places=2,
    )
    assert applied.balance == Decimal("1489.50")
