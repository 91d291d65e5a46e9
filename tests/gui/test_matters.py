"""The matters register: a matter advanced to resolved and checked back; the form asks before
losing changes; delete asks; late matters are tinted; the village's public board previews."""

from __future__ import annotations

from datetime import date

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.forms import ChoiceBox
from lehe_desktop.gui.matters import (
    OVERDUE_BACKGROUND,
    AdvanceDialog,
    CheckBackDialog,
    MatterDialog,
    MattersPage,
)

VILLAGE = "重庆市/巫溪县/白鹿镇/乐和村"


def _matters(store: Store, on_lane) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    def make() -> tuple[str, str]:
        store.today = date(2025, 6, 1)
        area = store.ensure_area(VILLAGE)
        base = {"raised_on": "2025-05-01", "channel": "walk_in", "topic_category": "infrastructure",
                "sanshi_class": "minor", "status": "registered", "area_id": area}
        late = store.create("matter", {**base, "description": "通组公路塌方，需要修复", "due_date": "2025-05-20"}).id
        soon = store.create("matter", {**base, "description": "村口路灯损坏", "due_date": "2025-06-20"}).id
        return late, soon

    return on_lane(make)  # type: ignore[no-any-return]


def _page(qtbot, store: Store, lane) -> MattersPage:  # type: ignore[no-untyped-def]
    page = MattersPage(store, lane)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    with qtbot.waitSignal(page.model.populated, timeout=10_000):
        page.load()
    return page


def _select(qtbot, page: MattersPage, mid: str) -> None:  # type: ignore[no-untyped-def]
    rows = [page.model.row_id(r) for r in range(page.model.rowCount())]
    page.table.setCurrentIndex(page.model.index(rows.index(mid), 0))


def _opened(qtbot, page: MattersPage, kind: type) -> QDialog:  # type: ignore[no-untyped-def]
    def ready() -> bool:
        dlg = getattr(page, "open_dialog", None)
        return isinstance(dlg, kind) and shiboken6.isValid(dlg) and dlg.isVisible()

    qtbot.waitUntil(ready, timeout=10_000)
    dlg = page.open_dialog
    assert isinstance(dlg, kind)
    return dlg


def test_matter_advanced_to_resolved_with_check_back(qtbot, qtmodeltester, gui, store: Store, lane, on_lane) -> None:
    late, soon = _matters(store, on_lane)
    page = _page(qtbot, store, lane)
    qtmodeltester.check(page.model)
    assert [page.model.row_id(r) for r in range(page.model.rowCount())] == [late, soon]   # nearest time limit first
    assert page.model.data(page.model.index(0, 0), Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_BACKGROUND
    assert page.model.data(page.model.index(1, 0), Qt.ItemDataRole.BackgroundRole) is None
    assert page.model.data(page.model.index(0, 6)).endswith("（逾期）")
    _select(qtbot, page, late)
    # registered → routed, naming who handles it
    page.advance_selected()
    dlg = _opened(qtbot, page, AdvanceDialog)
    assert [c[0] for c in dlg.to.choices] == ["routed", "in_progress", "cannot_do", "withdrawn"]
    dlg.to.set_code("routed")
    dlg.body.set_code("village_committees")
    dlg.person.setText("李强")
    with qtbot.waitSignal(dlg.accepted, timeout=10_000):
        dlg.submit()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 and page.model.row(0)["status"] == "routed", timeout=10_000)
    # routed → resolved: refused without an outcome, then saved with one
    _select(qtbot, page, late)
    page.advance_selected()
    dlg = _opened(qtbot, page, AdvanceDialog)
    dlg.to.set_code("resolved")
    dlg.submit()
    qtbot.waitUntil(lambda: dlg.problem.text() != "", timeout=10_000)
    assert dlg.problem.text() == "请填写办理结果" and dlg.isVisible()
    dlg.outcome.setPlainText("组织村民投工投劳，已修复")
    with qtbot.waitSignal(dlg.accepted, timeout=10_000):
        dlg.submit()
    # a resolved matter leaves the open list; it is found with "open only" off
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(page.model.populated, timeout=10_000):
        page.open_only.setChecked(False)
    _select(qtbot, page, late)
    page.check_back_selected()
    check = _opened(qtbot, page, CheckBackDialog)
    check.choice.set_code("satisfied")
    with qtbot.waitSignal(check.accepted, timeout=10_000):
        check.submit()
    rec = on_lane(lambda: store.get("matter", late))
    assert (rec["status"], rec["closed_on"], rec["outcome"], rec["satisfaction"]) == (
        "resolved", "2025-06-01", "组织村民投工投劳，已修复", "satisfied")
    assert (rec["responsible_body"], rec["responsible_person"]) == ("village_committees", "李强")


