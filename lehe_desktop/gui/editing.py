"""A record dialog that deletes with confirmation and asks before unsaved changes are thrown away.

``EditDialog`` adds to ``RecordDialog``: a Delete button for a saved record (a confirmation
first, then the record and its child lists are deleted in one transaction on the lane) and,
when the dialog is closed (Cancel, Esc, the window's ×) with changes not saved, a question:
save, discard or keep editing. Both questions are window-modal and non-blocking (``open``),
so tests answer them through ``question`` like a user would.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QMessageBox, QPushButton, QWidget

from ..core.errors import LeheError
from ..core.store.bin import delete_with_dependents
from ..core.store.store import Store
from . import i18n
from .dialogs import RecordDialog
from .forms import ERROR_STYLE, Choice
from .worker import DbLane

log = logging.getLogger(__name__)


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
            self.save_button.setEnabled(True)
            if self.delete_button is not None:
                self.delete_button.setEnabled(True)
            self.status.setStyleSheet(ERROR_STYLE)
            if isinstance(exc, LeheError):
                self.status.setText(exc.message(i18n.current()))
            else:
                log.error("deleting failed", exc_info=exc)
                self.status.setText(self.tr("Not deleted: an unexpected error; the details are in the log."))

        self.save_job = self.lane.query(lambda: delete_with_dependents(store, rtype, rid), done, failed,
                                        owner=self, name="delete")

    def retranslate(self) -> None:
        if self.delete_button is not None:
            self.delete_button.setText(self.tr("Delete…"))


def confirm_delete(parent: QWidget, what: str) -> bool:
    """Ask before deleting ``what`` (a record's title); True to go ahead."""
    text = QCoreApplication.translate(
        "EditDialog", "Delete “%1”? It disappears from every list on every laptop after the next sync.")
    answer = QMessageBox.question(parent, QCoreApplication.translate("EditDialog", "Delete"),
                                  text.replace("%1", what),
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
