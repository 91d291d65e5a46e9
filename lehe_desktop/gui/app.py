"""Start the desktop app: QApplication set-up, first run or unlock, the main window, locking."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import __version__
from ..core import paths as paths_mod
from ..core.errors import EXIT_FAILURE, EXIT_OK, LeheError
from ..core.paths import DataPaths
from ..core.store import vault
from ..core.store.store import Store
from . import i18n
from .file_menu import restore_job
from .handover_dialog import handover_job
from .main_window import MainWindow
from .resources import load_fonts
from .settings import idle_lock_minutes, open_settings
from .unlock import FirstRunDialog, UnlockDialog
from .worker import DbLane

log = logging.getLogger(__name__)

ORG = "Lehe"
APP = "lehe-desktop"


def make_app(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, with the bundled CJK font as the UI font."""
    existing = QApplication.instance()
    if existing is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        QCoreApplication.setOrganizationName(ORG)
        QCoreApplication.setApplicationName(APP)
        QCoreApplication.setApplicationVersion(__version__)
        app = QApplication(argv or [sys.argv[0]])
        app.setApplicationDisplayName("乐和社工")
    else:
        assert isinstance(existing, QApplication), "a QCoreApplication without widgets already exists"
        app = existing
    apply_font(app)
    return app


def apply_font(app: QApplication) -> None:
    family = load_fonts()
    if family:
        # Bundled font first so Chinese never falls back to boxes on a machine without CJK fonts.
        font = QFont(family)
        font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
        app.setFont(font)
    else:
        log.warning("no bundled CJK font; Chinese relies on system fonts")


