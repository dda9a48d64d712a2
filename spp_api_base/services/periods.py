"""The ORM domain of records whose period holds a moment: a start and an end
field, each empty for an open end. Pure Python, no Odoo."""


def period_domain(start_field, end_field, moment, *, end_included=True):
    """Records with ``start_field`` empty or at or before ``moment``, and
    ``end_field`` empty or after it (at or after when ``end_included``)."""
    return [
        "|",
        (start_field, "=", False),
        (start_field, "<=", moment),
        "|",
        (end_field, "=", False),
        (end_field, ">=" if end_included else ">", moment),
    ]
