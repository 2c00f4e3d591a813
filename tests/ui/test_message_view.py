"""The message column: pages of widgets, never an ever-growing pile."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from foxchat.store import MessageStatus, StoredMessage
from foxchat.ui.message_view import MAX_BUILT, PAGE_SIZE, MessageView


def message(mid: int) -> StoredMessage:
    role = "user" if mid % 2 else "assistant"
    return StoredMessage(
        mid,
        1,
        mid - 1 or None,
        role,
        f"message {mid}",
        "",
        None,
        None,
        None,
        None,
        None,
        MessageStatus.COMPLETE,
        None,
        float(mid),
    )


def built(view: MessageView, count: int) -> list[int]:
    return [mid for mid in range(1, count + 1) if view.message_widget(mid) is not None]


def test_a_long_chat_opens_with_one_page_and_builds_earlier_ones_on_request(
    qtbot: QtBot,
) -> None:
    view = MessageView()
    qtbot.addWidget(view)
    view.show_messages([message(i) for i in range(1, 101)])
    assert built(view, 100) == list(range(101 - PAGE_SIZE, 101))
    assert view.earlier_button.isVisibleTo(view)
    view.show_earlier()
    assert built(view, 100) == list(range(101 - 2 * PAGE_SIZE, 101))
    assert view.scroll_to_message(3)
    assert view.message_widget(1) is not None and not view.earlier_button.isVisibleTo(view)


def test_a_growing_chat_keeps_a_bounded_number_of_widgets(qtbot: QtBot) -> None:
    view = MessageView()
    qtbot.addWidget(view)
    view.show_messages([message(1)])
    for mid in range(2, 201):
        view.add_message(message(mid))
    alive = built(view, 200)
    assert len(alive) <= MAX_BUILT
    assert alive[-1] == 200 and alive == list(range(alive[0], 201))
    view.show_earlier()
    assert view.message_widget(alive[0] - 1) is not None
    assert view.has_message(1)
