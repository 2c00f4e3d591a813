"""The incremental renderer behind a reply that is still arriving.

The text is split into a frozen head, rendered once, and an open tail that is
parsed and rendered again on every update. A top-level block is frozen only
when nothing that can still arrive could change how it parses: a later
top-level block has started after a blank line, and that block's first line is
complete. CommonMark builds blocks line by line, so at that point the earlier
blocks are closed for good: a setext underline, a lazy continuation line, a
table row or a list item that would join them all need to follow without a
blank line, and an open code fence or ``$$`` block would have swallowed the
later block instead of letting it start.

The one construct that reaches backwards is a link reference definition
(``[id]: url`` used earlier in the text). When a reply contains one, ``finish``
renders the whole text again so the result still equals a one-shot render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from foxchat.render._document import RenderedMarkdown, parse, render_document, render_tokens
from foxchat.render._highlight import StreamingHighlighter
from foxchat.render._qt_html import RenderEnv, new_env

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class StreamUpdate:
    """What changed since the previous update.

    ``frozen_html`` is new HTML to append after what was frozen before (often
    empty); ``tail_html`` replaces the previous tail entirely.
    """

    frozen_html: str
    tail_html: str


class StreamingRenderer:
    """Render a growing Markdown text, re-rendering only its open tail block."""

    def __init__(self, *, dark: bool = False) -> None:
        self._dark = dark
        self._text = ""
        self._frozen_chars = 0
        self._frozen_parts: list[str] = []
        self._frozen_code: list[str] = []
        self._tail_code: tuple[str, ...] = ()
        self._tail_html = ""
        self._rendered_chars = 0
        self._saw_reference = False
        self._tail_tokens: list[Token] = []
        # The open tail's code is highlighted incrementally (approximate while
        # it streams); finish() highlights it whole.
        self._highlighter = StreamingHighlighter()

    @property
    def text(self) -> str:
        """All source text received so far."""
        return self._text

    @property
    def html(self) -> str:
        """HTML of the text as of the last update (frozen head + tail)."""
        return "".join(self._frozen_parts) + self._tail_html

    @property
    def tail_html(self) -> str:
        """HTML of the open tail as of the last update (or of ``finish``)."""
        return self._tail_html

    @property
    def code_blocks(self) -> tuple[str, ...]:
        """Code of every code block as of the last update, in order."""
        return (*self._frozen_code, *self._tail_code)

    @property
    def frozen_chars(self) -> int:
        """How many characters of the text are frozen (never parsed again)."""
        return self._frozen_chars

    @property
    def pending(self) -> bool:
        """Whether text arrived since the last update."""
        return self._rendered_chars != len(self._text)

    def append(self, chunk: str) -> None:
        """Take more text; cheap, nothing is parsed until ``update``."""
        self._text += chunk

    def update(self) -> StreamUpdate:
        """Parse and render the tail, freezing the blocks that are finished."""
        self._rendered_chars = len(self._text)
        tail = self._text[self._frozen_chars :]
        env = new_env(dark=self._dark, code_offset=len(self._frozen_code))
        tokens = parse(tail, env)
        if env.get("references"):
            self._saw_reference = True
        split = _freeze_point(tail, tokens)
        frozen_html = ""
        if split is not None:
            token_index, char_offset = split
            frozen_html = render_tokens(tokens[:token_index], env)
            self._frozen_parts.append(frozen_html)
            self._frozen_code.extend(env[RenderEnv.CODE_BLOCKS])
            self._frozen_chars += char_offset
            tokens = tokens[token_index:]
        env = new_env(
            dark=self._dark, code_offset=len(self._frozen_code), highlighter=self._highlighter
        )
        self._tail_tokens = tokens
        self._tail_html = render_tokens(tokens, env)
        self._tail_code = tuple(env[RenderEnv.CODE_BLOCKS])
        return StreamUpdate(frozen_html, self._tail_html)

    def finish(self) -> RenderedMarkdown:
        """The final rendering; equal to ``render_document`` of the whole text."""
        if self._saw_reference:
            return render_document(self._text, dark=self._dark)
        if self.pending or not self._text:
            self.update()
        env = new_env(dark=self._dark, code_offset=len(self._frozen_code))
        self._tail_html = render_tokens(self._tail_tokens, env)
        return RenderedMarkdown(self.html, self.code_blocks)

    @property
    def needs_full_render(self) -> bool:
        """Whether ``finish`` had to render from scratch (see module docstring)."""
        return self._saw_reference


def _freeze_point(tail: str, tokens: list[Token]) -> tuple[int, int] | None:
    """(token index, char offset) of the last safe freeze point in ``tail``."""
    line_starts: list[int] | None = None
    for index in range(len(tokens) - 1, 0, -1):
        token = tokens[index]
        if token.level != 0 or token.nesting == -1 or token.map is None:
            continue
        first_line = token.map[0]
        if first_line == 0:
            return None
        if line_starts is None:
            line_starts = [0, *(match.end() for match in _LINE_BREAK.finditer(tail))]
        # The block's first line must be complete and follow a blank line.
        if first_line + 1 >= len(line_starts):
            continue
        previous = tail[line_starts[first_line - 1] : line_starts[first_line]]
        if previous.strip(" \t\r\n"):
            continue
        return index, line_starts[first_line]
    return None
