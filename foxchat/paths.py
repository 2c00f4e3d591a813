"""Where FoxChat keeps its files.

Everything the user owns lives under one data directory. ``FOXCHAT_DATA_DIR``
moves all of it (database, settings, logs) elsewhere, which tests and
portable installs rely on. The folders are created 0700 and their files 0600
(``private_dir``, ``make_private``); ``tighten_existing`` fixes older ones.

On Linux and the BSDs the folders follow the XDG base directory rules, worked
out here in a few lines: importing platformdirs cost the window's first paint
about 2 ms for three environment variables. Windows and macOS ask
platformdirs, loaded then.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Literal

from foxchat import APP_NAME

DATA_DIR_ENV = "FOXCHAT_DATA_DIR"

_Kind = Literal["data", "config", "log"]

#: The XDG variable and its default for each kind of folder, as platformdirs has them
#: (the logs go in a ``log`` folder inside the app's state folder).
_XDG: dict[_Kind, tuple[str, str, tuple[str, ...]]] = {
    "data": ("XDG_DATA_HOME", "~/.local/share", ()),
    "config": ("XDG_CONFIG_HOME", "~/.config", ()),
    "log": ("XDG_STATE_HOME", "~/.local/state", ("log",)),
}


def _uses_xdg() -> bool:
    return sys.platform not in ("win32", "darwin", "cygwin", "ios")


def _user_dir(kind: _Kind) -> Path:
    """The per-user folder of ``kind`` for FoxChat, where the platform keeps it."""
    if _uses_xdg():
        variable, default, tail = _XDG[kind]
        base = os.environ.get(variable, "")
        # The XDG rules ignore a relative path in the variable.
        if not os.path.isabs(base):
            base = os.path.expanduser(default)
        return Path(base, APP_NAME, *tail)
    import platformdirs

    if kind == "data":
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if kind == "config":
        return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The directory for the database and exports' defaults."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return _user_dir("data")


def config_dir() -> Path:
    """The directory for settings; the data dir when overridden."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return _user_dir("config")


def log_dir() -> Path:
    """The directory for rotating log files."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser() / "logs"
    return _user_dir("log")


def database_path() -> Path:
    """The single SQLite file holding every conversation."""
    return data_dir() / "foxchat.sqlite3"


def settings_path() -> Path:
    """The versioned JSON settings file (never holds a key)."""
    return config_dir() / "settings.json"


# Conversations, settings and logs are the user's alone: other local users may
# not read them, whatever the umask says.
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def make_private(path: Path) -> None:
    """Take away every permission of group and others from ``path``; never adds any.

    A file the user made read-only stays read-only. Failing is not fatal (a
    file system without Unix permissions, a file owned by someone else).
    """
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & ~0o077)
    except OSError:
        pass


def private_dir(path: Path) -> Path:
    """Create ``path`` (owner only) if needed and make it private; returns it.

    Raises ``OSError`` when it cannot be created, as ``Path.mkdir`` does.
    """
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    make_private(path)
    return path


def make_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only, unless it exists (then tighten it)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        make_private(path)
        return
    os.close(fd)


def tighten_existing() -> None:
    """Make FoxChat's folders and the files in them private, as older versions left them 0644.

    Only the folders' own files are touched (not sub-folders the user made).
    """
    for folder in dict.fromkeys((data_dir(), config_dir(), log_dir())):
        if not folder.is_dir():
            continue
        make_private(folder)
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.is_file() and not entry.is_symlink():
                make_private(entry)
