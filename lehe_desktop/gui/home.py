"""今日 Home: what needs doing (follow-ups, matters, tasks), recent records, unsent changes."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.store.store import Store
from . import i18n
from .models import Labels
from .worker import DbLane

log = logging.getLogger(__name__)


def _queries() -> Any:
    try:
        from ..core import queries
    except ImportError:  # older core without today's-work queries
        return None
    return queries


def gather(store: Store) -> dict[str, Any]:
    """Everything the page shows, read in one go (runs on the database lane)."""
    q = _queries()
    # Two counts rather than store.stats(): that also counts the whole change log (slow when big).
    counts = {"households": store.count("household"), "residents": store.count("member")}
    out: dict[str, Any] = {"unsent": store.unsent_count(), "stats": counts, "follow_ups": [],
                           "matters": [], "tasks": [], "recent": []}
    if q is None:
        return out
    for key, fn in (("follow_ups", "follow_ups_due"), ("matters", "matters_due"), ("tasks", "tasks_due")):
        try:
            out[key] = getattr(q, fn)(store, limit=50)
        except Exception:  # a table from a later migration may be missing: show the rest
            log.debug("home: %s unavailable", fn, exc_info=True)
    try:
        out["recent"] = q.recent_records(store, limit=15)
    except Exception:
        log.debug("home: recent records unavailable", exc_info=True)
    return out


class HomePage(QWidget):
    open_record = Signal(str, str)    # type, id

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.lane = lane
        self.data: dict[str, Any] = {}
        self.labels = Labels(store, ["visit_type", "risk_level"])
        self.greeting = QLabel()
        self.greeting.setObjectName("greeting")
        f = self.greeting.font()
        f.setPointSizeF(f.pointSizeF() * 1.4)
        self.greeting.setFont(f)
        self.summary = QLabel()
        self.summary.setObjectName("home_summary")
        self.lists: dict[str, QListWidget] = {}
        self.boxes: dict[str, QGroupBox] = {}
        grid = QGridLayout()
        for i, key in enumerate(("follow_ups", "matters", "tasks", "recent")):
            box = QGroupBox()
            lw = QListWidget()
            lw.setObjectName(f"home_{key}")
            lw.itemActivated.connect(self._open)
            QVBoxLayout(box).addWidget(lw)
            self.lists[key] = lw
            self.boxes[key] = box
            grid.addWidget(box, i // 2, i % 2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.greeting)
        lay.addWidget(self.summary)
        lay.addLayout(grid, 1)
        self.retranslate()

    def load(self) -> None:
        store = self.store
        self.lane.query(lambda: gather(store), self._show, owner=self, name="home")

    def _show(self, data: dict[str, Any]) -> None:
        self.data = data
        self._fill()

    def _item(self, lw: QListWidget, text: str, rtype: str, rid: str, *, overdue: bool = False) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, (rtype, rid))
        if overdue:
            item.setForeground(Qt.GlobalColor.darkRed)
        lw.addItem(item)

    def _fill(self) -> None:
        d = self.data
        for lw in self.lists.values():
            lw.clear()
        if not d:
            return
        for r in d["follow_ups"]:
            who = i18n.pick(f"{r.get('head_name') or ''}户", r.get("head_name") or "")
            when = r.get("next_visit_date") or ""
            tag = self.tr("overdue") if r.get("overdue") else self.tr("due")
            risk = self.labels.get("risk_level", r.get("risk_level"))
            text = f"{when}  {tag}  ·  {who} · {r.get('group_name') or ''}"
            if risk:
                text += "  · " + self.tr("risk") + f" {risk}"
            self._item(self.lists["follow_ups"], text, "household", r["household_id"], overdue=bool(r.get("overdue")))
        for r in d["matters"]:
            self._item(self.lists["matters"], f"{r.get('due_date') or ''}  {r.get('title') or ''}", "matter",
                       r["id"], overdue=bool(r.get("overdue")))
        for r in d["tasks"]:
            self._item(self.lists["tasks"], f"{r.get('due_date') or ''}  {r.get('title') or ''}", "task",
                       r["id"], overdue=bool(r.get("overdue")))
        for r in d["recent"]:
            self._item(self.lists["recent"], r.get("title") or "", r["type"], r["id"])
        for key, lw in self.lists.items():
            if not lw.count():
                item = QListWidgetItem(self.tr("Nothing due.") if key != "recent" else self.tr("No records yet."))
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                lw.addItem(item)
        stats = d["stats"]
        self.summary.setText(self.tr("%1 households · %2 residents · %3 changes not yet sent")
                             .replace("%1", str(stats.get("households", 0)))
                             .replace("%2", str(stats.get("residents", 0)))
                             .replace("%3", str(d["unsent"])))

    def _open(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data:
            self.open_record.emit(data[0], data[1])

    def retranslate(self) -> None:
        name = self.store.user or ""
        self.greeting.setText(self.tr("Today") + (f" · {name}" if name else ""))
        self.boxes["follow_ups"].setTitle(self.tr("Follow-up visits due or overdue"))
        self.boxes["matters"].setTitle(self.tr("Open matters due soon"))
        self.boxes["tasks"].setTitle(self.tr("Tasks due soon"))
        self.boxes["recent"].setTitle(self.tr("Recent records"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            self.retranslate()
            if self.data:
                self.load()     # the records' titles (their labels) are made in the window's language
        super().changeEvent(event)
