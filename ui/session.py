"""One visitor's session: who they are and how they like the screen, until they leave.

Everything here is dropped when the visitor goes home or walks away (idle reset), so the
next visitor starts with default text size, voice and language and no identified person.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.services.people import PersonView
from ui.tokens import TEXT_SCALES


@dataclass
class Session:
    text_scale: float = TEXT_SCALES[0]
    theme: str = "standard"
    voice_on: bool = True
    voice_language: str = "zh"
    language: str = "zh"
    person: PersonView | None = None

    def next_text_scale(self) -> float:
        index = TEXT_SCALES.index(self.text_scale) if self.text_scale in TEXT_SCALES else 0
        self.text_scale = TEXT_SCALES[(index + 1) % len(TEXT_SCALES)]
        return self.text_scale
