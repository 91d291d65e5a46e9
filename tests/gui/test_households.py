"""Households through the real dialogs and profile: create, members, inline errors, reveal."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from lehe_desktop.core import queries
from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.dialogs import HouseholdDialog, MemberDialog, household_dialog_data, member_dialog_data
from lehe_desktop.gui.forms import ChoiceBox
from lehe_desktop.gui.households import HouseholdProfile
from lehe_desktop.gui.models import HouseholdModel

ID_NUMBER = "110101199003070011"   # valid check digit; born 1990-03-07, male


def _choose(box: object, code: str) -> None:
    assert isinstance(box, ChoiceBox)
    box.set_code(code)
    assert box.code() == code


def _save(qtbot, dlg) -> None:  # type: ignore[no-untyped-def]
    """Click Save and wait for the lane's answer (the dialog closes, or shows what is wrong)."""
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dlg.saving and not dlg.save_button.isEnabled()     # on its way: no second save meanwhile
    qtbot.waitUntil(lambda: not dlg.saving, timeout=10_000)


def test_create_household_with_two_members_and_inline_errors(qtbot, gui, store: Store, lane, on_lane) -> None:
    area = on_lane(lambda: store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村"))
    dlg = HouseholdDialog(store, lane, on_lane(lambda: household_dialog_data(store, None)))
    qtbot.addWidget(dlg)
    dlg.show()
    rows = dlg.form.rows
    # Nothing filled: the store refuses and each required field says so under itself.
    _save(qtbot, dlg)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert rows["head_name"].problem.isVisible()
    assert rows["head_name"].problem.text() == "请填写户主姓名"
    assert rows["area_id"].problem.text() == "请填写所属村"
    assert dlg.status.text() == "未保存：请修改标红的项目。"
    assert on_lane(lambda: store.count("household")) == 0
    _choose(rows["area_id"].editor, area)
    rows["group_name"].editor.setText("3组")
    rows["head_name"].editor.setText("王德福")
    dlg.categories.set_checked(["dibao"])
    _save(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    hid = dlg.saved_id
    assert hid and on_lane(lambda: store.get("household", hid))["head_name"] == "王德福"
    assert [c["category"] for c in on_lane(lambda: store.children("household_category", hid))] == ["dibao"]

    # The head named on the household is a member already (relation 户主, sex not given: 未知).
    [made] = on_lane(lambda: store.children("member", hid))
    assert (made["name"], made["relation"], made["sex"]) == ("王德福", "02", "0")
    first = MemberDialog(store, lane, hid, on_lane(lambda: member_dialog_data(store, made["id"])))
    qtbot.addWidget(first)
    first.show()
    r = first.form.rows
    assert r["name"].editor.text() == "王德福"
    r["sex"].editor.set_code(None)
    r["id_number"].editor.setText("110101199003070017")     # wrong check digit (1 is right)
    first.phones.add_row("13800138000", "self")
    _save(qtbot, first)
    assert first.result() != QDialog.DialogCode.Accepted
    assert r["id_number"].problem.isVisible()
    assert r["id_number"].problem.property("severity") == "error"
    assert r["sex"].problem.text() == "请填写性别"
    assert on_lane(lambda: store.children("member_phone", made["id"])) == []    # nothing half-saved
    r["id_number"].editor.setText(ID_NUMBER)
    _choose(r["sex"].editor, "1")
    _save(qtbot, first)
    assert first.status.text() == ""
    assert first.result() == QDialog.DialogCode.Accepted

    second = MemberDialog(store, lane, hid, on_lane(lambda: member_dialog_data(store, None)))
    qtbot.addWidget(second)
    second.show()
    r2 = second.form.rows
    r2["name"].editor.setText("李秀英")
    _choose(r2["sex"].editor, "2")
    _choose(r2["relation"].editor, "10")
    second.categories.set_checked(["left_behind_elder"])
    _save(qtbot, second)
    assert second.result() == QDialog.DialogCode.Accepted

    members = on_lane(lambda: store.children("member", hid))
    assert sorted(m["name"] for m in members) == ["李秀英", "王德福"]
    head = next(m for m in members if m["name"] == "王德福")
    assert head["birth_date"] == "1990-03-07"             # derived by the core from the ID number
    assert [p["number"] for p in on_lane(lambda: store.children("member_phone", head["id"]))] == ["+8613800138000"]

    # Edited again: the phone kept (updated in place), the category ticked saved beside it.
    edit = MemberDialog(store, lane, hid, on_lane(lambda: member_dialog_data(store, head["id"])))
    qtbot.addWidget(edit)
    edit.show()
    assert edit.phones.rows()[0][1] == "138 0013 8000"
    edit.categories.set_checked(["left_behind_elder"])
    _save(qtbot, edit)
    assert edit.result() == QDialog.DialogCode.Accepted
    assert [c["category"] for c in on_lane(lambda: store.children("member_category", head["id"]))] == \
        ["left_behind_elder"]
    assert [p["number"] for p in on_lane(lambda: store.children("member_phone", head["id"]))] == ["+8613800138000"]


def test_the_head_named_in_the_household_dialog_becomes_a_member(qtbot, gui, store: Store, lane, on_lane) -> None:
    area = on_lane(lambda: store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村"))
    dlg = HouseholdDialog(store, lane, on_lane(lambda: household_dialog_data(store, None)))
    qtbot.addWidget(dlg)
    dlg.show()
    rows = dlg.form.rows
    assert dlg.head_sex.isVisible()
    _choose(rows["area_id"].editor, area)
    rows["group_name"].editor.setText("3组")
    rows["head_name"].editor.setText("李秀英")
    _choose(dlg.head_sex, "2")
    _save(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    hid = dlg.saved_id
    [head] = on_lane(lambda: store.children("member", hid))
    assert (head["name"], head["relation"], head["sex"]) == ("李秀英", "02", "2")
    # The profile lists her as a member.
    profile = HouseholdProfile(store, lane)
    qtbot.addWidget(profile)
    with qtbot.waitSignal(profile.loaded, timeout=5000):
        profile.show_household(hid)
    assert profile.members_table.rowCount() == 1
    assert profile.members_table.item(0, 0).text() == "李秀英"

    # The head's name corrected on the household: the head member is renamed with it, not doubled.
    edit = HouseholdDialog(store, lane, on_lane(lambda: household_dialog_data(store, hid)))
    qtbot.addWidget(edit)
    edit.show()
    assert not edit.head_sex.isVisible()
    edit.form.rows["head_name"].editor.setText("李秀云")
    _save(qtbot, edit)
    assert edit.result() == QDialog.DialogCode.Accepted
    [head] = on_lane(lambda: store.children("member", hid))
    assert (head["name"], head["relation"]) == ("李秀云", "02")


def test_live_preview_shows_warnings_amber_and_they_do_not_block(qtbot, gui, store: Store, lane, on_lane) -> None:
    area = on_lane(lambda: store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村"))
    hid = on_lane(lambda: store.create("household", {"area_id": area, "group_name": "1组", "head_name": "张三"}).id)
    dlg = MemberDialog(store, lane, hid, on_lane(lambda: member_dialog_data(store, None)))
    qtbot.addWidget(dlg)
    dlg.show()
    r = dlg.form.rows
    r["name"].editor.setText("张小")
    _choose(r["sex"].editor, "1")
    _choose(r["relation"].editor, "20")
    r["name"].editor.editingFinished.emit()               # as when the field loses focus
    # No birth date and no ID number: the core's warning (checked on the lane), amber, under the birth date.
    qtbot.waitUntil(lambda: r["birth_date"].problem.property("severity") == "warning", timeout=5000)
    assert "#8a5a00" in r["birth_date"].problem.styleSheet()
    _save(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted


def test_a_warning_under_a_field_does_not_move_the_form(qtbot, gui, store: Store, lane, on_lane) -> None:
    """The field a user is about to click stays under the pointer when a problem appears above it."""
    area = on_lane(lambda: store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村"))
    hid = on_lane(lambda: store.create("household", {"area_id": area, "group_name": "1组", "head_name": "张三"}).id)
    dlg = MemberDialog(store, lane, hid, on_lane(lambda: member_dialog_data(store, None)))
    qtbot.addWidget(dlg)
    dlg.resize(640, 640)
    dlg.show()
    qtbot.waitExposed(dlg)
    r = dlg.form.rows

    def geometry() -> dict[str, tuple[int, int, int, int]]:
        out = {}
        for name, row in r.items():
            for part, w in (("editor", row.editor), ("label", row.label), ("problem", row.problem)):
                p = w.mapTo(dlg, w.rect().topLeft())
                out[f"{name}.{part}"] = (p.x(), p.y(), w.width(), w.height())
        return out

    before = geometry()
    r["name"].editor.setText("张小")
    _choose(r["sex"].editor, "1")
    _choose(r["relation"].editor, "20")
    r["name"].editor.editingFinished.emit()
    qtbot.waitUntil(lambda: r["birth_date"].problem.property("severity") == "warning", timeout=5000)
    assert r["birth_date"].problem.text() == "未填写出生日期或身份证号"
    qtbot.wait(50)                                         # any relayout Qt schedules has happened
    assert geometry() == before
    # A long message (English) is shortened on its line, not wrapped onto a second one; whole in the tooltip.
    long = "Neither a birth date nor an ID number was given " * 4
    r["birth_date"].problem.setText(long)
    qtbot.wait(50)
    assert geometry() == before
    assert r["birth_date"].problem.toolTip() == long
    # Errors after a refused save: the same places again.
    r["name"].editor.setText("")
    _save(qtbot, dlg)
    assert r["name"].problem.property("severity") == "error"
    qtbot.wait(50)
    assert geometry() == before


def test_profile_masks_ids_and_phones_until_revealed(qtbot, gui, store: Store, lane, on_lane, caplog) -> None:
    area = on_lane(lambda: store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村"))
    def prepare() -> str:
        hid = store.create("household", {"area_id": area, "group_name": "2组", "head_name": "王德福"}).id
        mid = store.create("member", {"household_id": hid, "name": "王德福", "sex": "1", "relation": "02",
                                      "id_number": ID_NUMBER}).id
        store.create("member_phone", {"member_id": mid, "number": "13800138000", "owner": "self"})
        return hid

    hid = on_lane(prepare)
    profile = HouseholdProfile(store, lane)
    qtbot.addWidget(profile)
    with qtbot.waitSignal(profile.loaded, timeout=5000):
        profile.show_household(hid)
    profile.show()
    t = profile.members_table
    assert t.item(0, 4).text() == "1101**********0011"
    assert t.item(0, 5).text() == "138****8000"
    assert profile.reveal_btn.text() == "显示"
    with caplog.at_level(logging.INFO), qtbot.waitSignal(profile.loaded, timeout=5000):
        qtbot.mouseClick(profile.reveal_btn, Qt.MouseButton.LeftButton)
    assert t.item(0, 4).text() == ID_NUMBER
    assert t.item(0, 5).text() == "138 0013 8000"
    assert any("reveal" in rec.getMessage() and hid in rec.getMessage() for rec in caplog.records)
    assert not any(ID_NUMBER in rec.getMessage() or "8000" in rec.getMessage() for rec in caplog.records)
    # The reveal is in the audit log: which household and members, never the values.
    entry = on_lane(lambda: store.query_dicts("SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 1"))[0]
    assert entry["action"] == "reveal" and hid in entry["detail"] and ID_NUMBER not in entry["detail"]
    with qtbot.waitSignal(profile.loaded, timeout=5000):
        qtbot.mouseClick(profile.reveal_btn, Qt.MouseButton.LeftButton)
    assert t.item(0, 4).text() == "1101**********0011"
    # Opening another household starts masked again.
    with qtbot.waitSignal(profile.loaded, timeout=5000):
        profile.reveal_btn.setChecked(True)
    other = on_lane(lambda: store.create("household", {"area_id": area, "group_name": "2组", "head_name": "李四"}).id)
    with qtbot.waitSignal(profile.loaded, timeout=5000):
        profile.show_household(other)
    assert not profile.revealed and profile.title.text() == "李四户"


def test_profile_timeline_shows_visits_and_linked_matters(qtbot, gui, demo_store: Store, lane, on_lane) -> None:
    hid = on_lane(lambda: demo_store.query_value(
        "SELECT household_id FROM matter_households WHERE deleted = 0"))
    profile = HouseholdProfile(demo_store, lane)
    qtbot.addWidget(profile)
    with qtbot.waitSignal(profile.loaded, timeout=5000):
        profile.show_household(hid)
    texts = [profile.timeline.item(i).text() for i in range(profile.timeline.count())]
    assert any("[三事分流事项]" in t for t in texts), texts
    dates = [t.split()[0] for t in texts]
    assert dates == sorted(dates, reverse=True)
    visits = len(on_lane(lambda: queries.visits_of_household(demo_store, hid)))
    assert sum("[" not in t for t in texts) == visits


def test_a_household_form_asks_before_losing_changes_and_deletes_to_the_bin(qtbot, gui, store: Store, lane,
                                                                            on_lane) -> None:
    from PySide6.QtWidgets import QMessageBox

    from lehe_desktop.core.store import bin as recycle

    area = on_lane(lambda: store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村"))
    hid = on_lane(lambda: store.create("household", {"area_id": area, "group_name": "2组",
                                                     "head_name": "赵德明"}).id)
    on_lane(lambda: store.create("member", {"household_id": hid, "name": "赵小芳", "sex": "2", "relation": "20"}))
    dlg = HouseholdDialog(store, lane, on_lane(lambda: household_dialog_data(store, hid)))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.form.rows["address"].editor.setText("新地址 8 号")
    dlg.reject()                                    # closing with a change: asked, stays open on Cancel
    qtbot.waitUntil(lambda: dlg.question is not None and dlg.question.isVisible(), timeout=5000)
    assert dlg.question is not None
    dlg.question.button(QMessageBox.StandardButton.Cancel).click()
    assert dlg.isVisible()
    assert dlg.delete_button is not None
    dlg.delete_button.click()                       # Delete asks first; Yes deletes with the members
    qtbot.waitUntil(lambda: dlg.question is not None and dlg.question.isVisible(), timeout=5000)
    with qtbot.waitSignal(dlg.accepted, timeout=10_000):
        dlg.question.button(QMessageBox.StandardButton.Yes).click()
    assert on_lane(lambda: store.get("household", hid)) is None
    binned = on_lane(lambda: recycle.binned(store))
    assert [(b["type"], b["id"], b["with"]) for b in binned] == [("household", hid, 1)]


def test_household_list_model_holds_no_exact_address(qtbot, gui, store: Store, lane, on_lane) -> None:
    address = "乐和村2组门牌4729号"
    area = on_lane(lambda: store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村"))
    on_lane(lambda: store.create("household", {"area_id": area, "group_name": "2组", "head_name": "王德福",
                                               "address": address}))
    model = HouseholdModel(store, lane)
    with qtbot.waitSignal(model.populated, timeout=10_000):
        model.refresh()
    assert model.rowCount() == 1
    hid = model.row_id(0)
    rows = on_lane(lambda: model.query_rows([hid]))       # what the model is given for its rows
    assert rows and rows[0]["address"] == "乐和村*组门***" and "4729" not in rows[0]["address"]
    for c in range(model.columnCount()):
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.UserRole):
            assert "4729号" not in str(model.data(model.index(0, c), role))
