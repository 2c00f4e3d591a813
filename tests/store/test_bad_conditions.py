"""Each bad condition gives a clear message and destroys nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from foxchat.store import (
    MessageStatus,
    Store,
    StoreCorruptError,
    StoreDiskFullError,
    StoreLockedError,
    StoreNewerVersionError,
    StoreReadOnlyError,
    schema,
)
from tests import full_disk

REPO = Path(__file__).resolve().parents[2]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_store_with_a_chat(path: Path) -> int:
    with Store.open(path) as store:
        cid = store.create_conversation(title="precious")
        store.add_message(cid, parent_id=None, role="user", content="do not lose me")
    return cid


# ---- locked -----------------------------------------------------------------------

HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def locked_by_another_process(db_path: Path) -> Iterator[Path]:
    _make_store_with_a_chat(db_path)
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "locked"
        yield db_path
        holder.stdin.close()
        holder.wait()


def test_locked_database_is_a_clear_error_and_opens_once_released(
    locked_by_another_process: Path,
) -> None:
    with pytest.raises(StoreLockedError) as caught:
        Store.open(locked_by_another_process, busy_timeout_ms=200)
    assert "another" in caught.value.user_message
    assert "Close" in caught.value.action


def test_write_while_another_process_holds_the_lock(db_path: Path) -> None:
    cid = _make_store_with_a_chat(db_path)
    with Store.open(db_path, busy_timeout_ms=200) as store:
        with subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(db_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        ) as holder:
            assert holder.stdout is not None and holder.stdin is not None
            assert holder.stdout.readline().strip() == "locked"
            with pytest.raises(StoreLockedError):
                store.add_message(cid, parent_id=None, role="user", content="later")
            holder.stdin.close()
            holder.wait()
        store.add_message(cid, parent_id=None, role="user", content="later")
        assert store.message_count(cid) == 2


# ---- newer version ------------------------------------------------------------------


def test_file_from_a_newer_foxchat_is_refused_and_left_untouched(db_path: Path) -> None:
    _make_store_with_a_chat(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {schema.CURRENT_VERSION + 1}")
    conn.close()
    before = _digest(db_path)
    files_before = sorted(p.name for p in db_path.parent.iterdir())
    with pytest.raises(StoreNewerVersionError) as caught:
        Store.open(db_path)
    assert "newer FoxChat" in caught.value.message
    assert "Update FoxChat" in caught.value.action
    assert _digest(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == files_before


# ---- corrupt ------------------------------------------------------------------------


def test_garbage_file_is_moved_aside_and_a_fresh_store_starts(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not a database, but it is the user's file" * 100)
    original = _digest(db_path)
    with pytest.raises(StoreCorruptError) as caught:
        Store.open(db_path)
    moved = caught.value.moved_to
    assert moved is not None and moved.exists()
    assert _digest(moved) == original
    assert str(moved) in caught.value.user_message
    assert not db_path.exists()
    with Store.open(db_path) as fresh:
        assert fresh.list_conversations() == []
    assert _digest(moved) == original


def test_file_failing_the_integrity_check_is_kept_aside(db_path: Path) -> None:
    with Store.open(db_path) as store:
        cid = store.create_conversation(title="big")
        for n in range(300):
            store.add_message(cid, parent_id=None, role="user", content=f"message {n} " * 40)
    conn = sqlite3.connect(db_path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    page_count = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    with db_path.open("r+b") as handle:  # scribble over a page in the middle
        handle.seek(page_size * (page_count // 2) + 8)
        handle.write(os.urandom(page_size - 16))
    damaged = _digest(db_path)
    with pytest.raises(StoreCorruptError) as caught:
        Store.open(db_path)
    assert caught.value.moved_to is not None
    assert _digest(caught.value.moved_to) == damaged
    assert "damaged" in caught.value.message


def test_a_second_damaged_file_does_not_overwrite_the_first(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    moved: list[Path] = []
    for content in (b"first damaged file" * 200, b"second damaged file" * 200):
        db_path.write_bytes(content)
        with pytest.raises(StoreCorruptError) as caught:
            Store.open(db_path)
        assert caught.value.moved_to is not None
        moved.append(caught.value.moved_to)
    assert moved[0] != moved[1]
    assert moved[0].read_bytes().startswith(b"first")
    assert moved[1].read_bytes().startswith(b"second")


# ---- full disk ----------------------------------------------------------------------


def test_full_disk_is_a_clear_error_and_keeps_what_was_saved(db_path: Path) -> None:
    cid = _make_store_with_a_chat(db_path)
    with Store.open(db_path) as store:
        # SQLite's own size cap gives the very SQLITE_FULL error a full disk gives.
        conn = store._db.conn
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 1}")
        with pytest.raises(StoreDiskFullError) as caught:
            store.add_message(cid, parent_id=None, role="user", content="x" * 200_000)
        assert "space" in caught.value.message
        assert "Free some disk space" in caught.value.action
        assert [m.content for m in store.active_path(cid)] == ["do not lose me"]
        assert store.message_count(cid) == 1
        conn.execute("PRAGMA max_page_count = 1073741823")
        store.add_message(cid, parent_id=None, role="user", content="room again")
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()


OPEN_ON_A_FULL_DISK = """
import sys
from pathlib import Path
from foxchat.store import Store, StoreError
path, fallback = Path(sys.argv[1]), sys.argv[2] == "fallback"
try:
    store = Store.open(path, read_only_fallback=fallback)
