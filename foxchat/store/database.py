"""Opening the database file safely, and turning SQLite's errors into words.

Opening does, in order: create the folder; decide how hard to check the file
(``health``: the full ``quick_check`` only after an unclean close, a change
behind FoxChat's back, or a week without one; otherwise a cheap header and
schema check); read the layout version (a newer file is refused before anything
is written to it); check the file (a damaged file is moved aside, never
overwritten); switch on WAL, foreign keys and a busy timeout; forget the last
clean close; copy the file with SQLite's backup API before migrating it;
migrate; and mark replies left ``streaming`` by a crash as ``interrupted``.
Closing records a clean close when this was the last connection.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from foxchat.store import health, schema
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

    def __init__(self, conn: sqlite3.Connection, path: Path, *, last_full_check: float) -> None:
        self.conn = conn
        self.path = path
        #: When ``PRAGMA quick_check`` last passed on this file (seconds since the epoch).
        self.last_full_check = last_full_check
        #: Set when SQLite reported damage; then ``close`` records no clean close.
        #: Reads may raise ``StoreCorruptError`` at any time for damage the open missed.
        self.damage_seen = False
        self._closed = False

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            error = translate_error(exc, self.path)
            if isinstance(error, StoreCorruptError):
                # The next start must run the full check and set the file aside.
                self.damage_seen = True
            raise error from exc

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: all of it is committed, or none of it."""
        with self._translated():
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
        with self._translated():
            yield self.conn

    def close(self) -> None:
        """Close the connection (SQLite checkpoints the WAL) and record a clean close."""
        if self._closed:
            return
        with self._translated():
            self.conn.close()
        self._closed = True
        if not self.damage_seen:
            health.write_marker(self.path, self.last_full_check)


def open_database(path: Path, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Database:
    """Open (creating or upgrading) the database at ``path``; see the module docstring."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreReadOnlyError(
            f"FoxChat could not create the folder {path.parent} for your conversations "
            f"({exc.strerror or exc})."
        ) from exc
    existed = path.exists() and (path.stat().st_size > 0 or health.wal_path(path).exists())
    # Decided before connecting: connecting creates the very -wal file that
    # tells an unclean close apart from a clean one.
    plan = health.plan_check(path) if existed else health.CheckPlan(True, "new file")
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc
    try:
        last_full_check = _prepare(
            conn, path, existed=existed, plan=plan, busy_timeout_ms=busy_timeout_ms
        )
    except sqlite3.Error as exc:
        conn.close()
        error = translate_error(exc, path)
        if isinstance(error, StoreCorruptError):
            raise _set_aside(path) from exc
        raise error from exc
    except BaseException:
        conn.close()
        raise
    return Database(conn, path, last_full_check=last_full_check)


def _prepare(
    conn: sqlite3.Connection,
    path: Path,
    *,
    existed: bool,
    plan: health.CheckPlan,
    busy_timeout_ms: int,
) -> float:
    """Check, configure and migrate; returns when the full check last passed."""
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    version = schema.user_version(conn)
    if version > schema.CURRENT_VERSION:
        raise StoreNewerVersionError(
            f"Your conversations ({path}) were saved by a newer FoxChat "
            f"(database version {version}; this FoxChat reads up to "
            f"{schema.CURRENT_VERSION}). The file was not changed."
        )
    last_full_check = time.time() if plan.full_check else (plan.last_full_check or 0.0)
    if existed:
        sound = health.quick_check_passes(conn) if plan.full_check else health.schema_reads(conn)
        if not sound and not plan.full_check:
            # The cheap check only raises suspicion; the full one gives the verdict.
            sound = health.quick_check_passes(conn)
            last_full_check = time.time()
        if not sound:
            conn.close()
            raise _set_aside(path)
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
    if mode is None or str(mode[0]).lower() != "wal":
        raise StoreReadOnlyError(f"FoxChat may not write to {path}.")
    conn.execute("PRAGMA foreign_keys = ON")
    # The full check is skipped after a clean close, so check each page's cells
    # as it is loaded: without this, a damaged leaf page can read as "no such
    # row" (a conversation silently cut short) instead of SQLITE_CORRUPT.
    conn.execute("PRAGMA cell_size_check = ON")
    # FULL: a reply chunk that was committed survives a power cut, not just a crash.
    conn.execute("PRAGMA synchronous = FULL")
    try:
        health.clear_marker(path)
    except OSError as exc:
        raise StoreReadOnlyError(f"FoxChat may not write to {path.parent}.") from exc
    if existed and 0 < version < schema.CURRENT_VERSION:
        backup_before_migration(conn, path, version)
    schema.migrate(conn)
    conn.execute("UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'")
    return last_full_check


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
    with contextlib.suppress(OSError):
        health.clear_marker(path)
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
