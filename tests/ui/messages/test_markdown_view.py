"""MarkdownView: copy buttons, link safety, refused resources, coalesced streaming."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QGuiApplication, QTextDocument
from pytestqt.qtbot import QtBot

from foxchat.render import RenderCache, RenderPacer, StreamingRenderer
from foxchat.ui.messages.markdown_view import MarkdownView

CORPUS = Path(__file__).parents[2] / "render" / "corpus"


@pytest.fixture
def opened() -> list[QUrl]:
    return []


class StepClock:
    """A clock that moves ``step`` seconds each time it is read, however busy the machine is.

    With a step of 0 every update costs nothing to the pacer, so how many frames
    new text waits depends only on the updates a test makes.
    """

    def __init__(self, step: float = 0.0) -> None:
        self.step = step
        self.now = 0.0

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def view(qtbot: QtBot, opened: list[QUrl]) -> MarkdownView:
    widget = MarkdownView(open_url=opened.append, clock=StepClock())
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    return widget


def one_shot_html(qtbot: QtBot, text: str) -> str:
    other = MarkdownView()
    qtbot.addWidget(other)
    other.set_markdown(text)
    return other.document().toHtml()


def click_anchor(view: MarkdownView, href: str) -> None:
    """Click the link whose target is ``href`` with the mouse."""
    view.show()
    document = view.document()
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = view.textCursor()
                cursor.setPosition(fragment.position() + 1)
                rect = view.cursorRect(cursor)
                QtBot.mouseClick(  # type: ignore[no-untyped-call]
                    view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center() - QPoint(2, 0)
                )
                return
            iterator += 1
        block = block.next()
    raise AssertionError(f"no link to {href}")


def test_copy_link_puts_exactly_the_code_on_the_clipboard(view: MarkdownView, qtbot: QtBot) -> None:
    code = 'def f(x):\n\n    return "<b>" * x  # *not emphasis*'
    view.set_markdown(f"Intro\n\n```python\n{code}\n```\n\n```\nsecond\n```")
    QGuiApplication.clipboard().clear()
    with qtbot.wait_signal(view.code_copied) as blocker:
        click_anchor(view, "foxchat-copy:0")
    assert blocker.args == [code]
    assert QGuiApplication.clipboard().text() == code
    with qtbot.wait_signal(view.code_copied) as blocker:
        click_anchor(view, "foxchat-copy:1")
    assert QGuiApplication.clipboard().text() == "second"


def test_copy_works_for_a_block_still_streaming(view: MarkdownView, qtbot: QtBot) -> None:
    view.begin_stream()
    view.append_text("Text\n\n```js\nlet a = 1;\nlet b")
    view.flush()
    view.streaming_document.check_invariants()
    with qtbot.wait_signal(view.code_copied):
        click_anchor(view, "foxchat-copy:0")
    assert QGuiApplication.clipboard().text() == "let a = 1;\nlet b"


@pytest.mark.parametrize(
    ("href", "allowed"),
    [
        ("https://example.com/a", True),
        ("http://example.com/", True),
        ("mailto:someone@example.com", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("data:text/html,hi", False),
        ("ftp://example.com/x", False),
    ],
)
def test_only_web_and_mail_links_open(
    view: MarkdownView, opened: list[QUrl], href: str, allowed: bool
) -> None:
    # The renderer never links unsafe schemes; the view refuses them anyway.
    view.setHtml(f'<p><a href="{href}">link text here</a></p>')
    click_anchor(view, href)
    assert [url.toString() for url in opened] == ([href] if allowed else [])


def test_rendered_links_open_only_when_clicked(view: MarkdownView, opened: list[QUrl]) -> None:
    view.set_markdown("See [the docs](https://example.com/docs) now.")
    assert opened == []
    click_anchor(view, "https://example.com/docs")
    assert [url.toString() for url in opened] == ["https://example.com/docs"]


def test_load_resource_refuses_everything(view: MarkdownView) -> None:
    image = int(QTextDocument.ResourceType.ImageResource)
    for name in ("file:///etc/hostname", "https://example.com/a.png", "qrc:/x.png", "x.png"):
        assert len(view.loadResource(image, QUrl(name))) == 0
        # The document itself would read file: URLs if it were asked directly.
        assert len(view.document().resource(image, QUrl(name))) == 0


def test_images_in_a_reply_are_never_fetched(view: MarkdownView) -> None:
    view.set_markdown('![cat](file:///etc/hostname) <img src="file:///etc/hostname">')
    text = view.toPlainText()
    assert "[cat]" in text
    assert '<img src="file:///etc/hostname">' in text


def test_many_appends_in_one_frame_render_once(view: MarkdownView, qtbot: QtBot) -> None:
    view.begin_stream()
    before = view.render_count
    for word in ("Hello", " there", ", how", " are", " you", "?") * 20:
        view.append_text(word)
    assert view.render_count == before, "append_text must not render"
    qtbot.wait_until(lambda: view.render_count > before)
    qtbot.wait(50)
    assert view.render_count == before + 1
    assert view.toPlainText().startswith("Hello there, how are you?")


def test_streamed_document_equals_one_shot(view: MarkdownView, qtbot: QtBot) -> None:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.md")))
    view.begin_stream()
    for start in range(0, len(text), 7):
        view.append_text(text[start : start + 7])
        if start % 70 == 0:
            view.flush()
            view.streaming_document.check_invariants()
    view.end_stream()
    assert view.markdown() == text
    assert view.document().toHtml() == one_shot_html(qtbot, text)


def test_finished_message_uses_the_cache(qtbot: QtBot) -> None:
    cache = RenderCache()
    first = MarkdownView(cache=cache)
    second = MarkdownView(cache=cache)
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    first.set_markdown("**cached**")
    second.set_markdown("**cached**")
    assert len(cache) == 1
    assert second.markdown() == "**cached**"


def test_stream_end_fills_the_cache(qtbot: QtBot) -> None:
    cache = RenderCache()
    view = MarkdownView(cache=cache)
    qtbot.addWidget(view)
    view.begin_stream()
    view.append_text("# Done\n\nAll good.")
    view.end_stream()
    assert len(cache) == 1
    assert cache.get("# Done\n\nAll good.").html.startswith("<h1>")


def test_set_dark_recolours_code(view: MarkdownView) -> None:
    view.set_markdown("```python\nx = 1\n```")
    light = view.document().toHtml()
    view.set_dark(True)
    assert view.document().toHtml() != light
    assert "#161b22" in view.document().toHtml()
    assert view.markdown() == "```python\nx = 1\n```"


def test_height_follows_content_without_vertical_scrollbar(view: MarkdownView) -> None:
    view.set_markdown("one line")
    short = view.heightForWidth(400)
    view.set_markdown("\n\n".join(f"paragraph {n}" for n in range(30)))
    tall = view.heightForWidth(400)
    assert tall > short * 10
    assert view.hasHeightForWidth()
    assert view.sizeHint().height() == view.heightForWidth(view.sizeHint().width())


def test_long_code_lines_wrap_inside_the_reply(view: MarkdownView, qtbot: QtBot) -> None:
    view.show()
    view.set_markdown("```\n" + "x" * 2000 + "\n```")
    view.resize(400, view.heightForWidth(400))
    assert view.document().blockCount() <= 3, "the line was split into many blocks"
    code = view.document().lastBlock()
    assert code.layout().lineCount() > 10  # wrapped inside its one block
    qtbot.wait_until(lambda: view.horizontalScrollBar().maximum() == 0)
    assert not view.horizontalScrollBar().isVisible()


@pytest.mark.parametrize(
    "text",
    [
        "word " * 210_000,
        "| a | b |\n|---|---|\n" + "\n".join(f"| {n} | `x` |" for n in range(500)),
        ">" * 1000 + " deep",
        "\n".join("  " * n + "- item" for n in range(1000)),
    ],
    ids=["1MB-line", "500-row-table", "1000-deep-quote", "1000-deep-list"],
)
def test_hostile_inputs_lay_out(view: MarkdownView, text: str) -> None:
    view.set_markdown(text)
    assert view.heightForWidth(600) > 0
    assert view.toPlainText()


def test_every_streamed_update_shows_what_a_full_render_would(
    view: MarkdownView, qtbot: QtBot
) -> None:
    # Plain words are typed into the open paragraph (insertText, no HTML); markup,
    # new blocks and frozen blocks replace blocks. Each frame must look the same
    # as the renderer's HTML set whole.
    renderer = StreamingRenderer()
    reference = MarkdownView()
    qtbot.addWidget(reference)
    chunks = ["# Title\n\nPlain", " words  with", " double spaces", ", and *emph", "asis* too.\n"]
    chunks += ["\n- item one", " grows", "\n- item two\n\n> quoted", " text", "\n\n## Next", "ing"]
    chunks += ["\n\nLast paragraph", " ends here", "\n\n```python\nx = 1", "\ny = 2\n```"]
    view.begin_stream()
    for chunk in chunks:
        view.append_text(chunk)
        view.flush()
        view.streaming_document.check_invariants()
        renderer.append(chunk)
        renderer.update()
        reference.setHtml(renderer.html.rstrip())
        assert view.document().toHtml() == reference.document().toHtml(), chunk
    view.end_stream()
    assert view.document().toHtml() == one_shot_html(qtbot, "".join(chunks))


def test_height_is_computed_once_per_width_and_content(view: MarkdownView) -> None:
    view.set_markdown("\n\n".join(f"paragraph number {n} with some words" for n in range(20)))
    wide, narrow = view.heightForWidth(500), view.heightForWidth(150)
    laid_out_at = view.document().textWidth()
    # Layout passes ask again and again at the same widths: answers come
    # from the cache, the document is not laid out again.
    assert view.heightForWidth(500) == wide
    assert view.heightForWidth(150) == narrow
    assert view.document().textWidth() == laid_out_at
    assert narrow > wide


def test_height_follows_new_content_at_a_cached_width(view: MarkdownView) -> None:
    view.set_markdown("one line")
    short = view.heightForWidth(400)
    view.set_markdown("\n\n".join(f"paragraph {n}" for n in range(10)))
    assert view.heightForWidth(400) > short * 5
    view.begin_stream()
    view.append_text("first")
    view.flush()
    view.streaming_document.check_invariants()
    streaming_short = view.heightForWidth(400)
    view.append_text("\n\nsecond\n\nthird\n\nfourth")
    view.flush()
    view.streaming_document.check_invariants()
    assert view.heightForWidth(400) > streaming_short * 3


def test_height_follows_a_font_change(view: MarkdownView) -> None:
    view.set_markdown("\n\n".join(f"paragraph {n}" for n in range(10)))
    before = view.heightForWidth(400)
    font = view.font()
    font.setPointSize(font.pointSize() * 3)
    view.setFont(font)
    assert view.heightForWidth(400) > before * 2


def test_height_follows_a_theme_change(view: MarkdownView) -> None:
    view.set_markdown("```python\nx = 1\n```\n\nText under the code.")
    before = view.heightForWidth(400)
    # The app's theme is a style sheet: here it gives the view a thick frame.
    view.setStyleSheet("QTextBrowser { border: 20px solid gray; }")
    assert view.heightForWidth(400) >= before + 30
    # The light/dark switch re-renders the content; the height is measured
    # again, at the width asked, not answered from before the switch.
    view.heightForWidth(200)
    view.set_dark(True)
    assert view.heightForWidth(400) == view.document().size().height() + 40
    assert view.document().textWidth() == 400 - 40


@pytest.mark.parametrize(
    "code",
    ["\nfirst", "first\n\n\nsecond", "first\n\n", "\n", "  \n\n  x", 'x = """a\n\nb"""\ny = 2'],
)
def test_code_shows_every_line_and_streams_to_the_same_document(
    view: MarkdownView, qtbot: QtBot, code: str
) -> None:
    text = f"Before\n\n```python\n{code}\n```\n\nAfter"
    view.begin_stream()
    for start in range(0, len(text), 3):
        view.append_text(text[start : start + 3])
        view.flush()
        view.streaming_document.check_invariants()
    view.end_stream()
    assert view.document().toHtml() == one_shot_html(qtbot, text)
    shown = view.toPlainText()
    assert shown.startswith("Before\n python   Copy\n")
    assert shown.removeprefix("Before\n python   Copy\n") == f"{code}\nAfter"


def test_growing_a_long_paragraph_is_paced_and_still_ends_equal(
    view: MarkdownView, qtbot: QtBot
) -> None:
    # Each frame brings markup (a parse), little next to the open paragraph.
    sentence = "Some **bold** and `code` in a long paragraph that keeps on going. "
    view.begin_stream()
    view.append_text(sentence * 40)
    view.frame()  # a new block: shown at once
    view.streaming_document.check_invariants()
    shown = [view.toPlainText()]
    for _ in range(6):
        view.append_text(sentence)
        view.frame()
        view.streaming_document.check_invariants()
        shown.append(view.toPlainText())
    # The new text waited a frame, then showed (at most max_wait_frames later).
    assert shown[1] == shown[0]
    assert shown[RenderPacer().max_wait_frames] != shown[0]
    view.end_stream()
    assert view.document().toHtml() == one_shot_html(qtbot, sentence * 46)


def test_a_formula_still_arriving_is_not_shown_as_source_until_it_closes(
    view: MarkdownView, qtbot: QtBot
) -> None:
    view.begin_stream()
    view.append_text("The roots are " * 20 + "*x* and ")
    view.frame()
    shown = view.toPlainText()
    # Each frame brings more of a formula (a parse would show its source).
    pieces = ["$\\frac{-b ", "\\pm \\sqrt", "{b^2 - ", "4ac}}", "{2a}$ ", "in all."]
    for piece in pieces[:4]:
        view.append_text(piece)
        view.frame()
        assert view.toPlainText() == shown
    view.append_text(pieces[4])
    view.frame()  # closed, and the wait is long over: typeset
    assert "\ufffc" in view.toPlainText()
    assert "frac" not in view.toPlainText()
    view.append_text(pieces[5])
    view.end_stream()
    assert view.document().toHtml() == one_shot_html(
        qtbot, "The roots are " * 20 + "*x* and " + "".join(pieces)
    )


def test_a_formula_that_never_closes_shows_as_source_after_the_longer_wait(
    view: MarkdownView, qtbot: QtBot
) -> None:
    view.begin_stream()
    view.append_text("The roots are " * 20 + "*x* and ")
    view.frame()
    pacer = RenderPacer()
    longest = pacer.max_wait_frames + pacer.formula_wait_frames
    for frame in range(1, longest + 1):
        view.append_text("$\\alpha" if frame == 1 else " + x")
        view.frame()
        assert ("alpha" in view.toPlainText()) is (frame == longest)
    view.end_stream()


def test_a_slow_update_makes_the_next_one_wait_its_cooldown(qtbot: QtBot) -> None:
    """Each update read as 40 ms: the next re-parse waits ceil(3 * 40 / 16) - 1 = 7 frames."""
    clock = StepClock()
    view = MarkdownView(clock=clock)
    qtbot.addWidget(view)
    sentence = "Some **bold** and `code` in a long paragraph that keeps on going. "
    view.begin_stream()
    view.append_text(sentence * 40)
    clock.step = 0.040  # read as the update starts and as it is shown: 40 ms apart
    view.frame()
    clock.step = 0.0
    before = view.toPlainText()
    waited = 0
    while view.toPlainText() == before:
        view.append_text(sentence)
        view.frame()
        waited += 1
        assert waited <= 8
    assert waited == 8
    view.end_stream()
    assert view.document().toHtml() == one_shot_html(qtbot, sentence * (40 + waited))


def test_plain_words_show_on_the_very_next_frame(view: MarkdownView) -> None:
    view.begin_stream()
    view.append_text("A long paragraph. " * 50 + "The")
    view.frame()
    view.streaming_document.check_invariants()
    for word in (" quick", " brown", " fox"):
        view.append_text(word)
        view.frame()
        view.streaming_document.check_invariants()
        assert view.toPlainText().endswith(word.strip())


def test_text_arriving_after_a_frame_read_the_last_shows_on_a_later_frame(
    view: MarkdownView, qtbot: QtBot
) -> None:
    # The frame timer is started by the first chunk after the text was read,
    # whoever read it (a frame, or the view asked for its Markdown).
    view.begin_stream()
    view.append_text("First words")
    view.frame()
    assert view.toPlainText() == "First words"
    view.append_text(" then more")
    view.append_text(" and more")
    assert view.markdown() == "First words then more and more"
    view.append_text(" at the end")
    qtbot.wait_until(lambda: view.toPlainText().endswith("at the end"), timeout=1000)
    assert view.toPlainText() == "First words then more and more at the end"


def test_waiting_text_shows_without_more_text_arriving(view: MarkdownView, qtbot: QtBot) -> None:
    view.begin_stream()
    view.append_text("Words words words. " * 50)
    view.frame()
    view.streaming_document.check_invariants()
    view.append_text("then **bold**")
    view.frame()  # waits for the pacer; the frame timer keeps running
    view.streaming_document.check_invariants()
    assert "bold" not in view.toPlainText()
    qtbot.wait_until(lambda: view.toPlainText().endswith("then bold"), timeout=1000)


def test_flush_shows_every_character_even_the_start_of_a_code_line(view: MarkdownView) -> None:
    view.begin_stream()
    view.append_text("```python\nimport os\n")
    view.flush()
    view.streaming_document.check_invariants()
    view.append_text("x = 1\ny = os.se")
    view.flush()
    view.streaming_document.check_invariants()
    assert view.toPlainText().endswith("y = os.se")


_COPY_THEN_QUIT = """
import sys
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from foxchat.store import MessageStatus, StoredMessage
from foxchat.ui.messages.markdown_view import MarkdownView
from foxchat.ui.messages.message_widget import MessageWidget

