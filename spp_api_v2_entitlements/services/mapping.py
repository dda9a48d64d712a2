"""Entitlement records -> the fields of their response models
(``schemas/entitlement.py``), as keyword dicts.

Works on anything with the attributes of the Odoo records (ORM records or
plain objects): empty relations may be ``None`` or an empty recordset, empty
values ``None`` or ``False``. Amounts (cash amounts, paid sums, fees, in-kind
values) are passed in separately, read exactly from the database (the ORM hands
out floats); in-kind quantities are integers upstream and exact as they are.
"""

from decimal import Decimal, InvalidOperation

from odoo.addons.spp_api_base.services.registrant_handle import registrant_handle


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


def _amount(value, places):
    return with_places(exact_decimal(value), places)


def map_cash(
    record,
    *,
    amount,
    registrant_ids,
    today,
    paid=None,
    transfer_fee=None,
    payment_method=None,
    service_point=None,
):
    """``amount``, ``paid`` (sum of the paid payments) and ``transfer_fee``
    as read from the database; ``balance`` is ``amount - paid``."""
    currency = entitlement_currency(record)
    places = _value(currency.decimal_places) if currency else None
    exact = exact_decimal(amount)
    balance = None if exact is None else exact - (exact_decimal(paid) or 0)
    return dict(
        entitlement_type="cash",
        amount=with_places(exact, places),
        currency=_name(currency),
        balance=with_places(balance, places),
        transfer_fee=_amount(transfer_fee, places),
        ern=_value(record.ern),
        approved_date=_value(record.date_approved),
        payment_method=_value(payment_method),
        service_point=_value(service_point),
        **_common(record, registrant_ids, today),
    )


def product_reference(product):
    if not product:
        return None
    return _value(product.default_code) or _value(product.name)


def map_inkind(
    record,
    *,
    registrant_ids,
    today,
    unit_price=None,
    total_amount=None,
    service_point=None,
):
    """``unit_price`` and ``total_amount`` as read from the database."""
    currency = entitlement_currency(record)
    places = _value(currency.decimal_places) if currency else None
    return dict(
        entitlement_type="inkind",
        product=product_reference(record.product_id),
        qty=_value(record.qty),
        unit=_name(record.uom_id),
        unit_price=_amount(unit_price, places),
        total_amount=_amount(total_amount, places),
        currency=_name(currency),
        approved_date=_value(record.date_approved),
        service_point=_value(service_point),
        **_common(record, registrant_ids, today),
    )
