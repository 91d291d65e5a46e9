"""One write path per operation: ``create`` and ``bulk_create``, fast cleaners and the full rules.

``bulk_create`` writes new records through the same builders as ``create`` (``_prepare``,
``_new_row``, ``_insert_new``, ``search_entry``), only batched; validation's fast cleaners stand
in for ``clean_field`` on common values. These properties hold both to giving the same results
on random input, valid and invalid: identical rows, change rows and search entries; identical
clean values and problems.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lehe_desktop.core.errors import ValidationError
from lehe_desktop.core.ids import uuid7
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.problems import Problem
from lehe_desktop.core.records.schema import Context, FieldSpec, Kind, RecordType, record_type
from lehe_desktop.core.records.validate import validate
from lehe_desktop.core.records.vocab_seed import DQ_CODES
from lehe_desktop.core.store import search as fts
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store

TODAY = date(2026, 3, 1)
PASSPHRASE = "write paths passphrase 1"
# Types with every kind of behaviour: derive (member, matter), titles that look a record up
# (visit), REAL and INT fields with sums (activity), names, ID numbers and phones.
RTYPES = ("household", "member", "visit", "activity", "matter")
STAMPS = ("versions", "updated_hlc")
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])


def _id_number(area: str, birth: date, seq: int) -> str:
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


ID_NUMBERS = [_id_number("500238", date(1958, 4, 2), 121), _id_number("500238", date(1990, 12, 30), 342),
              _id_number("110105", date(2015, 7, 1), 17), "500238195804021210", "12345"]


def _open(root: Path) -> Store:
    st_, _recovery = vault.setup(DataPaths(root=root, logs=root / "logs"), PASSPHRASE, worker_name="测试社工")
    st_.today = TODAY
    return st_


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Store, Store, dict[str, str]]]:
    """Two empty stores holding the same parents (an area, a household, a visit), same ids."""
    a, b = _open(tmp_path / "a"), _open(tmp_path / "b")
    # Each database makes its own key for the ID-number and phone tokens of its search index:
    # b takes a's (and is reopened to read it), so the two indexes can be compared term by term.
    b.set_meta("search_key", a.meta()["search_key"])
    b.close()
    b = vault.unlock(DataPaths(root=tmp_path / "b", logs=tmp_path / "b" / "logs"), PASSPHRASE)
    b.today = TODAY
    try:
        parents: dict[str, str] = {}
        for st_ in (a, b):
            parents["area"] = st_.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
            hid = parents.setdefault("household", uuid7())
            st_.create("household", {"area_id": parents["area"], "group_name": "1组", "head_name": "王德明"}, rid=hid)
            vid = parents.setdefault("visit", uuid7())
            st_.create("visit", {"household_id": hid, "visit_date": "2026-02-01", "visit_type": "routine",
                                 "target_seen": 1, "situation": "一切正常", "risk_level": "low",
                                 "follow_up_needed": 0}, rid=vid)
        yield a, b, parents
    finally:
        a.close()
        b.close()


def _value(f: FieldSpec, store: Store, parents: dict[str, str], *, valid: bool) -> st.SearchStrategy[Any]:
    """Values for one field: ones that pass its own rules, or (``valid=False``) any, some invalid."""
    k = f.kind
    good: st.SearchStrategy[Any]
    bad: st.SearchStrategy[Any]
    if k is Kind.VOCAB:
        codes = [v["code"] for v in store.vocab(f.vocab or "")] or ["x"]
        good = st.one_of(st.sampled_from(codes), st.sampled_from(codes).map(lambda c: f" {c} "))
        bad = st.sampled_from([*sorted(DQ_CODES), "nonsense", 7])
    elif k is Kind.REF:
        good = st.just(parents.get(f.ref or "", "no-such-id"))
        bad = st.sampled_from(["no-such-id", 7])
    elif k in (Kind.TEXT, Kind.LONGTEXT):
        limit = min(12, f.max_len or 12)
        good = st.text(alphabet="王李秀英乐和村 ab1\n\r,." if k is Kind.LONGTEXT else "王李秀英乐和村 ab1,.",
                       min_size=1, max_size=limit).filter(str.strip)
        bad = st.sampled_from(["a\nb", "x" * 120, "y" * 250, 12])
    elif k is Kind.NAME:
        good = st.sampled_from(["王秀英", " 李德 ", "欧阳·娜娜"])
        bad = st.sampled_from(["张", "王" * 31, "Wang1", 3])
    elif k is Kind.DATE:
        good = st.one_of(st.integers(-25000, -1).map(lambda d: (TODAY + timedelta(days=d)).isoformat()),
                         st.integers(-3000, 0).map(lambda d: TODAY + timedelta(days=d)))
        bad = st.one_of(st.integers(1, 40).map(lambda d: (TODAY + timedelta(days=d)).isoformat()),
                        st.sampled_from(["2026-02-30", " 2025-12-01 ", "2025/12/01", "1800-01-01", -1]))
    elif k is Kind.TIMESTAMP:
        good = st.sampled_from(["2026-02-01T08:30:00Z", "2026-02-01T08:30:00+08:00"])
        bad = st.sampled_from(["2026-02-01 08:30", "yesterday"])
    elif k in (Kind.INT, Kind.REAL):
        lo, hi = int(f.minimum or 0), int(min(f.maximum or 100, 100))
        good = st.integers(lo, hi) if k is Kind.INT else st.one_of(
            st.integers(lo, hi), st.floats(lo, hi, allow_nan=False), st.just(1 / 3))
        bad = st.sampled_from(["12", "1.5", 4.0, 4.5, -3, 10**6, True])
    elif k is Kind.BOOL:
        good = st.sampled_from([True, False, 0, 1, "是", "否"])
        bad = st.sampled_from([2, "yes", "maybe", 0.5])
    elif k is Kind.ID_NUMBER:
        good = st.sampled_from(ID_NUMBERS[:3])
        bad = st.sampled_from(ID_NUMBERS[3:])
    elif k is Kind.PHONE:
        good = st.sampled_from(["13800138000", "138 0013 8000"])
        bad = st.sampled_from(["+86 138-0013-8000", "023-5123456", "12"])
    else:
        raise AssertionError(k)
    if valid:
        return good
    return st.one_of(good, good, bad, st.sampled_from([None, "", "  "]))


def _base(rtype: str, parents: dict[str, str]) -> dict[str, Any]:
    """A valid record to start from: cross-field checks refuse most records drawn field by field."""
    return {
        "household": {"area_id": parents["area"], "group_name": "2组", "head_name": "李德"},
        "member": {"household_id": parents["household"], "name": "王秀英", "sex": "2", "relation": "02"},
        "visit": {"household_id": parents["household"], "visit_date": "2026-02-11", "visit_type": "routine",
                  "target_seen": 1, "situation": "身体尚可", "risk_level": "low", "follow_up_needed": 0},
        "activity": {"title": "坝坝舞", "category": "song_dance", "activity_date": "2026-02-01",
                     "area_id": parents["area"], "actual_count": 20},
        "matter": {"raised_on": "2026-02-01", "channel": "walk_in", "topic_category": "sanitation",
                   "description": "路灯坏了", "sanshi_class": "minor", "status": "registered"},
    }[rtype]


@st.composite
def _records(draw: st.DrawFn, rt: RecordType, store: Store, parents: dict[str, str]) -> dict[str, Any]:
    """A record's raw values: a valid record with some fields drawn (each valid on its own, or not)."""
    valid = draw(st.integers(0, 3)) > 0
    values: dict[str, Any] = dict(_base(rt.name, parents))
    drawn = draw(st.sets(st.sampled_from(rt.field_names), max_size=4 if valid else len(rt.field_names)))
    for f in rt.fields:
        if f.name in drawn:
            values[f.name] = draw(_value(f, store, parents, valid=valid))
    return values


