"""The first frame's renderings, kept between runs so a start needs no Markdown stack.

Importing markdown-it-py, its plugins and the renderer built on them is about a
tenth of a start's work, and the window's first frame needs them only to render
the few replies it shows. ``FirstFrameCache`` is the window's ``RenderCache``
with those renderings read from a small file in the data folder: when every
reply the first frame shows is in it, the window is built and painted without
importing ``markdown_it``; ``load_markdown_stack`` imports it right after the
first paint, so the first send or chat switch does not wait for it either.

The file is derived data. It is read only when everything that changes a
rendering is as it was when it was written (``render_fingerprint``: the FoxChat
version, ``foxchat.render.RENDER_VERSION``, the renderer's source files, the
installed markdown-it-py, mdit-py-plugins and Pygments, and the language of the
Copy links and notes); each entry is keyed by a digest of its message's text
with the theme and whether it is shown whole, so an edited message misses and
is rendered afresh. A missing, stale, damaged or half-written file only costs
the start its speed: it is never an error and never shows a wrong picture. It
is written at quit (``save``) through a temporary file, flushed to disk and
then renamed over the old one, so a crash leaves the old file or the new one,
never a part. It holds rendered message text only (the same text the chat
database holds), never a key or a setting.

A file and not a table in the chat database: it is rewritten whole at every
quit, its loss must cost nothing, and reading it must not wait on the store's
migrations or its write lock (another window may share the database).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from contextlib import suppress
from importlib.util import find_spec
from pathlib import Path

from foxchat import __version__, i18n
from foxchat.render import RENDER_VERSION, RenderCache, RenderedMarkdown

FILE_NAME = "first-frame.json"
#: The layout of the file itself; a file of another layout is ignored.
FORMAT = 1
#: The packages whose output a rendering is made of; a new install of one of them
#: (a new folder, new times) makes every saved rendering stale.
RENDER_PACKAGES = ("markdown_it", "mdit_py_plugins", "pygments")
#: At most this much HTML is kept: a few screens of replies, not a chat.
MAX_SAVED_CHARS = 2_000_000

_Key = tuple[str, bool, bool]


def text_digest(text: str) -> str:
    """A digest of a message's text (blake2b, 128 bits), what an entry is found by.

    ``_blake2`` rather than ``hashlib``: hashlib loads OpenSSL, which the first
    frame otherwise does not need.
    """
    from _blake2 import blake2b

    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def render_fingerprint() -> str:
    """What a saved rendering is valid for: it changes whenever a rendering could.

    Stats a handful of files and imports nothing: the renderer's own sources
    (absent in a frozen build, where the FoxChat version stands for them) and
    each render package's ``__init__``, found without importing it.
    """
    parts = [__version__, str(RENDER_VERSION), i18n.current()]
    render_dir = Path(__file__).resolve().parent.parent / "render"
    try:
        sources = sorted(os.scandir(render_dir), key=lambda entry: entry.name)
    except OSError:
        sources = []
    for entry in sources:
        if entry.name.endswith(".py"):
            parts.append(_stamp(entry.name, entry.path))
    for package in RENDER_PACKAGES:
        spec = find_spec(package)
        origin = spec.origin if spec is not None else None
        parts.append(_stamp(package, origin) if origin else f"{package}:none")
    return "|".join(parts)


def _stamp(name: str, path: str) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return f"{name}:none"
    return f"{name}:{info.st_size}:{info.st_mtime_ns}:{info.st_ino}"


class FirstFrameCache(RenderCache):
    """A ``RenderCache`` that first answers from the renderings saved by the last run.

    The saved entries are consulted until ``forget_saved`` (called after the
    first paint, when the Markdown stack is loaded anyway); each lookup costs a
    digest of the text, so later ones do not pay it.
    """

    def __init__(self, saved: dict[_Key, RenderedMarkdown] | None = None) -> None:
        super().__init__()
        self._saved = saved or {}
        self.saved_hits = 0

    def get(self, text: str, *, dark: bool = False, whole: bool = False) -> RenderedMarkdown:
        if self._saved:
            found = self._saved.get((text_digest(text), dark, whole))
            if found is not None:
                self.saved_hits += 1
                self.put(text, found, dark=dark, whole=whole)
                return found
        return super().get(text, dark=dark, whole=whole)

    def forget_saved(self) -> None:
        """Stop consulting the saved renderings (what was used is in memory now)."""
        self._saved = {}


def load(folder: Path) -> FirstFrameCache:
    """The cache with the renderings saved in ``folder``; empty when there are none
    that fit this run (a missing, stale, damaged or half-written file)."""
    try:
        raw = (folder / FILE_NAME).read_bytes()
        data = json.loads(raw)
    except (OSError, ValueError, RecursionError):  # damaged: as good as missing
        return FirstFrameCache()
    return FirstFrameCache(_entries(data, render_fingerprint()))


def _entries(data: object, fingerprint: str) -> dict[_Key, RenderedMarkdown]:
    """The entries of a parsed file, or none unless every part of it is as written."""
    if not isinstance(data, dict):
        return {}
    if data.get("format") != FORMAT or data.get("renderer") != fingerprint:
        return {}
    entries = data.get("entries")
    if not isinstance(entries, list):
        return {}
    found: dict[_Key, RenderedMarkdown] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            return {}
        digest, dark, whole = entry.get("text"), entry.get("dark"), entry.get("whole")
        html, code = entry.get("html"), entry.get("code")
        if not (
            isinstance(digest, str)
            and isinstance(dark, bool)
            and isinstance(whole, bool)
            and isinstance(html, str)
            and isinstance(code, list)
            and all(isinstance(block, str) for block in code)
        ):
            return {}
        found[(digest, dark, whole)] = RenderedMarkdown(html, tuple(code))
    return found


def save(folder: Path, cache: RenderCache, texts: Iterable[str], *, dark: bool) -> None:
    """Keep the renderings of ``texts`` (the replies the next start shows first) in
    ``folder``, replacing what was there in one rename. Renders any not yet
    rendered; a failure to write only loses the speed-up, so it is not raised."""
    entries: list[dict[str, object]] = []
    held = 0
    seen: set[str] = set()
    # The empty text too: a new reply's view shows it before its first words.
    for text in ["", *texts]:
        if text in seen:
            continue
        seen.add(text)
        rendered = cache.get(text, dark=dark)
        held += len(rendered.html)
        if held > MAX_SAVED_CHARS:
            break
        entries.append(
            {
                "text": text_digest(text),
                "dark": dark,
                "whole": False,
                "html": rendered.html,
                "code": list(rendered.code_blocks),
            }
        )
    data = {"format": FORMAT, "renderer": render_fingerprint(), "entries": entries}
    # ASCII JSON: a reply may hold a lone surrogate, which UTF-8 cannot encode.
    # Written whole or not at all: after a crash the file is the old one or
    # this one, never a part of it.
    from foxchat.jsonfile import write_atomically  # at quit: not on the way to the window

    if not folder.is_dir():
        return  # the data folder is the store's to make; a cache never makes one
    with suppress(OSError):
        write_atomically(folder / FILE_NAME, json.dumps(data))


def load_markdown_stack() -> None:
    """Import the renderer and build its parser now (right after the first paint),
    so the first reply or chat switch does not wait for it."""
    import importlib

    from foxchat.render import render_document

    render_document("")  # builds the parser and the renderer
    importlib.import_module("foxchat.render._streaming")
