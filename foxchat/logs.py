"""Logging: a rotating file in the log dir, never holding the key or chat text.

At the default level only FoxChat's own warnings and lifecycle lines are
written; message text never appears there. ``--debug`` turns on verbose
logging for support. The key is scrubbed by a filter as a second line of
defence, because a library could still echo a header.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re

from foxchat.paths import log_dir

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


def setup_logging(*, debug: bool = False) -> None:
    """Send logs to a rotating file (and stderr when debugging)."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    try:
        directory = log_dir()
        directory.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            directory / LOG_FILE, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
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
