"""The domain layers never import Qt (ARCHITECTURE.md, principle 1)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "foxchat"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", ["api", "store"])
def test_domain_layers_import_no_qt(layer: str) -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for name in _imported_modules(path)
        if name.split(".")[0] in {"PySide6", "shiboken6", "qasync", "foxchat.ui"}
        or name.startswith(("foxchat.ui", "foxchat.services", "foxchat.render"))
    ]
    assert offenders == []


def test_api_and_store_load_without_qt_in_a_fresh_interpreter() -> None:
    import subprocess
    import sys

    code = (
        "import sys, pkgutil, importlib, foxchat.api, foxchat.store\n"
        "for pkg in (foxchat.api, foxchat.store):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "assert not any(n.startswith('PySide6') for n in sys.modules), 'Qt loaded'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
