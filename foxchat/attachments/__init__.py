"""Images and documents attached to a message: reading, checking and converting them.

No Qt here (the command line and the store use it too): Pillow for images,
pypdf for PDF, the standard library for text and DOCX. Every problem is an
:class:`AttachmentError` whose message names the file and says what to do.
"""

from __future__ import annotations

from foxchat.attachments.documents import decode_text, document_from_bytes
from foxchat.attachments.errors import AttachmentError
from foxchat.attachments.images import (
    IMAGE_SUFFIXES,
    image_from_bytes,
    image_from_pixels,
    looks_like_image,
)
from foxchat.attachments.loading import attach_file, read_limited
from foxchat.attachments.records import (
    DEFAULT_DOCUMENT_CHAR_LIMIT,
    DEFAULT_MAX_IMAGE_SIDE,
    KINDS,
    MAX_FILE_BYTES,
    MAX_IMAGE_PIXELS,
    MAX_MAX_IMAGE_SIDE,
    MIN_MAX_IMAGE_SIDE,
    THUMBNAIL_SIDE,
    Attachment,
    AttachmentInfo,
    Kind,
    describe_size,
)

__all__ = [
    "DEFAULT_DOCUMENT_CHAR_LIMIT",
    "DEFAULT_MAX_IMAGE_SIDE",
    "IMAGE_SUFFIXES",
    "KINDS",
    "MAX_FILE_BYTES",
    "MAX_IMAGE_PIXELS",
    "MAX_MAX_IMAGE_SIDE",
    "MIN_MAX_IMAGE_SIDE",
    "THUMBNAIL_SIDE",
    "Attachment",
    "AttachmentError",
    "AttachmentInfo",
    "Kind",
    "attach_file",
    "decode_text",
    "describe_size",
    "document_from_bytes",
    "image_from_bytes",
    "image_from_pixels",
    "looks_like_image",
    "read_limited",
]
