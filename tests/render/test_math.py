"""Math detection and typesetting rules: what becomes a formula, what stays text."""

from __future__ import annotations

import pytest

from foxchat.render import render_markdown
from foxchat.render._math import (
    MAX_MATH_CHARS,
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
