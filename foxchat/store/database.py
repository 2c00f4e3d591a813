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
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from foxchat import paths
from foxchat.errors import join_sentences
from foxchat.i18n import _
from foxchat.store import health, schema
from foxchat.store.errors import (
    StoreCorruptError,
    StoreDiskFullError,
    StoreError,
    StoreIOError,
    StoreLockedError,
    StoreNewerVersionError,
    StoreReadOnlyError,
)

DEFAULT_BUSY_TIMEOUT_MS: Final = 5000
#: Longest transaction of a long job (an import): another writer waits at most this.
BATCH_SECONDS: Final = 0.05
#: The lock is left free this long between two batches, so a waiting writer gets in.
GAP_SECONDS: Final = 0.005
# A writer kept waiting asks again at least this often (seconds).
_MAX_POLL_S: Final = 0.002

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


# Within this much of the free space or of the file-size limit, a disk error on
# write is taken to mean "no room left".
_NEARLY_FULL_BYTES: Final = 1 << 20


def _no_room(path: Path) -> bool:
    """Whether the disk, or the size a file of this process may reach, is (nearly) used up."""
    try:
        if shutil.disk_usage(path.parent).free < _NEARLY_FULL_BYTES:
            return True
        limit = _file_size_limit()
        if limit is None:
            return False
        files = (path, health.wal_path(path), path.with_name(path.name + "-shm"))
        largest = max((f.stat().st_size for f in files if f.exists()), default=0)
    except OSError:
        return False
    return largest + _NEARLY_FULL_BYTES > limit


def _file_size_limit() -> int | None:
    """The soft RLIMIT_FSIZE (``ulimit -f``) in bytes, or None when there is none."""
    try:
        import resource
    except ImportError:  # Windows has no such limit
        return None
    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return None if soft == resource.RLIM_INFINITY else int(soft)


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)


