"""The message tree: add, stream into, finish, walk the active branch, switch and delete.

Nothing is ever overwritten: a regeneration or an edit is a new sibling, and
each parent remembers which child is on the active branch (roots are siblings
of each other; the conversation remembers the active root).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from typing import Any

from foxchat.attachments import Attachment
from foxchat.i18n import _
from foxchat.store import attachments as stored_attachments
from foxchat.store.conversations import touch
from foxchat.store.database import Database
from foxchat.store.errors import StoreChangedError, StoreNotFoundError
from foxchat.store.models import MessageStatus, StoredMessage

MESSAGE_COLUMNS = (
    "id, conversation_id, parent_id, role, content, reasoning, tool_calls_json, tool_call_id,"
    " model, finish_reason, usage_json, status, error, created_at, details_json"
)

# The active branch, root to leaf. A missing pointer falls back to the newest
# child, so a tree is always walkable even if a pointer was never set.
_ACTIVE_PATH_CTE = """
WITH RECURSIVE path(id, depth) AS (
    SELECT COALESCE(
        (SELECT active_root_id FROM conversations WHERE id = :cid),
        (SELECT max(id) FROM messages WHERE conversation_id = :cid AND parent_id IS NULL)
    ), 0
    UNION ALL
    SELECT COALESCE(
        m.active_child_id, (SELECT max(c.id) FROM messages c WHERE c.parent_id = m.id)
    ), path.depth + 1
    FROM messages m JOIN path ON m.id = path.id
)
"""
_ACTIVE_PATH_SQL = f"""{_ACTIVE_PATH_CTE}
SELECT {", ".join("m." + c.strip() for c in MESSAGE_COLUMNS.split(","))}
FROM path JOIN messages m ON m.id = path.id ORDER BY path.depth
"""
_ACTIVE_LEAF_SQL = f"""{_ACTIVE_PATH_CTE}
SELECT id FROM path WHERE id IS NOT NULL ORDER BY depth DESC LIMIT 1
"""

_SUBTREE_SQL = """
WITH RECURSIVE subtree(id) AS (
    SELECT :mid UNION ALL SELECT m.id FROM messages m JOIN subtree ON m.parent_id = subtree.id
)
SELECT id FROM subtree
"""

_MISSING = _("This message no longer exists.")


def message_from_row(row: Sequence[Any]) -> StoredMessage:
    """A ``StoredMessage`` from a row selected with ``MESSAGE_COLUMNS``."""
    (mid, cid, parent, role, content, reasoning, tool_calls, tool_call_id) = row[:8]
    (model, finish_reason, usage, status, error, created_at, details) = row[8:]
    return StoredMessage(
        id=int(mid),
        conversation_id=int(cid),
        parent_id=None if parent is None else int(parent),
        role=str(role),
        content=str(content),
        reasoning=str(reasoning),
        tool_calls_json=None if tool_calls is None else str(tool_calls),
        tool_call_id=None if tool_call_id is None else str(tool_call_id),
        model=None if model is None else str(model),
        finish_reason=None if finish_reason is None else str(finish_reason),
        usage_json=None if usage is None else str(usage),
        status=MessageStatus(status),
        error=None if error is None else str(error),
        created_at=float(created_at),
        details_json=None if details is None else str(details),
    )


def add_message(
    db: Database,
    cid: int,
    *,
    parent_id: int | None,
    role: str,
    content: str,
    reasoning: str,
    status: MessageStatus,
    model: str | None,
    tool_calls_json: str | None,
    tool_call_id: str | None,
    only_at_end: bool = False,
    attachments: Sequence[Attachment] = (),
) -> int:
    """Insert a message as the active child of its parent; committed on return.

    ``only_at_end``: refuse with ``StoreChangedError`` unless ``parent_id`` is
    still the last message of the active branch (None: the branch is empty),
    checked in the same transaction. A window passes the last message it shows,
    so it never writes after history another process added or switched to.
    ``attachments`` are saved in the same transaction, in order.
    """
    now = time.time()
    with db.write() as conn:
        if conn.execute("SELECT 1 FROM conversations WHERE id = ?", (cid,)).fetchone() is None:
            raise StoreNotFoundError(_("This conversation no longer exists."))
        if only_at_end:
            leaf = conn.execute(_ACTIVE_LEAF_SQL, {"cid": cid}).fetchone()
            if (None if leaf is None else int(leaf[0])) != parent_id:
                raise StoreChangedError(
                    _(
                        "This chat was changed in another FoxChat window,"
                        " so your message was not sent."
                    )
                )
        if parent_id is not None:
            owner = conn.execute(
                "SELECT conversation_id FROM messages WHERE id = ?", (parent_id,)
            ).fetchone()
            if owner is None or owner[0] != cid:
                raise StoreNotFoundError(_("The message this one answers no longer exists."))
        cursor = conn.execute(
            "INSERT INTO messages (conversation_id, parent_id, role, content, reasoning,"
            " tool_calls_json, tool_call_id, model, status, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                cid,
                parent_id,
                role,
                content,
                reasoning,
                tool_calls_json,
                tool_call_id,
                model,
                str(status),
                now,
            ),
        )
        mid = cursor.lastrowid
        assert mid is not None
        stored_attachments.link(conn, mid, attachments)
        _make_active(conn, cid, parent_id, mid)
        touch(conn, cid, now)
    return mid


def _make_active(conn: sqlite3.Connection, cid: int, parent_id: int | None, mid: int) -> None:
    if parent_id is None:
        conn.execute("UPDATE conversations SET active_root_id = ? WHERE id = ?", (mid, cid))
    else:
        conn.execute("UPDATE messages SET active_child_id = ? WHERE id = ?", (mid, parent_id))


def update_streaming_text(db: Database, mid: int, content: str, reasoning: str) -> None:
    """Save the text received so far (one small transaction, not indexed yet)."""
    with db.write() as conn:
        cursor = conn.execute(
            "UPDATE messages SET content = ?, reasoning = ? WHERE id = ?", (content, reasoning, mid)
        )
    if cursor.rowcount == 0:
        raise StoreNotFoundError(_MISSING)


def finish_message(
    db: Database,
    mid: int,
    *,
    status: MessageStatus,
    content: str | None,
    reasoning: str | None,
    finish_reason: str | None,
    usage_json: str | None,
    error: str | None,
    tool_calls_json: str | None,
    details_json: str | None = None,
) -> None:
    """Settle a reply: its final status, and whatever text and details are given."""
    changes: dict[str, object] = {"status": str(status)}
    optional = {
        "content": content,
        "reasoning": reasoning,
        "finish_reason": finish_reason,
        "usage_json": usage_json,
        "error": error,
        "tool_calls_json": tool_calls_json,
        "details_json": details_json,
    }
    changes.update({name: value for name, value in optional.items() if value is not None})
    assignments = ", ".join(f"{column} = ?" for column in changes)
    with db.write() as conn:
        row = conn.execute("SELECT conversation_id FROM messages WHERE id = ?", (mid,)).fetchone()
        if row is None:
            raise StoreNotFoundError(_MISSING)
        conn.execute(f"UPDATE messages SET {assignments} WHERE id = ?", (*changes.values(), mid))
        touch(conn, row[0], time.time())


def save_logprobs(db: Database, mid: int, tokens_json: str) -> None:
    """Keep a reply's token probabilities (replacing any kept before)."""
    with db.write() as conn:
        if conn.execute("SELECT 1 FROM messages WHERE id = ?", (mid,)).fetchone() is None:
            raise StoreNotFoundError(_MISSING)
        conn.execute(
            "INSERT OR REPLACE INTO message_logprobs (message_id, tokens_json) VALUES (?, ?)",
            (mid, tokens_json),
        )


