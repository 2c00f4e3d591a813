"""Compared answers streaming together share one re-parse per frame; all text still arrives."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from foxchat.render import StreamingRenderer
from foxchat.ui.compare.compare_view import CompareView


def rects_of(region: QRegion) -> Iterable[QRect]:
    """A paint region's rectangles (PySide6 iterates them; its type stubs do not say so)."""
    return cast("Iterable[QRect]", region)


PARAGRAPH = "Some *emphasis* and `code` in a paragraph that keeps growing. " * 30


def shown_view(
    qtbot: QtBot,
    columns: list[tuple[int, str]],
    size: tuple[int, int],
    *,
    own_clock: bool = True,
) -> CompareView:
    """A comparison of ``columns`` (id, heading) answers to "Q", shown at ``size``."""
    view = CompareView(own_clock=own_clock)
    qtbot.addWidget(view)
    view.resize(*size)
    view.start(1, "Q", columns)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_four_columns_never_reparse_more_than_once_in_a_frame(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    parses: list[int] = []
    real = StreamingRenderer.parse_update

    def counted(self: StreamingRenderer) -> Any:
        parses.append(1)  # observed, then the real parse runs
        return real(self)

    monkeypatch.setattr(StreamingRenderer, "parse_update", counted)
    view = CompareView(own_clock=False)
    qtbot.addWidget(view)
    view.start(1, "Q", [(n, f"column {n}") for n in range(4)])
    columns = list(view.columns.values())
    chunks = [PARAGRAPH[i : i + 40] for i in range(0, len(PARAGRAPH), 40)]
    frames_with_parses = 0
    for chunk in chunks:
        for column in columns:
            column.append(chunk)
        parses.clear()
        view.frame()
        assert len(parses) <= 1
        frames_with_parses += bool(parses)
    assert frames_with_parses > 0, "the open paragraph was parsed again along the way"
    for reply_id, column in view.columns.items():
        view.finish(reply_id, "complete", None, PARAGRAPH)
        assert column.text.markdown() == PARAGRAPH


def test_columns_show_their_new_text_together_on_the_views_frames(qtbot: QtBot) -> None:
    """Four answers arrive from four streams at different moments. Each column showing its
    text on a timer of its own laid out and painted the window once per column; now every
    column's new text shows on the comparison's frame, all of it at once."""
    view = shown_view(qtbot, [(n, f"column {n}") for n in range(4)], (1280, 800), own_clock=False)
    columns = list(view.columns.values())
    for number, column in enumerate(columns):
        column.append(f"Words of answer {number}. ")
        qtbot.wait(10)  # the next stream's text comes a little later
    qtbot.wait(40)  # longer than a reply's own frame timer
    assert all(column.text.render_count == 0 for column in columns), "no column on its own"
    for _column in columns:
        view.frame()  # a first paragraph is parsed: one column a frame (see FrameBudget)
    for number, column in enumerate(columns):
        assert column.text.toPlainText() == f"Words of answer {number}."
    for number, column in enumerate(columns):
        column.append(f"More of {number}. ")
    view.frame()  # words added to a paragraph: every column in this one frame
    for number, column in enumerate(columns):
        assert column.text.toPlainText() == f"Words of answer {number}. More of {number}."
    for reply_id, column in view.columns.items():
        view.finish(reply_id, "complete", None, column.text.markdown())


def test_the_columns_take_turns_at_the_frames_re_parse(qtbot: QtBot) -> None:
    """One re-parse a frame among four columns went to the first columns that wanted it:
    the fourth answer showed its text a quarter as often as the first. Now the column whose
    text waited longest goes first: all four show theirs about as often."""
    view = CompareView(own_clock=False)
    qtbot.addWidget(view)
    view.start(1, "Q", [(n, f"column {n}") for n in range(4)])
    columns = list(view.columns.values())
    # Emphasis and code in every chunk: the open paragraph is parsed again to show them.
    text = "".join(f"Point {n} with *stress* and `code`. " for n in range(200))
    updates = dict.fromkeys(range(4), 0)
    for start in range(0, len(text), 60):
        shown = [column.text.render_count for column in columns]
        for column in columns:
            column.append(text[start : start + 60])
        view.frame()
        for number, column in enumerate(columns):
            updates[number] += column.text.render_count != shown[number]
    assert min(updates.values()) >= 0.75 * max(updates.values()), updates
    for reply_id in view.columns:
        view.finish(reply_id, "complete", None, text)
        assert view.columns[reply_id].text.markdown() == text


def test_a_growing_answer_paints_its_new_lines_not_the_whole_column(qtbot: QtBot) -> None:
    """An answer taller than its column grows below what is shown: the shown part is not
    painted again (four columns repainted in full on every frame cost a third of it)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QPaintEvent

    painted: list[int] = []

    class PaintMeter(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if isinstance(event, QPaintEvent):
                box = event.region().boundingRect()  # at least what was painted
                painted.append(box.width() * box.height())
            return False

    view = shown_view(qtbot, [(n, f"column {n}") for n in range(2)], (1280, 800))
    column = next(iter(view.columns.values()))
    text = "".join(f"Line {n} of a growing answer, with *some* words.\n\n" for n in range(120))
    first, rest = text[:3000], text[3000:]
    column.append(first)
    column.text.flush()
    qtbot.wait(20)
    shown = column.scroller.viewport()
    assert column.text.height() > shown.height(), "the answer overflows its column"
    meter = PaintMeter()
    column.text.viewport().installEventFilter(meter)
    frames = 0
    for start in range(0, len(rest), 50):
        column.append(rest[start : start + 50])
        column.text.flush()
        qtbot.wait(1)
        frames += 1
    column.text.viewport().removeEventFilter(meter)
    # Painting the shown text again on every frame would be frames * its area.
    assert sum(painted) < 0.2 * frames * shown.width() * shown.height()
    view.finish(1, "complete", None, text)
    assert column.text.markdown() == text


def _grow(qtbot: QtBot, view: CompareView, text: str, step: int = 200) -> None:
    """Stream ``text`` into every column, a frame at a time."""
    for start in range(0, len(text), step):
        for column in view.columns.values():
            column.append(text[start : start + step])
            column.text.flush()
        qtbot.wait(1)


def test_a_column_at_the_end_follows_it_and_one_scrolled_up_stays_put(qtbot: QtBot) -> None:
    """As in the chat: an answer taller than its column keeps its end in sight while it
    streams, unless the person scrolled up to read, and then it stays where they put it."""
    view = shown_view(qtbot, [(1, "column 1"), (2, "column 2")], (800, 600))
    following, reading = view.columns[1], view.columns[2]
    lines = "".join(f"Line {n} of a long answer, with *some* words.\n\n" for n in range(200))
    _grow(qtbot, view, lines[:4000])
    for column in (following, reading):
        bar = column.scroller.verticalScrollBar()
        assert bar.maximum() > 0, "the answer is taller than its column"
        assert bar.value() == bar.maximum(), "a column at the end follows it"
    reading_bar = reading.scroller.verticalScrollBar()
    reading_bar.setValue(reading_bar.maximum() // 3)  # the person scrolls up to read
    kept = reading_bar.value()
    _grow(qtbot, view, lines[4000:])
    following_bar = following.scroller.verticalScrollBar()
    assert following_bar.maximum() > 0 and following_bar.value() == following_bar.maximum()
    assert reading_bar.value() == kept, "a column scrolled up stays where it was put"
    reading_bar.setValue(reading_bar.maximum())  # back at the end: follows again
    _grow(qtbot, view, "One more paragraph at the end.\n\n" * 40)
    assert reading_bar.value() == reading_bar.maximum()
    for reply_id in view.columns:
        view.finish(reply_id, "complete", None, lines)


def test_a_narrow_column_shows_the_whole_answer_from_its_top(qtbot: QtBot) -> None:
    """Three columns at 800x600 are narrower than 200 px: the answer is still as tall as its
    text, starts at the top of the column and can be scrolled to its last line."""
    view = shown_view(qtbot, [(1, "column 1"), (2, "column 2"), (3, "column 3")], (560, 420))
    answer = "A paragraph of an answer that wraps over several lines. " * 12
    for reply_id in view.columns:
        view.finish(reply_id, "complete", None, answer)
    qtbot.wait(20)
    for column in view.columns.values():
        assert column.text.width() < 200, "narrower than the view measures its hint at"
        assert column.text.y() == 0, "the answer starts at the top of its column"
        assert column.text.height() >= column.text.heightForWidth(column.text.width())


def test_a_list_three_levels_deep_keeps_room_for_words_in_a_narrow_column(
    qtbot: QtBot,
) -> None:
    """At Qt's 40 px a level, a third-level item in a column narrower than 200 px was a
    few letters wide: "but cap them at 3" took eight lines in the window at 800x600,
    three in this column."""
    view = shown_view(qtbot, [(1, "column 1"), (2, "column 2"), (3, "column 3")], (560, 420))
    answer = "- set a value\n- enable retries\n  - but cap them at 3\n"
    for reply_id in view.columns:
        view.finish(reply_id, "complete", None, answer)
    qtbot.wait(20)
    text = view.columns[1].text
    assert text.width() < 200
    document = text.document()
    document.setTextWidth(text.viewport().width())
    deepest = document.findBlock(document.toPlainText().index("but cap"))
    assert deepest.layout().lineCount() <= 2


def test_three_columns_fit_side_by_side_at_800x600(qtbot: QtBot) -> None:
    """At 800x600 the comparison has about 560 px beside the chat list: three answers fit
    without scrolling sideways. Each column offers Stop while it writes and Keep once done."""
    view = shown_view(
        qtbot, [(1, "temperature 0.2"), (2, "temperature 0.7"), (3, "temperature 1.2")], (560, 440)
    )
    QApplication.processEvents()
    assert view.scroller.horizontalScrollBar().maximum() == 0, "no column is cut off"
    for column in view.columns.values():
        assert column.stop_button.isVisible() and not column.keep_button.isVisible()
        right = column.mapTo(view, column.rect().bottomRight()).x()
        assert right <= view.width(), column.header.text()
    view.finish(1, "complete", None, "An answer.")
    first = view.columns[1]
    assert first.keep_button.isVisible() and first.keep_button.isEnabled()
    assert not first.stop_button.isVisible()
    assert view.scroller.horizontalScrollBar().maximum() == 0


def test_four_columns_following_their_ends_paint_the_window_once_or_twice_a_frame(
    qtbot: QtBot,
) -> None:
    """Each column moving to its end asked the window to paint on its own: four columns made
    five paints of the window per frame. Now what waits is painted once before all the moves
    and what they exposed once after: strips of text, not the shown columns again."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QPaintEvent

    class Meter(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.window_paints = 0
            self.pixels = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if watched is view and event.type() == QEvent.Type.UpdateRequest:
                self.window_paints += 1
            if (
                isinstance(event, QPaintEvent)
                and isinstance(watched, QWidget)
                and any(shown.isAncestorOf(watched) or shown is watched for shown in texts)
            ):
                self.pixels += sum(r.width() * r.height() for r in rects_of(event.region()))
            return False

    view = shown_view(qtbot, [(n, f"column {n}") for n in range(4)], (1280, 800))
    text = "".join(f"Line {n} of a growing answer, with *some* words.\n\n" for n in range(160))
    _grow(qtbot, view, text[:4000])
    columns = list(view.columns.values())
    # Where the answers' text is shown (their scroll bars are repainted as they move).
    texts = [column.scroller.viewport() for column in columns]
    shown = sum(c.scroller.viewport().width() * c.scroller.viewport().height() for c in columns)
    assert all(c.text.height() > c.scroller.viewport().height() for c in columns)
    meter = Meter()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(meter)
    paints, pixels = [], []
    try:
        for start in range(4000, len(text), 60):
            before = (meter.window_paints, meter.pixels)
            for column in columns:
                column.append(text[start : start + 60])
                column.text.flush()
            for _ in range(4):
                QApplication.processEvents()
            paints.append(meter.window_paints - before[0])
            pixels.append(meter.pixels - before[1])
    finally:
        app.removeEventFilter(meter)
    for column in columns:
        bar = column.scroller.verticalScrollBar()
        assert bar.value() == bar.maximum() > 0, "every column follows its end"
    assert max(paints) <= 2, paints
    assert sum(pixels) / len(pixels) < shown / 2, (pixels, shown)
    for reply_id, column in view.columns.items():
        view.finish(reply_id, "complete", None, text)
        assert column.text.markdown() == text


def test_followed_columns_on_screen_are_what_a_fresh_render_shows(qtbot: QtBot) -> None:
    """Moving pixels instead of painting them leaves nothing stale behind in any column."""
    view = shown_view(qtbot, [(n, f"column {n}") for n in range(4)], (1280, 800))
    text = "".join(f"Line {n} of a growing answer, with *some* words.\n\n" for n in range(160))
    screen = view.screen()
    for step, start in enumerate(range(0, len(text), 120)):
        for column in view.columns.values():
            column.append(text[start : start + 120])
            column.text.flush()
        for _ in range(4):
            QApplication.processEvents()
        if step % 10 == 9:
            on_screen = screen.grabWindow(view.winId()).toImage()
            fresh = view.grab().toImage().convertToFormat(on_screen.format())
            assert on_screen == fresh, f"step {step} shows stale pixels"
    for reply_id in view.columns:
        view.finish(reply_id, "complete", None, text)


def test_a_growing_answers_scroll_bar_does_not_repaint_the_column_under_it(
    qtbot: QtBot,
) -> None:
    """The scroll bar's range grows with the answer, so it is painted on every frame; it
    fills its own background, so the column and the row of columns under it are not."""
    from PySide6.QtCore import QEvent, QObject

    class Meter(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.paints: dict[QObject, int] = {}

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.paints[watched] = self.paints.get(watched, 0) + 1
            return False

    view = shown_view(qtbot, [(n, f"column {n}") for n in range(2)], (1280, 800))
    column = view.columns[0]
    text = "".join(f"Line {n} of a growing answer, with *some* words.\n\n" for n in range(160))
    for start in range(0, 4000, 100):
        column.append(text[start : start + 100])
        column.text.flush()
        QApplication.processEvents()
    bar = column.scroller.verticalScrollBar()
    assert bar.maximum() > 0, "the answer outgrew its column"
    meter = Meter()
    for watched in (column, bar):
        watched.installEventFilter(meter)
    frames = 0
    for start in range(4000, len(text), 100):
        column.append(text[start : start + 100])
        column.text.flush()
        for _ in range(3):
            QApplication.processEvents()
        frames += 1
    for watched in (column, bar):
        watched.removeEventFilter(meter)
    assert meter.paints.get(bar, 0) >= frames / 2, "the scroll bar shows the answer growing"
    assert meter.paints.get(column, 0) <= 2, meter.paints.get(column)
    view.finish(0, "complete", None, text)
    assert column.text.markdown() == text


def test_an_answer_outgrowing_its_column_keeps_its_width(qtbot: QtBot) -> None:
    """The column's scroll bar has its place from the start: when the answer first gets
    taller than its column, its text is not laid out again narrower and painted whole (one
    such frame per column was the slowest of four streaming answers)."""
    view = shown_view(qtbot, [(n, f"column {n}") for n in range(4)], (1280, 800))
    column = view.columns[0]
    text = "".join(f"Line {n} of a growing answer, with *some* words.\n\n" for n in range(80))
    bar = column.scroller.verticalScrollBar()
    widths = set()
    for start in range(0, len(text), 100):
        column.append(text[start : start + 100])
        column.text.flush()
        QApplication.processEvents()
        widths.add(column.text.width())
        if start == 0:
            assert not bar.isEnabled(), "nothing to scroll yet: no handle to drag"
    assert column.text.height() > column.scroller.viewport().height(), "it outgrew its column"
    assert len(widths) == 1, widths
    assert bar.isEnabled()
    view.finish(0, "complete", None, text)
    assert column.text.markdown() == text
