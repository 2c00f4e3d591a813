"""The one Markdown dialect FoxChat speaks: CommonMark + GFM + math.

Built on markdown-it-py: tables, strikethrough, task lists and GitHub autolinks
(``www.…`` and bare ``https://…``) on top of CommonMark; ``$…$``, ``$$…$$``,
``\\(…\\)`` and ``\\[…\\]`` math. Raw HTML is switched off, so the parser hands
any tag back as literal text. Nesting is capped so 1,000-deep quotes or lists
parse in linear time and lay out quickly.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

from foxchat.render._math import bracket_math_plugin

# Deeper structures are shown as literal text. Replies never nest this deep on
# purpose, and Qt's layout cost grows with every nested level. (markdown-it's
# own limit, a little higher, would silently drop the text instead.)
MAX_NESTING = 16

# A paragraph longer than this is shown as plain text: inline parsing of a
# megabyte-long line takes seconds, and nobody reads emphasis in one.
LONG_INLINE_CHARS = 100_000

INLINE_PLAIN = "inline_plain"
"""Token type of a paragraph's text shown without inline parsing."""


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


def _plain_long_inline(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "inline" and len(token.content) > LONG_INLINE_CHARS:
            token.type = INLINE_PLAIN


@cache
def markdown_parser() -> MarkdownIt:
    """The shared parser (markdown-it keeps no per-document state on it)."""
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING + 4})
    md.block.ruler.before("table", "nesting_cap", _nesting_cap)
    md.core.ruler.before("inline", "plain_long_inline", _plain_long_inline)
    md.enable(["table", "strikethrough"])
    md.options["tasklists"] = True
    md.use(gfm_autolink_plugin)
    # Blank lines never inside $$…$$: matches LaTeX and keeps freeze points safe.
    md.use(dollarmath_plugin, allow_blank_lines=False, allow_labels=False)
    md.use(bracket_math_plugin)
    return md
