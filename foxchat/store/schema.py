"""The database layout and the steps that bring any older file up to date.

``PRAGMA user_version`` names the layout a file has. ``MIGRATIONS[n]`` turns
version ``n`` into ``n + 1``; a new file runs all of them, so a file made by
any earlier FoxChat goes through exactly the same steps as a new one. Each step
runs in its own transaction together with the version bump, so a crash leaves
either the old or the new version, never half of one.

Versions:

1. Conversations and the message tree (each message knows its parent and which
   of its children is the active branch).
2. Full-text search: FTS5 tables with the trigram tokenizer (substring and CJK
   matching), filled from existing rows and kept in step by triggers. Replies
   still streaming are indexed once they settle, so streaming stays cheap.
3. Ids are never reused (``AUTOINCREMENT`` on conversations and messages).
   SQLite otherwise hands out the highest deleted id again, so an Undo in one
   window could reach a chat another window made with the purged chat's id,
   and a window's "last message I showed" could name someone else's message.
   SQLite cannot add ``AUTOINCREMENT`` to a table, so both tables are rebuilt
   with the same rows and ids (foreign keys off, as SQLite's own recipe for
   changing a table says; ``migrate`` checks them before it commits).
6. Attachments: files stored once by their SHA-256, linked to messages in
   order, freed with their last link, their names and text searchable.
7. Attachments waiting in a chat's composer (the draft's files), linked to the
   conversation like sent ones to a message, so they survive a restart.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Final

STATUSES: Final = ("complete", "streaming", "stopped", "interrupted", "error")

_V1: Final[tuple[str, ...]] = (
    """
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL DEFAULT 'New chat',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
        model TEXT NOT NULL DEFAULT '',
        system_prompt TEXT NOT NULL DEFAULT '',
        params_json TEXT NOT NULL DEFAULT '',
        draft TEXT NOT NULL DEFAULT '',
        active_root_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
        deleted_at REAL
    )
    """,
    f"""
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES messages(id),
        active_child_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
        role TEXT NOT NULL,
        content TEXT NOT NULL DEFAULT '',
        reasoning TEXT NOT NULL DEFAULT '',
        tool_calls_json TEXT,
        tool_call_id TEXT,
        model TEXT,
        finish_reason TEXT,
        usage_json TEXT,
        status TEXT NOT NULL DEFAULT 'complete' CHECK (status IN {STATUSES!r}),
        error TEXT,
        created_at REAL NOT NULL
    )
    """,
    "CREATE INDEX messages_by_conversation ON messages(conversation_id, id)",
    "CREATE INDEX messages_by_parent ON messages(parent_id, id)",
    # Foreign-key actions look these up on every delete; without an index each
    # deleted message would scan the whole table.
    "CREATE INDEX messages_by_active_child ON messages(active_child_id)",
    "CREATE INDEX conversations_by_active_root ON conversations(active_root_id)",
    "CREATE INDEX conversations_for_list ON conversations(deleted_at, pinned, updated_at)",
    "CREATE INDEX messages_streaming ON messages(status) WHERE status = 'streaming'",
)

_V2: Final[tuple[str, ...]] = (
    "CREATE VIRTUAL TABLE message_fts USING fts5(content, reasoning, tokenize = 'trigram')",
    "CREATE VIRTUAL TABLE title_fts USING fts5(title, tokenize = 'trigram')",
    """
    INSERT INTO message_fts(rowid, content, reasoning)
    SELECT id, content, reasoning FROM messages WHERE status != 'streaming'
    """,
    "INSERT INTO title_fts(rowid, title) SELECT id, title FROM conversations",
    """
    CREATE TRIGGER messages_indexed_on_insert AFTER INSERT ON messages
    WHEN new.status != 'streaming' BEGIN
        INSERT INTO message_fts(rowid, content, reasoning)
        VALUES (new.id, new.content, new.reasoning);
    END
    """,
    """
    CREATE TRIGGER messages_indexed_on_update AFTER UPDATE OF content, reasoning, status
    ON messages WHEN old.status != 'streaming' OR new.status != 'streaming' BEGIN
        DELETE FROM message_fts WHERE rowid = old.id;
        INSERT INTO message_fts(rowid, content, reasoning)
        SELECT new.id, new.content, new.reasoning WHERE new.status != 'streaming';
    END
    """,
    """
    CREATE TRIGGER messages_unindexed_on_delete AFTER DELETE ON messages BEGIN
        DELETE FROM message_fts WHERE rowid = old.id;
    END
    """,
    """
    CREATE TRIGGER titles_indexed_on_insert AFTER INSERT ON conversations BEGIN
        INSERT INTO title_fts(rowid, title) VALUES (new.id, new.title);
    END
    """,
    """
    CREATE TRIGGER titles_indexed_on_update AFTER UPDATE OF title ON conversations BEGIN
        UPDATE title_fts SET title = new.title WHERE rowid = old.id;
    END
    """,
    """
    CREATE TRIGGER titles_unindexed_on_delete AFTER DELETE ON conversations BEGIN
        DELETE FROM title_fts WHERE rowid = old.id;
    END
    """,
)

_CONVERSATION_COLUMNS: Final = (
    "id, title, created_at, updated_at, pinned, model, system_prompt, params_json, draft,"
    " active_root_id, deleted_at"
)
_MESSAGE_COLUMNS: Final = (
    "id, conversation_id, parent_id, active_child_id, role, content, reasoning,"
    " tool_calls_json, tool_call_id, model, finish_reason, usage_json, status, error, created_at"
)

_V3: Final[tuple[str, ...]] = (
    # Each new table names the final tables in its references, so they hold
    # once the old ones are dropped and the new ones take their names.
    """
    CREATE TABLE conversations_v3 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        title TEXT NOT NULL DEFAULT 'New chat',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
        model TEXT NOT NULL DEFAULT '',
        system_prompt TEXT NOT NULL DEFAULT '',
        params_json TEXT NOT NULL DEFAULT '',
        draft TEXT NOT NULL DEFAULT '',
        active_root_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
        deleted_at REAL
    )
    """,
    f"""
    CREATE TABLE messages_v3 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES messages(id),
        active_child_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
        role TEXT NOT NULL,
        content TEXT NOT NULL DEFAULT '',
        reasoning TEXT NOT NULL DEFAULT '',
        tool_calls_json TEXT,
        tool_call_id TEXT,
        model TEXT,
        finish_reason TEXT,
        usage_json TEXT,
        status TEXT NOT NULL DEFAULT 'complete' CHECK (status IN {STATUSES!r}),
        error TEXT,
        created_at REAL NOT NULL
    )
    """,
    f"INSERT INTO conversations_v3 ({_CONVERSATION_COLUMNS})"
    f" SELECT {_CONVERSATION_COLUMNS} FROM conversations",
    f"INSERT INTO messages_v3 ({_MESSAGE_COLUMNS}) SELECT {_MESSAGE_COLUMNS} FROM messages",
    # Dropping a table drops its indexes and triggers; the search tables stay,
    # and their rowids are the unchanged ids.
    "DROP TABLE messages",
    "DROP TABLE conversations",
    "ALTER TABLE conversations_v3 RENAME TO conversations",
    "ALTER TABLE messages_v3 RENAME TO messages",
    *(step for step in _V1 if step.startswith("CREATE INDEX")),
    *(step for step in _V2 if "CREATE TRIGGER" in step),
)

# What each reply was made with and what came back beside its text, as one
# JSON object (see foxchat.store.details): the parameters actually sent, the
# server's system_fingerprint. A column added at the end, so old rows read as
# NULL ("not recorded") and no table is rebuilt.
_V4: Final[tuple[str, ...]] = ("ALTER TABLE messages ADD COLUMN details_json TEXT",)

# Token probabilities of a reply (asked for with logprobs), in a table of their
# own: thousands of tokens with alternatives would weigh on every read of the
# message rows, and only the probability view reads them.
_V5: Final[tuple[str, ...]] = (
    """
    CREATE TABLE message_logprobs (
        message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
        tokens_json TEXT NOT NULL
    )
    """,
)

# Attachments: each file's bytes once (``attachment_blobs``, named by their
# SHA-256, so an image pasted twice is stored once), and per message which
# files in which order under which name (``message_attachments``). A blob
# nothing links to any more goes with its last link, so deleting a chat (the
# cascade from conversations to messages to links) deletes its files.
# ``attachment_fts`` indexes the names and text of a message's documents,
# one row per message (rowid = the message id).
_V6: Final[tuple[str, ...]] = (
    """
    CREATE TABLE attachment_blobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        sha256 TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('image', 'document')),
        mime TEXT NOT NULL,
        data BLOB NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        width INTEGER NOT NULL DEFAULT 0,
        height INTEGER NOT NULL DEFAULT 0,
        pages INTEGER NOT NULL DEFAULT 0,
        thumbnail BLOB NOT NULL DEFAULT x''
    )
    """,
    """
    CREATE TABLE message_attachments (
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        blob_id INTEGER NOT NULL REFERENCES attachment_blobs(id),
        name TEXT NOT NULL,
        PRIMARY KEY (message_id, position)
    )
    """,
    "CREATE INDEX message_attachments_by_blob ON message_attachments(blob_id)",
    """
    CREATE TRIGGER attachment_blobs_freed AFTER DELETE ON message_attachments
    WHEN NOT EXISTS (SELECT 1 FROM message_attachments WHERE blob_id = old.blob_id) BEGIN
        DELETE FROM attachment_blobs WHERE id = old.blob_id;
    END
    """,
    "CREATE VIRTUAL TABLE attachment_fts USING fts5(names, text, tokenize = 'trigram')",
    """
    CREATE TRIGGER attachments_unindexed_on_delete AFTER DELETE ON messages BEGIN
        DELETE FROM attachment_fts WHERE rowid = old.id;
    END
    """,
)

# The files in a chat's composer, not sent yet: linked to the conversation in
# order, their bytes in ``attachment_blobs`` like a sent file's (the file they
# came from may be gone by the next start). A blob is freed only when neither
# a message nor a draft links to it, so both triggers look at both tables.
_V7: Final[tuple[str, ...]] = (
    """
    CREATE TABLE draft_attachments (
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        blob_id INTEGER NOT NULL REFERENCES attachment_blobs(id),
        name TEXT NOT NULL,
        PRIMARY KEY (conversation_id, position)
    )
    """,
    "CREATE INDEX draft_attachments_by_blob ON draft_attachments(blob_id)",
    "DROP TRIGGER attachment_blobs_freed",
    """
    CREATE TRIGGER attachment_blobs_freed AFTER DELETE ON message_attachments
    WHEN NOT EXISTS (SELECT 1 FROM message_attachments WHERE blob_id = old.blob_id)
     AND NOT EXISTS (SELECT 1 FROM draft_attachments WHERE blob_id = old.blob_id) BEGIN
        DELETE FROM attachment_blobs WHERE id = old.blob_id;
    END
    """,
    """
    CREATE TRIGGER draft_attachment_blobs_freed AFTER DELETE ON draft_attachments
    WHEN NOT EXISTS (SELECT 1 FROM message_attachments WHERE blob_id = old.blob_id)
     AND NOT EXISTS (SELECT 1 FROM draft_attachments WHERE blob_id = old.blob_id) BEGIN
        DELETE FROM attachment_blobs WHERE id = old.blob_id;
    END
    """,
)

#: MIGRATIONS[n] upgrades a version-n file to n + 1 (version 0 is an empty file).
MIGRATIONS: Final[tuple[Sequence[str], ...]] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7)
CURRENT_VERSION: Final = len(MIGRATIONS)


def user_version(conn: sqlite3.Connection) -> int:
    """The layout version written in the file's header."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection, target: int = CURRENT_VERSION) -> list[int]:
    """Bring ``conn`` up to ``target``, one transaction per step.

    Returns the versions reached, in order. ``conn`` must be in autocommit mode
    (``isolation_level=None``) so the transactions here are the only ones.
    Foreign keys are off while a step runs (dropping a rebuilt table must not
    cascade into its rows); a step that would leave a reference dangling that
    was not dangling before is rolled back.
    """
    reached: list[int] = []
    version = user_version(conn)
    if version >= target:
        return reached
    enforced = bool(conn.execute("PRAGMA foreign_keys").fetchone()[0])
    conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
    try:
        while version < target:
            conn.execute("BEGIN IMMEDIATE")
            try:
                dangling = _dangling_references(conn)
                for statement in MIGRATIONS[version]:
                    conn.execute(statement)
                if _dangling_references(conn) > dangling:
                    raise sqlite3.IntegrityError(
                        f"migrating to version {version + 1} would break references"
                    )
                conn.execute(f"PRAGMA user_version = {version + 1}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            version += 1
            reached.append(version)
    finally:
        if enforced:
            conn.execute("PRAGMA foreign_keys = ON")
    return reached


def _dangling_references(conn: sqlite3.Connection) -> int:
    """How many rows point at a row that does not exist (old files may have a few)."""
    return len(conn.execute("PRAGMA foreign_key_check").fetchall())
