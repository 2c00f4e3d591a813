"""Attachments in the database: stored once by content, linked to messages in order.

``link`` runs inside the transaction that writes the message, so a message
and its files are saved together or not at all. A file's bytes live in
``attachment_blobs`` under their SHA-256: the same image pasted into ten
messages is stored once. The schema's trigger removes a blob when its last
link goes (a message deleted, a chat purged), so nothing else needs to.

A chat's composer keeps its files the same way (``save_draft``, ``draft``):
linked to the conversation instead of a message, so they are there after a
restart or a crash even when the file they came from is gone.

Reading comes in two weights: ``infos`` (names, sizes, thumbnails: what the
chat shows, cheap for fifty images) and ``full`` (the bytes and text: what a
request sends and an export writes). ``data`` fetches one file's bytes for
the viewer.
"""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, Final

from foxchat.attachments import KINDS, Attachment, AttachmentInfo, Kind
from foxchat.i18n import _
from foxchat.store.database import Database
from foxchat.store.errors import ImportFormatError, StoreNotFoundError

_IDS_PER_STATEMENT: Final = 500
_INFO_COLUMNS: Final = (
    "l.message_id, l.name, b.kind, b.mime, length(b.data), b.sha256, b.width, b.height,"
    " b.pages, b.thumbnail, length(b.text)"
)
_FULL_COLUMNS: Final = (
    "l.message_id, l.name, b.kind, b.mime, b.data, b.text, b.width, b.height, b.pages, b.thumbnail"
)


def link(conn: sqlite3.Connection, message_id: int, attachments: Sequence[Attachment]) -> None:
    """Store ``attachments`` (each blob once) as the message's files, in order, and index them.

    Call inside a write transaction, right after inserting the message.
    """
    if not attachments:
        return
    for position, attachment in enumerate(attachments):
        conn.execute(
            "INSERT INTO message_attachments (message_id, position, blob_id, name)"
            " VALUES (?, ?, ?, ?)",
            (message_id, position, _blob_id(conn, attachment), attachment.name),
        )
    documents = [a for a in attachments if not a.is_image]
    conn.execute(
        "INSERT INTO attachment_fts (rowid, names, text) VALUES (?, ?, ?)",
        (
            message_id,
            "\n".join(a.name for a in attachments),
            "\n\n".join(a.text for a in documents),
        ),
    )


def _blob_id(conn: sqlite3.Connection, attachment: Attachment) -> int:
    """The id of ``attachment``'s blob, stored now unless the same bytes already are."""
    digest = attachment.sha256
    conn.execute(
        "INSERT INTO attachment_blobs (sha256, kind, mime, data, text, width, height, pages,"
        " thumbnail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
        (
            digest,
            attachment.kind,
            attachment.mime,
            attachment.data,
            attachment.text,
            attachment.width,
            attachment.height,
            attachment.pages,
            attachment.thumbnail,
        ),
    )
    row = conn.execute("SELECT id FROM attachment_blobs WHERE sha256 = ?", (digest,)).fetchone()
    return int(row[0])


def save_draft(db: Database, cid: int, attachments: Sequence[Attachment]) -> None:
    """Keep the files waiting in a chat's composer, in order, in place of those kept before.

    The new links are written before the old ones go, so a file kept in both
    is never freed and written again in between.
    """
    with db.write() as conn:
        if conn.execute("SELECT 1 FROM conversations WHERE id = ?", (cid,)).fetchone() is None:
            raise StoreNotFoundError("This conversation no longer exists.")
        wanted = [(_blob_id(conn, a), a.name) for a in attachments]
        kept = conn.execute(
            "SELECT blob_id, name FROM draft_attachments WHERE conversation_id = ?"
            " ORDER BY position",
            (cid,),
        ).fetchall()
        if [tuple(row) for row in kept] == wanted:
            return
        # New rows after every old position, then the old rows go and the new
        # ones move down to 0..n-1 (free by then: the key stays unique).
        start = len(kept)
        conn.executemany(
            "INSERT INTO draft_attachments (conversation_id, position, blob_id, name)"
            " VALUES (?, ?, ?, ?)",
            [(cid, start + i, blob, name) for i, (blob, name) in enumerate(wanted)],
        )
        conn.execute(
            "DELETE FROM draft_attachments WHERE conversation_id = ? AND position < ?",
            (cid, start),
        )
        conn.execute(
            "UPDATE draft_attachments SET position = position - ? WHERE conversation_id = ?",
            (start, cid),
        )


def draft(db: Database, cid: int) -> list[Attachment]:
    """The files kept in a chat's composer, with their bytes, in order."""
    with db.read() as conn:
        rows = conn.execute(
            "SELECT d.name, b.kind, b.mime, b.data, b.text, b.width, b.height, b.pages,"
            " b.thumbnail FROM draft_attachments d JOIN attachment_blobs b ON b.id = d.blob_id"
            " WHERE d.conversation_id = ? ORDER BY d.position",
            (cid,),
        ).fetchall()
    return [_attachment(*row) for row in rows]


def _by_message(conn: sqlite3.Connection, columns: str, message_ids: Iterable[int]) -> list[Any]:
    ids = list(dict.fromkeys(message_ids))
    rows: list[Any] = []
    for start in range(0, len(ids), _IDS_PER_STATEMENT):
        chunk = ids[start : start + _IDS_PER_STATEMENT]
        marks = ", ".join("?" * len(chunk))
        rows.extend(
            conn.execute(
                f"SELECT {columns} FROM message_attachments l"
                " JOIN attachment_blobs b ON b.id = l.blob_id"
                f" WHERE l.message_id IN ({marks}) ORDER BY l.message_id, l.position",
                chunk,
            ).fetchall()
        )
    return rows


