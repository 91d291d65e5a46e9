"""Drafts: a form being typed survives the app being killed, and the next start offers it back.

The killed app is real: ``draft_child.py`` runs the session and window in another process,
types into a new visit form until the form's own draft keeper has written its draft, and is
then killed with SIGKILL (no shutdown code runs). The next start here unlocks, asks
"Continue / Discard", and Continue reopens the form with what was typed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMessageBox, QPushButton, QWidget

from lehe_desktop.core import drafts
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store
from lehe_desktop.gui import draftkeeper
from lehe_desktop.gui.activities import ActivityDialog
from lehe_desktop.gui.app import Session
from lehe_desktop.gui.dialogs import EditDialog, HouseholdDialog, MemberDialog
from lehe_desktop.gui.drafts import OPENERS
from lehe_desktop.gui.forms import ChoiceBox
from lehe_desktop.gui.meetings import MeetingDialog
from lehe_desktop.gui.unlock import UnlockDialog
from lehe_desktop.gui.visits import VisitDialog, visit_dialog_data

PASSPHRASE = "correct horse 42"
CHILD = Path(__file__).with_name("draft_child.py")


def _household(store: Store) -> tuple[str, str]:
    area = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    hid = store.create("household", {"area_id": area, "group_name": "3组", "head_name": "王德福"}).id
    mid = store.create("member", {"household_id": hid, "name": "王德福", "sex": "1", "relation": "02",
                                  "birth_date": "1950-02-01"}).id
    return hid, mid


def _set_up(paths: DataPaths) -> tuple[str, str]:
    store, _recovery = vault.setup(paths, PASSPHRASE, worker_name="张晓梅")
    try:
        return _household(store)
    finally:
        store.close()


def _when_unlock(passphrase: str = PASSPHRASE) -> None:
    """Type the passphrase into the next unlock screen (its exec() blocks the test meanwhile)."""

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, UnlockDialog) and w.isVisible() and w.button.isEnabled():
            w.passphrase.setText(passphrase)
            w.button.click()
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def _run(session: Session, qtbot: Any, fn: Callable[[], Any]) -> Any:
    box: list[tuple[bool, Any]] = []
    session.lane.query(fn, lambda v: box.append((True, v)), lambda e: box.append((False, e)), name="test")
    qtbot.waitUntil(lambda: bool(box), timeout=20_000)
    ok, value = box[0]
    if not ok:
        raise value
    return value


def _kill_while_typing(paths: DataPaths, hid: str, mid: str) -> dict[str, Any]:
    env = {**os.environ, "LEHE_PASSPHRASE": PASSPHRASE, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, str(CHILD), str(paths.root), hid, mid], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env)
    with proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()       # blocks until the draft is in the database
        finally:
            proc.send_signal(signal.SIGKILL)    # no shutdown code runs: as a crash or a power cut
            _rest, err = proc.communicate(timeout=20)
    assert line.startswith("DRAFTED "), (line, err)
    assert proc.returncode == -signal.SIGKILL
    typed: dict[str, Any] = json.loads(line[len("DRAFTED "):])
    return typed


def _answer(session: Session, qtbot: Any, button: str) -> QMessageBox:
    qtbot.waitUntil(lambda: session.draft_offer is not None and session.draft_offer.question is not None
                    and session.draft_offer.question.isVisible(), timeout=20_000)
    assert session.draft_offer is not None and session.draft_offer.question is not None
    box = session.draft_offer.question
    found = box.findChild(QPushButton, button)
    assert found is not None
    found.click()
    return box


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_app_offers_the_typed_visit_back(qtbot: Any, gui: Any, paths: DataPaths) -> None:
    hid, mid = _set_up(paths)
    typed = _kill_while_typing(paths, hid, mid)
    assert typed["values"]["situation"] == "老人独居，腿脚不便，需要帮助买药。"

    # A second form's draft, left later (the offer goes oldest first): this one is discarded.
    store = vault.unlock(paths, PASSPHRASE)
    try:
        drafts.save_draft(store, "later", "household", None, {"values": {"head_name": "草稿户"}, "links": {}})
    finally:
        store.close()

    session = Session(paths, "zh")
    _when_unlock()
    assert session.start()
    store = session.store
    assert store is not None
    changes_before = _run(session, qtbot, lambda: store.query_value("SELECT max(rowid) FROM changes"))
    box = _answer(session, qtbot, "draft_continue")
    assert "走访记录" in box.text() and "未保存" in box.text()
    offer = session.draft_offer
    assert offer is not None
    qtbot.waitUntil(lambda: bool(offer.opened), timeout=20_000)
    dlg = offer.opened[0]
    assert isinstance(dlg, VisitDialog) and dlg.isVisible()
    box = _answer(session, qtbot, "draft_discard")     # the second draft: 户 (household) form
    assert "户" in box.text()
    qtbot.waitUntil(lambda: "later" not in _run(session, qtbot, lambda: [d.key for d in drafts.list_drafts(store)]),
                    timeout=10_000)
    assert [d.rtype for d in _run(session, qtbot, lambda: drafts.list_drafts(store))] == ["visit"]
    assert len(offer.opened) == 1
    # Every value typed before the kill is back, the household and the checked lists too.
    assert dlg.values() == typed["values"]
    assert dlg.links() == typed["links"]
    assert dlg.picker.edit.text() == "王德福户 · 3组"
    assert dlg.dirty        # still unsaved: closing it would ask
    with qtbot.waitSignal(dlg.accepted, timeout=20_000):
        dlg.save()
    # Saved: the draft is gone (in the save's own transaction) and only the visit reached the log.
    assert _run(session, qtbot, lambda: drafts.draft_count(store)) == 0
    new = _run(session, qtbot, lambda: store.query("SELECT DISTINCT rtype FROM changes WHERE rowid > ?",
                                                    (changes_before,)))
    assert {r[0] for r in new} <= {"visit", "visit_member_present", "visit_risk_factor", "visit_visitor"}
    assert "visit" in {r[0] for r in new}
    session.shutdown()


def _form(store: Store, lane: Any, on_lane: Any, hid: str) -> VisitDialog:
    return VisitDialog(store, lane, on_lane(lambda: visit_dialog_data(store, None, hid)))


def test_the_form_writes_its_draft_and_a_save_leaves_none(qtbot: Any, gui: Any, store: Store, lane: Any,
                                                         on_lane: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draftkeeper, "INTERVAL_MS", 50)
    hid, mid = on_lane(lambda: _household(store))
    unsent = on_lane(store.unsent_count)
    changes = on_lane(lambda: store.query_value("SELECT max(rowid) FROM changes"))
    dlg = _form(store, lane, on_lane, hid)
    qtbot.addWidget(dlg)
    dlg.show()
    assert on_lane(lambda: drafts.draft_count(store)) == 0      # nothing typed, no draft
    qtbot.wait(150)
    assert on_lane(lambda: drafts.draft_count(store)) == 0
    rows = dlg.form.rows
    for name, code in (("visit_type", "routine"), ("target_seen", "1"), ("follow_up_needed", "0"),
                       ("risk_level", "low")):
        box = rows[name].editor
        assert isinstance(box, ChoiceBox)
        box.set_code(code)
    rows["situation"].set_value("第一稿")
    qtbot.waitUntil(lambda: on_lane(lambda: drafts.draft_count(store)) == 1, timeout=5000)
    rows["situation"].set_value("第二稿")       # written again a few seconds after a change
    qtbot.waitUntil(lambda: on_lane(lambda: drafts.list_drafts(store))[0].data["values"]["situation"] == "第二稿",
                    timeout=5000)
    found = on_lane(lambda: drafts.list_drafts(store))
    assert found[0].rtype == "visit" and found[0].record_id is None and found[0].context == {"household_id": hid}
    # Drafts are not records: no change-log row, nothing unsent, nothing to sync.
    assert on_lane(store.unsent_count) == unsent
    assert on_lane(lambda: store.query_value("SELECT max(rowid) FROM changes")) == changes
    dlg.save()
    qtbot.waitUntil(lambda: not dlg.saving, timeout=10_000)
    assert dlg.result() == QDialog.DialogCode.Accepted, [
        (n, r.problem.text()) for n, r in dlg.form.rows.items() if r.problem.text()]
    assert on_lane(lambda: drafts.draft_count(store)) == 0
    assert on_lane(lambda: store.query_value("SELECT count(*) FROM changes WHERE rtype = 'visit' AND rowid > ?",
                                             (changes,))) == 1
    del mid


def test_closing_without_saving_removes_the_draft(qtbot: Any, gui: Any, store: Store, lane: Any, on_lane: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draftkeeper, "INTERVAL_MS", 50)
    hid, _mid = on_lane(lambda: _household(store))
    dlg = _form(store, lane, on_lane, hid)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.form.rows["situation"].set_value("不要了")
    qtbot.waitUntil(lambda: on_lane(lambda: drafts.draft_count(store)) == 1, timeout=5000)
    dlg.reject()                                  # asks: save, discard or keep editing
    assert dlg.question is not None
    dlg.question.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: on_lane(lambda: drafts.draft_count(store)) == 0, timeout=5000)
    assert isinstance(dlg, EditDialog) and dlg.result() == QDialog.DialogCode.Rejected


def test_every_form_comes_back_from_its_draft(qtbot: Any, gui: Any, store: Store, lane: Any, on_lane: Any) -> None:
    """Each form's draft (values, child lists, what the form shows beside them) fills a fresh form alike."""
    hid, mid = on_lane(lambda: _household(store))
    page = QWidget()
    qtbot.addWidget(page)
    for rtype in sorted(OPENERS):
        draft = drafts.Draft("k", rtype, None, {"household_id": hid})
        _view, load, make = OPENERS[rtype]
        data = on_lane(lambda load=load, draft=draft: load(store, draft))
        first = make(store, lane, data, page, draft)
        first.show()
        text = next(r for r in first.form.rows.values()
                    if type(r.editor) is QLineEdit and r.spec.kind.name == "TEXT")
        text.set_value("草稿里的字")
        if isinstance(first, VisitDialog):
            first.present.set_checked([mid])
            first.children_tables["visit_need"].load([{"need": "medical", "detail": "买药"}])
        elif isinstance(first, HouseholdDialog):
            first.categories.set_checked(["elderly_alone"])
        elif isinstance(first, MemberDialog):
            first.phones.add_row("13800138000", None)
        elif isinstance(first, ActivityDialog):
            first.targets.set_checked([first.targets.choices[0][0]])
        elif isinstance(first, MeetingDialog):
            first.participants.load([{"name": "李四", "org": "村委会"}])
        elif hasattr(first, "households"):
            first.households.add(hid, "王德福户 · 3组")
        assert first.dirty, rtype
        saved = json.loads(json.dumps(first.draft_data(), ensure_ascii=False, default=str))
        second = make(store, lane, data, page, drafts.Draft("k", rtype, None, first.draft_context()))
        second.show()
        second.restore_draft("k", saved)
        assert (rtype, second.values()) == (rtype, first.values())
        assert (rtype, second.links()) == (rtype, first.links())
        assert second.dirty and second.drafts.key == "k"
        for dlg in (first, second):
            dlg.drafts.keep = True
            QDialog.done(dlg, QDialog.DialogCode.Rejected)
