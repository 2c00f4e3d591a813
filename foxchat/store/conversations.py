"""Conversation rows: create, list, read, change, soft-delete and purge.

This is the SQL; ``services/conversations.py`` is the window's command layer
over it (plain-words errors, drafts, undo).
"""

from __future__ import annotations

import sqlite3
import time
from typing import Final

from foxchat.i18n import _
from foxchat.store.database import Database
from foxchat.store.errors import StoreNotFoundError
from foxchat.store.models import Conversation, ConversationSummary

#: How long a deleted chat stays restorable on disk before a start may purge it.
#: A window offers Undo for seconds, but any FoxChat process (a second window,
#: a crashed one's successor) may purge at its start: an hour is far longer than
#: any Undo offer, so no live window ever loses a chat it still offers back.
PURGE_AFTER_S: Final = 3600.0

_CONVERSATION_COLUMNS = (
    "id, title, created_at, updated_at, pinned, model, system_prompt, params_json, draft"
)


def create_conversation(
    db: Database, *, title: str, model: str, system_prompt: str, params_json: str
) -> int:
    """Add an empty conversation and return its id."""
    now = time.time()
    with db.write() as conn:
        cursor = conn.execute(
            "INSERT INTO conversations (title, created_at, updated_at, model, system_prompt,"
            " params_json) VALUES (?, ?, ?, ?, ?, ?)",
            (title, now, now, model, system_prompt, params_json),
        )
    return _rowid(cursor)


def _rowid(cursor: sqlite3.Cursor) -> int:
    rowid = cursor.lastrowid
    assert rowid is not None  # an INSERT always sets it
    return rowid


def list_conversations(db: Database) -> list[ConversationSummary]:
    """Pinned first, then the most recently updated; deleted ones left out."""
    with db.read() as conn:
        rows = conn.execute(
            "SELECT id, title, updated_at, pinned, model FROM conversations"
            " WHERE deleted_at IS NULL ORDER BY pinned DESC, updated_at DESC, id DESC"
        ).fetchall()
    return [
        ConversationSummary(id=r[0], title=r[1], updated_at=r[2], pinned=bool(r[3]), model=r[4])
        for r in rows
    ]


def get_conversation(db: Database, cid: int) -> Conversation:
    """One conversation's settings (also while it is soft-deleted, for undo)."""
    with db.read() as conn:
        row = conn.execute(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations WHERE id = ?", (cid,)
        ).fetchone()
    if row is None:
        raise StoreNotFoundError(_("This conversation no longer exists."))
    return Conversation(
        id=row[0],
        title=row[1],
        created_at=row[2],
        updated_at=row[3],
        pinned=bool(row[4]),
        model=row[5],
        system_prompt=row[6],
        params_json=row[7],
        draft=row[8],
    )


def update_conversation(
    db: Database,
    cid: int,
    *,
    title: str | None,
    pinned: bool | None,
    model: str | None,
    system_prompt: str | None,
    params_json: str | None,
) -> None:
    """Change the given fields; pinning alone does not move it in the list."""
    changes: dict[str, object] = {}
    if title is not None:
        changes["title"] = title
    if model is not None:
        changes["model"] = model
    if system_prompt is not None:
        changes["system_prompt"] = system_prompt
    if params_json is not None:
        changes["params_json"] = params_json
    if changes:
        changes["updated_at"] = time.time()
    if pinned is not None:
        changes["pinned"] = int(pinned)
    if not changes:
        get_conversation(db, cid)  # still tell the caller when the id is gone
        return
    assignments = ", ".join(f"{column} = ?" for column in changes)
    _update(db, cid, f"UPDATE conversations SET {assignments} WHERE id = ?", *changes.values())


def _update(db: Database, cid: int, sql: str, *values: object) -> None:
    with db.write() as conn:
        cursor = conn.execute(sql, (*values, cid))
    if cursor.rowcount == 0:
        raise StoreNotFoundError(_("This conversation no longer exists."))


def save_draft(db: Database, cid: int, text: str) -> None:
    """Keep the unsent composer text; the list order does not change."""
    _update(db, cid, "UPDATE conversations SET draft = ? WHERE id = ?", text)


def delete_conversation(db: Database, cid: int) -> None:
    """Hide the conversation at once; ``undelete_conversation`` brings it back."""
    _update(db, cid, "UPDATE conversations SET deleted_at = ? WHERE id = ?", time.time())


def undelete_conversation(db: Database, cid: int) -> None:
    """Undo ``delete_conversation``."""
    _update(db, cid, "UPDATE conversations SET deleted_at = NULL WHERE id = ?")


def purge_deleted(db: Database, older_than: float = PURGE_AFTER_S) -> int:
    """Really delete chats soft-deleted at least ``older_than`` seconds ago; returns how many.

    Their ids are never given out again (the tables use ``AUTOINCREMENT``).
    """
    cutoff = time.time() - older_than
    with db.write() as conn:
        cursor = conn.execute("DELETE FROM conversations WHERE deleted_at <= ?", (cutoff,))
    return cursor.rowcount


def touch(conn: sqlite3.Connection, cid: int, now: float) -> None:
    """Move a conversation to the top of the list (inside the caller's transaction)."""
    conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, cid))
