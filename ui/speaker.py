"""Voice guidance: fixed prompts from audio files made in advance, dynamic text by an engine.

Many residents using the kiosk read poorly or not at all, and many prefer Cantonese, so every
screen speaks in the language they chose (EN 301 549 5.1.3.14). Screens talk to the
``Speaker`` interface only, so tests and voice-off kiosks use ``SilentSpeaker`` and nothing in
a flow depends on a sound card being present.

The speaker is in a public place: ``speakable`` runs on every piece of dynamic text before any
implementation sees it, so a full ID or phone number is never read aloud (EN 301 549 5.1.3.8
and 5.1.3.9); only "尾号" and the last four characters are.
"""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ui.voice_prompts import DEFAULT_LANGUAGE, LANGUAGES, PROMPTS

if TYPE_CHECKING:
    from PySide6.QtCore import QLocale
    from PySide6.QtMultimedia import QSoundEffect
    from PySide6.QtTextToSpeech import QTextToSpeech

log = logging.getLogger(__name__)

SILENT_LOG_LIMIT = 1000

VOICE_DIR = Path(__file__).resolve().parent.parent / "assets" / "voice"

# Seven or more digits (ASCII or fullwidth), optionally grouped by single spaces or hyphens
# as phone numbers are written, optionally ending in the X of an ID number's check digit
# (but not in the x that starts an English word).
_CHECK_X = r"(?:[XxＸｘ](?![A-Za-z]))?"
_NUMBER_RUN = re.compile(r"\d(?:[ \-]?\d){6,}" + _CHECK_X)
# An already-masked number such as 440***********1234: reading the stars aloud helps nobody.
_MASKED_RUN = re.compile(r"\d*[*＊]{3,}\d*" + _CHECK_X)


def _tail(run: str) -> str:
    chars = [c for c in run if c.isdigit() or c in "XxＸｘ"]
    return "尾号" + "".join(chars[-4:]).upper() if len(chars) >= 4 else ""


def speakable(text: str) -> str:
    """Make text safe to say on a public speaker.

    Any run of seven or more digits, which could be an ID, phone or card number, becomes
    '尾号' plus its last four characters; a masked number does the same, or is dropped when
    fewer than four of its characters are visible.
    """
    text = _MASKED_RUN.sub(lambda m: _tail(m.group()), text)
    return _NUMBER_RUN.sub(lambda m: _tail(m.group()), text)


def prompt_path(language: str, key: str) -> Path:
    return VOICE_DIR / language / f"{key}.wav"


@dataclass(frozen=True)
class Utterance:
    kind: Literal["prompt", "text"]
    value: str  # the prompt key, or the already filtered text
    language: str


class Speaker(ABC):
    """What a screen may ask of the voice.

    The base class keeps the rules every implementation must share: prompt keys are checked,
    dynamic text is filtered by ``speakable``, the last utterance is kept for 重听, a disabled
    speaker stays silent, and a new utterance always cuts off the one before it.
    """

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self._check_language(language)
        self._language = language
        self._enabled = True
        self._last: Utterance | None = None

    @property
    def language(self) -> str:
        return self._language

    @property
    def enabled(self) -> bool:
        return self._enabled

    @property
    def last(self) -> Utterance | None:
        return self._last

    def say(self, key: str) -> None:
        if key not in PROMPTS:
            raise KeyError(f"no voice prompt {key!r} in ui.voice_prompts.PROMPTS")
        self._speak(Utterance("prompt", key, self._language))

    def say_text(self, text: str) -> None:
        self._speak(Utterance("text", speakable(text), self._language))

    def repeat(self) -> None:
        """Say the last utterance again, in the language chosen now (it may have changed)."""
        if self._last is not None:
            self._speak(Utterance(self._last.kind, self._last.value, self._language))

    def stop(self) -> None:
        self._stop()

    def set_enabled(self, enabled: bool) -> None:
        self._enabled = enabled
        if not enabled:
            self._stop()

    def set_language(self, language: str) -> None:
        self._check_language(language)
        self._language = language
        self._language_changed(language)

    def _speak(self, utterance: Utterance) -> None:
        # Remembered even while disabled, so 重听 after turning the voice on says this screen.
        self._last = utterance
        self._stop()
        if not self._enabled:
            return
        if utterance.kind == "prompt":
            self._play_prompt(utterance)
        else:
            self._play_text(utterance)

    @staticmethod
    def _check_language(language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"voice language must be one of {sorted(LANGUAGES)}, not {language!r}")

    @abstractmethod
    def _play_prompt(self, utterance: Utterance) -> None: ...

    @abstractmethod
    def _play_text(self, utterance: Utterance) -> None: ...

    @abstractmethod
    def _stop(self) -> None: ...

    def _language_changed(self, language: str) -> None:  # noqa: B027 - optional hook
        pass


