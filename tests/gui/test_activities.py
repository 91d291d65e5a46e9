"""Recording a cultural activity: a sign-in list whose sums must match the headcount."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.activities import ActivitiesPage, ActivityDialog, activity_dialog_data
from lehe_desktop.gui.forms import ChoiceBox


def _people(store: Store, on_lane) -> dict[str, str]:  # type: ignore[no-untyped-def]
    def prepare() -> dict[str, str]:
        area = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
        hid = store.create("household", {"area_id": area, "group_name": "3组", "head_name": "王德福"}).id
        for name, sex, born, rel in (("王德福", "1", "1950-02-01", "02"), ("刘春梅", "2", "1985-05-01", "10"),
                                     ("王小宝", "1", "2015-09-01", "20")):
            store.create("member", {"household_id": hid, "name": name, "sex": sex, "relation": rel,
                                    "birth_date": born})
        other = store.create("household", {"area_id": area, "group_name": "5组", "head_name": "李秀英"}).id
        lee = store.create("member", {"household_id": other, "name": "李秀英", "sex": "2", "relation": "02",
                                      "birth_date": "1970-03-03"}).id
        return {"area": area, "household": hid, "lee": lee}

    return on_lane(prepare)  # type: ignore[no-any-return]


def _save(qtbot, dlg: ActivityDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.saving, timeout=10_000)


def _answer(qtbot, dlg: ActivityDialog, button: QMessageBox.StandardButton) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dlg.question is not None and dlg.question.isVisible(), timeout=5000)
    box = dlg.question
    assert box is not None
    box.button(button).click()


def test_attendance_must_add_up_to_the_headcount(qtbot, gui, store: Store, lane, on_lane) -> None:
    ids = _people(store, on_lane)
    dlg = ActivityDialog(store, lane, on_lane(lambda: activity_dialog_data(store, None)))
    qtbot.addWidget(dlg)
    dlg.show()
    r = dlg.form.rows
    r["title"].editor.setText("重阳敬老宴")
    for name, code in (("category", "festival"), ("area_id", ids["area"])):
        box = r[name].editor
        assert isinstance(box, ChoiceBox)
        box.set_code(code)
    r["activity_date"].set_value("2026-10-29")
    r["actual_count"].editor.setText("10")
    picker = dlg.attendance
    # A whole household (3 residents), then one resident found by name.
    picker.household.chosen.emit(ids["household"])
    qtbot.waitUntil(lambda: len(picker.rows) == 3, timeout=5000)
    with qtbot.waitSignal(picker.searched, timeout=5000):
        picker.search.setText("李秀英")
        picker.search.textEdited.emit("李秀英")     # as typed (QTest cannot type CJK)
    assert picker.results.count() == 1
    picker.results.itemClicked.emit(picker.results.item(0))
    assert [row.get("member_name") for row in picker.rows] == ["王德福", "刘春梅", "王小宝", "李秀英"]
    assert picker.table.rowCount() == 4 and picker.table.item(2, 2).text() == "14岁以下"
    # Six more came without signing in; counted 5 by sex and 5 by age band: 9, not 10.
    for name, n in (("male", 3), ("female", 2), ("age18_59", 3), ("age60plus", 2)):
        picker.others[name].setValue(n)
    summary = dlg.summary()
    assert (summary.total_by_sex, summary.total_by_age, summary.ok) == (9, 9, False)
    assert picker.summary.property("ok") is False and "与实际人数 10 人不一致" in picker.summary.text()
    _save(qtbot, dlg)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert "不一致" in dlg.form.general.text() and dlg.form.general.isVisible()
    assert on_lane(lambda: (store.count("activity"), store.count("activity_attendance"))) == (0, 0)

    picker.others["female"].setValue(3)
    picker.others["under14"].setValue(1)
    assert picker.summary.property("ok") is True and "合计相符" in picker.summary.text()
    _save(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    aid = dlg.saved_id
    assert aid is not None
    act = on_lane(lambda: store.get("activity", aid))
    assert (act["actual_count"], act["male"], act["female"]) == (10, 5, 5)
    assert (act["under14"], act["age14_17"], act["age18_59"], act["age60plus"]) == (2, 0, 5, 3)
    signed = on_lane(lambda: store.children("activity_attendance", aid))
    assert len(signed) == 4 and ids["lee"] in {s["member_id"] for s in signed}

    # Opened again: the unregistered counts come back; an unsaved change asks before closing.
    again = ActivityDialog(store, lane, on_lane(lambda: activity_dialog_data(store, aid)))
    qtbot.addWidget(again)
    again.show()
    assert again.attendance.others_counts() == {"male": 3, "female": 3, "under14": 1, "age14_17": 0,
                                                "age18_59": 3, "age60plus": 2}
    assert not again.dirty
    again.form.rows["title"].editor.setText("重阳节敬老宴")
    again.reject()
    _answer(qtbot, again, QMessageBox.StandardButton.Cancel)      # keep editing
    assert again.isVisible()
    again.reject()
    _answer(qtbot, again, QMessageBox.StandardButton.Discard)
    qtbot.waitUntil(lambda: not again.isVisible(), timeout=5000)
    assert on_lane(lambda: store.get("activity", aid)["title"]) == "重阳敬老宴"

    # Deleted with confirmation: the activity and its sign-in rows.
    third = ActivityDialog(store, lane, on_lane(lambda: activity_dialog_data(store, aid)))
    qtbot.addWidget(third)
    third.show()
    assert third.delete_button is not None
    third.delete_button.click()
    _answer(qtbot, third, QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: third.deleted, timeout=5000)
    assert on_lane(lambda: (store.count("activity"), store.children("activity_attendance", aid))) == (0, [])


def test_activities_page_filters_by_category_and_series(qtbot, gui, demo_store: Store, lane, on_lane) -> None:
    page = ActivitiesPage(demo_store, lane)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.model.populated, timeout=10_000):
        page.load()
    total = on_lane(lambda: demo_store.count("activity"))
    assert total > 0 and page.model.total == total
    qtbot.waitUntil(lambda: len(page.series.choices) > 0, timeout=5000)
    page.series.set_code("乐和讲堂")
    with qtbot.waitSignal(page.model.populated, timeout=10_000):
        page.apply_filter()
    assert 0 < page.model.total < total
    assert all(page.model.data(page.model.index(r, 3)).startswith("乐和讲堂") for r in range(page.model.rowCount()))
    page.series.set_code(None)
    page.category.set_code("festival")
    with qtbot.waitSignal(page.model.populated, timeout=10_000):
        page.apply_filter()
    assert all(page.model.data(page.model.index(r, 2)) == "传统节日活动" for r in range(page.model.rowCount()))
