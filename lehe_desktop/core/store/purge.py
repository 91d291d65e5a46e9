"""Scrubbing an anonymised person out of this replica: records, history, conflicts, search.

A purge record (``records/purge.py``) names a member. When one arrives — saved here, pulled,
imported — or when any change about a purged person arrives later, the store calls ``enforce``
as the transaction ends (schema 11's trigger and ``Store.transaction``), so every replica
scrubs by itself and an old change can never bring the data back:

- the member's identifying and sensitive fields (names, ID number, free text, health …) become
  empty, or ``PLACEHOLDER`` where a value is required; their phones, disabilities and categories
  are deleted and emptied; rows that name them elsewhere (consents, attendance …) lose their
  identifying fields; a household they head loses the head's name and address;
- the person's name is replaced by ``PLACEHOLDER`` wherever it is written in the free text of
  their household's records (a visit's notes). To find it again in text that arrives later, the
  replica keeps only the name's length and a keyed hash of it (meta ``purge_key``), never the name;
- the change log's copies of all those records (every historical change, ``fields`` and
  ``base``) are rewritten the same way, and so are open conflicts' values;
- the search entries are rebuilt from the scrubbed rows and the index is optimised, so the old
  terms leave its segments; SQLite's ``secure_delete`` zeroes the freed space, and the store
  checkpoints the WAL afterwards.

The digests kept with the changes are left as they were: a re-sent copy of an old change is
still recognised as the one already stored, not as a reused sequence number.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from functools import cache
from typing import Any

import sqlcipher3

from ..records.schema import FieldSpec, Kind, Privacy, RecordType, all_types, record_type

PLACEHOLDER = "（已匿名化）"
# A member's own child rows: deleted with the scrub (what they hold is about the person only).
_DELETED_WITH_MEMBER = frozenset({"member_phone", "member_disability", "member_category"})
_TEXT = (Kind.TEXT, Kind.LONGTEXT, Kind.NAME)

Reindex = Callable[[RecordType, dict[str, Any]], None]


def _personal(f: FieldSpec) -> bool:
    if f.kind is Kind.REF:
        return False
    if f.privacy in (Privacy.IDENTIFYING, Privacy.SENSITIVE) or f.kind in (Kind.NAME, Kind.ID_NUMBER, Kind.PHONE):
        return True
    return f.kind in (Kind.TEXT, Kind.LONGTEXT) and f.privacy is not Privacy.PUBLIC


@cache
def _scrubbed(rtype: str) -> dict[str, Any]:
    """Field → the value it gets, for a record about the anonymised person."""
    rt = record_type(rtype)
    return {f.name: (PLACEHOLDER if f.required and f.kind in _TEXT else None) for f in rt.fields if _personal(f)}


@cache
def _refs_to(target: str) -> tuple[tuple[RecordType, str], ...]:
    return tuple((rt, f.name) for rt in all_types() if rt.synced
                 for f in rt.fields if f.kind is Kind.REF and f.ref == target)


@cache
def _text_fields(rtype: str) -> tuple[str, ...]:
    return tuple(f.name for f in record_type(rtype).fields if f.kind in _TEXT)


def pending(conn: sqlcipher3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM purge_pending LIMIT 1").fetchone() is not None


def active(conn: sqlcipher3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM purged_members LIMIT 1").fetchone() is not None


def arrived_since(conn: Any, first_change_id: int) -> bool:
    """A purge among the changes written after ``first_change_id`` (where no trigger queues it:
    the server on PostgreSQL)."""
    return conn.execute("SELECT 1 FROM changes WHERE id > ? AND rtype = 'purge' LIMIT 1",
                        (first_change_id,)).fetchone() is not None


def touched_since(conn: Any, first_change_id: int, *, json_sql: bool = True) -> bool:
    """Did a change written after ``first_change_id`` concern an anonymised person?
    ``json_sql``: SQLite's JSON functions do the test; otherwise it is done here (PostgreSQL)."""
    if not json_sql:
        members = {r[0]: r[1] for r in conn.execute("SELECT member_id, household_id FROM purged_members").fetchall()}
        targets = {r[0] for r in conn.execute("SELECT rid FROM purge_targets").fetchall()}
        households = set(members.values())
        for rid, fields in conn.execute("SELECT rid, fields FROM changes WHERE id > ?", (first_change_id,)).fetchall():
            if rid in targets or rid in members:
                return True
            data = json.loads(fields) if fields else {}
            if isinstance(data, dict) and (data.get("member_id") in members or data.get("household_id") in households):
                return True
        return False
    return conn.execute(
        "SELECT 1 FROM changes WHERE id > ? AND (rid IN (SELECT rid FROM purge_targets) "
        "OR rid IN (SELECT member_id FROM purged_members) "
        "OR json_extract(fields, '$.member_id') IN (SELECT member_id FROM purged_members) "
        "OR json_extract(fields, '$.household_id') IN (SELECT household_id FROM purged_members)) LIMIT 1",
        (first_change_id,)).fetchone() is not None


