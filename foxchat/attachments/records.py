"""What an attachment is once FoxChat has read it: plain records, no behaviour.

An image is kept as it will be sent (already scaled, re-encoded, its
metadata gone), with a small thumbnail for the chat. A document keeps the
bytes of the file it came from (so an export can write the file back) and the
text that is sent in its place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

from foxchat.i18n import _, ngettext

Kind = Literal["image", "document"]
KINDS: Final[tuple[Kind, ...]] = ("image", "document")

#: The longest side, in pixels, an image is scaled down to by default.
DEFAULT_MAX_IMAGE_SIDE: Final = 2048
MIN_MAX_IMAGE_SIDE: Final = 256
MAX_MAX_IMAGE_SIDE: Final = 8192
#: A document longer than this (in characters) asks before it is sent.
DEFAULT_DOCUMENT_CHAR_LIMIT: Final = 100_000
#: The largest file FoxChat reads at all.
MAX_FILE_BYTES: Final = 100 * 1024 * 1024
#: The most pixels an image may have before it is refused as too large to open.
MAX_IMAGE_PIXELS: Final = 80_000_000
#: The longest side of the thumbnail kept for the chat.
THUMBNAIL_SIDE: Final = 192


@dataclass(frozen=True, slots=True)
class Attachment:
    """One image or document, ready to send and to store.

    ``data`` is what is sent (images) or the original file (documents);
    ``sha256`` names ``data``, so the same image pasted twice is stored once.
    """

    kind: Kind
    name: str
    mime: str
    data: bytes = field(repr=False)
    #: The text sent for a document ("" for an image).
    text: str = field(default="", repr=False)
    width: int = 0
    height: int = 0
    #: A PDF's page count (0 for anything else).
    pages: int = 0
    #: A small PNG or JPEG for chips and the chat (images only).
    thumbnail: bytes = field(default=b"", repr=False)

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of ``data``: the attachment's identity in the store."""
        import hashlib  # with its OpenSSL, only once a file is attached (after the first frame)

        return hashlib.sha256(self.data).hexdigest()

    @property
    def is_image(self) -> bool:
        """Whether this is an image (sent as an image part) rather than a document."""
        return self.kind == "image"

    def info(self) -> AttachmentInfo:
        """What a chip or the chat shows of it, without the bytes."""
        return AttachmentInfo(
            kind=self.kind,
            name=self.name,
            mime=self.mime,
            size=len(self.data),
            sha256=self.sha256,
            width=self.width,
            height=self.height,
            pages=self.pages,
            thumbnail=self.thumbnail,
            characters=len(self.text),
        )

    def estimated_tokens(self) -> int:
        """Roughly how many tokens the document's text adds (about four characters each)."""
        return (len(self.text) + 3) // 4


def describe_size(size: int) -> str:
    """A byte count as a person reads it: "812 bytes", "3.4 KB", "12.0 MB"."""
    if size < 1024:
        return ngettext("{count} byte", "{count} bytes", size).format(count=size)
    if size < 1024 * 1024:
        return _("{size:.1f} KB").format(size=size / 1024)
    if size < 1024 * 1024 * 1024:
        return _("{size:.1f} MB").format(size=size / (1024 * 1024))
    return _("{size:.1f} GB").format(size=size / (1024 * 1024 * 1024))


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    """An attachment as the chat shows it: everything but the data and the text.

    A chat with fifty images holds fifty of these (each with its small
    thumbnail), never the images themselves; the viewer asks the store for the
    data of the one it opens, by ``sha256``.
    """

    kind: Kind
    name: str
    mime: str
    size: int
    sha256: str
    width: int = 0
    height: int = 0
    pages: int = 0
    thumbnail: bytes = field(default=b"", repr=False)
    characters: int = 0

    @property
    def is_image(self) -> bool:
        """Whether this is an image rather than a document."""
        return self.kind == "image"

    def placeholder(self) -> str:
        """The line a Markdown export writes in its place, e.g. ``[image: a.png, 1280×720]``."""
        if self.is_image:
            return f"[image: {self.name}, {self.width}×{self.height}]"
        if self.pages:
            return f"[file: {self.name}, {self.pages} pages]"
        return f"[file: {self.name}, {describe_size(self.size)}]"
