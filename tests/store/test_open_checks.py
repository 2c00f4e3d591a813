"""Opening is fast after a clean close, and damage is still found.

The full ``quick_check`` is skipped only when the last run closed the file
cleanly and nothing touched it since. Each test damages one page of messages
while keeping the file's size and modification time, as a failing disk would:
when the full check runs, the open itself refuses the file; when it is skipped,
the damage surfaces as ``StoreCorruptError`` as soon as the page is read.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from foxchat.store import Store, StoreCorruptError, health

REPO = Path(__file__).resolve().parents[2]

HOLD_OPEN = """
import sys
from pathlib import Path
from foxchat.store import Store
store = Store.open(Path(sys.argv[1]))
store.list_conversations()
print("open", flush=True)
sys.stdin.read()
"""


def _store_with_a_long_chat(path: Path) -> tuple[int, int]:
    """A cleanly closed store; returns the conversation id and one messages page."""
    with Store.open(path) as store:
        cid = store.create_conversation(title="long")
        parent: int | None = None
        for n in range(300):
            parent = store.add_message(cid, parent_id=parent, role="user", content=f"m{n} " * 80)
        pages = [
            row[0]
            for row in store._db.conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'messages' AND pagetype = 'leaf' "
                "ORDER BY pageno"
            )
        ]
    return cid, pages[len(pages) // 2]


def _damage_page_quietly(path: Path, page: int) -> None:
    """Scribble over a page's cell pointers; keep size and modification time."""
    before = path.stat()
    page_size = 4096
    with path.open("r+b") as handle:
        handle.seek((page - 1) * page_size + 8)  # just past a leaf page's header
        handle.write(b"\xff" * 256)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


def test_a_clean_close_leaves_a_marker_and_the_next_open_skips_the_full_check(
    db_path: Path,
) -> None:
    _store_with_a_long_chat(db_path)
    assert health.marker_path(db_path).exists()
    plan = health.plan_check(db_path)
    assert not plan.full_check, plan.reason
    with Store.open(db_path) as store:
        # Open means this run may change the file: the marker is gone until close.
        assert not health.marker_path(db_path).exists()
        store.list_conversations()
    assert health.marker_path(db_path).exists()


def test_damage_after_a_clean_close_is_caught_when_the_page_is_read(db_path: Path) -> None:
    cid, page = _store_with_a_long_chat(db_path)
    _damage_page_quietly(db_path, page)
    store = Store.open(db_path)  # the cheap check cannot see a damaged data page
    try:
        assert [c.title for c in store.list_conversations()] == ["long"]
        with pytest.raises(StoreCorruptError) as caught:
            store.active_path(cid)
        assert "damaged" in caught.value.message
        assert "Restart FoxChat" in caught.value.action
    finally:
        store.close()
    # Damage was seen, so no clean close is recorded: the next start checks
    # fully and keeps the damaged file aside.
    assert not health.marker_path(db_path).exists()
    with pytest.raises(StoreCorruptError) as at_restart:
        Store.open(db_path)
    moved = at_restart.value.moved_to
    assert moved is not None and moved.exists()
    assert not db_path.exists()


def test_an_unclean_shutdown_makes_the_next_open_check_fully(db_path: Path) -> None:
    _, page = _store_with_a_long_chat(db_path)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "open"
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert not health.marker_path(db_path).exists()
    assert health.plan_check(db_path).full_check
    _damage_page_quietly(db_path, page)
    with pytest.raises(StoreCorruptError) as caught:
        Store.open(db_path)
    assert caught.value.moved_to is not None


def test_a_leftover_write_ahead_log_overrules_a_marker(db_path: Path) -> None:
    """A marker that survived a crash (say its removal never reached the disk)."""
    _, page = _store_with_a_long_chat(db_path)
    kept_marker = health.marker_path(db_path).read_bytes()
    store = Store.open(db_path)  # still open: the -wal file exists, as after a crash
    health.marker_path(db_path).write_bytes(kept_marker)
    assert health.plan_check(db_path).full_check
    store.close()
    # Closing while another connection had it open would also leave no marker.
    _damage_page_quietly(db_path, page)
    health.marker_path(db_path).write_bytes(kept_marker)
    health.wal_path(db_path).write_bytes(b"")
    with pytest.raises(StoreCorruptError):
        Store.open(db_path)


def test_a_week_without_a_full_check_brings_one(db_path: Path) -> None:
    _, page = _store_with_a_long_chat(db_path)
    marker = health.marker_path(db_path)
    record = json.loads(marker.read_text())
    record["last_full_check"] = time.time() - health.FULL_CHECK_INTERVAL_S - 60
    marker.write_text(json.dumps(record))
    _damage_page_quietly(db_path, page)
    with pytest.raises(StoreCorruptError):
        Store.open(db_path)


def test_the_full_check_time_is_kept_across_cheap_opens(db_path: Path) -> None:
    _store_with_a_long_chat(db_path)
    first = json.loads(health.marker_path(db_path).read_text())["last_full_check"]
    Store.open(db_path).close()
    again = json.loads(health.marker_path(db_path).read_text())["last_full_check"]
    assert again == first


def test_a_file_put_back_from_elsewhere_is_checked_fully(db_path: Path, tmp_path: Path) -> None:
    _store_with_a_long_chat(db_path)
    copy = tmp_path / "restored.sqlite3"
    shutil.copy(db_path, copy)
    db_path.unlink()
    shutil.copy(copy, db_path)  # same bytes, a different file on disk
    plan = health.plan_check(db_path)
    assert plan.full_check and "changed" in plan.reason


def test_only_the_last_connection_to_close_records_a_clean_close(db_path: Path) -> None:
    _store_with_a_long_chat(db_path)
    first = Store.open(db_path)
    second = Store.open(db_path)
    second.close()
    assert not health.marker_path(db_path).exists()
    first.close()
    assert health.marker_path(db_path).exists()
    assert not health.plan_check(db_path).full_check


@pytest.mark.parametrize("content", ["", "not json", '{"format": 99}', '{"format": 1}'])
def test_an_unreadable_marker_means_a_full_check(db_path: Path, content: str) -> None:
    _store_with_a_long_chat(db_path)
    health.marker_path(db_path).write_text(content)
    assert health.plan_check(db_path).full_check


def test_a_truncated_file_is_checked_fully(db_path: Path) -> None:
    _store_with_a_long_chat(db_path)
    before = db_path.stat()
    with db_path.open("r+b") as handle:
        handle.truncate(before.st_size - 4096)
    plan = health.plan_check(db_path)
    assert plan.full_check
