"""The problem strip: whole text, stays long enough to read, Close hides it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from foxchat.ui.notice_bar import MIN_SHOWN_MS, MS_PER_CHARACTER, NoticeBar


def test_close_hides_the_message_and_long_text_stays_longer(qtbot: QtBot) -> None:
    bar = NoticeBar()
    qtbot.addWidget(bar)
    bar.show_message("Short.")
    assert bar.isVisible() and bar.label.text() == "Short."
    assert bar._timer.interval() == MIN_SHOWN_MS
    long_text = "word " * 100
    bar.show_message(long_text)
    assert bar.label.text() == long_text and bar.label.wordWrap()
    assert bar._timer.interval() == MS_PER_CHARACTER * len(long_text)
    bar.close_button.click()
    assert not bar.isVisible()
