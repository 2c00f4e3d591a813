"""Every word the message column shows goes through the translation catalogue."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from foxchat import i18n
from foxchat.store import MessageStatus, StoredMessage
from foxchat.ui.messages.message_widget import MessageWidget

MESSAGES_DIR = Path(i18n.__file__).parent / "ui" / "messages"
#: Calls whose first argument a person reads.
SHOWN = {
    "setText",
    "setToolTip",
    "setAccessibleName",
    "setAccessibleDescription",
    "setPlaceholderText",
    "addAction",
    "QLabel",
    "QPushButton",
    "QAction",
}


def unmarked_words(path: Path) -> Iterator[str]:
    """Literal or f-string text handed straight to something a person reads."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = (
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        )
        first = node.args[0]
        if name not in SHOWN:
            continue
        if isinstance(first, ast.JoinedStr) or (
            isinstance(first, ast.Constant)
            and isinstance(first.value, str)
            and any(c.isalpha() for c in first.value)
        ):
            yield f"{path.name}:{node.lineno}: {ast.unparse(first)}"


def test_no_words_in_the_message_column_escape_translation() -> None:
    found = [line for path in sorted(MESSAGES_DIR.glob("*.py")) for line in unmarked_words(path)]
    assert not found, "\n".join(found)


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.install("zh_CN")
    yield
    i18n.install("en")


@pytest.mark.usefixtures("chinese")
def test_a_message_speaks_chinese_when_the_interface_does(qtbot: QtBot) -> None:
    message = StoredMessage(
        1, 1, None, "user", "你好", "", None, None, None, None, None,
        MessageStatus.COMPLETE, None, 1.0,
    )  # fmt: skip
    widget = MessageWidget(message, dark=False)
    qtbot.addWidget(widget)
    assert widget.who.text() == "你"
    assert widget.copy_button.accessibleName() == "复制消息"
    assert widget.header.edit.toolTip() == "编辑这条消息并重新发送"
    assert widget.header.compare.accessibleName() == "对比回复"
