"""Markdown to Qt rich text, including the incremental streaming renderer.

Public surface:

- ``render_markdown(text, *, dark=False) -> str``: Qt rich-text HTML, a pure function.
- ``render_document(text, *, dark=False) -> RenderedMarkdown``: the HTML plus the
  code of each code block (what each ``foxchat-copy:N`` link copies).
- ``RenderCache``: finished messages rendered once, reused on reopening a chat.
- ``StreamingRenderer``: a growing reply; finished blocks frozen, only the open
  tail re-rendered; ``finish()`` equals a one-shot render.
- ``RenderPacer``: when an update that must parse the open block again is due.
- ``MATH_SCHEME``, ``parse_math_url``, ``math_svg``: math becomes a picture named
  by a ``foxchat-math:`` URL carrying its LaTeX; the view typesets it (ziamath).
- ``DISPLAY_BREAK``: the invisible break opportunity put into long unbroken runs
  for display only; ``SHOW_ALL_SCHEME``: links that ask to show a cut-short
  line whole (``render_document(..., whole=True)``).

Why markdown-it-py and not Qt's md4c (``QTextDocument.setMarkdown``), measured
with benchmarks/render.py on a 50,000-character reply (offscreen, 2 shared
cores): md4c builds and lays out the document in about 20 ms, markdown-it-py +
Pygments + ``setHtml`` in about 80 ms. md4c is 4x faster one-shot, but it gives
no hook for Pygments highlighting, a copy link per code block or math; it
mangles ``$a*b*c$`` and ``\\(…\\)`` through emphasis and escape rules; and a
tail cannot be rendered on its own with the guarantee that the joined result
equals a one-shot render. Streaming is what must be fast: with only the tail
re-rendered (and a code block only its last lines) an update costs about 0.4 ms
(p99 about 1.5 ms, including layout and paint), so markdown-it-py it is.
"""

from typing import TYPE_CHECKING

from foxchat.lazy_exports import LazyExports
from foxchat.render._document import (
    RenderCache,
    RenderedMarkdown,
    render_document,
    render_markdown,
)
from foxchat.render._long_runs import BREAK as DISPLAY_BREAK
from foxchat.render._long_runs import SHOW_ALL_SCHEME
from foxchat.render._math import MATH_SCHEME, math_svg, parse_math_url
from foxchat.render._pacing import FrameBudget, RenderPacer

if TYPE_CHECKING:
    from foxchat.render._qt_html import COPY_SCHEME
    from foxchat.render._streaming import StreamingRenderer, StreamUpdate

#: Bump whenever the HTML a render makes changes in a way the code alone does not
#: show (the first-frame cache also keys on the foxchat version, this package's
#: source files and the versions of markdown-it-py, its plugins and Pygments).
RENDER_VERSION = 1

#: Where each name loaded on first use lives: these modules import markdown_it, which
#: a start that shows only cached renderings never needs (PEP 562).
_LAZY = {
    "COPY_SCHEME": "_qt_html",
    "StreamingRenderer": "_streaming",
    "StreamUpdate": "_streaming",
}
_EXPORTS = LazyExports(__name__, _LAZY, globals())


def __getattr__(name: str) -> object:
    return _EXPORTS.load(name)


def __dir__() -> list[str]:
    return _EXPORTS.names()


__all__ = [
    "COPY_SCHEME",
    "DISPLAY_BREAK",
    "MATH_SCHEME",
    "RENDER_VERSION",
    "SHOW_ALL_SCHEME",
    "FrameBudget",
    "RenderCache",
    "RenderPacer",
    "RenderedMarkdown",
    "StreamUpdate",
    "StreamingRenderer",
    "math_svg",
    "parse_math_url",
    "render_document",
    "render_markdown",
]
