"""Add/edit dialogs for households and members, with live inline validation.

While typing, the core's validator previews problems for the fields already touched; on
save the store validates again and its ValidationError problems land by their fields.
Warnings are amber and never block.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import LeheError, ValidationError
from ..core.problems import Problem
from ..core.records.schema import Context, record_type
from ..core.records.validate import validate
from ..core.store.store import Store
from ..core.validation.phone import format_phone_local
from . import i18n
from .forms import ERROR_STYLE, Choice, ChoiceBox, DateEdit, RecordForm, vocab_choices

log = logging.getLogger(__name__)


class CheckList(QListWidget):
    """Checkable vocabulary items (categories, risk factors)."""

    def __init__(self, choices: list[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices
        for code, zh, en in choices:
            item = QListWidgetItem(i18n.pick(zh, en))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setMaximumHeight(140)

    def checked(self) -> list[str]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def set_checked(self, codes: list[str]) -> None:
        wanted = set(codes)
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in wanted
                               else Qt.CheckState.Unchecked)

    def relabel(self) -> None:
        for i, (_code, zh, en) in enumerate(self.choices):
            self.item(i).setText(i18n.pick(zh, en))


def preview_problems(store: Store, rtype: str, values: dict[str, Any], existing: dict[str, Any] | None,
                     touched: set[str]) -> list[Problem]:
    """The core's verdict on the form so far; "required" only for fields the user has been to."""
    ctx = Context(today=store.today or date.today(), lookup=store, existing=existing, lang=i18n.current())
    _clean, problems = validate(record_type(rtype), values, ctx, partial=existing is not None)
    return [p for p in problems if p.code != "field.required" or p.field in touched]


def _watch(form: RecordForm, on_touch: Any) -> None:
    for name, row in form.rows.items():
        e = row.editor
        if isinstance(e, ChoiceBox):
            e.activated.connect(lambda _i, n=name: on_touch(n))
        elif isinstance(e, DateEdit):
            e.line.editingFinished.connect(lambda n=name: on_touch(n))
        elif isinstance(e, QLineEdit):
            e.editingFinished.connect(lambda n=name: on_touch(n))
        elif isinstance(e, QPlainTextEdit):
            e.textChanged.connect(lambda n=name: on_touch(n, quiet=True))


class RecordDialog(QDialog):
    """Base: a scrollable record form, Save/Cancel, preview while typing, errors by field."""

    rtype = ""

    def __init__(self, store: Store, existing: dict[str, Any] | None, parent: QWidget | None = None,
                 *, choices: dict[str, list[Choice]] | None = None, skip: tuple[str, ...] = ()) -> None:
        super().__init__(parent)
        self.store = store
        self.existing = existing
        self.saved_id: str | None = None
        self.touched: set[str] = set()
        self.form = RecordForm(store, record_type(self.rtype), choices=choices, skip=skip)
        if existing:
            self.form.set_values(existing)
        _watch(self.form, self._touch)
        self.body = QVBoxLayout()
        self.body.addWidget(self.form)
        inner = QWidget()
        inner.setLayout(self.body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("save")
        self.buttons.accepted.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)  # Ctrl+S
        self.buttons.rejected.connect(self.reject)
        self.status = QLabel()
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setWordWrap(True)
        self.columns = QHBoxLayout()
        self.columns.addWidget(scroll, 3)
        lay = QVBoxLayout(self)
        lay.addLayout(self.columns, 1)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)
        self.resize(640, 640)

    def values(self) -> dict[str, Any]:
        return self.form.values()

    def _touch(self, name: str, quiet: bool = False) -> None:
        self.touched.add(name)
        # A field losing focus while the dialog is being destroyed still emits editingFinished.
        if not quiet and shiboken6.isValid(self) and shiboken6.isValid(self.form) and self.isVisible():
            self.preview()

    def preview(self) -> None:
        values = self.values()
        self.form.show_problems(preview_problems(self.store, self.rtype, values, self.existing, self.touched))

    def save(self) -> None:
        self.status.clear()
        try:
            with self.store.transaction():
                self.saved_id = self.write(self.values())
        except ValidationError as exc:
            self.touched.update(p.field for p in exc.problems)
            self.form.show_problems(exc.problems)
            self.status.setText(self.tr("Not saved: please correct the fields marked in red."))
            return
        except LeheError as exc:
            self.status.setText(exc.message(i18n.current()))
            return
        self.accept()

    def write(self, values: dict[str, Any]) -> str:
        if self.existing:
            return self.store.update(self.rtype, self.existing["id"], values).id
        return self.store.create(self.rtype, values).id

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        # 1366×768 with a task bar leaves ~728 px: keep Save/Cancel on screen (the form scrolls).
        screen = self.screen()
        if screen is not None:
            avail = screen.availableGeometry()
            title = max(self.frameGeometry().height() - self.height(), 32)
            if self.height() + title > avail.height() or self.width() > avail.width():
                self.resize(min(self.width(), avail.width()), min(self.height(), avail.height() - title))
        super().showEvent(event)

    def retranslate(self) -> None:
        pass


def area_choices(store: Store) -> list[Choice]:
    from ..core import browse

    return [(a["id"], a["path"], a["path"]) for a in browse.areas(store)]


