"""The wire messages (core/messages.py): one codec, strict on decode, identity on a round trip."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lehe_desktop.core import messages as m
from lehe_desktop.core.messages import BadMessage, Change, PulledChange, PullReply, Push

INT64 = st.integers(min_value=m.INT64_MIN, max_value=m.INT64_MAX)
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=20) | st.sampled_from(
    ["王大山", "乐和村 3 组", "重庆市/巫溪县", "", "引号\"与\\反斜杠", "\u2028\n\t"])
SCALARS = st.none() | st.booleans() | INT64 | st.floats(allow_nan=False, allow_infinity=False) | TEXT
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                      max_leaves=12)
POSITIVE = st.integers(min_value=1, max_value=m.INT64_MAX)

changes = st.builds(
    Change,
    origin=st.builds(lambda d, e: f"{d}:{e}", TEXT, TEXT),
    seq=POSITIVE, hlc=POSITIVE, schema=INT64,
    rtype=TEXT.filter(bool), rid=TEXT.filter(bool),
    kind=st.sampled_from(["upsert", "delete", "undelete"]),
    fields=st.dictionaries(TEXT, VALUES, max_size=8),
    # The change log keeps an empty base as NULL: none, or the versions of at least one field.
    base=st.none() | st.dictionaries(TEXT, st.tuples(POSITIVE, TEXT).map(list), min_size=1, max_size=3),
    user=st.none() | TEXT, wall_ms=st.none() | INT64, app=st.none() | TEXT,
)


@settings(max_examples=300, deadline=None)
@given(change=changes)
def test_a_change_comes_back_as_it_went(change: Change) -> None:
    assert m.decode(m.encode(change), Change) == change
    assert m.decode(m.encode(Push(changes=[change, change])), Push).changes == [change, change]


@settings(max_examples=100, deadline=None)
@given(change=changes, server_seq=POSITIVE)
def test_stored_text_goes_out_as_the_same_message(change: Change, server_seq: int) -> None:
    """What laptop and server send from the change log (stored JSON text, not parsed again) decodes
    to the change itself."""
    row = (change.origin, change.seq, change.hlc, change.schema, change.rtype, change.rid, change.kind,
           m.dumps_text(change.fields), m.dumps_text(change.base) if change.base else None, change.user,
           change.wall_ms, change.app)
    assert m.decode(m.encode(m.stored_change(row)), Change) == change
    assert m.change_from_row(row) == change
    page = m.decode(m.encode(PullReply(changes=[m.stored_pulled((server_seq, *row))], next=server_seq)), PullReply)
    (pulled,) = page.changes
    assert isinstance(pulled, PulledChange) and pulled.server_seq == server_seq
    assert Change(**{f: getattr(pulled, f) for f in Change.__struct_fields__}) == change


def test_wire_keys_are_those_of_the_protocol() -> None:
    ch = Change(origin="d:e", seq=1, hlc=2, schema=3, rtype="household", rid="h1", fields={"head_name": "王"})
    assert list(msgspec.json.decode(m.encode(ch))) == [
        "origin", "seq", "hlc", "schema", "type", "id", "kind", "fields", "base", "user", "wall_ms", "app"]
    assert "中" in m.encode({"x": "中"}).decode()          # UTF-8, not \\u escapes


GOOD = {"origin": "dev:e", "seq": 1, "hlc": 5, "schema": 1, "type": "household", "id": "h1", "kind": "upsert",
        "fields": {"head_name": "王大山"}, "base": None, "user": None, "wall_ms": None, "app": None}
DEEP: Any = 2 ** 63
for _ in range(100):
    DEEP = [DEEP] if len(str(DEEP)) % 2 else {"k": DEEP}


@pytest.mark.parametrize("change", [
    {**GOOD, "seq": "1"},                                   # a number as text
    {**GOOD, "seq": 1.0},
    {**GOOD, "seq": True},
    {**GOOD, "seq": 0},                                     # sequence numbers start at 1
    {**GOOD, "hlc": 2 ** 63},                               # beyond SQLite's 64 bits
    {**GOOD, "wall_ms": -(2 ** 63) - 1},
    {**GOOD, "fields": {"n": 2 ** 64}},
    {**GOOD, "fields": {"x": [1, {"y": [10 ** 30]}]}},      # nested too
    {**GOOD, "fields": {"x": DEEP}},                        # however deep
    {**GOOD, "base": {"x": [1, 2 ** 64]}},
    {**GOOD, "fields": ["head_name"]},
    {**GOOD, "base": "x"},
    {**GOOD, "origin": "no-epoch"},                         # origin is device:epoch
    {**GOOD, "type": ""},
    {k: v for k, v in GOOD.items() if k != "id"},           # a key missing
    {k: v for k, v in GOOD.items() if k != "fields"},
])
def test_the_decoder_refuses_what_does_not_match(change: dict[str, Any]) -> None:
    with pytest.raises(BadMessage) as err:
        m.decode(msgspec.json.encode(change), Change)
    assert err.value.code == "sync.bad_message"


@pytest.mark.parametrize("body", [b"", b"{", b"[1]", b'{"changes": {}}', b'{"changes": [1e999]}',
                                  b'{"changes": [NaN]}', b'{"changes": 5}'])
def test_bodies_that_are_not_a_push_are_refused(body: bytes) -> None:
    with pytest.raises(BadMessage):
        m.decode(body, Push)


def test_keys_a_message_does_not_define_are_ignored() -> None:
    """Forward compatibility: a newer app may add keys (record fields it adds travel inside fields)."""
    ch = m.decode(msgspec.json.encode({**GOOD, "signature_v2": {"a": 1}, "priority": 3}), Change)
    assert ch == m.decode(msgspec.json.encode(GOOD), Change)
    assert m.decode(b'{"changes":[],"next":4,"more":false,"high_water":4,"mirror":"x"}', PullReply).next == 4
    # An older server's hello reply lacked max_body: defaults stand in for what is missing.
    assert m.decode(b'{"server_epoch":"e","high_water":3}', m.HelloReply).max_body is None


def test_stored_text_from_an_older_writer_still_reads() -> None:
    assert m.loads_text('{"a":NaN}')["a"] != m.loads_text('{"a":NaN}')["a"]     # json's NaN, kept
    assert m.dumps_text({"a": "中", "b": [1, 2.5, None]}) == '{"a":"中","b":[1,2.5,null]}'
