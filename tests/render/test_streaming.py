"""The streaming renderer: the finished document equals a one-shot render."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from foxchat.render import RenderCache, StreamingRenderer, render_document
from tests.render.html_tree import code_blocks, read_html

CORPUS = Path(__file__).parent / "corpus"
CORPUS_TEXTS = {path.name: path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.md"))}
ALL_CORPUS = "\n\n".join(CORPUS_TEXTS.values())


def stream(text: str, cuts: list[int], *, dark: bool = False) -> StreamingRenderer:
    renderer = StreamingRenderer(dark=dark)
    previous = 0
    for cut in [*sorted(cuts), len(text)]:
        renderer.append(text[previous:cut])
        previous = cut
        renderer.update()
    return renderer


@pytest.mark.parametrize("name", sorted(CORPUS_TEXTS))
def test_every_seven_characters_equals_one_shot(name: str) -> None:
    text = CORPUS_TEXTS[name]
    renderer = stream(text, list(range(7, len(text), 7)))
    assert renderer.finish() == render_document(text)


def test_whole_corpus_as_one_reply_every_seven_characters() -> None:
    renderer = stream(ALL_CORPUS, list(range(7, len(ALL_CORPUS), 7)))
    assert renderer.finish() == render_document(ALL_CORPUS)
    assert renderer.frozen_chars > len(ALL_CORPUS) // 2, "finished blocks were frozen"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(CORPUS_TEXTS)),
    fractions=st.lists(st.floats(min_value=0, max_value=1), max_size=40),
    dark=st.booleans(),
)
def test_random_splits_equal_one_shot(name: str, fractions: list[float], dark: bool) -> None:
    text = CORPUS_TEXTS[name]
    renderer = stream(text, [int(f * len(text)) for f in fractions], dark=dark)
    assert renderer.finish() == render_document(text, dark=dark)


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab |-*>`~$\\[]()#1.\n\n\r\t:=_!")), max_size=120),
    fractions=st.lists(st.floats(min_value=0, max_value=1), max_size=12),
)
def test_random_markdown_soup_equals_one_shot(text: str, fractions: list[float]) -> None:
    renderer = stream(text, [int(f * len(text)) for f in fractions])
    assert renderer.finish() == render_document(text)


def test_finished_blocks_are_not_rendered_again() -> None:
    renderer = StreamingRenderer()
    # "Second" needs its line finished before the blocks above it freeze.
    renderer.append("# Title\n\nFirst paragraph.\n\nSecond\n")
    first = renderer.update()
    assert "Title" in first.frozen_html and "First paragraph" in first.frozen_html
    assert "Second" in first.tail_html and "Title" not in first.tail_html
    renderer.append("and grows")
    second = renderer.update()
    assert second.frozen_html == ""
    assert "Second\nand grows" in second.tail_html


@pytest.mark.parametrize("start", ["Sec", "中文", "> q", "# H", "`", "~", "|", "$", "\\[", "!"])
def test_blocks_above_freeze_once_a_new_block_begins_after_a_blank_line(start: str) -> None:
    # The first character of the line after the blank one already settles it:
    # the blocks above are not parsed again while the rest of that line arrives.
    renderer = StreamingRenderer()
    renderer.append(f"# Title\n\n- First item\n\n{start}")
    update = renderer.update()
    assert "Title" in update.frozen_html and "First item" in update.frozen_html
    assert "First item" not in update.tail_html
    assert renderer.finish() == render_document(renderer.text)


@pytest.mark.parametrize("start", ["  indented", "- b", "* b", "+ b", "2", "1.", "\t"])
def test_a_line_that_may_still_join_the_list_above_keeps_it_open(start: str) -> None:
    # An indent or a list marker may make the list loose or continue its item.
    renderer = StreamingRenderer()
    renderer.append(f"# Title\n\n- First item\n\n{start}")
    update = renderer.update()
    assert "First item" not in update.frozen_html and "First item" in update.tail_html
    assert renderer.finish() == render_document(renderer.text)


_LINES = ["", "", "text", "中文字", "- a", "* b", "+ c", "1. d", "2) e", "  f", "    g", "> h"]
_LINES += ["# i", "```", "~~~", "````", "| x | y |", "|---|---|", "===", "---", "$$", "\\["]
_LINES += ["\\]", "[r]: /u", "a *b", "c*", "lazy"]


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.sampled_from(_LINES), max_size=14))
def test_blocks_of_every_kind_streamed_a_character_at_a_time_equal_one_shot(
    lines: list[str],
) -> None:
    # Setext underlines, tables under a paragraph, lazy continuation, lists that
    # become loose, fences of ~~~ and four backticks, CJK: each frozen block is final.
    text = "\n".join(lines)
    renderer = stream(text, list(range(1, len(text))))
    assert renderer.finish() == render_document(text)


def test_append_tells_whether_the_text_was_read_since_the_last_chunk() -> None:
    renderer = StreamingRenderer()
    assert renderer.append("a") is True
    assert renderer.append("b") is False
    assert renderer.text == "ab"
    assert renderer.append("c") is True
    renderer.update()
    assert renderer.append("d") is True and renderer.append("e") is False


def test_unclosed_fence_shows_as_code_while_streaming() -> None:
    renderer = StreamingRenderer()
    renderer.append("Intro\n\n```python\nprint('hi')\n")
    update = renderer.update()
    assert [pre.text for pre in read_html(update.tail_html).find("pre")] == ["print('hi')"]
    assert renderer.code_blocks == ("print('hi')",)


def test_reference_definitions_after_use_still_equal_one_shot() -> None:
    text = "See [the docs][d].\n\nMore text.\n\n[d]: https://example.com\n"
    renderer = stream(text, list(range(3, len(text), 3)))
    final = renderer.finish()
    assert final == render_document(text)
    assert 'href="https://example.com"' in final.html


def test_code_block_numbers_continue_across_frozen_blocks() -> None:
    text = "```\none\n```\n\npara\n\n```\ntwo\n```\n\nend"
    renderer = stream(text, list(range(1, len(text))))
    assert renderer.code_blocks == ("one", "two")
    assert 'href="foxchat-copy:1"' in renderer.html


def test_render_cache_renders_a_message_once() -> None:
    cache = RenderCache()
    first = cache.get("**bold**")
    assert cache.get("**bold**") is first
    assert cache.get("**bold**", dark=True) is not first
    assert len(cache) == 2


def test_render_cache_forgets_oldest_beyond_its_budget() -> None:
    cache = RenderCache(max_chars=10)
    old = cache.get("aaaaaa")
    cache.get("bbbbbb")
    assert len(cache) == 1
    assert cache.get("aaaaaa") is not old


def test_plain_words_are_appended_without_parsing_and_markup_still_parses() -> None:
    renderer = StreamingRenderer()
    renderer.append("Streaming prose grows")
    assert renderer.update().appended is None  # the first update always parses
    renderer.append(" word by word")
    grown = renderer.update()
    assert grown.appended == " word by word"
    assert renderer.html == render_document("Streaming prose grows word by word").html
    # An emphasis marker arrives: the earlier "*word" must become emphasis.
    renderer.append(" *and then")
    renderer.append(" more*")
    assert renderer.update().appended is None
    assert "<em>and then more</em>" in renderer.html
    assert renderer.finish() == render_document(renderer.text)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("An _intra_", "word"),  # an underscore inside a word is not emphasis
        ("Visit www", ".example.com"),  # becomes a GFM autolink
        ("Escaped \\", "!"),  # a backslash escape
        ("Entity &amp", ";"),
        ("1", ". item"),  # the line becomes a list item
        ("Mail me at me@example", ".com"),
        ("Trailing spaces   ", "then words"),
    ],
)
def test_growth_that_changes_earlier_text_is_parsed(before: str, after: str) -> None:
    renderer = StreamingRenderer()
    renderer.append(before)
    renderer.update()
    renderer.append(after)
    renderer.update()
    assert renderer.html == render_document(before + after).html
    assert renderer.finish() == render_document(before + after)


_PROSE_PIECES = ["a", "bc", " ", "  ", ".", ",", "'", '"', "!", "?", "é", "中", "www", "_", "*"]
_PROSE_PIECES += ["`", "\\", "&amp", ";", "\n", "\n\n", "1", "# ", "- ", "@", ":", "~~", "[x]"]


@settings(max_examples=200, deadline=None)
@given(pieces=st.lists(st.lists(st.sampled_from(_PROSE_PIECES), max_size=6), max_size=30))
def test_every_update_of_prose_equals_a_one_shot_render_so_far(pieces: list[list[str]]) -> None:
    renderer = StreamingRenderer()
    for chunk in ("".join(piece) for piece in pieces):
        renderer.append(chunk)
        renderer.update()
        # "~~" pieces open code fences, where the start of a line that came after
        # whole lines waits one update (as the view's flush does, update again).
        if renderer.pending:
            renderer.update()
        assert not renderer.pending
        assert renderer.html == render_document(renderer.text).html
    assert renderer.finish() == render_document(renderer.text)


def test_a_growing_code_block_keeps_its_finished_lines() -> None:
    renderer = StreamingRenderer()
    renderer.append("Intro\n\n```python\nimport os\nx = 1\ny = os.sep")
    before = renderer.update().tail_blocks
    renderer.append(" + 'z'")
    after = renderer.update().tail_blocks
    # Header and finished lines are the same HTML; only the last line changed.
    assert after[:-1] == before[:-1]
    assert after[-1] != before[-1]
    shown = code_blocks(read_html(renderer.html))
    assert [block.text for block in shown] == ["import os\nx = 1\ny = os.sep + 'z'"]
    # Finished lines are coloured; the line still arriving is shown plain.
    assert "<span" in before[-2] and "<span" not in after[-1]
    assert renderer.finish() == render_document(renderer.text)


def test_a_code_line_is_coloured_as_soon_as_its_newline_arrives() -> None:
    # The newline that ends the line is the token's own, not yet code shown:
    # the line is complete, so it is shown coloured now and never replaced.
    renderer = StreamingRenderer()
    renderer.append("```python\nimport os\n")
    first = renderer.update().tail_blocks
    assert "<span" in first[-1]
    renderer.append("x = os.sep\n")
    second = renderer.update().tail_blocks
    assert second[: len(first)] == first
    assert "<span" in second[-1]
    renderer.append("```\n")
    assert renderer.update().tail_blocks[: len(second)] == second
    assert renderer.finish() == render_document(renderer.text)


@pytest.mark.parametrize(
    "code",
    ["\nfirst", "first\n\n\nsecond", "first\n", "first\n\n", "\n", "  \n\n  x", 'x = """a\n\nb"""'],
)
def test_blank_lines_in_code_survive_one_pre_per_line(code: str) -> None:
    for language in ("", "python"):
        result = render_document(f"```{language}\n{code}\n```")
        assert result.code_blocks == (code,)
        assert [block.text for block in code_blocks(read_html(result.html))] == [code]


def test_unchanged_list_items_and_cells_show_the_same_after_every_update() -> None:
    # Items and cells unchanged since the last parse reuse its inline tokens.
    text = (
        "1. Install *it* with `pip`\n2. See [docs](https://d.example) and **more**\n"
        "   - nested `x`\n\n| a | `b` |\n|---|---|\n| *c* | d \\| e |\n| [f](https://e.com) | g |\n"
    )
    renderer = StreamingRenderer()
    for cut in range(1, len(text) + 1):
        renderer.append(text[cut - 1 : cut])
        renderer.update()
        assert renderer.html == render_document(renderer.text).html, renderer.text
    assert renderer.finish() == render_document(text)


_FENCE_PIECES = ["```", "~~~", "`", "~", "\n", "\n\n", " ", "   ", "\t", "a", "py", "\r\n", "x = 1"]
_FENCE_PIECES += ["````", "# ", "- ", "> ", "é", "\0", "\x0c", "\u00a0"]


@settings(max_examples=300, deadline=None)
@given(
    opening=st.sampled_from(["```python\n", "~~~\n", "````\n", "```\n", " ```py\n", "```py"]),
    pieces=st.lists(st.lists(st.sampled_from(_FENCE_PIECES), max_size=5), max_size=25),
)
def test_every_update_of_a_growing_fence_holds_the_code_a_parse_finds(
    opening: str, pieces: list[list[str]]
) -> None:
    # Code added to an open fence skips the parse; what it shows must not differ.
    renderer = StreamingRenderer()
    renderer.append("Intro\n\n" + opening)
    renderer.update()
    for chunk in ("".join(piece) for piece in pieces):
        renderer.append(chunk)
        renderer.update()
        shown = renderer.text[: renderer.shown_chars]
        assert renderer.code_blocks == render_document(shown).code_blocks
    assert renderer.finish() == render_document(renderer.text)


def test_a_growing_fence_is_not_parsed_until_a_line_could_close_it() -> None:
    renderer = StreamingRenderer()
    renderer.append("```python\nimport os\n")
    renderer.update()
    renderer.append("x = 1\n~~~ not a close\n``")
    update = renderer.update()
    # Whole new lines show at once; the line just begun waits for the next update.
    assert renderer.code_blocks == ("import os\nx = 1\n~~~ not a close",)
    assert update.tail_blocks == renderer.tail_blocks
    assert renderer.pending
    renderer.update()
    assert renderer.code_blocks == ("import os\nx = 1\n~~~ not a close\n``",)
    renderer.append("`\nafter the fence")
    renderer.update()
    assert renderer.code_blocks == ("import os\nx = 1\n~~~ not a close",)
    assert "after the fence" in renderer.html
    assert renderer.finish() == render_document(renderer.text)
