"""Records (plain objects here) -> Entitlement response models."""

import json
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace as Obj

import pytest
from pydantic import TypeAdapter

from odoo.addons.spp_api_v2_entitlements.schemas.entitlement import (
    CASH_EXAMPLE,
    INKIND_EXAMPLE,
    CashEntitlement,
    Entitlement,
    EntitlementSearchResult,
    InKindEntitlement,
)
from odoo.addons.spp_api_v2_entitlements.services.mapping import (
    entitlement_currency,
    exact_decimal,
    product_reference,
    with_places,
)
from odoo.addons.spp_api_v2_entitlements.services.mapping import (
    map_cash as cash_fields,
)
from odoo.addons.spp_api_v2_entitlements.services.mapping import (
    map_inkind as inkind_fields,
)

TODAY = date(2024, 6, 15)
EMPTY = False  # what Odoo gives for an empty value


def reg_id(type_name, value, status=EMPTY, expiry=EMPTY):
    return Obj(
        id=1,
        id_type=Obj(name=type_name),
        value=value,
        status=status,
        expiry_date=expiry,
    )


def map_cash(record, **kwargs):
    """The response model of a cash record, built as the model layer does."""
    return CashEntitlement(**cash_fields(record, **kwargs))


def map_inkind(record, **kwargs):
    return InKindEntitlement(**inkind_fields(record, **kwargs))


PHP = Obj(name="PHP", decimal_places=2)
KWD = Obj(name="KWD", decimal_places=3)
JPY = Obj(name="JPY", decimal_places=0)


def company(currency):
    return Obj(currency_id=currency)


def journal(currency=EMPTY, company_currency=PHP):
    return Obj(currency_id=currency, company_id=company(company_currency))


def record(**overrides):
    values = {
        "code": "E-1",
        "state": "approved",
        "valid_from": date(2024, 6, 1),
        "valid_until": EMPTY,
        "write_date": datetime(2024, 6, 2, 8, 15, 30, 123456),
        "partner_id": Obj(name="Maria Santos"),
        "cycle_id": Obj(name="Cycle 1", program_id=Obj(name="Cash Transfer")),
        "journal_id": EMPTY,
        "company_id": company(PHP),
        "product_id": Obj(default_code="RICE-25", name="Rice 25 kg"),
        "qty": 3,
        "uom_id": Obj(name="Units"),
        "ern": EMPTY,
        "date_approved": EMPTY,
    }
    values.update(overrides)
    return Obj(**values)


def as_json(model):
    return json.loads(model.model_dump_json())


def test_cash_is_the_documented_example():
    """The schema's example is what a record holding its values maps to."""
    entitlement = map_cash(
        record(
            code="8f2c-41d7-a9e3",
            cycle_id=Obj(name="Cycle 1", program_id=Obj(name="Cash Transfer 2024")),
            valid_until=date(2024, 6, 30),
            ern="0451236789",
            date_approved=date(2024, 6, 1),
        ),
        amount=Decimal("1500"),
        transfer_fee=Decimal("5"),
        registrant_ids=[reg_id("National ID", "NID-0001")],
        today=TODAY,
        payment_method="Default",
    )
    assert isinstance(entitlement, CashEntitlement)
    assert as_json(entitlement) == CASH_EXAMPLE


def test_balance_is_the_amount_less_the_paid_payments():
    entitlement = map_cash(
        record(),
        amount=Decimal("1500.10"),
        paid=Decimal("1000.1"),
        registrant_ids=[],
        today=TODAY,
    )
    data = as_json(entitlement)
    assert (data["amount"], data["balance"]) == ("1500.10", "500.00")
    assert data["valid_until"] is None


def test_balance_without_paid_payments_is_the_amount():
    entitlement = map_cash(
        record(), amount=Decimal("0.125"), registrant_ids=[], today=TODAY
    )
    assert as_json(entitlement)["balance"] == "0.125"
    assert as_json(entitlement)["transfer_fee"] is None


def test_inkind_values_currency_and_service_point():
    entitlement = map_inkind(
        record(code="K-1", date_approved=date(2024, 6, 3)),
        registrant_ids=[],
        today=TODAY,
        unit_price=Decimal("450.5"),
        total_amount=None,
        service_point="Barangay Hall",
    )
    data = as_json(entitlement)
    assert data["unit_price"] == "450.50"
    assert data["total_amount"] is None
    assert data["currency"] == "PHP"
    assert data["approved_date"] == "2024-06-03"
    assert data["service_point"] == "Barangay Hall"


def test_inkind():
    entitlement = map_inkind(record(code="K-1"), registrant_ids=[], today=TODAY)
    assert isinstance(entitlement, InKindEntitlement)
    data = as_json(entitlement)
    assert data["entitlement_type"] == "inkind"
    assert data["product"] == "RICE-25"
    assert data["qty"] == 3
    assert data["unit"] == "Units"
    assert data["beneficiary"] is None
    assert "amount" not in data and "balance" not in data
    assert set(data) == set(INKIND_EXAMPLE)


def test_product_is_default_code_else_name():
    assert product_reference(Obj(default_code=EMPTY, name="Rice")) == "Rice"
    assert product_reference(Obj(default_code="R1", name="Rice")) == "R1"
    assert product_reference(EMPTY) is None
    assert product_reference(None) is None


