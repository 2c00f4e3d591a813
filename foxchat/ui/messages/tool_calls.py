"""Tool calls as readable cards, with a place to type each result.

A reply that asks for tools shows one card per call: the function's name,
its arguments pretty-printed (and a plain note when they are not valid
JSON), and a box for the result. "Send results" hands the results back in
call order; the chat service stores them as ``tool`` messages.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from foxchat.api import ToolCall
from foxchat.i18n import _


def pretty_arguments(arguments: str) -> tuple[str, str | None]:
    """The arguments indented for reading, and a problem when they are not JSON."""
    try:
        value = json.loads(arguments) if arguments.strip() else {}
    except json.JSONDecodeError as exc:
        return arguments, _("The model sent arguments that are not valid JSON ({problem}).").format(
            problem=exc.msg
        )
    if not isinstance(value, dict):
        return json.dumps(value, indent=2, ensure_ascii=False), _("Arguments should be an object.")
    return json.dumps(value, indent=2, ensure_ascii=False), None


class ToolCallCard(QFrame):
    """One call: name, arguments, and the result the user provides."""

    def __init__(self, call: ToolCall, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolCallCard")
        self.call = call
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        name = _escape(call.name or _("(no name)"))
        title = QLabel(_("Tool call: <b>{name}</b>").format(name=name), self)
        title.setObjectName("toolCallName")
        pretty, problem = pretty_arguments(call.arguments)
        self.arguments = QLabel(pretty, self)
        self.arguments.setObjectName("toolCallArguments")
        self.arguments.setFont(mono)
        self.arguments.setWordWrap(True)
        self.arguments.setTextFormat(self.arguments.textFormat().PlainText)
        self.problem = QLabel(problem or "", self)
        self.problem.setObjectName("toolCallProblem")
        self.problem.setVisible(problem is not None)
        self.result = QPlainTextEdit(self)
        self.result.setObjectName("toolResult")
        self.result.setAccessibleName(_("Result of {name}").format(name=call.name))
        self.result.setPlaceholderText(_("Type or paste what the tool returned…"))
        self.result.setFixedHeight(64)
        self.result.setFont(mono)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(title)
        layout.addWidget(self.arguments)
        layout.addWidget(self.problem)
        layout.addWidget(self.result)


class ToolCallsPanel(QWidget):
    """Cards for every call in a reply, and the button that sends the results."""

    results_submitted = Signal(list)  # [(tool_call_id, result), ...]

    def __init__(self, calls: Sequence[ToolCall], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolCallsPanel")
        self.cards = [ToolCallCard(call, self) for call in calls]
        self.send_button = QPushButton(_("Send results"), self)
        self.send_button.setObjectName("sendToolResultsButton")
        self.send_button.setAccessibleName(_("Send tool results"))
        self.hint = QLabel(_("Fill in a result for each call."), self)
        self.hint.setObjectName("toolResultsHint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for card in self.cards:
            layout.addWidget(card)
        row = QHBoxLayout()
        row.addWidget(self.hint, 1)
        row.addWidget(self.send_button)
        layout.addLayout(row)
        self.send_button.clicked.connect(self._submit)

    def set_answered(self, answered: bool) -> None:
        """Once results were sent, the cards become a record, not a form."""
        for card in self.cards:
            card.result.setVisible(not answered)
        self.send_button.setVisible(not answered)
        self.hint.setVisible(not answered)

    def _submit(self) -> None:
        results = [(card.call.id, card.result.toPlainText()) for card in self.cards]
        if any(not text.strip() for _id, text in results):
            self.hint.setText(_("Every call needs a result before the model can go on."))
            return
        self.results_submitted.emit(results)


def _escape(text: str) -> str:
    from foxchat.ui.text import escape_html

    return escape_html(text)
