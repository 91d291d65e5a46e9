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
from PySide6.QtWidgets import QApplication

from ..core.store.store import Store
from ..selftest import CheckFailed
from .resources import font_paths, i18n_dir, load_fonts

SAMPLE = "乐和社工"
# The views `--screenshot --view` offers (cli/main.py).
VIEWS = ("home", "households", "visits", "activities", "meetings", "matters", "tasks")

# Platform plugins the packaged app must carry for a real desktop, per OS.
DESKTOP_PLUGINS = {"linux": ("qxcb", "qwayland"), "win32": ("qwindows",), "darwin": ("qcocoa",)}
ALL_DESKTOP_PLUGINS = {n for names in DESKTOP_PLUGINS.values() for n in names}

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
        from .app import make_app  # the app's own set-up (organisation name, UI font)

        self.app = make_app([sys.argv[0], "--self-test"])
        # The check itself may render offscreen; the window a worker sees needs the desktop's plugin.
        folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
        names = {p.name.split(".")[0].removeprefix("lib") for p in folder.glob("*")} if folder.is_dir() else set()
        missing = [n for n in DESKTOP_PLUGINS.get(sys.platform, ()) if n not in names]
        if missing:
            raise CheckFailed(f"Qt platform plugin missing: {', '.join(missing)} (in {folder})")
        return (f"Qt {qVersion()}, platform {QGuiApplication.platformName()}; "
                f"desktop plugins {', '.join(sorted(names & ALL_DESKTOP_PLUGINS))}")

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
        """Every view of the real main window, with the demo data loaded, rendered offscreen."""
        if self.store is None:
            raise CheckFailed("not run: no database (an earlier check failed)")
        from .screenshot import render_main_window_offscreen

        sizes = set()
        for view in VIEWS:
            try:
                png = render_main_window_offscreen(self.store, view, "zh", self.folder / f"window-{view}.png")
            except Exception as exc:
                raise CheckFailed(f"the main window failed to render view {view!r}: {type(exc).__name__}: {exc}") \
                    from exc
            image = QImage.fromData(png)     # the format is read from the data
            if image.isNull() or image.width() < 200 or image.height() < 150:
                raise CheckFailed(f"view {view!r} rendered an empty image ({image.width()}x{image.height()})")
            if _distinct_colours(image) < 3:
                raise CheckFailed(f"view {view!r} rendered blank")
            sizes.add(f"{image.width()}x{image.height()}")
        return f"main window rendered offscreen: {len(VIEWS)} views ({', '.join(VIEWS)}) at {', '.join(sorted(sizes))}"


def gui_checks(store: Store | None, folder: Path) -> list[tuple[str, Check]]:
    checks = GuiChecks(store, folder)
    return [("qt", checks.qt), ("font", checks.font), ("translations", checks.translations),
            ("window", checks.window)]