def test_missing_currency_is_null_not_a_guess():
    for no_company in (EMPTY, None, company(EMPTY)):
        entitlement = map_cash(
            record(company_id=no_company),
            amount=Decimal("5"),
            registrant_ids=[],
            today=TODAY,
        )
        data = as_json(entitlement)
        assert data["currency"] is None
        assert data["amount"] == "5"


def test_currency_is_the_journal_currency_else_its_company_currency():
    assert entitlement_currency(record(journal_id=journal(KWD))) is KWD
    # a journal without a currency of its own: its company's (Odoo's rule),
    # even when the entitlement belongs to another company
    assert (
        entitlement_currency(
            record(journal_id=journal(EMPTY, JPY), company_id=company(KWD))
        )
        is JPY
    )
    assert entitlement_currency(record(journal_id=journal(EMPTY, EMPTY))) is None
    # no journal: the entitlement's company
    assert entitlement_currency(record(company_id=company(KWD))) is KWD
    assert entitlement_currency(record(journal_id=None)) is PHP


def test_amount_has_the_places_of_the_currency_in_use():
    data = as_json(
        map_cash(
            record(journal_id=journal(KWD)),
            amount=Decimal("1500.1"),
            registrant_ids=[],
            today=TODAY,
        )
    )
    assert (data["currency"], data["amount"]) == ("KWD", "1500.100")


def test_empty_relations_are_null():
    entitlement = map_inkind(
        record(
            product_id=EMPTY, uom_id=None, cycle_id=EMPTY, partner_id=EMPTY, qty=None
        ),
        registrant_ids=[],
        today=TODAY,
    )
    data = as_json(entitlement)
    for name in ("product", "unit", "qty", "cycle", "program", "beneficiary_name"):
        assert data[name] is None, name


@pytest.mark.parametrize(
    "amount",
    [
        Decimal("0.10"),
        Decimal("12345678901234567.89"),  # beyond float precision
        Decimal("0.000001"),
        Decimal("-3.30"),
        Decimal("1E+2"),
    ],
)
def test_amounts_are_exact_decimal_strings(amount):
    data = as_json(
        map_cash(
            record(company_id=EMPTY), amount=amount, registrant_ids=[], today=TODAY
        )
    )
    assert Decimal(data["amount"]) == amount
    assert "E" not in data["amount"]
    assert data["amount"] == format(amount, "f")


def test_amounts_are_written_with_the_currency_decimals_without_rounding():
    def amount(value, currency):
        entitlement = map_cash(
            record(company_id=company(currency)),
            amount=Decimal(value),
            registrant_ids=[],
            today=TODAY,
        )
        return as_json(entitlement)["amount"]

    assert amount("1500.1", PHP) == "1500.10"
    assert amount("1500", PHP) == "1500.00"
    # more decimals than the currency has: kept, never rounded
    assert amount("0.125", PHP) == "0.125"
    assert amount("7", JPY) == "7"
    # upstream stores floats: 10.0 is ten yen, 1500.1 is not rounded to 1500
    assert amount("10.0", JPY) == "10"
    assert amount("1500.1", JPY) == "1500.1"
    assert amount("2.50", JPY) == "2.5"
    assert amount("1500.1", KWD) == "1500.100"
    assert amount("0.1250", PHP) == "0.125"
    assert amount("12345678901234567.8", PHP) == "12345678901234567.80"
    assert amount("1500.1", EMPTY) == "1500.1"
    assert with_places(None, 2) is None
    assert with_places(Decimal("1E+2"), 2) == Decimal("100.00")
    huge = Decimal("1" * 40)
    assert with_places(huge, 2) is huge


def test_exact_decimal():
    assert exact_decimal(Decimal("1.10")) == Decimal("1.10")
    assert str(exact_decimal(Decimal("1.10"))) == "1.10"
    assert exact_decimal(2) == Decimal(2)
    assert exact_decimal(0.1) == Decimal("0.1")  # not 0.1000000000000000055...
    assert exact_decimal(None) is None
    assert exact_decimal(False) is None
    assert exact_decimal("2.50") == Decimal("2.50")


def test_discriminated_union_and_examples_validate():
    adapter = TypeAdapter(Entitlement)
    assert isinstance(adapter.validate_python(CASH_EXAMPLE), CashEntitlement)
    assert isinstance(adapter.validate_python(INKIND_EXAMPLE), InKindEntitlement)
    result = EntitlementSearchResult.model_validate(
        EntitlementSearchResult.model_json_schema(mode="serialization")["examples"][0]
    )
    assert [e.entitlement_type for e in result.entries] == ["cash", "inkind"]
    assert result.entries[0].amount == Decimal("1500.00")


def test_serialization_schema_says_decimals_are_strings():
    schema = EntitlementSearchResult.model_json_schema(mode="serialization")
    cash = schema["$defs"]["CashEntitlement"]
    amount = cash["properties"]["amount"]["anyOf"][0]
    assert amount["type"] == "string"
    assert set(cash["required"]) >= {"amount", "currency", "payment_method", "code"}