except StoreError as exc:
    print("refused", type(exc).__name__, exc.message)
    raise SystemExit
reason = store.read_only_reason
print("opened", type(reason).__name__, reason.message if reason else "")
print("titles", [c.title for c in store.list_conversations()])
print("exported", len(store.export_json()["conversations"]))
try:
    store.create_conversation(title="new")
    print("wrote")
except StoreError as exc:
    print("write refused", type(exc).__name__)
store.close()
"""


def _room_for_a_few_bytes(path: Path) -> int:
    """A file-size limit just past the end of the write-ahead log: its next frame cannot fit."""
    return (path.with_name(path.name + "-wal").stat().st_size) + 100


def _streaming_store(path: Path) -> Store:
    """A store left open with a reply streaming, as a running window has it."""
    store = Store.open(path)
    cid = store.create_conversation(title="precious")
    user = store.add_message(cid, parent_id=None, role="user", content="do not lose me")
    store.add_message(cid, parent_id=user, role="assistant", status=MessageStatus.STREAMING)
    return store


def test_full_disk_at_open_is_the_plain_words_error(db_path: Path) -> None:
    # Opening writes (the streaming reply becomes interrupted): the disk is full.
    with _streaming_store(db_path):
        done = full_disk.run_python(
            OPEN_ON_A_FULL_DISK, str(db_path), "strict", limit=_room_for_a_few_bytes(db_path)
        )
    assert done.stdout.startswith("refused StoreDiskFullError There is no space left"), (
        done.stdout + done.stderr
    )


def test_full_disk_opens_read_only_so_chats_can_be_read_and_exported(db_path: Path) -> None:
    with _streaming_store(db_path) as window:
        before = window.message_count(window.list_conversations()[0].id)
        done = full_disk.run_python(
            OPEN_ON_A_FULL_DISK, str(db_path), "fallback", limit=_room_for_a_few_bytes(db_path)
        )
        lines = done.stdout.splitlines()
        assert lines[:1] == [
            "opened StoreDiskFullError There is no space left to save your conversations. "
            "FoxChat opened your conversations read-only: you can read and export them, "
            "but nothing new is saved."
        ], done.stdout + done.stderr
        assert lines[1:] == [
            "titles ['precious']",
            "exported 1",
            "write refused StoreDiskFullError",
        ]
        # The running window's reply is still streaming: the read-only open wrote nothing.
        path = window.active_path(window.list_conversations()[0].id)
        assert path[-1].status is MessageStatus.STREAMING
        assert window.message_count(path[0].conversation_id) == before


def test_full_disk_without_room_for_the_index_still_opens_read_only(db_path: Path) -> None:
    # Closed cleanly: no -wal or -shm, and not one byte may be written to make them.
    _make_store_with_a_chat(db_path)
    before = _digest(db_path)
    done = full_disk.run_python(OPEN_ON_A_FULL_DISK, str(db_path), "fallback", limit=0)
    lines = done.stdout.splitlines()
    assert lines[:1] and lines[0].startswith("opened Store"), done.stdout + done.stderr
    assert "read-only" in lines[0]
    assert lines[1:] == [
        "titles ['precious']",
        "exported 1",
        f"write refused {lines[0].split()[1]}",
    ]
    assert _digest(db_path) == before


# ---- folders ------------------------------------------------------------------------


def test_missing_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "c" / "foxchat.sqlite3"
    with Store.open(path) as store:
        store.create_conversation()
    assert path.exists()


def test_folder_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(StoreReadOnlyError) as caught:
        Store.open(blocker / "foxchat.sqlite3")
    assert str(blocker) in caught.value.message
    assert "FOXCHAT_DATA_DIR" in caught.value.action
    assert blocker.read_text() == "a file where the folder should be"


OPEN_AND_REPORT = """
import sys
from pathlib import Path
from foxchat.store import Store, StoreError
try:
    Store.open(Path(sys.argv[1])).close()
    print("opened")