class SilentSpeaker(Speaker):
    """Makes no sound and keeps a log of what it would have said.

    Used by tests, and shipped for kiosks with the voice turned off or no speaker at all.
    ``said`` holds prompt keys and filtered texts in order, so a test reads
    ``said[-1] == "checkin_ok"``; ``utterances`` has the language and kind as well. Nothing
    is logged while disabled, because nothing would have been heard.
    """

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        super().__init__(language)
        self.said: list[str] = []
        self.utterances: list[Utterance] = []
        self.current: Utterance | None = None
        self.stops = 0

    def _play_prompt(self, utterance: Utterance) -> None:
        self._record(utterance)

    def _play_text(self, utterance: Utterance) -> None:
        self._record(utterance)

    def _record(self, utterance: Utterance) -> None:
        self.said.append(utterance.value)
        self.utterances.append(utterance)
        if len(self.said) > SILENT_LOG_LIMIT:
            # A voice-off kiosk runs for months: keep the recent half, not every word.
            del self.said[: SILENT_LOG_LIMIT // 2]
            del self.utterances[: SILENT_LOG_LIMIT // 2]
        self.current = utterance

    def _stop(self) -> None:
        self.stops += 1
        self.current = None


class QtSpeaker(Speaker):
    """Plays the generated WAV prompts and reads dynamic text with QTextToSpeech.

    QSoundEffect plays PCM WAV with low latency and no decoder. Dynamic text needs a real
    engine with a voice for the chosen language: the PySide6 wheels carry only the
    speech-dispatcher plugin (which needs the system's libspeechd) and a mock, so without them
    dynamic text stays silent rather than being read by a voice for another language. With no
    audio device Qt reports errors on the effect objects and plays nothing; nothing raises.
    Qt is imported on construction, so modules that only need ``SilentSpeaker`` or
    ``speakable`` do not load the multimedia stack.
    """

    def __init__(
        self,
        language: str = DEFAULT_LANGUAGE,
        *,
        tts_engine: str | None = None,
        any_voice: bool = False,
        voice_dir: Path = VOICE_DIR,
    ) -> None:
        """``tts_engine`` None picks the first real engine; "" turns dynamic text off.

        ``any_voice`` lets an engine with no voice for the language speak anyway: only for
        tests with the "mock" engine, whose voices are all European.
        """
        super().__init__(language)
        self._voice_dir = voice_dir
        self._effects: dict[tuple[str, str], QSoundEffect] = {}
        self._playing: QSoundEffect | None = None
        self._any_voice = any_voice
        self._tts_engine = tts_engine
        self._tts: QTextToSpeech | None = None
        self._tts_tried = False
        self._tts_has_voice = False
        self._preload(language)

    @property
    def tts(self) -> QTextToSpeech | None:
        """The QTextToSpeech in use, created on first need; None when there is none."""
        self._ensure_tts()
        return self._tts

    def _effect(self, language: str, key: str) -> QSoundEffect | None:
        from PySide6.QtCore import QUrl
        from PySide6.QtMultimedia import QSoundEffect

        path = self._voice_dir / language / f"{key}.wav"
        if not path.exists():
            return None
        effect = self._effects.get((language, key))
        if effect is None:
            effect = QSoundEffect()
            effect.setSource(QUrl.fromLocalFile(str(path)))
            self._effects[(language, key)] = effect
        return effect

    def _preload(self, language: str) -> None:
        # QSoundEffect loads in the background; loading every prompt of the language now
        # means the first tap on each screen is heard at once.
        for key in PROMPTS:
            self._effect(language, key)

    def _play_prompt(self, utterance: Utterance) -> None:
        effect = self._effect(utterance.language, utterance.value)
        if effect is None:
            log.warning("voice file missing: %s/%s.wav", utterance.language, utterance.value)
            text = speakable(PROMPTS[utterance.value])
            self._play_text(Utterance("text", text, utterance.language))
            return
        self._playing = effect
        effect.play()

    def _play_text(self, utterance: Utterance) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        self._ensure_tts()
        tts = self._tts
        if tts is None or tts.state() == QTextToSpeech.State.Error:
            return
        if not self._tts_has_voice:
            # An engine that started asynchronously may list its voices only now.
            self._choose_voice()
        if self._tts_has_voice:
            tts.say(utterance.value)
        else:
            log.debug("no speech engine voice for %s; dynamic text not spoken", self.language)

    def _stop(self) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        if self._playing is not None:
            self._playing.stop()
            self._playing = None
        if self._tts is not None and self._tts.state() in (
            QTextToSpeech.State.Speaking,
            QTextToSpeech.State.Paused,
            QTextToSpeech.State.Synthesizing,
        ):
            self._tts.stop(QTextToSpeech.BoundaryHint.Immediate)

    def _language_changed(self, language: str) -> None:
        self._preload(language)
        if self._tts is not None:
            self._choose_voice()

    def _ensure_tts(self) -> None:
        """Create the engine on first need: speech-dispatcher can be slow to answer at start."""
        if self._tts_tried:
            return
        self._tts_tried = True
        from PySide6.QtTextToSpeech import QTextToSpeech

        engines = QTextToSpeech.availableEngines()
        if self._tts_engine is None:
            real = [name for name in engines if name != "mock"]
            name = real[0] if real else ""
        else:
            name = self._tts_engine if self._tts_engine in engines else ""
        if not name:
            log.info("no text-to-speech engine; dynamic text will not be spoken")
            return
        tts = QTextToSpeech(name)
        if tts.state() == QTextToSpeech.State.Error:
            log.warning("text-to-speech engine %s failed: %s", name, tts.errorString())
            return
        self._tts = tts
        self._choose_voice()

    def _choose_voice(self) -> None:
        if self._tts is None:
            return
        locales = self._tts.availableLocales()
        matches = [loc for loc in locales if _is_language(loc, self.language)]
        if matches:
            self._tts.setLocale(matches[0])
            self._tts_has_voice = True
        else:
            self._tts_has_voice = self._any_voice
            if not self._any_voice:
                names = [loc.name() for loc in locales]
                log.info("speech engine has no %s voice (has %s)", self.language, names)


def _is_language(locale: QLocale, language: str) -> bool:
    from PySide6.QtCore import QLocale

    cantonese = locale.language() == QLocale.Language.Cantonese or (
        locale.language() == QLocale.Language.Chinese
        and locale.territory() in (QLocale.Country.HongKong, QLocale.Country.Macau)
    )
    if language == "yue":
        return cantonese
    return locale.language() == QLocale.Language.Chinese and not cantonese


def open_speaker(enabled: bool) -> Speaker:
    """The speaker for a station: Qt audio when the voice is on and the machine can play.

    Qt Multimedia needs the system's audio libraries (libpulse); a station image without
    them must still serve residents on screen, so the kiosk starts silent and says why in
    the log rather than not starting at all.
    """
    if not enabled:
        return SilentSpeaker()
    try:
        return QtSpeaker()
    except ImportError as error:
        log.warning("voice output unavailable, starting without sound: %s", error)
        return SilentSpeaker()
