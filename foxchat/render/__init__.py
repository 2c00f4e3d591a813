"""Markdown to Qt rich text, including the incremental streaming renderer.

Public surface:

- ``render_markdown(text, *, dark=False) -> str``: Qt rich-text HTML, a pure function.
- ``render_document(text, *, dark=False) -> RenderedMarkdown``: the HTML plus the
  code of each code block (what each ``foxchat-copy:N`` link copies).
- ``RenderCache``: finished messages rendered once, reused on reopening a chat.
- ``StreamingRenderer``: a growing reply; finished blocks frozen, only the open
  tail re-rendered; ``finish()`` equals a one-shot render.

Why markdown-it-py and not Qt's md4c (``QTextDocument.setMarkdown``), measured on
a 50,000-character realistic reply (benchmarks/render.py, offscreen, this
machine): md4c parses it straight into a document about 3-4x faster than
markdown-it-py's parse + render + ``setHtml``, but md4c gives no hook for
Pygments highlighting, a copy link per code block or math, mangles ``$a*b*c$``
and ``\\(…\\)`` through emphasis and escapes, and cannot be fed a tail in
isolation with the guarantee that the joined result equals a one-shot render.
markdown-it-py is fast enough once only the tail is re-rendered (see the
benchmark figures) and gives all of that, so it is the renderer here.
"""

from foxchat.render._document import (
    RenderCache,
    RenderedMarkdown,
    render_document,
    render_markdown,
)
from foxchat.render._qt_html import COPY_SCHEME
from foxchat.render._streaming import StreamingRenderer, StreamUpdate

__all__ = [
    "COPY_SCHEME",
    "RenderCache",
    "RenderedMarkdown",
    "StreamUpdate",
    "StreamingRenderer",
    "render_document",
    "render_markdown",
]
