"""A reply measured at other widths is still laid out at the width it is shown."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from foxchat.ui.messages.markdown_view import MarkdownView


def test_measuring_another_width_leaves_the_shown_layout_alone(qtbot: QtBot) -> None:
    view = MarkdownView()
    qtbot.addWidget(view)
    view.set_markdown("I'm a partial reply that got cut " * 6)
    view.resize(300, 200)
    view.show()
    qtbot.waitExposed(view)
    shown = view.viewport().width()
    assert view.document().textWidth() == shown
    view.heightForWidth(900)  # a layout pass asking about a wider column
    assert view.document().textWidth() == shown
    assert view.document().size().width() <= shown
    assert view.heightForWidth(300) > view.heightForWidth(900)
