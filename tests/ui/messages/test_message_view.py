"""The message column: pages of widgets, never an ever-growing pile."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import cast

import pytest
from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QPaintEvent, QRegion
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget
from pytestqt.qtbot import QtBot

from foxchat.store import MessageStatus, StoredMessage
from foxchat.ui.messages.markdown_view import MarkdownView
from foxchat.ui.messages.message_view import MAX_BUILT, PAGE_SIZE, MessageView, _viewport_width
from foxchat.ui.messages.message_widget import MessageWidget
from foxchat.ui.theme import light_palette, style_sheet


def rects_of(region: QRegion) -> Iterable[QRect]:
    """A paint region's rectangles (PySide6 iterates them; its type stubs do not say so)."""
    return cast("Iterable[QRect]", region)


def message(mid: int, words: int = 0) -> StoredMessage:
    role = "user" if mid % 2 else "assistant"
    return StoredMessage(
        mid,
        1,
        mid - 1 or None,
        role,
        f"message {mid}" + " and more words" * words,
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


def widgets_made(view: MessageView) -> int:
    """How many message widgets exist, without asking the view to build any."""
    return len(view.findChildren(MessageWidget))


def test_what_fills_the_view_is_built_first_and_the_rest_of_the_page_after_the_paint(
    qtbot: QtBot,
) -> None:
    view = MessageView()
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show()
    qtbot.waitExposed(view)
    view.show_messages([message(i) for i in range(1, 101)])
    assert 0 < widgets_made(view) < PAGE_SIZE
    qtbot.waitUntil(lambda: widgets_made(view) == PAGE_SIZE)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    assert view.earlier_button.isVisibleTo(view)


def test_asking_for_a_message_of_the_page_builds_it_at_once(qtbot: QtBot) -> None:
    view = MessageView()
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show_messages([message(i) for i in range(1, 101)])
    oldest_of_page = 101 - PAGE_SIZE
    widget = view.message_widget(oldest_of_page)
    assert widget is not None and widget.text() == f"message {oldest_of_page}"
    assert widgets_made(view) == PAGE_SIZE


def test_earlier_messages_leave_no_empty_space_below_the_last_one(qtbot: QtBot) -> None:
    view = MessageView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    qtbot.waitExposed(view)
    view.show_messages([message(i, words=40) for i in range(1, 101)])
    qtbot.waitUntil(lambda: widgets_made(view) == PAGE_SIZE)
    view.show_earlier()

    def laid_out() -> bool:
        return all(
            widget.height() == widget.heightForWidth(widget.width())
            for widget in view.findChildren(MessageWidget)
        )

    # Until the posted layout requests have run, not after a fixed 50 ms: on a
    # busy machine they had not always run by then.
    qtbot.waitUntil(laid_out)
    column = view.widget()
    last = view.message_widget(100)
    assert column is not None and last is not None
    below_last = column.height() - last.geometry().bottom()
    assert below_last < 40, f"{below_last} px of empty column below the newest message"


def test_a_streaming_reply_is_laid_out_only_at_the_width_it_is_shown_at(qtbot: QtBot) -> None:
    """Measuring the text at any other width lays the whole reply out twice more per frame."""
    # The bubble's 1 px border from the app's style sheet is what Qt's size hint mis-adds.
    view, body = reply_beginning_to_stream(qtbot, 640, 400)
    words = "Paragraph {n} has a few words in it to wrap. " * 3 + "\n\n"

    def stream(paragraphs: range) -> None:
        for n in paragraphs:
            view.append_delta(2, words.format(n=n), "")
            body.flush()  # not frame(): the pacer may hold a frame back on a busy machine
            QApplication.processEvents()
            QApplication.processEvents()

    stream(range(20))  # taller than the view: its scroll bar is shown from here on
    qtbot.waitUntil(lambda: view.verticalScrollBar().isVisible())
    widths: list[float] = []

    def on_size(_size: object) -> None:
        widths.append(body.document().textWidth())

    layout = body.document().documentLayout()
    layout.documentSizeChanged.connect(on_size)
    stream(range(20, 40))
    # A function with no object of its own stays connected as long as the
    # layout lives, and would be called on a reply already half torn down.
    layout.documentSizeChanged.disconnect(on_size)
    assert widths and set(widths) == {body.viewport().width()}


class PaintCounter(QObject):
    """Counts the paint events a widget gets."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_each_frame_of_a_streaming_reply_is_painted_once(qtbot: QtBot) -> None:
    """Painted before the column is laid out, then again after: twice the drawing.

    (Since following the end copies pixels, what changed and the exposed strip may be two
    paints; ``test_following_a_streaming_reply_paints_the_new_strip_not_the_whole_column``
    checks they are small.)"""
    view = MessageView()
    qtbot.addWidget(view)
    view.resize(640, 400)
    view.show()
    qtbot.waitExposed(view)
    streaming = replace(message(2), content="", status=MessageStatus.STREAMING)
    view.show_messages([message(1), streaming])
    view.begin_stream(2)
    widget = view.message_widget(2)
    assert widget is not None and isinstance(widget.body, MarkdownView)
    body = widget.body
    painted = PaintCounter(body)
    per_frame = []
    for n in range(30):
        before = painted.count
        view.append_delta(2, f"Paragraph {n} has a few words in it to wrap. " * 3 + "\n\n", "")
        # flush, not frame: the pacer may hold a frame back for as long as the
        # last update took by the clock, which on a busy machine is a frame of
        # no paint and a frame of two. Both show an update the same way.
        body.flush()
        for _ in range(3):
            QApplication.processEvents()
        per_frame.append(painted.count - before)
    # A Python event filter must not see the reply being torn down after the test.
    body.removeEventFilter(painted)
    assert view.verticalScrollBar().value() == view.verticalScrollBar().maximum() > 0
    # The first one may also bring the scroll bar. Following the end paints what
    # changed before moving the shown pixels up, then the strip the move exposed:
    # two small paints, not the whole reply twice (see the pixel test below).
    assert set(per_frame[1:]) <= {1, 2}


def test_opening_a_chat_asks_for_no_viewport_before_the_first_frame(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first viewport a process asks PySide6 for costs ~10 ms of its start."""
    asked: list[str] = []
    real = QAbstractScrollArea.viewport

    def viewport(area: QAbstractScrollArea) -> QWidget:
        asked.append(type(area).__name__)
        return real(area)

    monkeypatch.setattr(QAbstractScrollArea, "viewport", viewport)
    view = MessageView()
    qtbot.addWidget(view)
    view.resize(640, 400)
    view.show_messages([message(i, words=40) for i in range(1, 9)])
    view.show()
    qtbot.waitExposed(view)
    assert widgets_made(view) > 1
    assert asked == []
    # What is measured instead is what the viewport would say.
    monkeypatch.undo()
    assert _viewport_width(view) == view.viewport().width()
    widget = view.message_widget(8)
    assert widget is not None and isinstance(widget.body, MarkdownView)
    assert widget.body.maximumViewportSize().width() == widget.body.viewport().width()


class PaintedPixels(QObject):
    """Sums the area of every paint event's region that ``shown`` and its children get."""

    def __init__(self, shown: QWidget) -> None:
        super().__init__(shown)
        self.shown = shown
        self.pixels = 0
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(event, QPaintEvent)
            and isinstance(watched, QWidget)
            and (watched is self.shown or self.shown.isAncestorOf(watched))
        ):
            self.pixels += sum(rect.width() * rect.height() for rect in rects_of(event.region()))
        return False

    def remove(self) -> None:
        app = QApplication.instance()
        assert app is not None
        app.removeEventFilter(self)


