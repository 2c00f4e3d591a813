"""Keys go to the keyring, fall back to the session when there is none, and never leak."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import pytest
from keyring.errors import InitError, KeyringLocked, NoKeyringError

from foxchat import paths
from foxchat.secrets import KeyringProblem, KeyStorage, KeyStore, KeyStoreError
from tests.chinese import chinese
from tests.conftest import BrokenKeyring, MemoryKeyring

KEY = "sk-test-0123456789abcdef"


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """The headless-Linux case: keyring's fail backend."""
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


def test_a_stored_key_lands_in_the_keyring_and_loads_back(memory_keyring: MemoryKeyring) -> None:
    store = KeyStore()
    assert store.backend_available()
    assert asyncio.run(store.store_key("foxapi", f"  {KEY}\n")) is KeyStorage.KEYRING
    assert memory_keyring.secrets == {("FoxChat", "foxapi"): KEY}
    assert asyncio.run(KeyStore().load_key("foxapi")) == KEY, "a new run finds it"
    assert asyncio.run(store.load_key("other")) is None


def test_each_profile_has_its_own_key(memory_keyring: MemoryKeyring) -> None:
    store = KeyStore()

    async def scenario() -> tuple[str | None, str | None]:
        await store.store_key("a", "key-a")
        await store.store_key("b", "key-b")
        await store.delete_key("a")
        return await store.load_key("a"), await store.load_key("b")

    assert asyncio.run(scenario()) == (None, "key-b")
    assert memory_keyring.secrets == {("FoxChat", "b"): "key-b"}


def test_deleting_a_missing_key_is_fine(memory_keyring: MemoryKeyring) -> None:
    store = KeyStore()
    asyncio.run(store.store_key("foxapi", KEY))
    asyncio.run(store.delete_key("never-stored"))  # raises nothing
    # Asked before any other keyring call, which would reset what it says.
    assert store.keyring_problem() is None, "not reported as a keyring problem"
    assert asyncio.run(store.load_key("never-stored")) is None
    assert memory_keyring.secrets == {("FoxChat", "foxapi"): KEY}, "other keys untouched"


