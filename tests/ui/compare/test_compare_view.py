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
