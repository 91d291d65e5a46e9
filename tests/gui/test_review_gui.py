"""Found by the review of the window as its users meet it (one test per defect fixed)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog

from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.dialogs import HouseholdDialog, MemberDialog, household_dialog_data, member_dialog_data
from lehe_desktop.gui.matters import MatterDialog, matter_dialog_data
from lehe_desktop.gui.tasks import TaskDialog, task_dialog_data
from lehe_desktop.gui.visits import VisitDialog, visit_dialog_data


def test_every_edit_form_names_its_delete_button(qtbot: Any, gui: Any, demo_store: Store, lane: Any,
                                                  on_lane: Any) -> None:
    """Editing a household, member, visit, matter or task shows 删除… on the button, not a blank one."""
    store = demo_store

    def ids() -> dict[str, str]:
        return {t: store.query_value(f"SELECT id FROM {t}s WHERE deleted = 0 LIMIT 1")
                for t in ("household", "member", "visit", "matter", "task")}

    rid = on_lane(ids)
    hid = on_lane(lambda: store.require("member", rid["member"])["household_id"])
    made: list[QDialog] = [
        HouseholdDialog(store, lane, on_lane(lambda: household_dialog_data(store, rid["household"]))),
        MemberDialog(store, lane, hid, on_lane(lambda: member_dialog_data(store, rid["member"]))),
        VisitDialog(store, lane, on_lane(lambda: visit_dialog_data(store, rid["visit"], None))),
        MatterDialog(store, lane, on_lane(lambda: matter_dialog_data(store, rid["matter"]))),
        TaskDialog(store, lane, on_lane(lambda: task_dialog_data(store, rid["task"]))),
    ]
    for dlg in made:
        qtbot.addWidget(dlg)
        assert dlg.delete_button is not None, type(dlg).__name__
        assert dlg.delete_button.text() == "删除…", type(dlg).__name__
