"""Forms that ask before unsaved changes are lost, and deletes that ask first.

``GuardedDialog`` is a ``RecordDialog`` whose Cancel, Esc and window close ask "Discard the
changes?" when the form (or its lists) differ from what it opened with. ``confirm_delete`` is
the one delete question every page asks.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QMessageBox, QWidget

from .dialogs import RecordDialog


class GuardedDialog(RecordDialog):
    """A record form that asks before closing with unsaved changes."""

    _baseline: str | None = None

    def state(self) -> str:
        """Everything the save would write, comparable between two moments."""
        return repr((sorted(self.values().items(), key=lambda kv: kv[0]), self._links_state()))

    def _links_state(self) -> Any:
        return sorted((k, repr(v)) for k, v in self.links().items())

    def showEvent(self, event: QShowEvent) -> None:
        if self._baseline is None:   # the first show: the form holds what it opened with
            self._baseline = self.state()
        super().showEvent(event)

    def dirty(self) -> bool:
        return self._baseline is not None and self.state() != self._baseline

    def reject(self) -> None:
        # QDialog's close button and Esc come here too (QDialog.closeEvent calls reject).
        if self.saving:
            return
        if self.dirty():
            answer = QMessageBox.question(
                self, self.tr("Unsaved changes"), self.tr("Discard the changes you made in this form?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()


def confirm_delete(parent: QWidget, what: str) -> bool:
    """Ask before deleting ``what`` (a record's title); True to go ahead."""
    text = QCoreApplication.translate(
        "GuardedDialog", "Delete “%1”? It disappears from every list on every laptop after the next sync.")
    answer = QMessageBox.question(parent, QCoreApplication.translate("GuardedDialog", "Delete"),
                                  text.replace("%1", what),
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
