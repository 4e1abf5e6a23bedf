"""The Qt style sheet, built from the tokens for one theme and one text scale.

Widgets carry a ``role`` property (title, body, hint, big, tile, nav, primary, ...) and the
style sheet gives each role its size and colours, so no screen sets a font size or colour
of its own and a change of theme or text scale is one ``setStyleSheet`` on the window.
Staff screens set ``staff=true`` on their root and get the smaller staff sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontMetricsF

from ui.tokens import (
    BODY_CAP_MM,
    MEMBER_TARGET_MM,
    STAFF_CAP_MM,
    STAFF_TARGET_MM,
    Metrics,
    Theme,
)


@dataclass(frozen=True)
class Look:
    theme: Theme
    metrics: Metrics
    family: str

    @property
    def body_px(self) -> int:
        return self.metrics.text_px(BODY_CAP_MM)

    @property
    def staff_px(self) -> int:
        return self.metrics.text_px(STAFF_CAP_MM)

    @property
    def target_px(self) -> int:
        return self.metrics.px(MEMBER_TARGET_MM)

    @property
    def staff_target_px(self) -> int:
        return self.metrics.px(STAFF_TARGET_MM)

    def font(self, px: int | None = None) -> QFont:
        font = QFont(self.family)
        font.setPixelSize(px or self.body_px)
        return font


def measured_cap_ratio(family: str, px: int = 100) -> float:
    """The shipped font's cap height per pixel of size, read from the font itself."""
    font = QFont(family)
    font.setPixelSize(px)
    return QFontMetricsF(font).capHeight() / px


def style_sheet(look: Look) -> str:
    t = look.theme
    body = look.body_px
    title = round(body * 1.25)
    big = round(body * 1.8)
    tile = round(body * 1.15)
    small_staff = look.staff_px
    staff_title = round(small_staff * 1.3)
    target = look.target_px
    pad = max(8, body // 3)
    return f"""
* {{ font-family: "{look.family}"; }}
QWidget#kioskWindow, QWidget[role="screen"] {{ background: {t.bg}; color: {t.text}; }}
QLabel {{ color: {t.text}; font-size: {body}px; }}
QLabel[role="title"] {{ font-size: {title}px; font-weight: bold; }}
QLabel[role="step"] {{ font-size: {body}px; color: {t.muted}; }}
QLabel[role="hint"] {{ font-size: {body}px; color: {t.muted}; }}
QLabel[role="big"] {{ font-size: {big}px; font-weight: bold; }}
QLabel[role="error"] {{ font-size: {body}px; color: {t.danger}; font-weight: bold; }}
QLabel[role="ok"] {{ font-size: {title}px; color: {t.success}; font-weight: bold; }}
QFrame[role="card"] {{ background: {t.surface}; border: 2px solid {t.border}; border-radius: 12px; }}
QFrame[role="header"] {{ background: {t.header}; }}
QFrame[role="header"] QLabel {{ color: {t.on_header}; }}
QPushButton {{
    font-size: {body}px; min-height: {target}px; min-width: {target}px;
    padding: {pad}px {pad * 2}px; border-radius: 12px;
    background: {t.primary}; color: {t.on_primary}; border: 2px solid {t.border};
}}
QPushButton:focus {{ border: 4px solid {t.focus}; }}
QPushButton:disabled {{ background: {t.surface}; color: {t.muted}; }}
QPushButton[role="tile"] {{ font-size: {tile}px; font-weight: bold; text-align: center; }}
QPushButton[role="nav"], QPushButton[role="secondary"] {{
    background: {t.secondary}; color: {t.on_secondary};
}}
QPushButton[role="title-flat"] {{
    background: transparent; color: {t.text}; border: none; font-size: {title}px;
    font-weight: bold; text-align: left; padding: 0;
}}
QPushButton[role="choice"] {{ background: {t.surface}; color: {t.text}; text-align: left; }}
QPushButton[role="choice"]:checked {{ background: {t.secondary}; color: {t.on_secondary}; }}
QPushButton[role="key"] {{ background: {t.surface}; color: {t.text}; font-size: {title}px; }}
QLineEdit, QTextEdit, QPlainTextEdit {{
    font-size: {body}px; min-height: {target}px; background: {t.surface}; color: {t.text};
    border: 2px solid {t.border}; border-radius: 8px; padding: 4px 8px;
}}
QWidget[role="overlay"] {{ background: rgba(0, 0, 0, 160); }}
QFrame[role="dialog"] {{ background: {t.surface}; border: 4px solid {t.border}; border-radius: 16px; }}
QWidget[staff="true"] QLabel {{ font-size: {small_staff}px; }}
QWidget[staff="true"] QLabel[role="title"] {{ font-size: {staff_title}px; }}
QWidget[staff="true"] QPushButton {{
    font-size: {small_staff}px; min-height: {look.staff_target_px}px; padding: 6px 14px;
}}
QWidget[staff="true"] QLineEdit, QWidget[staff="true"] QComboBox,
QWidget[staff="true"] QSpinBox, QWidget[staff="true"] QDateTimeEdit {{
    font-size: {small_staff}px; min-height: {look.staff_target_px}px;
    background: {t.surface}; color: {t.text};
}}
QWidget[staff="true"] QTableWidget, QWidget[staff="true"] QListWidget {{
    font-size: {small_staff}px; background: {t.surface}; color: {t.text};
}}
QWidget[staff="true"] QTabBar::tab {{ font-size: {small_staff}px; min-height: {look.staff_target_px}px; padding: 6px 16px; }}
QProgressBar {{ min-height: {look.staff_target_px}px; font-size: {small_staff}px; }}
QScrollBar:vertical {{ width: {look.staff_target_px}px; }}
"""
