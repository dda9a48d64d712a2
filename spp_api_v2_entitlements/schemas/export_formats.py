"""The entitlement search streamed as CSV or NDJSON: the representations
(pure: no Odoo).

- Content negotiation of ``GET /Entitlement`` on ``Accept``: JSON (the
  default), CSV or NDJSON; anything else is 406.
- The encodings: CSV (RFC 4180, UTF-8, a header row, one column per field of
  the response models of both kinds) and NDJSON (one JSON entry per line),
  each ended by a trailer that tells a complete export from a cut one.
"""

import csv
import io
import json
import re
import typing
from dataclasses import dataclass

from ..services.errors import InvalidParameter, NotAcceptable
from .entitlement import Entitlement

JSON = "application/json"
NDJSON = "application/x-ndjson"
CSV = "text/csv"
# the server's preference when the client's weights tie (json stays the default)
MEDIA_TYPES = (JSON, NDJSON, CSV)
# paging makes no sense for an export that holds every matching entry
PAGING_PARAMETERS = ("_count", "_cursor", "_offset", "_total")
# the first cell of the CSV trailer record, the key of the NDJSON trailer line
TRAILER = "#end"
# Cells spreadsheets would run as formulas (OWASP "CSV injection"): a cell,
# or a part of one after a character a spreadsheet may split cells on when it
# imports the file (";", "," or a tab; a line break), that starts with one of
# FORMULA_CHARS gets a "'" before that character, unless that part is a plain
# number ("-12.50"). The same rule as a regular expression that Python and
# PostgreSQL read alike (the export formats its CSV cells in SQL).
FORMULA_CHARS = "=+-@\t\r"
_FORMULA = r"[=+\-@\t\r]"
_SPLIT = r"[;,\t\r\n]"
_NOT_NUMBER = rf"(?!-?\d+(?:\.\d+)?(?:{_SPLIT}|\Z))"
# a formula at the start of the cell (its first part)
FORMULA_AT_START = rf"^(?={_FORMULA}){_NOT_NUMBER}"
# a formula after a split character: the character, then "'"
FORMULA_INSIDE = rf"({_SPLIT})(?={_FORMULA}){_NOT_NUMBER}"
# cheap first test: no formula character at the start or after a split
# character, nothing to guard
MAY_NEED_GUARD = rf"(?:^|{_SPLIT}){_FORMULA}"
# cells that are quoted (RFC 4180, as Python's csv module does)
NEEDS_QUOTES = r'[",\r\n]'
# text that matches neither is its own cell (one test for most cells)
MAY_CHANGE_CELL = rf"{MAY_NEED_GUARD}|{NEEDS_QUOTES}"
_FORMULA_AT_START = re.compile(FORMULA_AT_START)
_FORMULA_INSIDE = re.compile(FORMULA_INSIDE)


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    quality: float
    order: int

    def matches(self, media_type):
        type_, subtype = media_type.split("/")
        return self.type in ("*", type_) and self.subtype in ("*", subtype)

    @property
    def specificity(self):
        return (self.type != "*") + (self.subtype != "*")


def _ranges(accept):
    ranges = []
    for order, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        if not media:
            continue
        type_, sep, subtype = media.lower().partition("/")
        if not sep or not type_ or not subtype:
            continue  # malformed: ignored, like a range that matches nothing
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append(_Range(type_, subtype, quality, order))
    return ranges


def negotiate(accept):
    """The media type to answer for the ``Accept`` header value ``accept``.

    No header (or an empty one) is JSON. Each of our media types gets the
    weight of the most specific range that matches it (RFC 9110 12.5.1); the
    heaviest wins, ties go to the order of :data:`MEDIA_TYPES`. Raises
    :class:`NotAcceptable` when every weight is 0.
    """
    if accept is None or not accept.strip():
        return JSON
    ranges = _ranges(accept)
    best, best_quality = None, 0.0
    for media_type in MEDIA_TYPES:
        matching = [r for r in ranges if r.matches(media_type)]
        if not matching:
            continue
        quality = max(matching, key=lambda r: (r.specificity, -r.order)).quality
        if quality > best_quality:
            best, best_quality = media_type, quality
    if best is None:
        raise NotAcceptable(accept, MEDIA_TYPES)
    return best