def enforce(conn: Any, reindex: Reindex | None) -> None:
    """Scrub every anonymised person again (inside the caller's transaction); idempotent.
    ``reindex``: how to rebuild a record's search entry (None where nothing is indexed: the server)."""
    conn.execute("DELETE FROM purge_pending")
    key = _key(conn)
    for member_id, household_id in conn.execute(
            "SELECT member_id, household_id FROM purges WHERE deleted = 0").fetchall():
        member = conn.execute("SELECT name, household_id FROM members WHERE id = ?", (member_id,)).fetchone()
        if member is not None and member[1] != household_id:
            # A purge is scoped by its household (server/scope.py): one naming a member of another
            # household — perhaps another village — scrubs nothing.
            continue
        name = member[0] if member and member[0] and member[0] != PLACEHOLDER else None
        conn.execute("INSERT INTO purged_members(member_id, household_id, name_len, name_mac) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT(member_id) DO UPDATE SET name_len = coalesce(purged_members.name_len, "
                     "excluded.name_len), name_mac = coalesce(purged_members.name_mac, excluded.name_mac)",
                     (member_id, household_id, len(name) if name else None, _mac(key, name) if name else None))
    for member_id, household_id, length, mac in conn.execute(
            "SELECT member_id, household_id, name_len, name_mac FROM purged_members").fetchall():
        # The name as the live record still holds it (a change from an offline laptop), if it does.
        live = conn.execute("SELECT name FROM members WHERE id = ?", (member_id,)).fetchone()
        name = live[0] if live and live[0] and live[0] != PLACEHOLDER else None
        finder = _NameFinder(key, name, length, mac)
        _Scrub(conn, reindex, member_id, household_id, finder).run()
    if reindex is not None:
        conn.execute("INSERT INTO search(search) VALUES ('optimize')")


def _key(conn: sqlcipher3.Connection) -> bytes:
    row = conn.execute("SELECT v FROM meta WHERE k = 'purge_key'").fetchone()
    if row is not None:
        return bytes.fromhex(row[0])
    key = secrets.token_bytes(32)
    conn.execute("INSERT INTO meta(k, v) VALUES ('purge_key', ?)", (key.hex(),))
    return key


def _mac(key: bytes, text: str) -> str:
    return hashlib.blake2b(text.encode(), key=key, digest_size=16).hexdigest()


class _NameFinder:
    """Finds a scrubbed name in text by its length and keyed hash (or by the name itself, while
    a live record still holds it). Names shorter than two characters are never searched for."""

    def __init__(self, key: bytes, name: str | None, length: int | None, mac: str | None) -> None:
        self.key, self.name = key, name
        self.length = len(name) if name else length
        self.mac = _mac(key, name) if name else mac

    @property
    def usable(self) -> bool:
        return bool(self.length and self.length >= 2 and self.mac)

    def names_in(self, text: str) -> set[str]:
        if not self.usable or not text:
            return set()
        assert self.length is not None
        n = self.length
        return {text[i:i + n] for i in range(len(text) - n + 1) if _mac(self.key, text[i:i + n]) == self.mac}

    def replace(self, text: str) -> str:
        for found in self.names_in(text):
            text = text.replace(found, PLACEHOLDER)
        return text


