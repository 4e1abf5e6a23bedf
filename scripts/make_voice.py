"""Generate the spoken prompts in ``assets/voice/<lang>/<key>.wav`` from ``ui/voice_prompts.py``.

The kiosk must speak offline in 普通话 and 粤语, and files made ahead of time need no speech
engine on the kiosk (the PySide6 wheels bring none). Until a person records the prompts,
espeak-ng synthesises them; the files are 16 kHz mono 16-bit PCM WAV, which
QSoundEffect plays with no codec. A manifest records a hash of each text, so a test fails when
a prompt's text changes and its audio was not made again.

Usage (needs Debian's espeak-ng and sox: ``apt-get install -y espeak-ng sox``)::

    python3 scripts/make_voice.py            # every prompt, both languages
    python3 scripts/make_voice.py --only home checkin_ok
    python3 scripts/make_voice.py --check    # report missing or stale files, write nothing
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
VOICE_DIR = ROOT / "assets" / "voice"
MANIFEST = VOICE_DIR / "manifest.json"
# Our language key -> espeak-ng voice. Mandarin uses "cmn-latn-pinyin", not "cmn": in
# Debian 12's espeak-ng 1.51 the plain "cmn" voice reads the tone digits of its own pinyin
# as English words (党员 -> "dang three yuan three"); the pinyin variant reads them as tones.
ESPEAK_VOICES = {"zh": "cmn-latn-pinyin", "yue": "yue"}
# Words per minute (espeak-ng's default is 175). Both give about 3.5 characters a second,
# unhurried for elderly listeners; the Cantonese voice speaks faster at the same setting.
SPEED = {"zh": 175, "yue": 150}
SAMPLE_RATE = 16000
# -R makes the dither repeatable, so remaking unchanged prompts leaves the files unchanged.
# Trim leading and trailing silence, normalise to -3 dBFS, then resample with the
# high-quality filter; a short pad keeps slow-waking audio devices from clipping the onset.
SOX_EFFECTS = [
    *("silence 1 0.02 0.1% reverse silence 1 0.02 0.1% reverse".split()),
    *("gain -n -3".split()),
    *(f"rate -v {SAMPLE_RATE}".split()),
    *("pad 0.05 0.05".split()),
]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _prompts_module() -> ModuleType:
    """Load the table by path, so the script runs with any python3 and no installed package."""
    path = ROOT / "ui" / "voice_prompts.py"
    spec = importlib.util.spec_from_file_location("voice_prompts", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tool_versions() -> dict[str, str]:
    espeak = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True)
    sox = subprocess.run(["sox", "--version"], capture_output=True, text=True, check=True)
    return {
        "espeak-ng": espeak.stdout.split("Data at")[0].strip(),
        "sox": sox.stdout.strip().removeprefix("sox:").strip(),
    }


def synthesise(text: str, lang: str, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        subprocess.run(
            ["espeak-ng", "-v", ESPEAK_VOICES[lang], "-s", str(SPEED[lang]), "-w", str(raw), text],
            check=True,
        )
        output = ["-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", "-e", "signed", str(out)]
        subprocess.run(["sox", "-R", str(raw), *output, *SOX_EFFECTS], check=True)


def _load_manifest() -> dict[str, object]:
    if MANIFEST.exists():
        loaded: dict[str, object] = json.loads(MANIFEST.read_text(encoding="utf-8"))
        return loaded
    return {}


def stale(prompts: dict[str, str]) -> list[str]:
    """Name every (language, key) whose file is missing or was made from other text."""
    hashes = _load_manifest().get("prompts", {})
    assert isinstance(hashes, dict)
    problems = []
    for lang in ESPEAK_VOICES:
        for key, text in prompts.items():
            if not (VOICE_DIR / lang / f"{key}.wav").exists():
                problems.append(f"{lang}/{key}: missing")
            elif hashes.get(lang, {}).get(key) != text_hash(text):
                problems.append(f"{lang}/{key}: text changed since the audio was made")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="KEY", help="prompt keys to remake")
    parser.add_argument("--lang", choices=sorted(ESPEAK_VOICES), action="append")
    parser.add_argument("--check", action="store_true", help="report problems, write nothing")
    args = parser.parse_args(argv)
    prompts: dict[str, str] = _prompts_module().PROMPTS

    if args.check:
        problems = stale(prompts)
        print("\n".join(problems) or "all prompt files present and current")
        return 1 if problems else 0

    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        print(f"needs {' and '.join(missing)}: apt-get install -y espeak-ng sox", file=sys.stderr)
        return 2
    unknown = sorted(set(args.only or ()) - prompts.keys())
    if unknown:
        print(f"unknown prompt keys: {', '.join(unknown)}", file=sys.stderr)
        return 2

    made = _load_manifest().get("prompts", {})
    assert isinstance(made, dict)
    hashes: dict[str, dict[str, str]] = {lang: dict(made.get(lang, {})) for lang in ESPEAK_VOICES}
    for lang in args.lang or sorted(ESPEAK_VOICES):
        for key in args.only or prompts:
            synthesise(prompts[key], lang, VOICE_DIR / lang / f"{key}.wav")
            hashes[lang][key] = text_hash(prompts[key])
        # A prompt removed from the table leaves no orphan file behind.
        for wav in sorted((VOICE_DIR / lang).glob("*.wav")):
            if wav.stem not in prompts:
                wav.unlink()
                hashes[lang].pop(wav.stem, None)
                print(f"removed {wav.relative_to(ROOT)}")

    manifest = {
        "generator": "scripts/make_voice.py",
        "tools": _tool_versions(),
        "voices": ESPEAK_VOICES,
        "speed_wpm": SPEED,
        "sample_rate": SAMPLE_RATE,
        "prompts": {lang: dict(sorted(h.items())) for lang, h in sorted(hashes.items())},
    }
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    total = sum(p.stat().st_size for p in VOICE_DIR.rglob("*.wav"))
    print(f"{len(list(VOICE_DIR.rglob('*.wav')))} files, {total / 1e6:.2f} MB in assets/voice")
    return 0


if __name__ == "__main__":
    sys.exit(main())
