"""Pictures for tiles: one-colour SVG icons from ``assets/icons``, drawn at a pixel size.

Icons are drawn in black on a transparent ground and tinted here to the colour of the text
beside them, so one file serves the standard and the high-contrast theme alike and an icon
always has the contrast of its label (WCAG 1.4.11: meaningful icons ≥ 3:1). QtSvg renders
them; it ships in the PySide6 Essentials wheel. Rendered images are cached by name, size,
colour and device pixel ratio, since a screen is rebuilt every time it is shown.

Usage: ``icon_pixmap("needs/haircut", 160, "#1B1B1B")`` or ``icon(...)`` for a QIcon.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICON_DIR = Path(__file__).resolve().parent.parent / "assets" / "icons"


def icon_path(name: str) -> Path:
    """``"needs/haircut"`` -> ``assets/icons/needs/haircut.svg``; unknown names raise."""
    path = (ICON_DIR / f"{name}.svg").resolve()
    if ICON_DIR.resolve() not in path.parents:
        raise ValueError(f"icon name {name!r} leaves the icon folder")
    if not path.is_file():
        raise FileNotFoundError(f"no icon {name!r} at {path}")
    return path


@lru_cache(maxsize=256)
def _render(name: str, px: int, colour: str, dpr: float) -> QImage:
    renderer = QSvgRenderer(str(icon_path(name)))
    if not renderer.isValid():
        raise ValueError(f"icon {name!r} is not a valid SVG")
    renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
    side = max(1, round(px * dpr))
    image = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, side, side))
    if colour:
        # Keep the drawing's shape (alpha) and paint it in one colour.
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(image.rect(), QColor(colour))
    painter.end()
    image.setDevicePixelRatio(dpr)
    return image


def icon_image(name: str, px: int, colour: str = "", *, dpr: float = 1.0) -> QImage:
    """The icon as a ``px`` x ``px`` image (any thread); ``colour`` ``#RRGGBB`` tints it."""
    if px <= 0:
        raise ValueError("icon size must be positive")
    return _render(name, int(px), colour, float(dpr))


def icon_pixmap(name: str, px: int, colour: str = "", *, dpr: float = 1.0) -> QPixmap:
    """The icon as a pixmap for a QLabel (GUI thread only, as every QPixmap)."""
    return QPixmap.fromImage(icon_image(name, px, colour, dpr=dpr))


def icon(name: str, px: int, colour: str = "", *, dpr: float = 1.0) -> QIcon:
    """The icon for ``QAbstractButton.setIcon``; pair it with ``setIconSize(QSize(px, px))``."""
    return QIcon(icon_pixmap(name, px, colour, dpr=dpr))
