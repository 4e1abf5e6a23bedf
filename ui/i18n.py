"""Screen language: Simplified Chinese is the source text, English the second language.

Every visible string goes through Qt's translation system (``QCoreApplication.translate``),
so a language switch installs a translator and rebuilds the screen. Qt's own zh_CN
catalogue is loaded too, so Qt's built-in texts (input method menus, standard buttons)
are Chinese as well (C14).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "i18n"
CONTEXT = "kiosk"  # one context: scripts/i18n.py collects every tr("...") literal in ui/


def tr(text: str) -> str:
    """Translate a literal Chinese source text (never an f-string: it must be collected)."""
    return QCoreApplication.translate(CONTEXT, text)


def N_(text: str) -> str:  # the gettext name for "mark now, translate later"
    """Mark a literal for collection where it is defined (a class attribute, a table);
    the code that shows it passes the value to ``translated``."""
    return text


def translated(text: str) -> str:
    """Translate a text that was marked with ``N_`` where it was written."""
    return QCoreApplication.translate(CONTEXT, text)


_installed: list[QTranslator] = []


def install(language: str) -> bool:
    """Install the translators for ``language`` ("zh" or "en"); True when all loaded."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    ok = True
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if language == "zh":
        qt = QTranslator()
        if qt.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", qt_dir):
            app.installTranslator(qt)
            _installed.append(qt)
        else:
            log.warning("Qt's zh_CN translations not found in %s", qt_dir)
            ok = False
    else:
        ours = QTranslator()
        if ours.load(str(ASSETS / f"timebank_{language}.qm")):
            app.installTranslator(ours)
            _installed.append(ours)
        else:
            log.warning("no %s translation in %s", language, ASSETS)
            ok = False
    return ok
