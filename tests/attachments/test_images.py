"""Images are scaled, turned upright and stripped of every bit of metadata before sending."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from foxchat.attachments import (
    AttachmentError,
    image_from_bytes,
    image_from_pixels,
    looks_like_image,
)
from tests.attachments import samples


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_large_photo_is_scaled_to_the_longest_side_and_sent_as_jpeg() -> None:
    result = image_from_bytes(samples.photo_jpeg(3000, 2000), "holiday.jpeg", max_side=2048)
    assert (result.width, result.height) == (2048, 1365)
    assert result.mime == "image/jpeg"
    assert result.name == "holiday.jpg"
    sent = _open(result.data)
    assert sent.format == "JPEG"
    assert sent.size == (2048, 1365)


def test_the_longest_side_follows_the_setting() -> None:
    result = image_from_bytes(samples.photo_jpeg(1200, 1600), "p.jpg", max_side=512)
    assert (result.width, result.height) == (384, 512)
    assert max(_open(result.thumbnail).size) <= 192


def test_a_small_image_keeps_its_size() -> None:
    result = image_from_bytes(samples.photo_jpeg(640, 480), "p.jpg", max_side=2048)
    assert (result.width, result.height) == (640, 480)


def test_exif_orientation_is_applied_and_all_metadata_with_gps_is_gone() -> None:
    raw = samples.photo_jpeg(800, 600, orientation=6)
    assert _open(raw).getexif().get_ifd(samples.GPS_IFD)  # the sample really has GPS
    result = image_from_bytes(raw, "p.jpg", max_side=2048)
    # Orientation 6: shown turned a quarter clockwise, so the red left half is on top.
    assert (result.width, result.height) == (600, 800)
    sent = _open(result.data).convert("RGB")
    top = sent.getpixel((300, 20))
    bottom = sent.getpixel((300, 780))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 180 and top[1] < 80
    assert not (bottom[0] > 180 and bottom[1] < 80)
    assert dict(_open(result.data).getexif()) == {}
    assert b"Exif" not in result.data and b"FoxCam" not in result.data
    assert _open(result.data).info.get("icc_profile") is None


def test_a_screenshot_stays_png_without_its_text_chunks() -> None:
    result = image_from_bytes(samples.screenshot_png(1280, 720), "shot.png", max_side=2048)
    assert result.mime == "image/png"
    assert (result.width, result.height) == (1280, 720)
    assert b"test machine" not in result.data
    assert _open(result.data).info == {}


def test_transparency_is_kept_as_png() -> None:
    result = image_from_bytes(
        samples.screenshot_png(300, 200, alpha=True), "logo.png", max_side=2048
    )
    assert result.mime == "image/png"
    assert _open(result.data).mode == "RGBA"


def test_raw_pixels_from_the_clipboard_become_an_image() -> None:
    pixels = Image.new("RGBA", (4000, 3000), (10, 200, 30, 255)).tobytes()
    result = image_from_pixels("RGBA", (4000, 3000), pixels, "Pasted image", max_side=2048)
    assert (result.width, result.height) == (2048, 1536)
    assert result.mime == "image/png"
    assert result.name == "Pasted image.png"


def test_a_corrupt_image_says_so() -> None:
    raw = samples.photo_jpeg(200, 100)[:300]
    with pytest.raises(AttachmentError, match=r"The image broken\.jpg could not be read"):
        image_from_bytes(raw, "broken.jpg", max_side=2048)
    with pytest.raises(AttachmentError, match="could not be read"):
        image_from_bytes(b"not an image at all", "fake.png", max_side=2048)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` over a few bytes of data: a bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )


def test_a_20000_by_20000_image_is_refused_before_it_is_decoded() -> None:
    with pytest.raises(AttachmentError, match=r"20,000 × 20,000 pixels, too large to open"):
        image_from_bytes(_png_header_only(20_000, 20_000), "bomb.png", max_side=2048)


def test_image_formats_are_recognised_by_their_first_bytes() -> None:
    assert looks_like_image(samples.photo_jpeg(10, 10)[:16])
    assert looks_like_image(samples.screenshot_png(10, 10)[:16])
    assert not looks_like_image(b"%PDF-1.4\n")
