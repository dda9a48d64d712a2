"""System parameters read as numbers (spp_api_base/services/system_params.py):
the one reader behind the body limit, the export limits and the retentions."""

import pytest

from odoo.addons.spp_api_base.services.system_params import number_param


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 7),
        (False, 7),
        ("", 7),
        ("   ", 7),
        ("12", 12),
        (" 12 ", 12),
        ("-3", -3),
        ("0", 0),
        ("twelve", "bad"),
        ("1.5", "bad"),
    ],
)
def test_unset_is_the_default_and_malformed_is_said(value, expected):
    assert number_param(value, 7, malformed="bad") == expected


def test_a_cast_reads_other_numbers():
    assert number_param("1.5", 60.0, cast=float) == 1.5
    assert number_param("soon", 60.0, cast=float) is None