except StoreError as exc:
    print(type(exc).__name__, exc.user_message)
"""


def _open_without_write_permission(path: Path, code: str = OPEN_AND_REPORT) -> str:
    """Open in a child that cannot bypass file permissions (root drops that power)."""
    command = [sys.executable, "-c", code, str(path), "fallback"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        command = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", *command]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


@pytest.fixture
def open_dir() -> Iterator[Path]:
    # Outside pytest's tmp dir: that one is private to the user, which would
    # hide the read-only folder behind an unreadable parent.
    folder = Path(tempfile.mkdtemp(prefix="foxchat-ro-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


def test_read_only_folder_is_a_clear_error(open_dir: Path) -> None:
    folder = open_dir / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    report = _open_without_write_permission(folder / "foxchat.sqlite3")
    assert report.startswith("StoreReadOnlyError"), report
    assert str(folder) in report


def test_read_only_existing_database_is_a_clear_error_and_unchanged(open_dir: Path) -> None:
    folder = open_dir / "readonly"
    path = folder / "foxchat.sqlite3"
    _make_store_with_a_chat(path)
    before = _digest(path)
    path.chmod(0o444)
    folder.chmod(0o555)
    report = _open_without_write_permission(path)
    assert report.startswith("StoreReadOnlyError"), report
    assert _digest(path) == before


def test_read_only_folder_with_fallback_shows_the_chats_and_changes_nothing(
    open_dir: Path,
) -> None:
    folder = open_dir / "readonly"
    path = folder / "foxchat.sqlite3"
    _make_store_with_a_chat(path)
    before = _digest(path)
    files = sorted(p.name for p in folder.iterdir())
    path.chmod(0o444)
    folder.chmod(0o555)
    lines = _open_without_write_permission(path, OPEN_ON_A_FULL_DISK).splitlines()
    assert lines[0].startswith(f"opened StoreReadOnlyError FoxChat may not write to {path}.")
    assert "read-only" in lines[0]
    assert lines[1:] == ["titles ['precious']", "exported 1", "write refused StoreReadOnlyError"]
    assert _digest(path) == before
    assert sorted(p.name for p in folder.iterdir()) == files


STREAM_UNTIL_FULL = """
import resource, sys
from pathlib import Path
from foxchat.store import MessageStatus, Store, StoreError
path = Path(sys.argv[1])
store = Store.open(path)
cid = store.create_conversation(title="long reply")
user = store.add_message(cid, parent_id=None, role="user", content="a question")
reply = store.add_message(cid, parent_id=user, role="assistant", status=MessageStatus.STREAMING)
store.update_streaming_text(reply, "the part that was saved")
room = path.with_name(path.name + "-wal").stat().st_size + 100
resource.setrlimit(resource.RLIMIT_FSIZE, (room, resource.RLIM_INFINITY))
for attempt in ("update", "finish"):
    try:
        if attempt == "update":
            store.update_streaming_text(reply, "the part that was saved" + " and more" * 5000)
        else:
            store.finish_message(reply, status=MessageStatus.COMPLETE, content="all" * 5000)
        print(attempt, "saved")
    except StoreError as exc:
        print(attempt, type(exc).__name__, exc.message)
print("reply", reply)
"""


def test_a_streaming_reply_on_a_full_disk_raises_the_disk_full_error(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    done = full_disk.run_python(STREAM_UNTIL_FULL, str(db_path), limit=1 << 40)
    lines = done.stdout.splitlines()
    full = "StoreDiskFullError There is no space left to save your conversations."
    assert lines[:2] == [f"update {full}", f"finish {full}"], done.stdout + done.stderr
    reply = int(lines[2].split()[1])
    with Store.open(db_path) as store:
        saved = store.get_message(reply)
        assert saved.content == "the part that was saved"
        assert saved.status is MessageStatus.INTERRUPTED
