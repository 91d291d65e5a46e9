"""A person's rights from the household profile: a copy of their data, and anonymising them.

On a member of the profile's member list (right-click, or the two buttons above the list):

- 导出此人信息… Export this person's data… (the right of access, PIPL Art. 45): the command line's
  ``person-copy`` — ``core.rights.write_person_copy``, the one implementation — into a file the
  user picks; audited by the core. Named data: coordinators and admins (the core's rule).
- 匿名化此人… Anonymise this person… (PIPL Art. 47): says plainly what happens and that it cannot be
  undone, asks for the basis and for the person's name typed in full, then runs
  ``core.rights.anonymise``; the window then reloads every view. Admins only (the core's rule).

Which of the two the laptop's role may do is the core's answer (``rights.refusals``, read on the
lane): a refused action stays visible, disabled, with the core's reason as its tooltip. Every store
call runs through ``DbLane.query``; a failure is shown in words with its code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QMenu, QWidget

from ..core import rights
from ..core.errors import LeheError
from ..core.roles import Capability, RoleError
from ..core.store.store import Store
from . import i18n
from .file_dialogs import OK_STYLE, FileJobDialog, OneDialog, ask_save_path, documents_dir, error_text
from .forms import ERROR_STYLE, ChoiceBox, vocab_choices
from .worker import DbLane


def coded_error_text(error: Exception, widget: QWidget) -> str:
    """A failure in words, with the core's stable code (for the user to quote to support)."""
    text = error_text(error, widget)
    return f"{text} [{error.code}]" if isinstance(error, LeheError) else text


