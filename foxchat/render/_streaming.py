"""The incremental renderer behind a reply that is still arriving.

The text is split into a frozen head, rendered once, and an open tail that is
parsed and rendered again on every update. A top-level block is frozen only
when nothing that can still arrive could change how it parses: a later
top-level block has started after a blank line, and that block's first line is
complete or begins with a character that no block above could take in (not an
indent, not a list marker; see ``_starts_new_block``). CommonMark builds blocks
line by line, so at that point the earlier blocks are closed for good: a
setext underline, a lazy continuation line, a table row or a list item that
would join them all need to follow without a blank line, and an open code
fence or ``$$`` block would have swallowed the later block instead of letting
it start.

Each update hands out its HTML per top-level block, so the view can keep the
blocks it already shows and replace only those that changed. When all that
arrived is plain prose at the end of the open paragraph (see ``_plain_growth``)
the tail is not parsed at all: the new words are appended to its last text.
Likewise, while the tail is one code fence that is still open, new code is
added to its token without a parse (see ``_open_fence``); when new whole lines
arrived, a partial line after them waits for the next update, so each line is
shown once, already coloured. (``pending`` stays true until it is shown.)

The one construct that reaches backwards is a link reference definition
(``[id]: url`` used earlier in the text). When a reply contains one, ``finish``
renders the whole text again so the result still equals a one-shot render.
A definition that has frozen is handed to every later parse of the tail, so
a link after its definition shows as a link while the reply streams.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from foxchat.render._document import RenderedMarkdown, parse, render_document, render_tokens
from foxchat.render._highlight import StreamingHighlighter
from foxchat.render._math import ends_in_open_formula
from foxchat.render._open_fence import OpenFence, open_fence
from foxchat.render._parser import INLINE_REUSE, InlineReuse
from foxchat.render._plain_growth import PlainGrowth, plain_growth
from foxchat.render._qt_html import RenderEnv, code_block_parts, new_env

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CODE_TOKENS = frozenset({"fence", "code_block"})
# First characters of a line that may still join the block above a blank line.
_MAY_CONTINUE = frozenset(" \t-+*")


@dataclass(frozen=True)
class StreamUpdate:
    """What changed since the previous update.

    ``frozen_blocks`` are new top-level blocks, in HTML, to keep after what was
    frozen before (often none); ``tail_blocks`` replace the previous tail
    entirely. When ``appended`` is not None, the tail is the previous one with
    exactly this text added at the end of its last text (same formatting).
    """

    frozen_blocks: tuple[str, ...]
    tail_blocks: tuple[str, ...]
    appended: str | None = None

    @property
    def frozen_html(self) -> str:
        """HTML of the newly frozen blocks."""
        return "".join(self.frozen_blocks)

    @property
    def tail_html(self) -> str:
        """HTML of the whole open tail."""
        return "".join(self.tail_blocks)


class StreamingRenderer:
    """Render a growing Markdown text, re-rendering only its open tail block."""

    def __init__(self, *, dark: bool = False) -> None:
        self._dark = dark
        self._text = ""
        self._frozen_chars = 0
        self._frozen_parts: list[str] = []
        self._frozen_code: list[str] = []
        self._tail_code: tuple[str, ...] = ()
        self._tail_blocks: tuple[str, ...] = ()
        self._rendered_chars = 0
        self._saw_reference = False
        # Link reference definitions in the frozen blocks (label -> target).
        self._frozen_references: dict[str, object] = {}
        self._tail_tokens: list[Token] = []
        # Whether plain growth was appended since the tail was last parsed, so
        # its tokens describe less text than was rendered.
        self._tokens_stale = False
        self._growth: PlainGrowth | None = None
        self._fence: OpenFence | None = None
        # Chunks since the text was last read: joining 50,000 characters
        # again for every 4-character chunk would copy megabytes per reply.
        self._chunks: list[str] = []
        # The open tail's code is highlighted incrementally (approximate while
        # it streams); finish() highlights it whole.
        self._highlighter = StreamingHighlighter()
        self._inline_reuse = InlineReuse()

    @property
    def text(self) -> str:
        """All source text received so far."""
        if self._chunks:
            self._text += "".join(self._chunks)
            self._chunks.clear()
        return self._text

    @property
    def html(self) -> str:
        """HTML of the text as of the last update (frozen head + tail)."""
        return "".join(self._frozen_parts) + self.tail_html

    @property
    def tail_html(self) -> str:
        """HTML of the open tail as of the last update (or of ``finish``)."""
        return "".join(self._tail_blocks)

    @property
    def frozen_blocks(self) -> tuple[str, ...]:
        """HTML of each frozen top-level block, in order."""
        return tuple(self._frozen_parts)

    @property
    def tail_blocks(self) -> tuple[str, ...]:
        """HTML of each top-level block of the open tail."""
        return self._tail_blocks

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
        return self.pending_chars != 0

    def append(self, chunk: str) -> bool:
        """Take more text; cheap, nothing is parsed until ``update``.

        True when it is the first chunk since the text was last read (so a
        caller that schedules the next update on new text need only look then).
        """
        self._chunks.append(chunk)
        return len(self._chunks) == 1

    @property
    def pending_chars(self) -> int:
        """How many characters arrived since the last update."""
        return len(self.text) - self._rendered_chars

    @property
    def shown_chars(self) -> int:
        """How many characters of the text the last update rendered."""
        return self._rendered_chars

    def ends_in_formula(self) -> bool:
        """Whether the text seems to end inside a formula not closed yet
        (``ends_in_open_formula``: a guess for pacing)."""
        return ends_in_open_formula(self.text[self._frozen_chars :])

    @property
    def open_chars(self) -> int:
        """How many characters of the open tail the last update rendered."""
        return self._rendered_chars - self._frozen_chars

    def update(self) -> StreamUpdate:
        """Render what arrived: append plain prose, grow an open fence, or parse the tail."""
        return self.cheap_update() or self.parse_update()

    def cheap_update(self) -> StreamUpdate | None:
        """Render what arrived if it only adds plain words or code; None if a parse is needed."""
        appended = self._append_plain_growth()
        if appended is not None:
            return StreamUpdate((), self._tail_blocks, appended)
        return self._grow_open_fence()

    def _append_plain_growth(self) -> str | None:
        """Append new plain words to the open paragraph; None when a parse is needed."""
        if self._growth is None or not self._tail_blocks:
            return None
        new_text = self.text[self._rendered_chars :]
        shown = self._growth.extend(new_text)
        if shown is None:
            return None
        self._rendered_chars = len(self._text)
        self._tokens_stale = True
        if shown:
            last = self._tail_blocks[-1]
            cut = self._growth.html_insert_at
            insert = escapeHtml(shown)
            self._tail_blocks = (*self._tail_blocks[:-1], last[:cut] + insert + last[cut:])
            self._growth.html_insert_at += len(insert)
        return shown

    def _grow_open_fence(self) -> StreamUpdate | None:
        """Add the new text to the open fence's code; None when a parse is needed."""
        if self._fence is None:
            return None
        tail = self.text[self._frozen_chars :]
        shown = self._rendered_chars - self._frozen_chars
        complete = tail.rfind("\n") + 1
        if shown < complete < len(tail):
            # New whole lines and the start of another: show the lines, coloured,
            # and the partial line on a later update. Shown now, uncoloured, it
            # would only be replaced on the next frame.
            tail = tail[:complete]
        token = self._fence.grown_token(tail, shown)
        if token is None:
            return None
        self._rendered_chars = self._frozen_chars + len(tail)
        self._tokens_stale = False
        self._tail_tokens = [token]
        env = new_env(
            dark=self._dark, code_offset=len(self._frozen_code), highlighter=self._highlighter
        )
        self._tail_blocks = _render_blocks(self._tail_tokens, env)
        self._tail_code = tuple(env[RenderEnv.CODE_BLOCKS])
        return StreamUpdate((), self._tail_blocks)

    def parse_update(self) -> StreamUpdate:
        """Render what arrived by parsing the open tail again (after ``cheap_update`` said no)."""
        self._rendered_chars = len(self.text)
        self._tokens_stale = False
        tail = self._text[self._frozen_chars :]
        env = new_env(dark=self._dark, code_offset=len(self._frozen_code))
        self._inline_reuse.next_parse()
        env[INLINE_REUSE] = self._inline_reuse
        if self._frozen_references:
            # Definitions in frozen blocks still name links in the tail, as in
            # a one-shot parse of the whole text (where the first one wins).
            env["references"] = dict(self._frozen_references)
        tokens = parse(tail, env)
        if env.get("references"):
            self._saw_reference = True
        split = _freeze_point(tail, tokens)
        frozen_blocks: tuple[str, ...] = ()
        if split is not None:
            token_index, char_offset = split
            if env.get("references"):
                self._remember_references(tail[:char_offset])
            frozen_blocks = _render_blocks(tokens[:token_index], env)
            self._frozen_parts.extend(frozen_blocks)
            self._frozen_code.extend(env[RenderEnv.CODE_BLOCKS])
            self._frozen_chars += char_offset
            tail = tail[char_offset:]
            tokens = tokens[token_index:]
        env = new_env(
            dark=self._dark, code_offset=len(self._frozen_code), highlighter=self._highlighter
        )
        self._tail_tokens = tokens
        self._tail_blocks = _render_blocks(tokens, env)
        self._tail_code = tuple(env[RenderEnv.CODE_BLOCKS])
        self._growth = (
            plain_growth(tail, tokens, self._tail_blocks[-1]) if self._tail_blocks else None
        )
        self._fence = open_fence(tail, tokens)
        return StreamUpdate(frozen_blocks, self._tail_blocks)

    def _remember_references(self, frozen_text: str) -> None:
        """Keep the link definitions of text that has just frozen for later parses.

        Only the frozen text's own: a definition still in the open tail may yet
        change (its URL is still arriving). Parsing the frozen blocks again is
        paid only by replies that define references at all.
        """
        env = new_env(dark=self._dark)
        env["references"] = dict(self._frozen_references)
        parse(frozen_text, env)
        self._frozen_references = env["references"]

    def finish(self) -> RenderedMarkdown:
        """The final rendering; equal to ``render_document`` of the whole text."""
        if self._saw_reference:
            return render_document(self.text, dark=self._dark)
        if self.pending or not self._text or self._tokens_stale:
            self.parse_update()
        env = new_env(dark=self._dark, code_offset=len(self._frozen_code))
        self._tail_blocks = _render_blocks(self._tail_tokens, env)
        return RenderedMarkdown(self.html, self.code_blocks)

    @property
    def needs_full_render(self) -> bool:
        """Whether ``finish`` had to render from scratch (see module docstring)."""
        return self._saw_reference