class Session(QObject):
    """Owns the store's life: unlock → main window → lock → unlock …"""

    def __init__(self, paths: DataPaths, lang: str) -> None:
        super().__init__()
        self.paths = paths
        self.settings = open_settings(paths)
        self.lane = DbLane(self)
        self.store: Store | None = None
        self.window: MainWindow | None = None
        self.language = i18n.install(lang)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self._idle_lock)
        minutes = idle_lock_minutes(self.settings)
        if minutes:
            self.idle.setInterval(minutes * 60_000)

    def start(self) -> bool:
        """Show first run or unlock; False if the user closed it."""
        store = self._first_run() if not vault.is_set_up(self.paths) else self._unlock()
        if store is None:
            return False
        self.open(store)
        return True

    def _first_run(self) -> Store | None:
        dlg = FirstRunDialog(self.paths, self.lane)
        store = dlg.store if dlg.exec() else None
        dlg.deleteLater()   # Qt deletes it in its own time, not Python's garbage collector
        return store

    def _unlock(self) -> Store | None:
        dlg = UnlockDialog(self.paths, self.lane)
        store = dlg.store if dlg.exec() else None
        dlg.deleteLater()
        return store

    def open(self, store: Store, view: str | None = None) -> MainWindow:
        self.store = store
        # From here on the store answers only on the lane: a call from the GUI thread is a bug.
        store.refuse_thread(threading.get_ident())
        w = MainWindow(store, self.lane, self.settings, self.paths)
        w.lock_requested.connect(self.lock)
        w.files.restore_confirmed.connect(self.restore)
        w.files.handover_confirmed.connect(self.hand_over)
        w.language_requested.connect(self.set_language)
        w.restore_layout()
        w.show_view(view or "home")     # always 今日 first, never the page left last time
        w.show()
        self.window = w
        app = QApplication.instance()
        if app is not None and self.idle.interval() > 0:
            app.installEventFilter(self)
            self.idle.start()
        return w

    def set_language(self, lang: str) -> None:
        self.settings.setValue("language", lang)

    def lock(self) -> None:
        """Close the store and go back to the unlock screen (after the menu action returns)."""
        QTimer.singleShot(0, self._lock_now)

    def _lock_now(self) -> None:
        if self.window is not None:
            self.window.save_layout()
            self.window.detach()   # nothing in it reads the store from here on
            self.window.deleteLater()
            self.window = None
        self.idle.stop()
        if self.store is not None:
            store = self.store
            self.store = None
            self.lane.submit("close", lambda job: store.close())
        store2 = self._unlock()
        if store2 is None:
            QApplication.quit()
            return
        self.open(store2)

    def restore(self, source: Path, key: bytes) -> None:
        """文件 → 恢复, confirmed: close the store, replace the database, reopen on the restored data."""
        QTimer.singleShot(0, lambda: self._restore_now(source, key))

    def _restore_now(self, source: Path, key: bytes) -> None:
        if self.window is not None:
            self.window.save_layout()
            self.window.detach()
            self.window.deleteLater()
            self.window = None
        self.idle.stop()
        store, self.store = self.store, None
        if store is None:
            return

        def reopened(result: tuple[Store, Exception | None]) -> None:
            new_store, error = result
            w = self.open(new_store)
            if error is None:
                w.statusBar().showMessage(self.tr("Restored from the backup %1; this is its data now.")
                                          .replace("%1", source.name))
            else:
                text = error.message(i18n.current()) if isinstance(error, LeheError) else str(error)
                box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Restore from a backup"),
                                  self.tr("The backup was not restored; your data is as it was.") + "\n\n" + text,
                                  QMessageBox.StandardButton.Ok, w)
                box.setObjectName("restore_refused")
                box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                box.open()   # window-modal, non-blocking

        def lost(error: Exception) -> None:
            # Neither the backup nor the old database opened: the unlock screen says why next.
            log.error("restore: reopening failed", exc_info=error)
            store2 = self._unlock()
            if store2 is None:
                QApplication.quit()
                return
            self.open(store2)

        self.lane.submit("restore", restore_job(self.paths, store, key, source), reopened, lost)

    def hand_over(self) -> None:
        """文件 → 交接本机, confirmed: close the window and the store, erase the data, then a first run."""
        QTimer.singleShot(0, self._hand_over_now)

    def _hand_over_now(self) -> None:
        store, window = self.store, self.window
        if store is None or window is None:
            return

        def erased(_removed: list[str]) -> None:
            log.info("laptop handed over: data erased")
            self._close_window()
            self.store = None
            self.settings.clear()      # nothing of the old install is written back
            store2 = self._first_run()
            if store2 is None:
                QApplication.quit()
                return
            self.open(store2)

        def refused(error: Exception) -> None:
            # Something arrived meanwhile (not sent yet): nothing was erased, the window stays.
            window.setEnabled(True)
            text = error.message(i18n.current()) if isinstance(error, LeheError) else str(error)
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Hand over this laptop"), text,
                              QMessageBox.StandardButton.Ok, window)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

        window.setEnabled(False)
        self.lane.submit("handover", handover_job(self.paths, store), erased, refused)

    def _close_window(self) -> None:
        if self.window is not None:
            self.window.detach()
            self.window.deleteLater()
            self.window = None
        self.idle.stop()

    def _idle_lock(self) -> None:
        if self.window is not None and QApplication.activeModalWidget() is None:
            log.info("locking after %s min idle", self.idle.interval() // 60_000)
            self._lock_now()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel) \
                and self.window is not None and self.idle.interval() > 0:
            self.idle.start()
        return False

    def shutdown(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.idle.stop()
        if self.window is not None:
            self.window.save_layout()
            self.window.detach()
        self.lane.stop()
        if self.store is not None:
            self.store.close()
            self.store = None


def choose_lang(args: argparse.Namespace, paths: DataPaths) -> str:
    if getattr(args, "lang", None):
        return str(args.lang)
    try:
        return str(open_settings(paths).value("language", "zh"))
    except OSError:
        return "zh"


def run(args: argparse.Namespace) -> int:
    paths = paths_mod.resolve(getattr(args, "data_dir", None))
    app = make_app()
    session = Session(paths, choose_lang(args, paths))
    try:
        if not session.start():
            return EXIT_OK
        return int(app.exec())
    except LeheError as exc:
        QMessageBox.critical(None, "乐和社工", exc.message(i18n.current()))
        return exc.exit_code
    except Exception:
        log.exception("unexpected error in the GUI")
        return EXIT_FAILURE
    finally:
        session.shutdown()
