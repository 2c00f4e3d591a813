"""markdown-it tokens to the HTML subset that Qt's rich-text engine understands.

Qt's importer knows paragraphs, headings, lists, tables, ``pre``, ``code``,
links and inline ``style`` attributes, but no classes, style sheets, borders on
blocks or form controls. So code blocks become a header line (language and a
``foxchat-copy:N`` link) over one ``pre`` per line with inline Pygments
colours, task list boxes become ☐/☑ characters, images become links (never
``<img>``, nothing is ever fetched) and math becomes monospace text. Long
unbroken runs of text get invisible break opportunities and, in a paragraph
shown as plain text, overlong ones are cut short (see ``_long_runs``); a table
cut to its first columns says so under it.

The output is a pure function of the tokens and the ``env``: rendering a
document in pieces and joining the results gives the same HTML as rendering it
whole, which the streaming renderer relies on.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from foxchat.i18n import _
from foxchat.render._highlight import StreamingHighlighter, highlight_lines, palette
from foxchat.render._long_runs import BREAKS_FROM, break_runs, cut_code, plain_html
from foxchat.render._math import math_svg, math_url, typesettable
from foxchat.render._parser import MAX_TABLE_COLUMNS, TABLE_COLUMNS

COPY_SCHEME = "foxchat-copy"
"""Links ``foxchat-copy:N`` ask the view to copy code block number N."""

_ALIGN_PREFIX = "text-align:"

TABLE_NOTE = (
    "This table has {columns:,} columns; FoxChat shows the first {shown}. "
    "Copy the message to see them all."
)

#: Table rules, light and dark: at least 3:1 against the reply's background in
#: each theme (WCAG's minimum for the edges that make a grid readable); the
#: code palette's softer border all but vanished on white.
TABLE_RULE = {False: "#8c959f", True: "#6e7681"}

# Inline tokens whose content is shown as text, so it is part of a run.
_RUN_TOKENS = frozenset({"text", "code_inline", "math_inline", "html_inline"})
_RUN_BREAKS = frozenset({"softbreak", "hardbreak"})


class RenderEnv:
    """Keys this renderer reads from and writes to markdown-it's ``env`` dict."""

    DARK = "foxchat_dark"
    CODE_BLOCKS = "foxchat_code_blocks"  # list[str], appended in document order
    CODE_OFFSET = "foxchat_code_offset"  # int: blocks rendered before this piece
    HIGHLIGHTER = "foxchat_highlighter"  # StreamingHighlighter for a live tail, or absent
    WHOLE = "foxchat_whole"  # bool: show overlong runs whole instead of cut short
    DOCUMENT = "foxchat_document"  # bool: for a document (an export): no Copy links
    # str or absent: formulas as inline SVG in this colour, not pictures the view draws
    MATH_INK = "foxchat_math_ink"


def new_env(
    *,
    dark: bool,
    code_offset: int = 0,
    highlighter: StreamingHighlighter | None = None,
    whole: bool = False,
    document: bool = False,
    math_ink: str | None = None,
) -> dict[str, Any]:
    """A fresh ``env`` for one render call (``highlighter`` only for a live tail)."""
    env: dict[str, Any] = {
        RenderEnv.DARK: dark,
        RenderEnv.CODE_BLOCKS: [],
        RenderEnv.CODE_OFFSET: code_offset,
        RenderEnv.WHOLE: whole,
    }
    if document:
        env[RenderEnv.DOCUMENT] = True
    if math_ink is not None:
        env[RenderEnv.MATH_INK] = math_ink
    if highlighter is not None:
        env[RenderEnv.HIGHLIGHTER] = highlighter
    return env


def code_text(token: Token) -> str:
    """The code a block holds, as the user would paste it (no final newline)."""
    content = token.content
    return content[:-1] if content.endswith("\n") else content


