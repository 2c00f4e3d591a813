"""An incremental Server-Sent Events decoder that works on bytes.

Chunks may split lines, events and even UTF-8 characters anywhere. Lines end
in LF, CRLF or CR; ``:`` lines are keep-alive comments; several ``data:``
lines in one event are joined with LF. The work per chunk is a few C-level
``bytes`` operations (``in``, ``split``, ``join``), never a loop over
characters, and an event's data stays as bytes because ``json.loads`` reads
UTF-8 bytes directly.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SSEMessage:
    """One dispatched event: its ``event:`` name ("" when none) and its data."""

    event: str
    data: bytes


_DATA = b"data:"


class SSEDecoder:
    """Feed it bytes as they arrive; it returns the events completed so far."""

    def __init__(self) -> None:
        self._pending: list[bytes] = []
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
            return []
        if self._pending:
            self._pending.append(chunk)
            chunk = b"".join(self._pending)
        blocks = chunk.split(b"\n\n")
        rest = blocks.pop()
        self._pending = [rest] if rest else []
        self._pending_ends_with_lf = rest[-1:] == b"\n"
        return [message for block in blocks if block and (message := _parse_block(block))]

    def flush(self) -> list[SSEMessage]:
        """At end of stream: an event not followed by a blank line still counts."""
        self._pending_cr = False
        block = b"".join(self._pending).strip(b"\n")
        self._pending = []
        self._pending_ends_with_lf = False
        message = _parse_block(block) if block else None
        return [message] if message else []

    def _normalise_newlines(self, chunk: bytes) -> bytes:
        if self._pending_cr and chunk[:1] == b"\n":
            # The CR that ended the last chunk and this LF are one CRLF line end.
            chunk = chunk[1:]
        self._pending_cr = chunk[-1:] == b"\r"
        return chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _parse_block(block: bytes) -> SSEMessage | None:
    # The usual case, one "data: {...}" line, costs one prefix check and a slice.
    if block.startswith(_DATA) and b"\n" not in block:
        data = block[5:]
        return SSEMessage("", data[1:] if data[:1] == b" " else data)
    event = ""
    data_lines: list[bytes] = []
    for line in block.split(b"\n"):
        if not line or line[0] == 58:  # ":" starts a comment (keep-alive)
            continue
        name, colon, value = line.partition(b":")
        if colon and value[:1] == b" ":
            value = value[1:]
        if name == b"data":
            data_lines.append(value)
        elif name == b"event":
            event = value.decode("utf-8", "replace")
        # id and retry mean nothing to a one-shot chat stream; they are skipped.
    if not data_lines:
        return None  # an event without data is not dispatched (SSE spec)
    return SSEMessage(event, b"\n".join(data_lines))
