"""FoxChat's folders and files are created private to the user, whatever the umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from foxchat import APP_NAME, paths
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


@pytest.mark.parametrize(
    "environment",
    [
        {},
        {"XDG_DATA_HOME": "/srv/d", "XDG_CONFIG_HOME": "/srv/c", "XDG_STATE_HOME": "/srv/s"},
        {"XDG_DATA_HOME": "relative/share", "XDG_CONFIG_HOME": "", "XDG_STATE_HOME": "  "},
    ],
)
def test_the_folders_are_where_platformdirs_puts_them(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import platformdirs

    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    app = APP_NAME
    assert paths.data_dir() == Path(platformdirs.user_data_dir(app, appauthor=False))
    assert paths.config_dir() == Path(platformdirs.user_config_dir(app, appauthor=False))
    assert paths.log_dir() == Path(platformdirs.user_log_dir(app, appauthor=False))


def test_finding_the_folders_loads_no_platformdirs_on_linux(tmp_path: Path) -> None:
    """On Linux the XDG rules are read here; platformdirs' import cost the first paint."""
    script = (
        "import sys\n"
        "from foxchat import paths\n"
        "paths.data_dir(), paths.config_dir(), paths.log_dir()\n"
        "print(sorted(m for m in ('platformdirs', 'tempfile') if m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != paths.DATA_DIR_ENV}
    env["HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "[]"
