"""Long unbroken runs: break opportunities for display, overlong runs cut short, wide tables."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from foxchat.render import (
    DISPLAY_BREAK,
    SHOW_ALL_SCHEME,
    RenderCache,
    StreamingRenderer,
    render_document,
)
from foxchat.render._document import REPLY_DISPLAY_CHARS
from foxchat.render._long_runs import BREAKS_FROM, ELIDE_KEEP, break_runs
from foxchat.render._parser import MAX_TABLE_COLUMNS
from tests.render.html_tree import read_html

_LONGEST_UNBROKEN = re.compile(f"[^\\s{DISPLAY_BREAK}]+")


def longest_unbroken(text: str) -> int:
    """The longest stretch Qt could not break: no whitespace, no zero-width space."""
    return max((len(run) for run in _LONGEST_UNBROKEN.findall(text)), default=0)


def test_a_long_token_gets_break_opportunities_and_keeps_every_character() -> None:
    token = "QUJD" * 2_400  # 9,600 characters of base64, no space
    shown = read_html(render_document(token).html).text
    assert longest_unbroken(shown) <= BREAKS_FROM
    assert shown.replace(DISPLAY_BREAK, "").strip() == token


def test_ordinary_words_and_prose_are_left_alone() -> None:
    prose = "A sentence with a long Donaudampfschifffahrtsgesellschaftskapitän in it. " * 50
    assert DISPLAY_BREAK not in render_document(prose).html
    assert DISPLAY_BREAK not in render_document("x" * BREAKS_FROM).html


def test_a_run_across_formatting_and_a_link_text_is_broken_too() -> None:
    text = "a" * 300 + "**" + "b" * 300 + "**`" + "c" * 300 + "` https://example.com/" + "d" * 300
    html = render_document(text).html
    tree = read_html(html)
    assert longest_unbroken(tree.text) <= BREAKS_FROM
    assert tree.text.replace(DISPLAY_BREAK, "").strip() == text.replace("*", "").replace("`", "")
    # The link goes where the text says, without the display breaks.
    assert [a.attrs["href"] for a in tree.find("a")] == ["https://example.com/" + "d" * 300]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="ab \n", max_size=600).map(lambda t: t.replace("a", "a" * 40)),
    cuts=st.lists(st.integers(min_value=0, max_value=20_000), max_size=8),
)
def test_breaks_do_not_depend_on_what_follows(text: str, cuts: list[int]) -> None:
    whole, whole_run = break_runs(text)
    pieces, run, previous = [], 0, 0
    for cut in [*sorted(c % (len(text) + 1) for c in cuts), len(text)]:
        piece, run = break_runs(text[previous:cut], run)
        pieces.append(piece)
        previous = cut
    assert "".join(pieces) == whole
    assert run == whole_run


def test_a_streamed_token_equals_a_one_shot_render_at_every_update() -> None:
    renderer = StreamingRenderer()
    text = "Here it is: " + "Zm9vYmFy" * 240 + " and " + "x" * 500 + " done."
    appended = 0
    for start in range(0, len(text), 7):
        renderer.append(text[start : start + 7])
        if renderer.update().appended is not None:
            appended += 1
        assert renderer.html == render_document(renderer.text).html
    assert renderer.finish() == render_document(text)
    assert appended > len(text) // 7 - 10, "the token grew without a parse per chunk"


def test_a_megabyte_token_is_cut_short_with_a_way_to_show_it_whole() -> None:
    token = "A" * 1_000_000
    tree = read_html(render_document(f"Before.\n\n{token}\n\nAfter.").html)
    shown = tree.text.replace(DISPLAY_BREAK, "")
    assert ELIDE_KEEP <= shown.count("A") < 10_000
    assert "995,000 characters" in shown
    assert [a.attrs["href"] for a in tree.find("a")] == [f"{SHOW_ALL_SCHEME}:"]
    assert "Before." in shown and "After." in shown

    whole = read_html(render_document(token, whole=True).html).text
    assert longest_unbroken(whole) <= BREAKS_FROM
    assert whole.replace(DISPLAY_BREAK, "").strip() == token


def test_a_line_of_ten_thousand_quote_marks_is_capped_and_breakable() -> None:
    tree = read_html(render_document(">" * 10_000).html)
    assert longest_unbroken(tree.text) <= BREAKS_FROM
    assert tree.text.replace(DISPLAY_BREAK, "").count(">") > 9_000


def test_a_fifty_thousand_column_table_shows_its_first_columns_and_says_so() -> None:
    columns = 50_000
    table = "|" + "h|" * columns + "\n|" + "-|" * columns + "\n|" + "1|" * columns + "\n"
    tree = read_html(render_document(table + "\nAfter the table.").html)
    assert len(tree.find("th")) == MAX_TABLE_COLUMNS
    assert len(tree.find("td")) == MAX_TABLE_COLUMNS
    assert "This table has 50,000 columns" in tree.text
    assert "After the table." in tree.text


def test_a_table_within_the_limit_is_whole_and_says_nothing() -> None:
    columns = MAX_TABLE_COLUMNS
    table = "|" + "h|" * columns + "\n|" + "-|" * columns + "\n|" + "1|" * columns + "\n"
    tree = read_html(render_document(table).html)
    assert len(tree.find("th")) == columns
    assert "columns" not in tree.text


def test_a_paragraph_with_an_overlong_run_is_shown_plain_and_cut_short() -> None:
    text = "Look: **bold** " + "B" * 30_000 + " and *more*."
    tree = read_html(render_document(text).html)
    assert not tree.find("b") and not tree.find("strong")
    shown = tree.text.replace(DISPLAY_BREAK, "")
    assert "Look: **bold** " + "B" * ELIDE_KEEP in shown
    assert "25,000 characters" in shown
    assert "and *more*." in shown


def test_streaming_past_the_cut_equals_a_one_shot_render_at_every_update() -> None:
    renderer = StreamingRenderer()
    text = "Blob: " + "Zm9v" * 6_000 + " end.\n\nNext *paragraph*."
    for start in range(0, len(text), 997):
        renderer.append(text[start : start + 997])
        renderer.update()
        assert renderer.html == render_document(renderer.text).html
    assert renderer.finish() == render_document(text)


def test_a_megabyte_code_line_is_cut_short_and_its_copy_holds_it_whole() -> None:
    line = "QUJD" * 250_000
    text = f"```text\nshort line\n{line}\nlast line\n```\n"
    rendered = render_document(text)
    assert rendered.code_blocks == (f"short line\n{line}\nlast line",)
    shown = read_html(rendered.html).text
    assert ELIDE_KEEP <= shown.count("QUJD") * 4 < 10_000
    assert "goes on for 995,000 more characters" in shown
    assert "short line" in shown and "last line" in shown
    assert line in read_html(render_document(text, whole=True).html).text


def test_a_streamed_long_code_line_ends_as_the_one_shot_render() -> None:
    text = "```python\nx = 1\n" + "y = '" + "Zm9v" * 5_000 + "'\nz = 2\n```\n\nDone."
    renderer = StreamingRenderer()
    for start in range(0, len(text), 1_000):
        renderer.append(text[start : start + 1_000])
        renderer.update()
        assert len(renderer.tail_html) < 20_000, "the long line is shown cut short"
    assert renderer.finish() == render_document(text)


def test_a_megabyte_reply_is_shown_by_its_beginning_with_a_way_to_show_it_all() -> None:
    paragraph = "Some words of an ordinary paragraph, repeated at length. " * 20
    reply = "\n\n".join([paragraph] * 900)  # about 1 MB, no long run
    cache = RenderCache()
    beginning = cache.get(reply)
    tree = read_html(beginning.html)
    assert 150_000 < len(tree.text) < REPLY_DISPLAY_CHARS + 1_000
    assert tree.text.count(paragraph.strip()) == len(tree.find("p")) - 1, "whole paragraphs only"
    assert f"This reply is {len(reply):,} characters long" in tree.text
    assert [a.attrs["href"] for a in tree.find("a")] == [f"{SHOW_ALL_SCHEME}:"]
    assert cache.get(reply, whole=True) == render_document(reply, whole=True)


def test_a_code_block_cut_by_the_reply_limit_is_left_out_not_shown_half() -> None:
    code = "\n".join(f"line {n}" for n in range(40_000))
    reply = f"Intro.\n\n```text\n{code}\n```\n\nOutro."
    beginning = RenderCache().get(reply)
    assert beginning.code_blocks == ()
    assert "Intro." in read_html(beginning.html).text


def test_a_long_reply_streamed_is_not_cached_as_its_beginning() -> None:
    reply = "word " * 100_000
    cache = RenderCache()
    cache.put(reply, render_document(reply))
    assert len(cache) == 0
    assert "This reply is" in read_html(cache.get(reply).html).text


def test_many_lines_full_of_pipes_that_are_no_table_parse_in_linear_time() -> None:
    text = "\n".join("a" + " | x" * 100 for _ in range(3_000))
    started = time.perf_counter()
    tree = read_html(render_document(text).html)
    assert time.perf_counter() - started < 10, "not once per line for every line"
    assert not tree.find("table")


def test_each_overlong_code_line_gets_its_own_note() -> None:
    lines = ["short", "L" * 12_000, "", "M" * 20_000, "end"]
    rendered = render_document("```\n" + "\n".join(lines) + "\n```")
    assert rendered.code_blocks == ("\n".join(lines),)
    shown = [line for line in read_html(rendered.html).text.split("\n") if line.strip()]
    assert shown[-3].startswith("L" * ELIDE_KEEP + " … ") and "7,000 more" in shown[-3]
    assert shown[-2].startswith("M" * ELIDE_KEEP + " … ") and "15,000 more" in shown[-2]
    assert shown[-1] == "end"
