"""Math detection and typesetting rules: what becomes a formula, what stays text."""

from __future__ import annotations

from html import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foxchat.render import StreamingRenderer, render_document, render_markdown
from foxchat.render._math import (
    MAX_MATH_CHARS,
    ends_in_open_formula,
    math_svg,
    math_url,
    parse_math_url,
    typesettable,
)


@pytest.mark.parametrize(
    "text",
    [
        "It costs $5 and $10 today.",
        "Prices: $3.50 or $ 4.",
        "Between $ and $ is nothing.",
        "A lone $ sign.",
    ],
)
def test_dollar_amounts_are_not_math(text: str) -> None:
    html = render_markdown(text)
    assert "foxchat-math:" not in html and "<code>" not in html
    assert "$" in html


@pytest.mark.parametrize(
    ("text", "latex", "display"),
    [
        ("Solve $x^2 = 4$ now.", "x^2 = 4", False),
        ("Inline \\(a+b\\) too.", "a+b", False),
        ("Energy $$E=mc^2$$ inline.", "E=mc^2", False),
        ("$$\n\\frac{1}{2}\n$$", "\\frac{1}{2}", True),
        ("\\[\n\\int_0^1 x\\,dx\n\\]", "\\int_0^1 x\\,dx", True),
    ],
)
def test_each_delimiter_becomes_a_picture_named_by_its_latex(
    text: str, latex: str, display: bool
) -> None:
    html = render_markdown(text)
    assert math_url(latex, display=display, dark=False) in html
    assert parse_math_url(math_url(latex, display=display, dark=True)) == (latex, display, True)


@pytest.mark.parametrize(
    "latex",
    ["\\text{面积} = \\pi r^2", "\\frac{a}{", "x" * (MAX_MATH_CHARS + 1), "   "],
)
def test_what_cannot_be_typeset_stays_source_without_an_error(latex: str) -> None:
    assert not typesettable(latex)
    html = render_markdown(f"Here: \\({latex}\\)")
    assert "foxchat-math:" not in html


def test_the_picture_follows_the_theme_colour_and_size() -> None:
    light = math_svg("x^2", display=False, color="#1f2328", size=16)
    dark = math_svg("x^2", display=False, color="#e6edf3", size=32)
    assert light.startswith("<svg") and "#1f2328" in light and "#e6edf3" in dark
    assert "<use" not in light, "every glyph drawn, so Qt's SVG renderer shows it"


@pytest.mark.parametrize(
    "url", ["foxchat-math:", "foxchat-math:x0abc", "foxchat-math:i2abc", "file:///etc/passwd"]
)
def test_other_urls_are_not_math(url: str) -> None:
    assert parse_math_url(url) is None


def test_a_growing_paragraph_quotes_each_formula_once() -> None:
    """Rendered again as it streams, the paragraph's formulas reuse their URLs."""
    paragraph = "Let $f(x) = a_7 x^2 + b x + c$ with $a \\neq 7$ and $\\sum_{k=1}^{7} k^2$."
    render_markdown(paragraph)
    before = math_url.cache_info()
    html = render_markdown(paragraph + " More words follow.")
    after = math_url.cache_info()
    assert after.hits - before.hits == 3 and after.misses == before.misses
    assert math_url("a \\neq 7", display=False, dark=False) in html
    assert html == render_markdown(paragraph + " More words follow.")


@pytest.mark.parametrize(
    "source",
    [
        "\\[\n\\int_0^1 e^{-t^2}\\,dt \\approx \\frac{\\sqrt{\\pi}}{2",
        "\\[ \\{x \\mid x > 0\\}",
        "$$\nx_{1,2} = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a} \\, *not* _emphasis_",
    ],
)
def test_an_unfinished_display_formula_shows_its_source_as_written(source: str) -> None:
    """Still arriving, it shows as source: the delimiter and every backslash kept."""
    html = render_markdown(f"The integral:\n\n{source}")
    assert f"<pre>{escape(source, quote=False)}</pre>" in html
    assert "foxchat-math:" not in html and "<em>" not in html


def test_an_unclosed_inline_formula_shows_the_rest_of_its_paragraph_as_written() -> None:
    html = render_markdown("Their sum is \\(x_1 + x_2 = -\\frac{b}{a} \\, *so*\n\nNext *one*.")
    assert "<p>Their sum is \\(x_1 + x_2 = -\\frac{b}{a} \\, *so*</p>" in html
    assert "<p>Next <em>one</em>.</p>" in html


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("\\[\n\\int_0^1 x\\,dx\n\\]", "\\int_0^1 x\\,dx"),
        ("$$\n\\frac{1}{2}\n$$", "\\frac{1}{2}"),
    ],
)
def test_once_closed_the_formula_is_typeset_and_its_source_gone(text: str, latex: str) -> None:
    html = render_markdown(text)
    assert math_url(latex, display=True, dark=False) in html and "<pre>" not in html


@pytest.mark.parametrize(
    "text",
    [
        "\\[\nx + 1\n\nThen a paragraph.",  # a blank line ends it unclosed
        "> \\[\n> x + 1\n\nAfter the quote.",
        "- $$\n  x + 1\n\nAfter the list.",
        "Text before\n$$\nx + 1",  # $$ does not interrupt a paragraph
    ],
)
def test_an_unclosed_formula_that_does_not_end_the_text_is_not_held_as_source(text: str) -> None:
    assert "<pre>" not in render_markdown(text)


_MATH_PIECES = ["\\[", "\\]", "$$", "$", "\\(", "\\)", "\\,", "\\frac{a}{b}", "x^2", "_1"]
_MATH_PIECES += ["\n", "\n\n", "  ", " ", "\t", "word", "*", "> ", "- ", "\\", "]", "{", "}"]


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.lists(st.sampled_from(_MATH_PIECES), max_size=5), max_size=30))
def test_every_update_of_streamed_math_equals_a_one_shot_render_so_far(
    pieces: list[list[str]],
) -> None:
    # Unfinished formulas show as source while streaming; the finished reply is typeset.
    renderer = StreamingRenderer()
    renderer.append("Intro\n\n")
    for chunk in ("".join(piece) for piece in pieces):
        renderer.append(chunk)
        renderer.update()
        assert renderer.html == render_document(renderer.text).html
    assert renderer.finish() == render_document(renderer.text)


@pytest.mark.parametrize(
    ("text", "open_formula"),
    [
        ("Let $x^2 + ", True),
        ("Let $x^2$ and", False),
        ("It costs $5 and $10 today", False),
        ("and their sum is \\(x_1 +", True),
        ("and their sum is \\(x_1\\) so", False),
        ("A paragraph with $a.\n\nThe next one", False),
        ("Done.\n\nLet $f(x", True),
        ("$$x$$ and then $y", True),
        ("An escaped \\$ sign", False),
        ("The roots are\n\n$$\nx_{1,2} = \\frac{-b", True),
        ("The roots are\n\n$$\nx = 1\n$$\n", False),
        ("and the integral\n\n\\[\n\\int_0^1", True),
        ("and the integral\n\n\\[\n\\int_0^1 x\\,dx\n\\]", False),
    ],
)
def test_text_ending_inside_a_formula_is_told_apart(text: str, open_formula: bool) -> None:
    assert ends_in_open_formula(text) is open_formula