def _snapshot(store: Store, rt: RecordType, rids: list[str]) -> list[tuple[Any, ...]]:
    """Each record as written: row (stamps aside), its change rows, its search entry."""
    oi = store.origin_index(store.origin)
    vocab_made = False
    out = []
    for rid in rids:
        rec = store.query_dicts(f"SELECT * FROM {rt.table} WHERE id = ?", (rid,))[0]
        assert json.loads(rec["versions"]) == {"*": [rec["updated_hlc"], oi]}
        changes = [(kind, list(json.loads(fields)), json.loads(fields), base, h == rec["updated_hlc"])
                   for kind, fields, base, h in store.query(
                       "SELECT kind, fields, base, hlc FROM changes WHERE rtype = ? AND rid = ?", (rt.name, rid))]
        key = fts.row_key(rid)
        entry = store.query("SELECT rtype, rid, title FROM search WHERE rowid = ?", (key,))
        if not vocab_made:   # the index stores no text: read its terms back through fts5vocab
            with store.transaction():
                store.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms USING fts5vocab(main, search, instance)")
            vocab_made = True
        terms = sorted(t for (t,) in store.query("SELECT term FROM temp.terms WHERE doc = ?", (key,)))
        out.append(({k: v for k, v in rec.items() if k not in STAMPS}, changes, entry, terms))
    return out


