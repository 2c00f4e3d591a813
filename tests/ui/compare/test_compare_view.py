"""Compared answers streaming together share one re-parse per frame; all text still arrives."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from foxchat.render import StreamingRenderer
from foxchat.ui.compare.compare_view import CompareView

PARAGRAPH = "Some *emphasis* and `code` in a paragraph that keeps growing. " * 30


def test_four_columns_never_reparse_more_than_once_in_a_frame(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    parses: list[int] = []
    real = StreamingRenderer.parse_update

    def counted(self: StreamingRenderer) -> Any:
        parses.append(1)  # observed, then the real parse runs
        return real(self)

    monkeypatch.setattr(StreamingRenderer, "parse_update", counted)
    view = CompareView()
    qtbot.addWidget(view)
    view.start(1, "Q", [(n, f"column {n}") for n in range(4)])
    columns = list(view.columns.values())
    chunks = [PARAGRAPH[i : i + 40] for i in range(0, len(PARAGRAPH), 40)]
    frames_with_parses = 0
    for chunk in chunks:
        for column in columns:
            column.append(chunk)
        view.budget.tick()
        parses.clear()
        for column in columns:
            column.text.frame()
        assert len(parses) <= 1
        frames_with_parses += bool(parses)
    assert frames_with_parses > 0, "the open paragraph was parsed again along the way"
    for reply_id, column in view.columns.items():
        view.finish(reply_id, "complete", None, PARAGRAPH)
        assert column.text.markdown() == PARAGRAPH


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

    view = CompareView()
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.start(1, "Q", [(n, f"column {n}") for n in range(2)])
    view.show()
    qtbot.waitExposed(view)
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
    view = CompareView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.start(1, "Q", [(1, "column 1"), (2, "column 2")])
    view.show()
    qtbot.waitExposed(view)
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
    view = CompareView()
    qtbot.addWidget(view)
    view.resize(560, 420)
    view.start(1, "Q", [(1, "column 1"), (2, "column 2"), (3, "column 3")])
    view.show()
    qtbot.waitExposed(view)
    answer = "A paragraph of an answer that wraps over several lines. " * 12
    for reply_id in view.columns:
        view.finish(reply_id, "complete", None, answer)
    qtbot.wait(20)
    for column in view.columns.values():
        assert column.text.width() < 200, "narrower than the view measures its hint at"
        assert column.text.y() == 0, "the answer starts at the top of its column"
        assert column.text.height() >= column.text.heightForWidth(column.text.width())


def test_three_columns_fit_side_by_side_at_800x600(qtbot: QtBot) -> None:
    """At 800x600 the comparison has about 560 px beside the chat list: three answers fit
    without scrolling sideways. Each column offers Stop while it writes and Keep once done."""
    view = CompareView()
    qtbot.addWidget(view)
    view.resize(560, 440)
    view.start(1, "Q", [(1, "temperature 0.2"), (2, "temperature 0.7"), (3, "temperature 1.2")])
    view.show()
    qtbot.waitExposed(view)
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
