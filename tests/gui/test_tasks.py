"""督办: a progress note and "mark done" on the selected task, in place (no form)."""

from __future__ import annotations

from datetime import date

from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.tasks import TasksPage


def test_task_progress_note_then_marked_done(qtbot, qtmodeltester, gui, store: Store, lane, on_lane) -> None:
    def make() -> tuple[str, str]:
        store.today = date(2025, 6, 1)
        base = {"owner": "李强", "owner_org": "村两委", "assigned_on": "2025-05-01", "status": "not_started"}
        late = store.create("task", {**base, "title": "修复三组公路", "due_date": "2025-05-25"}).id
        soon = store.create("task", {**base, "title": "筹备重阳节活动", "due_date": "2025-06-20"}).id
        return late, soon

    late, soon = on_lane(make)
    page = TasksPage(store, lane)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    with qtbot.waitSignal(page.progress_shown, timeout=10_000):   # the first task is selected, its notes read
        page.load()
    qtmodeltester.check(page.model)
    assert [page.model.row_id(r) for r in range(page.model.rowCount())] == [late, soon]
    assert page.model.data(page.model.index(0, 4)) == "未开始（逾期）"
    assert page.selected()["id"] == late and page.notes.count() == 0
    page.note_edit.setText("已联系施工队，下周动工")
    with qtbot.waitSignal(page.progress_shown, timeout=10_000):
        page.add_note()
    assert page.selected()["id"] == late and page.message.text() == "已添加进展。"
    assert page.notes.count() == 1 and "已联系施工队，下周动工" in page.notes.item(0).text()
    assert page.model.row(0)["status"] == "in_progress" and page.model.data(page.model.index(0, 5)) == \
        "已联系施工队，下周动工"
    with qtbot.waitSignal(page.model.populated, timeout=10_000):
        page.mark_done()
    # done: it leaves the list of open tasks; the record has its completion date
    qtbot.waitUntil(lambda: [page.model.row_id(r) for r in range(page.model.rowCount())] == [soon], timeout=10_000)
    rec = on_lane(lambda: store.get("task", late))
    assert (rec["status"], rec["completed_on"]) == ("done", "2025-06-01")
    assert [n["note"] for n in on_lane(lambda: store.children("task_progress", late))] == ["已联系施工队，下周动工"]
