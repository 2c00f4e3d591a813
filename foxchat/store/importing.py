"""What every importer produces, and how it is written to the store.

Importers (FoxChat JSON, ChatGPT) first turn a file into these plain records,
checking everything; only then is anything written, so a bad file imports
nothing. The writing is all or nothing too, but in short transactions, so a
large import never keeps another writer (the window saving a streaming reply)
waiting for more than a moment.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from foxchat.attachments import Attachment
from foxchat.i18n import _
from foxchat.store import attachments as stored_attachments
from foxchat.store.database import Database
from foxchat.store.errors import ImportFormatError, StoreError
from foxchat.store.models import ImportResult, MessageStatus

_IDS_PER_STATEMENT: Final = 500


@dataclass(slots=True)
class ImportedMessage:
    """A message before it has a database id; ``key`` is its id within the file."""

    key: int
    parent: int | None
    role: str
    content: str
    created_at: float
    reasoning: str = ""
    active_child: int | None = None
    tool_calls_json: str | None = None
    tool_call_id: str | None = None
    model: str | None = None
    finish_reason: str | None = None
    usage_json: str | None = None
    status: MessageStatus = MessageStatus.COMPLETE
    error: str | None = None
    details_json: str | None = None
    logprobs_json: str | None = None
    attachments: list[Attachment] = field(default_factory=list)


@dataclass(slots=True)
class ImportedConversation:
    """A conversation before it has a database id; messages are parents first."""

    title: str
    created_at: float
    updated_at: float
    pinned: bool = False
    model: str = ""
    system_prompt: str = ""
    params_json: str = ""
    draft: str = ""
    active_root: int | None = None
    messages: list[ImportedMessage] = field(default_factory=list)


def write_imported(
    db: Database,
    conversations: list[ImportedConversation],
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Add the conversations, all or nothing, without holding the database for long.

    The rows go in as a series of short transactions (``Database.batched_write``)
    so that the window, saving a reply as it streams, waits at most one batch.
    Until the last row is in, every imported conversation is hidden (marked
    deleted, as a conversation awaiting purge is), so a half-done import is
    never seen; one small transaction then shows them all. A failure removes
    what was added, and if even that fails the next start purges it.
    ``progress(done, total)`` is called after each conversation is written.
    """
    added: list[int] = []
    try:
        message_total = _write_hidden(db, conversations, added, progress)
        _reveal(db, added)
    except BaseException:
        with contextlib.suppress(StoreError):
            _remove(db, added)
        raise
    return ImportResult(conversations=len(conversations), messages=message_total)


def _write_hidden(
    db: Database,
    conversations: list[ImportedConversation],
    added: list[int],
    progress: Callable[[int, int], None] | None,
) -> int:
    """Insert everything hidden; ``added`` collects the new conversation ids as they commit."""
    hidden_at = time.time()
    message_total = 0
    try:
        with db.batched_write() as batches:
            for done, conv in enumerate(conversations, start=1):
                cid = _insert_conversation(batches.conn(), conv, hidden_at)
                added.append(cid)
                ids: dict[int, int] = {}
                for msg in conv.messages:
                    ids[msg.key] = _insert_message(batches.conn(), cid, msg, ids)
                batches.conn().executemany(
                    "UPDATE messages SET active_child_id = ? WHERE id = ?",
                    [
                        (ids[msg.active_child], ids[msg.key])
                        for msg in conv.messages
                        if msg.active_child is not None
                    ],
                )
                if conv.active_root is not None:
                    batches.conn().execute(
                        "UPDATE conversations SET active_root_id = ? WHERE id = ?",
                        (ids[conv.active_root], cid),
                    )
                message_total += len(conv.messages)
                if progress is not None:
                    progress(done, len(conversations))
    except (UnicodeEncodeError, OverflowError) as exc:
        # JSON may hold text SQLite cannot store (lone surrogates) or huge numbers.
        raise ImportFormatError(
            _("This file holds text or numbers that cannot be saved (it may be damaged).")
        ) from exc
    return message_total


def _insert_conversation(
    conn: sqlite3.Connection, conv: ImportedConversation, hidden_at: float
) -> int:
    cursor = conn.execute(
        "INSERT INTO conversations (title, created_at, updated_at, pinned, model,"
        " system_prompt, params_json, draft, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            conv.title,
            conv.created_at,
            conv.updated_at,
            int(conv.pinned),
            conv.model,
            conv.system_prompt,
            conv.params_json,
            conv.draft,
            hidden_at,
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _insert_message(
    conn: sqlite3.Connection, cid: int, msg: ImportedMessage, ids: dict[int, int]
) -> int:
    # A reply cut off in the exporting app can no longer be streaming here.
    status = msg.status
    if status is MessageStatus.STREAMING:
        status = MessageStatus.INTERRUPTED
    cursor = conn.execute(
        "INSERT INTO messages (conversation_id, parent_id, role, content, reasoning,"
        " tool_calls_json, tool_call_id, model, finish_reason, usage_json, status,"
        " error, created_at, details_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            cid,
            None if msg.parent is None else ids[msg.parent],
            msg.role,
            msg.content,
            msg.reasoning,
            msg.tool_calls_json,
            msg.tool_call_id,
            msg.model,
            msg.finish_reason,
            msg.usage_json,
            str(status),
            msg.error,
            msg.created_at,
            msg.details_json,
        ),
    )
    assert cursor.lastrowid is not None
    stored_attachments.link(conn, cursor.lastrowid, msg.attachments)
    if msg.logprobs_json is not None:
        conn.execute(
            "INSERT INTO message_logprobs (message_id, tokens_json) VALUES (?, ?)",
            (cursor.lastrowid, msg.logprobs_json),
        )
    return cursor.lastrowid


def _chunks(ids: list[int]) -> list[list[int]]:
    # SQLite allows a limited number of parameters per statement.
    return [ids[n : n + _IDS_PER_STATEMENT] for n in range(0, len(ids), _IDS_PER_STATEMENT)]


def _reveal(db: Database, added: list[int]) -> None:
    """Show every imported conversation at once, or raise if one went missing meanwhile."""
    with db.write() as conn:
        shown = 0
        for chunk in _chunks(added):
            marks = ", ".join("?" * len(chunk))
            cursor = conn.execute(
                f"UPDATE conversations SET deleted_at = NULL WHERE id IN ({marks})", chunk
            )
            shown += cursor.rowcount
        if shown != len(added):
            # Another FoxChat started meanwhile and purged the hidden rows.
            raise StoreError(
                _(
                    "Another FoxChat started during the import and removed part of it,"
                    " so nothing was imported."
                ),
                _("Import the file again."),
            )


def _remove(db: Database, added: list[int]) -> None:
    """Delete what a failed import added (its messages go with it)."""
    with db.batched_write() as batches:
        for chunk in _chunks(added):
            marks = ", ".join("?" * len(chunk))
            batches.conn().execute(f"DELETE FROM conversations WHERE id IN ({marks})", chunk)
