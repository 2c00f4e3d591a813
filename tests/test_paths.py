"""FoxChat's folders and files are created private to the user, whatever the umask."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from foxchat import paths
from foxchat.store import MessageStatus, Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_companions_are_private(loose_umask: None) -> None:
    path = paths.database_path()
    with Store.open(path) as store:
        cid = store.create_conversation(title="secret")
        user = store.add_message(cid, parent_id=None, role="user", content="private words")
        store.add_message(cid, parent_id=user, role="assistant", status=MessageStatus.STREAMING)
        companions = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
        assert all(p.exists() for p in companions)
        assert _mode(path.parent) == 0o700
        assert [_mode(p) for p in (path, *companions)] == [0o600, 0o600, 0o600]


def test_an_older_database_is_tightened_when_opened(loose_umask: None) -> None:
    path = paths.database_path()
    with Store.open(path):
        pass
    path.parent.chmod(0o755)
    path.chmod(0o644)
    with Store.open(path) as store:
        store.create_conversation(title="x")
        assert _mode(path.parent) == 0o700
        assert _mode(path) == 0o600
        assert _mode(path.with_name(path.name + "-wal")) == 0o600


def test_private_dir_creates_and_tightens(tmp_path: Path, loose_umask: None) -> None:
    folder = paths.private_dir(tmp_path / "a" / "b")
    assert _mode(folder) == 0o700
    folder.chmod(0o775)
    paths.private_dir(folder)
    assert _mode(folder) == 0o700
