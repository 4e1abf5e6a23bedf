"""Collect the kiosk's screen texts into the English catalogue and compile it for Qt.

Every visible string in ``ui/`` is a literal Chinese text passed to ``tr("...")`` or marked
with ``N_("...")`` (ui/i18n.py),
all in one translation context. This script finds them with the AST (so it also catches a
``tr`` given something other than a literal, which could never be translated), merges them
into ``assets/i18n/timebank_en.ts`` keeping existing translations, and runs Qt's
``lrelease`` to make the ``.qm`` the kiosk loads.

    python scripts/i18n.py            # update the .ts and compile the .qm
    python scripts/i18n.py --check    # exit 1 if a text is untranslated or the .qm is stale
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "ui"
TS = ROOT / "assets" / "i18n" / "timebank_en.ts"
QM = TS.with_suffix(".qm")
CONTEXT = "kiosk"


def collect(root: Path = UI) -> tuple[dict[str, str], list[str]]:
    """Source text -> first place it is used; and every tr() call without a literal."""
    found: dict[str, str] = {}
    problems: list[str] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in ("tr", "N_") or not node.args:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault(arg.value, where)
            elif not (isinstance(arg, ast.Name) and path.name == "i18n.py"):
                problems.append(f"{where}: tr() needs a literal text")
    return found, problems


def read_ts(path: Path = TS) -> dict[str, str]:
    if not path.exists():
        return {}
    out = {}
    for message in ET.parse(path).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is not None and translation.get("type") not in ("unfinished", "obsolete"):
            out[source] = translation.text or ""
    return out


def write_ts(sources: dict[str, str], translations: dict[str, str], path: Path = TS) -> int:
    """Write the catalogue; returns how many texts still need a translation."""
    ts = ET.Element("TS", version="2.1", language="en_US", sourcelanguage="zh_CN")
    context = ET.SubElement(ts, "context")
    ET.SubElement(context, "name").text = CONTEXT
    missing = 0
    for source in sorted(sources):
        message = ET.SubElement(context, "message")
        # File only: line numbers would churn the catalogue on every edit.
        ET.SubElement(message, "location", filename=sources[source].rsplit(":", 1)[0])
        ET.SubElement(message, "source").text = source
        element = ET.SubElement(message, "translation")
        if translations.get(source):
            element.text = translations[source]
        else:
            element.set("type", "unfinished")
            missing += 1
    ET.indent(ts)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ET.tostring(ts, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n")
    return missing


def lrelease() -> str:
    for name in ("pyside6-lrelease", "lrelease"):
        found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
        if found:
            return found
    raise SystemExit("lrelease not found (it comes with PySide6)")


def compile_qm(ts: Path, qm: Path) -> None:
    subprocess.run([lrelease(), "-silent", str(ts), "-qm", str(qm)], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    sources, problems = collect()
    for problem in problems:
        print(problem, file=sys.stderr)
    translations = read_ts()
    if args.check:
        missing = sorted(s for s in sources if not translations.get(s))
        for text in missing:
            print(f"untranslated: {text!r} ({sources[text]})", file=sys.stderr)
        with tempfile.TemporaryDirectory() as tmp:
            fresh_ts = Path(tmp) / "fresh.ts"
            write_ts(sources, translations, fresh_ts)
            fresh_qm = Path(tmp) / "fresh.qm"
            compile_qm(fresh_ts, fresh_qm)
            stale = not QM.exists() or QM.read_bytes() != fresh_qm.read_bytes()
        if stale:
            print(f"{QM.relative_to(ROOT)} is stale: run scripts/i18n.py", file=sys.stderr)
        return 1 if problems or missing or stale else 0
    missing = write_ts(sources, translations)
    compile_qm(TS, QM)
    print(f"{len(sources)} texts, {missing} without a translation")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
