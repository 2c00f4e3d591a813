"""Small files the user owns (settings, presets): written whole or not at all.

A crash or a full disk mid-write must leave the previous file intact, so a
file is written to a temporary sibling, flushed to disk and renamed over the
old one. A file that cannot be read is renamed aside, never overwritten, so
nothing the user had is destroyed by a fresh start.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step; raises ``OSError`` on failure."""
    temp_name: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
        temp_name = None
        _sync_folder(path.parent)
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; where folders cannot be opened (Windows), skip it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # the file is complete either way; only a power cut could undo the rename
    finally:
        os.close(fd)


def move_aside(path: Path) -> Path | None:
    """Rename an unreadable file to ``NAME.broken-<time>``; the new path, or None."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    try:
        os.replace(path, target)
    except OSError as exc:
        log.warning("could not move unreadable %s aside: %s", path.name, exc)
        return None
    log.warning("unreadable %s moved to %s", path.name, target)
    return target
