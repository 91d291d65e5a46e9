"""A person's rights from the household profile (gui/rights.py): a copy of their data, and anonymising.

Real store in a temporary folder, the real lane; the laptop's role set as enrolment leaves it.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from lehe_desktop.core import audit, rights
from lehe_desktop.core.roles import RoleError
from lehe_desktop.core.store.purge import PLACEHOLDER
from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.households import HouseholdProfile
from lehe_desktop.gui.main_window import MainWindow
from lehe_desktop.gui.rights import AnonymiseDialog, PersonCopyDialog

# Re-rendered only on request, as the other screenshots (a plain test run changes no tracked file).
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" if os.environ.get("LEHE_SCREENSHOTS") else None
HEAD = "欧阳秀英"


def _family(store: Store, role: str | None) -> tuple[str, str, str]:
    """A household (its head is a member), a child, and the laptop's role (None: single-user install)."""
    hid = store.create("household", {"area_id": store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村"),
                                     "group_name": "一组", "head_name": HEAD, "address": "白鹿村3号"}).id
    head = store.create("member", {"household_id": hid, "name": HEAD, "sex": "2", "relation": "02"}).id
    child = store.create("member", {"household_id": hid, "name": "欧阳小花", "sex": "2", "relation": "40"}).id
    store.create("member_phone", {"member_id": child, "number": "13912345678"})
    if role is not None:
        store.set_meta("sync_device_key", "enrolled")
        store.set_meta("enrolled_role", role)
    return hid, head, child


def _profile(qtbot: Any, store: Store, lane: Any, hid: str) -> HouseholdProfile:
    p = HouseholdProfile(store, lane)
    qtbot.addWidget(p)
    p.show()
    with qtbot.waitSignal(p.loaded, timeout=10_000):
        p.show_household(hid)
    qtbot.waitUntil(lambda: p.rights.refusals is not None, timeout=10_000)
    return p


def _select(p: HouseholdProfile, member_id: str) -> int:
    row = next(r for r, m in enumerate(p.members) if m["id"] == member_id)
    p.members_table.selectRow(row)
    return row


# A popup menu on the offscreen plugin: it can neither raise a window nor grab the keyboard.
@pytest.mark.qt_log_ignore("^This plugin does not support raise\\(\\)$",
                           "^This plugin does not support grabbing the keyboard$")
def test_export_a_persons_data_from_the_member_menu(qtbot, gui, store: Store, lane, on_lane,  # type: ignore[no-untyped-def]
                                                    tmp_path: Path) -> None:
    hid, _head, child = on_lane(lambda: _family(store, "coordinator"))
    p = _profile(qtbot, store, lane, hid)
    copy, anon = p.rights.copy_action, p.rights.anonymise_action
    assert not copy.isEnabled() and copy.toolTip() == "请先在列表中选择一位成员。"    # no member chosen yet
    row = _select(p, child)
    assert copy.isEnabled() and p.rights_buttons[0].isEnabled()
    assert not anon.isEnabled() and "协调员" in anon.toolTip()     # only admins anonymise: says why
    # Right-click on the member: the same two actions.
    pos = p.members_table.visualRect(p.members_table.model().index(row, 0)).center()
    p.members_table.customContextMenuRequested.emit(pos)
    qtbot.waitUntil(p.member_menu.isVisible, timeout=5000)
    assert [a.text() for a in p.member_menu.actions()] == ["导出此人信息…", "匿名化此人…"]
    p.member_menu.close()

    copy.trigger()
    d = p.rights.dialog
    assert isinstance(d, PersonCopyDialog) and "欧阳小花" in d.intro.text()
    out = tmp_path / "for-her.json"
    d.target.setText(str(out))
    qtbot.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: d.job is None and d.message.text() != "", timeout=10_000)
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        d.grab().save(str(SHOTS / "person_copy.png"))
    assert d.written == out and str(out) in d.message.text() and d.folder_button.isVisible()
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["member"]["姓名"] == "欧阳小花" and data["household"]["head_name"] == HEAD
    assert "+8613912345678" in out.read_text(encoding="utf-8")
    assert [(e["action"], json.loads(e["detail"])) for e in on_lane(lambda: audit.entries(store))
            if e["action"] == "person_copy"] == [("person_copy", {"member": child})]
    shown = on_lane(lambda: audit.view(store))["rows"][0]           # as the coordinator's audit window shows it
    assert (shown["action_zh"], shown["what_zh"]) == ("导出个人信息副本", f"member={child}")
    # The same file again: the core refuses to overwrite, the dialog says so with the code.
    d.close()
    copy.trigger()
    again = p.rights.dialog
    assert isinstance(again, PersonCopyDialog) and again is not d
    again.target.setText(str(out))
    qtbot.mouseClick(again.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.job is None and again.message.text() != "", timeout=10_000)
    assert "[rights.exists]" in again.message.text() and again.written is None
    again.close()


