"""The one Markdown dialect FoxChat speaks: CommonMark + GFM + math.

Built on markdown-it-py: tables, strikethrough, task lists and GitHub autolinks
(``www.…`` and bare ``https://…``) on top of CommonMark; ``$…$``, ``$$…$$``,
``\\(…\\)`` and ``\\[…\\]`` math. Raw HTML is switched off, so the parser hands
any tag back as literal text. Nesting is capped so 1,000-deep quotes or lists
parse in linear time and lay out quickly, and a table shows at most
``MAX_TABLE_COLUMNS`` columns. A streaming parse may reuse the inline tokens of
the previous parse (``InlineReuse``).
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock, table
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

from foxchat.render._long_runs import overlong
from foxchat.render._math import bracket_math_plugin

# Deeper structures are shown as literal text. Replies never nest this deep on
# purpose, and Qt's layout cost grows with every nested level. (markdown-it's
# own limit, a little higher, would silently drop the text instead.)
MAX_NESTING = 16

# A paragraph longer than this is shown as plain text: inline parsing of a
# megabyte-long line takes seconds, and nobody reads emphasis in one. So is one
# that holds an overlong unbroken run (see ``_long_runs.overlong``).
LONG_INLINE_CHARS = 100_000

# A table wider than this shows its first columns and says so: Qt's table
# layout of 10,000 columns took a second, and no one reads that many.
MAX_TABLE_COLUMNS = 64

TABLE_COLUMNS = "foxchat_columns"
"""``meta`` key of a ``table_open`` token whose columns were cut: how many it had."""

INLINE_PLAIN = "inline_plain"
"""Token type of a paragraph's text shown without inline parsing."""

_REUSED = "foxchat_reused_inline"  # an inline token's type while the core rules skip it

INLINE_REUSE = "foxchat_inline_reuse"
"""``env`` key for an ``InlineReuse``: inline tokens of the previous parse, by text."""


class InlineReuse:
    """Inline tokens by source text, handed from one parse of a growing text to the next.

    A streamed tail is parsed again on every update, but most of its list
    items and table cells have not changed since the last parse; their inline
    tokens are taken over instead of parsed again. Only the last parse's
    entries are kept, so memory stays the size of the tail.
    """

    def __init__(self) -> None:
        self.previous: dict[str, list[Token]] = {}
        self.current: dict[str, list[Token]] = {}

    def next_parse(self) -> None:
        """Start a parse: what the last one parsed becomes what may be reused."""
        self.previous, self.current = self.current, {}


def _nesting_cap(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.level < MAX_NESTING:
        return False
    if silent:
        return True
    state.push("paragraph_open", "p", 1).map = [start_line, end_line]
    inline = state.push("inline", "", 0)
    inline.content = state.getLines(start_line, end_line, state.blkIndent, False).strip()
    inline.map = [start_line, end_line]
    inline.children = []
    state.push("paragraph_close", "p", -1)
    state.line = end_line
    return True


def _reusable(state: StateCore) -> InlineReuse | None:
    reuse = state.env.get(INLINE_REUSE)
    # A link reference definition changes what "[x]" means: parse afresh.
    if not isinstance(reuse, InlineReuse) or state.env.get("references"):
        return None
    return reuse


def _reuse_inline(state: StateCore) -> None:
    """Before "inline": take over the tokens of inline text seen in the last parse."""
    reuse = _reusable(state)
    if reuse is None:
        return
    for token in state.tokens:
        if token.type == "inline" and not token.children:
            children = reuse.previous.get(token.content)
            if children is not None:
                # Already joined: "inline" skips it (children set), "text_join" keeps it.
                token.type = _REUSED
                token.children = children


def _keep_inline(state: StateCore) -> None:
    """After "text_join": remember this parse's inline tokens for the next one."""
    reuse = _reusable(state)
    for token in state.tokens:
        if token.type == _REUSED:
            token.type = "inline"
        if reuse is not None and token.type == "inline" and token.children is not None:
            reuse.current[token.content] = token.children


def _plain_long_inline(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "inline" and (
            len(token.content) > LONG_INLINE_CHARS or overlong(token.content)
        ):
            token.type = INLINE_PLAIN


def _nth_pipe_end(src: str, begin: int, end: int, count: int) -> int:
    """Just after the ``count``-th ``|`` in ``src[begin:end]``, or -1 when it has fewer."""
    position = begin
    for _ in range(count):
        position = src.find("|", position, end) + 1
        if position == 0:
            return -1
    return position


def _wide_table(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Before "table": a table wider than ``MAX_TABLE_COLUMNS`` is parsed from its first
    columns only (its lines are cut short for the "table" rule, then restored)."""
    if start_line + 1 >= end_line:
        return False
    header_start = state.bMarks[start_line] + state.tShift[start_line]
    if state.src.count("|", header_start, state.eMarks[start_line]) <= MAX_TABLE_COLUMNS + 1:
        return False
    delimiter_start = state.bMarks[start_line + 1] + state.tShift[start_line + 1]
    delimiter = state.src[delimiter_start : state.eMarks[start_line + 1]].strip()
    # Only a real table's lines are cut (once): a paragraph of pipes asks at every line.
    if not delimiter or delimiter.strip("|-: \t"):
        return False
    columns = delimiter.strip("|").count("|") + 1
    cut: dict[int, int] = {}
    line = start_line
    while line < end_line and not state.isEmpty(line):
        begin = state.bMarks[line] + state.tShift[line]
        stop = _nth_pipe_end(state.src, begin, state.eMarks[line], MAX_TABLE_COLUMNS + 1)
        if stop >= 0:
            cut[line] = state.eMarks[line]
            state.eMarks[line] = stop
        line += 1
    try:
        found = table(state, start_line, end_line, silent)
    finally:
        for line, line_end in cut.items():
            state.eMarks[line] = line_end
    if found and not silent and columns > MAX_TABLE_COLUMNS:
        opening = next(t for t in reversed(state.tokens) if t.type == "table_open")
        opening.meta[TABLE_COLUMNS] = columns
    return found


@cache
def markdown_parser() -> MarkdownIt:
    """The shared parser (markdown-it keeps no per-document state on it)."""
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING + 4})
    md.block.ruler.before("table", "nesting_cap", _nesting_cap)
    md.block.ruler.before("table", "wide_table", _wide_table, {"alt": ["paragraph", "reference"]})
    md.core.ruler.before("inline", "plain_long_inline", _plain_long_inline)
    md.core.ruler.before("inline", "reuse_inline", _reuse_inline)
    md.core.ruler.push("keep_inline", _keep_inline)
    md.enable(["table", "strikethrough"])
    md.options["tasklists"] = True
    md.use(gfm_autolink_plugin)
    # Blank lines never inside $$…$$: matches LaTeX and keeps freeze points safe.
    # No space inside the dollars and no digit right after the opening one
    # ("costs $5 and $10" is money, not math); $$…$$ may sit inside a line.
    md.use(
        dollarmath_plugin,
        allow_blank_lines=False,
        allow_labels=False,
        allow_space=False,
        allow_digits=False,
        double_inline=True,
    )
    md.use(bracket_math_plugin)
    return md
