"""The elderly-adaptation checks C1-C10, C12, C14 and C15 over one screen as it is shown.

Each check walks the visible widgets of the window and returns plain findings ("button
'返回' is 12.1 mm high, needs 16 mm"); an empty list passes. The tests run them over every
screen of the screenshot tour at text scale 1.0 and 2.0 and in both themes, and the tour
can print them, so a screen added later is checked without anyone writing a new test.
Numbers come from ``ui.tokens`` (ui-accessibility.md section c).
"""

from __future__ import annotations

import itertools
import re
from array import array
from collections.abc import Iterable

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetricsF, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QScrollBar,
    QWidget,
)

from ui.tokens import (
    BODY_CAP_MM,
    LINE_SPACING,
    MEMBER_TARGET_MM,
    STAFF_CAP_MM,
    STAFF_TARGET_MM,
    TARGET_GAP_MM,
    TEXT_CONTRAST,
    contrast,
    luminance,
)

FULL_ID = re.compile(r"\d{17}[\dXx]")
LONG_DIGITS = re.compile(r"\d{6,}")
LATIN_WORD = re.compile(r"[A-Za-z]{4,}")
LATIN_ALLOWED = {"English", "Excel", "CSV", "XLSX"}


def _shown(root: QWidget, kind: type[QWidget]) -> list[QWidget]:
    return [w for w in root.findChildren(kind) if w.isVisibleTo(root) and w.isVisible()]


def _rect(widget: QWidget, root: QWidget) -> QRect:
    return QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())


def _is_staff(widget: QWidget) -> bool:
    node: QWidget | None = widget
    while node is not None:
        if node.property("staff") == "true":
            return True
        node = node.parentWidget()
    return False


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QAbstractButton, QLabel)) else ""
    return (text or widget.accessibleName() or type(widget).__name__).replace("\n", " ")[:20]


def targets(root: QWidget, mm_per_px: float) -> list[str]:
    """C1: touch targets of at least 16 mm (members) or 7 mm (staff)."""
    out = []
    for b in _shown(root, QAbstractButton):
        if not b.isEnabled():
            continue
        need = STAFF_TARGET_MM if _is_staff(b) else MEMBER_TARGET_MM
        w, h = b.width() * mm_per_px, b.height() * mm_per_px
        if min(w, h) + 1e-6 < need:
            out.append(f"C1 button '{_name(b)}' is {w:.1f}x{h:.1f} mm, needs {need} mm")
    return out


def spacing(root: QWidget, mm_per_px: float) -> list[str]:
    """C2: at least 2 mm between neighbouring touch targets."""
    rects = [(b, _rect(b, root)) for b in _shown(root, QAbstractButton) if b.isEnabled()]
    out = []
    for (a, ra), (b, rb) in itertools.combinations(rects, 2):
        if a.isAncestorOf(b) or b.isAncestorOf(a):
            continue
        dx = max(rb.left() - ra.right() - 1, ra.left() - rb.right() - 1, 0)
        dy = max(rb.top() - ra.bottom() - 1, ra.top() - rb.bottom() - 1, 0)
        gap = max(dx, dy) * mm_per_px
        if gap + 1e-6 < TARGET_GAP_MM:
            out.append(f"C2 '{_name(a)}' and '{_name(b)}' are {gap:.1f} mm apart")
    return out


def _text_widgets(root: QWidget) -> Iterable[QWidget]:
    for kind in (QLabel, QAbstractButton, QLineEdit):
        yield from _shown(root, kind)


def _text_of(w: QWidget) -> str:
    if isinstance(w, (QLabel, QAbstractButton, QLineEdit)):
        return w.text()
    return ""


def text_size(root: QWidget, mm_per_px: float) -> list[str]:
    """C3: capital letters 6.11 mm high on member screens, 4.8 mm on staff screens."""
    out = []
    for w in _text_widgets(root):
        if not _text_of(w).strip():
            continue
        need = STAFF_CAP_MM if _is_staff(w) else BODY_CAP_MM
        cap = QFontMetricsF(w.font()).capHeight() * mm_per_px
        if cap + 0.05 < need:
            out.append(f"C3 '{_name(w)}' capitals {cap:.2f} mm, needs {need} mm")
    return out


def line_spacing(root: QWidget) -> list[str]:
    """C4: line spacing at least 1.3 times the font size."""
    out = []
    for w in _text_widgets(root):
        font = w.font()
        size = font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * 96 / 72
        ratio = QFontMetricsF(font).lineSpacing() / size
        if ratio + 1e-3 < LINE_SPACING:
            out.append(f"C4 '{_name(w)}' line spacing {ratio:.2f}")
    return out


def _colours(image: QImage, r: QRect) -> set[int]:
    """Every distinct 0xRRGGBB value inside ``r`` (read as one block, not pixel by pixel)."""
    part = image.copy(r).convertToFormat(QImage.Format.Format_RGB32)
    pixels = array("I")
    pixels.frombytes(bytes(part.constBits()))  # RGB32 rows have no padding
    return {p & 0xFFFFFF for p in set(pixels)}


