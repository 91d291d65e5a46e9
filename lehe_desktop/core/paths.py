"""Where data lives: platformdirs by default, overridable by --data-dir or LEHE_DATA_DIR."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "lehe-desktop"
APP_AUTHOR = "Lehe"


@dataclass(frozen=True)
class DataPaths:
    root: Path
    logs: Path

    @property
    def database(self) -> Path:
        return self.root / "lehe.db"

    @property
    def keyfile(self) -> Path:
        # Wrapped database keys and KDF parameters; no secret in it is usable alone.
        return self.root / "keys.json"

    @property
    def unlock_state(self) -> Path:
        # Failed-attempt counter, kept outside the (locked) database so back-off survives restarts.
        return self.root / "unlock-state.json"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    def ensure(self) -> DataPaths:
        for folder in (self.root, self.logs, self.backups):
            folder.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                folder.chmod(0o700)  # personal data: not readable by other local users
        return self


def resolve(data_dir: str | os.PathLike[str] | None = None) -> DataPaths:
    """--data-dir wins, then LEHE_DATA_DIR, then the platform's per-user data folder.

    With an explicit folder the logs live inside it, so one folder holds everything
    (tests, USB-portable installs); otherwise the platform's log folder is used.
    """
    chosen = data_dir or os.environ.get("LEHE_DATA_DIR")
    if chosen:
        root = Path(chosen).expanduser().resolve()
        return DataPaths(root=root, logs=root / "logs")
    root = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    logs = Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    return DataPaths(root=root, logs=logs)
