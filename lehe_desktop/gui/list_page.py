"""What every record list page shares (visits, activities, meetings, matters, tasks).

A text filter (typing pauses before the list asks again), an optional village box filled from the
lane, more filter widgets that re-filter when changed, a count of the matching records, buttons,
and the paged table whose double-click opens a record. A page says which filter widgets it has
and how they make the core's filter; everything else is here once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.store.store import Store
from . import i18n
from .forms import ChoiceBox, DateEdit
from .households import RecordTable, debounced
from .models import FilteredModel
from .worker import DbLane


class ListPage(QWidget):
    """A filtered record list. Subclasses build their filters and buttons, then call ``arrange``."""

    data_changed = Signal()

    def __init__(self, store: Store, lane: DbLane, model: FilteredModel[Any], *, name: str, table: str,
                 widths: Sequence[int], sort: tuple[int, Qt.SortOrder], village: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.lane = lane
        self.model = model
        self.text = QLineEdit()
        self.text.setObjectName(f"{name}_filter")
        self.text.setClearButtonEnabled(True)
        self.village = ChoiceBox([])
        self.village.setObjectName(f"{name}_village")
        if not village:            # kept (filters read its empty code), never shown
            self.village.setParent(self)
            self.village.hide()
        self.count = QLabel()
        self.labels: dict[str, QLabel] = {}
        self.table = RecordTable()
        self.table.show_model(model, table, widths)
        self.table.horizontalHeader().setSortIndicator(*sort)
        self.table.open_row.connect(self._open_row)
        self.debounce = debounced(self, self.text, self.apply_filter)
        if village:
            self.watch(self.village)
        model.populated.connect(self._count)

    # ---------------------------------------------------------------- building
    def watch(self, *widgets: QWidget) -> None:
        """Filter again whenever one of these filter widgets changes."""
        for w in widgets:
            if isinstance(w, ChoiceBox):
                w.activated.connect(lambda _i: self.apply_filter())
            elif isinstance(w, QCheckBox):
                w.toggled.connect(lambda _b: self.apply_filter())
            elif isinstance(w, DateEdit):
                w.line.editingFinished.connect(self.apply_filter)

    def button(self, object_name: str, slot: Callable[[], None]) -> QPushButton:
        btn = QPushButton()
        btn.setObjectName(object_name)
        btn.clicked.connect(slot)
        return btn

    def label(self, key: str) -> QLabel:
        """A filter's label, kept as ``labels[key]`` (its text is set in ``retranslate``)."""
        self.labels[key] = QLabel()
        return self.labels[key]

    def arrange(self, *rows: Sequence[QWidget | int | None], body: QWidget | None = None) -> None:
        """Lay out rows of widgets above the table (or ``body``). In a row, an int is a stretch
        before the next widget ("2" gives the text filter twice the village box's width), ``None``
        an empty stretch."""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for items in rows:
            row = QHBoxLayout()
            stretch = 0
            for item in items:
                if item is None:
                    row.addStretch(1)
                elif isinstance(item, int):
                    stretch = item
                else:
                    row.addWidget(item, stretch)
                    stretch = 0
            lay.addLayout(row)
        lay.addWidget(body or self.table, 1)
        self.retranslate()

    # ---------------------------------------------------------------- list
    def current_filter(self) -> Any:
        raise NotImplementedError

    def count_text(self, n: int) -> str:
        raise NotImplementedError

    def open_record(self, rid: str) -> None:
        raise NotImplementedError

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())

    def fill_villages(self, areas: list[dict[str, Any]]) -> None:
        self.fill_box(self.village, [(a["id"], a["name"], a["name"]) for a in areas])

    @staticmethod
    def fill_box(box: ChoiceBox, choices: list[tuple[str, str, str]]) -> None:
        """New choices for a filter box; what was chosen stays chosen if it is still there."""
        code = box.code()
        box.choices = choices
        box.relabel()
        box.set_code(code)

    def _count(self) -> None:
        self.count.setText(self.count_text(self.model.total))

    def selected(self) -> dict[str, Any] | None:
        idx = self.table.currentIndex()
        return self.model.row(idx.row()) if idx.isValid() else None

    def selected_id(self) -> str | None:
        idx = self.table.currentIndex()
        return self.model.row_id(idx.row()) if idx.isValid() else None

    def need_selection(self, title: str, message: str) -> dict[str, Any] | None:
        """The selected row, or a message saying to choose one first (then None)."""
        row = self.selected()
        if row is None:
            QMessageBox.information(self, title, message)
        return row

    def _open_row(self, r: int) -> None:
        rid = self.model.row_id(r)
        if rid:
            self.open_record(rid)

    # ---------------------------------------------------------------- texts
    def retranslate(self) -> None:
        """The shared texts; a page sets its own after calling this."""
        self.village.empty_text = self.tr("All villages")
        self.village.relabel()
        for key, text in (("from", self.tr("From")), ("to", self.tr("To"))):
            if key in self.labels:
                self.labels[key].setText(text)
        self._count()
        self.model.relabel()

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            self.retranslate()
        super().changeEvent(event)
