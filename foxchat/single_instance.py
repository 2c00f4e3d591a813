"""One FoxChat window per data folder: a second start brings the first forward.

Four windows on one database each sent history the others had written. So,
as desktop apps do, the first ``foxchat`` for a data folder becomes the
*primary*: it holds a lock file in that folder (``QLockFile``, which records
its pid, so a crashed primary's lock is taken over) and listens on a local
socket named after a hash of the resolved folder and the user (so test runs
with separate folders never meet). A later ``foxchat`` finds the lock taken,
connects, writes ``activate`` and waits for ``ok``; the primary raises its
window and answers; the second process exits 0 without opening the store.

Only the window comes here: ``foxchat ask``, ``models``, ``export`` and
``import`` run beside a window as before. When the handover cannot happen
(no socket, a primary that never answers), the second window still opens and
the store's own guard keeps it from writing on history it has not read.

QtNetwork is loaded only when needed: a first start takes the lock (QtCore)
before opening the store and starts listening after its first frame, so the
usual start pays nothing for this before it paints.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QLockFile, QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from foxchat import paths
from foxchat.i18n import _

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

ACTIVATE: Final = b"activate\n"
ANSWER: Final = b"ok\n"
LOCK_FILE: Final = "foxchat.instance.lock"
#: How long a second start waits to reach a primary that holds the lock but is
#: still starting (between taking the lock and its first frame).
HANDOVER_PATIENCE_S: Final = 5.0
#: Printed by a second start that brought the running window forward.
HANDED_OVER: Final = _("FoxChat is already running, so its window was brought to the front.")
#: Shown by a window that opened beside an unreachable one (see ``claim``).
SHARED_NOTICE: Final = _(
    "FoxChat is already open in another window that did not respond, so this is a "
    "second window. If a chat changes in the other window, FoxChat shows you those "
    "messages before it sends yours."
)
_CONNECT_MS: Final = 300
_ANSWER_MS: Final = 2000


def server_name(data_dir: Path) -> str:
    """The local socket's name for this user and data folder."""
    # Here, not at the top: a first start needs the name only after its first frame.
    import getpass
    import hashlib

    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or passwd
        user = ""
    key = f"{user}\0{data_dir.expanduser().resolve()}"
    return "foxchat-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


class SingleInstance(QObject):
    """The primary's lock and socket; ``activated`` when a second start knocks."""

    activated = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._name: str | None = None
        self._lock_path = data_dir / LOCK_FILE
        self._lock: QLockFile | None = None
        self._server: QLocalServer | None = None
        #: True when another FoxChat holds the folder but could not be reached.
        self.shared = False

    @property
    def listening(self) -> bool:
        """Whether a second start can reach this process."""
        return self._server is not None and self._server.isListening()

    @property
    def name(self) -> str:
        """The local socket's name (``server_name``), worked out when first needed."""
        if self._name is None:
            self._name = server_name(self._data_dir)
        return self._name

    def take_lock(self) -> bool:
        """Become the primary for the folder; False when a live FoxChat already is.

        A folder that cannot hold the lock (read-only) counts as free: the
        window opens, and the store guards its history.
        """
        try:
            paths.private_dir(self._lock_path.parent)
        except OSError:
            return True
        lock = QLockFile(str(self._lock_path))
        # 0: never stale by age (a window may run for weeks); a dead pid still is.
        lock.setStaleLockTime(0)
        if lock.tryLock(0):
            paths.make_private(self._lock_path)  # it names this machine and process
            self._lock = lock
            return True
        return lock.error() != QLockFile.LockError.LockFailedError

    def hand_over(self) -> bool:
        """Ask the running FoxChat to come to the front; True if one was reached."""
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(_CONNECT_MS):
            return False
        socket.write(ACTIVATE)
        socket.waitForBytesWritten(_CONNECT_MS)
        answered = _read_line(socket, _ANSWER_MS) == ANSWER
        socket.disconnectFromServer()
        if not answered:
            # It is there but busy: it reads the request once its loop turns.
            log.warning("the running FoxChat did not answer within %s ms", _ANSWER_MS)
        return True

    def hand_over_patiently(self, patience_s: float = HANDOVER_PATIENCE_S) -> bool:
        """``hand_over``, retried while a primary that holds the lock starts up."""
        deadline = time.monotonic() + patience_s
        while True:
            if self.hand_over():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)

    def listen(self) -> bool:
        """Accept second starts (the primary only); a crash's leftover socket is removed."""
        from PySide6.QtNetwork import QLocalServer

        if self._lock is None:
            return False  # only the lock's holder may clear a leftover socket
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # We hold the lock, so a socket file by this name is a crashed run's.
        QLocalServer.removeServer(self.name)
        if not server.listen(self.name):
            log.warning("second starts cannot reach this window: %s", server.errorString())
            server.deleteLater()
            return False
        server.newConnection.connect(self._accept)
        self._server = server
        log.info("listening for second starts")
        return True

    def close(self) -> None:
        """Stop listening and let the next start be the primary."""
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def _accept(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        if bytes(socket.readLine().data()) == ACTIVATE:
            log.info("a second start asked for this window: bringing it to the front")
            socket.write(ANSWER)
            socket.flush()
            self.activated.emit()
        socket.disconnectFromServer()


def _read_line(socket: QLocalSocket, timeout_ms: int) -> bytes:
    deadline = time.monotonic() + timeout_ms / 1000
    while not socket.canReadLine():
        left = int((deadline - time.monotonic()) * 1000)
        if left <= 0 or not socket.waitForReadyRead(left):
            return b""
    return bytes(socket.readLine().data())


def claim(data_dir: Path) -> SingleInstance | None:
    """Become the primary for ``data_dir``, or hand over to it and return None.

    None means a running FoxChat was asked to come forward: exit 0 without
    opening the store. Otherwise the caller owns the returned object, calls
    ``listen`` once its window is up and ``close`` when it quits.
    """
    instance = SingleInstance(data_dir)
    if instance.take_lock():
        return instance
    if instance.hand_over_patiently():
        log.info("FoxChat already runs for this folder: brought its window to the front")
        return None
    log.warning("another FoxChat holds the lock but cannot be reached; opening anyway")
    instance.shared = True
    return instance


def hand_over_early(data_dir: Path) -> bool:
    """One quick knock before the window's code loads: True if a running FoxChat answered.

    Saves a second start the half second of importing the window. Anything
    less than a clear answer (a primary still starting, a crash's leftover
    lock) is left to ``claim``, which is patient.
    """
    if not (data_dir / LOCK_FILE).exists():
        return False
    if not SingleInstance(data_dir).hand_over():
        return False
    log.info("FoxChat already runs for this folder: brought its window to the front")
    return True


def bring_to_front(window: QWidget) -> None:
    """Show ``window`` un-minimised, on top and focused (as far as the desktop allows)."""
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
    log.info("window brought to the front")
