"""Add/edit dialogs for households and members, with live inline validation.

While typing, the core's validator previews problems for the fields already touched; on
save the store validates again and its ValidationError problems land by their fields.
Warnings are amber and never block. Starting data, previews and saves all run on the
database lane (``prepare_dialog``, ``DbLane.query``); a record and its child lists are saved
by the core's ``save_with_links`` in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from itertools import pairwise
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.consent import member_form_problem
from ..core.errors import LeheError, ValidationError
from ..core.problems import Problem
from ..core.records.schema import Context, record_type
from ..core.records.validate import validate
from ..core.store.bin import delete_with_dependents
from ..core.store.links import LinkedSave, LinkRowError, save_household, save_with_links
from ..core.store.store import Store
from ..core.validation.phone import format_phone_local
from . import i18n
from .draftkeeper import DraftKeeper
from .forms import (
    ERROR_STYLE,
    Choice,
    ChoiceBox,
    DateEdit,
    RecordForm,
    VocabChoices,
    inactive_choice,
    vocab_choices,
)
from .worker import DbLane, Job

log = logging.getLogger(__name__)
T = TypeVar("T")


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
        have = {c for c, _, _ in self.choices}
        for code in codes:      # a deactivated item the record holds: shown (marked) and kept when saved
            extra = inactive_choice(self.choices, code) if code not in have else None
            if extra is not None:
                self.choices = VocabChoices([*self.choices, extra], getattr(self.choices, "inactive", {}))
                item = QListWidgetItem(i18n.pick(extra[1], extra[2]))
                item.setData(Qt.ItemDataRole.UserRole, code)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                self.addItem(item)
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in wanted
                               else Qt.CheckState.Unchecked)

    def relabel(self) -> None:
        for i, (_code, zh, en) in enumerate(self.choices):
            self.item(i).setText(i18n.pick(zh, en))


def preview_problems(store: Store, rtype: str, values: dict[str, Any], existing: dict[str, Any] | None,
                     touched: set[str]) -> list[Problem]:
    """The core's verdict on the form so far; "required" only for fields the user has been to.

    Runs on the database lane: reference checks read the store.
    """
    ctx = Context(today=store.today or date.today(), lookup=store, existing=existing, lang=i18n.current())
    _clean, problems = validate(record_type(rtype), values, ctx, partial=existing is not None)
    return [p for p in problems if p.code != "field.required" or p.field in touched]


def prepare_dialog(lane: DbLane, load: Callable[[], T], make: Callable[[T], QDialog], *,
                   owner: QWidget, on_accept: Callable[[QDialog], None] | None = None) -> Job:
    """Read a dialog's starting data on the lane (wait cursor meanwhile), then build and open it.

    The dialog is window-modal and non-blocking (``open``); ``on_accept`` runs when it is saved.
    """
    def ready(data: T) -> None:
        dlg = make(data)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if on_accept is not None:
            dlg.accepted.connect(lambda: on_accept(dlg))
        owner.open_dialog = dlg  # type: ignore[attr-defined]  # the dialog that opened, for callers and tests
        dlg.open()

    def failed(error: Exception) -> None:
        if isinstance(error, LeheError):
            QMessageBox.warning(owner, i18n.pick("乐和社工", "Lehe Desktop"), error.message(i18n.current()))
        else:
            log.error("preparing a dialog failed", exc_info=error)

    return lane.query(load, ready, failed, owner=owner, name="dialog", busy_cursor=True)


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
    """Base: a scrollable record form, Save/Cancel, preview while typing, errors by field.

    Previews and the save run on the database lane; the dialog stays responsive (a save queued
    behind a sync shows "Saving…") and closes when the save has been written.
    """

    rtype = ""

    def __init__(self, store: Store, lane: DbLane, existing: dict[str, Any] | None, parent: QWidget | None = None,
                 *, choices: dict[str, list[Choice]] | None = None, skip: tuple[str, ...] = ()) -> None:
        super().__init__(parent)
        self.store = store
        self.lane = lane
        self.existing = existing
        self.saved_id: str | None = None
        self.save_job: Job | None = None
        self.touched: set[str] = set()
        self._preview_generation = 0
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
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save")
        self.buttons.accepted.connect(self.save)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)  # Ctrl+S
        self.buttons.rejected.connect(self.reject)
        self._focus_arranged = False
        self.status = QLabel()
        self.status.setObjectName("dialog_status")
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

    def links(self) -> dict[str, list[dict[str, Any]]]:
        """The child lists saved with the record (see ``core.store.links``)."""
        return {}

    def _touch(self, name: str, quiet: bool = False) -> None:
        self.touched.add(name)
        # A field losing focus while the dialog is being destroyed still emits editingFinished.
        if not quiet and shiboken6.isValid(self) and shiboken6.isValid(self.form) and self.isVisible():
            self.preview()

    def preview(self) -> None:
        values, store, existing, touched = self.values(), self.store, self.existing, set(self.touched)
        self._preview_generation += 1
        generation = self._preview_generation

        def show(problems: list[Problem]) -> None:
            if generation == self._preview_generation and self.save_job is None:
                self.form.show_problems(problems)

        self.lane.query(lambda: preview_problems(store, self.rtype, values, existing, touched), show,
                        owner=self, name="preview")

    @property
    def saving(self) -> bool:
        return self.save_job is not None

    def save(self) -> None:
        if self.save_job is not None:
            return   # one save at a time (Ctrl+S pressed twice)
        self.status.clear()
        self.status.setStyleSheet("")
        self.before_save()
        store = self.store
        rid = self.existing["id"] if self.existing else None
        values, links = self.values(), self.links()
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        self.save_job = self.lane.query(self.with_draft_gone(self.writer(store, rid, values, links)),
                                        self._saved, self._save_failed, owner=self, name="save")

    def writer(self, store: Store, rid: str | None, values: dict[str, Any],
               links: dict[str, list[dict[str, Any]]]) -> Callable[[], LinkedSave]:
        """The core call that saves the form, for the lane (built here, on the GUI thread)."""
        rtype = self.rtype
        return lambda: save_with_links(store, rtype, rid, values, links)

    def with_draft_gone(self, write: Callable[[], T]) -> Callable[[], T]:
        """The save as the lane runs it (``EditDialog`` removes the form's draft in the same transaction)."""
        return write

    def before_save(self) -> None:
        """Subclasses clear their own problem lines here."""

    def _saved(self, result: LinkedSave) -> None:
        self.save_job = None
        self.saved_id = result.id
        self.status.clear()
        self.accept()

    def _save_failed(self, exc: Exception) -> None:
        self.save_job = None
        self.save_button.setEnabled(True)
        self.status.clear()
        self.status.setStyleSheet(ERROR_STYLE)
        if isinstance(exc, ValidationError):
            self.touched.update(p.field for p in exc.problems)
            self.form.show_problems(exc.problems, focus=True)
            self.status.setText(self.tr("Not saved: please correct the fields marked in red."))
        elif isinstance(exc, LinkRowError):
            self.show_link_problem(exc)
            self.status.setText(exc.message(i18n.current()))
        elif isinstance(exc, LeheError):
            self.status.setText(exc.message(i18n.current()))
        else:
            log.error("saving failed", exc_info=exc)
            self.status.setText(self.tr("Not saved: an unexpected error; the details are in the log."))
        self.saved_failed()

    def show_link_problem(self, exc: LinkRowError) -> None:
        """A child row was refused: subclasses show it by its list."""

    def saved_failed(self) -> None:
        """After a refused save (subclass hook)."""

    def reject(self) -> None:
        if self.save_job is None:   # not while the save is on its way: its answer decides
            super().reject()

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
        if not self._focus_arranged:
            self._focus_arranged = True
            self.arrange_focus()
        super().showEvent(event)

    def arrange_focus(self) -> None:
        """Tab goes down the form as it is laid out, then the side column, then Save/Cancel; the
        cursor starts in the first field. (Widgets a form adds above or below its fields, such as the
        visit's household or a household's categories, were made later: Qt's creation-order chain
        put them after Save and Cancel, and the cursor started on the scroll area, not a field.)"""
        chain: list[QWidget] = []
        w = self.nextInFocusChain()
        while w is not None and w is not self and len(chain) < 2000:
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus and not isinstance(w, QScrollArea) and self.isAncestorOf(w):
                chain.append(w)
            w = w.nextInFocusChain()
        left: list[QWidget] = []
        for top in _laid_out_widgets(self.body):
            left += [c for c in chain if c is top or top.isAncestorOf(c)]
        buttons = [c for c in chain if self.buttons.isAncestorOf(c)]
        right = [c for c in chain if c not in left and c not in buttons]
        order = left + right + buttons
        for a, b in pairwise(order):
            QWidget.setTabOrder(a, b)
        first = next((c for c in left if c.isVisibleTo(self) and c.isEnabled()
                      and not isinstance(c, QAbstractButton)), None)   # a field, not "New village…"
        if first is not None:
            first.setFocus(Qt.FocusReason.TabFocusReason)

    def retranslate(self) -> None:
        pass


def _laid_out_widgets(layout: QLayout) -> list[QWidget]:
    """The widgets of ``layout`` and its nested layouts, in layout order."""
    out: list[QWidget] = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        widget, inner = (item.widget(), item.layout()) if item is not None else (None, None)
        if widget is not None:
            out.append(widget)
        elif inner is not None:
            out += _laid_out_widgets(inner)
    return out


def area_choices(store: Store) -> list[Choice]:
    from ..core import browse

    return [(a["id"], a["path"], a["path"]) for a in browse.areas(store)]


def household_dialog_data(store: Store, hid: str | None) -> dict[str, Any]:
    """What the household dialog starts with (runs on the lane)."""
    existing = store.require("household", hid) if hid else None
    return {"existing": existing, "areas": area_choices(store),
            "categories": [c["category"] for c in store.children("household_category", hid)] if hid else []}


class EditDialog(RecordDialog):
    """A record form with Delete (the record and the rows that depend on it go to the bin together,
    core/store/bin.py) and a question before unsaved changes are dropped."""

    def __init__(self, store: Store, lane: DbLane, existing: dict[str, Any] | None, parent: QWidget | None = None,
                 *, choices: dict[str, list[Choice]] | None = None, skip: tuple[str, ...] = ()) -> None:
        super().__init__(store, lane, existing, parent, choices=choices, skip=skip)
        self.deleted = False
        self.question: QMessageBox | None = None     # the confirmation now asked, if any
        self._clean_state: str | None = None
        self.delete_button: QPushButton | None = None
        for row in self.form.rows.values():
            if isinstance(row.editor, QComboBox):
                # Long vocabulary labels must not widen the form past its column (no sideways scrolling).
                row.editor.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                row.editor.setMinimumContentsLength(14)
                # QComboBox caches its minimum size hint; a style change is what makes it measure again.
                QApplication.sendEvent(row.editor, QEvent(QEvent.Type.StyleChange))
        if existing:
            self.delete_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.DestructiveRole)
            self.delete_button.setObjectName("delete")
            self.delete_button.clicked.connect(self.confirm_delete)
        # Unsaved changes survive a crash or a lock as a draft in the database (gui/draftkeeper.py).
        self.drafts = DraftKeeper(self, self)
        self.finished.connect(lambda result: self.drafts.closed(result == QDialog.DialogCode.Accepted))

    # ---------------------------------------------------------------- unsaved changes
    def state(self) -> str:
        """Everything the user can change, as one comparable text."""
        return repr((sorted(self.values().items(), key=lambda kv: kv[0]), self.links()))

    def mark_clean(self) -> None:
        """The dialog's contents as loaded: changes are measured from here (call after filling it)."""
        self._clean_state = self.state()

    def showEvent(self, event: QShowEvent) -> None:
        if self._clean_state is None and not self.deleted:   # filled before it was shown
            self.mark_clean()
        self.drafts.started()
        super().showEvent(event)

    @property
    def dirty(self) -> bool:
        return self._clean_state is not None and self.state() != self._clean_state

    def reject(self) -> None:
        if self.saving:
            return
        if self.dirty and not self.deleted:
            self._ask_discard()
            return
        super().reject()

    def _ask_discard(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(),
                          self.tr("This form has changes that are not saved. Save them?"),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("unsaved_question")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.finished.connect(lambda _r: self._discard_answered(box))
        self._ask(box)

    def _discard_answered(self, box: QMessageBox) -> None:
        self.question = None
        button = box.standardButton(box.clickedButton()) if box.clickedButton() else QMessageBox.StandardButton.Cancel
        if button == QMessageBox.StandardButton.Save:
            self.save()
        elif button == QMessageBox.StandardButton.Discard:
            self._clean_state = None
            RecordDialog.reject(self)

    def _ask(self, box: QMessageBox) -> None:
        self.question = box
        box.open()

    # ---------------------------------------------------------------- drafts (core/drafts.py)
    def draft_data(self) -> dict[str, Any]:
        """What a draft keeps: the form's values and child lists (subclasses add what else they show)."""
        return {"values": self.values(), "links": self.links()}

    def draft_context(self) -> dict[str, Any]:
        """What opening the form again needs besides its record type and id (e.g. the household)."""
        return {}

    def restore_draft(self, key: str, data: dict[str, Any]) -> None:
        """Fill the form, as opened, with a draft's contents; the draft goes on being written under ``key``."""
        if self._clean_state is None:
            self.mark_clean()          # changes are measured from the record as stored
        values = data.get("values")
        if isinstance(values, dict):
            self.form.set_values(values)
        links = data.get("links")
        self.apply_draft(data, links if isinstance(links, dict) else {})
        self.touched.update(k for k, v in (values or {}).items() if v not in (None, ""))
        self.drafts.adopt(key, self.state())

    def apply_draft(self, data: dict[str, Any], links: dict[str, Any]) -> None:
        """Subclasses put a draft's child lists (and their own extras) back."""

    def with_draft_gone(self, write: Callable[[], T]) -> Callable[[], T]:
        return self.drafts.wrap(write)

    def _save_failed(self, exc: Exception) -> None:
        super()._save_failed(exc)
        self.drafts.save_failed()

    def close_for_lock(self) -> str | None:
        """The app is locking: write the draft now and close without asking.

        The draft's write is queued on the lane before the store closes. Returns its key (the form
        to bring back after the unlock), or None: nothing changed, or a save on its way decides
        (if it is refused, the last draft written stays and is offered back).
        """
        key: str | None = None
        if self.saving or self.deleted:
            self.drafts.keep = True
        elif self.dirty:
            self.drafts.keep = True
            self.drafts.write()
            key = self.drafts.key
        if self.question is not None:
            QDialog.done(self.question, QDialog.DialogCode.Rejected)
        QDialog.done(self, QDialog.DialogCode.Rejected)
        return key

    # ---------------------------------------------------------------- delete
    def delete_question(self) -> str:
        return self.tr("Delete this record? It disappears from every list on this laptop and, after the next "
                       "sync, on the others.")

    def confirm_delete(self) -> None:
        if self.saving or not self.existing:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.windowTitle(), self.delete_question(),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("delete_question")
        box.setInformativeText(bin_hint())
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Delete"))
        box.finished.connect(lambda _r: self._delete_answered(box))
        self._ask(box)

    def _delete_answered(self, box: QMessageBox) -> None:
        self.question = None
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            self.delete_now()

    def delete_now(self) -> None:
        """Delete the record and its dependents on the lane; the dialog closes as accepted."""
        assert self.existing is not None
        store, rtype, rid = self.store, self.rtype, self.existing["id"]
        self.save_button.setEnabled(False)
        if self.delete_button is not None:
            self.delete_button.setEnabled(False)

        def done(_gone: list[tuple[str, str]]) -> None:
            self.save_job = None
            self.deleted = True
            self.saved_id = rid
            self.accept()

        def failed(exc: Exception) -> None:
            self.save_job = None
            self.drafts.save_failed()
            self.save_button.setEnabled(True)
            if self.delete_button is not None:
                self.delete_button.setEnabled(True)
            self.status.setStyleSheet(ERROR_STYLE)
            if isinstance(exc, LeheError):
                self.status.setText(exc.message(i18n.current()))
            else:
                log.error("deleting failed", exc_info=exc)
                self.status.setText(self.tr("Not deleted: an unexpected error; the details are in the log."))

        self.save_job = self.lane.query(self.drafts.wrap(lambda: delete_with_dependents(store, rtype, rid)),
                                        done, failed, owner=self, name="delete")

    def retranslate(self) -> None:
        if self.delete_button is not None:
            self.delete_button.setText(self.tr("Delete…"))


def bin_hint() -> str:
    """Said under every delete question: where a deleted record can be brought back from."""
    return QCoreApplication.translate("EditDialog", "Deleted by mistake? Records → Bin… brings it back.")


def confirm_delete(parent: QWidget, what: str) -> bool:
    """Ask before deleting ``what`` (a record's title); True to go ahead."""
    text = QCoreApplication.translate(
        "EditDialog", "Delete “%1”? It disappears from every list on every laptop after the next sync.")
    answer = QMessageBox.question(parent, QCoreApplication.translate("EditDialog", "Delete"),
                                  text.replace("%1", what) + "\n\n" + bin_hint(),
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class HouseholdDialog(EditDialog):
    rtype = "household"

    def __init__(self, store: Store, lane: DbLane, data: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(store, lane, data["existing"], parent, choices={"area_id": data["areas"]})
        self.new_area = QPushButton()
        self.new_area.clicked.connect(self._add_area)
        self.categories = CheckList(vocab_choices(store, "vulnerable_category"))
        self.categories.setObjectName("household_categories")
        self.categories.set_checked(data["categories"])
        self.cat_box = QGroupBox()
        QVBoxLayout(self.cat_box).addWidget(self.categories)
        self.body.insertWidget(0, self.new_area, 0, Qt.AlignmentFlag.AlignLeft)
        # The head named here is added as a member of the household (core save_household); a new
        # household asks for the head's sex, which a member needs (left empty: 未知 Unknown).
        self.head_sex = ChoiceBox(vocab_choices(store, "sex"))
        self.head_sex.setObjectName("head_sex")
        self.head_sex_label = QLabel()
        self.head_sex_label.setBuddy(self.head_sex)
        head_row = QHBoxLayout()
        head_row.addWidget(self.head_sex_label)
        head_row.addWidget(self.head_sex, 1)
        self.head_sex_row = QWidget()
        self.head_sex_row.setLayout(head_row)
        self.head_sex_row.setVisible(self.existing is None)
        self.body.addWidget(self.head_sex_row)
        self.body.addWidget(self.cat_box)
        self.retranslate()

    def writer(self, store: Store, rid: str | None, values: dict[str, Any],
               links: dict[str, list[dict[str, Any]]]) -> Callable[[], LinkedSave]:
        sex = self.head_sex.code()     # read here: the lane never touches a widget
        return lambda: save_household(store, rid, values, links, head_sex=sex)

    def _add_area(self) -> None:
        path, ok = QInputDialog.getText(self, self.tr("New village"), self.tr(
            "Village path, levels separated by /, e.g. 重庆市/巫溪县/白鹿镇/乐和村"))
        if ok and path.strip():
            self.add_area(path)

    def add_area(self, path: str) -> Job:
        """Create the village (and its missing levels) on the lane; choose it when done."""
        store = self.store

        def work() -> tuple[str, list[Choice]]:
            aid = store.ensure_area(path)
            return aid, area_choices(store)

        def done(result: tuple[str, list[Choice]]) -> None:
            aid, choices = result
            box = self.form.rows["area_id"].editor
            assert isinstance(box, ChoiceBox)
            box.choices = choices
            box.relabel()
            box.set_code(aid)

        def failed(exc: Exception) -> None:
            if isinstance(exc, LeheError):
                self.status.setText(exc.message(i18n.current()))
            else:
                log.error("adding a village failed", exc_info=exc)

        return self.lane.query(work, done, failed, owner=self, name="area")

    def links(self) -> dict[str, list[dict[str, Any]]]:
        return {"household_category": [{"category": c} for c in self.categories.checked()]}

    def draft_data(self) -> dict[str, Any]:
        return {**super().draft_data(), "head_sex": self.head_sex.code()}

    def apply_draft(self, data: dict[str, Any], links: dict[str, Any]) -> None:
        self.categories.set_checked([r.get("category") for r in links.get("household_category", [])])
        self.head_sex.set_code(data.get("head_sex"))

    def retranslate(self) -> None:
        super().retranslate()   # the Delete… button's text
        self.setWindowTitle(self.tr("Edit household") if self.existing else self.tr("New household"))
        self.new_area.setText(self.tr("New village…"))
        self.head_sex_label.setText(self.tr("Head's sex"))
        self.head_sex.relabel()
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


def member_dialog_data(store: Store, mid: str | None) -> dict[str, Any]:
    """What the member dialog starts with (runs on the lane)."""
    if not mid:
        return {"existing": None, "categories": [], "phones": []}
    return {"existing": store.require("member", mid),
            "categories": [c["category"] for c in store.children("member_category", mid)],
            "phones": store.children("member_phone", mid)}


class MemberDialog(EditDialog):
    rtype = "member"

    def __init__(self, store: Store, lane: DbLane, household_id: str, data: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(store, lane, data["existing"], parent)
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
        self.categories.set_checked(data["categories"])
        for p in data["phones"]:
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

    # ---------------------------------------------------------------- the under-14 consent rule
    consent_reason: str | None = None
    reason_box: QInputDialog | None = None

    consent_job: Job | None = None

    @property
    def saving(self) -> bool:
        return self.save_job is not None or self.consent_job is not None

    def save(self) -> None:
        """A child under 14's sensitive data without a guardian's consent: ask why first (core/consent.py)."""
        if self.saving:
            return
        if self.consent_reason is not None:
            super().save()
            return
        store, values, cats = self.store, self.values(), self.categories.checked()
        rid = self.existing["id"] if self.existing else None
        today = date.today()

        def checked(problem: Problem | None) -> None:
            self.consent_job = None
            if problem is None:
                RecordDialog.save(self)
            else:
                self.save_button.setEnabled(True)
                self.status.clear()
                self._ask_reason(problem)

        def failed(exc: Exception) -> None:
            self.consent_job = None
            self._save_failed(exc)

        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        self.consent_job = self.lane.query(lambda: member_form_problem(store, rid, values, cats, today=today),
                                           checked, failed, owner=self, name="consent check")

    def _ask_reason(self, problem: Problem) -> None:
        box = QInputDialog(self)
        box.setObjectName("consent_reason")
        box.setWindowTitle(self.windowTitle())
        box.setLabelText(problem.message(i18n.current()))
        box.setInputMode(QInputDialog.InputMode.TextInput)
        box.textValueSelected.connect(self._reason_given)
        self.reason_box = box
        box.open()

    def _reason_given(self, text: str) -> None:
        self.reason_box = None
        if text.strip():
            self.consent_reason = text.strip()
            RecordDialog.save(self)

    def writer(self, store: Store, rid: str | None, values: dict[str, Any],
               links: dict[str, list[dict[str, Any]]]) -> Callable[[], LinkedSave]:
        save = super().writer(store, rid, values, links)
        reason = self.consent_reason
        if reason is None:
            return save

        def saved_with_reason() -> LinkedSave:
            result = save()
            # The reason is the worker's own words; the entry names the member by id only.
            store.audit("consent_override", {"member": result.id, "rule": "consent.child_guardian",
                                             "reason": reason})
            return result

        return saved_with_reason

    def values(self) -> dict[str, Any]:
        return {"household_id": self.household_id, **self.form.values()}

    def before_save(self) -> None:
        self.phone_problem.setVisible(False)

    def links(self) -> dict[str, list[dict[str, Any]]]:
        phones = [{**({"id": rid} if rid else {}), "number": number, "owner": owner}
                  for rid, number, owner in self.phones.rows()]
        return {"member_category": [{"category": c} for c in self.categories.checked()], "member_phone": phones}

    def draft_context(self) -> dict[str, Any]:
        return {"household_id": self.household_id}

    def apply_draft(self, data: dict[str, Any], links: dict[str, Any]) -> None:
        self.categories.set_checked([r.get("category") for r in links.get("member_category", [])])
        self.phones.setRowCount(0)
        for p in links.get("member_phone", []):
            self.phones.add_row(str(p.get("number") or ""), p.get("owner"), p.get("id"))

    def show_link_problem(self, exc: LinkRowError) -> None:
        if exc.rtype == "member_phone":
            rows = self.phones.rows()
            number = rows[exc.index][1] if exc.index < len(rows) else ""
            self.phone_problem.setText(f"{number}: " + exc.error.message(i18n.current()))
            self.phone_problem.setVisible(True)

    def retranslate(self) -> None:
        super().retranslate()   # the Delete… button's text
        self.setWindowTitle(self.tr("Edit member") if self.existing else self.tr("New member"))
        self.cat_box.setTitle(self.tr("Categories"))
        self.phone_box.setTitle(self.tr("Phones"))
        self.add_phone.setText(self.tr("Add phone"))
        self.categories.relabel()
        self.phones.relabel()
