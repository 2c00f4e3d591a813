"""An incremental Server-Sent Events decoder that works on bytes.

Chunks may split lines, events and even UTF-8 characters anywhere. Lines end
in LF, CRLF or CR; ``:`` lines are keep-alive comments; several ``data:``
lines in one event are joined with LF. The work per chunk is a few C-level
operations (``in``, ``rfind``, one ``decode``, ``split``), never a loop over
characters: only the part of the buffer that ends on a blank line is decoded,
so a UTF-8 character cut in two is never decoded early.

An event that grows past ``max_event`` bytes without ending (a line with no
newline, say) raises :class:`~foxchat.api.errors.ReplyTooLargeError` as soon
as it does: the check is one addition per chunk, so speed is unchanged.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from foxchat.api.limits import DEFAULT_LIMITS, too_large

MAX_EVENT: Final = DEFAULT_LIMITS.event


class SSEMessage(NamedTuple):
    """One dispatched event: its ``event:`` name ("" when none) and its data."""

    event: str
    data: str


class SSEDecoder:
    """Feed it bytes as they arrive; it returns the events completed so far."""

    def __init__(self, max_event: int = MAX_EVENT) -> None:
        self.max_event = max_event
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._pending_ends_with_lf = False
        self._pending_cr = False

    def feed(self, chunk: bytes) -> list[SSEMessage]:
        """Decode ``chunk``; returns the events it completed (maybe none)."""
        if not chunk:
            return []
        if b"\r" in chunk or self._pending_cr:
            chunk = self._normalise_newlines(chunk)
            if not chunk:
                return []
        # Cheap check first: no blank line in sight means no event is complete.
        if b"\n\n" not in chunk and not (self._pending_ends_with_lf and chunk[0] == 10):
            self._pending.append(chunk)
            self._pending_ends_with_lf = chunk[-1] == 10
            self._pending_size += len(chunk)
            if self._pending_size > self.max_event:
                raise too_large(self.max_event)
            return []
        if self._pending:
            self._pending.append(chunk)
            chunk = b"".join(self._pending)
        end = chunk.rfind(b"\n\n")
        rest = chunk[end + 2 :]
        self._pending = [rest] if rest else []
        self._pending_ends_with_lf = rest[-1:] == b"\n"
        self._pending_size = len(rest)
        if self._pending_size > self.max_event:
            raise too_large(self.max_event)
        blocks = chunk[:end].decode("utf-8", "replace").split("\n\n")
        if end > self.max_event and max(map(len, blocks)) > self.max_event:
            # A whole event that came in one piece is held to the same cap.
            raise too_large(self.max_event)
        messages: list[SSEMessage] = []
        for block in blocks:
            # The usual event, one "data: {...}" line, is a prefix check and a slice.
            if block[:6] == "data: " and "\n" not in block:
                messages.append(_new_message(SSEMessage, ("", block[6:])))
            elif block and (message := _parse_block(block)):
                messages.append(message)
        return messages

    def flush(self) -> list[SSEMessage]:
        """At end of stream: an event not followed by a blank line still counts."""
        self._pending_cr = False
        block = b"".join(self._pending).decode("utf-8", "replace").strip("\n")
        self._pending = []
        self._pending_size = 0
        self._pending_ends_with_lf = False
        message = _parse_block(block)
        return [message] if message else []

    def _normalise_newlines(self, chunk: bytes) -> bytes:
        if self._pending_cr and chunk[:1] == b"\n":
            # The CR that ended the last chunk and this LF are one CRLF line end.
            chunk = chunk[1:]
        self._pending_cr = chunk[-1:] == b"\r"
        return chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


# NamedTuple's generated __new__ costs more than the rest of decoding an event.
_new_message = tuple.__new__


def _parse_block(block: str) -> SSEMessage | None:
    event = ""
    data_lines: list[str] = []
    for line in block.split("\n"):
        if not line or line[0] == ":":  # a comment (keep-alive)
            continue
        name, colon, value = line.partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if name == "data":
            data_lines.append(value)
        elif name == "event":
            event = value
        # id and retry mean nothing to a one-shot chat stream; they are skipped.
    if not data_lines:
        return None  # an event without data is not dispatched (SSE spec)
    return SSEMessage(event, "\n".join(data_lines))