def test_new_matter_form_asks_before_losing_changes(qtbot, gui, store: Store, lane, on_lane,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _matters(store, on_lane)
    page = _page(qtbot, store, lane)
    page.new_matter()
    dlg = _opened(qtbot, page, MatterDialog)
    assert dlg.form.rows["status"].value() == "registered" and not dlg.form.rows["status"].editor.isEnabled()
    dlg.form.rows["description"].editor.setPlainText("五组饮水管道破裂")
    dlg.reject()
    qtbot.waitUntil(lambda: dlg.question is not None and dlg.question.isVisible(), timeout=5000)
    box = dlg.question
    assert box is not None and "未保存" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert dlg.isVisible() and dlg.question is None      # Cancel: the form stays with its text
    for name, code in (("channel", "phone"), ("topic_category", "infrastructure"), ("sanshi_class", "minor")):
        box = dlg.form.rows[name].editor
        assert isinstance(box, ChoiceBox)
        box.set_code(code)
    hid = on_lane(lambda: store.create("household", {"area_id": store.ensure_area(VILLAGE), "group_name": "5组",
                                                     "head_name": "王德福"}).id)
    picker = dlg.households.picker
    with qtbot.waitSignal(picker.searched, timeout=10_000):
        picker.edit.setText("王德福")
        picker.edit.textEdited.emit("王德福")           # as typing does (keyClicks types ASCII only)
    picker.results.itemActivated.emit(picker.results.item(0))     # the household concerned
    assert dlg.households.ids() == [hid]
    with qtbot.waitSignal(dlg.accepted, timeout=10_000):
        dlg.save()
    assert dlg.question is None                          # saving never asks
    mid = dlg.saved_id
    saved = on_lane(lambda: store.get("matter", mid))
    assert (saved["status"], saved["source_type"], saved["description"]) == ("registered", "direct", "五组饮水管道破裂")
    assert [h["household_id"] for h in on_lane(lambda: store.children("matter_household", mid))] == [hid]


def test_delete_asks_first(qtbot, gui, store: Store, lane, on_lane, monkeypatch: pytest.MonkeyPatch) -> None:
    late, soon = _matters(store, on_lane)
    page = _page(qtbot, store, lane)
    _select(qtbot, page, soon)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.No)
    page.delete_selected()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(page.model.populated, timeout=10_000):
        page.delete_selected()
    assert [page.model.row_id(r) for r in range(page.model.rowCount())] == [late]
    assert on_lane(lambda: store.get("matter", soon)) is None


def test_public_board_of_the_chosen_village_previews(qtbot, gui, store: Store, lane, on_lane) -> None:
    _matters(store, on_lane)
    page = _page(qtbot, store, lane)
    qtbot.waitUntil(lambda: len(page.village.choices) == 1, timeout=10_000)
    page.village.set_code(page.village.choices[0][0])
    page.show_board()
    qtbot.waitUntil(lambda: page.print_preview is not None, timeout=10_000)
    preview = page.print_preview
    assert preview is not None and preview.windowTitle() == "三事分流事项公示栏"
    preview.close()
