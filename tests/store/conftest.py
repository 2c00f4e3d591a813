"""Fixtures for the store tests: a real SQLite file in the per-test data dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from foxchat import paths
from foxchat.store import Store


@pytest.fixture
def db_path() -> Path:
    """Where the store lives for this test (inside the fresh FOXCHAT_DATA_DIR)."""
    return paths.database_path()


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """An open, empty store, closed after the test."""
    opened = Store.open(db_path)
    yield opened
    opened.close()
