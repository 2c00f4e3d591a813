"""MarkdownView and long unbroken runs: laid out quickly, copied exactly, shown whole on request.

Qt took 17 s to lay out one 1,000,000-character token at 700 px before the
renderer gave it break opportunities; the bounds here are many times what the
fixed code needs, so they fail only on a freeze.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from foxchat.render import DISPLAY_BREAK, SHOW_ALL_SCHEME, StreamingRenderer, render_document
from foxchat.ui.messages.markdown_view import MarkdownView

#: Seconds; the fixed code needs well under a tenth of this on a loaded machine.
FREEZE_BOUND = 5.0


def make_view(qtbot: QtBot) -> MarkdownView:
    view = MarkdownView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    return view


def laid_out_seconds(view: MarkdownView, text: str) -> float:
    """Time to show ``text`` and lay it out at the widths a message column asks for."""
    started = time.perf_counter()
    view.set_markdown(text)
    for width in (600, 420, 600):
        assert view.heightForWidth(width) > 0
    return time.perf_counter() - started


def copied_selection(view: MarkdownView) -> str:
    view.selectAll()
    return view.createMimeDataFromSelection().text()


def test_a_megabyte_token_lays_out_without_freezing(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    assert laid_out_seconds(view, "A" * 1_000_000) < FREEZE_BOUND
    assert "A" * 1_000 in view.toPlainText().replace(DISPLAY_BREAK, "")


def test_a_long_url_lays_out_whole_and_copies_exactly(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    text = "Open https://example.com/" + "ab/c+" * 1_900 + " now."
    assert laid_out_seconds(view, text) < FREEZE_BOUND
    assert DISPLAY_BREAK in view.toPlainText()  # what lets Qt wrap it
    assert copied_selection(view) == text


def test_the_text_own_zero_width_spaces_are_copied_too(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    text = "a\u200bb " + "x" * 1_000
    view.set_markdown(text)
    assert copied_selection(view).count(DISPLAY_BREAK) >= 1


def test_show_the_whole_line_renders_every_character(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    token = "Q" * 300_000
    view.set_markdown(token)
    assert view.toPlainText().count("Q") < 10_000
    view.anchorClicked.emit(QUrl(f"{SHOW_ALL_SCHEME}:"))
    assert view.toPlainText().replace(DISPLAY_BREAK, "") == token
    assert view.heightForWidth(600) > 10_000
    assert view.markdown() == token


def test_a_streamed_token_ends_as_the_one_shot_document(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    text = "Here: " + "Zm9v" * 2_400 + " and then words."
    started = time.perf_counter()
    view.begin_stream()
    for start in range(0, len(text), 64):
        view.append_text(text[start : start + 64])
        view.flush()
        view.heightForWidth(600)
    view.end_stream()
    assert time.perf_counter() - started < FREEZE_BOUND
    reference = make_view(qtbot)
    reference.set_markdown(text)
    assert view.document().toHtml() == reference.document().toHtml()
    assert copied_selection(view) == text


def test_a_fifty_thousand_column_table_lays_out_without_freezing(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    columns = 30_000  # 180,000 characters: shown whole, not by the reply's beginning
    table = "|" + "h|" * columns + "\n|" + "-|" * columns + "\n|" + "1|" * columns + "\n"
    assert laid_out_seconds(view, table) < FREEZE_BOUND
    assert "This table has 30,000 columns" in view.toPlainText()


def test_ten_thousand_quote_marks_lay_out_without_freezing(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    assert laid_out_seconds(view, ">" * 10_000 + " deep") < FREEZE_BOUND
    assert "deep" in view.toPlainText()


def test_a_streamed_megabyte_token_ends_as_the_one_shot_document(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    text = "Here: " + "A" * 1_000_000 + " and then words."
    started = time.perf_counter()
    view.begin_stream()
    for start in range(0, len(text), 8_192):
        view.append_text(text[start : start + 8_192])
        view.flush()
        view.heightForWidth(600)
    view.end_stream()
    assert time.perf_counter() - started < FREEZE_BOUND * 4
    reference = make_view(qtbot)
    # Not set_markdown: a finished reply this long reopens by its beginning.
    reference.setHtml(render_document(text).html.rstrip())
    assert view.document().toHtml() == reference.document().toHtml()
    assert view.markdown() == text


def test_a_megabyte_code_line_lays_out_and_copy_takes_all_of_it(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    line = "QUJD" * 250_000
    copied: list[str] = []
    view.code_copied.connect(copied.append)
    assert laid_out_seconds(view, f"```\n{line}\n```") < FREEZE_BOUND
    assert view.document().size().width() < 200_000, "not one 8-million-pixel line"
    view.anchorClicked.emit(QUrl("foxchat-copy:0"))
    assert copied == [line]


def test_a_megabyte_reply_shows_its_beginning_then_all_of_it_on_request(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    reply = "\n".join(f"Line {n} of a very long reply, plain words." for n in range(25_000))
    assert len(reply) > 1_000_000
    assert laid_out_seconds(view, reply) < FREEZE_BOUND
    assert "Line 24999 " not in view.toPlainText()
    view.anchorClicked.emit(QUrl(f"{SHOW_ALL_SCHEME}:"))
    assert "Line 24999 of a very long reply" in view.toPlainText()


def test_every_frame_of_a_growing_token_shows_what_a_full_render_would(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    reference = make_view(qtbot)
    renderer = StreamingRenderer()
    chunks = ["Token: ", *(["Zm9vYmFy" * 9] * 40), " then words", " and more."]
    view.begin_stream()
    for chunk in chunks:
        view.append_text(chunk)
        view.flush()
        view.streaming_document.check_invariants()
        renderer.append(chunk)
        renderer.update()
        reference.setHtml(renderer.html.rstrip())
        assert view.document().toHtml() == reference.document().toHtml(), chunk
    assert DISPLAY_BREAK in view.toPlainText()
    view.end_stream()
