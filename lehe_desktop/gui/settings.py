"""Window layout and preferences (no personal data) in ``gui.ini`` inside the data folder."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from ..core.paths import DataPaths

DEFAULT_IDLE_LOCK_MIN = 10


def open_settings(paths: DataPaths) -> QSettings:
    paths.root.mkdir(parents=True, exist_ok=True)
    return QSettings(str(paths.root / "gui.ini"), QSettings.Format.IniFormat)


def idle_lock_minutes(settings: QSettings) -> int:
    try:
        return max(0, int(settings.value("idle_lock_minutes", DEFAULT_IDLE_LOCK_MIN)))
    except (TypeError, ValueError):
        return DEFAULT_IDLE_LOCK_MIN
