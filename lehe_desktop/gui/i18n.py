"""Runtime language: Qt Linguist translators for UI text, the core's zh/en data for records.

Source strings are English; ``resources/i18n/lehe_zh_CN.qm`` turns them into Simplified
Chinese, the default. Switching installs/removes the translator, which sends every widget a
LanguageChange event; widgets re-read their texts in ``retranslate()``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QObject, QTranslator, Signal

from .resources import i18n_dir

log = logging.getLogger(__name__)

LANGS = ("zh", "en")


class Language(QObject):
    """The one language setting of the running app."""

    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.lang = "en"
        self._app_tr = QTranslator()
        self._qt_tr = QTranslator()
        self._installed = False

    def set(self, lang: str) -> None:
        lang = lang if lang in LANGS else "zh"
        if lang == self.lang and (lang == "en" or self._installed):
            return
        app = QCoreApplication.instance()
        if self._installed and app is not None:
            app.removeTranslator(self._app_tr)
            app.removeTranslator(self._qt_tr)
            self._installed = False
        self.lang = lang
        if lang == "zh" and app is not None:
            if not self._app_tr.load(str(i18n_dir() / "lehe_zh_CN.qm")):
                log.warning("Chinese translation missing in %s", i18n_dir())
            # Qt's own dialogs (buttons of QMessageBox, file dialogs) in Chinese too.
            self._qt_tr.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_",
                             QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
            app.installTranslator(self._qt_tr)
            app.installTranslator(self._app_tr)
            self._installed = True
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if lang == "zh"
                           else QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        self.changed.emit(lang)


_current: Language | None = None


def install(lang: str) -> Language:
    global _current
    if _current is None:
        _current = Language()
    _current.set(lang)
    return _current


def current() -> str:
    """'zh' or 'en': which of the core's labels (FieldSpec.zh/.en, vocab) to show."""
    return _current.lang if _current is not None else "zh"


def language() -> Language:
    if _current is None:
        return install("zh")
    return _current


def pick(zh: str, en: str) -> str:
    return en if current() == "en" else zh


def join_list(items: Iterable[str]) -> str:
    """A list of labels: 、 between Chinese items, a comma between English ones."""
    return pick("、", ", ").join(items)


def colon() -> str:
    """The colon after a form label: full-width in Chinese, ': ' in English."""
    return pick("：", ": ")


def is_language_change(event: QEvent) -> bool:
    return event.type() == QEvent.Type.LanguageChange
