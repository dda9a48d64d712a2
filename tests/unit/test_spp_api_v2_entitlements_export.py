"""Negotiation and encodings of the streamed entitlement search."""

import csv
import io
import json
import re

import pytest

from odoo.addons.spp_api_v2_entitlements.schemas.entitlement import (
    CASH_EXAMPLE,
    INKIND_EXAMPLE,
    CashEntitlement,
    InKindEntitlement,
)
from odoo.addons.spp_api_v2_entitlements.schemas.export_formats import (
    CSV,
    JSON,
    MAY_CHANGE_CELL,
    MAY_NEED_GUARD,
    NDJSON,
    CsvEncoder,
    NdjsonEncoder,
    check_no_paging,
    csv_cell,
    csv_columns,
    encode_export,
    guard_formula,
    negotiate,
)
from odoo.addons.spp_api_v2_entitlements.services.errors import NotAcceptable
from odoo.addons.spp_api_v2_entitlements.services.search_params import (
    InvalidParameter,
)

CASH = CashEntitlement(**CASH_EXAMPLE)
INKIND = InKindEntitlement(**INKIND_EXAMPLE)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("application/json", JSON),
        ("application/*", JSON),
        ("application/json; charset=utf-8", JSON),
        ("text/csv", CSV),
        ("TEXT/CSV; charset=utf-8", CSV),
        ("text/*", CSV),
        ("application/x-ndjson", NDJSON),
        ("application/json;q=0.5, text/csv", CSV),
        ("text/csv;q=0.4, application/x-ndjson;q=0.8", NDJSON),
        # a browser: */* at 0.8 is JSON
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON),
        # the most specific range decides: text/csv refused, json by */*
        ("text/csv;q=0, */*", JSON),
        ("application/xml, text/csv;q=0.1", CSV),
        # equal weights: the server's order (json, ndjson, csv)
        ("text/csv, application/x-ndjson", NDJSON),
    ],
)
def test_negotiate(accept, expected):
    assert negotiate(accept) == expected


@pytest.mark.parametrize(
    "accept",
    [
        "application/xml",
        "text/html",
        "*/*;q=0",
        "text/csv;q=0, application/json;q=0, application/x-ndjson;q=0",
        "nonsense",
        "application/json;q=abc",
    ],
)
def test_negotiate_refuses(accept):
    with pytest.raises(NotAcceptable) as caught:
        negotiate(accept)
    assert "Accept" in caught.value.detail
    assert repr(accept) in caught.value.detail
    assert "text/csv" in caught.value.detail


def test_paging_parameters_are_refused_by_name():
    check_no_paging([("state", "approved"), ("program", "x")])
    with pytest.raises(InvalidParameter) as caught:
        check_no_paging([("_total", "none"), ("_count", "5"), ("state", "x")])
    assert caught.value.name == "_count, _total"
    assert caught.value.detail.startswith("Invalid parameter _count, _total:")


def test_columns_are_every_field_of_both_kinds_once():
    columns = csv_columns()
    fields = set(CashEntitlement.model_fields) | set(InKindEntitlement.model_fields)
    assert set(columns) == fields
    assert len(columns) == len(fields)
    assert columns[0] == "code"
    # the first kind's fields first, then the in-kind ones
    assert columns.index("amount") < columns.index("product")


def test_a_field_added_to_a_model_becomes_a_column():
    class Wider(CashEntitlement):
        paid_amount: str | None = None

    assert "paid_amount" not in csv_columns()
    assert "paid_amount" in csv_columns((Wider, InKindEntitlement))


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        ("1500.00", "1500.00"),
        ("-12.50", "-12.50"),
        (2, "2"),
        (True, "true"),
        (False, "false"),
        ("2024-06-02T08:15:30.123456Z", "2024-06-02T08:15:30.123456Z"),
        (["a", 1], '["a",1]'),
        ("=1+2", "'=1+2"),
        ("+33 1", "'+33 1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Maria = Santos", "Maria = Santos"),
    ],
)
def test_cells(value, cell):
    assert csv_cell(value) == cell


def test_guard_leaves_plain_numbers():
    assert guard_formula("-1") == "-1"
    assert guard_formula("-1e5") == "'-1e5"


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        # issue 21: a spreadsheet that splits on ";" saw the cell =1+1
        (";=1+1", ";'=1+1"),
        ("Maria,=HYPERLINK(x)", "Maria,'=HYPERLINK(x)"),
        ("a\t@SUM(A1)", "a\t'@SUM(A1)"),
        ("a\n+1", "a\n'+1"),
        ("=1;=2", "'=1;'=2"),
        ("\t=x", "'\t'=x"),
        ("a;;=1", "a;;'=1"),
        # plain numbers, at the start or after a split character, stay
        ("1;-5", "1;-5"),
        ("-5;=1", "-5;'=1"),
        ("-2.5,-3", "-2.5,-3"),
        ("a;-b", "a;'-b"),
        # a formula character inside a part is no formula
        ("Jean-Pierre; Anne", "Jean-Pierre; Anne"),
        ("x=1", "x=1"),
    ],
)
def test_guard_after_split_characters(text, guarded):
    assert guard_formula(text) == guarded


