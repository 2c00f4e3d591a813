"""Parser rules for LaTeX-style math delimiters ``\\(…\\)`` and ``\\[…\\]``.

Dollar math comes from mdit-py-plugins' ``dollarmath``; these two rules add the
bracket forms that gpt-4o and deepseek use most. Both produce the same token
types as ``dollarmath`` (``math_inline`` / ``math_block``) so one render rule
serves every delimiter. The block form never spans a blank line (LaTeX does not
allow one either), which also keeps the streaming renderer's freeze points safe:
text after a blank line can never change how earlier lines parse.

A formula that has not closed yet shows as its source, exactly as written (as
escapes, ``\\(``, ``\\[`` and ``\\,`` would lose their backslashes): an inline
``\\(`` without its ``\\)`` as the rest of its paragraph, and a display formula
whose ``\\[`` or ``$$`` is still open at the very end of the text (a reply still
arriving) as an ``UNFINISHED_MATH`` block, delimiter and all. Once the closing
delimiter arrives it is typeset, once.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the first frame shows math without markdown_it
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline


def _bracket_inline(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if not state.src.startswith("\\(", start):
        return False
    close = state.src.find("\\)", start + 2, state.posMax)
    if close < 0:
        # Not closed (yet): the rest is its source, as written. As escapes,
        # "\\(" and "\\," would lose their backslashes.
        if not silent:
            state.push("text", "", 0).content = state.src[start : state.posMax]
        state.pos = state.posMax
        return True
    if close == start + 2:
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content = state.src[start + 2 : close]
        token.markup = "\\("
    state.pos = close + 2
    return True


def _bracket_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.is_code_block(start_line):
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith("\\[", begin, state.eMarks[start_line]):
        return False
    first = state.src[begin + 2 : state.eMarks[start_line]]
    lines: list[str] = []
    line = start_line
    text = first
    while True:
        stripped = text.rstrip()
        if stripped.endswith("\\]") and not (line == start_line and len(stripped) < 2):
            lines.append(stripped[:-2])
            break
        lines.append(text)
        line += 1
        if line >= end_line:
            return _unfinished(state, start_line, end_line, silent, "\\[")
        if state.isEmpty(line):
            return False
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
    if silent:
        return True
    state.line = line + 1
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = "\n".join(part.strip() for part in lines).strip()
    token.markup = "\\["
    token.map = [start_line, state.line]
    return True


#: Token type of a display formula still open at the end of the text: shown as its source.
UNFINISHED_MATH = "math_block_unfinished"


def _unfinished(
    state: StateBlock, start_line: int, end_line: int, silent: bool, opener: str
) -> bool:
    """An ``UNFINISHED_MATH`` token for lines ``start_line`` up to ``end_line``, when they
    run to the end of the whole text; False (not this rule) when something follows."""
    if state.src[state.eMarks[end_line - 1] :].strip():
        return False  # the end of a quote or list item, not of the text
    if silent:
        return True
    lines = [
        state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
        for line in range(start_line, end_line)
    ]
    state.line = end_line
    token = state.push(UNFINISHED_MATH, "math", 0)
    token.block = True
    token.content = "\n".join(lines)
    token.markup = opener
    token.map = [start_line, end_line]
    return True


def _unfinished_dollar_block(
    state: StateBlock, start_line: int, end_line: int, silent: bool
) -> bool:
    """Before dollarmath's ``$$`` block: one that cannot close before the text ends.

    It follows dollarmath's rule for what closes the block (a line ending in
    ``$$``, or ``$$`` again on the opening line) and what ends it unclosed (a
    blank line); only a block that reaches the end of the text is taken.
    """
    if state.is_code_block(start_line):
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith("$$", begin, state.eMarks[start_line]):
        return False
    if "$$" in state.src[begin + 2 : state.eMarks[start_line]]:
        return False
    for line in range(start_line + 1, end_line):
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]].strip()
        if not text or text.endswith("$$"):
            return False
    return _unfinished(state, start_line, end_line, silent, "$$")


def bracket_math_plugin(md: MarkdownIt) -> None:
    """Teach ``md`` the ``\\(…\\)`` inline and ``\\[…\\]`` display math forms, and show an
    unfinished display formula as its source (see the module docstring)."""
    # Before "escape", or the backslash would be eaten as an escape of "(".
    md.inline.ruler.before("escape", "math_inline_bracket", _bracket_inline)
    md.block.ruler.before(
        "fence",
        "math_block_bracket",
        _bracket_block,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    # Like dollarmath's own rule, a $$ line does not interrupt a paragraph.
    md.block.ruler.before("math_block", "math_block_unfinished", _unfinished_dollar_block)


# A dollar sign not escaped with a backslash.
_DOLLAR = re.compile(r"(?<!\\)\$")


def ends_in_open_formula(text: str) -> bool:
    """Whether ``text``, a reply still arriving, seems to end inside a formula
    (``$…``, ``\\(…``, ``$$…`` or ``\\[…``) whose closing delimiter has not come yet.

    A guess for pacing only (``RenderPacer``), never for what is shown: it counts
    the delimiters of the last paragraph, so it errs towards yes (a price such
    as "$5" with no other dollar sign after it also counts), which costs no more
    than a few frames' wait.
    """
    paragraph = text[text.rfind("\n\n") + 1 :]
    if paragraph.count("\\(") > paragraph.count("\\)"):
        return True
    if paragraph.count("\\[") > paragraph.count("\\]") or paragraph.count("$$") % 2:
        return True
    return len(_DOLLAR.findall(paragraph.replace("$$", ""))) % 2 == 1


# -- typesetting -----------------------------------------------------------------
#
# Math becomes a picture the window draws itself: the HTML names it with a
# ``foxchat-math:`` URL that carries the LaTeX (so nothing has to be looked up
# and nothing can go stale), and the view's loadResource typesets it with
# ziamath in the theme's colour at the text's size. Candidates were measured
# on real model output (fractions, sums, integrals, matrices, aligned
# equations, \text{}, Greek): ziamath typeset all 15 of the corpus in 1-11 ms
# each, pure Python, MIT, with its own STIX Two Math font; latex2mathml alone
# gives MathML, which Qt cannot draw. ziamath's font has no CJK glyphs, so
# math with CJK text keeps the monospace source, as does anything
# latex2mathml cannot parse.

#: The scheme of the pictures math becomes; the only resources a reply may name.
MATH_SCHEME = "foxchat-math"

#: Anything from here up (CJK, Hangul, full-width forms) has no glyph in the math font.
_FIRST_UNCOVERED = "\u2e80"
#: A formula longer than this is left as source: no model writes one, a hostile server might.
MAX_MATH_CHARS = 2_000

_checked: dict[str, bool] = {}


def typesettable(latex: str) -> bool:
    """Whether ``latex`` can be drawn (parsed, and every character in the font)."""
    known = _checked.get(latex)
    if known is not None:
        return known
    ok = (
        bool(latex.strip())
        and len(latex) <= MAX_MATH_CHARS
        and all(ch < _FIRST_UNCOVERED for ch in latex)
    )
    if ok:
        # Loaded with the first formula: most replies have none.
        from latex2mathml.converter import convert

        try:
            convert(latex)
        except Exception:  # the parser raises a dozen kinds; any means "not math we can draw"
            ok = False
    if len(_checked) > 10_000:
        _checked.clear()
    _checked[latex] = ok
    return ok


@functools.lru_cache(maxsize=4096)
def math_url(latex: str, *, display: bool, dark: bool) -> str:
    """The ``foxchat-math:`` URL for a formula (its kind and theme, then the LaTeX).

    Kept for each formula: a streaming paragraph is rendered again on every
    update with the same formulas in it, and quoting them was an eighth of the
    render of a reply dense with math.
    """
    from urllib.parse import quote

    kind = "b" if display else "i"
    return f"{MATH_SCHEME}:{kind}{int(dark)}{quote(latex, safe='')}"


@functools.lru_cache(maxsize=1024)
def parse_math_url(url: str) -> tuple[str, bool, bool] | None:
    """(latex, display, dark) from a URL made by :func:`math_url`, or None."""
    from urllib.parse import unquote

    prefix = f"{MATH_SCHEME}:"
    if not url.startswith(prefix) or len(url) < len(prefix) + 2:
        return None
    body = url[len(prefix) :]
    kind, dark = body[0], body[1]
    if kind not in "ib" or dark not in "01":
        return None
    return unquote(body[2:]), kind == "b", dark == "1"


def math_svg(latex: str, *, display: bool, color: str, size: float) -> str:
    """The formula as an SVG document (raises on LaTeX that cannot be typeset)."""
    import warnings

    # ziamath finds its font with importlib.resources.path, which Python
    # deprecates; the warning is theirs, not a problem for the person.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from ziamath.config import config
        from ziamath.zmath import Latex

        # SVG 1.1 (every glyph a path of its own): Qt's SVG renderer, like some
        # browsers, draws nothing for SVG 2's <symbol>/<use href>.
        config.svg2 = False
        return str(Latex(latex, size=size, color=color, inline=not display).svg())