def test_a_worker_may_neither_copy_nor_anonymise_and_is_told_why(qtbot, gui, store: Store, lane,  # type: ignore[no-untyped-def]
                                                                 on_lane) -> None:
    hid, _head, child = on_lane(lambda: _family(store, "worker"))
    p = _profile(qtbot, store, lane, hid)
    _select(p, child)
    if SHOTS is not None:
        p.resize(900, 420)
        p.grab().save(str(SHOTS / "profile_rights_worker.png"))
    for action, button in zip((p.rights.copy_action, p.rights.anonymise_action), p.rights_buttons, strict=True):
        assert not action.isEnabled() and not button.isEnabled() and button.isVisible()   # shown, not hidden
        assert "社工" in action.toolTip() and button.toolTip() == action.toolTip()
    assert p.rights.show_anonymise() is None and p.rights.show_copy() is None
    # The core refuses too, whoever calls it.
    with pytest.raises(RoleError) as refused:
        on_lane(lambda: rights.anonymise(store, child, basis="subject_request", requested_on=date(2026, 12, 6)))
    assert refused.value.code == "role.forbidden"
    assert on_lane(lambda: store.get("member", child))["name"] == "欧阳小花"


def _cells(model: Any) -> list[str]:
    return [str(model.data(model.index(r, c)) or "") for r in range(model.rowCount()) for c in range(model.columnCount())]


def test_an_admin_anonymises_after_typing_the_name(qtbot, gui, store: Store, lane, on_lane) -> None:  # type: ignore[no-untyped-def]
    hid, head, _child = on_lane(lambda: _family(store, "admin"))
    w = MainWindow(store, lane)
    qtbot.addWidget(w)
    w.show()
    w.search.setText(HEAD)
    with qtbot.waitSignal(w.search_page.searched, timeout=10_000):
        w.run_search()
    assert w.search_page.results.count() >= 1
    w.show_view("households")
    hh = w.pages["households"]
    qtbot.waitUntil(lambda: any(HEAD in c for c in _cells(hh.list.model)), timeout=10_000)
    hh.open_household(hid)
    qtbot.waitUntil(lambda: hh.currentWidget() is hh.profile, timeout=10_000)
    p = hh.profile
    qtbot.waitUntil(lambda: p.rights.refusals is not None, timeout=10_000)
    _select(p, head)
    assert p.rights.anonymise_action.isEnabled()

    # Cancel: nothing changes.
    d = p.rights.show_anonymise()
    assert isinstance(d, AnonymiseDialog)
    assert "无法撤销" in d.intro.text() and HEAD in d.typed_label.text()
    d.basis.set_code("subject_request")
    d.typed.setText("欧阳")                       # not the whole name
    assert not d.start_button.isEnabled()
    d.typed.setText(HEAD)
    assert d.start_button.isEnabled()
    qtbot.mouseClick(d.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: p.rights.dialog is None, timeout=5000)
    assert on_lane(lambda: (store.get("member", head)["name"], store.count("purge"))) == (HEAD, 0)

    # Confirmed: the core scrubs the person; the profile, the list and the search no longer hold the name.
    d = p.rights.show_anonymise()
    assert isinstance(d, AnonymiseDialog)
    d.basis.set_code("consent_withdrawn")
    d.typed.setText(f" {HEAD} ")
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        d.grab().save(str(SHOTS / "anonymise_confirm.png"))
    with qtbot.waitSignal(w.search_page.searched, timeout=20_000):     # the search runs again afterwards
        qtbot.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
    assert d.purge_id and d.finished_ok and not d.start_button.isVisible()
    assert w.search_page.results.count() == 0
    assert on_lane(lambda: store.search(HEAD)) == []
    assert on_lane(lambda: store.get("member", head)["name"]) == PLACEHOLDER
    qtbot.waitUntil(lambda: all(HEAD not in c for c in _cells(hh.list.model)) and hh.list.model.rowCount() == 1,
                    timeout=10_000)
    qtbot.waitUntil(lambda: all(m["name"] != HEAD for m in p.members), timeout=10_000)
    assert HEAD not in p.title.text()
    d.close()
