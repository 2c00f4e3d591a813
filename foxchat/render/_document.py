"""One-shot rendering of a whole message, and the cache of finished messages.

A finished reply longer than ``REPLY_DISPLAY_CHARS`` is shown from the cache
by its beginning (``render_beginning``): its complete top-level blocks within
that many characters, then a note and a ``foxchat-show-all:`` link. So opening
a chat, and therefore starting the app on it, never waits for a megabyte of
text to be laid out: 1 MB of plain prose took 4 s to the first paint.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from foxchat.render._long_runs import SHOW_ALL_SCHEME

# markdown_it and the modules built on it load on the first render, not with this
# module: a start whose first frame is all cached renderings needs neither
# (foxchat.services.first_frame).
if TYPE_CHECKING:
    from markdown_it.token import Token

    from foxchat.render._qt_html import QtRichTextRenderer

REPLY_DISPLAY_CHARS = 200_000
REPLY_NOTE = (
    "This reply is {total:,} characters long, too long to show at once; "
    "FoxChat shows its beginning."
)
SHOW_REPLY_LABEL = "Show the whole reply"


@dataclass(frozen=True)
class RenderedMarkdown:
    """Qt rich-text HTML of a message plus the code of each of its code blocks.

    ``code_blocks[N]`` is what the ``foxchat-copy:N`` link in ``html`` copies.
    """

    html: str
    code_blocks: tuple[str, ...]


@cache
def _renderer() -> QtRichTextRenderer:
    from foxchat.render._qt_html import QtRichTextRenderer

    return QtRichTextRenderer()


def parse(text: str, env: dict[str, Any]) -> list[Token]:
    """Block and inline tokens of ``text``."""
    from foxchat.render._parser import markdown_parser

    return markdown_parser().parse(text, env)


def render_tokens(tokens: list[Token], env: dict[str, Any]) -> str:
    """HTML of already parsed tokens (``env`` collects their code blocks)."""
    from foxchat.render._parser import markdown_parser

    return _renderer().render(tokens, markdown_parser().options, env)


def render_document(
    text: str,
    *,
    dark: bool = False,
    code_offset: int = 0,
    whole: bool = False,
    document: bool = False,
    math_ink: str | None = None,
) -> RenderedMarkdown:
    """Render ``text`` in one go; ``code_offset`` numbers its first code block.

    Overlong runs of text are cut short with a link to show them, unless ``whole``.
    With ``document`` it is for a document, not the window: no Copy links; with
    ``math_ink`` too, formulas are inline SVG drawn in that colour.
    """
    from foxchat.render._qt_html import RenderEnv, new_env

    env = new_env(
        dark=dark,
        code_offset=code_offset,
        whole=whole,
        document=document,
        math_ink=math_ink,
    )
    html = render_tokens(parse(text, env), env)
    return RenderedMarkdown(html, tuple(env[RenderEnv.CODE_BLOCKS]))


def render_beginning(text: str, *, dark: bool = False) -> RenderedMarkdown:
    """The top-level blocks of ``text`` that end within ``REPLY_DISPLAY_CHARS``
    characters (at least the first, cut there), then a note and a link to show all."""
    from html import escape

    from foxchat.render._qt_html import RenderEnv, new_env

    env = new_env(dark=dark)
    tokens = parse(text[:REPLY_DISPLAY_CHARS], env)
    # The block the limit falls in may be cut short; the ones before it are whole.
    starts = [i for i, token in enumerate(tokens) if token.level == 0 and token.nesting != -1]
    if len(starts) > 1:
        tokens = tokens[: starts[-1]]
    note = escape(REPLY_NOTE.format(total=len(text)), quote=False)
    link = f'<a href="{SHOW_ALL_SCHEME}:">{escape(SHOW_REPLY_LABEL, quote=False)}</a>'
    html = render_tokens(tokens, env) + f"<p><i>{note}</i> {link}</p>\n"
    code_blocks: tuple[str, ...] = tuple(env[RenderEnv.CODE_BLOCKS])
    if len(starts) == 1 and code_blocks:
        # The one block is shown cut, and so may be its last code block: Copy
        # must still copy that code whole.
        code_blocks = _all_code(text)[: len(code_blocks)]
    return RenderedMarkdown(html, code_blocks)


def _all_code(text: str) -> tuple[str, ...]:
    """The code of every code block in ``text``, from a block-level parse only."""
    from markdown_it.rules_core import StateCore, block, normalize

    from foxchat.render._parser import markdown_parser
    from foxchat.render._qt_html import code_text

    state = StateCore(text, markdown_parser(), {})
    normalize(state)
    block(state)
    return tuple(code_text(t) for t in state.tokens if t.type in ("fence", "code_block"))


def render_markdown(text: str, *, dark: bool = False) -> str:
    """Qt rich-text HTML for a Markdown ``text`` (pure: same input, same output)."""
    return render_document(text, dark=dark).html


class RenderCache:
    """Finished messages rendered once and reused, e.g. when a chat is reopened.

    Keyed by the text itself and the theme, so an edited message can never show
    stale HTML. Least recently used entries go first once ``max_chars`` of
    source text are held.
    """

    def __init__(self, max_chars: int = 20_000_000) -> None:
        self._max_chars = max_chars
        self._held_chars = 0
        self._entries: OrderedDict[tuple[str, bool, bool], RenderedMarkdown] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, text: str, *, dark: bool = False, whole: bool = False) -> RenderedMarkdown:
        """The rendering of ``text``, from the cache when it has been seen: its
        beginning when it is longer than ``REPLY_DISPLAY_CHARS``, unless ``whole``."""
        key = (text, dark, whole)
        cached = self._entries.get(key)
        if cached is not None:
            self._entries.move_to_end(key)
            return cached
        if whole or len(text) <= REPLY_DISPLAY_CHARS:
            rendered = render_document(text, dark=dark, whole=whole)
        else:
            rendered = render_beginning(text, dark=dark)
        self._store(key, rendered)
        return rendered

    def put(
        self, text: str, rendered: RenderedMarkdown, *, dark: bool = False, whole: bool = False
    ) -> None:
        """Store a rendering made elsewhere (e.g. the end of a stream); one of a text
        that ``get`` would show by its beginning is not stored."""
        if whole or len(text) <= REPLY_DISPLAY_CHARS:
            self._store((text, dark, whole), rendered)

    def _store(self, key: tuple[str, bool, bool], rendered: RenderedMarkdown) -> None:
        text = key[0]
        if key in self._entries:
            self._entries.move_to_end(key)
            return
        self._entries[key] = rendered
        self._held_chars += len(text)
        while self._held_chars > self._max_chars and len(self._entries) > 1:
            (old_text, _, _), _ = self._entries.popitem(last=False)
            self._held_chars -= len(old_text)
