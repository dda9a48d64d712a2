"""Registrant search: ORM domain and paging limits (no Odoo)."""

DEFAULT_COUNT = 100
MAX_COUNT = 1000
ORDER = "id asc"


def registrant_domain(
    is_group: bool, registrant_id: int | None = None, name: str | None = None
) -> list:
    """Domain of the registrants (individuals or groups) matching the filters.

    ``name`` matches part of the name, case-insensitively.
    """
    domain = [("is_registrant", "=", True), ("is_group", "=", is_group)]
    if registrant_id is not None:
        domain.append(("id", "=", registrant_id))
    if name:
        domain.append(("name", "ilike", name))
    return domain
