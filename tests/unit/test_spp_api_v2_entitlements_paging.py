"""Order, keyset conditions and merging of cash and in-kind pages."""

import random
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.spp_api_v2_entitlements.services.paging import (
    EntryKey,
    KeysetCondition,
    fetch_limit,
    keyset_condition,
    merge_page,
)

T0 = datetime(2024, 6, 1, 8)


def key(kind, seconds, code, record_id=1):
    return EntryKey.of(kind, T0 + timedelta(seconds=seconds), code, record_id)


def test_order_is_last_change_then_code_then_kind_then_record():
    keys = [
        key("inkind", 1, "A", 5),
        key("cash", 1, "B", 1),
        key("cash", 0, "Z", 9),
        key("cash", 1, "A", 7),
        key("inkind", 1, "A", 2),
    ]
    assert sorted(keys) == [
        key("cash", 0, "Z", 9),
        key("cash", 1, "A", 7),
        key("inkind", 1, "A", 2),
        key("inkind", 1, "A", 5),
        key("cash", 1, "B", 1),
    ]


def test_codes_compare_by_code_point_like_collate_c():
    # en_US collation would put "a-b" after "ab" and "B" after "a"
    assert sorted(["ab", "a-b", "B", "a"]) == ["B", "a", "a-b", "ab"]
    assert key("cash", 0, "B") < key("cash", 0, "a")


def test_keyset_condition_per_kind():
    position = key("cash", 3, "M", 10)
    assert keyset_condition(position, "cash") == KeysetCondition(
        position.write_date, "M", "after_id", 10
    )
    # in-kind sorts after cash: its entry with the same date and code is next
    assert keyset_condition(position, "inkind") == KeysetCondition(
        position.write_date, "M", "all"
    )
    position = key("inkind", 3, "M", 10)
    assert keyset_condition(position, "cash").same_code == "none"
    assert keyset_condition(position, "inkind").after_id == 10


def _after(condition, candidate, kind):
    """What the SQL of a KeysetCondition selects, in Python."""
    if candidate.write_date != condition.write_date:
        return candidate.write_date > condition.write_date
    if candidate.code != condition.code:
        return candidate.code > condition.code
    return {
        "all": True,
        "none": False,
        "after_id": candidate.record_id > (condition.after_id or 0),
    }[condition.same_code]


def _next_page(keys, position, count):
    """``(page, has_more)`` after ``position`` (None: the first page), as
    the search fetches it: per kind, the rows after the keyset condition in
    key order up to the fetch limit, then merged."""
    fetched = {}
    for kind in ("cash", "inkind"):
        candidates = [k for k in keys if k.kind == kind]
        if position is not None:
            condition = keyset_condition(position, kind)
            candidates = [k for k in candidates if _after(condition, k, kind)]
        fetched[kind] = sorted(candidates)[: fetch_limit(count)]
    return merge_page(fetched, count)


keys_strategy = st.lists(
    st.builds(
        key,
        st.sampled_from(["cash", "inkind"]),
        st.integers(0, 3),
        st.sampled_from(["A", "B", "a", "a-b"]),
        st.integers(1, 6),
    ),
    unique=True,
    max_size=40,
)


@given(keys=keys_strategy, count=st.integers(1, 7))
def test_paging_with_keyset_conditions_delivers_everything_once(keys, count):
    delivered, position = [], None
    for _ in range(len(keys) + 2):
        page, has_more = _next_page(keys, position, count)
        delivered += page
        assert len(page) <= count
        if not has_more:
            break
        position = page[-1]
    assert delivered == sorted(keys)


@given(keys=keys_strategy, count=st.integers(1, 7), offset=st.integers(0, 45))
def test_offset_pages_are_slices_of_the_merged_order(keys, count, offset):
    fetched = {
        kind: sorted(k for k in keys if k.kind == kind)[: fetch_limit(count, offset)]
        for kind in ("cash", "inkind")
    }
    page, has_more = merge_page(fetched, count, offset)
    assert page == sorted(keys)[offset : offset + count]
    assert has_more == (len(keys) > offset + count)


def test_merge_takes_fetched_rows_in_any_order():
    rows = [key("cash", s, "C", s) for s in range(5)]
    shuffled = rows[:]
    random.Random(1).shuffle(shuffled)
    page, has_more = merge_page({"cash": shuffled, "inkind": []}, 3)
    assert page == rows[:3]
    assert has_more


def test_fetch_limit():
    assert fetch_limit(20) == 21
    assert fetch_limit(20, 40) == 61


@given(
    initial=st.integers(0, 25),
    count=st.integers(1, 6),
    events=st.lists(
        st.tuples(st.sampled_from(["insert", "change"]), st.integers(0, 10**6)),
        max_size=30,
    ),
)
def test_changes_between_pages_neither_skip_nor_repeat(initial, count, events):
    """Rows inserted or changed between pages come later, once, as last written.

    Every write happens at a later moment than the previous one (Odoo stamps
    write_date with the time of the writing transaction).
    """
    clock = iter(range(1, 10**6))
    rows = {}  # record (kind, id) -> current key
    for record_id in range(initial):
        kind = "cash" if record_id % 2 else "inkind"
        rows[(kind, record_id)] = key(kind, 0, f"C{record_id:03d}", record_id)
    events = list(events)
    delivered, position = [], None
    while True:
        page, has_more = _next_page(rows.values(), position, count)
        delivered += page
        if page:
            position = page[-1]
        if events:  # somebody writes between two pages
            action, pick = events.pop(0)
            moment = next(clock)
            if action == "insert" or not rows:
                record_id = len(rows) + 1000
                kind = "cash" if pick % 2 else "inkind"
                rows[(kind, record_id)] = key(kind, moment, f"N{pick}", record_id)
            else:
                changed = sorted(rows)[pick % len(rows)]
                old = rows[changed]
                rows[changed] = key(old.kind, moment, old.code, old.record_id)
            continue
        if not has_more:
            break
    # no version is delivered twice, and the last version of every row is
    assert len(delivered) == len(set(delivered))
    assert set(rows.values()) <= set(delivered)
