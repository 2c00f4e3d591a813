"""Where FoxChat keeps its files.

Everything the user owns lives under one data directory. ``FOXCHAT_DATA_DIR``
moves all of it (database, settings, logs) elsewhere, which tests and
portable installs rely on.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from foxchat import APP_NAME

DATA_DIR_ENV = "FOXCHAT_DATA_DIR"


def data_dir() -> Path:
    """The directory for the database and exports' defaults."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The directory for settings; the data dir when overridden."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The directory for rotating log files."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser() / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def database_path() -> Path:
    """The single SQLite file holding every conversation."""
    return data_dir() / "foxchat.sqlite3"


def settings_path() -> Path:
    """The versioned JSON settings file (never holds a key)."""
    return config_dir() / "settings.json"