class QtRichTextRenderer(RendererHTML):
    """Token stream to Qt rich text; method names match token types."""

    def renderInline(self, tokens: Sequence[Token], options: OptionsDict, env: EnvType) -> str:
        return super().renderInline(_with_breaks(tokens), options, env)

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return "".join(code_block_parts(tokens[idx], env))

    def code_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return "".join(code_block_parts(tokens[idx], env))

    def code_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        colours = palette(bool(env.get(RenderEnv.DARK)))
        text = escape(tokens[idx].content, quote=False)
        return f'<code style="background-color:{colours.inline_background}">{text}</code>'

    def inline_plain(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return plain_html(tokens[idx].content, whole=bool(env.get(RenderEnv.WHOLE)))

    def math_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        latex = tokens[idx].content
        if not typesettable(latex):
            return f"<code>{escape(latex, quote=False)}</code>"
        if RenderEnv.MATH_INK in env:
            return _math_svg_html(latex, display=False, ink=str(env[RenderEnv.MATH_INK]))
        url = math_url(latex, display=False, dark=bool(env.get(RenderEnv.DARK)))
        title = escape(latex)
        return f'<img src="{url}" title="{title}" alt="{title}" style="vertical-align: middle">'

    def math_inline_double(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return self.math_inline(tokens, idx, options, env)

    def math_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        latex = tokens[idx].content.strip()
        if not typesettable(latex):
            return f"<pre>{escape(latex, quote=False)}</pre>\n"
        if RenderEnv.MATH_INK in env:
            return _math_svg_html(latex, display=True, ink=str(env[RenderEnv.MATH_INK]))
        url = math_url(latex, display=True, dark=bool(env.get(RenderEnv.DARK)))
        title = escape(latex)
        return f'<p align="center"><img src="{url}" title="{title}" alt="{title}"></p>\n'

    def math_block_unfinished(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        # A display formula still arriving: its source as written, until it closes.
        return f"<pre>{escape(tokens[idx].content, quote=False)}</pre>\n"

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        # Never an <img>: a reply must not make the app fetch anything.
        token = tokens[idx]
        alt = self.renderInlineAsText(token.children or [], options, env) or "image"
        src = escape(str(token.attrGet("src") or ""))
        return f'<a href="{src}">[{escape(alt, quote=False)}]</a>'

    def html_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return escape(tokens[idx].content, quote=False)

    def html_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return f"<p>{escape(tokens[idx].content, quote=False)}</p>\n"

    def list_item_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        opening = "<li>"
        if token.meta and "checked" in token.meta:
            opening += "☑ " if token.meta["checked"] else "☐ "
        return opening

    def bullet_list_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return "<ul>\n"

    def table_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        border = TABLE_RULE[bool(env.get(RenderEnv.DARK))]
        # Qt lays a table out right under the block before it, whatever that
        # block's bottom margin: the table brings its own space.
        return (
            '<table border="1" cellspacing="0" cellpadding="6" '
            f'style="margin-top:12px;margin-bottom:12px;border-collapse:collapse;'
            f'border-color:{border}">\n'
        )

    def table_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        table = _matching_open(tokens, idx)
        columns = table.meta.get(TABLE_COLUMNS) if table is not None else None
        if not columns:
            return "</table>\n"
        note = TABLE_NOTE.format(columns=columns, shown=MAX_TABLE_COLUMNS)
        return f"</table>\n<p><i>{escape(note, quote=False)}</i></p>\n"

    def th_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        shade = palette(bool(env.get(RenderEnv.DARK))).header_background
        return _cell("th", tokens[idx], f"background-color:{shade}")

    def td_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return _cell("td", tokens[idx])


def _with_breaks(tokens: Sequence[Token]) -> Sequence[Token]:
    """Inline ``tokens`` with break opportunities in their long runs (copies where changed)."""
    if sum(len(token.content) for token in tokens if token.type in _RUN_TOKENS) <= BREAKS_FROM:
        return tokens  # too short to hold a long run: the usual paragraph
    shown: list[Token] | None = None
    run = 0
    for index, token in enumerate(tokens):
        if token.type in _RUN_BREAKS:
            run = 0
        elif token.type in _RUN_TOKENS:
            content, run = break_runs(token.content, run)
            if content != token.content:
                if shown is None:
                    shown = list(tokens)
                shown[index] = token.copy(content=content)
    return tokens if shown is None else shown


def _matching_open(tokens: Sequence[Token], close: int) -> Token | None:
    """The ``*_open`` token that the closing token at ``close`` ends."""
    level = tokens[close].level
    for index in range(close - 1, -1, -1):
        if tokens[index].level == level and tokens[index].nesting == 1:
            return tokens[index]
    return None


def _cell(tag: str, token: Token, style: str = "") -> str:
    shaded = f' style="{style}"' if style else ""
    align = str(token.attrGet("style") or "")
    if align.startswith(_ALIGN_PREFIX):
        return f'<{tag} align="{escape(align.removeprefix(_ALIGN_PREFIX))}"{shaded}>'
    return f"<{tag}{shaded}>"


def code_block_parts(token: Token, env: EnvType) -> list[str]:
    """HTML of a ``fence`` or ``code_block`` token: its header line, then one part per line.

    Each part is whole blocks, so a streaming view can keep the lines it shows
    and replace only the last. A blank line rides on the next line's ``pre``
    (Qt drops an empty one), or on the last line's at the end.
    """
    language = ""
    if token.type == "fence" and token.info.strip():
        language = token.info.strip().split(maxsplit=1)[0]
    code = code_text(token)
    dark = bool(env.get(RenderEnv.DARK))
    colours = palette(dark)
    blocks: list[str] = env[RenderEnv.CODE_BLOCKS]
    number = int(env[RenderEnv.CODE_OFFSET]) + len(blocks)
    blocks.append(code)
    # i18n: the name over a code block whose language the reply did not give.
    label = escape(language, quote=False) if language else escape(_("code"), quote=False)
    # A document has no Copy link: nothing there could act on it.
    link = escape(_("Copy"), quote=False)
    copy = "" if env.get(RenderEnv.DOCUMENT) else f'<a href="{COPY_SCHEME}:{number}">{link}</a>'
    header = (
        f'<p style="background-color:{colours.header_background};'
        f"color:{colours.header_foreground};margin-top:8px;margin-bottom:0px;"
        # Prose's 1.5 line height (the view's style sheet) would part it from its code.
        'line-height:100%">'
        f"&nbsp;{label}&nbsp;&nbsp;&nbsp;{copy}</p>\n"
    )
    whole = bool(env.get(RenderEnv.WHOLE))
    highlighter = env.get(RenderEnv.HIGHLIGHTER)
    if isinstance(highlighter, StreamingHighlighter):
        shown, notes = (token.content, {}) if whole else cut_code(token.content)
        lines = highlighter.highlight(shown, language, dark)
    else:
        shown, notes = (code, {}) if whole else cut_code(code)
        lines = highlight_lines(shown, language, dark)
    for index, note in notes.items():
        if index < len(lines):  # a line still arriving may not be shown yet
            lines[index] += escape(note, quote=False)
    groups = _line_groups(lines)
    # No line has a bottom margin, not even the last: the next block's top margin
    # spaces them. So a streamed line stays as it is shown when another follows.
    style = (
        f"background-color:{colours.background};color:{colours.foreground};"
        "margin-top:0px;margin-bottom:0px"
    )
    return [header, *(f'<pre style="{style}">{group}</pre>\n' for group in groups)]


def _line_groups(lines: list[str]) -> list[str]:
    """Line HTML to ``pre`` contents: each non-blank line with the blank lines before it.

    Qt drops a ``pre``'s first and last newline, as HTML does; so ``n`` blank
    lines before a line are written as ``n + 1`` newlines, and trailing blank
    lines as ``n + 1`` newlines after the last line.
    """
    groups: list[str] = []
    blank = 0
    for line in lines:
        if not line:
            blank += 1
            continue
        groups.append("\n" * (blank + 1) + line if blank else line)
        blank = 0
    if blank and groups:
        groups[-1] += "\n" * (blank + 1)
    elif blank:
        groups.append("\n" * (blank + 1))
    return groups


#: Formulas in a document are drawn at its 16 px text, as the window sizes them.
DOCUMENT_MATH_PX = 17.6


def _math_svg_html(latex: str, *, display: bool, ink: str) -> str:
    """A formula as inline SVG labelled with its LaTeX (its source when it cannot be drawn)."""
    label = escape(latex)
    try:
        svg = math_svg(latex, display=display, color=ink, size=DOCUMENT_MATH_PX)
    except Exception:  # ziamath raises many kinds; the source is the fallback
        return f"<code>{label}</code>"
    kind = "math display" if display else "math"
    return f'<span class="{kind}" role="img" aria-label="{label}" title="{label}">{svg}</span>'
