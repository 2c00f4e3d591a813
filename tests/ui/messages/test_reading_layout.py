"""How a reply reads: long code lines stay inside their block, formulas read as LaTeX."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QTextBlock
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from foxchat.store import MessageStatus, StoredMessage
from foxchat.ui.messages.markdown_view import MarkdownView
from foxchat.ui.messages.message_view import MessageView
from foxchat.ui.messages.message_widget import MessageWidget
from foxchat.ui.theme import light_palette, style_sheet

LONG_LINE = "result = compute(" + ", ".join(f"argument_{i}" for i in range(40)) + ")"


def stored(mid: int, role: str, content: str) -> StoredMessage:
    return StoredMessage(
        mid, 1, mid - 1 or None, role, content, "", None, None, "gpt-4o", None, None,
        MessageStatus.COMPLETE, None, float(mid),
    )  # fmt: skip


def shown_view(qtbot: QtBot, content: str, size: tuple[int, int] = (800, 600)) -> MessageView:
    view = MessageView()
    qtbot.addWidget(view)
    view.setStyleSheet(style_sheet(light_palette(), dark=False))
    view.resize(*size)
    view.show_messages([stored(1, "user", "Show me the call."), stored(2, "assistant", content)])
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    return view


def reply_body(view: MessageView) -> MarkdownView:
    widget = view.message_widget(2)
    assert isinstance(widget, MessageWidget) and isinstance(widget.body, MarkdownView)
    return widget.body


def code_blocks(body: MarkdownView) -> list[QTextBlock]:
    found = []
    block = body.document().begin()
    while block.isValid():
        if "argument_0" in block.text():
            found.append(block)
        block = block.next()
    return found


def test_a_400_character_code_line_stays_inside_its_block_with_no_sideways_scrolling(
    qtbot: QtBot,
) -> None:
    line = (LONG_LINE * 2)[:400]
    assert len(line) == 400
    view = shown_view(qtbot, f"Here it is:\n\n```python\n{line}\n```\n\nRun it once.")
    body = reply_body(view)
    assert not view.horizontalScrollBar().isVisible()
    assert not body.horizontalScrollBar().isVisible()
    assert body.horizontalScrollBar().maximum() == 0
    [block] = code_blocks(body)
    layout_of = body.document().documentLayout()
    shaded = layout_of.blockBoundingRect(block)  # the block's background is drawn here
    lines = block.layout()
    assert lines.lineCount() > 1  # wrapped, not one line past the edge
    # The wrapped part hangs indented: it reads as one line continued.
    assert lines.lineAt(1).x() > lines.lineAt(0).x() + 8
    for index in range(lines.lineCount()):
        text_line = lines.lineAt(index)
        assert text_line.x() + text_line.naturalTextWidth() <= shaded.width() + 0.5
    # ...and the block itself fits the width the reply is shown at.
    assert shaded.right() <= body.maximumViewportSize().width()
    assert body.width() <= view.width()


def test_a_reply_with_formulas_reads_them_as_latex_to_a_screen_reader(qtbot: QtBot) -> None:
    view = shown_view(qtbot, "The area is $\\pi r^2$, and\n\n$$\\sum_{k=1}^n k$$\n\nin all.")
    body = reply_body(view)
    assert "\ufffc" in body.toPlainText()  # the formulas are pictures
    accessible = QAccessible.queryAccessibleInterface(body)
    assert accessible is not None
    said = accessible.text(QAccessible.Text.Description)
    assert "$\\pi r^2$" in said and "$$\\sum_{k=1}^n k$$" in said
    assert "The area is" in said and "in all." in said
    # Without formulas, nothing extra to read.
    body.set_markdown("No formulas here.")
    assert QAccessible.queryAccessibleInterface(body).text(QAccessible.Text.Description) == ""


def test_a_streamed_reply_with_a_formula_reads_it_as_latex_once_it_ends(qtbot: QtBot) -> None:
    view = MarkdownView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    view.begin_stream()
    for chunk in ("Euler: $e^{i", "\\pi} + 1 = 0$ is ", "neat.\n"):
        view.append_text(chunk)
        view.flush()
    view.end_stream()
    assert "$e^{i\\pi} + 1 = 0$" in view.accessibleDescription()


def test_messages_sit_in_a_centred_column_about_75_characters_wide(qtbot: QtBot) -> None:
    from PySide6.QtGui import QFontMetricsF

    view = shown_view(qtbot, "A short answer.", size=(1400, 700))
    reply = view.message_widget(2)
    assert reply is not None
    characters = reply.width() / QFontMetricsF(view.font()).averageCharWidth()
    assert 70 <= characters <= 85
    column = view.widget()
    assert column is not None
    left = reply.x()
    right = column.width() - reply.geometry().right() - 1
    assert abs(left - right) <= 1
    # The column follows the font size...
    font = view.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    view.setFont(font)
    QApplication.processEvents()
    assert reply.width() > 1.3 * characters * QFontMetricsF(view.font()).averageCharWidth() / 1.5
    # ...and a narrow window gives it the whole width.
    view.resize(500, 600)
    QApplication.processEvents()
    assert reply.width() >= column.width() - 2 * 16


def test_prose_is_set_at_one_and_a_half_lines(qtbot: QtBot) -> None:
    from PySide6.QtGui import QTextBlockFormat

    view = shown_view(qtbot, "One paragraph of prose.\n\n- and a list item")
    block = reply_body(view).document().begin()
    while block.isValid():
        fmt = block.blockFormat()
        assert fmt.lineHeightType() == QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        assert fmt.lineHeight() == 150
        block = block.next()


def test_the_reply_has_no_box_and_your_message_a_soft_bubble_that_reads_well() -> None:
    from foxchat.ui.theme import contrast_ratio, dark_palette, sheet_colours

    for palette, dark in ((light_palette(), False), (dark_palette(), True)):
        colours = sheet_colours(palette, dark)
        sheet = style_sheet(palette, dark)
        reply_rule = sheet.split("QFrame#assistantMessage {")[1].split("}")[0]
        assert "border: none" in reply_rule
        assert colours["assistant_bg"] == palette.color(palette.ColorRole.Base)
        bubble, base = colours["user_bg"], colours["base"]
        assert 1.05 < contrast_ratio(bubble, base) < 1.3  # tinted, softly
        text = palette.color(palette.ColorRole.Text)
        assert contrast_ratio(text, bubble) >= 4.5  # WCAG AA for body text
        assert contrast_ratio(colours["dim"], bubble) >= 4.5  # its quiet labels too


def test_tables_have_rules_that_stand_out_in_both_themes() -> None:
    import re

    from PySide6.QtGui import QColor

    from foxchat.render import RenderCache
    from foxchat.ui.theme import contrast_ratio, dark_palette

    table = "| a | b |\n|---|---|\n| 1 | 2 |"
    for palette, dark in ((light_palette(), False), (dark_palette(), True)):
        html = RenderCache().get(table, dark=dark).html
        [rule] = re.findall(r"border-color:(#[0-9a-fA-F]{6})", html)
        base = palette.color(palette.ColorRole.Base)
        assert contrast_ratio(QColor(rule), base) >= 3.0, (dark, rule)
