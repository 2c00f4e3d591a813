"""How much of a reply FoxChat is willing to hold in memory, and the words when it is too much.

A server that misbehaves (or is not a chat API at all) can send a line with
no end, a gigantic body, or a small gzip body that expands a thousandfold.
Each cap is far above anything a real reply reaches and is checked while
reading, on decoded bytes, so reading stops as soon as it is passed: memory
stays near the cap instead of growing with what the server sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from foxchat.api.errors import ReplyTooLargeError
from foxchat.i18n import _, ngettext

MIB: Final = 1024 * 1024


@dataclass(frozen=True, slots=True)
class BodyLimits:
    """Caps in bytes, after decompression.

    ``event``: one SSE event (its lines up to the blank line that ends it);
    a streamed token is a few hundred bytes. ``stream``: a whole streamed
    reply; 100,000 streamed tokens are about 30 MB. ``reply``: a reply read
    whole (a non-streamed answer, the model list). ``error_body``: the part of
    an error reply that is read; the rest is skipped, the status still counts.
    """

    event: int = 16 * MIB
    stream: int = 256 * MIB
    reply: int = 64 * MIB
    error_body: int = 1 * MIB


#: The caps every client uses unless told otherwise.
DEFAULT_LIMITS: Final = BodyLimits()


def too_large(limit: int) -> ReplyTooLargeError:
    """The error for a reply that passed ``limit`` bytes."""
    size = describe_size(limit)
    return ReplyTooLargeError(
        _(
            "The server sent more than {size} for one reply, far more than any chat reply"
            " needs, so FoxChat stopped reading it."
        ).format(size=size)
    )


def describe_size(size: int) -> str:
    """``16 MB``, ``512 KB`` or ``300 bytes``: a size a person can read."""
    if size >= MIB:
        return f"{size / MIB:g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return ngettext("{count} byte", "{count} bytes", size).format(count=size)
