"""A form built from a record type's field specs, with problems shown by each field.

Labels come from the core (FieldSpec.zh/.en), vocabularies from the store, so a field added
to the core appears here without GUI code. Errors are red and block saving; warnings are
amber and only ask for a second look.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from ..core.problems import Problem
from ..core.records.schema import FieldSpec, Kind, RecordType
from ..core.records.vocab_seed import DQ_CODES
from ..core.store.store import Store
from . import i18n
from .vocab import vocab_of

ERROR_STYLE = "color: #b3261e;"
WARNING_STYLE = "color: #8a5a00;"

Choice = tuple[str, str, str]   # code, zh, en


class DateEdit(QWidget):
    """An ISO date line edit with a calendar button; empty is allowed (unlike QDateEdit)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("YYYY-MM-DD")
        self.line.setMaxLength(10)
        self.button = QToolButton(self)
        self.button.setText("…")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        menu = QMenu(self.button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        self.button.setMenu(menu)
        self.calendar.clicked.connect(self._picked)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self.button)
        self.setFocusProxy(self.line)
        # Never taller than the line: extra height would push the problem line onto the next row.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _picked(self, d: QDate) -> None:
        self.line.setText(d.toString("yyyy-MM-dd"))
        self.button.menu().hide()

    def text(self) -> str:
        return self.line.text().strip()

    def setText(self, text: str) -> None:
        self.line.setText(text)


