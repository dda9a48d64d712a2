"""System parameters (``ir.config_parameter``) read as numbers, without Odoo."""


def number_param(value, default, malformed=None, cast=int):
    """A system parameter's text as a number (``cast``): ``default`` when it
    is unset (None, False or blank), ``malformed`` when it is not a number."""
    text = "" if value is None or value is False else str(value).strip()
    if not text:
        return default
    try:
        return cast(text)
    except ValueError:
        return malformed
