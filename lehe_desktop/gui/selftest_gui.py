"""The Qt half of ``--self-test``: Qt loads, the bundled font and translations load, and the
main window renders offscreen. ``lehe_desktop/selftest.py`` runs these after the database
checks; each check returns a one-line detail or raises.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator, qVersion
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QRawFont
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from ..core.store.store import Store
from ..selftest import CheckFailed
from .resources import font_paths, i18n_dir, load_fonts

SAMPLE = "乐和社工"
WINDOW_SIZE = (1280, 800)

Check = Callable[[], str]


def _distinct_colours(image: QImage, step: int = 7) -> int:
    seen: set[int] = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
            if len(seen) > 16:
                return len(seen)
    return len(seen)


class GuiChecks:
    def __init__(self, store: Store | None, folder: Path) -> None:
        self.store = store
        self.folder = folder
        self.app: QApplication | None = None
        self.family: str | None = None

    def qt(self) -> str:
        existing = QApplication.instance()
        self.app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], "--self-test"])
        return f"Qt {qVersion()}, platform {QGuiApplication.platformName()}"

    def font(self) -> str:
        missing = [str(p) for p in font_paths() if not p.is_file()]
        if missing:
            raise CheckFailed(f"bundled font missing: {', '.join(missing)}")
        self.family = load_fonts()
        if not self.family:
            raise CheckFailed("the bundled font did not register with Qt")
        raw = QRawFont.fromFont(QFont(self.family, 14))
        lacking = [c for c in SAMPLE if not raw.supportsCharacter(ord(c))]  # the QChar overload misreads str
        if lacking:
            raise CheckFailed(f"font {self.family!r} has no glyph for {''.join(lacking)}")
        # Draw the sample: a broken rasteriser or font engine leaves the image blank.
        image = QImage(160, 40, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setFont(QFont(self.family, 20))
        painter.setPen(QColor("black"))
        painter.drawText(4, 30, SAMPLE)
        painter.end()
        if _distinct_colours(image, step=1) < 2:
            raise CheckFailed(f"drawing {SAMPLE!r} with {self.family!r} left the image blank")
        return f"{self.family!r} loaded and draws {SAMPLE!r}"

    def translations(self) -> str:
        app_qm = i18n_dir() / "lehe_zh_CN.qm"
        app_tr = QTranslator()
        if not app_qm.is_file() or not app_tr.load(str(app_qm)) or app_tr.isEmpty():
            raise CheckFailed(f"Chinese UI translation missing or empty: {app_qm}")
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt_tr = QTranslator()
        if not qt_tr.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", qt_dir):
            raise CheckFailed(f"Qt's own Chinese translation (qtbase_zh_CN.qm) missing in {qt_dir}")
        return f"{app_qm.name} and qtbase_zh_CN.qm load"

    def window(self) -> str:
        if self.store is None:
            raise CheckFailed("not run: no database (an earlier check failed)")
        window, kind = _main_window(self.store)
        try:
            window.resize(*WINDOW_SIZE)
            image = window.grab().toImage()
        finally:
            window.close()
            window.deleteLater()
        if image.isNull() or image.width() < 200 or image.height() < 150:
            raise CheckFailed(f"{kind} rendered an empty image ({image.width()}x{image.height()})")
        if _distinct_colours(image) < 3:
            raise CheckFailed(f"{kind} rendered blank")
        out = self.folder / "selftest-window.png"
        if not image.save(str(out)):
            raise CheckFailed("could not write the rendering as PNG")
        return f"{kind} rendered offscreen at {image.width()}x{image.height()}"


def _main_window(store: Store) -> tuple[QWidget, str]:
    """The real main window when the GUI provides one; a plain window with Chinese text otherwise."""
    try:
        from .screenshot import build_main_window  # type: ignore[attr-defined]
    except ImportError:
        build_main_window = None
    if build_main_window is not None:
        return build_main_window(store), "main window"
    window = QMainWindow()
    body = QWidget()
    layout = QVBoxLayout(body)
    for text in (SAMPLE, f"{store.stats().get('households', 0)} 户"):
        layout.addWidget(QLabel(text))
    window.setCentralWidget(body)
    window.setWindowTitle(SAMPLE)
    return window, "placeholder window (no main window in this build)"


def gui_checks(store: Store | None, folder: Path) -> list[tuple[str, Check]]:
    checks = GuiChecks(store, folder)
    return [("qt", checks.qt), ("font", checks.font), ("translations", checks.translations),
            ("window", checks.window)]
