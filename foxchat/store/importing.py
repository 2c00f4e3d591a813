"""What every importer produces, and the one transaction that writes it.

Importers (FoxChat JSON, ChatGPT) first turn a file into these plain records,
checking everything; only then is anything written, all in one transaction, so
a bad file imports nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from foxchat.store.database import Database
from foxchat.store.errors import ImportFormatError
from foxchat.store.models import ImportResult, MessageStatus


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


def write_imported(db: Database, conversations: list[ImportedConversation]) -> ImportResult:
    """Add the conversations in one transaction; an error leaves the store unchanged."""
    try:
        return _write(db, conversations)
    except (UnicodeEncodeError, OverflowError) as exc:
        # JSON may hold text SQLite cannot store (lone surrogates) or huge numbers.
        raise ImportFormatError(
            "This file holds text or numbers that cannot be saved (it may be damaged)."
        ) from exc


def _write(db: Database, conversations: list[ImportedConversation]) -> ImportResult:
    message_total = 0
    with db.write() as conn:
        for conv in conversations:
            cursor = conn.execute(
                "INSERT INTO conversations (title, created_at, updated_at, pinned, model,"
                " system_prompt, params_json, draft) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    conv.title,
                    conv.created_at,
                    conv.updated_at,
                    int(conv.pinned),
                    conv.model,
                    conv.system_prompt,
                    conv.params_json,
                    conv.draft,
                ),
            )
            cid = cursor.lastrowid
            ids: dict[int, int] = {}
            for msg in conv.messages:
                # A reply cut off in the exporting app can no longer be streaming here.
                status = msg.status
                if status is MessageStatus.STREAMING:
                    status = MessageStatus.INTERRUPTED
                cursor = conn.execute(
                    "INSERT INTO messages (conversation_id, parent_id, role, content, reasoning,"
                    " tool_calls_json, tool_call_id, model, finish_reason, usage_json, status,"
                    " error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    ),
                )
                assert cursor.lastrowid is not None
                ids[msg.key] = cursor.lastrowid
            conn.executemany(
                "UPDATE messages SET active_child_id = ? WHERE id = ?",
                [
                    (ids[msg.active_child], ids[msg.key])
                    for msg in conv.messages
                    if msg.active_child is not None
                ],
            )
            if conv.active_root is not None:
                conn.execute(
                    "UPDATE conversations SET active_root_id = ? WHERE id = ?",
                    (ids[conv.active_root], cid),
                )
            message_total += len(conv.messages)
    return ImportResult(conversations=len(conversations), messages=message_total)
