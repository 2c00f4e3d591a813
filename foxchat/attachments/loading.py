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
                f"{name} is a folder. Attach the files inside it one by one instead."
            )
        size = path.stat().st_size
        if size == 0:
            raise AttachmentError(
                f"The file {name} is empty (0 bytes), so there is nothing to attach."
            )
        if size > MAX_FILE_BYTES:
            raise AttachmentError(
                f"The file {name} is {describe_size(size)}, more than FoxChat can attach "
                f"({describe_size(MAX_FILE_BYTES)} at most). Attach a smaller file, or only "
                "the part you want to ask about."
            )
        with path.open("rb") as stream:
            # Read one byte more than allowed: the file may have grown since stat().
            raw = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise AttachmentError(
            f"The file {name} is no longer there: it was moved, renamed or deleted. "
            "Attach it again from where it is now."
        ) from exc
    except PermissionError as exc:
        raise AttachmentError(
            f"FoxChat is not allowed to read the file {name}. Check its permissions, "
            "or copy it somewhere you own and attach the copy."
        ) from exc
    except OSError as exc:
        raise AttachmentError(
            f"The file {name} could not be read ({exc.strerror or exc}). "
            "Check that the disk or network folder it is on is still there, then try again."
        ) from exc
    if not raw:
        raise AttachmentError(f"The file {name} is empty (0 bytes), so there is nothing to attach.")
    if len(raw) > MAX_FILE_BYTES:
        raise AttachmentError(
            f"The file {name} is more than FoxChat can attach "
            f"({describe_size(MAX_FILE_BYTES)} at most). Attach a smaller file."
        )
    return raw
