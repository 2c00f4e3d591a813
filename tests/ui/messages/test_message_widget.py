"""One message bubble: what a reply shows once it has ended."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from foxchat.store import MessageStatus, StoredMessage
from foxchat.ui.messages.markdown_view import MarkdownView
from foxchat.ui.messages.message_widget import MessageWidget

PARTIAL = "This reply uses *Markdown* and **bold Markdown** words. This reply uses *Markd"


def reply(content: str, status: MessageStatus) -> StoredMessage:
    return StoredMessage(
        2, 1, 1, "assistant", content, "", None, None, "gpt-4o", None, None, status, None, 1.0
    )


def shown_text(qtbot: QtBot, message: StoredMessage) -> str:
    widget = MessageWidget(message, dark=False)
    qtbot.addWidget(widget)
    assert isinstance(widget.body, MarkdownView)
    return widget.body.toPlainText()


@pytest.mark.parametrize("status", [MessageStatus.STOPPED, MessageStatus.INTERRUPTED])
def test_a_reply_stopped_inside_emphasis_shows_no_stray_asterisk(
    qtbot: QtBot, status: MessageStatus
) -> None:
    text = shown_text(qtbot, reply(PARTIAL, status))
    assert text.endswith("This reply uses Markd")
    assert "*" not in text


def test_a_stopped_stream_is_shown_without_the_stray_asterisk(qtbot: QtBot) -> None:
    widget = MessageWidget(reply("", MessageStatus.STREAMING), dark=False)
    qtbot.addWidget(widget)
    widget.begin_stream()
    widget.append(PARTIAL, "")
    widget.update_from(reply(PARTIAL, MessageStatus.STOPPED))
    assert isinstance(widget.body, MarkdownView)
    assert "*" not in widget.body.toPlainText()
    assert widget.text() == PARTIAL  # Copy keeps what arrived


def test_a_finished_reply_keeps_its_literal_asterisks(qtbot: QtBot) -> None:
    message = reply("Multiply: 2*3 and a lone * star", MessageStatus.COMPLETE)
    assert shown_text(qtbot, message) == "Multiply: 2*3 and a lone * star"


def test_a_reply_refused_for_one_parameter_offers_to_send_without_it(qtbot: QtBot) -> None:
    import dataclasses
    import json

    details = {"model": "m", "refused": {"parameter": "top_p", "said": "no"}}
    refused = dataclasses.replace(
        reply("", MessageStatus.ERROR),
        error="The server refused…",
        details_json=json.dumps(details),
    )
    widget = MessageWidget(refused, dark=False)
    qtbot.addWidget(widget)
    widget.show()
    button = widget.send_without_button
    assert button.isVisibleTo(widget) and button.text() == "Send without top_p"
    assert button.accessibleName() == "Send again without top_p"
    asked: list[int] = []
    widget.send_without_requested.connect(asked.append)
    button.click()
    assert asked == [refused.id]
    # Any other failure: only Retry.
    widget.update_from(dataclasses.replace(refused, details_json=None))
    assert not button.isVisibleTo(widget) and widget.retry_button.isVisibleTo(widget)


def test_copy_puts_the_reply_as_markdown_and_as_formatted_text(qtbot: QtBot) -> None:
    from PySide6.QtGui import QGuiApplication

    widget = MessageWidget(reply("Use **bold** and `code`.", MessageStatus.COMPLETE), dark=False)
    qtbot.addWidget(widget)
    widget.copy_button.click()
    data = QGuiApplication.clipboard().mimeData()
    assert data is not None
    assert data.text() == "Use **bold** and `code`."
    assert "<strong>bold</strong>" in data.html()
