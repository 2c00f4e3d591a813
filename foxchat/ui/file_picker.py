"""The system's file pickers, behind one small function type widgets take in.

A widget that lets the user pick a file takes an :data:`AskPath` in its
constructor (defaulting to the real pickers here), so tests answer with a
path of their own instead of patching ``QFileDialog``, as the welcome
dialog's ``confirm`` does for its questions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QFileDialog

#: ``(parent, title, start, file_filter) -> chosen path``, or None when cancelled.
AskPath = Callable[[QWidget, str, Path, str], Path | None]


def _file_dialog() -> type[QFileDialog]:
    """QFileDialog, loaded when a picker opens: the window that offers one is built
    before its first paint, which need not build the dialog's Python type (its enums)."""
    from PySide6.QtWidgets import QFileDialog

    return QFileDialog


def ask_save_path(parent: QWidget, title: str, start: Path, file_filter: str) -> Path | None:
    """Ask where to save, starting at ``start``; None if the user cancels."""
    name, _chosen_filter = _file_dialog().getSaveFileName(parent, title, str(start), file_filter)
    return Path(name) if name else None


def ask_open_path(parent: QWidget, title: str, start: Path, file_filter: str) -> Path | None:
    """Ask which file to open, starting in ``start``; None if the user cancels."""
    name, _chosen_filter = _file_dialog().getOpenFileName(parent, title, str(start), file_filter)
    return Path(name) if name else None


#: ``(parent, title, start, file_filter) -> chosen paths`` (empty when cancelled).
AskPaths = Callable[[QWidget, str, Path, str], list[Path]]


def ask_open_paths(parent: QWidget, title: str, start: Path, file_filter: str) -> list[Path]:
    """Ask which files to open (several may be chosen); empty if the user cancels."""
    names, _chosen_filter = _file_dialog().getOpenFileNames(parent, title, str(start), file_filter)
    return [Path(name) for name in names]
