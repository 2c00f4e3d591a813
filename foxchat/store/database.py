"""Opening the database file safely, and turning SQLite's errors into words.

Opening does, in order: create the folder; read the layout version (a newer
file is refused before anything is written to it); check the file's integrity
(a damaged file is moved aside, never overwritten); switch on WAL, foreign keys
and a busy timeout; copy the file with SQLite's backup API before migrating it;
migrate; and mark replies left ``streaming`` by a crash as ``interrupted``.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from foxchat.store import schema
from foxchat.store.errors import (
    StoreCorruptError,
    StoreDiskFullError,
    StoreError,
    StoreLockedError,
    StoreNewerVersionError,
    StoreReadOnlyError,
)

DEFAULT_BUSY_TIMEOUT_MS: Final = 5000

# Primary SQLite result codes (the low byte of an extended code).
_SQLITE_PERM: Final = 3
_SQLITE_BUSY: Final = 5
_SQLITE_LOCKED: Final = 6
_SQLITE_READONLY: Final = 8
_SQLITE_IOERR: Final = 10
_SQLITE_CORRUPT: Final = 11
_SQLITE_FULL: Final = 13
_SQLITE_CANTOPEN: Final = 14
_SQLITE_NOTADB: Final = 26


def translate_error(exc: sqlite3.Error, path: Path) -> StoreError:
    """The user-facing error for a SQLite failure on the database at ``path``."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return StoreLockedError(
            f"Your conversations ({path}) are in use by another program, "
            "most likely another FoxChat window."
        )
    if primary == _SQLITE_FULL:
        return StoreDiskFullError("There is no space left to save your conversations.")
    if primary in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN):
        return StoreReadOnlyError(f"FoxChat may not write to {path}.")
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return StoreCorruptError(f"The conversation database {path} is damaged.")
    if primary == _SQLITE_IOERR:
        return StoreError(
            f"FoxChat could not read or write the conversation database {path}.",
            "Check that the disk is connected and has free space, then try again.",
        )
    return StoreError(f"The conversation database reported a problem: {exc}.")


@contextlib.contextmanager
def translated_errors(path: Path) -> Iterator[None]:
    """Re-raise any SQLite error inside the block as a ``StoreError``."""
    try:
        yield
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc


class Database:
    """One open connection plus the path it came from; all writes go through ``write``."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: all of it is committed, or none of it."""
        with translated_errors(self.path):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                # A failed COMMIT or statement may already have rolled back.
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """Reads, with SQLite errors translated for people."""
        with translated_errors(self.path):
            yield self.conn

    def close(self) -> None:
        """Close the connection; WAL content is checkpointed by SQLite on close."""
        with translated_errors(self.path):
            self.conn.close()


def open_database(path: Path, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Database:
    """Open (creating or upgrading) the database at ``path``; see the module docstring."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreReadOnlyError(
            f"FoxChat could not create the folder {path.parent} for your conversations "
            f"({exc.strerror or exc})."
        ) from exc
    wal = path.with_name(path.name + "-wal")
    existed = path.exists() and (path.stat().st_size > 0 or wal.exists())
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc
    try:
        _prepare(conn, path, existed=existed, busy_timeout_ms=busy_timeout_ms)
    except sqlite3.Error as exc:
        conn.close()
        error = translate_error(exc, path)
        if isinstance(error, StoreCorruptError):
            raise _set_aside(path) from exc
        raise error from exc
    except BaseException:
        conn.close()
        raise
    return Database(conn, path)


def _prepare(conn: sqlite3.Connection, path: Path, *, existed: bool, busy_timeout_ms: int) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    version = schema.user_version(conn)
    if version > schema.CURRENT_VERSION:
        raise StoreNewerVersionError(
            f"Your conversations ({path}) were saved by a newer FoxChat "
            f"(database version {version}; this FoxChat reads up to "
            f"{schema.CURRENT_VERSION}). The file was not changed."
        )
    if existed:
        verdict = conn.execute("PRAGMA quick_check").fetchone()
        if verdict is None or verdict[0] != "ok":
            conn.close()
            raise _set_aside(path)
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
    if mode is None or str(mode[0]).lower() != "wal":
        raise StoreReadOnlyError(f"FoxChat may not write to {path}.")
    conn.execute("PRAGMA foreign_keys = ON")
    # FULL: a reply chunk that was committed survives a power cut, not just a crash.
    conn.execute("PRAGMA synchronous = FULL")
    if existed and 0 < version < schema.CURRENT_VERSION:
        backup_before_migration(conn, path, version)
    schema.migrate(conn)
    conn.execute("UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'")


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def _unused(candidate: Path) -> Path:
    """``candidate``, or it with a counter, so that nothing is ever overwritten."""
    if not candidate.exists():
        return candidate
    counter = 2
    while True:
        numbered = candidate.with_name(f"{candidate.name}-{counter}")
        if not numbered.exists():
            return numbered
        counter += 1


def backup_before_migration(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the whole database (WAL included) next to it before changing its layout."""
    target = _unused(path.with_name(f"{path.name}.v{version}-backup-{_stamp()}"))
    copy = sqlite3.connect(target)
    try:
        conn.backup(copy)
    finally:
        copy.close()
    return target


def _set_aside(path: Path) -> StoreCorruptError:
    """Move a damaged file (and its WAL) aside and say where it went."""
    target = _unused(path.with_name(f"{path.name}.damaged-{_stamp()}"))
    try:
        path.rename(target)
    except OSError:
        return StoreCorruptError(
            f"The conversation database {path} is damaged and could not be moved aside.",
            "Move or rename that file yourself (keep it: it may still be recoverable), "
            "then restart FoxChat.",
        )
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            with contextlib.suppress(OSError):
                companion.rename(target.with_name(target.name + suffix))
    return StoreCorruptError(
        f"The conversation database was damaged. It was kept, untouched, at {target}.",
        "Restart FoxChat to start a fresh conversation list; the damaged file may "
        "still be recoverable with SQLite tools.",
        moved_to=target,
    )
