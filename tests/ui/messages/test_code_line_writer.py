"""CodeLineWriter: streamed code lines inserted without the HTML importer, same document."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from foxchat.render import render_document
from foxchat.render._qt_html import code_block_parts, new_env
from foxchat.ui.messages.code_line_writer import CodeLineWriter
from foxchat.ui.messages.markdown_view import MarkdownView
from foxchat.ui.messages.streaming_document import insert_html_blocks

# Code as a model writes it, and the characters the importer might treat apart.
_CODE_WORDS = ["def ", "return ", "x", " = ", "1", "  ", "\t", "# note", '"s"', "'c'", "<b>"]
_ODD_TEXT = ["&amp;", "a&b", "->", "{", "}", "中文", "עברית", "😀", "\u00a0", "\u200b", "\\"]
_LINE_BREAKS = ["\n", "\n\n", "    ", "/* c */", '"""doc', "\u2028", "\r", "\x0c", "`", "*"]
_CODE_PIECES = st.sampled_from([*_CODE_WORDS, *_ODD_TEXT, *_LINE_BREAKS])
_CODE = st.lists(_CODE_PIECES, max_size=30).map("".join)
_LANGUAGES = st.sampled_from(["python", "rust", "js", "", "nosuchlanguage"])


def _line_parts(code: str, language: str, dark: bool) -> list[str]:
    """The HTML of each line of a code block as the renderer writes it (header first)."""
    from markdown_it.token import Token

    token = Token("fence", "code", 0)
    token.info, token.content, token.markup = language, code + "\n", "```"
    return code_block_parts(token, new_env(dark=dark))


def _end(document: QTextDocument) -> int:
    return document.characterCount() - 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(code=_CODE, language=_LANGUAGES, dark=st.booleans())
def test_written_lines_make_the_same_document_as_the_importer(
    qapp: QApplication, code: str, language: str, dark: bool
) -> None:
    header, *lines = _line_parts(code, language, dark)
    ours, theirs = QTextDocument(), QTextDocument()
    for document in (ours, theirs):
        document.setHtml(f"<p>Before</p>{header}".rstrip())
    writer = CodeLineWriter(ours)
    for line in lines:
        written = writer.insert(_end(ours), line)
        if written is None:
            written = insert_html_blocks(ours, _end(ours), line)
        assert written == _end(ours)
        insert_html_blocks(theirs, _end(theirs), line)
    assert ours.toHtml() == theirs.toHtml()


def test_simple_lines_are_written_without_the_importer() -> None:
    header, *lines = _line_parts('def f(x):\n    return x  # "ok" <b> & done', "python", False)
    document = QTextDocument()
    document.setHtml(header.rstrip())
    writer = CodeLineWriter(document)
    for line in lines:
        assert writer.insert(_end(document), line) is not None
    assert writer.written == 2
    assert document.toPlainText().endswith('def f(x):\n    return x  # "ok" <b> & done')


@pytest.mark.parametrize(
    "html",
    [
        '<pre style="color:#000">\n\nafter two blank lines</pre>\n',  # blank lines ride on the pre
        '<pre style="color:#000"></pre>\n',  # an empty pre, which Qt drops
        '<pre style="color:#000">form\x0cfeed</pre>\n',
        '<pre style="color:#000">a\u2028b</pre>\n',
        '<pre style="color:#000">&nbsp;x</pre>\n',  # an entity the renderer never writes
        '<pre style="color:#000"><b>bold</b></pre>\n',
        "<p>a paragraph</p>\n",
        '<pre style="color:#000">one</pre>\n<pre style="color:#000">two</pre>\n',
    ],
)
def test_anything_else_is_left_to_the_importer(html: str) -> None:
    document = QTextDocument()
    document.setHtml("<p>x</p>")
    before = document.toHtml()
    writer = CodeLineWriter(document)
    assert writer.insert(_end(document), html) is None
    assert document.toHtml() == before
    assert writer.written == 0


def _stream_and_one_shot(
    qtbot: QtBot, text: str, step: int, font: QFont | None = None
) -> tuple[MarkdownView, MarkdownView]:
    """``text`` streamed into one view ``step`` characters a frame, and set whole in another."""
    streamed, whole = MarkdownView(), MarkdownView()
    for view in (streamed, whole):
        qtbot.addWidget(view)
        if font is not None:
            view.setFont(font)
    streamed.begin_stream()
    for start in range(0, len(text), step):
        streamed.append_text(text[start : start + step])
        streamed.frame()
        streamed.streaming_document.check_invariants()
    streamed.end_stream()
    whole.set_markdown(text)
    return streamed, whole


def test_a_streamed_code_block_is_written_line_by_line_and_equals_one_shot(
    qtbot: QtBot,
) -> None:
    code = "\n".join(f"    value_{n} = compute({n}, 'x')  # step {n}" for n in range(30))
    text = f"Intro\n\n```python\n{code}\n```\n\nOutro"
    view, other = _stream_and_one_shot(qtbot, text, 7)
    assert view.streaming_document.code_lines_written >= 25
    assert view.document().toHtml() == other.document().toHtml()
    assert render_document(text).code_blocks == (code,)


def test_formats_are_learnt_again_after_a_font_change(qtbot: QtBot) -> None:
    font = QApplication.font()
    font.setPointSize(font.pointSize() + 6)
    text = "```python\nx = 1\ny = 2\nz = 3\n```"
    view, other = _stream_and_one_shot(qtbot, text, 4, font)
    assert view.document().toHtml() == other.document().toHtml()
