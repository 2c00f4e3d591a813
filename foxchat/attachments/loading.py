"""Reading a file the person attached, with every bad case said in plain words.

``attach_file`` is what the window (on a worker thread) and ``foxchat ask
--attach`` both call, so the same file gives the same result and the same
message everywhere: a file that vanished, a folder, an empty file, one over
``MAX_FILE_BYTES``, an unreadable one, then whatever the image or document
reader says.
"""

from __future__ import annotations

from pathlib import Path

from foxchat.attachments.documents import document_from_bytes
from foxchat.attachments.errors import AttachmentError
from foxchat.attachments.images import IMAGE_SUFFIXES, image_from_bytes, looks_like_image
from foxchat.attachments.records import (
    DEFAULT_MAX_IMAGE_SIDE,
    MAX_FILE_BYTES,
    Attachment,
    describe_size,
)
from foxchat.i18n import _


def attach_file(path: Path, *, max_side: int = DEFAULT_MAX_IMAGE_SIDE) -> Attachment:
    """The file at ``path`` as an attachment; raises :class:`AttachmentError` with the reason."""
    raw = read_limited(path)
    name = path.name
    if looks_like_image(raw[:16]) or name.lower().endswith(IMAGE_SUFFIXES):
        return image_from_bytes(raw, name, max_side=max_side)
    return document_from_bytes(raw, name)


def read_limited(path: Path) -> bytes:
    """The bytes of ``path``, refusing what is gone, empty, too large or unreadable."""
    name = path.name or str(path)
    try:
        if path.is_dir():
            raise AttachmentError(
                _("{name} is a folder. Attach the files inside it one by one instead.").format(
                    name=name
                )
            )
        size = path.stat().st_size
        if size == 0:
            raise _empty(name)
        if size > MAX_FILE_BYTES:
            raise AttachmentError(
                _(
                    "The file {name} is {size}, more than FoxChat can attach ({limit} at most). "
                    "Attach a smaller file, or only the part you want to ask about."
                ).format(name=name, size=describe_size(size), limit=describe_size(MAX_FILE_BYTES))
            )
        with path.open("rb") as stream:
            # Read one byte more than allowed: the file may have grown since stat().
            raw = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise AttachmentError(
            _(
                "The file {name} is no longer there: it was moved, renamed or deleted. "
                "Attach it again from where it is now."
            ).format(name=name)
        ) from exc
    except PermissionError as exc:
        raise AttachmentError(
            _(
                "FoxChat is not allowed to read the file {name}. Check its permissions, "
                "or copy it somewhere you own and attach the copy."
            ).format(name=name)
        ) from exc
    except OSError as exc:
        raise AttachmentError(
            _(
                "The file {name} could not be read ({reason}). "
                "Check that the disk or network folder it is on is still there, then try again."
            ).format(name=name, reason=exc.strerror or exc)
        ) from exc
    if not raw:
        raise _empty(name)
    if len(raw) > MAX_FILE_BYTES:
        raise AttachmentError(
            _(
                "The file {name} is more than FoxChat can attach ({limit} at most). "
                "Attach a smaller file."
            ).format(name=name, limit=describe_size(MAX_FILE_BYTES))
        )
    return raw


def _empty(name: str) -> AttachmentError:
    return AttachmentError(
        _("The file {name} is empty (0 bytes), so there is nothing to attach.").format(name=name)
    )