class RightsDialog(FileJobDialog):
    """One lane query with the file dialogs' progress line, message and Start / Close buttons."""

    def __init__(self, store: Store, lane: DbLane, member: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(store, lane, parent)
        self.member = member
        self.finished_ok = False
        self.intro = QLabel()
        self.intro.setObjectName("rights_intro")
        self.intro.setWordWrap(True)
        self.form = QFormLayout()

    def query(self, name: str, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Run ``fn`` on the lane (``DbLane.query``); the dialog stays open until it has answered."""
        self.say(self.working_text())
        self.progress.setRange(0, 0)
        self.progress.show()
        self.start_button.setEnabled(False)
        job = self.lane.query(fn, done, self._failed, owner=self, name=name)
        job.ended.connect(self._ended)
        self.job = job
        self._buttons_text()

    def _failed(self, error: Exception) -> None:
        self.say(coded_error_text(error, self), ERROR_STYLE)
        self.start_button.setEnabled(True)

    def succeeded(self, text: str) -> None:
        self.finished_ok = True
        self.say(text, OK_STYLE)
        self.start_button.hide()


class PersonCopyDialog(RightsDialog):
    """导出此人信息…: where to write the copy; the core writes it and enters it in the audit log."""

    def __init__(self, store: Store, lane: DbLane, member: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(store, lane, member, parent)
        self.setObjectName("person_copy_dialog")
        self.written: Path | None = None
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.target = QLineEdit(str(documents_dir() / f"person-copy-{stamp}.json"))
        self.target.setObjectName("person_copy_target")
        self.target_label = QLabel()
        self.form.addRow(self.target_label, self.path_row(self.target, self._browse))
        self.lay_out()
        self.resize(620, 300)
        self.retranslate()

    def _browse(self) -> None:
        ask_save_path(self, self.target, self.tr("Save the copy as"), self.tr("JSON files (*.json)"), ".json")

    def working_text(self) -> str:
        return self.tr("Writing the copy…")

    def start(self) -> None:
        out = self.chosen_path(self.target, self.tr("Choose where to write the copy."))
        if out is None:
            return
        store, mid = self.store, self.member["id"]
        self.query("person copy", lambda: rights.write_person_copy(store, mid, out), self._done)

    def _done(self, path: Path) -> None:
        self.written = path
        self.succeeded(self.tr("Written: %1\nReview it before you hand it over; the export is in the audit log.")
                       .replace("%1", str(path)))
        self.offer_folder(path.parent)

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Export this person's data"))
        self.target_label.setText(self.tr("Save to"))
        self.start_button.setText(self.tr("Export"))
        self.intro.setText(self.tr(
            "A copy of everything this laptop holds about %1 — their record, their household's address, "
            "phones, disabilities, categories, consents and the records that name them — as one file, for "
            "them (the right of access). It holds their full, unmasked data: review it before you hand it "
            "over and keep the file safe. The export is entered in the audit log.")
            .replace("%1", str(self.member.get("name") or "")))


class AnonymiseDialog(RightsDialog):
    """匿名化此人…: what happens, the basis, the person's name typed in full; then the core's purge."""

    anonymised = Signal(str)    # the member's id, once the core has scrubbed them here

    def __init__(self, store: Store, lane: DbLane, member: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(store, lane, member, parent)
        self.setObjectName("anonymise_dialog")
        self.purge_id: str | None = None
        self.intro.setStyleSheet(ERROR_STYLE)
        self.basis = ChoiceBox(vocab_choices(store, "purge_basis"))
        self.basis.setObjectName("anonymise_basis")
        self.typed = QLineEdit()
        self.typed.setObjectName("anonymise_name")
        self.basis_label, self.typed_label = QLabel(), QLabel()
        self.typed_label.setWordWrap(True)
        self.form.addRow(self.basis_label, self.basis)
        self.form.addRow(self.typed_label, self.typed)
        self.basis.currentIndexChanged.connect(lambda _i: self._enable())
        self.typed.textChanged.connect(lambda _t: self._enable())
        self.start_button.setDefault(False)      # Enter in the name field must not anonymise
        self.start_button.setAutoDefault(False)
        self.close_button.setDefault(True)
        self.lay_out()
        self.resize(640, 330)
        self.retranslate()
        self._enable()

    def _enable(self) -> None:
        name = str(self.member.get("name") or "")
        ok = bool(name) and self.typed.text().strip() == name and self.basis.code() is not None
        self.start_button.setEnabled(ok and self.job is None and not self.finished_ok)

    def working_text(self) -> str:
        return self.tr("Anonymising…")

    def start(self) -> None:
        self._enable()
        if not self.start_button.isEnabled():
            return
        store, mid, basis = self.store, self.member["id"], str(self.basis.code())
        today = store.today or date.today()
        self.typed.setEnabled(False)
        self.basis.setEnabled(False)
        self.query("anonymise", lambda: rights.anonymise(store, mid, basis=basis, requested_on=today), self._done)

    def _failed(self, error: Exception) -> None:
        super()._failed(error)
        self.typed.setEnabled(True)
        self.basis.setEnabled(True)
        self._enable()

    def _ended(self) -> None:
        super()._ended()
        self._enable()

    def _done(self, purge_id: str) -> None:
        self.purge_id = purge_id
        self.succeeded(self.tr("Anonymised on this laptop. The next sync takes it to the server and every "
                               "other laptop."))
        self.anonymised.emit(self.member["id"])

    def retranslate(self) -> None:
        super().retranslate()
        name = str(self.member.get("name") or "")
        self.setWindowTitle(self.tr("Anonymise this person"))
        self.basis_label.setText(self.tr("Basis"))
        self.typed_label.setText(self.tr("Type “%1” to confirm").replace("%1", name))
        self.start_button.setText(self.tr("Anonymise"))
        self.basis.relabel()
        self.intro.setText(self.tr(
            "Anonymising %1 cannot be undone. Their name and personal fields (ID number, phones, health, "
            "disabilities, categories, notes) are scrubbed on this laptop: from their record, from the "
            "history of every change, from the search, and where other records name them (visit notes, "
            "attendance, consents). At the next sync the server and every other laptop do the same. "
            "Backups made before and copies already handed out are not reached.").replace("%1", name))


class PersonRights(QObject, OneDialog):
    """The two actions on the profile's selected member, enabled as the core's role rules say."""

    anonymised = Signal(str)          # a member's id, after the core scrubbed them

    def __init__(self, store: Store, lane: DbLane, parent: QWidget) -> None:
        super().__init__(parent)
        self.store = store
        self.lane = lane
        self.window = parent
        self.member: dict[str, Any] | None = None
        self.refusals: dict[Capability, RoleError | None] | None = None    # None until read on the lane
        self.copy_action = QAction(parent)
        self.copy_action.setObjectName("person_copy")
        self.copy_action.triggered.connect(self.show_copy)
        self.anonymise_action = QAction(parent)
        self.anonymise_action.setObjectName("anonymise_person")
        self.anonymise_action.triggered.connect(self.show_anonymise)
        self.retranslate()

    def refresh(self) -> None:
        """Read on the lane what this laptop's role may do (at each profile shown: enrolling changes it)."""
        store = self.store
        self.lane.query(lambda: rights.refusals(store), self._refused, owner=self, name="rights roles")

    def _refused(self, refusals: dict[Capability, RoleError | None]) -> None:
        self.refusals = refusals
        self._update()

    def set_member(self, member: dict[str, Any] | None) -> None:
        self.member = member
        self._update()

    def menu(self, parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        menu.setObjectName("member_menu")
        menu.setToolTipsVisible(True)     # a disabled action says why
        menu.addAction(self.copy_action)
        menu.addAction(self.anonymise_action)
        return menu

    def _update(self) -> None:
        for action, capability in ((self.copy_action, rights.COPY), (self.anonymise_action, rights.ANONYMISE)):
            refused = None if self.refusals is None else self.refusals.get(capability)
            action.setEnabled(self.member is not None and self.refusals is not None and refused is None)
            if refused is not None:
                action.setToolTip(refused.message(i18n.current()))
            elif self.member is None:
                action.setToolTip(self.tr("Select a member in the list first."))
            else:
                action.setToolTip(action.text().rstrip("…"))

    def show_copy(self) -> PersonCopyDialog | None:
        if self.member is None or not self.copy_action.isEnabled():
            return None
        dialog = PersonCopyDialog(self.store, self.lane, self.member, self.window)
        self.open_one(dialog)
        return dialog

    def show_anonymise(self) -> AnonymiseDialog | None:
        if self.member is None or not self.anonymise_action.isEnabled():
            return None
        dialog = AnonymiseDialog(self.store, self.lane, self.member, self.window)
        dialog.anonymised.connect(self.anonymised)
        self.open_one(dialog)
        return dialog

    def retranslate(self) -> None:
        self.copy_action.setText(self.tr("Export this person's data…"))
        self.anonymise_action.setText(self.tr("Anonymise this person…"))
        self._update()
