"""The automated accessibility checks find what they are for (and pass the real screens)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui import a11y


def _page(qtbot: QtBot, style: str) -> tuple[QWidget, QLabel, QPushButton]:
    page = QWidget()
    qtbot.addWidget(page)
    page.resize(800, 400)
    layout = QVBoxLayout(page)
    text = QLabel("请到服务台登记")
    text.setStyleSheet(style)
    button = QPushButton("好")
    button.setFixedSize(30, 30)
    layout.addWidget(text)
    layout.addWidget(button)
    page.show()
    qtbot.waitExposed(page)
    return page, text, button


def test_low_contrast_text_is_found_and_dark_text_passes(qtbot: QtBot) -> None:
    page, _, _ = _page(qtbot, "color: #9a9a9a; background: #b0b0b0; font-size: 40px;")
    found = a11y.rendered_contrast(page, page.grab().toImage())
    assert any(p.startswith("C6") for p in found), found
    page2, _, _ = _page(qtbot, "color: #1a1a1a; background: #ffffff; font-size: 40px;")
    assert a11y.rendered_contrast(page2, page2.grab().toImage()) == []


def test_small_targets_and_cut_text_are_found(qtbot: QtBot) -> None:
    page, _, button = _page(qtbot, "font-size: 40px;")
    assert any(p.startswith("C1") for p in a11y.targets(page, 0.248))
    button.setText("这是一段放不下的很长的按钮文字")
    assert any(p.startswith("C7") for p in a11y.reflow(page))
