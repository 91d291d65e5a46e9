"""Recording a visit through the full form: a validation error by its field, fixed, saved."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from lehe_desktop.core.records.schema import record_type
from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.forms import ChoiceBox
from lehe_desktop.gui.visits import ChildDialog, VisitDialog, VisitsPage


def _choose(box: object, code: str) -> None:
    assert isinstance(box, ChoiceBox)
    box.set_code(code)
    assert box.code() == code


def _household(store: Store) -> tuple[str, str]:
    area = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    hid = store.create("household", {"area_id": area, "group_name": "3组", "head_name": "王德福"}).id
    mid = store.create("member", {"household_id": hid, "name": "王德福", "sex": "1", "relation": "02",
                                  "birth_date": "1950-02-01"}).id
    return hid, mid


def test_visit_form_shows_every_core_field(qtbot, gui, store: Store) -> None:
    hid, _ = _household(store)
    dlg = VisitDialog(store, household_id=hid)
    qtbot.addWidget(dlg)
    shown = set(dlg.form.rows) | {"household_id"}
    assert shown == set(record_type("visit").field_names)
    assert set(dlg.children_tables) == {"visit_visitor", "visit_need", "visit_service", "visit_referral"}
    assert dlg.form.rows["visit_type"].label.text() == "走访类型 *"


def test_record_visit_with_an_error_then_fix_it(qtbot, gui, store: Store) -> None:
    hid, mid = _household(store)
    dlg = VisitDialog(store, household_id=hid)
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
    save = dlg.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dlg.result() != QDialog.DialogCode.Accepted
    problem = r["next_visit_date"].problem
    assert problem.isVisible() and problem.text() == "需要跟进时请填写下次走访日期"
    assert store.count("visit") == 0 and store.count("visit_risk_factor") == 0
    r["next_visit_date"].editor.setText((date.today() + timedelta(days=7)).isoformat())
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    visit = store.get("visit", dlg.saved_id)
    assert visit["household_id"] == hid and visit["risk_level"] == "medium"
    assert [p["member_id"] for p in store.children("visit_member_present", visit["id"])] == [mid]
    assert [f["risk_factor"] for f in store.children("visit_risk_factor", visit["id"])] == ["alone_no_carer"]
    assert [v["name"] for v in store.children("visit_visitor", visit["id"])] == ["测试社工"]


def test_child_row_dialog_checks_with_the_core(qtbot, gui, store: Store) -> None:
    _hid, mid = _household(store)
    rt = record_type("visit_need")
    dlg = ChildDialog(store, rt, {}, {"member_id": [(mid, "王德福", "王德福")]})
    qtbot.addWidget(dlg)
    dlg.show()
    _choose(dlg.form.rows["lehe_dimension"].editor, dlg.form.rows["lehe_dimension"].editor.choices[0][0])
    dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.form.rows["description"].problem.text() == "请填写具体描述"


def test_visits_page_lists_and_filters(qtbot, gui, demo_store: Store) -> None:
    page = VisitsPage(demo_store, None)
    qtbot.addWidget(page)
    page.load()
    total = demo_store.count("visit")
    assert page.model.total == total and page.count.text() == f"{total} 条走访"
    page.risk.set_code("high")
    page.apply_filter()
    assert page.model.total < total
    page.risk.set_code(None)
    page.date_from.setText("2025-05-01")
    page.apply_filter()
    assert all(page.model.data(page.model.index(r, 0)) >= "2025-05-01" for r in range(page.model.rowCount()))


def _laid_out(rows: dict[str, Any]) -> bool:
    """Every visible problem sits between its editor and the next field."""
    for name, below in pairwise(rows):
        editor, problem = rows[name].editor.geometry(), rows[name].problem.geometry()
        bottom = problem.bottom() if rows[name].problem.isVisible() else editor.bottom()
        if rows[name].problem.isVisible() and not editor.bottom() < problem.top():
            return False
        if not bottom < rows[below].editor.geometry().top():
            return False
    return True


def test_problems_are_shown_once_and_never_overlap_the_next_field(qtbot, gui, store: Store) -> None:
    hid, _ = _household(store)
    dlg = VisitDialog(store)                        # no household chosen yet
    qtbot.addWidget(dlg)
    dlg.resize(1240, 700)
    dlg.show()
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dlg.household_problem.isVisible()
    assert not dlg.form.general.isVisible()         # the household problem is not repeated on top
    dlg.picker.set_household(hid)                   # as when the household is picked from the results
    dlg.picker.chosen.emit(hid)
    dlg.form.rows["visit_date"].set_value((date.today() + timedelta(days=400)).isoformat())
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    rows = dlg.form.rows
    assert rows["visit_date"].problem.isVisible() and rows["situation"].problem.isVisible()
    qtbot.waitUntil(lambda: _laid_out(rows), timeout=5000)     # the shown problems have been laid out
    for name, below in pairwise(rows):
        editor, problem = rows[name].editor.geometry(), rows[name].problem.geometry()
        bottom = editor.bottom()
        if rows[name].problem.isVisible():
            assert editor.bottom() < problem.top(), name
            bottom = problem.bottom()
        assert bottom < rows[below].editor.geometry().top(), (name, below)
