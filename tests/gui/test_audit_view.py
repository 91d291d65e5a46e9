"""记录 → 审计日志 (issue 16): the coordinator sees who did what and whether the chain is intact."""

from __future__ import annotations

from lehe_desktop.core import audit
from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.audit_view import AuditDialog
from lehe_desktop.gui.file_dialogs import local_time


def test_audit_window_lists_actions_without_personal_values(qtbot, gui, store: Store, lane, on_lane) -> None:
    def prepare() -> None:
        area = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
        hid = store.create("household", {"area_id": area, "group_name": "2组", "head_name": "王德福",
                                         "address": "乐和村2组门牌88号"}).id
        store.update("household", hid, {"group_name": "3组"})
        store.audit("export", {"level": "aggregate", "format": "csv"})

    on_lane(prepare)
    dlg = AuditDialog(store, lane)
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.loaded, timeout=10_000):
        dlg.show()
    assert "审计日志完好" in dlg.status.text()
    t = dlg.table
    cells = [t.item(r, c).text() for r in range(t.rowCount()) for c in range(t.columnCount())]
    assert t.rowCount() == 4            # areas, household, its change, the export
    assert t.item(0, 3).text() == "导出" and t.item(1, 3).text() == "修改" and "户 1 条" in t.item(1, 4).text()
    assert not any("王德福" in c or "88号" in c for c in cells)
    # Times in the laptop's local time, as in the rest of the window (the log keeps UTC).
    at = on_lane(lambda: audit.entries(store, limit=1))[0]["at"]
    assert t.item(0, 1).text() == local_time(at) and t.horizontalHeaderItem(1).text() == "时间"