def get_logprobs(db: Database, mid: int) -> str | None:
    """A reply's token probabilities as saved, or None when it has none."""
    with db.read() as conn:
        row = conn.execute(
            "SELECT tokens_json FROM message_logprobs WHERE message_id = ?", (mid,)
        ).fetchone()
    return None if row is None else str(row[0])


def get_message(db: Database, mid: int) -> StoredMessage:
    """One message by id."""
    with db.read() as conn:
        row = conn.execute(
            f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?", (mid,)
        ).fetchone()
    if row is None:
        raise StoreNotFoundError(_MISSING)
    return message_from_row(row)


def active_path(db: Database, cid: int) -> list[StoredMessage]:
    """The messages on the active branch, from the first to the newest."""
    with db.read() as conn:
        rows = conn.execute(_ACTIVE_PATH_SQL, {"cid": cid}).fetchall()
    return [message_from_row(row) for row in rows]


def _parent_of(conn: sqlite3.Connection, mid: int) -> tuple[int, int | None]:
    row = conn.execute(
        "SELECT conversation_id, parent_id FROM messages WHERE id = ?", (mid,)
    ).fetchone()
    if row is None:
        raise StoreNotFoundError(_MISSING)
    return int(row[0]), row[1]


def _sibling_ids(conn: sqlite3.Connection, cid: int, parent_id: int | None) -> list[int]:
    if parent_id is None:
        rows = conn.execute(
            "SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS NULL ORDER BY id",
            (cid,),
        )
    else:
        rows = conn.execute("SELECT id FROM messages WHERE parent_id = ? ORDER BY id", (parent_id,))
    return [int(r[0]) for r in rows]


