"""文件 → 导出同步包 / 导入同步包: sync bundles on a USB stick (docs/sync.md "Sync bundles").

Export writes every unsent change to a `.lehe` file and says when the stick may be removed (the
file has been read back and checked). Import first shows a preview — who sent it, when, how many
changes of which kind — checked whole but not applied; applying it then shows a summary and where
the receipt for the sender was written. Everything runs on the database lane.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.bundles import laptop
from ..core.records.schema import REGISTRY
from ..core.store.store import Store
from . import i18n
from .file_dialogs import ask_save_path, error_text
from .forms import ERROR_STYLE
from .worker import DbLane


def _when(ms: Any) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ms / 1000)) if isinstance(ms, int) and ms > 0 else "—"


class _BundleDialog(QDialog):
    """A file path with Browse…, a status text and the dialog's buttons."""

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.lane = lane
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setObjectName("bundle_path")
        self.browse = QPushButton()
        self.browse.setObjectName("bundle_browse")
        self.browse.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        self.status = QLabel()
        self.status.setObjectName("bundle_status")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.go = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.go.setObjectName("bundle_go")
        self.go.clicked.connect(self.run)
        self.buttons.rejected.connect(self.reject)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addLayout(row)
        lay.addWidget(self.status, 1)
        lay.addWidget(self.buttons)
        self.resize(560, 320)

    def choose(self) -> None:
        raise NotImplementedError

    def run(self) -> None:
        raise NotImplementedError

    def failed(self, error: Exception) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        # As the other file dialogs say it: a pulled USB stick or a folder where the file should go is
        # the place and the reason in words, not Python's "[Errno 2] No such file or directory: '….part'".
        self.status.setText(error_text(error, self))
        self.go.setEnabled(bool(self.path.text().strip()))

    def show_text(self, text: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.browse.setText(self.tr("Browse…"))
        self.close_button.setText(self.tr("Close"))


class ExportBundleDialog(_BundleDialog):
    """Write every change the server has not acknowledged to a bundle file."""

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(store, lane, parent)
        self.setObjectName("export_bundle_dialog")
        self.result_info: dict[str, Any] | None = None
        self.path.setText(str(Path.home() / f"lehe-{time.strftime('%Y%m%d')}.lehe"))
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Export sync bundle"))
        self.intro.setText(self.tr("Writes every change the server has not yet acknowledged to one file for a "
                                   "USB stick. Only the server and your coordinators can open it. The changes "
                                   "stay marked unsent until the receipt comes back."))
        self.go.setText(self.tr("Export"))
        if self.result_info is not None:
            self._show_done(self.result_info)

    def choose(self) -> None:
        ask_save_path(self, self.path, self.tr("Export sync bundle"), self.tr("Sync bundles (*.lehe)"), ".lehe")

    def run(self) -> None:
        target = self.path.text().strip()
        if not target:
            return
        self.go.setEnabled(False)
        self.show_text(self.tr("Exporting…"))
        store = self.store
        self.lane.query(lambda: laptop.export_bundle(store, Path(target)), self._done, self.failed, owner=self,
                        name="export bundle", busy_cursor=True)

    def _done(self, info: dict[str, Any]) -> None:
        self.result_info = info
        self._show_done(info)
        self.go.setEnabled(True)

    def _show_done(self, info: dict[str, Any]) -> None:
        self.show_text(self.tr("Exported %n change(s) to %1. The file was read back and checked: "
                               "you may remove the stick.", "", int(info["changes"])).replace("%1", info["file"]))


class ImportBundleDialog(_BundleDialog):
    """Choose a bundle, see what it holds (checked, not applied), then apply it."""

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(store, lane, parent)
        self.setObjectName("import_bundle_dialog")
        self.preview_info: dict[str, Any] | None = None
        self.summary: dict[str, Any] | None = None
        self.previewed = ""
        self.go.setEnabled(False)
        self.path.editingFinished.connect(self.load_preview)
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Import sync bundle"))
        self.intro.setText(self.tr("Choose a sync bundle (.lehe) from the server or from a worker. It is "
                                   "checked whole first; nothing changes until you apply it."))
        self.go.setText(self.tr("Apply"))
        if self.summary is not None:
            self._show_summary(self.summary)
        elif self.preview_info is not None:
            self._show_preview(self.preview_info)

    def choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Import sync bundle"), self.path.text(),
                                              self.tr("Sync bundles (*.lehe)"))
        if name:
            self.path.setText(name)
            self.load_preview()

    def load_preview(self) -> None:
        source = self.path.text().strip()
        if source == self.previewed and (self.preview_info is not None or self.summary is not None):
            return          # the field lost focus (a click on Apply): nothing new to check
        self.previewed = source
        self.preview_info = self.summary = None
        self.go.setEnabled(False)
        if not source:
            return
        self.show_text(self.tr("Checking the bundle…"))
        store = self.store
        self.lane.query(lambda: laptop.preview(store, Path(source)), self._previewed, self._preview_failed,
                        owner=self, name="preview bundle", busy_cursor=True)

    def _preview_failed(self, error: Exception) -> None:
        self.failed(error)
        self.go.setEnabled(False)

    def _previewed(self, info: dict[str, Any]) -> None:
        self.preview_info = info
        self._show_preview(info)
        self.go.setEnabled(info.get("kind") == "changes")

    def _show_preview(self, info: dict[str, Any]) -> None:
        sender = self.tr("the server") if info["sender"] == "server" else (info.get("sender_user") or info["sender"])
        lines = [self.tr("From: %1").replace("%1", str(sender)),
                 self.tr("Exported: %1").replace("%1", _when(info.get("created_ms"))),
                 self.tr("Changes: %n", "", int(info["changes"]))]
        if info.get("from_ms"):
            lines.append(self.tr("Edited between %1 and %2").replace("%1", _when(info["from_ms"]))
                         .replace("%2", _when(info.get("until_ms"))))
        for rtype, n in sorted(info.get("counts", {}).items(), key=lambda kv: -kv[1])[:12]:
            label = i18n.pick(REGISTRY[rtype].zh, REGISTRY[rtype].en) if rtype in REGISTRY else rtype
            lines.append(f"  · {label}{i18n.colon()}{n}")
        self.show_text("\n".join(lines))

    def run(self) -> None:
        source = self.path.text().strip()
        if not source or self.preview_info is None:
            return
        self.go.setEnabled(False)
        self.show_text(self.tr("Applying…"))
        store = self.store
        self.lane.query(lambda: laptop.import_bundle(store, Path(source)).as_json(), self._applied, self.failed,
                        owner=self, name="import bundle", busy_cursor=True)

    def _applied(self, summary: dict[str, Any]) -> None:
        self.summary = summary
        self._show_summary(summary)

    def _show_summary(self, s: dict[str, Any]) -> None:
        self.show_text(self.tr("Applied: %1 new, %2 already here, %3 waiting for their record, %4 refused, "
                               "%5 new conflicts.\nReceipt for the sender: %6")
                       .replace("%1", str(s["applied"])).replace("%2", str(s["duplicates"]))
                       .replace("%3", str(s["held"])).replace("%4", str(s["refused"]))
                       .replace("%5", str(s["conflicts"])).replace("%6", str(s["receipt"])))


