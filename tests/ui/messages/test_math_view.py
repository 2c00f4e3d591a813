"""Math in a reply: drawn by the document itself, copied as LaTeX, nothing else loaded."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication, QImage, QTextCursor, QTextDocument, QTextTable
from pytestqt.qtbot import QtBot

from foxchat.render import render_markdown
from foxchat.render._math import math_url
from foxchat.ui.messages.markdown_view import MarkdownView

IMAGE = QTextDocument.ResourceType.ImageResource.value


def shown(qtbot: QtBot, text: str) -> MarkdownView:
    view = MarkdownView()
    qtbot.addWidget(view)
    view.set_markdown(text)
    view.resize(600, 300)
    view.show()
    return view


def test_a_formula_is_a_picture_of_the_text_size_and_anything_else_is_refused(
    qtbot: QtBot,
) -> None:
    view = shown(qtbot, "Area $\\pi r^2$ here.")
    document = view.document()
    image = document.loadResource(IMAGE, QUrl(math_url("\\pi r^2", display=False, dark=False)))
    assert isinstance(image, QImage) and not image.isNull()
    line = view.fontMetrics().height()
    assert 0.5 * line < image.height() / image.devicePixelRatio() < 2.5 * line
    for url in ("file:///etc/passwd", "https://example.com/x.png", "qrc:/x.png", "data:,x"):
        assert not isinstance(document.loadResource(IMAGE, QUrl(url)), QImage), url


def test_a_formula_takes_its_picture_size_in_the_line_and_is_no_frame_of_its_own(
    qtbot: QtBot,
) -> None:
    """Qt makes every <img> a frame, and rebuilds its frames after each edit; a picture
    in the flow of the text needs none (a table still is one)."""
    text = "Area $\\pi r^2$ here.\n\n| a |\n|---|\n| $x$ |"
    view = shown(qtbot, text)
    qtbot.waitExposed(view)
    document = view.document()
    assert [type(frame) for frame in document.rootFrame().childFrames()] == [QTextTable]
    image = document.resource(IMAGE, QUrl(math_url("\\pi r^2", display=False, dark=False)))
    assert isinstance(image, QImage)
    cursor = QTextCursor(document)
    cursor.setPosition(len("Area "))
    before = view.cursorRect(cursor)
    cursor.setPosition(len("Area ") + 1)
    after = view.cursorRect(cursor)
    assert after.left() - before.left() == round(image.width() / image.devicePixelRatio())
    plain = QTextDocument()  # Qt's own: a frame for each picture
    plain.setDefaultFont(document.defaultFont())
    plain.setDefaultStyleSheet(document.defaultStyleSheet())
    plain.setHtml(render_markdown(text).rstrip())
    assert len(plain.rootFrame().childFrames()) == 2  # the first picture and the table
    assert plain.toHtml() == document.toHtml(), "written out as HTML the same as with frames"


def test_math_that_fails_to_lay_out_is_drawn_as_its_source(qtbot: QtBot) -> None:
    from PySide6.QtGui import QColor, QFontDatabase, QFontMetrics

    from foxchat.math_picture import math_image

    view = shown(qtbot, "x")
    broken = "\\frac{a}{"  # ziamath raises on it
    image = math_image(broken, display=False, colour=QColor("black"), font=view.font(), ratio=1.0)
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    mono.setPointSizeF(view.font().pointSizeF())
    assert image.width() == QFontMetrics(mono).horizontalAdvance(broken) + 2


def test_a_selection_copies_formulas_as_latex(qtbot: QtBot) -> None:
    view = shown(qtbot, "Area $\\pi r^2$ here.\n\n$$\nE = mc^2\n$$")
    cursor = QTextCursor(view.document())
    cursor.select(QTextCursor.SelectionType.Document)
    view.setTextCursor(cursor)
    view.copy()
    assert QGuiApplication.clipboard().text() == "Area $\\pi r^2$ here.\n$$E = mc^2$$"


def test_right_click_on_a_formula_offers_its_latex(qtbot: QtBot) -> None:
    view = shown(qtbot, "$$\n\\frac{1}{2}\n$$\n\nPlain words after it.")
    qtbot.waitExposed(view)
    # The picture is the first character; the words are in the last block.
    cursor = QTextCursor(view.document())
    cursor.setPosition(0)
    assert view.math_at(view.cursorRect(cursor).center()) == "\\frac{1}{2}"
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.movePosition(QTextCursor.MoveOperation.Left, n=5)
    assert view.math_at(view.cursorRect(cursor).center()) is None


def test_an_unfinished_formula_shows_as_source_until_it_closes(qtbot: QtBot) -> None:
    view = MarkdownView()
    qtbot.addWidget(view)
    view.begin_stream()
    view.append_text("The roots:\n\n$$\nx = \\frac{-b}{2a}")
    view.flush()
    assert "foxchat-math:" not in view.document().toHtml()
    assert "\\frac{-b}{2a}" in view.toPlainText()
    view.append_text("\n$$\n\nDone.")
    view.flush()
    view.end_stream()
    assert math_url("x = \\frac{-b}{2a}", display=True, dark=False) in view.document().toHtml()
    assert "\\frac" not in view.toPlainText()


def test_an_unfinished_bracket_formula_shows_its_source_as_written(qtbot: QtBot) -> None:
    """Streaming, an open \\[ shows as \\[ and the LaTeX after it, backslashes kept."""
    view = MarkdownView()
    qtbot.addWidget(view)
    view.begin_stream()
    view.append_text("The integral:\n\n\\[\n\\int_0^1 e^{-t^2}\\,dt")
    view.flush()
    assert view.toPlainText() == "The integral:\n\\[\n\\int_0^1 e^{-t^2}\\,dt"
    assert "foxchat-math:" not in view.document().toHtml()
    view.append_text(" \\approx 0.75")
    view.flush()
    assert view.toPlainText().endswith("\\,dt \\approx 0.75")
    view.streaming_document.check_invariants()
    view.append_text("\n\\]\n\nDone.")
    view.end_stream()
    latex = "\\int_0^1 e^{-t^2}\\,dt \\approx 0.75"
    assert math_url(latex, display=True, dark=False) in view.document().toHtml()
    assert "\\[" not in view.toPlainText() and view.toPlainText().endswith("Done.")
