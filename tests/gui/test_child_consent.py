"""The member form and the under-14 rule: sensitive data about a child without a guardian's
consent asks for a reason, which goes into the audit log; with the consent it does not ask."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.dialogs import MemberDialog, member_dialog_data


def _dialog(qtbot: Any, store: Store, lane: Any, on_lane: Any, hid: str, mid: str) -> MemberDialog:
    dlg = MemberDialog(store, lane, hid, on_lane(lambda: member_dialog_data(store, mid)))
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_a_childs_category_without_guardian_consent_asks_why(qtbot: Any, gui: Any, store: Store, lane: Any,
                                                             on_lane: Any) -> None:
    def family() -> tuple[str, str]:
        hid = store.create("household", {"area_id": store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村"),
                                         "group_name": "一组", "head_name": "王大山"}).id
        born = date(date.today().year - 9, 5, 1).isoformat()
        child = store.create("member", {"household_id": hid, "name": "王小花", "sex": "2", "relation": "40",
                                        "birth_date": born}).id
        return hid, child

    hid, child = on_lane(family)
    dlg = _dialog(qtbot, store, lane, on_lane, hid, child)
    dlg.categories.set_checked(["left_behind_child"])
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.reason_box is not None and dlg.reason_box.isVisible(), timeout=10_000)
    assert "监护人" in dlg.reason_box.labelText()
    dlg.reason_box.reject()                                  # no reason: nothing saved
    assert on_lane(lambda: store.children("member_category", child)) == []
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.reason_box is not None and dlg.reason_box.isVisible(), timeout=10_000)
    dlg.reason_box.setTextValue("祖母在外务工，先记录以便安排探访")
    dlg.reason_box.accept()
    qtbot.waitUntil(lambda: dlg.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    assert [c["category"] for c in on_lane(lambda: store.children("member_category", child))] == ["left_behind_child"]
    entries = on_lane(lambda: store.query("SELECT action, detail FROM audit_log WHERE action = 'consent_override'"))
    assert len(entries) == 1
    detail = json.loads(entries[0][1])
    assert detail["member"] == child and detail["reason"] == "祖母在外务工，先记录以便安排探访"

    # With the guardian's consent to sensitive information, the form saves without asking.
    on_lane(lambda: store.create("consent", {"household_id": hid, "member_id": child, "grantor": "guardian",
                                             "grantor_name": "李秀英", "item_sensitive": 1, "method": "thumbprint",
                                             "notice_version": "2026-1", "consent_date": date.today().isoformat()}))
    again = _dialog(qtbot, store, lane, on_lane, hid, child)
    again.categories.set_checked(["left_behind_child", "disabled"])
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    assert again.reason_box is None
    assert len(on_lane(lambda: store.children("member_category", child))) == 2
