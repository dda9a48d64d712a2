"""Sort order, keyset conditions and merging of the two entitlement kinds.

Entries are ordered by last change, then code, then kind (cash before in-kind),
then record, all ascending. Codes compare by code point, which is how
PostgreSQL compares them under ``COLLATE "C"`` (the ORM glue sorts and filters
with that collation so that the database and this module agree).

Paging by this key (keyset paging) cannot skip or repeat an entry because of
rows created or changed between two pages: anything written after a page was
served sorts after it. A changed entry moves to the end and is served again,
with its new content, once.
"""

from dataclasses import dataclass
from datetime import datetime

from .kinds import KIND_RANK, KINDS


@dataclass(frozen=True, order=True)
class EntryKey:
    write_date: datetime
    code: str
    kind_rank: int
    record_id: int

    @classmethod
    def of(cls, kind, write_date, code, record_id):
        if kind not in KIND_RANK:
            raise ValueError(f"unknown kind {kind!r}")
        return cls(write_date, code, KIND_RANK[kind], record_id)

    @property
    def kind(self):
        return KINDS[self.kind_rank]


@dataclass(frozen=True)
class KeysetCondition:
    """Rows of one kind that sort after a cursor position.

    ``write_date > W`` or (``write_date = W`` and ``code > C``), plus the rows
    with exactly ``(W, C)``: all of them when ``same_code`` is ``"all"``, those
    with ``id > after_id`` when it is ``"after_id"``, none when ``"none"``.
    """

    write_date: datetime
    code: str
    same_code: str
    after_id: int | None = None


def keyset_condition(position: EntryKey, kind: str) -> KeysetCondition:
    rank = KIND_RANK[kind]
    if rank > position.kind_rank:
        return KeysetCondition(position.write_date, position.code, "all")
    if rank < position.kind_rank:
        return KeysetCondition(position.write_date, position.code, "none")
    return KeysetCondition(
        position.write_date, position.code, "after_id", position.record_id
    )


def fetch_limit(count, offset=None):
    """Rows to fetch per kind so that the merged page is exact.

    The first ``offset + count`` entries of the merged order are among the first
    ``offset + count`` of each kind; one more tells whether a next page exists.
    """
    return (offset or 0) + count + 1


def merge_page(keys_by_kind, count, offset=None):
    """``(page, has_more)``: the merged entries ``[offset, offset + count)``.

    ``keys_by_kind`` maps each searched kind to its rows (``EntryKey``) as
    fetched with :func:`fetch_limit`, in any order.
    """
    merged = sorted(key for keys in keys_by_kind.values() for key in keys)
    start = offset or 0
    page = merged[start : start + count]
    return page, len(merged) > start + count
