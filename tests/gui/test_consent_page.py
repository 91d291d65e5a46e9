"""A household's consents from its profile: record one for a child, see it listed, withdraw it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.consent import ConsentDialog, ConsentList
from lehe_desktop.gui.forms import ChoiceBox
from lehe_desktop.gui.households import HouseholdProfile


def test_record_and_withdraw_a_guardians_consent(qtbot, gui, store: Store, lane, on_lane) -> None:  # type: ignore[no-untyped-def]
    def family() -> tuple[str, str]:
        hid = store.create("household", {"area_id": store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村"),
                                         "group_name": "一组", "head_name": "王大山"}).id
        child = store.create("member", {"household_id": hid, "name": "王小花", "sex": "2", "relation": "40",
                                        "birth_date": "2016-05-01"}).id
        return hid, child

    hid, child = on_lane(family)
    profile = HouseholdProfile(store, lane)
    qtbot.addWidget(profile)
    profile.show_household(hid)
    qtbot.waitUntil(lambda: profile.household is not None, timeout=10_000)
    assert profile.consent_btn.text() == "知情同意…"
    qtbot.mouseClick(profile.consent_btn, Qt.MouseButton.LeftButton)
    listing = profile.open_dialog
    assert isinstance(listing, ConsentList)
    qtbot.waitUntil(lambda: listing.table.columnCount() == 6 and not listing.edit_btn.isEnabled(), timeout=10_000)
    assert listing.table.rowCount() == 0

    qtbot.mouseClick(listing.new_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(getattr(listing, "open_dialog", None), ConsentDialog), timeout=10_000)
    dlg = listing.open_dialog
    rows = dlg.form.rows
    assert "household_id" not in rows            # the household is the one the list belongs to
    member_box = rows["member_id"].editor
    assert isinstance(member_box, ChoiceBox)
    member_box.set_code(child)
    rows["grantor"].editor.set_code("guardian")
    rows["method"].editor.set_code("thumbprint")
    rows["notice_version"].editor.setText("2026-1")
    rows["consent_date"].editor.line.setText("2026-03-01")
    # Without the grantor's name a guardian's consent is refused, by the field.
    for name in ("item_basic", "item_sensitive"):
        box = rows[name].editor
        assert isinstance(box, ChoiceBox)
        box.set_code("1")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.saving, timeout=10_000)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert rows["grantor_name"].problem.isVisible()
    assert on_lane(lambda: store.count("consent")) == 0
    rows["grantor_name"].editor.setText("李秀英")
    accepted: list[str] = []
    dlg.accepted.connect(lambda: accepted.append("new"))    # then it closes (and is deleted)
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: accepted == ["new"], timeout=10_000)
    qtbot.waitUntil(lambda: listing.table.rowCount() == 1, timeout=10_000)
    assert listing.table.item(0, 1).text() == "王小花"
    assert listing.table.item(0, 2).text() == "监护人"
    assert "收集敏感信息" in listing.table.item(0, 3).text()
    [saved] = on_lane(lambda: store.query_dicts("SELECT * FROM consents"))
    assert (saved["member_id"], saved["grantor_name"], saved["item_sensitive"]) == (child, "李秀英", 1)
    assert on_lane(lambda: store.to_send_count()) > 0       # it syncs like every record

    # Withdrawn: the record stays, with the date it ended.
    listing.table.selectRow(0)
    qtbot.mouseClick(listing.edit_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(listing.open_dialog, ConsentDialog)
                    and listing.open_dialog.existing is not None, timeout=10_000)
    edit = listing.open_dialog
    edit.form.rows["withdrawn_on"].editor.line.setText("2026-11-30")
    edit.accepted.connect(lambda: accepted.append("withdrawn"))
    qtbot.mouseClick(edit.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: accepted == ["new", "withdrawn"], timeout=10_000)
    qtbot.waitUntil(lambda: listing.table.item(0, 5) is not None and listing.table.item(0, 5).text() == "2026-11-30",
                    timeout=10_000)
