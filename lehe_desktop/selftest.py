"""``lehe-desktop --self-test``: a headless end-to-end check of an installed app.

It builds a throw-away encrypted database in a temporary folder (never the user's data
folder), writes, reads, updates and deletes every record type in the registry, searches in
Chinese, reopens the database, makes a backup, then runs the GUI checks it is given
(``gui/selftest_gui.py``: bundled font, translations, the main window rendered offscreen).

One line per check, ``PASS name: detail`` or ``FAIL name: reason``; exit 0 only if all
passed. This module stays Qt-free and never imports the GUI: ``lehe_desktop/__main__.py``
hands the GUI checks in, so the GUI (which raises this module's CheckFailed) sits above it.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import platform
import random
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .core.demo import id_number, make_demo
from .core.errors import EXIT_FAILURE, EXIT_OK, LeheError, LockedError, ValidationError
from .core.paths import DataPaths
from .core.records.schema import FieldSpec, Kind, RecordType, all_types
from .core.store import vault
from .core.store.store import Store

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
# A test area that cannot collide with real or demo villages.
AREA_PATH = "自检市/自检县/自检镇/自检村"
TEXT_VALUE = "自检记录"
UPDATED_VALUE = "自检修改"
# Never shipped in the desktop bundle: the sync server is deployed separately.
SERVER_ONLY = ("lehe_desktop.server", "starlette", "uvicorn")


class CheckFailed(Exception):
    """A check found something wrong; the message is the one-line reason."""


def _reason(exc: BaseException) -> str:
    if isinstance(exc, LeheError):
        extra = "; ".join(f"{p.field}: [{p.code}] {p.en}" for p in exc.problems if p.is_error)
        return f"[{exc.code}] {exc.en}" + (f" ({extra})" if extra else "")
    if isinstance(exc, CheckFailed):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


@dataclass
class Report:
    """Prints each result as it happens (a hung check still shows how far it got)."""

    results: list[tuple[str, bool, str]] = field(default_factory=list)

    def add(self, name: str, ok: bool, detail: str) -> None:
        self.results.append((name, ok, detail))
        print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)

    def run(self, name: str, check: Callable[[], str]) -> bool:
        started = time.perf_counter()
        try:
            detail = check()
        except Exception as exc:  # every failure becomes one FAIL line; the log keeps the traceback
            log.exception("self-test check %s failed", name)
            self.add(name, False, _reason(exc))
            return False
        self.add(name, True, f"{detail} ({time.perf_counter() - started:.2f} s)")
        return True

    @property
    def failed(self) -> list[str]:
        return [name for name, ok, _ in self.results if not ok]


# ---------------------------------------------------------------------- generic records

def _vocab_code(store: Store, spec: FieldSpec) -> str:
    items = store.vocab(spec.vocab or "")
    if not items:
        raise CheckFailed(f"vocabulary {spec.vocab!r} (field {spec.name}) is empty")
    return str(items[0]["code"])


def _number(spec: FieldSpec) -> float:
    lo = spec.minimum if spec.minimum is not None else 1
    value = max(lo, 1)
    return min(value, spec.maximum) if spec.maximum is not None else value


def generic_value(store: Store, spec: FieldSpec, refs: dict[str, str], today: date) -> Any:
    """A valid value for one field, from its kind, vocabulary and limits alone."""
    kind = spec.kind
    if kind is Kind.REF:
        if spec.ref not in refs:
            raise CheckFailed(f"no {spec.ref} record to point {spec.name} at (registry order?)")
        return refs[spec.ref]
    if kind is Kind.VOCAB:
        return _vocab_code(store, spec)
    if kind in (Kind.TEXT, Kind.LONGTEXT):
        return TEXT_VALUE[: spec.max_len] if spec.max_len else TEXT_VALUE
    if kind is Kind.NAME:
        return "王自检"
    if kind is Kind.DATE:
        return today.isoformat()
    if kind is Kind.TIMESTAMP:
        return datetime.now(UTC).isoformat(timespec="seconds")
    if kind is Kind.INT:
        return int(_number(spec))
    if kind is Kind.REAL:
        return float(_number(spec))
    if kind is Kind.BOOL:
        return False
    if kind is Kind.PHONE:
        return "13800138000"
    if kind is Kind.ID_NUMBER:
        return id_number(random.Random(1), date(1960, 1, 1), "1")  # checksum-valid, synthetic
    raise CheckFailed(f"no generic value for field kind {kind}")


def _update_fields(rt: RecordType) -> list[FieldSpec]:
    """Free-text fields to try an update on, most harmless first (never keys)."""
    key = set(rt.natural_key or ()) | {rt.parent_field}
    texts = [f for f in rt.fields if f.kind in (Kind.TEXT, Kind.LONGTEXT) and f.name not in key]
    return sorted(texts, key=lambda f: (f.required, f.kind is not Kind.LONGTEXT))


def _update_one(store: Store, rt: RecordType, rid: str) -> bool:
    """Change one free-text field and read it back; False if the type has none."""
    last: LeheError | None = None
    for spec in _update_fields(rt):
        new = UPDATED_VALUE[: spec.max_len] if spec.max_len else UPDATED_VALUE
        try:
            store.update(rt.name, rid, {spec.name: new})
        except ValidationError as exc:  # a formatted text field (a time, a code): try the next
            last = exc
            continue
        except LeheError as exc:
            raise CheckFailed(f"{rt.name}: update of {spec.name} failed: {_reason(exc)}") from exc
        if (store.get(rt.name, rid) or {}).get(spec.name) != new:
            raise CheckFailed(f"{rt.name}: update of {spec.name} not read back")
        return True
    if last is not None:
        raise CheckFailed(f"{rt.name}: no text field accepted an update: {_reason(last)}")
    return False


def _same(spec: FieldSpec, written: Any, stored: Any) -> bool:
    if spec.kind is Kind.PHONE:  # stored normalised to E.164
        return str(stored or "").endswith(str(written))
    if spec.kind is Kind.BOOL:
        return bool(stored) == bool(written)
    if spec.kind is Kind.REAL:
        return stored is not None and abs(float(stored) - float(written)) < 1e-9
    return bool(written == stored)


NOT_GENERIC = frozenset({"purge"})

# Text fields whose values are names, not free text: a vocabulary item names a vocabulary and a code.
FIXED_VALUES: dict[tuple[str, str], str] = {("vocab_item", "vocab"): "visit_type", ("vocab_item", "code"): "self_test"}


def _create_generic(store: Store, rt: RecordType, refs: dict[str, str], today: date) -> tuple[str, dict[str, Any]]:
    """Required fields first; fields that cross-field rules then ask for are added and retried."""
    values = {f.name: FIXED_VALUES.get((rt.name, f.name)) or generic_value(store, f, refs, today)
              for f in rt.fields if f.required}
    for _attempt in range(5):
        try:
            return store.create(rt.name, values).id, values
        except ValidationError as exc:
            wanted = {p.field for p in exc.problems if p.is_error and rt.has_field(p.field) and p.field not in values}
            if not wanted:
                raise CheckFailed(f"{rt.name}: create failed: {_reason(exc)}") from exc
            # A yes/no a rule asks for (a consent needs one item ticked) is asked for as yes.
            values.update({name: True if rt.field(name).kind is Kind.BOOL else generic_value(store, rt.field(name),
                                                                                           refs, today)
                           for name in sorted(wanted)})
        except LeheError as exc:
            raise CheckFailed(f"{rt.name}: create failed: {_reason(exc)}") from exc
    raise CheckFailed(f"{rt.name}: no valid record after filling {', '.join(sorted(values))}")


def exercise_record_types(store: Store, today: date) -> str:
    """Create a fresh record of every registered type (parents first), read each back, update
    one field, then delete them all children-first. Raises CheckFailed naming the type."""
    refs: dict[str, str] = {"area": store.ensure_area(AREA_PATH)}
    created: list[tuple[RecordType, str]] = []
    updated = 0
    # A purge anonymises the person it names, changing other records by design: its own check
    # is tests/sync/test_anonymise.py, not this generic create-read-update-delete round.
    types = [rt for rt in all_types() if rt.name not in NOT_GENERIC]
    for rt in types:  # REGISTRY order is dependency order (records/catalog.py)
        if rt.name == "area":
            created.append((rt, refs["area"]))
            continue
        rid, values = _create_generic(store, rt, refs, today)
        rec = store.get(rt.name, rid)
        if rec is None:
            raise CheckFailed(f"{rt.name}: created {rid} but cannot read it back")
        wrong = [k for k, v in values.items() if not _same(rt.field(k), v, rec.get(k))]
        if wrong:
            raise CheckFailed(f"{rt.name}: read back different values for {', '.join(wrong)}")
        updated += _update_one(store, rt, rid)
        refs[rt.name] = rid
        created.append((rt, rid))
    for rt, rid in reversed(created):
        if rt.name == "area":
            continue  # areas are shared reference data; the other types cover tombstones
        try:
            store.delete(rt.name, rid)
        except LeheError as exc:
            raise CheckFailed(f"{rt.name}: delete failed: {_reason(exc)}") from exc
        if store.get(rt.name, rid) is not None or store.get(rt.name, rid, include_deleted=True) is None:
            raise CheckFailed(f"{rt.name}: delete did not leave a tombstone")
    return f"{len(types)} record types written, read back, {updated} updated, {len(created) - 1} deleted"


# ---------------------------------------------------------------------- the run

class SelfTest:
    def __init__(self, folder: Path, report: Report) -> None:
        self.paths = DataPaths(root=folder / "data", logs=folder / "data" / "logs")
        self.folder = folder
        self.report = report
        self.passphrase = "自检-" + secrets.token_urlsafe(18)
        self.store: Store | None = None
        self.today = date.today()
        self.demo_household: dict[str, Any] | None = None

    def _store(self) -> Store:
        if self.store is None:
            raise CheckFailed("not run: no database (an earlier check failed)")
        return self.store

    def app(self) -> str:
        mode = "frozen" if getattr(sys, "frozen", False) else "source"
        return (f"lehe-desktop {__version__} ({mode}), Python {platform.python_version()}, "
                f"{platform.system()} {platform.release()} {platform.machine()}")

    def bundle(self) -> str:
        present = [m for m in SERVER_ONLY if importlib.util.find_spec(m) is not None]
        if getattr(sys, "frozen", False) and present:
            raise CheckFailed(f"the desktop bundle must not contain {', '.join(present)}")
        import sqlcipher3

        conn = sqlcipher3.connect(":memory:")
        try:
            cipher = (conn.execute("PRAGMA cipher_version").fetchone() or [""])[0]
        finally:
            conn.close()
        if not cipher:
            raise CheckFailed("sqlcipher3 is plain SQLite (no cipher_version): databases would not be encrypted")
        return f"SQLCipher {cipher}" + ("; no server modules" if getattr(sys, "frozen", False) else "")

    def database(self) -> str:
        self.store, _recovery = vault.setup(self.paths, self.passphrase, worker_name="自检")
        if self.paths.database.read_bytes()[:16] == SQLITE_HEADER:
            raise CheckFailed("the new database file is not encrypted")
        return f"encrypted database created in a temporary folder (schema {self._schema()})"

    def _schema(self) -> int:
        return int(self._store().pragma("user_version"))

    def records(self) -> str:
        return exercise_record_types(self._store(), self.today)

    def demo(self) -> str:
        store = self._store()
        counts = make_demo(store, 3, seed=11, today=self.today)
        empty = [rt.name for rt in all_types() if store.count(rt.name) == 0]
        hid = store.query_value("SELECT id FROM households WHERE deleted = 0 LIMIT 1")
        self.demo_household = store.require("household", hid)
        detail = ", ".join(f"{k}={v}" for k, v in counts.items())
        return detail + (f"; types without demo rows: {', '.join(empty)}" if empty else "")

    def search(self) -> str:
        store = self._store()
        if self.demo_household is None:
            raise CheckFailed("not run: no demo data")
        name = str(self.demo_household["head_name"])
        hits = store.search(name)
        if not any(h["id"] == self.demo_household["id"] for h in hits):
            raise CheckFailed(f"searching {name!r} did not find its household ({len(hits)} hits)")
        village = AREA_PATH.rsplit("/", 1)[-1]
        if not any(h["type"] == "area" for h in store.search(village)):
            raise CheckFailed(f"searching {village!r} did not find the area")
        # Names sort in pinyin order: pypinyin's table is in the bundle and read (曾 as a surname).
        from .core.validation.pinyin import sort_key

        keys = [sort_key(n) for n in ("曾小华", "李娜", "阿依")]
        if keys != ["zeng1曾xiao3小hua2华", "li3李na4娜", "a1阿yi1依"]:
            raise CheckFailed(f"pinyin sort keys are wrong: {keys}")
        return f"Chinese search finds {name!r} and {village!r}; names sort in pinyin order"

    def reopen(self) -> str:
        store = self._store()
        stats = store.stats()
        store.close()
        self.store = None
        self.store = vault.unlock(self.paths, self.passphrase)
        if self.store.stats() != stats:
            raise CheckFailed("record counts changed after reopening")
        try:
            vault.keyfile(self.paths).unlock(self.passphrase + "x")
        except LockedError:
            pass
        else:
            raise CheckFailed("a wrong passphrase was accepted")
        if self.store.check_integrity() != "ok":
            raise CheckFailed(f"integrity check: {self.store.check_integrity()}")
        return "reopened with the passphrase (wrong one refused), counts equal, integrity ok"

    def backup(self) -> str:
        store = self._store()
        key = vault.keyfile(self.paths).unlock(self.passphrase)
        out = vault.backup(store, key, self.folder / "selftest.lehe-backup")
        if out.read_bytes()[:16] == SQLITE_HEADER:
            raise CheckFailed("the backup is not encrypted")
        return f"encrypted backup written ({out.stat().st_size // 1024} KiB)"

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


def _headless_if_no_display() -> None:
    """Linux without X11/Wayland (CI, ssh): render offscreen. Windows and macOS always have one."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


