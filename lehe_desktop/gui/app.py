"""Start the desktop app: QApplication set-up, first run or unlock, the main window, locking."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QToolTip, QWidget

from .. import __version__
from ..core import paths as paths_mod
from ..core.errors import EXIT_FAILURE, EXIT_OK, LeheError
from ..core.paths import DataPaths
from ..core.store import vault
from ..core.store.store import Store
from . import heap, i18n
from .dialogs import EditDialog
from .drafts import DraftOffer
from .file_menu import restore_job
from .handover_dialog import handover_job
from .main_window import MainWindow
from .resources import load_fonts
from .settings import idle_lock_minutes, open_settings
from .unlock import FirstRunDialog, UnlockDialog
from .worker import DbLane

log = logging.getLogger(__name__)

HEARTBEAT_MS = 5000

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
        # Asleep, the machine runs no timers (and Qt's idle timer counts no suspended time): a
        # heartbeat compares the wall clock and locks on resume when more than the idle time passed.
        self.clock: Callable[[], float] = time.time
        self.heartbeat = QTimer(self)
        self.heartbeat.setInterval(HEARTBEAT_MS)
        self.heartbeat.timeout.connect(self.check_clock)
        self.last_beat = 0.0
        self.locking = False
        self.draft_offer: DraftOffer | None = None
        self.restore_after_unlock: set[str] = set()   # drafts of the forms open when the app locked

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

    def set_idle_ms(self, ms: int) -> None:
        """The idle time before locking (0: never); gui.ini's ``idle_lock_minutes`` sets it in minutes."""
        self.idle.setInterval(ms)
        if ms <= 0:
            self.idle.stop()
            self.heartbeat.stop()
        elif self.window is not None:
            self._watch_idle()

    def _watch_idle(self) -> None:
        app = QApplication.instance()
        if app is not None and self.idle.interval() > 0:
            app.installEventFilter(self)
            self.idle.start()
            self.last_beat = self.clock()
            self.heartbeat.start()

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
        heap.settle()                   # start-up's objects stay out of later full collections
        self._watch_idle()
        # Drafts left by a crash are offered back; the forms open when the app locked come back.
        self.draft_offer = DraftOffer(w, self.restore_after_unlock)
        self.restore_after_unlock = set()
        self.draft_offer.start()
        return w

    def set_language(self, lang: str) -> None:
        self.settings.setValue("language", lang)

    def lock(self) -> None:
        """Close the store and go back to the unlock screen (after the menu action returns)."""
        QTimer.singleShot(0, self._lock_now)

    def _lock_now(self) -> None:
        if self.locking:
            return
        self.locking = True
        try:
            self._lock_and_unlock()
        finally:
            self.locking = False

    def _lock_and_unlock(self) -> None:
        self.idle.stop()
        self.heartbeat.stop()
        if self.window is not None:
            # Unsaved forms are written as drafts first (queued on the lane before the store
            # closes), then every window but the unlock screen goes: no record stays on screen.
            self.window.save_layout()
            self.restore_after_unlock = self.close_forms()
            self.window.detach()   # nothing in it reads the store from here on
            hide_everything(self.window)
            self.window.deleteLater()
            self.window = None
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
    def close_forms(self) -> set[str]:
        """Write the drafts of the open record forms and close them; the keys of those to bring back."""
        keys: set[str] = set()
        if self.window is None:
            return keys
        for dlg in self.window.findChildren(EditDialog):
            if dlg.isVisible():
                key = dlg.close_for_lock()
                if key is not None:
                    keys.add(key)
        return keys

    def _idle_lock(self) -> None:
        # Also with a form or any dialog open: an open dialog used to keep the app unlocked forever.
        if self.window is not None:
            log.info("locking after %s s idle", self.idle.interval() // 1000)
            self._lock_now()

    def check_clock(self) -> None:
        """Lock if the wall clock moved on by more than the idle time since the last beat (sleep)."""
        now = self.clock()
        gap = now - self.last_beat
        self.last_beat = now
        if self.window is not None and self.idle.interval() > 0 and gap * 1000 > self.idle.interval():
            log.info("locking: the clock moved %.0f s between two beats (the machine slept?)", gap)
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
        self.heartbeat.stop()
        if self.window is not None:
            self.close_forms()      # their drafts are written before the lane stops
            self.window.save_layout()
            self.window.detach()
        self.lane.stop()
        if self.store is not None:
            self.store.close()
            self.store = None
        heap.release()


def hide_everything(window: QWidget) -> None:
    """Close every dialog and window, menu and tooltip that could show a record (the lock)."""
    QToolTip.hideText()
    popup = QApplication.activePopupWidget()
    while popup is not None:
        popup.close()
        nxt = QApplication.activePopupWidget()
        popup = None if nxt is popup else nxt
    for w in QApplication.topLevelWidgets():
        if w is window or not w.isVisible():
            continue
        if isinstance(w, QDialog):
            QDialog.done(w, QDialog.DialogCode.Rejected)   # not reject(): no "save changes?" now
        else:
            w.hide()
    window.hide()


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
