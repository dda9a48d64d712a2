"""Domains of records whose period (open ends empty) holds a moment."""

from odoo.addons.spp_api_base.services.periods import period_domain


def test_both_ends_open_when_empty_the_end_included():
    assert period_domain("valid_from", "valid_until", 7) == [
        "|",
        ("valid_from", "=", False),
        ("valid_from", "<=", 7),
        "|",
        ("valid_until", "=", False),
        ("valid_until", ">=", 7),
    ]


def test_a_period_whose_end_is_excluded_has_ended_at_its_end():
    assert period_domain("start_date", "ended_date", 7, end_included=False)[3:] == [
        "|",
        ("ended_date", "=", False),
        ("ended_date", ">", 7),
    ]