# The GUI half: given the database (None if it failed) and the temporary folder, the named checks.
# lehe_desktop/__main__.py passes gui/selftest_gui.py's; this module never imports the GUI.
GuiChecks = Callable[[Store | None, Path], list[tuple[str, Callable[[], str]]]]


def run(args: argparse.Namespace | None, gui_checks: GuiChecks) -> int:
    """Run every check, the database's then ``gui_checks``'s; exit status 0 only if all passed.

    ``gui_checks`` is called after Qt has been told to render offscreen when there is no
    display; an ImportError from it (no Qt in the install) is one FAIL line."""
    report = Report()
    folder = Path(tempfile.mkdtemp(prefix="lehe-selftest-"))
    test = SelfTest(folder, report)
    try:
        for name, check in (("app", test.app), ("bundle", test.bundle), ("database", test.database),
                            ("demo", test.demo), ("records", test.records), ("search", test.search),
                            ("reopen", test.reopen), ("backup", test.backup)):
            report.run(name, check)
        _headless_if_no_display()
        try:
            checks = gui_checks(test.store, folder)
        except ImportError as exc:
            report.add("gui", False, f"the GUI cannot be loaded: {exc}")
        else:
            for name, check in checks:
                report.run(name, check)
    finally:
        test.close()
        shutil.rmtree(folder, ignore_errors=True)
    if report.failed:
        print(f"self-test FAILED ({', '.join(report.failed)}) / 自检未通过", flush=True)
        return EXIT_FAILURE
    print(f"self-test passed: {len(report.results)} checks / 自检通过", flush=True)
    return EXIT_OK
