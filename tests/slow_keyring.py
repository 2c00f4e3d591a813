"""A keyring backend for app processes started by tests: one saved key, read slowly.

A desktop keyring answers over D-Bus and can take a few hundred milliseconds;
the start-up tests need that gap to be real. Select it in a child process
with ``PYTHON_KEYRING_BACKEND=tests.slow_keyring.SlowKeyring`` (``tests`` on
``PYTHONPATH``); it serves ``FOXCHAT_TEST_KEY`` for every profile after
``FOXCHAT_TEST_KEYRING_DELAY`` seconds.
"""

from __future__ import annotations

import os
import time

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

KEY_ENV = "FOXCHAT_TEST_KEY"
DELAY_ENV = "FOXCHAT_TEST_KEYRING_DELAY"


class SlowKeyring(KeyringBackend):
    """A real keyring backend holding one key in memory, answering after a delay."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._saved: dict[tuple[str, str], str] = {}

    def _wait(self) -> None:
        time.sleep(float(os.environ.get(DELAY_ENV, "0")))

    def get_password(self, service: str, username: str) -> str | None:
        self._wait()
        return self._saved.get((service, username), os.environ.get(KEY_ENV))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._wait()
        self._saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._wait()
        if self._saved.pop((service, username), None) is None:
            raise PasswordDeleteError(username)