def _csv(encoder, entries, count):
    text = (
        encoder.header() + encoder.entries(entries) + encoder.trailer(count)
    ).decode()
    return text, list(csv.reader(io.StringIO(text)))


def test_csv_rows_are_the_json_values():
    encoder = CsvEncoder()
    text, rows = _csv(encoder, [CASH, INKIND], 2)
    assert text.endswith("\r\n")
    header, cash, inkind, trailer = rows
    assert header == list(csv_columns())
    for entry, row in ((CASH, cash), (INKIND, inkind)):
        values = json.loads(entry.model_dump_json())
        assert dict(zip(header, row, strict=True)) == {
            column: csv_cell(values.get(column)) for column in header
        }
    cash = dict(zip(header, cash, strict=True))
    assert cash["amount"] == "1500.00"
    assert cash["last_updated"] == "2024-06-02T08:15:30.123456Z"
    assert cash["payment_method"] == "Default"
    assert cash["service_point"] == ""
    assert cash["qty"] == ""
    assert dict(zip(header, inkind, strict=True))["qty"] == "2"
    assert trailer == ["#end", "2", *[""] * (len(header) - 2)]


def test_csv_quotes_what_needs_quoting():
    entry = CashEntitlement(**{**CASH_EXAMPLE, "beneficiary_name": 'Santos, "Ma"\nria'})
    _text, rows = _csv(CsvEncoder(), [entry], 1)
    header = rows[0]
    assert rows[1][header.index("beneficiary_name")] == 'Santos, "Ma"\nria'


def test_ndjson_lines_are_the_json_entries():
    encoder = NdjsonEncoder()
    body = encoder.header() + encoder.entries([CASH, INKIND]) + encoder.trailer(2)
    lines = body.decode().split("\n")
    assert lines[-1] == ""
    assert [json.loads(line) for line in lines[:2]] == [CASH_EXAMPLE, INKIND_EXAMPLE]
    assert json.loads(lines[2]) == {"#end": {"count": 2}}


def test_encode_export_reports_each_batch_before_it_goes_out():
    events = []

    def batches():
        yield [CASH], [7]
        events.append("read 2")
        yield [INKIND, CASH], [8, 7]
        yield [], []

    def sent(count, partner_ids):
        events.append(("sent", count, partner_ids))

    chunks = []
    for chunk in encode_export(NdjsonEncoder(), batches(), sent):
        chunks.append(chunk)
        events.append("chunk")
    assert events == [
        ("sent", 1, [7]),
        "chunk",
        "read 2",
        ("sent", 2, [8, 7]),
        "chunk",
        "chunk",
    ]
    assert json.loads(chunks[-1]) == {"#end": {"count": 3}}


def test_a_failed_export_has_no_trailer():
    def batches():
        yield [CASH], [1]
        raise RuntimeError("connection lost")

    chunks = []
    with pytest.raises(RuntimeError):
        for chunk in encode_export(CsvEncoder(), batches()):
            chunks.append(chunk)
    assert len(chunks) == 2  # header, first batch
    assert b"#end" not in b"".join(chunks)


def test_a_closed_export_stops_reading():
    read = []

    def batches():
        for n in range(100):
            read.append(n)
            yield [CASH], [1]

    stream = encode_export(NdjsonEncoder(), batches())
    next(stream)
    stream.close()
    assert read == [0]


def _texts(alphabet, longest):
    texts = [""]
    for _ in range(longest):
        texts = [t + c for t in texts for c in alphabet] + texts
    return set(texts)


def test_a_text_the_first_tests_pass_is_its_own_cell():
    # The export (SQL) writes a text as its own cell when it matches neither
    # MAY_CHANGE_CELL nor, inside the guard, MAY_NEED_GUARD: no text that the
    # guard or the quoting changes may slip through them.
    alphabet = ["a", "1", ".", "-", "+", "=", "@", ";", ",", "\t", "\r", "\n", '"']
    checked = 0
    for text in _texts(alphabet, 4):
        if not re.search(MAY_NEED_GUARD, text):
            assert guard_formula(text) == text, repr(text)
        if not re.search(MAY_CHANGE_CELL, text):
            assert csv_cell(text) == text, repr(text)
            out = io.StringIO()
            csv.writer(out, lineterminator="\r\n").writerow([text, "x"])
            assert out.getvalue() == f"{text},x\r\n", repr(text)
            checked += 1
    assert checked > 1000  # "Jean-Pierre", "ERN-0", "1;2"... are their own cells
    for text in ("ERN-0", "Jean-Pierre", "x=1", "a;b"):
        assert not re.search(MAY_CHANGE_CELL, text)
