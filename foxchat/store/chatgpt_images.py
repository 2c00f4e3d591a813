"""The image files of a ChatGPT export, found in its zip by their asset pointers.

A ChatGPT message names an image by an "asset pointer" such as
``file-service://file-AbC123`` (newer exports: ``sediment://file_00…``); the
export's zip holds the file under a name that starts with that id, often
followed by the original name (``file-AbC123-Screenshot.png``), in the top
folder or a sub-folder. ``ImageFiles`` indexes the zip's names once and turns
each image found into an :class:`Attachment` the way a pasted one is (scaled,
upright, metadata gone). An image it cannot find or read gives None, and the
message keeps "[image]" in its place.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from types import TracebackType
from typing import Final, Self

from foxchat.attachments import (
    DEFAULT_MAX_IMAGE_SIDE,
    MAX_FILE_BYTES,
    Attachment,
    AttachmentError,
    image_from_bytes,
)

# What may follow the id in a file's name: the original name, or the ending.
_AFTER_ID: Final = ("-", "_", ".", " ")


class ImageFiles:
    """Images of one export zip, looked up by asset pointer; use as a context manager."""

    def __init__(self, path: Path | None) -> None:
        self._archive: zipfile.ZipFile | None = None
        self._by_name: list[tuple[str, zipfile.ZipInfo]] = []
        self._found: dict[str, Attachment | None] = {}
        if path is None or not zipfile.is_zipfile(path):
            return
        try:
            self._archive = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile):
            return  # reading the conversations says what is wrong with the file
        self._by_name = [
            (info.filename.rsplit("/", 1)[-1], info)
            for info in self._archive.infolist()
            if not info.is_dir()
        ]

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the zip."""
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    def image(self, pointer: str) -> Attachment | None:
        """The image ``pointer`` names, ready to store; None when it is not there or unreadable.

        The same pointer in several messages is read once.
        """
        if pointer not in self._found:
            self._found[pointer] = self._read(pointer)
        return self._found[pointer]

    def _read(self, pointer: str) -> Attachment | None:
        file_id = pointer.rpartition("://")[2].strip("/")
        if self._archive is None or not file_id:
            return None
        for base, info in self._by_name:
            if base != file_id and not (
                base.startswith(file_id) and base[len(file_id)] in _AFTER_ID
            ):
                continue
            if info.file_size == 0 or info.file_size > MAX_FILE_BYTES:
                return None  # nothing to show, or too large to open (a zip bomb too)
            # The original name after the id when there is one ("Screenshot.png").
            name = base[len(file_id) :].lstrip("".join(_AFTER_ID[:2])) or base
            if name.startswith("."):
                name = base
            try:
                raw = self._archive.read(info)
                return image_from_bytes(raw, name, max_side=DEFAULT_MAX_IMAGE_SIDE)
            except (AttachmentError, OSError, zipfile.BadZipFile, ValueError):
                return None
        return None
