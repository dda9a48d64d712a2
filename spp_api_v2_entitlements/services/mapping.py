"""Entitlement records -> the fields of their response models
(``schemas/entitlement.py``), as keyword dicts.

Works on anything with the attributes of the Odoo records (ORM records or
plain objects): empty relations may be ``None`` or an empty recordset, empty
values ``None`` or ``False``. Cash amounts are passed in separately, read
exactly from the database (the ORM hands out floats); in-kind quantities are
integers upstream and exact as they are.
"""

from decimal import Decimal, InvalidOperation

from odoo.addons.spp_api_v2.services.registrant_handle import registrant_handle


def _value(value):
    return None if value is False or value is None else value


def _name(relation):
    return _value(relation.name) if relation else None


def exact_decimal(value):
    """Database numeric -> Decimal without any float rounding on the way."""
    if value is None or value is False:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Only double precision columns get here; repr is the shortest exact
        # text of the stored double.
        return Decimal(repr(value))
    return Decimal(str(value))


def with_places(amount, places):
    """``amount`` written with the ``places`` decimals of its currency.

    1500.1 -> 1500.10 (PHP), 10.0 -> 10 (JPY: the ".0" only comes from the
    float upstream stored). Never rounded: an amount with more significant
    decimals than the currency has keeps them all (0.125 PHP -> 0.125).
    """
    if amount is None or places is None or places < 0:
        return amount
    try:
        exact = amount.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:  # more digits than the decimal context holds
        return amount
    if exact == amount:
        return exact
    return amount.normalize()


def _common(record, registrant_ids, today):
    cycle = record.cycle_id
    return {
        "code": record.code,
        "program": _name(cycle.program_id) if cycle else None,
        "cycle": _name(cycle),
        "beneficiary": registrant_handle(registrant_ids, today),
        "beneficiary_name": _name(record.partner_id),
        "state": record.state,
        "valid_from": _value(record.valid_from),
        "valid_until": _value(record.valid_until),
        "last_updated": record.write_date,
    }


def _relation(value):
    return value if value else None


def entitlement_currency(record):
    """The currency an entitlement's amounts are in, or None when none is known.

    Upstream's ``currency_id`` is the disbursement journal's own currency only,
    empty for a journal without one and for an entitlement without a journal.
    Here: the journal's currency, else the journal's company currency (Odoo's
    rule for a journal without a currency of its own); without a journal, the
    currency of the entitlement's company.
    """
    journal = _relation(record.journal_id)
    if journal is not None:
        company = _relation(journal.company_id)
        return _relation(journal.currency_id) or (
            _relation(company.currency_id) if company is not None else None
        )
    company = _relation(record.company_id)
    return _relation(company.currency_id) if company is not None else None


def map_cash(record, *, amount, registrant_ids, today, payment_method=None):
    currency = entitlement_currency(record)
    places = _value(currency.decimal_places) if currency else None
    return dict(
        entitlement_type="cash",
        amount=with_places(exact_decimal(amount), places),
        currency=_name(currency),
        payment_method=_value(payment_method),
        **_common(record, registrant_ids, today),
    )


def product_reference(product):
    if not product:
        return None
    return _value(product.default_code) or _value(product.name)


def map_inkind(record, *, registrant_ids, today):
    return dict(
        entitlement_type="inkind",
        product=product_reference(record.product_id),
        qty=_value(record.qty),
        unit=_name(record.uom_id),
        **_common(record, registrant_ids, today),
    )
