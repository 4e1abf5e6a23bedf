"""Rebuild ``assets/fonts/NotoSansCJKsc-Regular.subset.otf`` from Debian's ``fonts-noto-cjk``.

The kiosk must show every name on a resident's ID card, including rare characters from CJK
Extension A (䶮 U+4DAE), on a machine that has no CJK font installed, and Qt's wheels ship no
fonts. The full Noto Sans CJK collection is 19 MB and mostly Japanese, Korean and vertical
forms the kiosk never shows, so we commit one Simplified Chinese face cut down to the blocks
below. Hinting is kept: FreeType's CFF engine uses it to keep small staff-screen text crisp.

Usage::

    .venv/bin/pip install fontTools          # a tool for this script only, not a dependency
    apt-get install fonts-noto-cjk            # or let the script `apt-get download` it
    .venv/bin/python scripts/subset_font.py [--source NotoSansCJK-Regular.ttc]

It takes about two minutes and fails if any code point of a required block that the source
maps is missing from the result.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "fonts" / "NotoSansCJKsc-Regular.subset.otf"
DEBIAN_TTC = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
POSTSCRIPT_NAME = "NotoSansCJKsc-Regular"
EXPECTED_VERSION = "Version 2.004"

# Blocks every character of which must survive (where the source has it).
REQUIRED = {
    "Basic Latin (printable ASCII)": (0x0020, 0x007E),
    "CJK Symbols and Punctuation": (0x3000, 0x303F),
    "CJK Unified Ideographs Extension A": (0x3400, 0x4DBF),
    "CJK Unified Ideographs": (0x4E00, 0x9FFF),
    "Halfwidth and Fullwidth Forms": (0xFF00, 0xFFEF),
}
# Smaller blocks kept because notices, receipts and buttons use them (× · ¥ — … “” ℃ ① ▲ ★ ㎡).
EXTRA = [
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2010, 0x205E),  # General Punctuation
    (0x2100, 0x214F),  # Letterlike Symbols
    (0x2160, 0x217F),  # Roman numerals
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical Operators
    (0x2460, 0x24FF),  # Enclosed Alphanumerics
    (0x2500, 0x257F),  # Box Drawing
    (0x25A0, 0x25FF),  # Geometric Shapes
    (0x2600, 0x26FF),  # Miscellaneous Symbols
    (0x3200, 0x32FF),  # Enclosed CJK Letters and Months
    (0x3300, 0x33FF),  # CJK Compatibility (units)
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs (some name characters arrive as these)
    (0xFE10, 0xFE1F),  # Vertical Forms
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFFFD, 0xFFFD),  # replacement character
]
# Horizontal text only: vertical and locale-variant (JP/KR/TC) glyphs would double the file.
LAYOUT_FEATURES = ["ccmp", "kern", "liga", "calt", "mark", "mkmk"]


def _codepoints() -> list[int]:
    spans = [*REQUIRED.values(), *EXTRA]
    return sorted({cp for lo, hi in spans for cp in range(lo, hi + 1)})


def _debian_ttc(workdir: Path) -> Path:
    """Fetch the .deb without installing it, so the build machine keeps no 80 MB of fonts."""
    subprocess.run(["apt-get", "download", "fonts-noto-cjk"], cwd=workdir, check=True)
    deb = next(workdir.glob("fonts-noto-cjk_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(deb), str(workdir / "x")], check=True)
    return workdir / "x" / DEBIAN_TTC.relative_to("/")


def _pick_face(source: Path, workdir: Path) -> Path:
    from fontTools.ttLib import TTCollection

    if source.suffix.lower() != ".ttc":
        return source
    faces = TTCollection(str(source), lazy=True).fonts
    for face in faces:
        if face["name"].getDebugName(6) == POSTSCRIPT_NAME:
            out = workdir / f"{POSTSCRIPT_NAME}.otf"
            face.recalcTimestamp = False
            face.save(str(out))
            return out
    names = [face["name"].getDebugName(6) for face in faces]
    raise SystemExit(f"{POSTSCRIPT_NAME} not in {source}: {names}")


def _coverage(cmap: dict[int, str], lo: int, hi: int) -> int:
    return sum(1 for cp in range(lo, hi + 1) if cp in cmap)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="NotoSansCJK-Regular.ttc or an SC .otf")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        from fontTools import subset
        from fontTools.ttLib import TTFont
    except ImportError:
        print("needs fontTools: .venv/bin/pip install fontTools", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        source = args.source or (DEBIAN_TTC if DEBIAN_TTC.exists() else _debian_ttc(workdir))
        face_path = _pick_face(source, workdir)
        src_cmap = TTFont(str(face_path), lazy=True).getBestCmap()
        version = TTFont(str(face_path), lazy=True)["name"].getDebugName(5) or ""
        if not version.startswith(EXPECTED_VERSION):
            print(f"note: source is {version!r}, the shipped font was made from {EXPECTED_VERSION}")

        opts = subset.Options()
        opts.layout_features = LAYOUT_FEATURES
        opts.hinting = True
        opts.name_IDs = ["*"]  # keep copyright, licence and trademark notices (OFL condition 2)
        opts.name_languages = ["*"]
        opts.notdef_outline = True
        font = subset.load_font(str(face_path), opts)
        subsetter = subset.Subsetter(opts)
        subsetter.populate(unicodes=_codepoints())
        subsetter.subset(font)
        font.recalcTimestamp = False  # keep the source's date: same input, same bytes
        args.out.parent.mkdir(parents=True, exist_ok=True)
        subset.save_font(font, str(args.out), opts)

    out_cmap = TTFont(str(args.out), lazy=True).getBestCmap()
    failed = False
    for block, (lo, hi) in REQUIRED.items():
        have, source_has = _coverage(out_cmap, lo, hi), _coverage(src_cmap, lo, hi)
        print(f"{block} U+{lo:04X}..U+{hi:04X}: {have}/{hi - lo + 1} (source {source_has})")
        failed |= have != source_has
    print(f"{args.out}: {args.out.stat().st_size} bytes, {len(out_cmap)} chars")
    if failed:
        print("a required block lost characters", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
