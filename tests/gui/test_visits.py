"""Recording a visit through the full form: a validation error by its field, fixed, saved."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from lehe_desktop.core.records.schema import record_type
from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.forms import ChoiceBox
from lehe_desktop.gui.visits import ChildDialog, VisitDialog, VisitsPage, visit_dialog_data


def _choose(box: object, code: str) -> None:
    assert isinstance(box, ChoiceBox)
    box.set_code(code)
    assert box.code() == code


def _household(store: Store, on_lane) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    def prepare() -> tuple[str, str]:
        area = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
        hid = store.create("household", {"area_id": area, "group_name": "3组", "head_name": "王德福"}).id
        mid = store.create("member", {"household_id": hid, "name": "王德福", "sex": "1", "relation": "02",
                                      "birth_date": "1950-02-01"}).id
        return hid, mid

    return on_lane(prepare)  # type: ignore[no-any-return]


def _dialog(store: Store, lane, on_lane, vid: str | None = None, hid: str | None = None) -> VisitDialog:  # type: ignore[no-untyped-def]
    return VisitDialog(store, lane, on_lane(lambda: visit_dialog_data(store, vid, hid)))


def _save(qtbot, dlg: VisitDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.saving, timeout=10_000)


def test_visit_form_shows_every_core_field(qtbot, gui, store: Store, lane, on_lane) -> None:
    hid, _ = _household(store, on_lane)
    dlg = _dialog(store, lane, on_lane, hid=hid)
    qtbot.addWidget(dlg)
    shown = set(dlg.form.rows) | {"household_id"}
    assert shown == set(record_type("visit").field_names)
    assert set(dlg.children_tables) == {"visit_visitor", "visit_need", "visit_service", "visit_referral"}
    assert dlg.form.rows["visit_type"].label.text() == "走访类型 *"


def test_record_visit_with_an_error_then_fix_it(qtbot, gui, store: Store, lane, on_lane) -> None:
    hid, mid = _household(store, on_lane)
    dlg = _dialog(store, lane, on_lane, hid=hid)
    qtbot.addWidget(dlg)
    dlg.show()
    r = dlg.form.rows
    assert r["visit_date"].value() == date.today().isoformat()
    assert dlg.picker.edit.text() == "王德福户 · 3组"
    _choose(r["visit_type"].editor, "routine")
    _choose(r["target_seen"].editor, "1")
    r["situation"].editor.setPlainText("老人独居，腿脚不便，需要帮助买药。")
    _choose(r["risk_level"].editor, "medium")
    _choose(r["follow_up_needed"].editor, "1")      # …but no next visit date
    dlg.present.set_checked([mid])
    dlg.risks.set_checked(["alone_no_carer"])
    _save(qtbot, dlg)
    assert dlg.result() != QDialog.DialogCode.Accepted
    problem = r["next_visit_date"].problem
    assert problem.isVisible() and problem.text() == "需要跟进时请填写下次走访日期"
    assert on_lane(lambda: (store.count("visit"), store.count("visit_risk_factor"))) == (0, 0)
    r["next_visit_date"].editor.setText((date.today() + timedelta(days=7)).isoformat())
    _save(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    vid = dlg.saved_id
    visit = on_lane(lambda: store.get("visit", vid))
    assert visit["household_id"] == hid and visit["risk_level"] == "medium"
    assert [p["member_id"] for p in on_lane(lambda: store.children("visit_member_present", vid))] == [mid]
    assert [f["risk_factor"] for f in on_lane(lambda: store.children("visit_risk_factor", vid))] == ["alone_no_carer"]
    assert [v["name"] for v in on_lane(lambda: store.children("visit_visitor", vid))] == ["测试社工"]

    # Opened again: every list as saved; a visitor removed and a risk factor unticked are deleted.
    again = _dialog(store, lane, on_lane, vid=vid)
    qtbot.addWidget(again)
    again.show()
    assert again.present.checked() == [mid] and again.risks.checked() == ["alone_no_carer"]
    visitors = again.children_tables["visit_visitor"]
    assert [row["name"] for row in visitors.rows] == ["测试社工"]
    visitors.table.selectRow(0)
    visitors.remove_btn.click()
    again.risks.set_checked([])
    _save(qtbot, again)
    assert again.result() == QDialog.DialogCode.Accepted
    assert on_lane(lambda: (store.children("visit_visitor", vid), store.children("visit_risk_factor", vid))) == ([], [])
    assert [p["member_id"] for p in on_lane(lambda: store.children("visit_member_present", vid))] == [mid]


def test_child_row_dialog_checks_with_the_core(qtbot, gui, store: Store, lane, on_lane) -> None:
    _hid, mid = _household(store, on_lane)
    rt = record_type("visit_need")
    dlg = ChildDialog(store, lane, rt, {}, {"member_id": [(mid, "王德福", "王德福")]})
    qtbot.addWidget(dlg)
    dlg.show()
    _choose(dlg.form.rows["lehe_dimension"].editor, dlg.form.rows["lehe_dimension"].editor.choices[0][0])
    dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dlg.form.rows["description"].problem.text() == "请填写具体描述", timeout=5000)
    assert dlg.result() != QDialog.DialogCode.Accepted


def test_visits_page_lists_and_filters(qtbot, gui, demo_store: Store, lane, on_lane) -> None:
    page = VisitsPage(demo_store, lane)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.model.populated, timeout=10_000):
        page.load()
    total = on_lane(lambda: demo_store.count("visit"))
    assert page.model.total == total and page.count.text() == f"{total} 条走访"
    page.risk.set_code("high")
    with qtbot.waitSignal(page.model.populated, timeout=10_000):
        page.apply_filter()
    assert page.model.total < total
    page.risk.set_code(None)
    page.date_from.setText("2025-05-01")
    with qtbot.waitSignal(page.model.populated, timeout=10_000):
        page.apply_filter()
    assert all(page.model.data(page.model.index(r, 0)) >= "2025-05-01" for r in range(page.model.rowCount()))


def test_problems_are_shown_once_and_never_overlap_the_next_field(qtbot, gui, store: Store, lane, on_lane) -> None:
    hid, _ = _household(store, on_lane)
    dlg = _dialog(store, lane, on_lane)             # no household chosen yet
    qtbot.addWidget(dlg)
    dlg.resize(1240, 700)
    dlg.show()
    _save(qtbot, dlg)
    assert dlg.household_problem.isVisible()
    assert not dlg.form.general.isVisible()         # the household problem is not repeated on top
    dlg.picker.set_household(hid, "王德福户 · 3组")
    dlg.picker.chosen.emit(hid)                     # as when the household is picked from the results
    qtbot.waitUntil(lambda: dlg.present.count() == 1, timeout=5000)   # the members arrived from the lane
    dlg.form.rows["visit_date"].set_value((date.today() + timedelta(days=400)).isoformat())
    _save(qtbot, dlg)
    rows = dlg.form.rows
    assert rows["visit_date"].problem.isVisible() and rows["situation"].problem.isVisible()

    def overlaps() -> list[tuple[str, str]]:
        bad = []
        for name, below in pairwise(rows):
            editor, problem = rows[name].editor.geometry(), rows[name].problem.geometry()
            bottom = editor.bottom()
            if rows[name].problem.isVisible():
                if editor.bottom() >= problem.top():
                    bad.append((name, "its problem"))
                bottom = problem.bottom()
            if bottom >= rows[below].editor.geometry().top():
                bad.append((name, below))
        return bad

    # The answer came from the lane just now: Qt lays the form out again in its own time.
    qtbot.waitUntil(lambda: not overlaps(), timeout=3000)
    assert overlaps() == []


def test_household_picker_searches_as_you_type_on_the_lane(qtbot, gui, store: Store, lane, on_lane) -> None:
    hid, mid = _household(store, on_lane)
    dlg = _dialog(store, lane, on_lane)                 # a new visit, no household yet
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.present.count() == 0
    with qtbot.waitSignal(dlg.picker.searched, timeout=5000):
        for ch in "德福":                                 # typed (QTest cannot type CJK): a search per key
            QApplication.sendEvent(dlg.picker.edit, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown,
                                                              Qt.KeyboardModifier.NoModifier, ch))
    assert dlg.picker.edit.text() == "德福"
    results = dlg.picker.results
    assert results.isVisibleTo(dlg) and results.count() == 1
    assert results.item(0).data(Qt.ItemDataRole.UserRole) == hid
    results.itemClicked.emit(results.item(0))
    assert dlg.picker.household_id == hid and dlg.picker.edit.text() == "王德福户 · 3组"
    qtbot.waitUntil(lambda: dlg.present.count() == 1, timeout=5000)   # the members, read on the lane
    assert dlg.present.item(0).data(Qt.ItemDataRole.UserRole) == mid
