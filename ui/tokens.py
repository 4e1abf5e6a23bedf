"""Every size and colour of the kiosk, in one place, in millimetres and WCAG terms.

Sizes are kept in millimetres and turned into pixels with a configured ``mm_per_px``,
because a panel's reported DPI is often wrong (EDID) and the offscreen platform makes one
up. The numbers come from the elderly-adaptation rules (ui-accessibility.md): touch targets
of 16 mm on member screens, capital letters 6.11 mm high at 500 mm viewing distance, line
spacing 1.3, body text contrast 7:1. The acceptance checks (C1-C7) read the same constants,
so a rule lives in exactly one place.

This module is plain Python on purpose: the checks and the benchmarks use it without Qt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

MM_PER_PX = 0.248  # 21.5-inch 1920x1080 panel
SCREEN_W, SCREEN_H = 1920, 1080

MEMBER_TARGET_MM = 16.0  # C1, member screens
STAFF_TARGET_MM = 7.0  # C1, staff screens (44 dp)
TARGET_GAP_MM = 2.0  # C2
BODY_CAP_MM = 6.11  # C3, EN 301 549 5.1.4 at 500 mm
STAFF_CAP_MM = 4.8  # C3, Section 508 402.4
LINE_SPACING = 1.3  # C4
BODY_CONTRAST = 7.0  # C5
TEXT_CONTRAST = 4.5
NON_TEXT_CONTRAST = 3.0
TEXT_SCALES = (1.0, 1.5, 2.0)  # the 大字 switch cycles through these

# Cap height of the shipped font as a share of its pixel size, measured with
# QFontMetricsF.capHeight(); theme.py re-measures at start and tests compare.
CAP_RATIO = 0.73


@dataclass(frozen=True)
class Metrics:
    """Millimetres to pixels for one panel, at one text scale."""

    mm_per_px: float = MM_PER_PX
    text_scale: float = 1.0
    cap_ratio: float = CAP_RATIO

    def px(self, mm: float) -> int:
        return math.ceil(mm / self.mm_per_px)

    def mm(self, px: float) -> float:
        return px * self.mm_per_px

    def font_px(self, cap_mm: float) -> int:
        """Pixel size whose capital letters are at least ``cap_mm`` high, before scaling."""
        return math.ceil(cap_mm / self.mm_per_px / self.cap_ratio)

    def text_px(self, cap_mm: float, factor: float = 1.0) -> int:
        return math.ceil(self.font_px(cap_mm) * factor * self.text_scale)

    def scaled(self, text_scale: float) -> Metrics:
        return replace(self, text_scale=text_scale)


@dataclass(frozen=True)
class Theme:
    """Colour tokens; every text pair is listed in ``text_pairs`` for the contrast check."""

    name: str
    bg: str  # window background
    surface: str  # cards, tiles
    text: str  # body text on bg and surface
    muted: str  # secondary text on bg and surface
    primary: str  # main action background
    on_primary: str  # text on primary
    secondary: str  # other actions
    on_secondary: str
    danger: str  # error text and icons on surface
    success: str  # success text and icons on surface
    border: str  # component boundaries
    header: str  # title bar background
    on_header: str
    focus: str

    def text_pairs(self) -> dict[str, tuple[str, str, float]]:
        """Name -> (foreground, background, required ratio)."""
        return {
            "body on bg": (self.text, self.bg, BODY_CONTRAST),
            "body on surface": (self.text, self.surface, BODY_CONTRAST),
            "muted on bg": (self.muted, self.bg, BODY_CONTRAST),
            "muted on surface": (self.muted, self.surface, BODY_CONTRAST),
            "primary button": (self.on_primary, self.primary, BODY_CONTRAST),
            "secondary button": (self.on_secondary, self.secondary, BODY_CONTRAST),
            "header": (self.on_header, self.header, BODY_CONTRAST),
            "danger on surface": (self.danger, self.surface, BODY_CONTRAST),
            "success on surface": (self.success, self.surface, BODY_CONTRAST),
            "border on bg": (self.border, self.bg, NON_TEXT_CONTRAST),
            "focus on bg": (self.focus, self.bg, NON_TEXT_CONTRAST),
        }


STANDARD = Theme(
    name="standard",
    bg="#F7F3EC",
    surface="#FFFFFF",
    text="#1B1B1B",
    muted="#404040",
    primary="#9E1B1B",
    on_primary="#FFFFFF",
    secondary="#1F3A5F",
    on_secondary="#FFFFFF",
    danger="#8A1010",
    success="#1B5E20",
    border="#6B6258",
    header="#8B1A1A",
    on_header="#FFFFFF",
    focus="#1F3A5F",
)

HIGH_CONTRAST = Theme(
    name="high_contrast",
    bg="#000000",
    surface="#000000",
    text="#FFFFFF",
    muted="#FFFF66",
    primary="#FFFF00",
    on_primary="#000000",
    secondary="#FFFFFF",
    on_secondary="#000000",
    danger="#FF9E9E",
    success="#7CFF7C",
    border="#FFFFFF",
    header="#000000",
    on_header="#FFFF00",
    focus="#00FFFF",
)

THEMES = {t.name: t for t in (STANDARD, HIGH_CONTRAST)}


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
