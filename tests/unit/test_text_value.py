"""``text_value``: the checks every text query parameter goes through."""

import pytest

from odoo.addons.spp_api_base.services.errors import InvalidParameter
from odoo.addons.spp_api_base.services.last_updated import text_value


@pytest.mark.parametrize("code", range(32))
def test_every_control_character_is_refused(code):
    with pytest.raises(InvalidParameter) as info:
        text_value("_cursor", f"abc{chr(code)}def")
    assert info.value.name == "_cursor"
    assert "control characters" in info.value.detail


def test_other_characters_pass():
    value = " a|b\x7f é 李 \u2028 ~"
    assert text_value("registrant", value) == value


@pytest.mark.parametrize("value", ["", "   ", None])
def test_blank_is_refused(value):
    with pytest.raises(InvalidParameter, match="must not be empty"):
        text_value("registrant", value)


def test_too_long_is_refused():
    with pytest.raises(InvalidParameter, match="longer than 5 characters"):
        text_value("registrant", "abcdef", max_length=5)
