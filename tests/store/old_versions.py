"""Builders of database files as earlier FoxChat versions left them.

Each builder runs the real migration steps up to that version, then writes
rows the way that version did, so a migration test starts from a file that
looks exactly like a user's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from foxchat.store import schema

T0 = 1_700_000_000.0


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def build_v1(path: Path) -> None:
    """Version 1 (no search index): one conversation with a regenerated reply."""
    _build(path, 1)


def build_v2(path: Path) -> None:
    """Version 2 (search index; ids could still be reused): the same chat."""
    _build(path, 2)


def build_v3(path: Path) -> None:
    """Version 3 (ids never reused; nothing recorded of how a reply was made)."""
    _build(path, 3)


def build_v4(path: Path) -> None:
    """Version 4 (each reply's details recorded; no token probabilities)."""
    _build(path, 4)


def build_v5(path: Path) -> None:
    """Version 5 (token probabilities kept; no attachments)."""
    _build(path, 5)


def build_v6(path: Path) -> None:
    """Version 6 (attachments of sent messages; none kept for a draft)."""
    _build(path, 6)


def _build(path: Path, version: int) -> None:
    conn = _connect(path)
    schema.migrate(conn, target=version)
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO conversations (id, title, created_at, updated_at, model, params_json)"
        " VALUES (1, 'Old chat about volcanoes', ?, ?, 'gpt-4o', '{\"version\": 1}')",
        (T0, T0 + 30),
    )
    rows = [
        (1, None, "user", "Why do volcanoes erupt?", "complete", T0),
        (2, 1, "assistant", "Magma pressure builds up.", "complete", T0 + 10),
        (3, 1, "assistant", "Gas-rich magma rises and pressure", "streaming", T0 + 20),
    ]
    conn.executemany(
        "INSERT INTO messages (id, conversation_id, parent_id, role, content, status, created_at)"
        " VALUES (?, 1, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("UPDATE messages SET active_child_id = 3 WHERE id = 1")
    conn.execute("UPDATE conversations SET active_root_id = 1 WHERE id = 1")
    conn.execute("COMMIT")
    conn.close()


#: Every earlier schema version and how to build a file of it.
BUILDERS: dict[int, Callable[[Path], None]] = {
    1: build_v1,
    2: build_v2,
    3: build_v3,
    4: build_v4,
    5: build_v5,
    6: build_v6,
}
