"""One-shot rendering of a whole message, and the cache of finished messages."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from markdown_it.token import Token

from foxchat.render._parser import markdown_parser
from foxchat.render._qt_html import QtRichTextRenderer, RenderEnv, new_env

_RENDERER = QtRichTextRenderer()


@dataclass(frozen=True)
class RenderedMarkdown:
    """Qt rich-text HTML of a message plus the code of each of its code blocks.

    ``code_blocks[N]`` is what the ``foxchat-copy:N`` link in ``html`` copies.
    """

    html: str
    code_blocks: tuple[str, ...]


def parse(text: str, env: dict[str, Any]) -> list[Token]:
    """Block and inline tokens of ``text``."""
    return markdown_parser().parse(text, env)


def render_tokens(tokens: list[Token], env: dict[str, Any]) -> str:
    """HTML of already parsed tokens (``env`` collects their code blocks)."""
    return _RENDERER.render(tokens, markdown_parser().options, env)


def render_document(
    text: str, *, dark: bool = False, code_offset: int = 0, whole: bool = False
) -> RenderedMarkdown:
    """Render ``text`` in one go; ``code_offset`` numbers its first code block.

    Overlong runs of text are cut short with a link to show them, unless ``whole``.
    """
    env = new_env(dark=dark, code_offset=code_offset, whole=whole)
    html = render_tokens(parse(text, env), env)
    return RenderedMarkdown(html, tuple(env[RenderEnv.CODE_BLOCKS]))


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
        """The rendering of ``text``, from the cache when it has been seen."""
        key = (text, dark, whole)
        cached = self._entries.get(key)
        if cached is not None:
            self._entries.move_to_end(key)
            return cached
        rendered = render_document(text, dark=dark, whole=whole)
        self.put(text, rendered, dark=dark, whole=whole)
        return rendered

    def put(
        self, text: str, rendered: RenderedMarkdown, *, dark: bool = False, whole: bool = False
    ) -> None:
        """Store a rendering made elsewhere (e.g. the end of a stream)."""
        key = (text, dark, whole)
        if key in self._entries:
            self._entries.move_to_end(key)
            return
        self._entries[key] = rendered
        self._held_chars += len(text)
        while self._held_chars > self._max_chars and len(self._entries) > 1:
            (old_text, _, _), _ = self._entries.popitem(last=False)
            self._held_chars -= len(old_text)
