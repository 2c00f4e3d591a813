"""Asking the person yes or no: one function type widgets take, and the real box.

Widgets that must ask before doing something (an unencrypted address, a long
document) take a :data:`Confirm` in their constructor, so tests answer
without a message box; by default it is :func:`ask_with_message_box`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

#: ``(title, question) -> yes``.
Confirm = Callable[[str, str], bool]


def ask_with_message_box(parent: QWidget) -> Confirm:
    """The real confirmation: a Yes/No message box over ``parent``, defaulting to No."""

    def confirm(title: str, question: str) -> bool:
        # Loaded on the first question: the first paint does not wait for QMessageBox.
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            parent,
            title,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    return confirm