def _kind(value: object) -> Kind:
    return "image" if value == "image" else "document"


def infos(db: Database, message_ids: Iterable[int]) -> dict[int, list[AttachmentInfo]]:
    """What the chat shows of each message's attachments (no data), in order."""
    with db.read() as conn:
        rows = _by_message(conn, _INFO_COLUMNS, message_ids)
    found: dict[int, list[AttachmentInfo]] = {}
    for mid, name, kind, mime, size, digest, width, height, pages, thumb, chars in rows:
        found.setdefault(int(mid), []).append(
            AttachmentInfo(
                kind=_kind(kind),
                name=str(name),
                mime=str(mime),
                size=int(size),
                sha256=str(digest),
                width=int(width),
                height=int(height),
                pages=int(pages),
                thumbnail=bytes(thumb) if isinstance(thumb, bytes) else b"",
                characters=int(chars),
            )
        )
    return found


def full(db: Database, message_ids: Iterable[int]) -> dict[int, list[Attachment]]:
    """Each message's attachments with their bytes and text, in order."""
    with db.read() as conn:
        return full_in(conn, message_ids)


def full_in(conn: sqlite3.Connection, message_ids: Iterable[int]) -> dict[int, list[Attachment]]:
    """``full`` on an open connection (an export reads inside its own transaction)."""
    found: dict[int, list[Attachment]] = {}
    for mid, *columns in _by_message(conn, _FULL_COLUMNS, message_ids):
        found.setdefault(int(mid), []).append(_attachment(*columns))
    return found


def _attachment(
    name: Any,
    kind: Any,
    mime: Any,
    data: Any,
    text: Any,
    width: Any,
    height: Any,
    pages: Any,
    thumb: Any,
) -> Attachment:
    """One attachment from a row of the columns in ``_FULL_COLUMNS`` after the message id."""
    return Attachment(
        kind=_kind(kind),
        name=str(name),
        mime=str(mime),
        data=bytes(data) if isinstance(data, bytes) else b"",
        text=str(text),
        width=int(width),
        height=int(height),
        pages=int(pages),
        thumbnail=bytes(thumb) if isinstance(thumb, bytes) else b"",
    )


def data(db: Database, sha256: str) -> bytes:
    """The bytes of one stored attachment (the viewer opens it full size)."""
    with db.read() as conn:
        row = conn.execute(
            "SELECT data FROM attachment_blobs WHERE sha256 = ?", (sha256,)
        ).fetchone()
    if row is None:
        raise StoreNotFoundError(_("This attachment is no longer stored; its message was deleted."))
    return bytes(row[0])


def blob_count(db: Database) -> int:
    """How many distinct files are stored (each once, however many messages use it)."""
    with db.read() as conn:
        return int(conn.execute("SELECT count(*) FROM attachment_blobs").fetchone()[0])


def to_json(attachment: Attachment) -> dict[str, Any]:
    """An attachment as a FoxChat JSON export holds it (bytes as base64)."""
    out: dict[str, Any] = {
        "name": attachment.name,
        "kind": attachment.kind,
        "mime": attachment.mime,
        "data": base64.b64encode(attachment.data).decode("ascii"),
    }
    if attachment.text:
        out["text"] = attachment.text
    if attachment.is_image:
        out["width"], out["height"] = attachment.width, attachment.height
        out["thumbnail"] = base64.b64encode(attachment.thumbnail).decode("ascii")
    if attachment.pages:
        out["pages"] = attachment.pages
    return out


def from_json(raw: object, where: str) -> Attachment:
    """An attachment read back from a FoxChat JSON export; raises ``ImportFormatError``."""

    # Each problem is a whole sentence (a translation may need another order).
    def bad(sentence: str) -> ImportFormatError:
        return ImportFormatError(sentence.format(where=where))

    if not isinstance(raw, dict):
        raise bad(_("This FoxChat file is damaged: {where} is not an object."))
    name, kind, mime = raw.get("name"), raw.get("kind"), raw.get("mime")
    if not isinstance(name, str) or kind not in KINDS or not isinstance(mime, str):
        raise bad(
            _("This FoxChat file is damaged: {where} has a missing or wrong name, kind or type.")
        )
    numbers = {key: raw.get(key, 0) for key in ("width", "height", "pages")}
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in numbers.values()):
        raise bad(_("This FoxChat file is damaged: {where} has a wrong size or page count."))
    text = raw.get("text", "")
    if not isinstance(text, str):
        raise bad(_("This FoxChat file is damaged: {where} has a wrong text."))
    try:
        data = base64.b64decode(str(raw.get("data", "")), validate=True)
        thumbnail = base64.b64decode(str(raw.get("thumbnail", "")), validate=True)
    except ValueError as exc:
        raise bad(
            _("This FoxChat file is damaged: {where} holds data that is not base64.")
        ) from exc
    if not data:
        raise bad(_("This FoxChat file is damaged: {where} holds no data."))
    return Attachment(
        kind="image" if kind == "image" else "document",
        name=name,
        mime=mime,
        data=data,
        text=text,
        width=int(numbers["width"]),
        height=int(numbers["height"]),
        pages=int(numbers["pages"]),
        thumbnail=thumbnail,
    )
