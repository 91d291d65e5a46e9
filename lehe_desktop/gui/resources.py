"""Where bundled resources (fonts, translations) live, from source and from a PyInstaller bundle."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)

FONT_FILES = ("wqy-microhei.ttc",)


def resources_dir() -> Path:
    """``resources/`` next to the package in a checkout, or inside the bundle when frozen.

    The packaging spec must copy ``resources/`` to ``<bundle>/resources`` (``datas``).
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent.parent / "resources"


def font_paths() -> list[Path]:
    return [resources_dir() / "fonts" / name for name in FONT_FILES]


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def load_fonts() -> str | None:
    """Register the bundled CJK font; return its family name (None if it is missing)."""
    from PySide6.QtGui import QFontDatabase

    family = None
    for path in font_paths():
        if not path.exists():
            log.warning("bundled font missing: %s", path)
            continue
        fid = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
        if families and family is None:
            family = families[0]
    return family
