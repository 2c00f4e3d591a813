"""How hard to check the database file when it opens: fast after a clean close.

``PRAGMA quick_check`` reads every page: 366 ms on a 280 MB history, paid on
every start. It is only worth paying when something may have gone wrong, so
the store keeps a *clean-close marker*:

- ``close()`` writes the marker once SQLite has checkpointed and removed the
  write-ahead log, i.e. once this was the last connection and every byte is in
  the main file. It records the file's size, modification time and inode, and
  when the last full check passed.
- Opening removes the marker before anything is written, so a run that
  crashes, is killed or loses power leaves no marker behind.
- The full check runs when there is no marker, when a ``-wal`` file is left
  over (SQLite's own sign of a crash, or of another FoxChat using the file),
  when the file's size, time or inode differ from the marker (it was replaced,
  restored or written by something else), when the header does not look like
  a SQLite file of the recorded length, or when the last full check is more
  than ``FULL_CHECK_INTERVAL_S`` old. Otherwise a cheap check reads the header
  and the schema (``PRAGMA schema_version`` and ``sqlite_schema``).

Damage that slips past (a disk flipping bits under an unchanged mtime) is still
caught when the damaged pages are read: the connection runs with
``PRAGMA cell_size_check = ON`` (without it a damaged leaf page can read as a
missing row, cutting a conversation short in silence), SQLite answers
SQLITE_CORRUPT, the store raises ``StoreCorruptError``, and the connection is
marked so that ``close()`` writes no marker: the next start runs the full check
and sets the file aside.

Why a sidecar file (``<database>.clean-close``) rather than a row in the
database or ``PRAGMA application_id``: keeping the flag inside the file would
cost a write transaction on every open and close, would need a schema version
(older FoxChats would then refuse the file, and the upgrade would copy 280 MB
for its backup), and would store the "this file is fine" verdict inside the very
pages it vouches for. A separate file fails safe: if it is lost, unreadable, or
out of date, the only consequence is one full check.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

MARKER_SUFFIX: Final = ".clean-close"
MARKER_FORMAT: Final = 1
#: A full check at least weekly, even when every run closed cleanly.
FULL_CHECK_INTERVAL_S: Final = 7 * 24 * 3600

_SQLITE_MAGIC: Final = b"SQLite format 3\x00"
_HEADER_SIZE: Final = 100


@dataclass(frozen=True)
class Fingerprint:
    """What the file looked like on disk when it was closed cleanly."""

    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> Fingerprint:
        """The fingerprint of ``path`` now (raises OSError if it cannot be read)."""
        stat = path.stat()
        return cls(size=stat.st_size, mtime_ns=stat.st_mtime_ns, inode=stat.st_ino)


@dataclass(frozen=True)
class CheckPlan:
    """Whether opening needs the full check, why, and when one last passed."""

    full_check: bool
    reason: str
    last_full_check: float | None = None


def marker_path(db_path: Path) -> Path:
    """Where the clean-close marker of the database at ``db_path`` lives."""
    return db_path.with_name(db_path.name + MARKER_SUFFIX)


def wal_path(db_path: Path) -> Path:
    """SQLite's write-ahead log for ``db_path``; present while a connection is open."""
    return db_path.with_name(db_path.name + "-wal")


def plan_check(db_path: Path, *, now: float | None = None) -> CheckPlan:
    """Decide, before connecting, how to check an existing database file."""
    now = time.time() if now is None else now
    if wal_path(db_path).exists():
        return CheckPlan(True, "the last run did not close the file, or another one has it open")
    marker = _read_marker(marker_path(db_path))
    if marker is None:
        return CheckPlan(True, "no clean-close marker")
    recorded, last_full_check = marker
    try:
        current = Fingerprint.of(db_path)
    except OSError:
        return CheckPlan(True, "the file cannot be examined")
    if current != recorded:
        return CheckPlan(True, "the file changed since it was closed")
    if not _header_matches(db_path, current.size):
        return CheckPlan(True, "the file header does not match its length")
    if not 0 <= now - last_full_check <= FULL_CHECK_INTERVAL_S:
        return CheckPlan(True, "the last full check is too old", last_full_check)
    return CheckPlan(False, "closed cleanly", last_full_check)


def schema_reads(conn: sqlite3.Connection) -> bool:
    """The cheap check: the header's schema cookie and the whole schema parse."""
    try:
        conn.execute("PRAGMA schema_version").fetchone()
        conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall()
    except sqlite3.DatabaseError:
        return False
    return True


def quick_check_passes(conn: sqlite3.Connection) -> bool:
    """The full check: every page read and its b-tree structure verified."""
    verdict = conn.execute("PRAGMA quick_check").fetchone()
    return verdict is not None and verdict[0] == "ok"


def clear_marker(db_path: Path) -> None:
    """Forget the clean close: from now on this run may change the file."""
    with contextlib.suppress(FileNotFoundError):
        marker_path(db_path).unlink()


def write_marker(db_path: Path, last_full_check: float) -> bool:
    """Record a clean close, if the file is complete on its own; returns whether it did.

    Call after the connection is closed. A ``-wal`` file still present means
    another connection has the file open (or the checkpoint did not finish), so
    the file is not known to be settled and no marker is written.
    """
    if wal_path(db_path).exists():
        return False
    try:
        fingerprint = Fingerprint.of(db_path)
        if not _header_matches(db_path, fingerprint.size):
            return False
        record = {
            "format": MARKER_FORMAT,
            "size": fingerprint.size,
            "mtime_ns": fingerprint.mtime_ns,
            "inode": fingerprint.inode,
            "last_full_check": last_full_check,
        }
        target = marker_path(db_path)
        partial = target.with_name(target.name + ".partial")
        partial.write_text(json.dumps(record), encoding="utf-8")
        # A torn or lost marker only costs one full check, so no fsync here.
        os.replace(partial, target)
    except OSError:
        return False
    return True


def _read_marker(path: Path) -> tuple[Fingerprint, float] | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if record["format"] != MARKER_FORMAT:
            return None
        fingerprint = Fingerprint(
            size=int(record["size"]),
            mtime_ns=int(record["mtime_ns"]),
            inode=int(record["inode"]),
        )
        return fingerprint, float(record["last_full_check"])
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _header_matches(db_path: Path, size: int) -> bool:
    """A SQLite header whose page size and page count account for every byte."""
    try:
        with db_path.open("rb") as handle:
            header = handle.read(_HEADER_SIZE)
    except OSError:
        return False
    if len(header) < _HEADER_SIZE or not header.startswith(_SQLITE_MAGIC):
        return False
    raw_page_size: int = struct.unpack_from(">H", header, 16)[0]
    page_size = 65536 if raw_page_size == 1 else raw_page_size
    if page_size < 512 or page_size & (page_size - 1):
        return False
    change_counter, page_count = struct.unpack_from(">II", header, 24)
    valid_for: int = struct.unpack_from(">I", header, 92)[0]
    # The page count in the header is only trustworthy when written by a
    # SQLite that also bumped the change counter (see the file format docs).
    if valid_for != change_counter:
        return size % page_size == 0
    return bool(size == page_count * page_size)