REPLY_TEXT = (
    "A paragraph of the reply that wraps over a few lines of the column, with "
    "*emphasis* and `code` in it, so that each frame adds words to it. "
) * 3 + "\n\n"


def reply_beginning_to_stream(
    qtbot: QtBot, width: int, height: int
) -> tuple[MessageView, MarkdownView]:
    """A window of the given size in the app's light style, with a question and the reply
    to it just begun (still empty); the view and the reply's text."""
    view = MessageView()
    qtbot.addWidget(view)
    view.setStyleSheet(style_sheet(light_palette(), dark=False))
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    streaming = replace(message(2), content="", status=MessageStatus.STREAMING)
    view.show_messages([message(1), streaming])
    view.begin_stream(2)
    widget = view.message_widget(2)
    assert widget is not None and isinstance(widget.body, MarkdownView)
    return view, widget.body


def streaming_view(qtbot: QtBot) -> tuple[MessageView, MarkdownView]:
    """An 800x700 window following a streaming reply that is already taller than it."""
    view, body = reply_beginning_to_stream(qtbot, 800, 700)
    for _ in range(8):
        view.append_delta(2, REPLY_TEXT, "")
        body.flush()
        QApplication.processEvents()
    return view, body


def one_frame(view: MessageView, body: MarkdownView, text: str) -> None:
    view.append_delta(2, text, "")
    body.flush()
    for _ in range(3):
        QApplication.processEvents()


def test_following_a_streaming_reply_paints_the_new_strip_not_the_whole_column(
    qtbot: QtBot,
) -> None:
    """Moving the shown text up is a copy of its pixels: each frame paints what changed and
    the strip the move exposed, not the whole visible column again (45 Mpx per reply)."""
    view, body = streaming_view(qtbot)
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0, "the reply is taller than the window"
    visible = view.viewport().width() * view.viewport().height()
    meter = PaintedPixels(view.viewport())  # the scrolled column and its messages
    try:
        per_frame = []
        for n in range(20):
            before, top = meter.pixels, bar.value()
            one_frame(view, body, f"Words of frame {n} go on the same line. ")
            if n % 4 == 3:
                one_frame(view, body, "\n\n")
            assert bar.value() == bar.maximum() >= top
            per_frame.append(meter.pixels - before)
    finally:
        meter.remove()
    assert all(pixels > 0 for pixels in per_frame), "every frame shows its new text"
    # The changed lines of the open paragraph and the strip the move exposed,
    # counted once by each widget painting them: well under one visible column.
    assert sum(per_frame) / len(per_frame) < visible / 2, (per_frame, visible)


def test_a_followed_reply_on_screen_is_what_a_fresh_render_shows(qtbot: QtBot) -> None:
    """Copying pixels on the move shows after each frame exactly what painting it all shows."""
    view, body = streaming_view(qtbot)
    screen = view.screen()
    for n in range(12):
        one_frame(view, body, f"More words for frame {n}, some *emphasised*. ")
        if n % 3 == 2:
            one_frame(view, body, "\n\n- a list item\n- another one\n\n")
        if n % 4 == 0:
            on_screen = screen.grabWindow(view.winId()).toImage()
            fresh = view.grab().toImage().convertToFormat(on_screen.format())
            assert on_screen.size() == fresh.size()
            assert on_screen == fresh, f"frame {n} shows stale pixels"
    # A reply that keeps its drawing on growth still follows the window's width.
    for width in (640, 900):
        view.resize(width, 700)
        for _ in range(4):
            QApplication.processEvents()
        on_screen = screen.grabWindow(view.winId()).toImage()
        fresh = view.grab().toImage().convertToFormat(on_screen.format())
        assert on_screen == fresh, f"{width} px wide shows stale pixels"
