"""Images made ready to send: scaled, turned upright, re-encoded, metadata gone.

Pillow does the work, not Qt: this layer is shared with the command line and
the store, which never load Qt, and Pillow reads more formats' EXIF
orientation than ``QImageReader`` and lets a JPEG be decoded at a fraction of
its size (``draft``), which is what keeps a 20-megapixel photo fast. Callers
run these functions off the GUI thread; they touch no shared state.

What is sent never carries the original's metadata: the image is re-encoded
from its pixels alone, so EXIF (GPS position, camera, time), XMP, comments
and colour profiles are all left behind. Screenshots and drawings (few
colours) and anything with transparency become PNG, photos become JPEG.
"""

from __future__ import annotations

import io
import math
from types import ModuleType
from typing import TYPE_CHECKING, Final

from foxchat.attachments.errors import AttachmentError
from foxchat.attachments.records import (
    MAX_IMAGE_PIXELS,
    THUMBNAIL_SIDE,
    Attachment,
)
from foxchat.i18n import _

if TYPE_CHECKING:
    from PIL import Image

#: The file name endings FoxChat treats as images.
IMAGE_SUFFIXES: Final = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff")
JPEG_QUALITY: Final = 85
# A screenshot or a drawing has few distinct colours; sampled on a small grid
# it shows at most this many, where a photo shows hundreds.
_FEW_COLOURS: Final = 256
_SAMPLE_SIDE: Final = 64
# Modes Pillow scales with a proper filter as they are.
_SCALED_AS_THEY_ARE: Final = ("RGB", "RGBA", "RGBX", "L", "LA")


def looks_like_image(head: bytes) -> bool:
    """Whether the first bytes of a file are those of an image format FoxChat reads."""
    return (
        head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM"))
        or head.startswith((b"II*\x00", b"MM\x00*"))
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    )


def image_from_bytes(raw: bytes, name: str, *, max_side: int) -> Attachment:
    """An image file's bytes, ready to send (see the module docstring).

    Raises :class:`AttachmentError` for a file that is not a readable image or
    has more than ``MAX_IMAGE_PIXELS`` pixels.
    """
    Image = _pillow()
    from PIL import ImageOps, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(raw))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise _corrupt(name) from exc
    _check_pixels(image.width, image.height, name)
    try:
        scale = max_side / max(image.size)
        if image.format == "JPEG" and scale < 1:
            # Decode at 1/2, 1/4 or 1/8 scale straight away when that is still
            # at least the size wanted: most of the cost of a big photo.
            wanted = (math.ceil(image.width * scale), math.ceil(image.height * scale))
            image.draft("RGB", wanted)
        image.load()
        upright = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _corrupt(name) from exc
    return prepare_image(upright, name, max_side=max_side)


def image_from_pixels(
    mode: str,
    size: tuple[int, int],
    pixels: bytes | memoryview,
    name: str,
    *,
    max_side: int,
    stride: int = 0,
    rawmode: str = "",
) -> Attachment:
    """Raw pixels (a pasted image, as the clipboard gives it) ready to send.

    ``mode`` is the Pillow mode wanted (``"RGB"``, ``"RGBA"``), ``rawmode``
    how the bytes are laid out (``"BGRA"`` for Qt's ARGB32 on a little-endian
    machine; "" for ``mode`` itself); ``pixels`` holds ``size[1]`` rows of
    ``stride`` bytes (0: packed). Pillow reads them straight from the buffer
    and lets go of the GIL meanwhile, so the GUI thread does not wait.
    """
    _check_pixels(size[0], size[1], name)
    Image = _pillow()
    try:
        image = Image.frombuffer(mode, size, pixels, "raw", rawmode or mode, stride, 1)
    except ValueError as exc:
        raise _corrupt(name) from exc
    return prepare_image(image, name, max_side=max_side)


def prepare_image(image: Image.Image, name: str, *, max_side: int) -> Attachment:
    """Scale ``image`` to at most ``max_side`` pixels a side, encode it and make its thumbnail."""
    Image = _pillow()
    if image.mode not in _SCALED_AS_THEY_ARE:
        image = _plain_pixels(image)  # palette and 16-bit images scale badly as they are
    if max(image.size) > max_side:
        # Scaled before anything else touches every pixel: a copy of the small
        # image is cheap, one of 20 megapixels is not. reducing_gap: shrink by
        # whole factors first (cheap), then filter the rest.
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    image = _plain_pixels(image)
    as_png = image.mode == "RGBA" or _few_colours(image)
    data = _encode(image, "PNG" if as_png else "JPEG")
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return Attachment(
        kind="image",
        name=_renamed(name, ".png" if as_png else ".jpg"),
        mime="image/png" if as_png else "image/jpeg",
        data=data,
        width=image.width,
        height=image.height,
        thumbnail=_encode(thumb, "PNG" if thumb.mode == "RGBA" else "JPEG"),
    )


def _pillow() -> ModuleType:
    """Pillow's Image module, loaded on first use (the window's start never needs it)."""
    from PIL import Image

    # Pillow's own guard warns (and, at twice its limit, raises) inside
    # Image.open; FoxChat checks the size itself right after opening, before
    # any pixel is decoded, and says so in plain words. A warning would also
    # come from a worker thread where no one reads it.
    Image.MAX_IMAGE_PIXELS = None
    return Image


def _check_pixels(width: int, height: int, name: str) -> None:
    if width <= 0 or height <= 0:
        raise _corrupt(name)
    if width * height > MAX_IMAGE_PIXELS:
        raise AttachmentError(
            _(
                "The image {name} is {width:,} × {height:,} pixels, too large to open safely "
                "(FoxChat opens images up to {megapixels} megapixels). "
                "Save a smaller copy of it and attach that."
            ).format(
                name=name, width=width, height=height, megapixels=MAX_IMAGE_PIXELS // 1_000_000
            )
        )


def _corrupt(name: str) -> AttachmentError:
    return AttachmentError(
        _(
            "The image {name} could not be read: the file may be damaged or in a format "
            "FoxChat does not know. Open it in an image viewer and save it again as PNG or JPEG."
        ).format(name=name)
    )


def _plain_pixels(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when some pixel is really transparent; no metadata at all."""
    transparent = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if transparent:
        image = image.convert("RGBA")
        if image.getchannel("A").getextrema()[0] == 255:
            image = image.convert("RGB")
    elif image.mode != "RGB":
        image = image.convert("RGB")
    else:
        image = image.copy()
    # A copy or conversion keeps ``info`` (EXIF, ICC profile, XMP, comments);
    # without it the encoders have nothing to write but pixels.
    image.info.clear()
    return image


def _few_colours(image: Image.Image) -> bool:
    Image = _pillow()
    sample = image.resize((_SAMPLE_SIDE, _SAMPLE_SIDE), Image.Resampling.NEAREST)
    return sample.getcolors(_FEW_COLOURS) is not None


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=JPEG_QUALITY)
    else:
        image.save(out, "PNG", compress_level=6)
    return out.getvalue()


def _renamed(name: str, suffix: str) -> str:
    """``name`` with the ending of the format it is now in."""
    stem, dot, ending = name.rpartition(".")
    if dot and f".{ending.lower()}" in IMAGE_SUFFIXES:
        name = stem
    return name + suffix
