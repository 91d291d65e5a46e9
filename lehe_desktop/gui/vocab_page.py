"""记录 → 类别管理…: coordinators and admins add, rename and deactivate vocabulary items (issue 13).

Pick a vocabulary, see its codes with their Chinese and English labels and whether they are
offered; a selected item fills the form below the table. Add makes a new code (or brings a
deactivated one back), Rename gives the selected code new labels, Deactivate/Activate stops or
resumes offering it in forms — a code is never deleted, so old records keep their label. Every
change is a synced record written through the core on the database lane; the window's
vocabulary snapshot is read again in the same job, so forms offer the change at once.

On a laptop whose role may not edit vocabularies (an enrolled worker's) the window hides the
menu entry; the dialog itself then only lists, its editing controls hidden.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import vocabs
from ..core.errors import LeheError
from ..core.records.vocab_items import vocab_names
from ..core.records.vocab_seed import VOCAB_TITLES
from ..core.roles import Capability, may
from ..core.store.store import Store
from . import i18n
from .forms import ERROR_STYLE
from .vocab import load_vocab
from .worker import DbLane

log = logging.getLogger(__name__)


def vocab_title(name: str, lang: str) -> str:
    zh, en = VOCAB_TITLES.get(name, (name, name))
    return f"{en if lang == 'en' else zh} ({name})"


class VocabDialog(QDialog):
    """The vocabularies of this laptop, editable when ``can_edit``."""

    changed = Signal()       # a vocabulary item was written (and the snapshot read again)

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None, *, can_edit: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("vocab_dialog")
        self.store = store
        self.lane = lane
        self.can_edit = can_edit
        self.items: list[dict[str, Any]] = []
        self.error: Callable[[], str] | None = None
        self.loading = False
        self.picker = QComboBox()
        self.picker.setObjectName("vocab_picker")
        self.picker.setMinimumWidth(320)
        self.pick_label = QLabel()
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("vocab_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("vocab_code")
        self.zh_edit = QLineEdit()
        self.zh_edit.setObjectName("vocab_zh")
        self.en_edit = QLineEdit()
        self.en_edit.setObjectName("vocab_en")
        self.add_button = QPushButton()
        self.add_button.setObjectName("vocab_add")
        self.rename_button = QPushButton()
        self.rename_button.setObjectName("vocab_rename")
        self.toggle_button = QPushButton()
        self.toggle_button.setObjectName("vocab_toggle")
        self.status = QLabel()
        self.status.setObjectName("vocab_status")
        self.status.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)

        top = QHBoxLayout()
        top.addWidget(self.pick_label)
        top.addWidget(self.picker, 1)
        self.form_box = QWidget()
        form = QFormLayout(self.form_box)
        form.setContentsMargins(0, 0, 0, 0)
        self.code_label, self.zh_label, self.en_label = QLabel(), QLabel(), QLabel()
        form.addRow(self.code_label, self.code_edit)
        form.addRow(self.zh_label, self.zh_edit)
        form.addRow(self.en_label, self.en_edit)
        actions = QHBoxLayout()
        for b in (self.add_button, self.rename_button, self.toggle_button):
            actions.addWidget(b)
        actions.addStretch(1)
        form.addRow(actions)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.form_box)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.form_box.setVisible(can_edit)
        self.resize(760, 560)

        self._fill_picker()
        self.picker.currentIndexChanged.connect(lambda _i: self.load())
        self.table.itemSelectionChanged.connect(self._selected)
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.toggle_button.clicked.connect(self.toggle)
        self.retranslate()
        self._enable()
        self.load()

    # ---------------------------------------------------------------- reading
    def _fill_picker(self) -> None:
        lang = i18n.current()
        current = self.picker.currentData()
        self.picker.blockSignals(True)
        self.picker.clear()
        names = [n for n in vocab_names() if n != "dq"]
        for name in sorted(names, key=lambda n: vocab_title(n, lang)):
            self.picker.addItem(vocab_title(name, lang), name)
        if current is not None:
            self.picker.setCurrentIndex(max(0, self.picker.findData(current)))
        self.picker.blockSignals(False)

    def current_vocab(self) -> str:
        return str(self.picker.currentData() or "")

    def select_vocab(self, name: str) -> None:
        self.picker.setCurrentIndex(self.picker.findData(name))

    def load(self) -> None:
        store, name = self.store, self.current_vocab()
        self.loading = True
        self._enable()
        self.lane.query(lambda: vocabs.list_items(store, name), self._show, self._failed, owner=self, name="vocab")

    def _show(self, items: list[dict[str, Any]], select: str | None = None) -> None:
        self.loading = False
        self.items = items
        keep = select if select is not None else self.selected_code()
        self.table.setRowCount(len(items))
        grey = QColor("#888888")
        for row, item in enumerate(items):
            cells = [item["code"], item["zh"], item["en"], self.tr("Yes") if item["active"] else self.tr("No")]
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(str(text))
                if not item["active"]:
                    cell.setForeground(grey)
                self.table.setItem(row, col, cell)
        rows = [i for i, item in enumerate(items) if item["code"] == keep]
        if rows:
            self.table.selectRow(rows[0])
        else:
            self.table.clearSelection()
        self._enable()

    def selected_code(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.items):
            return None
        return str(self.items[rows[0].row()]["code"])

    def _selected_item(self) -> dict[str, Any] | None:
        code = self.selected_code()
        return next((i for i in self.items if i["code"] == code), None)

    def _selected(self) -> None:
        item = self._selected_item()
        if item is not None:
            self.code_edit.setText(item["code"])
            self.zh_edit.setText(item["zh"])
            self.en_edit.setText(item["en"])
        self._enable()

    # ---------------------------------------------------------------- writing
    def add(self) -> None:
        code, zh, en = self.code_edit.text().strip(), self.zh_edit.text().strip(), self.en_edit.text().strip()
        if not code or not zh:
            self._problem(lambda: self.tr("Enter a code and a Chinese label."))
            return
        self._write(lambda store, name: vocabs.add(store, name, code, zh, en or None), code,
                    lambda: self.tr("Added %1.").replace("%1", code))

    def rename(self) -> None:
        item = self._selected_item()
        zh, en = self.zh_edit.text().strip(), self.en_edit.text().strip()
        if item is None or not zh:
            self._problem(lambda: self.tr("Select a category and enter its new Chinese label."))
            return
        code = str(item["code"])
        self._write(lambda store, name: vocabs.rename(store, name, code, zh, en or None), code,
                    lambda: self.tr("Renamed %1.").replace("%1", code))

    def toggle(self) -> None:
        item = self._selected_item()
        if item is None:
            return
        code, active = str(item["code"]), not item["active"]
        done = (lambda: self.tr("%1 is offered in forms again.").replace("%1", code)) if active else \
            (lambda: self.tr("%1 is no longer offered in forms; records that use it keep its label.")
             .replace("%1", code))
        self._write(lambda store, name: vocabs.set_active(store, name, code, active), code, done)

    def _write(self, op: Callable[[Store, str], object], code: str, done_text: Callable[[], str]) -> None:
        store, name = self.store, self.current_vocab()

        def work() -> list[dict[str, Any]]:
            op(store, name)
            load_vocab(store)   # the window's forms offer (or stop offering) it at once
            return vocabs.list_items(store, name)

        def written(items: list[dict[str, Any]]) -> None:
            self._show(items, select=code)
            self.error = None
            self.status.setStyleSheet("")
            self.status.setText(done_text())
            self.changed.emit()

        self.loading = True
        self._enable()
        self.lane.query(work, written, self._failed, owner=self, name="vocab write")

    def _failed(self, error: Exception) -> None:
        self.loading = False
        self._enable()
        if isinstance(error, LeheError):
            self._problem(lambda: error.message(i18n.current()))
        else:
            log.error("vocabulary job failed", exc_info=error)
            self._problem(lambda: self.tr("That did not work; the details are in the log."))

    def _problem(self, text: Callable[[], str]) -> None:
        self.error = text
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(text())

    def _enable(self) -> None:
        item = self._selected_item()
        idle = not self.loading and self.can_edit
        self.add_button.setEnabled(idle)
        self.rename_button.setEnabled(idle and item is not None)
        self.toggle_button.setEnabled(idle and item is not None)
        self.toggle_button.setText(self.tr("Activate") if item is not None and not item["active"]
                                   else self.tr("Deactivate"))

    # ---------------------------------------------------------------- texts
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Manage categories"))
        self.pick_label.setText(self.tr("Vocabulary"))
        self.table.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Chinese"), self.tr("English"),
                                              self.tr("Offered")])
        self.code_label.setText(self.tr("Code"))
        self.zh_label.setText(self.tr("Chinese label"))
        self.en_label.setText(self.tr("English label"))
        self.code_edit.setPlaceholderText(self.tr("lower-case letters, digits, _"))
        self.add_button.setText(self.tr("Add"))
        self.rename_button.setText(self.tr("Rename"))
        self.note.setText(self.tr("Codes are never deleted: a deactivated code is no longer offered in forms, "
                                  "and records that use it keep its label. Changes reach every laptop by sync.")
                          if self.can_edit else
                          self.tr("Only coordinators and administrators may change categories."))
        self._fill_picker()
        if self.items:
            self._show(self.items)
        self._enable()
        if self.error is not None:
            self.status.setText(self.error())

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            self.retranslate()
        super().changeEvent(event)


class VocabMenuEntry(QObject):
    """记录 → 类别管理…: the menu entry, shown only when this laptop's role may edit vocabularies.

    The role is read on the lane (``refresh_role``: at start and after enrolling); until it has
    been read the entry stays hidden. ``changed`` passes the dialog's on (the window reloads views).
    """

    changed = Signal()

    def __init__(self, store: Store, lane: DbLane, menu: QMenu, parent: QWidget) -> None:
        super().__init__(parent)
        self.store = store
        self.lane = lane
        self.window = parent
        self.role: str | None = None
        self.action = QAction(parent)
        self.action.setObjectName("manage_vocab")
        self.action.setVisible(False)
        self.action.triggered.connect(self.show_dialog)
        menu.addAction(self.action)
        self.dialog: VocabDialog | None = None
        self.retranslate()

    def refresh_role(self) -> None:
        store = self.store
        self.lane.query(lambda: vocabs.laptop_role(store), self._role, owner=self, name="role")

    def _role(self, role: str) -> None:
        self.role = role
        self.action.setVisible(may(role, Capability.EDIT_VOCAB))

    def show_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        dialog = VocabDialog(self.store, self.lane, self.window, can_edit=may(self.role, Capability.EDIT_VOCAB))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.changed)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def retranslate(self) -> None:
        self.action.setText(self.tr("Categories…"))
