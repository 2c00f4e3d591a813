"""API keys: the OS keyring, a session-only fallback, and ``FOXCHAT_API_KEY``.

Keys never touch a file or a log. Each endpoint profile's key is stored in the
keyring under the service name (``"FoxChat"``) with the profile id as user name.
When the machine has no keyring (usual on headless or minimal Linux), a key can
live in memory for this session only.

Keyring calls can block: the D-Bus secret service waits for the user to unlock
it. So every call runs on its own daemon thread with a timeout, and a hung call
never freezes the window or holds up quitting. No Qt here: the CLI uses it too.

A keyring can also be there and still unusable: locked, without a default
collection (``InitError``), or failing in its own way. :class:`KeyringProblem`
names each case in plain words; the store remembers the last one, keeps a key
it could not save for this session, and never shows the exception's name.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Final, TypeVar

from foxchat.errors import FoxChatError, join_sentences
from foxchat.i18n import _

if TYPE_CHECKING:
    # Imported where a task starts: the window paints before asyncio loads (app.run_gui).
    import asyncio

    from keyring.backend import KeyringBackend

# keyring is imported where it is used: importing it (and finding a backend,
# which may ask D-Bus) costs tens of milliseconds the first window need not wait for.

log = logging.getLogger(__name__)

API_KEY_ENV: Final = "FOXCHAT_API_KEY"
DEFAULT_TIMEOUT: Final = 10.0

T = TypeVar("T")


class KeyStorage(StrEnum):
    """Where a saved key ended up."""

    KEYRING = "keyring"
    SESSION = "session"


class KeyringProblem(StrEnum):
    """Why the system keyring cannot keep a key, in words a non-developer understands."""

    MISSING = "missing"
    LOCKED = "locked"
    NOT_SET_UP = "not-set-up"
    NO_ANSWER = "no-answer"
    FAILED = "failed"

    @property
    def reason(self) -> str:
        """The cause, to go after "because" in a sentence."""
        return _REASONS[self]

    @property
    def advice(self) -> str:
        """What the user can do so the key is saved next time (one sentence)."""
        return _ADVICE[self]

    @classmethod
    def from_error(cls, error: BaseException) -> KeyringProblem:
        """The plain-words case for an exception a keyring backend raised."""
        from keyring.errors import InitError, KeyringLocked, NoKeyringError

        if isinstance(error, KeyringLocked):
            return cls.LOCKED
        if isinstance(error, InitError):
            return cls.NOT_SET_UP  # secret service without a default collection
        if isinstance(error, NoKeyringError):
            return cls.MISSING
        if isinstance(error, TimeoutError):
            return cls.NO_ANSWER
        return cls.FAILED


# i18n: each reason completes "…, because {reason}." in the messages below.
_REASONS: Final = {
    KeyringProblem.MISSING: _("this computer has no system keyring"),
    KeyringProblem.LOCKED: _("the system keyring is locked"),
    KeyringProblem.NOT_SET_UP: _("the system keyring is not set up to store passwords yet"),
    KeyringProblem.NO_ANSWER: _("the system keyring did not answer in time"),
    KeyringProblem.FAILED: _("the system keyring did not work when FoxChat asked it"),
}

_ADVICE: Final = {
    KeyringProblem.MISSING: _("FoxChat will ask for your key again next time."),
    KeyringProblem.LOCKED: _(
        "To save your key for next time, unlock your system keyring and restart FoxChat."
    ),
    KeyringProblem.NOT_SET_UP: _(
        "To save your key for next time, create a default keyring"
        " in your system's passwords app and restart FoxChat."
    ),
    KeyringProblem.NO_ANSWER: _(
        "If your system asks you to unlock the keyring, unlock it"
        " and restart FoxChat to save your key for next time."
    ),
    KeyringProblem.FAILED: _(
        "FoxChat will ask for your key again next time; if this keeps"
        " happening, restart FoxChat with --debug and report the log."
    ),
}

#: What happens to a key typed while the keyring cannot be used.
SESSION_ONLY_MESSAGE: Final = _(
    "Your key will be kept only until you quit, because {reason}."
    " FoxChat never writes your key to a file."
)
READ_FAILED_MESSAGE: Final = _(
    "FoxChat could not read your API key, because {reason}."
    " Enter your key to use it until you quit."
)
DELETE_FAILED_MESSAGE: Final = _(
    "FoxChat could not remove your API key from the system keyring, because {reason}."
)


def session_only_message(problem: KeyringProblem) -> str:
    """Plain words for "this key lives until you quit", with why and what to do."""
    return join_sentences(SESSION_ONLY_MESSAGE.format(reason=problem.reason), problem.advice)


class KeyStoreError(FoxChatError):
    """A keyring operation failed; ``user_message`` says what to do next."""

    def __init__(self, user_message: str, problem: KeyringProblem | None = None) -> None:
        super().__init__(user_message)
        self.problem = problem


def _usable(backend: KeyringBackend) -> bool:
    import keyring.backends.chainer
    import keyring.backends.fail
    import keyring.backends.null

    if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
        return False
    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        return any(_usable(b) for b in backend.backends)
    return True


def _backend() -> KeyringBackend:
    import keyring

    return keyring.get_keyring()


async def _run_off_thread(call: Callable[[], T], timeout: float) -> T:
    """Run ``call`` on a daemon thread; give up waiting after ``timeout`` seconds.

    Not ``asyncio.to_thread``: its executor threads are joined at interpreter
    exit, so a keyring call stuck on an unlock prompt would block quitting.
    """
    import asyncio

    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return  # the caller stopped waiting (timeout or cancel)
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def work() -> None:
        result: T | None = None
        error: BaseException | None = None
        try:
            result = call()
        except BaseException as exc:  # handed over to the awaiting coroutine
            error = exc
        # RuntimeError: the loop closed while we were blocked; nobody is waiting.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=work, name="foxchat-keyring", daemon=True).start()
    return await asyncio.wait_for(future, timeout)


class KeyStore:
    """Loads, saves and deletes API keys per endpoint profile."""

    def __init__(self, service: str = "FoxChat", *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._service = service
        self._timeout = timeout
        self._session_keys: dict[str, str] = {}
        self._problem: KeyringProblem | None = None

    # -- what is available ---------------------------------------------------

    @staticmethod
    def key_from_environment() -> str | None:
        """The key in ``FOXCHAT_API_KEY``, or None; it is never stored."""
        return os.environ.get(API_KEY_ENV, "").strip() or None

    @staticmethod
    def backend_available() -> bool:
        """Whether the OS keyring can actually keep a key."""
        return _usable(_backend())

    def keyring_problem(self) -> KeyringProblem | None:
        """Why a key cannot go to the keyring now, or None while it seems usable.

        Known once a keyring call has failed (the last call decides); a
        machine without a keyring backend at all is known at once.
        """
        if not self.backend_available():
            return KeyringProblem.MISSING
        return self._problem

    @staticmethod
    def backend_name() -> str:
        """A readable name of the keyring in use, for the settings dialog."""
        backend = _backend()
        name: str = backend.name
        return name

    # -- operations ----------------------------------------------------------

    def remember_for_session(self, profile_id: str, key: str) -> None:
        """Keep ``key`` in memory only; it is gone when FoxChat quits."""
        self._session_keys[profile_id] = _clean(key)

    async def load_key(self, profile_id: str) -> str | None:
        """The key to use: the environment's, this session's, or the keyring's."""
        from_env = self.key_from_environment()
        if from_env:
            return from_env
        if profile_id in self._session_keys:
            return self._session_keys[profile_id]

        def read() -> str | None:
            # Finding the backend can itself wait on D-Bus: off this thread too.
            backend = _backend()
            return backend.get_password(self._service, profile_id) if _usable(backend) else None

        key = await self._call(read, READ_FAILED_MESSAGE)
        return key or None

    async def store_key(self, profile_id: str, key: str) -> KeyStorage:
        """Save ``key`` in the keyring; if it cannot take it, keep it for this session.

        After ``SESSION``, :meth:`keyring_problem` says why.
        """
        key = _clean(key)
        if not self.backend_available():
            self._session_keys[profile_id] = key
            return KeyStorage.SESSION
        try:
            await self._call(
                lambda: _backend().set_password(self._service, profile_id, key),
                SESSION_ONLY_MESSAGE,
            )
        except KeyStoreError:
            # The key works either way; losing it because the keyring is
            # locked would only make the user paste it again right now.
            self._session_keys[profile_id] = key
            return KeyStorage.SESSION
        self._session_keys.pop(profile_id, None)
        return KeyStorage.KEYRING

    async def delete_key(self, profile_id: str) -> None:
        """Forget the profile's key everywhere FoxChat keeps it; a missing key is fine."""
        self._session_keys.pop(profile_id, None)
        if not self.backend_available():
            return

        def delete() -> None:
            from keyring.errors import PasswordDeleteError

            # Nothing stored is already the state the user asked for.
            with contextlib.suppress(PasswordDeleteError):
                _backend().delete_password(self._service, profile_id)

        await self._call(delete, DELETE_FAILED_MESSAGE)

    async def _call(self, call: Callable[[], T], message: str) -> T:
        """Run a keyring call off this thread; ``message`` has a ``{reason}`` field."""
        try:
            result = await _run_off_thread(call, self._timeout)
        except TimeoutError as exc:
            log.warning("keyring: no answer within %.0f s", self._timeout)
            problem = KeyringProblem.from_error(exc)
        except Exception as exc:  # backends raise their own types (D-Bus, Windows, ...)
            # The exception text comes from the backend, never from the key itself;
            # it goes to the log for a bug report, not to the user.
            log.warning("keyring: %s: %s", type(exc).__name__, exc)
            problem = KeyringProblem.from_error(exc)
        else:
            self._problem = None
            return result
        self._problem = problem
        raise KeyStoreError(
            join_sentences(message.format(reason=problem.reason), problem.advice), problem
        ) from None


def _clean(key: str) -> str:
    # Pasted keys often carry a newline or spaces; a key never contains them.
    cleaned = key.strip()
    if not cleaned:
        raise KeyStoreError(_("The API key is empty. Paste your key and try again."))
    return cleaned
