"""Recording a co-governance meeting: quorum, an agenda item with votes and a decision, and the
matter and the task raised from it in one step each."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.forms import ChoiceBox
from lehe_desktop.gui.meetings import (
    MeetingDialog,
    MeetingsPage,
    RaiseMatterDialog,
    RaiseTaskDialog,
    meeting_dialog_data,
)


def _click_save(qtbot, dlg: QDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.saving, timeout=10_000)  # type: ignore[attr-defined]


def _save_raised(qtbot, dlg: QDialog) -> None:  # type: ignore[no-untyped-def]
    """Save a matter or task form (it closes and is deleted once the core has created the record)."""
    accepted: list[bool] = []
    dlg.accepted.connect(lambda: accepted.append(True))
    dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: bool(accepted) or not dlg.saving, timeout=10_000)  # type: ignore[attr-defined]
    assert accepted, dlg.status.text()  # type: ignore[attr-defined]


def _choose(box: object, code: str) -> None:
    assert isinstance(box, ChoiceBox)
    box.set_code(code)
    assert box.code() == code


def test_meeting_with_votes_a_decision_and_what_it_raised(qtbot, gui, store: Store, lane, on_lane) -> None:
    area = on_lane(lambda: store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村"))
    dlg = MeetingDialog(store, lane, on_lane(lambda: meeting_dialog_data(store, None)))
    qtbot.addWidget(dlg)
    dlg.show()
    r = dlg.form.rows
    _choose(r["meeting_type"].editor, "rep_meeting")
    _choose(r["area_id"].editor, area)
    r["title"].editor.setText("村民代表会议（3组公路）")
    r["chair"].editor.setText("王大山")
    r["expected_count"].editor.setText("20")
    r["attended_count"].editor.setText("12")           # 12/20 < 2/3: a warning, not a block
    assert dlg.quorum.property("met") is False and "未达到法定人数" in dlg.quorum.text()
    r["attended_count"].editor.setText("15")
    assert dlg.quorum.property("met") is True and "达到法定人数" in dlg.quorum.text()
    dlg.participants.load([
        {"name": "王大山", "org": "村委会", "post": "主任", "role": "village_committee", "attendance": "present",
         "signed": 1},
        {"name": "张建国", "org": "乐和互助会", "post": "会长", "role": "mutual_aid", "attendance": "present",
         "signed": 1},
        {"name": "刘芳", "org": "白鹿镇政府", "post": "副镇长", "role": "township_gov", "attendance": "observer"},
    ])
    assert dlg.participants.table.item(1, 1).text() == "乐和互助会"
    assert dlg.participants.table.item(1, 3).text() == "乐和互助会（会长/成员）"
    assert dlg.participants.table.item(2, 4).text() == "列席"
    dlg.count_from_participants()                         # observers are neither expected nor attended
    assert (r["expected_count"].value(), r["attended_count"].value()) == ("2", "2")
    r["expected_count"].editor.setText("20")
    r["attended_count"].editor.setText("15")
    dlg.agenda.load([{"seq": 1, "topic": "3组通组公路硬化", "origin": "member_suggestion", "sanshi_class": "minor",
                      "discussion": "多数赞成；两户担心占地，记录在案。", "vote_method": "show_of_hands",
                      "votes_for": 12, "votes_against": 2, "votes_abstain": 1, "passed": 1,
                      "resolution": "同意硬化，各户投工投劳，村委会牵头。", "resolution_type": "decision"}])
    assert not dlg.agenda.matter_btn.isEnabled()           # not saved yet: nothing to raise from
    _click_save(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.status.text()
    mid = dlg.saved_id
    assert mid is not None
    items = on_lane(lambda: store.children("agenda_item", mid))
    assert len(items) == 1 and items[0]["votes_for"] == 12 and items[0]["resolution"].startswith("同意硬化")
    people = on_lane(lambda: store.children("meeting_participant", mid))
    assert {(p["name"], p["org"], p["role"]) for p in people} >= {("张建国", "乐和互助会", "mutual_aid")}
    item_id = items[0]["id"]

    again = MeetingDialog(store, lane, on_lane(lambda: meeting_dialog_data(store, mid)))
    qtbot.addWidget(again)
    again.show()
    again.agenda.table.selectRow(0)
    assert again.agenda.matter_btn.isEnabled() and again.agenda.task_btn.isEnabled()

    # A matter, raised in one step: the form comes prefilled from the item and its meeting.
    again.agenda.matter_btn.click()
    qtbot.waitUntil(lambda: isinstance(again.raise_dialog, RaiseMatterDialog), timeout=5000)
    matter_dlg = again.raise_dialog
    assert matter_dlg is not None
    mr = matter_dlg.form.rows
    assert mr["sanshi_class"].value() == "minor" and mr["raised_on"].value() == date.today().isoformat()
    assert "3组通组公路硬化" in (mr["description"].value() or "")
    _choose(mr["topic_category"].editor, "infrastructure")
    mr["responsible_person"].editor.setText("王大山")
    _save_raised(qtbot, matter_dlg)

    # A task to carry out the decision.
    again.agenda.task_btn.click()
    qtbot.waitUntil(lambda: isinstance(again.raise_dialog, RaiseTaskDialog), timeout=5000)
    task_dlg = again.raise_dialog
    assert task_dlg is not None
    task_dlg.form.rows["owner"].editor.setText("张建国")
    _save_raised(qtbot, task_dlg)

    matters = on_lane(lambda: store.query_dicts("SELECT * FROM matters WHERE deleted = 0", []))
    assert len(matters) == 1
    m = matters[0]
    assert (m["source_type"], m["source_agenda_item_id"], m["sanshi_class"], m["area_id"]) == \
        ("meeting", item_id, "minor", area)
    assert (m["topic_category"], m["responsible_body"], m["status"]) == ("infrastructure", "village_committees",
                                                                           "registered")
    tasks = on_lane(lambda: store.query_dicts("SELECT * FROM tasks WHERE deleted = 0", []))
    assert len(tasks) == 1
    t = tasks[0]
    assert (t["agenda_item_id"], t["owner"], t["status"], t["title"]) == (item_id, "张建国", "not_started",
                                                                         "落实：3组通组公路硬化")
    qtbot.waitUntil(lambda: again.agenda.table.item(0, 7).text() == "事项 1、任务 1", timeout=5000)


def test_meetings_page_lists_and_filters_by_type(qtbot, gui, demo_store: Store, lane, on_lane) -> None:
    page = MeetingsPage(demo_store, lane)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.model.populated, timeout=10_000):
        page.load()
    total = on_lane(lambda: demo_store.count("meeting"))
    assert total > 0 and page.model.total == total
    shown = page.model.data(page.model.index(0, 1))
    mtype = next(code for code, zh, _en in page.mtype.choices if zh == shown)
    page.mtype.set_code(mtype)
    with qtbot.waitSignal(page.model.populated, timeout=10_000):
        page.apply_filter()
    assert 0 < page.model.total <= total
    assert {page.model.data(page.model.index(r, 1)) for r in range(page.model.rowCount())} == {shown}


def test_minutes_of_the_chosen_meeting_open_in_the_print_preview(qtbot, gui, demo_store: Store, lane,
                                                                 on_lane) -> None:
    page = MeetingsPage(demo_store, lane)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.model.populated, timeout=10_000):
        page.load()
    page.table.setCurrentIndex(page.model.index(0, 0))
    page.print_selected()
    qtbot.waitUntil(lambda: page.print_preview is not None, timeout=10_000)
    preview = page.print_preview
    assert preview is not None and preview.isVisible()
    preview.close()