class HouseholdDialog(RecordDialog):
    rtype = "household"

    def __init__(self, store: Store, existing: dict[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(store, existing, parent, choices={"area_id": area_choices(store)})
        self.new_area = QPushButton()
        self.new_area.clicked.connect(self._add_area)
        self.categories = CheckList(vocab_choices(store, "vulnerable_category"))
        self.categories.setObjectName("household_categories")
        if existing:
            self.categories.set_checked([c["category"] for c in store.children("household_category",
                                                                                 existing["id"])])
        self.cat_box = QGroupBox()
        QVBoxLayout(self.cat_box).addWidget(self.categories)
        self.body.insertWidget(0, self.new_area, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(self.cat_box)
        self.retranslate()

    def _add_area(self) -> None:
        path, ok = QInputDialog.getText(self, self.tr("New village"), self.tr(
            "Village path, levels separated by /, e.g. 重庆市/巫溪县/白鹿镇/乐和村"))
        if not ok or not path.strip():
            return
        try:
            aid = self.store.ensure_area(path)
        except LeheError as exc:
            self.status.setText(exc.message(i18n.current()))
            return
        box = self.form.rows["area_id"].editor
        assert isinstance(box, ChoiceBox)
        box.choices = area_choices(self.store)
        box.relabel()
        box.set_code(aid)

    def write(self, values: dict[str, Any]) -> str:
        hid = super().write(values)
        have = {c["category"]: c["id"] for c in self.store.children("household_category", hid)}
        wanted = set(self.categories.checked())
        for code in wanted - set(have):
            self.store.create("household_category", {"household_id": hid, "category": code})
        for code in set(have) - wanted:
            self.store.delete("household_category", have[code])
        return hid

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Edit household") if self.existing else self.tr("New household"))
        self.new_area.setText(self.tr("New village…"))
        self.cat_box.setTitle(self.tr("Household categories"))
        self.categories.relabel()


class PhoneTable(QTableWidget):
    """Phone numbers of one member: number + whose phone."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.store = store
        self.owner_choices = vocab_choices(store, "phone_owner")
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setVisible(False)
        self.setMaximumHeight(130)
        self.relabel()

    def add_row(self, number: str = "", owner: str | None = None, rid: str | None = None) -> None:
        r = self.rowCount()
        self.insertRow(r)
        edit = QLineEdit(number)
        edit.setProperty("rid", rid)
        edit.setObjectName(f"phone_{r}")
        self.setCellWidget(r, 0, edit)
        box = ChoiceBox(self.owner_choices)
        box.set_code(owner)
        self.setCellWidget(r, 1, box)

    def rows(self) -> list[tuple[str | None, str, str | None]]:
        out = []
        for r in range(self.rowCount()):
            edit = self.cellWidget(r, 0)
            box = self.cellWidget(r, 1)
            assert isinstance(edit, QLineEdit) and isinstance(box, ChoiceBox)
            if edit.text().strip():
                out.append((edit.property("rid"), edit.text().strip(), box.code()))
        return out

    def relabel(self) -> None:
        self.setHorizontalHeaderLabels([i18n.pick("电话号码", "Phone number"), i18n.pick("号码归属", "Whose phone")])
        for r in range(self.rowCount()):
            box = self.cellWidget(r, 1)
            if isinstance(box, ChoiceBox):
                box.relabel()


class MemberDialog(RecordDialog):
    rtype = "member"

    def __init__(self, store: Store, household_id: str, existing: dict[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(store, existing, parent)
        self.household_id = household_id
        self.categories = CheckList(vocab_choices(store, "vulnerable_category"))
        self.categories.setObjectName("member_categories")
        self.phones = PhoneTable(store)
        self.phones.setObjectName("phones")
        self.add_phone = QPushButton()
        self.add_phone.setObjectName("add_phone")
        self.add_phone.clicked.connect(lambda: self.phones.add_row())
        self.phone_problem = QLabel()
        self.phone_problem.setObjectName("problem_phone")
        self.phone_problem.setStyleSheet(ERROR_STYLE)
        self.phone_problem.setVisible(False)
        if existing:
            self.categories.set_checked([c["category"] for c in store.children("member_category", existing["id"])])
            for p in store.children("member_phone", existing["id"]):
                self.phones.add_row(format_phone_local(p["number"]), p.get("owner"), p["id"])
        self.cat_box = QGroupBox()
        QVBoxLayout(self.cat_box).addWidget(self.categories)
        self.phone_box = QGroupBox()
        pl = QVBoxLayout(self.phone_box)
        pl.addWidget(self.phones)
        pl.addWidget(self.phone_problem)
        pl.addWidget(self.add_phone, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(self.phone_box)
        self.body.addWidget(self.cat_box)
        self.retranslate()

    def values(self) -> dict[str, Any]:
        return {"household_id": self.household_id, **self.form.values()}

    def save(self) -> None:
        self.phone_problem.setVisible(False)
        super().save()

    def write(self, values: dict[str, Any]) -> str:
        mid = super().write(values)
        have = {c["category"]: c["id"] for c in self.store.children("member_category", mid)}
        wanted = set(self.categories.checked())
        for code in wanted - set(have):
            self.store.create("member_category", {"member_id": mid, "category": code})
        for code in set(have) - wanted:
            self.store.delete("member_category", have[code])
        kept: set[str] = set()
        for rid, number, owner in self.phones.rows():
            try:
                if rid:
                    self.store.update("member_phone", rid, {"number": number, "owner": owner})
                    kept.add(rid)
                else:
                    kept.add(self.store.create("member_phone", {"member_id": mid, "number": number,
                                                                 "owner": owner}).id)
            except ValidationError as exc:
                self.phone_problem.setText(f"{number}: " + exc.message(i18n.current()))
                self.phone_problem.setVisible(True)
                raise
        for p in self.store.children("member_phone", mid):
            if p["id"] not in kept:
                self.store.delete("member_phone", p["id"])
        return mid

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Edit member") if self.existing else self.tr("New member"))
        self.cat_box.setTitle(self.tr("Categories"))
        self.phone_box.setTitle(self.tr("Phones"))
        self.add_phone.setText(self.tr("Add phone"))
        self.categories.relabel()
        self.phones.relabel()


