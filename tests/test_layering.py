"""Imports point one way: ui -> services -> api | store | render (ARCHITECTURE.md, principle 1).

``api/``, ``store/`` and ``render/`` never import Qt (render makes Qt rich
text as plain HTML strings), none of them reaches up into services or ui, and
services never import ui.
"""

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


QT_FREE_LAYERS = ("api", "store", "render", "attachments")


@pytest.mark.parametrize("layer", QT_FREE_LAYERS)
def test_domain_layers_import_no_qt(layer: str) -> None:
    # A layer may import itself but nothing above it; render sits beside api and
    # store, and they never need it.
    above = tuple(
        name
        for name in ("foxchat.ui", "foxchat.services", "foxchat.render")
        if name != f"foxchat.{layer}"
    )
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for name in _imported_modules(path)
        if name.split(".")[0] in {"PySide6", "shiboken6", "qasync"} or name.startswith(above)
    ]
    assert offenders == []


def test_services_never_import_ui() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / "services").rglob("*.py"))
        for name in _imported_modules(path)
        if name == "foxchat.ui" or name.startswith("foxchat.ui.")
    ]
    assert offenders == []


def test_no_layer_uses_relative_imports_the_checks_above_would_miss() -> None:
    relative = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level > 0
    ]
    assert relative == []


def test_qt_free_layers_load_without_qt_in_a_fresh_interpreter() -> None:
    import subprocess
    import sys

    packages = ", ".join(f"foxchat.{layer}" for layer in QT_FREE_LAYERS)
    code = (
        f"import sys, pkgutil, importlib, {packages}\n"
        f"for pkg in ({packages}):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "assert not any(n.startswith('PySide6') for n in sys.modules), 'Qt loaded'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_export_uses_no_ui_or_services_and_its_html_no_qt() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / "export").rglob("*.py"))
        for name in _imported_modules(path)
        if name.startswith(("foxchat.ui", "foxchat.services"))
        or (path.name == "html.py" and name.split(".")[0] in {"PySide6", "shiboken6"})
    ]
    assert offenders == []
