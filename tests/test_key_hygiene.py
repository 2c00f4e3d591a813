"""The API key never lands on disk: a whole session, then every file is searched.

The session does what a user does: pastes the key into the welcome dialog,
chats, opens "Copy request as curl", exports the chat as JSON and Markdown,
with debug logging on (the most a log ever holds). Afterwards no file under
the data dir (data, settings and logs all live there with FOXCHAT_DATA_DIR)
and no export contains the key's bytes, in any of its plain encodings.
Unencrypted remote addresses and TLS are covered in the dialogs' tests and
``tests/test_tls.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from foxchat.logs import LOG_FILE, setup_logging
from foxchat.paths import log_dir
from foxchat.settings import insecure_base_url_question
from foxchat.ui.curl_dialog import CurlDialog
from foxchat.ui.welcome_dialog import WelcomeDialog
from tests.asyncqt import run, until
from tests.conftest import MemoryKeyring
from tests.fakeserver import FakeOpenAIServer, Reply
from tests.ui.harness import Harness, harness, type_and_send

__all__ = ["harness"]  # the fixture, imported for pytest

SECRET = "sk-hygiene-5f1c2e9a7b3d4c6e8f0a"


@pytest.fixture
def debug_logging() -> Iterator[None]:
    """Debug logging to the data dir's log file, as ``foxchat --debug`` runs."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    setup_logging(debug=True)
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    for name, old in quiet.items():
        logging.getLogger(name).setLevel(old)


def key_forms(key: str) -> list[bytes]:
    """The key as UTF-8, UTF-16 (Qt, Windows) and in a Bearer header."""
    return [key.encode(), key.encode("utf-16-le"), f"Bearer {key}".encode()]


def files_holding_the_key(root: Path, key: str) -> list[str]:
    return [
        str(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and any(form in path.read_bytes() for form in key_forms(key))
    ]


def test_a_whole_session_leaves_the_key_in_no_file(
    harness: Harness,
    fake_server: FakeOpenAIServer,
    memory_keyring: MemoryKeyring,
    isolated_env: Path,
    tmp_path: Path,
    qapp: QApplication,
    debug_logging: None,
) -> None:
    fake_server.api_key = SECRET
    exports = tmp_path / "exports"
    exports.mkdir()

    async def session() -> None:
        app = harness.start()
        await until(lambda: isinstance(app.welcome, WelcomeDialog) and app.welcome.isVisible())
        dialog = app.welcome
        assert isinstance(dialog, WelcomeDialog)
        QTest.keyClicks(dialog.key_edit, SECRET)
        dialog.start_button.click()
        await until(lambda: memory_keyring.secrets.get(("FoxChat", "foxapi")) == SECRET)
        await until(lambda: app.endpoint.client() is not None)
        fake_server.script(Reply(text="The key is safe with me.", chunk_size=4))
        type_and_send(app, "Hello, keep my secrets")
        cid = app.window.current_id
        assert cid is not None
        await until(lambda: not app.chat.is_streaming(cid))
        assert app.store.active_path(cid)[-1].content == "The key is safe with me."

        QTest.keyClicks(app.window.composer.edit, "a draft")
        app.window.curl_action.trigger()
        await until(lambda: app.window.findChild(CurlDialog) is not None)
        curl = app.window.findChild(CurlDialog)
        assert isinstance(curl, CurlDialog)
        assert SECRET not in curl.text.toPlainText(), "masked unless the user asks"
        curl.include_key.setChecked(True)
        assert SECRET in curl.text.toPlainText(), "the user asked: it is there to copy"
        curl.include_key.setChecked(False)
        curl.reject()

        assert app.conversations.export_to(exports / "chat.json", cid, "json")
        assert app.conversations.export_to(exports / "chat.md", cid, "md")
        await harness.idle()

    run(harness.loop, session())
    harness.quit()
    log_file = log_dir() / LOG_FILE
    assert log_file.is_file() and log_file.stat().st_size > 0, "debug logging was on"
    assert (exports / "chat.json").stat().st_size > 0
    assert files_holding_the_key(isolated_env, SECRET) == []
    assert files_holding_the_key(exports, SECRET) == []
    # The search can find it: the key is in the keyring, which is not a file here.
    assert memory_keyring.secrets[("FoxChat", "foxapi")] == SECRET


def test_the_search_finds_a_key_written_to_a_file(tmp_path: Path) -> None:
    (tmp_path / "leak.txt").write_text(f"header: Bearer {SECRET}\n", encoding="utf-16-le")
    assert files_holding_the_key(tmp_path, SECRET) == [str(tmp_path / "leak.txt")]


@pytest.mark.parametrize(
    ("url", "asks"),
    [
        ("http://chat.example.com/v1", True),
        ("http://192.168.1.20:8000/v1", True),
        ("HTTP://Example.COM", True),
        ("https://chat.example.com/v1", False),
        ("http://127.0.0.1:8080/v1", False),
        ("http://127.8.9.10/v1", False),
        ("http://localhost:11434/v1", False),
        ("http://[::1]:8000/v1", False),
        ("http://api.localhost/v1", False),
    ],
)
def test_only_unencrypted_remote_addresses_need_confirmation(url: str, asks: bool) -> None:
    question = insecure_base_url_question(url)
    assert (question is not None) is asks
    if question is not None:
        assert "https://" in question and "unencrypted" in question
