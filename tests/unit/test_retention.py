"""How long the access audit and the deleted memberships are kept: the
retention system parameter as read by ``spp_api_base/services/retention.py``."""

import pytest

from odoo.addons.spp_api_base.services.retention import retention_days


@pytest.mark.parametrize(
    ("value", "days"),
    [
        (None, 365),
        (False, 365),
        ("", 365),
        ("abc", 365),
        ("soon", 365),
        ("30", 30),
        (" 7 ", 7),
        ("0", 0),
        ("-5", 0),
    ],
)
def test_retention_days_parameter(value, days):
    assert retention_days(value) == days


def test_a_missing_or_malformed_value_gives_the_default_asked():
    assert retention_days(None, 30) == 30
    assert retention_days("soon", 30) == 30
    assert retention_days("0", 30) == 0
