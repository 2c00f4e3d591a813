"""Compared answers streaming together share one re-parse per frame; all text still arrives."""

from __future__ import annotations

from typing import Any

import pytest
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
