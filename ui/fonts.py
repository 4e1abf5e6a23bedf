"""Register the CJK font shipped in ``assets/fonts``.

Qt's wheels carry no fonts and a kiosk image may have no CJK font at all, which would show
residents' names as tofu boxes. Loading our own file makes rendering the same on every
machine, including rare Extension A name characters such as 䶮.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FONT_FILES = ("NotoSansCJKsc-Regular.subset.otf",)
FAMILY = "Noto Sans CJK SC"

_loaded: tuple[str, list[int]] | None = None


def font_path() -> Path:
    return FONT_DIR / FONT_FILES[0]


def load_fonts() -> str:
    """Return the family the UI should ask for.

    Needs a QGuiApplication. A second call returns the cached name, since registering the
    same 8 MB file again would parse it again and add a duplicate face; the cache is checked
    against Qt so that fonts dropped with an earlier application object are registered again.
    """
    global _loaded
    if _loaded is not None:
        family, ids = _loaded
        if all(QFontDatabase.applicationFontFamilies(i) for i in ids):
            return family
    families: list[str] = []
    ids = []
    for name in FONT_FILES:
        path = FONT_DIR / name
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            raise RuntimeError(f"Qt could not load the shipped font {path}")
        ids.append(font_id)
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    family = FAMILY if FAMILY in families else families[0]
    _loaded = (family, ids)
    return family