def _render_blocks(tokens: list[Token], env: dict[str, object]) -> tuple[str, ...]:
    """HTML of each top-level block in ``tokens``, each code line apart (joined: the HTML
    of them all)."""
    blocks: list[str] = []
    start = 0
    for index, token in enumerate(tokens):
        if token.level == 0 and token.type in _CODE_TOKENS and start == index:
            # A code block comes line by line, so a growing one keeps its old lines.
            blocks.extend(code_block_parts(token, env))
            start = index + 1
        elif token.level == 0 and token.nesting != 1:
            blocks.append(render_tokens(tokens[start : index + 1], env))
            start = index + 1
    if start < len(tokens):
        blocks.append(render_tokens(tokens[start:], env))
    return tuple(blocks)


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
        # The block must follow a blank line, and its first line must be
        # complete or begin with a character that settles it as a new block.
        if first_line + 1 >= len(line_starts) and not _starts_new_block(
            tail[line_starts[first_line] : line_starts[first_line] + 1]
        ):
            continue
        previous = tail[line_starts[first_line - 1] : line_starts[first_line]]
        if previous.strip(" \t\r\n"):
            continue
        return index, line_starts[first_line]
    return None


def _starts_new_block(first: str) -> bool:
    """Whether a line after a blank line that begins with ``first`` starts a block of its own.

    After a blank line only an indented line (a list item's content, an indented
    code block's next line) or a list marker (another item of the list above,
    which makes it loose) can still belong to the block above; a line that begins
    with anything else starts a new one, whatever else it turns out to hold. So
    the blocks above are closed as soon as its first character is here, and need
    not be parsed again while the rest of its line arrives.
    """
    return bool(first) and first not in _MAY_CONTINUE and not first.isdigit()
