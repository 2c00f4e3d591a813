"""Signals name the class they carry, so a slot can take that type without isinstance guards.

``Signal(object)`` tells neither a reader nor mypy what arrives, and the slots
behind it grew ``isinstance`` checks that hid wiring mistakes. The two that
must stay carry a value no single class can name; each says why beside it.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "foxchat"

#: (file, signal) pairs whose payload no single class can name, each with why.
UNTYPED_ON_PURPOSE = {
    # str | None: a Signal cannot name an optional type.
    ("services/account.py", "key_loaded"),
    # a different type per editor (tools tuple, schema dict); on_value() is typed.
    ("ui/params/json_editor.py", "value_changed"),
}


def _signals_carrying_object(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        call = node.value
        if not (isinstance(call.func, ast.Name) and call.func.id == "Signal"):
            continue
        if any(isinstance(arg, ast.Name) and arg.id == "object" for arg in call.args):
            found.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return found


def test_signals_name_the_class_they_carry() -> None:
    untyped = {
        (str(path.relative_to(PACKAGE)), name)
        for path in sorted(PACKAGE.rglob("*.py"))
        for name in _signals_carrying_object(path)
    }
    assert untyped == UNTYPED_ON_PURPOSE