class _Scrub:
    def __init__(self, conn: Any, reindex: Reindex | None, member_id: str, household_id: str | None,
                 finder: _NameFinder) -> None:
        self.conn, self.reindex = conn, reindex
        self.member_id, self.household_id = member_id, household_id
        self.finder = finder

    def run(self) -> None:
        home = self.conn.execute("SELECT household_id FROM members WHERE id = ?", (self.member_id,)).fetchone()
        if home is not None and home[0] != self.household_id:
            return           # the member arrived after its purge, in another household: not this purge's
        self._about_person("member", self.member_id)
        for rt, field in _refs_to("member"):
            for (rid,) in self.conn.execute(f"SELECT id FROM {rt.table} WHERE {field} = ?", (self.member_id,)):
                self._about_person(rt.name, rid, delete=rt.name in _DELETED_WITH_MEMBER)
        if self.household_id and self.finder.usable:
            head = self.conn.execute("SELECT head_name FROM households WHERE id = ?", (self.household_id,)).fetchone()
            if head and isinstance(head[0], str) and head[0] in self.finder.names_in(head[0]):
                self._rewrite("household", self.household_id, {"head_name": PLACEHOLDER, "address": None})
            for rt, field in _refs_to("household"):
                for (rid,) in self.conn.execute(f"SELECT id FROM {rt.table} WHERE {field} = ?",
                                                (self.household_id,)).fetchall():
                    self._mentions(rt.name, rid)
            self._mentions("household", self.household_id)

    def _about_person(self, rtype: str, rid: str, *, delete: bool = False) -> None:
        values = dict(_scrubbed(rtype))
        if delete:
            values["deleted"] = 1
        self._rewrite(rtype, rid, values)

    def _mentions(self, rtype: str, rid: str) -> None:
        """The name written in a record's free text: replaced there and in its history."""
        fields = _text_fields(rtype)
        if not fields or not self.finder.usable:
            return
        rt = record_type(rtype)
        row = self.conn.execute(f"SELECT {', '.join(fields)} FROM {rt.table} WHERE id = ?", (rid,)).fetchone()
        if row is None:
            return
        values = {f: self.finder.replace(v) for f, v in zip(fields, row, strict=True)
                  if isinstance(v, str) and self.finder.names_in(v)}
        self._rewrite(rtype, rid, values, replace_name=True)

    def _rewrite(self, rtype: str, rid: str, values: dict[str, Any], *, replace_name: bool = False) -> None:
        rt = record_type(rtype)
        if values:
            cols = ", ".join(f"{c} = ?" for c in values)
            self.conn.execute(f"UPDATE {rt.table} SET {cols} WHERE id = ?", [*values.values(), rid])
        for cid, fields, base in self.conn.execute(
                "SELECT id, fields, base FROM changes WHERE rtype = ? AND rid = ?", (rtype, rid)).fetchall():
            new_fields, new_base = self._clean(fields, values, replace_name), self._clean(base, values, replace_name)
            if (new_fields, new_base) != (fields, base):
                self.conn.execute("UPDATE changes SET fields = ?, base = ? WHERE id = ?", (new_fields, new_base, cid))
        if self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'conflicts'").fetchone():
            for cid, field, winner, other in self.conn.execute(
                    "SELECT id, field, winner_value, other_value FROM conflicts WHERE rtype = ? AND rid = ?",
                    (rtype, rid)).fetchall():
                if field in values or field in _scrubbed(rtype):
                    self.conn.execute("UPDATE conflicts SET winner_value = NULL, other_value = NULL WHERE id = ?",
                                      (cid,))
                elif replace_name:
                    self.conn.execute("UPDATE conflicts SET winner_value = ?, other_value = ? WHERE id = ?",
                                      (self._swap(winner), self._swap(other), cid))
        self.conn.execute("INSERT OR IGNORE INTO purge_targets(rid, rtype) VALUES (?, ?)", (rid, rtype))
        if self.reindex is None:
            return
        cur = self.conn.execute(f"SELECT * FROM {rt.table} WHERE id = ?", (rid,))
        row = cur.fetchone()
        if row is not None:
            self.reindex(rt, dict(zip([d[0] for d in cur.description], row, strict=True)))

    def _swap(self, text: Any) -> Any:
        return self.finder.replace(text) if isinstance(text, str) else text

    def _clean(self, doc: str | None, values: dict[str, Any], replace_name: bool) -> str | None:
        if not doc:
            return doc
        data = json.loads(doc)
        if not isinstance(data, dict):
            return doc
        for key in list(data):
            if key in values:
                data[key] = values[key] if key != "deleted" else data[key]
            elif replace_name and isinstance(data[key], str):
                data[key] = self.finder.replace(data[key])
        return doc if json.loads(doc) == data else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