@SETTINGS
@given(data=st.data())
def test_create_one_by_one_and_bulk_create_write_the_same_records(
        pair: tuple[Store, Store, dict[str, str]], data: st.DataObject) -> None:
    a, b, parents = pair
    rt = record_type(data.draw(st.sampled_from(RTYPES)))
    records = data.draw(st.lists(_records(rt, a, parents), min_size=1, max_size=4))
    ids = [uuid7() for _ in records]
    outcomes: list[list[Problem] | None] = []
    for rid, values in zip(ids, records, strict=True):
        try:
            a.create(rt.name, values, rid=rid)
            outcomes.append(None)
        except ValidationError as exc:
            outcomes.append(exc.problems)
    refused = [p for p in outcomes if p is not None]
    rows = [{**values, "id": rid} for rid, values in zip(ids, records, strict=True)]
    made_before = b.query_value("SELECT count(*) FROM changes")
    if refused:
        # The bulk stops at the first invalid row with exactly the problems create gave it, and writes nothing.
        with pytest.raises(ValidationError) as info:
            b.bulk_create(rt.name, rows, batch=2)
        assert info.value.problems == refused[0]
        assert b.query_value("SELECT count(*) FROM changes") == made_before
    valid = [row for row, problems in zip(rows, outcomes, strict=True) if problems is None]
    assert b.bulk_create(rt.name, valid, batch=2) == len(valid)
    written = [row["id"] for row in valid]
    event(f"{rt.name}: {len(written)} of {len(rows)} valid")
    assert _snapshot(a, rt, written) == _snapshot(b, rt, written)


@SETTINGS
@given(data=st.data())
def test_fast_cleaners_give_the_clean_values_and_problems_of_the_full_rules(
        pair: tuple[Store, Store, dict[str, str]], data: st.DataObject) -> None:
    a, _b, parents = pair
    rt = record_type(data.draw(st.sampled_from(RTYPES)))
    values = data.draw(_records(rt, a, parents))
    partial = data.draw(st.booleans())
    existing = a.get(rt.name, parents[rt.name]) if partial and rt.name in parents else None
    ctx = Context(today=TODAY, lookup=a, existing=existing)
    fast = validate(rt, values, ctx, partial=existing is not None)
    full = validate(rt, values, ctx, partial=existing is not None, fast=False)
    assert fast == full
    assert [type(v) for v in fast[0].values()] == [type(v) for v in full[0].values()]
