"""The shipped CJK font loads and draws residents' names, rare characters included, with no
system CJK font: CI machines have none, so a pass here means no tofu on a bare kiosk."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontInfo,
    QFontMetrics,
    QImage,
    QPainter,
    QRawFont,
)
from pytestqt.qtbot import QtBot

from ui.fonts import FONT_DIR, font_path, load_fonts

SAMPLES = ["䶮", "张", "时", "间", "币", "王", "〇", "，", "。", "“", "”", "·", "×", "¥"]
FULLWIDTH_DIGITS = [chr(c) for c in range(0xFF10, 0xFF1A)]  # ０..９
LATIN = [chr(c) for c in range(0x21, 0x7F)]
PRIVATE_USE = "\ue000"  # no font maps it: draws the missing-glyph box


@pytest.fixture
def family(qtbot: QtBot) -> str:
    return load_fonts()


def _strict_font(family: str, pixel_size: int = 64) -> QFont:
    """A font that may not borrow glyphs from other fonts, so a pass proves our file has them."""
    font = QFont(family)
    font.setPixelSize(pixel_size)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
    return font


def _render(text: str, font: QFont) -> QImage:
    image = QImage(96 * max(len(text), 1), 96, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return image


def _ink(image: QImage) -> int:
    white = QColor("white").rgb()
    return sum(
        1 for y in range(image.height()) for x in range(image.width()) if image.pixel(x, y) != white
    )


def test_family_loads_and_second_call_is_cheap(family: str) -> None:
    assert family == "Noto Sans CJK SC"
    assert family in QFontDatabase.families()
    registered = QFontDatabase.applicationFontFamilies(0)
    assert load_fonts() == family  # the second call registers nothing more
    assert QFontDatabase.applicationFontFamilies(1) == []
    assert QFontDatabase.applicationFontFamilies(0) == registered
    assert QFontInfo(_strict_font(family)).family() == family


def test_font_ships_with_its_licence() -> None:
    assert font_path().suffix == ".otf"
    assert font_path().stat().st_size < 12_000_000
    licence = (FONT_DIR / "LICENSE-NotoSansCJK.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Adobe" in licence


def test_metrics_find_every_glyph_in_the_shipped_family(family: str) -> None:
    metrics = QFontMetrics(_strict_font(family))
    missing = [c for c in [*SAMPLES, *FULLWIDTH_DIGITS, *LATIN] if not metrics.inFontUcs4(ord(c))]
    assert missing == []
    assert not metrics.inFontUcs4(ord(PRIVATE_USE))


def test_the_file_itself_covers_unified_ideographs_and_extension_a(qtbot: QtBot) -> None:
    raw = QRawFont(str(font_path()), 32)
    assert raw.isValid()
    assert raw.familyName() == "Noto Sans CJK SC"
    for text in ["王䶮", "张", "时间币", "".join(FULLWIDTH_DIGITS), "Time Bank 2024"]:
        glyphs = raw.glyphIndexesForString(text)
        assert len(glyphs) == len(text)
        assert 0 not in glyphs, text

    def covered(lo: int, hi: int) -> int:
        return sum(1 for cp in range(lo, hi + 1) if raw.supportsCharacter(cp))

    # Everything the source font has: only U+9FF0..9FFF and U+4DB6..4DBF (Unicode 13/14) lack.
    assert covered(0x4E00, 0x9FFF) == 20976
    assert covered(0x3400, 0x4DBF) == 6582
    assert covered(0x3000, 0x303F) == 64
    assert covered(0xFF01, 0xFF5E) == 94
    assert covered(0x20, 0x7E) == 95


def test_rare_name_character_is_drawn_not_a_tofu_box(family: str) -> None:
    font = _strict_font(family)
    name = _render("王䶮", font)
    tofu = _render("王" + PRIVATE_USE, font)
    rare = _render("䶮", font)
    box = _render(PRIVATE_USE, font)
    assert _ink(rare) > 100
    assert rare != box
    assert name != tofu
    differing = sum(
        1
        for y in range(rare.height())
        for x in range(rare.width())
        if rare.pixel(x, y) != box.pixel(x, y)
    )
    assert differing > 100
