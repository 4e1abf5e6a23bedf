"""The core never depends on the UI, and the CLI starts without heavy layers."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ("kiosk", "sync", "devices", "server")
FORBIDDEN = ("PySide6", "ui")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_packages_never_import_qt_or_ui() -> None:
    offenders = []
    for pkg in CORE:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            for name in _imports(path):
                if name.split(".")[0] in FORBIDDEN:
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_ui_never_touches_the_database_or_serial_ports_itself() -> None:
    """Screens call kiosk services through the operation helper; drivers own the ports."""
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / "ui").rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in ("sqlalchemy", "serial")
    ]
    assert offenders == []


def test_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtWidgets import QWidget\nimport ui.main\n")
    assert [n.split(".")[0] for n in _imports(bad)] == ["PySide6", "ui"]


def test_db_check_loads_no_qt_fastapi_or_serial(tmp_path: Path) -> None:
    code = (
        "import sys, json\n"
        "from kiosk.entry import main\n"
        f"rc = main(['db', 'upgrade', '--data-dir', {str(tmp_path)!r}])\n"
        f"rc = main(['db', 'check', '--data-dir', {str(tmp_path)!r}])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'fastapi', 'serial', 'uvicorn', 'starlette'))\n"
        "print(json.dumps({'rc': rc, 'heavy': heavy}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"rc": 0, "heavy": []}
