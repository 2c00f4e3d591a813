"""Pygments syntax highlighting as Qt rich text with inline styles.

Qt's rich-text engine takes no style sheets from a reply, so every colour is
written on its span. Two Pygments styles are used: one chosen for contrast on a
light background and one for a dark background; the code block's own background
is set too, so the text stays readable whatever the window palette is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html import escape
from typing import Any


@dataclass(frozen=True)
class CodePalette:
    """Colours of a code block and of inline code for one window theme."""

    background: str
    foreground: str
    header_background: str
    header_foreground: str
    inline_background: str
    border: str
    pygments_style: str


LIGHT = CodePalette(
    background="#f6f8fa",
    foreground="#1f2328",
    header_background="#e8ebef",
    header_foreground="#57606a",
    inline_background="#eaeef2",
    border="#d0d7de",
    pygments_style="default",
)
DARK = CodePalette(
    background="#161b22",
    foreground="#e6edf3",
    header_background="#262c36",
    header_foreground="#9da7b3",
    inline_background="#343b45",
    border="#3d444d",
    pygments_style="github-dark",
)


def palette(dark: bool) -> CodePalette:
    """The palette for a dark or a light window."""
    return DARK if dark else LIGHT


@cache
def _lexer(language: str) -> Any:
    # Pygments loads with the first code block, not with the window (~5 ms).
    # It ships no type information (types-Pygments is not a dependency).
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        # stripnl would drop leading blank lines: the code must stay exact.
        return get_lexer_by_name(language, stripnl=False, ensurenl=False, stripall=False)
    except ClassNotFound:
        return None


def has_lexer(language: str) -> bool:
    """Whether Pygments knows ``language`` (e.g. "py", "rust", "bash")."""
    return bool(language) and _lexer(language.lower()) is not None


@cache
def _span_style(style_name: str, token_type: Any) -> str:
    from pygments.styles import get_style_by_name

    spec = get_style_by_name(style_name).style_for_token(token_type)
    parts: list[str] = []
    if spec["color"]:
        parts.append(f"color:#{spec['color']}")
    if spec["bold"]:
        parts.append("font-weight:600")
    if spec["italic"]:
        parts.append("font-style:italic")
    return ";".join(parts)


def highlight_lines(code: str, language: str, dark: bool) -> list[str]:
    """Escaped HTML of each line of ``code``; coloured spans when the language is known.

    A token spanning lines (a docstring, say) is closed at each line end and
    reopened on the next line, so every line stands on its own.
    """
    # No code, nothing to colour: and while a fence streams in, its language is
    # often a prefix ("pyth") that Pygments would search all its lexers for.
    lexer = _lexer(language.lower()) if language and code else None
    if lexer is None:
        return [escape(line, quote=False) for line in code.split("\n")]
    style_name = palette(dark).pygments_style
    lines: list[str] = []
    out: list[str] = []
    # Adjacent tokens of one colour become one span: far less HTML for Qt to parse.
    run_css = ""
    run: list[str] = []
    for token_type, value in lexer.get_tokens(code):
        css = _span_style(style_name, token_type) if value.strip() else run_css
        if css != run_css:
            out.append(_span(run_css, run))
            run_css, run = css, []
        if "\n" not in value:
            run.append(value)
            continue
        first, *middle, last = value.split("\n")
        run.append(first)
        out.append(_span(run_css, run))
        lines.append("".join(out))
        for line in middle:
            lines.append(_span(run_css, [line]))
        out, run = [], [last]
        if not last.strip():
            # A line starts uncoloured unless a token runs on into it, so each
            # line's HTML is the same whether lexed alone or in its file.
            run_css = ""
    out.append(_span(run_css, run))
    lines.append("".join(out))
    return lines


class StreamingHighlighter:
    """Highlights a code block that grows line by line without re-lexing it all.

    Complete lines already highlighted are reused; a line still arriving (no
    newline after it yet) is shown uncoloured, and each batch of lines
    completed since the last update is lexed as if it started a file. A
    construct spanning that seam (a docstring, say) may be coloured wrongly
    until the block is finished; finished blocks are always highlighted whole
    by ``highlight_lines``.
    """

    def __init__(self) -> None:
        self._key: tuple[str, bool] = ("", False)
        self._done_code = ""
        self._done_lines: list[str] = []

    def highlight(self, content: str, language: str, dark: bool) -> list[str]:
        """HTML of each line of a code token's ``content``, as ``highlight_lines`` splits
        its code (``content`` without the final newline); a last line with no newline
        after it yet is uncoloured."""
        if (language, dark) != self._key or not content.startswith(self._done_code):
            self._key, self._done_code, self._done_lines = (language, dark), "", []
        rest = content[len(self._done_code) :]
        cut = rest.rfind("\n") + 1
        if cut:
            # Complete lines are lexed once and kept for the next update.
            self._done_code += rest[:cut]
            self._done_lines += highlight_lines(rest[: cut - 1], language, dark)
            rest = rest[cut:]
        if rest or not self._done_lines:
            return [*self._done_lines, escape(rest, quote=False)]
        # Every line is complete: the newline ending the last one is the
        # token's own, which the code shown (and copied) leaves out.
        return list(self._done_lines)


def _span(css: str, parts: list[str]) -> str:
    text = escape("".join(parts), quote=False)
    return f'<span style="{css}">{text}</span>' if css and text else text
