"""Voice guidance: the privacy filter, the speaker rules, the Qt speaker with no sound card,
and the generated prompt files."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from ui.speaker import (
    SILENT_LOG_LIMIT,
    VOICE_DIR,
    QtSpeaker,
    SilentSpeaker,
    Speaker,
    Utterance,
    _is_language,
    open_speaker,
    prompt_path,
    speakable,
)
from ui.voice_prompts import LANGUAGES, PROMPTS

ROOT = Path(__file__).resolve().parents[2]
LONG_NUMBER = re.compile(r"\d(?:[ \-]?\d){6,}")


# --- speakable ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("身份证号440106199001011234", "身份证号尾号1234"),
        ("44010619900101123X", "尾号123X"),
        ("44010619900101123x，请核对", "尾号123X，请核对"),
        ("440106900101123", "尾号1123"),  # 15-digit legacy ID
        ("电话13812345678", "电话尾号5678"),
        ("电话 138 1234 5678 或 138-1234-5678", "电话 尾号5678 或 尾号5678"),
        ("１３８１２３４５６７８", "尾号５６７８"),
        ("440***********1234", "尾号1234"),
        ("手机138****5678已登记", "手机尾号5678已登记"),
        ("440******", ""),
        ("44010619900101123Ｘ", "尾号123Ｘ"),
        ("call 13812345678 xyz", "call 尾号5678 xyz"),
        ("+86 138 1234 5678", "+尾号5678"),
        ("张*英，09:12 签到，获得1.5个时间币，活动编号123456", None),
        ("2024年12月25日 第3场 1500分钟", None),
    ],
)
def test_speakable_keeps_only_the_last_four(text: str, spoken: str | None) -> None:
    assert speakable(text) == (text if spoken is None else spoken)


@given(st.text(alphabet="0123456789１２Xx -*＊号a", max_size=60))
def test_speakable_never_leaves_a_long_number(text: str) -> None:
    out = speakable(text)
    assert LONG_NUMBER.search(out) is None, (text, out)
    assert "***" not in out


# --- the shared speaker rules ---------------------------------------------------------


def test_say_records_prompt_keys_and_rejects_unknown_ones() -> None:
    speaker = SilentSpeaker()
    speaker.say("home")
    speaker.say("checkin_ok")
    assert speaker.said == ["home", "checkin_ok"]
    assert speaker.utterances[-1] == Utterance("prompt", "checkin_ok", "zh")
    with pytest.raises(KeyError):
        speaker.say("no_such_prompt")


def test_say_text_is_filtered_before_any_implementation_sees_it() -> None:
    speaker = SilentSpeaker()
    speaker.say_text("张*英 440106199001011234 签到成功")
    assert speaker.said == ["张*英 尾号1234 签到成功"]
    assert speaker.last == Utterance("text", "张*英 尾号1234 签到成功", "zh")


def test_every_new_utterance_interrupts_the_last() -> None:
    speaker = SilentSpeaker()
    speaker.say("home")
    stops = speaker.stops
    speaker.say_text("第二句")
    assert speaker.stops == stops + 1
    assert speaker.current == Utterance("text", "第二句", "zh")
    speaker.stop()
    assert speaker.current is None


def test_repeat_replays_the_last_prompt_in_the_chosen_language() -> None:
    speaker = SilentSpeaker()
    speaker.repeat()  # nothing said yet: nothing to repeat
    assert speaker.said == []
    speaker.say("need_time")
    speaker.set_language("yue")
    speaker.repeat()
    assert speaker.utterances[-2:] == [
        Utterance("prompt", "need_time", "zh"),
        Utterance("prompt", "need_time", "yue"),
    ]


def test_disabled_speaker_is_silent_but_remembers_for_repeat() -> None:
    speaker = SilentSpeaker()
    speaker.say("home")
    speaker.set_enabled(False)
    assert speaker.current is None
    speaker.say("coins")
    speaker.say_text("您有12个时间币")
    assert speaker.said == ["home"]
    speaker.set_enabled(True)
    speaker.repeat()
    assert speaker.said == ["home", "您有12个时间币"]


def test_language_must_be_mandarin_or_cantonese() -> None:
    speaker = SilentSpeaker()
    with pytest.raises(ValueError, match="voice language"):
        speaker.set_language("en")
    with pytest.raises(ValueError):
        SilentSpeaker("zh_CN")
    assert set(LANGUAGES) == {"zh", "yue"}


def test_speaker_module_loads_no_multimedia_until_a_qt_speaker_is_made() -> None:
    code = (
        "import sys, ui.speaker\n"
        "ui.speaker.SilentSpeaker().say('home')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[-1] in "
        "('QtMultimedia', 'QtTextToSpeech')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


# --- QtSpeaker ------------------------------------------------------------------------


def test_qt_speaker_plays_every_prompt_without_an_audio_device(qtbot: QtBot) -> None:
    # Default construction, as the app does it. Only prompts are said, so no speech engine is
    # started and the test does not depend on a speech-dispatcher on the machine.
    speaker = QtSpeaker()
    assert isinstance(speaker, Speaker)
    for language in LANGUAGES:
        speaker.set_language(language)
        for key in PROMPTS:
            speaker.say(key)
    speaker.repeat()
    qtbot.wait(200)
    speaker.stop()
    speaker.set_enabled(False)
    speaker.say("home")
    speaker.set_enabled(True)
    speaker.say("goodbye")
    qtbot.wait(100)
    speaker.stop()


def test_qt_speaker_without_engine_keeps_dynamic_text_silent(qtbot: QtBot) -> None:
    speaker = QtSpeaker(tts_engine="")
    speaker.say_text("请到 440106199001011234 窗口")
    speaker.repeat()
    qtbot.wait(50)
    assert speaker.tts is None
    assert speaker.last == Utterance("text", "请到 尾号1234 窗口", "zh")


def test_qt_speaker_falls_back_to_the_engine_when_a_prompt_file_is_missing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    speaker = QtSpeaker(voice_dir=tmp_path, tts_engine="")
    speaker.say("home")
    assert speaker.last == Utterance("prompt", "home", "zh")


def test_qt_speaker_sends_only_filtered_text_to_the_engine(qtbot: QtBot) -> None:
    speaker = QtSpeaker(tts_engine="mock", any_voice=True)
    tts = speaker.tts
    assert tts is not None
    words: list[str] = []
    tts.sayingWord.connect(lambda word, *_: words.append(word))
    speaker.say_text("phone 13812345678 id 44010619900101123X done")
    qtbot.waitUntil(lambda: "done" in words, timeout=5000)
    spoken = " ".join(words)
    assert "13812345678" not in spoken
    assert "44010619900101123X" not in spoken
    assert "5678" in spoken
    assert "123X" in spoken
    speaker.say("home")  # a prompt cuts the engine off
    qtbot.waitUntil(lambda: tts.state() != tts.State.Speaking, timeout=2000)


def test_mock_engine_without_chinese_voice_stays_silent(qtbot: QtBot) -> None:
    speaker = QtSpeaker(tts_engine="mock")
    tts = speaker.tts
    assert tts is not None
    words: list[str] = []
    tts.sayingWord.connect(lambda word, *_: words.append(word))
    speaker.say_text("hello world")
    qtbot.wait(300)
    assert words == []


@pytest.mark.parametrize(
    ("locale", "language"),
    [("zh_CN", "zh"), ("zh_TW", "zh"), ("yue_HK", "yue"), ("zh_HK", "yue"), ("en_US", None)],
)
def test_engine_voices_are_matched_by_language(locale: str, language: str | None) -> None:
    for lang in LANGUAGES:
        assert _is_language(QLocale(locale), lang) == (lang == language)


# --- the generated prompt files ------------------------------------------------------


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_prompt_has_a_valid_wav_in_each_language(language: str) -> None:
    for key in PROMPTS:
        path = prompt_path(language, key)
        assert path.is_file(), f"missing {path}: run scripts/make_voice.py"
        with wave.open(str(path), "rb") as wav:
            assert wav.getnchannels() == 1
            assert wav.getsampwidth() == 2
            assert wav.getframerate() == 16000
            seconds = wav.getnframes() / wav.getframerate()
        assert 0.3 < seconds < 15, (path, seconds)
    stray = sorted(p.stem for p in (VOICE_DIR / language).glob("*") if p.stem not in PROMPTS)
    assert stray == []


def test_prompt_audio_was_made_from_the_current_text() -> None:
    manifest = json.loads((VOICE_DIR / "manifest.json").read_text(encoding="utf-8"))
    for language in LANGUAGES:
        made = manifest["prompts"][language]
        stale = [
            key
            for key, text in PROMPTS.items()
            if made.get(key) != hashlib.sha256(text.encode()).hexdigest()[:16]
        ]
        assert stale == [], f"run scripts/make_voice.py --only {' '.join(stale)}"


def test_voice_assets_stay_small() -> None:
    total = sum(p.stat().st_size for p in VOICE_DIR.rglob("*.wav"))
    assert total < 5_000_000


def test_station_without_audio_libraries_starts_silent(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # What a station image without libpulse looks like to Python: Qt Multimedia won't import.
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)
    speaker = open_speaker(enabled=True)
    assert isinstance(speaker, SilentSpeaker)
    assert "voice output unavailable" in caplog.text
    speaker.say("home")
    assert speaker.said == ["home"]
    assert isinstance(open_speaker(enabled=False), SilentSpeaker)


def test_silent_speaker_keeps_only_recent_words() -> None:
    speaker = SilentSpeaker()
    for n in range(SILENT_LOG_LIMIT * 3):
        speaker.say_text(f"第{n}位")
    assert len(speaker.said) <= SILENT_LOG_LIMIT
    assert len(speaker.utterances) == len(speaker.said)
    assert speaker.said[-1] == f"第{SILENT_LOG_LIMIT * 3 - 1}位"
