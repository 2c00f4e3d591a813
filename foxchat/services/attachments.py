"""Preparing attachments off the GUI thread, and reading stored ones for the chat.

Scaling a 20-megapixel photo and encoding it takes a few hundred
milliseconds; reading a long PDF can take seconds. ``AttachmentService``
runs each job on a small thread pool (Pillow and pypdf hold no Qt object and
Pillow releases the GIL while it decodes, scales and encodes), and reports
back with ``ready`` or ``failed``, which Qt delivers on the GUI thread. A job
has an id, so the composer knows which chip it belongs to; a result for a chip
removed meanwhile is simply ignored there.

The chat asks here for what it shows of stored attachments (``infos``:
names and thumbnails, never the files) and the viewer for one file's bytes
(``data``), so widgets never reach the store.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from foxchat.attachments import (
    Attachment,
    AttachmentError,
    AttachmentInfo,
    attach_file,
    image_from_pixels,
)
from foxchat.i18n import _
from foxchat.store import Store, StoreError

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PixelBuffer:
    """A pasted image's pixels as Pillow reads them, and what must live while it does."""

    mode: str
    size: tuple[int, int]
    pixels: memoryview | bytes
    stride: int = 0
    #: How the bytes are laid out, as Pillow names it ("" for ``mode`` itself).
    rawmode: str = ""
    #: The object that owns ``pixels`` (a QImage), kept alive until the job ends.
    owner: object = None


#: Gives a pasted image's pixels; called on the worker thread.
PixelSource = Callable[[], PixelBuffer]

# Two workers: the machine's cores are shared with the GUI, and a second file
# should not wait behind a long PDF.
_WORKERS = 2
_OUT_OF_MEMORY = _(
    "There is not enough memory to prepare {name}. Close other programs, or attach a "
    "smaller copy of it."
)
_BUG = _("Something went wrong inside FoxChat while preparing {name}, so it was not attached.")


class AttachmentService(QObject):
    """Conversion jobs on worker threads, and stored attachments for the chat.

    Signals (always delivered on the GUI thread):

    - ``ready(job, attachment)``: the file or image is ready to send.
    - ``failed(job, message)``: it could not be attached, in plain words.
    """

    ready = Signal(int, Attachment)
    failed = Signal(int, str)

    def __init__(
        self,
        store: Store,
        *,
        max_side: Callable[[], int],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._max_side = max_side
        self._jobs = itertools.count(1)
        self._pool: ThreadPoolExecutor | None = None
        self._running: set[Future[None]] = set()

    def attach_file(self, path: Path) -> int:
        """Start reading ``path``; returns the job id ``ready`` or ``failed`` will carry."""
        max_side = self._max_side()
        return self._submit(path.name, lambda: attach_file(path, max_side=max_side))

    def attach_pixels(self, name: str, source: PixelSource) -> int:
        """Start preparing a pasted image whose pixels ``source`` gives, on the worker."""
        max_side = self._max_side()

        def work() -> Attachment:
            buffer = source()
            return image_from_pixels(
                buffer.mode,
                buffer.size,
                buffer.pixels,
                name,
                max_side=max_side,
                stride=buffer.stride,
                rawmode=buffer.rawmode,
            )

        return self._submit(name, work)

    def busy(self) -> bool:
        """Whether a job is still running."""
        return bool(self._running)

    def infos(self, message_id: int) -> list[AttachmentInfo]:
        """What the chat shows of a message's attachments (nothing when it has none)."""
        try:
            return self._store.attachment_infos([message_id]).get(message_id, [])
        except StoreError as exc:
            log.warning("attachments of message %s could not be read: %s", message_id, exc)
            return []

    def attachments(self, message_id: int) -> list[Attachment]:
        """A stored message's attachments with their data (to put them back in the composer)."""
        try:
            return self._store.attachments([message_id]).get(message_id, [])
        except StoreError as exc:
            log.warning("attachments of message %s could not be read: %s", message_id, exc)
            return []

    def data(self, sha256: str) -> bytes:
        """One stored file's bytes; raises ``StoreError`` when it cannot be read."""
        return self._store.attachment_data(sha256)

    def shutdown(self) -> None:
        """Stop taking jobs; those running finish on their own and are not reported."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _submit(self, name: str, work: Callable[[], Attachment]) -> int:
        job = next(self._jobs)
        if self._pool is None:
            # The pool (and concurrent.futures) loads with the first attachment:
            # the window's first paint does not wait for it.
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(_WORKERS, thread_name_prefix="attach")
        future = self._pool.submit(self._run, job, name, work)
        self._running.add(future)
        future.add_done_callback(self._running.discard)
        return job

    def _run(self, job: int, name: str, work: Callable[[], Attachment]) -> None:
        # On the worker thread: only plain values leave it, through the signals.
        result: Attachment | None = None
        problem = ""
        try:
            result = work()
        except AttachmentError as exc:
            problem = exc.user_message
        except MemoryError:
            problem = _OUT_OF_MEMORY.format(name=name)
        except Exception:
            log.exception("preparing the attachment %s failed unexpectedly", name)
            problem = _BUG.format(name=name)
        # The image's pixels are gone by now; the tens of megabytes they took go
        # back before anyone hears the job ended (and sends, or measures). Imported
        # here, with the first job: it loads ctypes and subprocess, which the
        # first frame does not need (tests/test_startup_imports.py).
        from foxchat.attachments.memory import give_back_freed_memory

        give_back_freed_memory()
        if result is not None:
            self.ready.emit(job, result)
        else:
            self.failed.emit(job, problem)