class BundleLogDialog(QDialog):
    """文件 → 同步包记录: bundles sent and received (with their receipts) and, for a coordinator,
    which workers' bundles are in, overdue or never came."""

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bundle_log_dialog")
        self.store = store
        self.lane = lane
        self.data: dict[str, Any] | None = None
        self.workers_label = QLabel()
        self.workers = QTableWidget(0, 4)
        self.workers.setObjectName("bundle_workers")
        self.log_label = QLabel()
        self.log = QTableWidget(0, 4)
        self.log.setObjectName("bundle_log")
        for table in (self.workers, self.log):
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setStretchLastSection(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.workers_label)
        lay.addWidget(self.workers)
        lay.addWidget(self.log_label)
        lay.addWidget(self.log, 1)
        lay.addWidget(self.buttons)
        self.resize(720, 480)
        self.retranslate()
        store_ = store
        lane.query(lambda: {"log": laptop.bundle_log(store_), "workers": laptop.overview(store_)}, self._loaded,
                   owner=self, name="bundle log")

    def _loaded(self, data: dict[str, Any]) -> None:
        self.data = data
        self._fill()

    def _fill(self) -> None:
        if self.data is None:
            return
        states = {"in": self.tr("in"), "overdue": self.tr("overdue"), "never": self.tr("never")}
        workers = self.data["workers"]
        self.workers.setRowCount(len(workers))
        for r, w in enumerate(workers):
            for c, text in enumerate((states.get(w["state"], w["state"]), str(w.get("user") or ""),
                                      _when(w.get("last_bundle_ms")), "、".join(w.get("areas", [])))):
                self.workers.setItem(r, c, QTableWidgetItem(text))
        self.workers_label.setVisible(bool(workers))
        self.workers.setVisible(bool(workers))
        log = list(reversed(self.data["log"]))
        self.log.setRowCount(len(log))
        for r, e in enumerate(log):
            sent = e.get("dir") == "sent"
            who = self.tr("the server") if (e.get("from") == "server") else str(e.get("from") or "")
            receipt = _when(e.get("receipt_ms")) if e.get("receipt_ms") else (self.tr("no receipt yet") if sent else "")
            for c, text in enumerate((_when(e.get("at_ms")), self.tr("sent") if sent else self.tr("received"),
                                      self.tr("%n change(s)", "", int(e.get("changes") or 0)) if sent else who,
                                      receipt)):
                self.log.setItem(r, c, QTableWidgetItem(text))
        for table in (self.workers, self.log):
            table.resizeColumnsToContents()
            table.horizontalHeader().setStretchLastSection(True)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sync bundles"))
        self.workers_label.setText(self.tr("Workers' bundles (overdue after 14 days)"))
        self.workers.setHorizontalHeaderLabels([self.tr("State"), self.tr("Worker"), self.tr("Last bundle"),
                                                self.tr("Areas")])
        self.log_label.setText(self.tr("Bundles sent and received"))
        self.log.setHorizontalHeaderLabels([self.tr("When"), self.tr("Direction"), self.tr("Content / from"),
                                            self.tr("Receipt")])
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        self._fill()
