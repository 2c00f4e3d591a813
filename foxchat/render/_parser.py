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
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

from foxchat.render._math import bracket_math_plugin

# Deeper structures stay as literal text. Replies never nest this deep on
# purpose, and Qt's layout cost grows with every nested frame.
MAX_NESTING = 16


@cache
def markdown_parser() -> MarkdownIt:
    """The shared parser (markdown-it keeps no per-document state on it)."""
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.options["tasklists"] = True
    md.use(gfm_autolink_plugin)
    # Blank lines never inside $$…$$: matches LaTeX and keeps freeze points safe.
    md.use(dollarmath_plugin, allow_blank_lines=False, allow_labels=False)
    md.use(bracket_math_plugin)
    return md
