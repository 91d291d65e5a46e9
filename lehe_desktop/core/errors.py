"""User-facing errors: a stable code, a bilingual message and a documented exit code.

Anything raised as a ``LeheError`` is shown to the user as one line on stderr (never a
traceback). The exit codes are a contract documented in docs/cli.md.
"""

from __future__ import annotations

from .problems import Problem

# Exit codes (documented in docs/cli.md; scripts depend on them).
EXIT_OK = 0
EXIT_FAILURE = 1          # unexpected internal error (a bug): logged with traceback
EXIT_USAGE = 2            # bad command line (argparse uses 2 too)
EXIT_LOCKED = 3           # wrong passphrase / recovery key, or still in back-off
EXIT_INVALID = 4          # invalid input data; nothing was changed
EXIT_NOT_FOUND = 5        # a file or record that was named does not exist
EXIT_VERSION = 6          # database newer than this app, or app too old for the server
EXIT_STATE = 7            # wrong state: not set up yet, already set up, busy …
EXIT_NETWORK = 8          # server unreachable or refused the request
EXIT_CONFLICT = 9         # sync finished but left conflicts or rejected changes for review
EXIT_FORBIDDEN = 10       # the laptop's role (from enrolment) does not allow this (core/roles.py)


class LeheError(Exception):
    """A failure a user can understand and act on."""

    exit_code = EXIT_FAILURE

    def __init__(self, code: str, zh: str, en: str, *, exit_code: int | None = None,
                 problems: list[Problem] | None = None) -> None:
        super().__init__(f"{code}: {en}")
        self.code = code
        self.zh = zh
        self.en = en
        self.problems = problems or []
        if exit_code is not None:
            self.exit_code = exit_code

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


class UsageError(LeheError):
    exit_code = EXIT_USAGE


class LockedError(LeheError):
    """Wrong passphrase, wrong recovery key, or a back-off delay still running."""

    exit_code = EXIT_LOCKED

    def __init__(self, code: str, zh: str, en: str, *, retry_after_s: float = 0.0) -> None:
        super().__init__(code, zh, en)
        self.retry_after_s = retry_after_s


class ValidationError(LeheError):
    """A record failed validation; ``problems`` lists every error (and the warnings)."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: list[Problem]) -> None:
        errs = [p for p in problems if p.is_error]
        first = errs[0] if errs else problems[0]
        more = f" (+{len(errs) - 1})" if len(errs) > 1 else ""
        super().__init__(first.code, first.zh + more, first.en + more, problems=problems)


class NotFoundError(LeheError):
    exit_code = EXIT_NOT_FOUND


class VersionError(LeheError):
    exit_code = EXIT_VERSION


class StateError(LeheError):
    exit_code = EXIT_STATE


class NetworkError(LeheError):
    exit_code = EXIT_NETWORK


class StorageError(LeheError):
    """The database file is damaged, unreadable or the disk refused a write."""

    exit_code = EXIT_FAILURE


class CancelledError(LeheError):
    """The user cancelled a long job (backup, export …); whatever it had begun writing is removed."""

    exit_code = EXIT_STATE

    def __init__(self, code: str = "job.cancelled", zh: str = "已取消；未写入任何文件",
                 en: str = "Cancelled; no file was written") -> None:
        super().__init__(code, zh, en)