class ChoiceBox(QComboBox):
    """A combo of codes with zh/en labels; the first entry is empty (not chosen)."""

    def __init__(self, choices: list[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices
        self.empty_text = ""
        self._fill()

    def _fill(self) -> None:
        current = self.code()
        self.blockSignals(True)
        self.clear()
        self.addItem(self.empty_text, None)
        for code, zh, en in self.choices:
            self.addItem(i18n.pick(zh, en), code)
        self.set_code(current)
        self.blockSignals(False)

    def code(self) -> str | None:
        data = self.currentData()
        return None if data is None else str(data)

    def set_code(self, code: str | None) -> None:
        idx = self.findData(code) if code is not None else 0
        extra = inactive_choice(self.choices, code) if idx < 0 else None
        if extra is not None:   # a deactivated code this record holds: shown, kept, not offered to others
            self.addItem(i18n.pick(extra[1], extra[2]), extra[0])
            idx = self.count() - 1
        self.setCurrentIndex(max(idx, 0))

    def relabel(self) -> None:
        self._fill()


class VocabChoices(list[Choice]):
    """The active items of a vocabulary (what a form offers) and, aside, its deactivated ones: a
    record that holds a deactivated code shows it (marked) and keeps it when saved (issue 13)."""

    def __init__(self, items: list[Choice], inactive: dict[str, Choice]) -> None:
        super().__init__(items)
        self.inactive = inactive


def inactive_choice(choices: list[Choice], code: str | None) -> Choice | None:
    """A deactivated item of the choices' vocabulary, labelled as such, or None."""
    got = getattr(choices, "inactive", {}).get(code) if code is not None else None
    if got is None:
        return None
    return got[0], f"{got[1]}（已停用）", f"{got[2]} (deactivated)"


def vocab_choices(store: Store, vocab: str, *, with_dq: bool = False) -> VocabChoices:
    """Active items of ``vocab`` (from the snapshot the lane read, never the store itself)."""
    snap = vocab_of(store)
    items = [(v["code"], v["zh"], v["en"]) for v in snap.items(vocab)]
    if with_dq:
        have = {c for c, _, _ in items}
        items += [(v["code"], v["zh"], v["en"]) for v in snap.items("dq") if v["code"] in DQ_CODES
                  and v["code"] not in have]
    inactive = {v["code"]: (v["code"], v["zh"], v["en"]) for v in snap.items(vocab, include_inactive=True)
                if not v["active"]}
    return VocabChoices(items, inactive)


BOOL_CHOICES: list[Choice] = [("1", "是", "Yes"), ("0", "否", "No")]


class ProblemLine(QLabel):
    """The line under a field that shows its problem, always taking the same space.

    Showing or hiding a label (or wrapping its text onto a second line) moved every field below
    it: the editor a user was about to click jumped away under the pointer. This line is one text
    line high whether empty or not, never wider than the form gives it; a message longer than
    the line is drawn shortened with "…" and shown whole in its tooltip (``text()`` stays whole).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(False)
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF() - 1, 8.0))
        self.setFont(font)
        self.setFixedHeight(self.fontMetrics().height())
        # A long message must not widen the form (that would move the fields too).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(0)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, event: QPaintEvent) -> None:
        text = self.text()
        if not text:
            return
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        shown = self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)
        painter.end()


class FieldRow:
    """One field: its label, editor and the problem line under it (space kept even when empty)."""

    def __init__(self, spec: FieldSpec, editor: QWidget) -> None:
        self.spec = spec
        self.editor = editor
        self.label = QLabel()
        self.label.setBuddy(editor)
        self.problem = ProblemLine()
        self.problem.setObjectName(f"problem_{spec.name}")
        self.retranslate()

    def retranslate(self) -> None:
        text = i18n.pick(self.spec.zh, self.spec.en)
        self.label.setText(text + (" *" if self.spec.required else ""))
        if isinstance(self.editor, ChoiceBox):
            self.editor.relabel()

    def value(self) -> Any:
        e = self.editor
        if isinstance(e, ChoiceBox):
            code = e.code()
            if self.spec.kind is Kind.BOOL:
                return None if code is None else int(code)
            return code
        if isinstance(e, QPlainTextEdit):
            return e.toPlainText().strip() or None
        if isinstance(e, DateEdit | QLineEdit):
            text = e.text().strip()
            return text or None
        return getattr(e, "fixed_value", None)

    def set_value(self, value: Any) -> None:
        e = self.editor
        if isinstance(e, ChoiceBox):
            e.set_code(None if value is None else str(value))
        elif isinstance(e, QPlainTextEdit):
            e.setPlainText("" if value is None else str(value))
        elif isinstance(e, DateEdit | QLineEdit):
            e.setText("" if value is None else str(value))
        else:
            e.fixed_value = value  # type: ignore[attr-defined]

    def show_problem(self, problem: Problem | None) -> None:
        # Only the text changes: the line keeps its place and size, so nothing below it moves.
        if problem is None:
            self.problem.setText("")
            self.problem.setProperty("severity", None)
            return
        self.problem.setText(problem.message(i18n.current()))
        self.problem.setStyleSheet(ERROR_STYLE if problem.is_error else WARNING_STYLE)
        self.problem.setProperty("severity", problem.severity)


class RecordForm(QWidget):
    """Editors for the fields of ``rt`` (minus ``skip``), in declaration order."""

    changed = Signal()

    def __init__(self, store: Store, rt: RecordType, *, skip: Iterable[str] = (),
                 choices: dict[str, list[Choice]] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.rt = rt
        self.rows: dict[str, FieldRow] = {}
        # Fields whose problems a dialog shows itself (e.g. the visit's household picker).
        self.handled_elsewhere: set[str] = set()
        skipped = set(skip)
        if rt.parent_field:
            skipped.add(rt.parent_field)
        self.general = QLabel()
        self.general.setWordWrap(True)
        self.general.setVisible(False)
        self.general.setObjectName("problem_general")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        extra = choices or {}
        for spec in rt.fields:
            if spec.name in skipped:
                continue
            editor = self._editor(spec, extra.get(spec.name))
            editor.setObjectName(f"field_{spec.name}")
            row = FieldRow(spec, editor)
            self.rows[spec.name] = row
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(editor)
            box.addWidget(row.problem)
            form.addRow(row.label, box)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.general)
        outer.addLayout(form)

    def _editor(self, spec: FieldSpec, choices: list[Choice] | None) -> QWidget:
        if choices is not None:
            return ChoiceBox(choices)
        k = spec.kind
        if k is Kind.VOCAB and spec.vocab:
            return ChoiceBox(vocab_choices(self.store, spec.vocab, with_dq=spec.allow_dq))
        if k is Kind.BOOL:
            return ChoiceBox(BOOL_CHOICES)
        if k is Kind.LONGTEXT:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(64)
            return edit
        if k is Kind.DATE:
            return DateEdit()
        line = QLineEdit()
        if spec.max_len:
            line.setMaxLength(spec.max_len + 20)  # room to paste, the core reports "too long"
        if spec.kind is Kind.TEXT and spec.name.endswith("_time"):
            line.setPlaceholderText("14:30")
        return line

    def values(self) -> dict[str, Any]:
        return {name: row.value() for name, row in self.rows.items()}

    def set_values(self, rec: dict[str, Any]) -> None:
        for name, row in self.rows.items():
            if name in rec:
                row.set_value(rec[name])

    def set_today(self, *names: str) -> None:
        for name in names:
            if name in self.rows and not self.rows[name].value():
                self.rows[name].set_value((self.store.today or date.today()).isoformat())

    def show_problems(self, problems: list[Problem], *, focus: bool = False) -> None:
        """Put each problem under its field (errors first); others go to the top line.

        ``focus`` (after Save or OK, never for the check while typing, which would pull the cursor
        out of the field being typed in): the cursor goes to the topmost field in error, scrolled
        into view."""
        first: dict[str, Problem] = {}
        for p in sorted(problems, key=lambda p: not p.is_error):
            first.setdefault(p.field, p)
        for name, row in self.rows.items():
            row.show_problem(first.get(name))
        general = [p for f, p in first.items() if f not in self.rows and f not in self.handled_elsewhere]
        if general:
            self.general.setText("\n".join(p.message(i18n.current()) for p in general))
            self.general.setStyleSheet(ERROR_STYLE if any(p.is_error for p in general) else WARNING_STYLE)
        self.general.setVisible(bool(general))
        err = next((row.editor for name, row in self.rows.items() if name in first and first[name].is_error), None)
        if focus and err is not None:
            err.setFocus(Qt.FocusReason.OtherFocusReason)
            scroll = err.parentWidget()
            while scroll is not None and not isinstance(scroll, QScrollArea):
                scroll = scroll.parentWidget()
            if scroll is not None:
                scroll.ensureWidgetVisible(err)
        # Wrapped problem lines are first measured at a stale width (Qt's height-for-width in a
        # form layout); without a second pass a problem line can overlap the editor below it.
        QTimer.singleShot(0, self._relayout)

    def _relayout(self) -> None:
        layout = self.layout() if shiboken6.isValid(self) else None
        if layout is not None:
            layout.invalidate()

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            for row in self.rows.values():
                row.retranslate()
        super().changeEvent(event)
