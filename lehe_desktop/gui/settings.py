"""Window layout and preferences (no personal data) in ``gui.ini`` inside the data folder."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings

from ..core.paths import DataPaths

DEFAULT_IDLE_LOCK_MIN = 10
DEFAULT_AUTO_SYNC_MIN = 10


def open_settings(paths: DataPaths) -> QSettings:
    paths.root.mkdir(parents=True, exist_ok=True)
    return QSettings(str(paths.root / "gui.ini"), QSettings.Format.IniFormat)


def idle_lock_minutes(settings: QSettings) -> int:
    try:
        raw: Any = settings.value("idle_lock_minutes", DEFAULT_IDLE_LOCK_MIN)
        return max(0, int(raw))
    except (TypeError, ValueError):
        return DEFAULT_IDLE_LOCK_MIN


def auto_sync_enabled(settings: QSettings | None) -> bool:
    """Sync on a timer (文件 → 自动同步); on unless the user turned it off."""
    if settings is None:
        return True
    value = settings.value("sync/auto", True)
    return value not in (False, "false", "0", 0)


def auto_sync_minutes(settings: QSettings | None) -> int:
    """Minutes between automatic syncs (``sync/auto_minutes`` in gui.ini, at least 1)."""
    if settings is None:
        return DEFAULT_AUTO_SYNC_MIN
    try:
        raw: Any = settings.value("sync/auto_minutes", DEFAULT_AUTO_SYNC_MIN)
        return max(1, int(raw))
    except (TypeError, ValueError):
        return DEFAULT_AUTO_SYNC_MIN