def check_no_paging(items):
    """An export holds every matching entry: paging parameters are refused
    (named), not ignored."""
    given = sorted({name for name, _value in items} & set(PAGING_PARAMETERS))
    if given:
        raise InvalidParameter(
            ", ".join(given),
            "not with a streamed export (Accept: text/csv or application/x-ndjson), "
            "which holds every matching entry; page with JSON instead",
        )


# CSV


def entry_models(union=Entitlement):
    """The response models of the entry union, in its order."""
    members = typing.get_args(union)
    if members and typing.get_origin(union) is typing.Annotated:
        members = typing.get_args(members[0])
    return members


def csv_columns(models=None):
    """Every field of the entry models, in order of first appearance (the
    first kind's fields, then those only the next kinds have)."""
    columns = []
    for model in models or entry_models():
        for name, info in model.model_fields.items():
            column = info.serialization_alias or info.alias or name
            if column not in columns:
                columns.append(column)
    return tuple(columns)


def guard_formula(text):
    """``text`` with a ``'`` before every part a spreadsheet would run as a
    formula (see :data:`FORMULA_INSIDE`): ``=1+1`` -> ``'=1+1``, ``;=1+1`` ->
    ``;'=1+1``; plain numbers (``-12.50``) are left alone."""
    guarded = _FORMULA_INSIDE.sub(r"\1'", text)
    if _FORMULA_AT_START.match(text):
        guarded = "'" + guarded
    return guarded


def csv_cell(value):
    """A JSON value as a CSV cell: null is empty, text and numbers as JSON
    writes them (without quotes), true/false, nested values as JSON text."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return guard_formula(value)
    if isinstance(value, int | float):
        return json.dumps(value)
    return guard_formula(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


class CsvEncoder:
    media_type = f"{CSV}; charset=utf-8; header=present"
    extension = "csv"

    def __init__(self, columns=None):
        self.columns = columns or csv_columns()
        self._buffer = io.StringIO()
        # RFC 4180: CRLF line ends, fields quoted when they need it
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    def _rows(self, rows):
        self._writer.writerows(rows)
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text.encode()

    def header(self):
        return self._rows([self.columns])

    def entries(self, entries):
        rows = []
        for entry in entries:
            values = entry.model_dump(mode="json", by_alias=True)
            rows.append([csv_cell(values.get(column)) for column in self.columns])
        return self._rows(rows)

    def trailer(self, count):
        """The last record: ``#end`` and the number of entries, other cells
        empty. Missing: the export was cut short."""
        padding = [""] * (len(self.columns) - 2)
        return self._rows([[TRAILER, str(count), *padding]])


class NdjsonEncoder:
    media_type = NDJSON
    extension = "ndjson"

    def header(self):
        return b""

    def entries(self, entries):
        return b"".join(
            entry.model_dump_json(by_alias=True).encode() + b"\n" for entry in entries
        )

    def trailer(self, count):
        """The last line, ``{"#end": {"count": N}}``: no entry has that key.
        Missing: the export was cut short."""
        return json.dumps({TRAILER: {"count": count}}).encode() + b"\n"


ENCODERS = {CSV: CsvEncoder, NDJSON: NdjsonEncoder}


def encoder_for(media_type):
    return ENCODERS[media_type]()


def encode_export(encoder, batches, sent=None):
    """Chunks of the export: the header, one chunk per batch of entries, the
    trailer with the number of entries.

    ``batches`` yields ``(entries, partner_ids)``: the response models of a
    batch and their registrants. ``sent(count, partner_ids)`` is called for
    each batch before its chunk is handed out (the access audit). If
    ``batches`` fails, the error propagates and no trailer is written.
    """
    count = 0
    header = encoder.header()
    if header:
        yield header
    for entries, partner_ids in batches:
        if not entries:
            continue
        chunk = encoder.entries(entries)
        if sent is not None:
            sent(len(entries), partner_ids)
        count += len(entries)
        yield chunk
    yield encoder.trailer(count)
