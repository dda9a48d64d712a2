"""Registrant search: ORM domain and paging limits (no Odoo)."""

DEFAULT_COUNT = 100
MAX_COUNT = 1000
ORDER = "id asc"
# Database ids are PostgreSQL integers: a larger number names no record (in a
# query it is an "out of range" error). Offsets are bounded the same way.
MAX_DATABASE_ID = 2**31 - 1
MAX_OFFSET = 2**31 - 1


def registrant_domain(
    is_group: bool, registrant_id: int | None = None, name: str | None = None
) -> list:
    """Domain of the registrants (individuals or groups) matching the filters.

    ``name`` matches part of the name, case-insensitively.
    """
    domain = [("is_registrant", "=", True), ("is_group", "=", is_group)]
    if registrant_id is not None:
        if not 0 < registrant_id <= MAX_DATABASE_ID:
            return [("id", "in", [])]
        domain.append(("id", "=", registrant_id))
    if name:
        domain.append(("name", "ilike", name))
    return domain