app = QApplication(sys.argv)
view = MarkdownView()
view.set_markdown("Area $\\\\pi r^2$ here.")
cursor = QTextCursor(view.document())
cursor.select(QTextCursor.SelectionType.Document)
view.setTextCursor(cursor)
view.copy()
print(QApplication.clipboard().text())
if sys.argv[1] == "button":
    message = StoredMessage(
        2, 1, 1, "assistant", "Use **bold**.", "", None, None, None, None, None,
        MessageStatus.COMPLETE, None, 1.0,
    )
    widget = MessageWidget(message, dark=False)
    widget.copy_button.click()
    print(QApplication.clipboard().text())
# No app.shutdown(): the clipboard keeps the copy until the process exits.
"""


@pytest.mark.parametrize("copied_by", ["selection", "button"])
def test_quitting_after_a_copy_exits_cleanly(tmp_path: Path, copied_by: str) -> None:
    """The clipboard frees its data at exit, after Python: data made in Python crashed it."""
    import os
    import subprocess
    import sys

    script = tmp_path / "copy_then_quit.py"
    script.write_text(_COPY_THEN_QUIT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), copied_by],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    expected = ["Area $\\pi r^2$ here."] + (["Use **bold**."] if copied_by == "button" else [])
    assert done.stdout.splitlines() == expected