def test_environment_key_wins_and_is_never_stored(
    monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    store = KeyStore()
    asyncio.run(store.store_key("foxapi", "stored-key"))
    monkeypatch.setenv("FOXCHAT_API_KEY", " env-key ")
    assert store.key_from_environment() == "env-key"
    assert asyncio.run(store.load_key("foxapi")) == "env-key"
    assert memory_keyring.secrets == {("FoxChat", "foxapi"): "stored-key"}
    assert not paths.data_dir().exists(), "nothing written to disk"


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_the_key_lives_only_in_this_session() -> None:
    store = KeyStore()
    assert not store.backend_available()
    assert store.backend_name()
    assert asyncio.run(store.store_key("foxapi", KEY)) is KeyStorage.SESSION
    assert asyncio.run(store.load_key("foxapi")) == KEY
    assert asyncio.run(KeyStore().load_key("foxapi")) is None, "gone after a restart"
    assert not paths.data_dir().exists(), "never written to a file"
    asyncio.run(store.delete_key("foxapi"))
    assert asyncio.run(store.load_key("foxapi")) is None


def test_a_chainer_with_no_backends_counts_as_no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    previous = keyring.get_keyring()
    monkeypatch.setattr(keyring.backend, "_limit", lambda backend: False)
    keyring.set_keyring(keyring.backends.chainer.ChainerBackend())  # type: ignore[no-untyped-call]
    try:
        assert not KeyStore.backend_available()
    finally:
        keyring.set_keyring(previous)


def test_remember_for_session_keeps_the_key_out_of_the_keyring(
    memory_keyring: MemoryKeyring,
) -> None:
    store = KeyStore()
    store.remember_for_session("foxapi", KEY)
    assert asyncio.run(store.load_key("foxapi")) == KEY
    assert memory_keyring.secrets == {}


def test_an_empty_key_is_refused_in_plain_words() -> None:
    with pytest.raises(KeyStoreError) as caught:
        asyncio.run(KeyStore().store_key("foxapi", "   "))
    assert "empty" in caught.value.user_message


class LockedKeyring(MemoryKeyring):
    """A keyring the user has not unlocked."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection")


def test_a_locked_keyring_is_explained_without_the_key_and_the_key_kept_for_now(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    previous = keyring.get_keyring()
    keyring.set_keyring(LockedKeyring())
    store = KeyStore()
    try:
        with pytest.raises(KeyStoreError) as caught:
            asyncio.run(store.load_key("foxapi"))
        assert asyncio.run(store.store_key("foxapi", KEY)) is KeyStorage.SESSION
    finally:
        keyring.set_keyring(previous)
    assert "unlock your system keyring and restart FoxChat" in caught.value.user_message
    assert caught.value.problem is KeyringProblem.LOCKED
    assert KEY not in caught.value.user_message
    assert KEY not in caplog.text


class HangingKeyring(MemoryKeyring):
    """A secret service waiting forever on an unlock prompt."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait()
        return None


def test_a_hanging_keyring_times_out_instead_of_freezing() -> None:
    previous = keyring.get_keyring()
    hanging = HangingKeyring()
    keyring.set_keyring(hanging)
    try:
        with pytest.raises(KeyStoreError) as caught:
            asyncio.run(KeyStore(timeout=0.2).load_key("foxapi"))
    finally:
        hanging.release.set()
        keyring.set_keyring(previous)
    assert "did not answer in time" in caught.value.user_message
    assert "unlock it and restart FoxChat" in caught.value.user_message


def test_keyring_calls_run_off_the_calling_thread() -> None:
    seen: list[str] = []

    class RecordingKeyring(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            seen.append(threading.current_thread().name)
            return "k"

    previous = keyring.get_keyring()
    keyring.set_keyring(RecordingKeyring())
    try:
        assert asyncio.run(KeyStore().load_key("foxapi")) == "k"
    finally:
        keyring.set_keyring(previous)
    assert seen and seen[0] != threading.current_thread().name


#: What GNOME's secret service, a locked keyring and a missing one raise, and
#: the plain words FoxChat must use for each instead of the exception's name.
UNUSABLE_KEYRINGS = [
    pytest.param(
        InitError("Failed to create the collection: Prompt dismissed."),
        "set up",
        id="no-default-collection",
    ),
    pytest.param(KeyringLocked("Failed to unlock the collection!"), "locked", id="locked"),
    pytest.param(
        NoKeyringError("No recommended backend was available."), "no system keyring", id="missing"
    ),
    pytest.param(
        RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown"), "did not work", id="broken"
    ),
]


@pytest.fixture
def broken_keyring(request: pytest.FixtureRequest) -> Iterator[Exception]:
    error: Exception = request.param
    previous = keyring.get_keyring()
    keyring.set_keyring(BrokenKeyring(error))
    yield error
    keyring.set_keyring(previous)


def _jargon_free(message: str, error: Exception) -> None:
    assert type(error).__name__ not in message
    assert "Error" not in message and str(error) not in message
    assert "(" not in message, "no exception names or backend text in brackets"


@pytest.mark.parametrize(
    ("broken_keyring", "words"), UNUSABLE_KEYRINGS, indirect=["broken_keyring"]
)
def test_an_unusable_keyring_is_explained_in_plain_words(
    broken_keyring: Exception, words: str
) -> None:
    store = KeyStore()
    assert store.keyring_problem() is None, "not known before the keyring is asked"
    with pytest.raises(KeyStoreError) as caught:
        asyncio.run(store.load_key("foxapi"))
    message = caught.value.user_message
    _jargon_free(message, broken_keyring)
    assert words in message
    assert "until you quit" in message, "says what happens to a key typed now"
    problem = store.keyring_problem()
    assert problem is not None and words in problem.reason


@pytest.mark.parametrize(
    ("broken_keyring", "words"), UNUSABLE_KEYRINGS, indirect=["broken_keyring"]
)
def test_a_key_the_keyring_cannot_take_is_kept_for_this_session(
    broken_keyring: Exception, words: str
) -> None:
    store = KeyStore()
    assert asyncio.run(store.store_key("foxapi", KEY)) is KeyStorage.SESSION
    assert asyncio.run(store.load_key("foxapi")) == KEY
    problem = store.keyring_problem()
    assert problem is not None and words in problem.reason
    assert asyncio.run(KeyStore().store_key("other", KEY)) is KeyStorage.SESSION
    assert not paths.data_dir().exists(), "never written to a file instead"


@pytest.mark.parametrize(
    ("broken_keyring", "words"), UNUSABLE_KEYRINGS, indirect=["broken_keyring"]
)
def test_removing_a_key_from_an_unusable_keyring_says_why_in_plain_words(
    broken_keyring: Exception, words: str
) -> None:
    with pytest.raises(KeyStoreError) as caught:
        asyncio.run(KeyStore().delete_key("foxapi"))
    _jargon_free(caught.value.user_message, broken_keyring)
    assert words in caught.value.user_message


def test_a_keyring_that_works_again_is_no_longer_reported(memory_keyring: MemoryKeyring) -> None:
    store = KeyStore()
    keyring.set_keyring(BrokenKeyring(KeyringLocked("locked")))
    with pytest.raises(KeyStoreError):
        asyncio.run(store.load_key("foxapi"))
    assert store.keyring_problem() is not None
    keyring.set_keyring(memory_keyring)
    assert asyncio.run(store.load_key("foxapi")) is None
    assert store.keyring_problem() is None


def test_an_empty_key_is_refused_in_chinese() -> None:
    with chinese(), pytest.raises(KeyStoreError) as caught:
        asyncio.run(KeyStore().store_key("foxapi", "   "))
    assert caught.value.user_message == "API 密钥为空。请粘贴密钥后重试。"
