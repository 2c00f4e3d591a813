"""A message's actions: small icons, drawn on hover and keyboard focus, never moving anything."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QEnterEvent, QImage
from PySide6.QtWidgets import QApplication, QLineEdit, QToolButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from foxchat.store import MessageStatus, StoredMessage
from foxchat.ui.messages.message_view import MessageView
from foxchat.ui.messages.message_widget import MessageWidget
from foxchat.ui.theme import contrast_ratio, light_palette, style_sheet


def stored(mid: int, role: str, content: str) -> StoredMessage:
    return StoredMessage(
        mid, 1, mid - 1 or None, role, content, "", None, None, "gpt-4o", None, None,
        MessageStatus.COMPLETE, None, float(mid),
    )  # fmt: skip


CHAT = [
    stored(1, "user", "How do I back up photos?"),
    stored(2, "assistant", "Keep **three** copies."),
    stored(3, "user", "And a script?"),
    stored(4, "assistant", "Use `rsync -a`."),
]


_WINDOWS: list[QWidget] = []  # qtbot keeps only weak references; the test's own


@pytest.fixture(autouse=True)
def _close_windows() -> Iterator[None]:
    yield
    while _WINDOWS:
        window = _WINDOWS.pop()
        window.close()
        window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def shown_chat(qtbot: QtBot) -> MessageView:
    """The column over a composer that has the focus, as in the window."""
    window = QWidget()
    _WINDOWS.append(window)
    qtbot.addWidget(window)
    window.setPalette(light_palette())
    window.setStyleSheet(style_sheet(light_palette(), dark=False))
    view = MessageView(window)
    composer = QLineEdit(window)
    layout = QVBoxLayout(window)
    layout.addWidget(view)
    layout.addWidget(composer)
    window.resize(800, 600)
    view.show_messages(CHAT)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    composer.setFocus()
    view.message_widget(1)  # the whole page built and laid out
    QApplication.processEvents()
    return view


def widget_of(view: MessageView, mid: int) -> MessageWidget:
    widget = view.message_widget(mid)
    assert widget is not None
    return widget


def action_buttons(widget: MessageWidget) -> list[QToolButton]:
    return [b for b in widget.action_row.findChildren(QToolButton) if b.isVisibleTo(widget)]


def drawn_ink(button: QToolButton) -> int:
    """How many pixels of the button stand out from its background (its icon drawn)."""
    image: QImage = button.grab().toImage()
    background = image.pixelColor(0, 0)
    return sum(
        contrast_ratio(image.pixelColor(x, y), background) > 1.5
        for x in range(image.width())
        for y in range(image.height())
    )


def geometries(widget: QWidget) -> list[tuple[int, int, int, int]]:
    return [
        (child.x(), child.y(), child.width(), child.height())
        for child in [widget, *widget.findChildren(QWidget)]
        if child.isVisibleTo(widget)
    ]


def test_every_action_is_an_icon_with_a_tooltip_and_an_accessible_name(qtbot: QtBot) -> None:
    view = shown_chat(qtbot)
    expected = {
        3: {"Compare answers", "Edit and resend", "Copy message", "Delete message"},
        4: {"Regenerate", "Copy message", "Delete message"},
    }
    for mid, names in expected.items():
        buttons = action_buttons(widget_of(view, mid))
        assert {b.accessibleName() for b in buttons} == names
        for button in buttons:
            assert not button.icon().isNull() and not button.text(), button.objectName()
            assert button.toolTip(), button.objectName()
            assert button.focusPolicy() & Qt.FocusPolicy.TabFocus, button.objectName()


def test_the_actions_are_drawn_on_hover_and_nothing_moves(qtbot: QtBot) -> None:
    view = shown_chat(qtbot)
    earlier = widget_of(view, 2)
    copy = earlier.copy_button
    before = geometries(earlier)
    assert drawn_ink(copy) == 0  # in its place, not drawn
    inside = QPointF(10, 10)
    globally = QPointF(earlier.mapToGlobal(QPoint(10, 10)))
    QApplication.sendEvent(earlier, QEnterEvent(inside, inside, globally))
    assert drawn_ink(copy) > 10
    assert geometries(earlier) == before
    QApplication.sendEvent(earlier, QEvent(QEvent.Type.Leave))
    assert drawn_ink(copy) == 0
    assert geometries(earlier) == before


def test_the_last_reply_always_shows_its_actions(qtbot: QtBot) -> None:
    view = shown_chat(qtbot)
    assert drawn_ink(widget_of(view, 4).copy_button) > 10
    assert drawn_ink(widget_of(view, 3).copy_button) == 0
    view.add_message(stored(5, "user", "Thanks!"))
    view.add_message(stored(6, "assistant", "You're welcome."))
    QApplication.processEvents()
    assert drawn_ink(widget_of(view, 4).copy_button) == 0
    assert drawn_ink(widget_of(view, 6).copy_button) > 10


def test_keyboard_focus_in_a_message_shows_its_actions_and_tab_reaches_them(
    qtbot: QtBot,
) -> None:
    view = shown_chat(qtbot)
    earlier = widget_of(view, 2)
    earlier.body.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: drawn_ink(earlier.copy_button) > 10)
    # Tab from the reply's text reaches each of its actions.
    reached: list[QWidget] = []
    widget = earlier.body.nextInFocusChain()
    while widget is not earlier.body and widget is not None and len(reached) < 50:
        if widget.isVisibleTo(view) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            reached.append(widget)
        widget = widget.nextInFocusChain()
    assert set(action_buttons(earlier)) <= set(reached)
    # Focus in another message: this one's actions go quiet again.
    widget_of(view, 3).copy_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: drawn_ink(earlier.copy_button) == 0)
    assert drawn_ink(widget_of(view, 3).copy_button) > 10