def translate_error(exc: sqlite3.Error, path: Path) -> StoreError:
    """The user-facing error for a SQLite failure on the database at ``path``."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return StoreLockedError(
            _(
                "Your conversations ({path}) are in use by another program,"
                " most likely another FoxChat window."
            ).format(path=path)
        )
    if primary == _SQLITE_FULL:
        return StoreDiskFullError(_("There is no space left to save your conversations."))
    if primary in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN):
        return StoreReadOnlyError(_("FoxChat may not write to {path}.").format(path=path))
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return StoreCorruptError(
            _("The conversation database {path} is damaged.").format(path=path)
        )
    if primary == _SQLITE_IOERR:
        if _no_room(path):
            # Running out of room can show as a failed write, resize or sync
            # (EFBIG past a file-size limit, ENOSPC from a resize) rather than SQLITE_FULL.
            return StoreDiskFullError(_("There is no space left to save your conversations."))
        return StoreIOError(
            _("FoxChat could not read or write the conversation database {path}.").format(
                path=path
            ),
            _("Check that the disk is connected and has free space, then try again."),
        )
    return StoreError(
        _("The conversation database reported a problem: {problem}.").format(problem=exc)
    )


@contextlib.contextmanager
def translated_errors(path: Path) -> Iterator[None]:
    """Re-raise any SQLite error inside the block as a ``StoreError``."""
    try:
        yield
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc


class WriteBatches:
    """The connection of a long job's write transaction, committed every ``batch_seconds``.

    Ask for ``conn()`` before each step: when the current transaction is older
    than a batch it is committed, the lock is left free for ``GAP_SECONDS``,
    and a new one begins (waiting politely, like any write). So another
    writer, such as the window saving a streaming reply, waits for one batch
    at most, never for the whole job.
    """

    def __init__(self, db: Database, batch_seconds: float) -> None:
        self._db = db
        self._batch_seconds = batch_seconds
        self._started = time.monotonic()
        #: How many transactions were committed before the last one.
        self.commits = 0

    def conn(self) -> sqlite3.Connection:
        """The connection, inside a write transaction no older than one batch."""
        if time.monotonic() - self._started >= self._batch_seconds:
            self._db.conn.execute("COMMIT")
            self.commits += 1
            time.sleep(GAP_SECONDS)
            self._db._begin()
            self._started = time.monotonic()
        return self._db.conn


class Database:
    """One open connection plus the path it came from; all writes go through ``write``."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        last_full_check: float,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        read_only_reason: StoreError | None = None,
    ) -> None:
        self.conn = conn
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        #: Why the file was opened read-only (None when it is writable); every write raises it.
        self.read_only_reason = read_only_reason
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
        """One IMMEDIATE transaction: all of it is committed, or none of it.

        When another program is writing, this waits for it (up to the busy
        timeout) rather than failing; see ``_begin``.
        """
        if self.read_only_reason is not None:
            raise self.read_only_reason
        with self._translated():
            self._begin()
            try:
                yield self.conn
            except BaseException:
                # A failed COMMIT or statement may already have rolled back.
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, asking again every millisecond or two while another writer has it.

        SQLite's own busy handler sleeps longer and longer between tries (up
        to 100 ms), so a writer that works in short transactions with short
        gaps, as an import does, could keep it waiting for its whole timeout.
        Asking often finds the first gap: the wait is one of the other
        writer's transactions, not the timeout.
        """
        deadline = time.monotonic() + self.busy_timeout_ms / 1000
        pause = 0.0005
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not _is_busy(exc) or time.monotonic() >= deadline:
                        raise
                time.sleep(pause)
                pause = min(pause * 2, _MAX_POLL_S)
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")

    @contextlib.contextmanager
    def batched_write(self, batch_seconds: float = BATCH_SECONDS) -> Iterator[WriteBatches]:
        """Long work as a series of short transactions (see ``WriteBatches``).

        What was committed stays committed when the block fails; the caller
        makes its half-done work invisible (the import hides what it adds).
        """
        if self.read_only_reason is not None:
            raise self.read_only_reason
        with self._translated():
            batches = WriteBatches(self, batch_seconds)
            self._begin()
            try:
                yield batches
            except BaseException:
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
        if not self.damage_seen and self.read_only_reason is None:
            health.write_marker(self.path, self.last_full_check)


def open_database(
    path: Path,
    *,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    read_only_fallback: bool = False,
    recover_streaming: bool = True,
) -> Database:
    """Open (creating or upgrading) the database at ``path``; see the module docstring.

    ``recover_streaming=False`` leaves replies marked ``streaming`` alone: a
    command-line export or import beside a running window must not mark the
    reply that window is streaming ``interrupted``. The next window start
    recovers what a crash left.

    With ``read_only_fallback``, a file that cannot be written (a full disk, a
    read-only folder, a disk error on write) is opened read-only instead of
    refused, so chats can still be read and exported; every write then raises
    a ``StoreError`` that says so, and ``read_only_reason`` holds it.
    """
    try:
        return _open_writable(
            path, busy_timeout_ms=busy_timeout_ms, recover_streaming=recover_streaming
        )
    except (StoreReadOnlyError, StoreDiskFullError, StoreIOError) as exc:
        if not read_only_fallback:
            raise
        return open_read_only(path, exc, busy_timeout_ms=busy_timeout_ms)


def open_read_only(path: Path, reason: StoreError, *, busy_timeout_ms: int) -> Database:
    """Open ``path`` for reading only, because of ``reason``; raises ``reason`` if even that fails.

    Nothing is written: no migration, no marker, and replies left streaming
    stay so until a writable start settles them.
    """
    try:
        usable = path.is_file() and path.stat().st_size > 0
        wal = health.wal_path(path)
        wal_empty = not wal.exists() or wal.stat().st_size == 0
    except OSError:
        usable, wal_empty = False, False
    if not usable:
        raise reason
    uri = path.resolve().as_uri()
    attempts = [f"{uri}?mode=ro"]
    if wal_empty:
        # A WAL file needs its -shm index, which a full disk or a read-only
        # folder cannot make; with no log to replay, the file alone is all of it.
        attempts.append(f"{uri}?mode=ro&immutable=1")
    failure: sqlite3.Error | None = None
    for target in attempts:
        try:
            conn = sqlite3.connect(
                target, uri=True, isolation_level=None, timeout=busy_timeout_ms / 1000
            )
        except sqlite3.Error as exc:
            failure = exc
            continue
        try:
            version = schema.user_version(conn)
            conn.execute("PRAGMA cell_size_check = ON")
            conn.execute("SELECT count(*) FROM conversations").fetchone()
        except sqlite3.Error as exc:
            conn.close()
            failure = exc
            continue
        if version != schema.CURRENT_VERSION:
            # An older layout would need a migration, which is a write.
            conn.close()
            raise reason
        return Database(
            conn,
            path,
            last_full_check=0.0,
            busy_timeout_ms=busy_timeout_ms,
            read_only_reason=_read_only_error(reason),
        )
    raise reason from failure


def _read_only_error(reason: StoreError) -> StoreError:
    """What every write says once the file was opened read-only because of ``reason``."""
    message = join_sentences(
        reason.message,
        _(
            "FoxChat opened your conversations read-only: you can read and"
            " export them, but nothing new is saved."
        ),
    )
    if isinstance(reason, StoreDiskFullError):
        return StoreDiskFullError(message, _("Free some disk space, then restart FoxChat."))
    if isinstance(reason, StoreIOError):
        return StoreIOError(message, reason.action)
    return StoreReadOnlyError(message, reason.action)


def _open_writable(path: Path, *, busy_timeout_ms: int, recover_streaming: bool) -> Database:
    try:
        paths.private_dir(path.parent)
    except OSError as exc:
        raise StoreReadOnlyError(
            _(
                "FoxChat could not create the folder {folder} for your conversations ({reason})."
            ).format(folder=path.parent, reason=exc.strerror or exc)
        ) from exc
    existed = path.exists() and (path.stat().st_size > 0 or health.wal_path(path).exists())
    # Decided before connecting: connecting creates the very -wal file that
    # tells an unclean close apart from a clean one.
    plan = health.plan_check(path) if existed else health.CheckPlan(True, "new file")
    _make_files_private(path)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc
    try:
        last_full_check = _prepare(
            conn,
            path,
            existed=existed,
            plan=plan,
            busy_timeout_ms=busy_timeout_ms,
            recover_streaming=recover_streaming,
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
    return Database(conn, path, last_full_check=last_full_check, busy_timeout_ms=busy_timeout_ms)


def _make_files_private(path: Path) -> None:
    """The database file 0600 (created so when new); SQLite gives -wal and -shm its mode."""
    try:
        paths.make_private_file(path)
    except OSError:
        return  # a read-only folder: the open reports it in plain words
    for companion in (health.wal_path(path), path.with_name(path.name + "-shm")):
        paths.make_private(companion)


def _prepare(
    conn: sqlite3.Connection,
    path: Path,
    *,
    existed: bool,
    plan: health.CheckPlan,
    busy_timeout_ms: int,
    recover_streaming: bool = True,
) -> float:
    """Check, configure and migrate; returns when the full check last passed."""
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    version = schema.user_version(conn)
    if version > schema.CURRENT_VERSION:
        raise StoreNewerVersionError(
            _(
                "Your conversations ({path}) were saved by a newer FoxChat"
                " (database version {version}; this FoxChat reads up to {newest})."
                " The file was not changed."
            ).format(path=path, version=version, newest=schema.CURRENT_VERSION)
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
        raise StoreReadOnlyError(_("FoxChat may not write to {path}.").format(path=path))
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
        raise StoreReadOnlyError(
            _("FoxChat may not write to {path}.").format(path=path.parent)
        ) from exc
    if existed and 0 < version < schema.CURRENT_VERSION:
        backup_before_migration(conn, path, version)
    schema.migrate(conn)
    if recover_streaming:
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
    paths.make_private_file(target)
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
            _("The conversation database {path} is damaged and could not be moved aside.").format(
                path=path
            ),
            _(
                "Move or rename that file yourself (keep it: it may still be recoverable),"
                " then restart FoxChat."
            ),
        )
    with contextlib.suppress(OSError):
        health.clear_marker(path)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            with contextlib.suppress(OSError):
                companion.rename(target.with_name(target.name + suffix))
    return StoreCorruptError(
        _("The conversation database was damaged. It was kept, untouched, at {path}.").format(
            path=target
        ),
        _(
            "Restart FoxChat to start a fresh conversation list; the damaged file may"
            " still be recoverable with SQLite tools."
        ),
        moved_to=target,
    )