def siblings(db: Database, mid: int) -> list[int]:
    """The alternatives at this point of the tree, itself included, oldest first."""
    with db.read() as conn:
        cid, parent_id = _parent_of(conn, mid)
        return _sibling_ids(conn, cid, parent_id)


def set_active(db: Database, mid: int) -> None:
    """Put ``mid`` on the active branch among its siblings."""
    with db.write() as conn:
        cid, parent_id = _parent_of(conn, mid)
        _make_active(conn, cid, parent_id, mid)


def delete_message(db: Database, mid: int) -> None:
    """Delete the message and everything after it; a remaining sibling becomes active."""
    with db.write() as conn:
        cid, parent_id = _parent_of(conn, mid)
        remaining = [s for s in _sibling_ids(conn, cid, parent_id) if s != mid]
        # The nearest older alternative, else the nearest newer one.
        older = [s for s in remaining if s < mid]
        successor = older[-1] if older else (remaining[0] if remaining else None)
        if parent_id is None:
            active = conn.execute(
                "SELECT active_root_id FROM conversations WHERE id = ?", (cid,)
            ).fetchone()[0]
        else:
            active = conn.execute(
                "SELECT active_child_id FROM messages WHERE id = ?", (parent_id,)
            ).fetchone()[0]
        # One statement: foreign keys are checked at its end, not row by row,
        # and no cascade recursion depth limit applies to long chats.
        conn.execute(f"DELETE FROM messages WHERE id IN ({_SUBTREE_SQL})", {"mid": mid})
        if active in (mid, None) and successor is not None:
            _make_active(conn, cid, parent_id, successor)


def message_count(db: Database, cid: int) -> int:
    """How many messages the conversation holds, on every branch."""
    with db.read() as conn:
        row = conn.execute(
            "SELECT count(*) FROM messages WHERE conversation_id = ?", (cid,)
        ).fetchone()
    return int(row[0])


def usage_by_model(db: Database, cid: int) -> dict[str, tuple[int, int]]:
    """Prompt and completion tokens per model, over every reply in the chat.

    Alternatives count too: regenerating a reply costs tokens even when the
    user looks at another version.
    """
    with db.read() as conn:
        rows = conn.execute(
            "SELECT coalesce(model, ''),"
            " sum(coalesce(json_extract(usage_json, '$.prompt_tokens'), 0)),"
            " sum(coalesce(json_extract(usage_json, '$.completion_tokens'), 0))"
            " FROM messages WHERE conversation_id = ? AND json_valid(usage_json)"
            " GROUP BY 1",
            (cid,),
        ).fetchall()
    return {str(model): (int(prompt), int(completion)) for model, prompt, completion in rows}