def rendered_contrast(root: QWidget, image: QImage) -> list[str]:
    """C6: darkest against lightest pixel inside each label with text (every pixel)."""
    out = []
    for w in _shown(root, QLabel):
        if not w.text().strip():
            continue
        # Only what is on screen: a label scrolled out of view or clipped by its parent
        # shows nothing of itself where its rectangle says.
        seen = w.visibleRegion().boundingRect()
        r = seen.translated(w.mapTo(root, QPoint(0, 0))).intersected(image.rect())
        if r.isEmpty():
            continue
        colours = _colours(image, r)
        if len(colours) < 2:
            continue
        by_luminance = sorted(colours, key=lambda c: luminance(f"#{c:06x}"))
        ratio = contrast(f"#{by_luminance[0]:06x}", f"#{by_luminance[-1]:06x}")
        if ratio + 1e-3 < TEXT_CONTRAST:
            out.append(f"C6 '{_name(w)}' renders at {ratio:.1f}:1")
    return out


def reflow(root: QWidget) -> list[str]:
    """C7: nothing clipped: wrapped labels fit their height, button text fits its width."""
    out = []
    for w in _shown(root, QLabel):
        if w.wordWrap() and w.text().strip() and w.hasHeightForWidth():
            need = w.heightForWidth(w.width())
            if need > w.height() + 2:
                out.append(f"C7 label '{_name(w)}' needs {need}px, has {w.height()}px")
        elif w.text().strip() and not w.wordWrap():
            need = max(w.fontMetrics().horizontalAdvance(line) for line in w.text().split("\n"))
            if need > w.contentsRect().width() + 2:
                out.append(f"C7 label '{_name(w)}' cut: needs {need}px, has {w.width()}px")
    for b in _shown(root, QAbstractButton):
        text = b.text()
        if not text.strip():
            continue
        fm = b.fontMetrics()
        need = max(fm.horizontalAdvance(line) for line in text.split("\n"))
        if need > b.contentsRect().width():
            out.append(f"C7 button '{_name(b)}' cut: needs {need}px, has {b.width()}px")
    if any(s.orientation() == Qt.Orientation.Horizontal for s in _shown(root, QScrollBar)):
        out.append("C7 a horizontal scroll bar is visible")
    return out


def names(root: QWidget) -> list[str]:
    """C8: every control has a name a screen reader can say."""
    return [
        f"C8 a {type(b).__name__} has no text or accessible name"
        for b in _shown(root, QAbstractButton)
        if not (b.text().strip() or b.accessibleName().strip())
    ]


def visible_texts(root: QWidget) -> list[str]:
    texts = []
    for w in _text_widgets(root):
        texts += [_text_of(w), w.toolTip(), w.accessibleName()]
    return [t for t in texts if t]


def no_full_ids(root: QWidget) -> list[str]:
    """C10: no full ID number anywhere on a member screen."""
    if _is_staff(root):
        return []
    return [
        f"C10 a full ID number is visible ('{text[:6]}…')"
        for text in visible_texts(root)
        if FULL_ID.search(text)
    ]


def one_window() -> list[str]:
    """C12: exactly one visible top-level window."""
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isWindow()]
    return [] if len(shown) == 1 else [f"C12 {len(shown)} top-level windows are visible"]


def chinese_only(root: QWidget) -> list[str]:
    """C14: in the Chinese screen language no English words show (allow-list aside)."""
    out = []
    for text in visible_texts(root):
        for word in LATIN_WORD.findall(text):
            if word not in LATIN_ALLOWED:
                out.append(f"C14 untranslated text '{word}' in '{text[:20]}'")
    return out


def member_navigation(screen: QWidget) -> list[str]:
    """C15: a member screen shows its step and keeps 返回 and 回到首页 in view."""
    if getattr(screen, "home_like", False) or getattr(screen, "staff", False):
        return []
    out = []
    texts = {b.text() for b in _shown(screen, QAbstractButton)}
    for needed in ("返回", "回到首页"):
        if needed not in texts:
            out.append(f"C15 no '{needed}' button")
    if getattr(screen, "steps", None) is None and not getattr(screen, "stepless", False):
        out.append("C15 no 第X步/共Y步 indicator")
    return out


def check_screen(window: QWidget, screen: QWidget, mm_per_px: float) -> list[str]:
    """Every automated check for what the window shows now.

    With an overlay up, the screen under its scrim is inert and dimmed on purpose: the
    checks of what can be touched and read (C1-C4, C6-C8) look at the overlay only; the
    privacy and window checks still look at everything.
    """
    image = window.grab().toImage()
    overlay = getattr(window, "overlay", None)
    top = overlay if isinstance(overlay, QWidget) and overlay.isVisible() else window
    return [
        *targets(top, mm_per_px),
        *spacing(top, mm_per_px),
        *text_size(top, mm_per_px),
        *line_spacing(top),
        *rendered_contrast(top, _image_of(top, window, image)),
        *reflow(top),
        *names(top),
        *no_full_ids(screen),
        *one_window(),
        *member_navigation(screen),
    ]


def _image_of(top: QWidget, window: QWidget, image: QImage) -> QImage:
    """The part of the window's picture that ``top`` covers, in ``top``'s coordinates."""
    if top is window:
        return image
    return image.copy(_rect(top, window))
