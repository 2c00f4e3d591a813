"""Logging: a rotating file in the log dir, never holding the key or chat text.

At the default level only FoxChat's own warnings and lifecycle lines are
written; message text never appears there. ``--debug`` turns on verbose
logging for support. The key is scrubbed by a filter as a second line of
defence, because a library could still echo a header. The file is the
user's alone (0600 in a 0700 folder), and a full disk drops log lines quietly
instead of printing tracebacks.

The file is rotated here (at 1 MB, three old files kept) rather than by
``logging.handlers.RotatingFileHandler``: that module brings ``socket``,
``pickle`` and ``queue`` with it, which the window's first paint waited for
and never used.
"""

from __future__ import annotations

import io
import logging
import os
import re
from pathlib import Path

from foxchat import paths

LOG_FILE = "foxchat.log"
_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._\-~+/=]+", re.IGNORECASE)
_KEYLIKE = re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}")


class SecretScrubber(logging.Filter):
    """Masks bearer tokens, key-like strings and the known key in log records."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        clean = _KEYLIKE.sub("sk-***", _BEARER.sub(r"\1***", text))
        for secret in self.secrets:
            if secret:
                clean = clean.replace(secret, "***")
        if clean != text:
            record.msg, record.args = clean, None
        return True


SCRUBBER = SecretScrubber()


class PrivateLogFile(logging.FileHandler):
    """The rotating log file: readable by the user only, and silent when it cannot be written.

    When a record would take the file to ``MAX_BYTES``, ``foxchat.log`` becomes
    ``foxchat.log.1`` (``.1`` becomes ``.2`` and so on, ``BACKUPS`` kept).
    On a full disk the standard handler prints a "--- Logging error ---"
    traceback for every record. Here a record that cannot be written is
    dropped and counted; once writing works again, one line says how many
    were lost.
    """

    MAX_BYTES = 1_000_000
    BACKUPS = 3

    def __init__(self, path: Path) -> None:
        super().__init__(path, encoding="utf-8")
        #: Records dropped since the last one that was written.
        self.dropped = 0

    def _open(self) -> io.TextIOWrapper:
        # Created 0600 whatever the umask; a file from an older FoxChat is tightened.
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        paths.make_private(Path(self.baseFilename))
        return open(fd, "a", encoding=self.encoding, errors=self.errors)

    def _rotate_if_full(self, record: logging.LogRecord) -> None:
        if self.stream is None or self.stream.closed:
            self.stream = self._open()
        size = self.stream.seek(0, os.SEEK_END)
        # An empty file takes any record: one record over the limit must not rotate forever.
        if size == 0 or size + len(self.format(record)) + 1 < self.MAX_BYTES:
            return
        self.stream.close()
        base = self.baseFilename
        try:
            for n in range(self.BACKUPS - 1, 0, -1):
                if os.path.exists(f"{base}.{n}"):
                    os.replace(f"{base}.{n}", f"{base}.{n + 1}")
            os.replace(base, f"{base}.1")
        finally:
            self.stream = self._open()

    def emit(self, record: logging.LogRecord) -> None:
        dropped = self.dropped
        if dropped:
            super().emit(self._dropped_note(dropped))
            # Written: start counting afresh. Not written: the note is no loss of its own.
            self.dropped = 0 if self.dropped == dropped else dropped
        try:
            self._rotate_if_full(record)
        except (OSError, ValueError):  # ValueError: a stream left closed by a failed rotation
            self.handleError(record)
            return
        super().emit(record)

    @staticmethod
    def _dropped_note(count: int) -> logging.LogRecord:
        return logging.LogRecord(
            __name__,
            logging.WARNING,
            __file__,
            0,
            "%d log lines were dropped because the log file could not be written",
            (count,),
            None,
        )

    def handleError(self, record: logging.LogRecord) -> None:
        self.dropped += 1


def setup_logging(*, debug: bool = False) -> None:
    """Send logs to a rotating file (and stderr when debugging)."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    try:
        handler: logging.Handler = PrivateLogFile(paths.private_dir(paths.log_dir()) / LOG_FILE)
    except OSError:
        handler = logging.StreamHandler()  # a read-only home must not stop the app
    handler.addFilter(SCRUBBER)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if debug or os.environ.get("FOXCHAT_DEBUG"):
        console = logging.StreamHandler()
        console.addFilter(SCRUBBER)
        root.addHandler(console)
    # httpx logs every request line at INFO; keep that to debug sessions.
    logging.getLogger("httpx").setLevel(logging.DEBUG if debug else logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.INFO if debug else logging.WARNING)
