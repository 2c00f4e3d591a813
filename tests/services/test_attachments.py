"""Preparing attachments on worker threads: what each job leaves behind in memory."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from foxchat.paths import database_path
from foxchat.services.attachments import AttachmentService, PixelBuffer
from foxchat.store import Store

WIDTH, HEIGHT = 5472, 3648  # 20 megapixels, as a phone photo pasted


def _resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line")


@pytest.fixture
def service() -> Iterator[AttachmentService]:
    with Store.open(database_path()) as store:
        loader = AttachmentService(store, max_side=lambda: 2048)
        yield loader
        loader.shutdown()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; glibc's allocator")
def test_pasted_photos_leave_no_memory_behind_once_prepared(
    qtbot: QtBot, service: AttachmentService
) -> None:
    pixels = bytes(range(256)) * (WIDTH * HEIGHT * 4 // 256)
    done: list[int] = []
    service.ready.connect(lambda job, _attachment: done.append(job))

    def paste(size: tuple[int, int]) -> None:
        def source() -> PixelBuffer:
            return PixelBuffer("RGBA", size, memoryview(pixels)[: size[0] * size[1] * 4], 0, "BGRA")

        job = service.attach_pixels("Pasted image.png", source)
        qtbot.waitUntil(lambda: job in done, timeout=30_000)

    paste((64, 64))  # Pillow loaded, the worker started: not what is measured
    gc.collect()
    before = _resident_mb()
    for _ in range(3):
        paste((WIDTH, HEIGHT))
    gc.collect()
    # Each 20-megapixel image needs about 80 MB while it is prepared; without
    # giving that back, glibc kept about 100 MB of it after three (0.2 MB with).
    grown = _resident_mb() - before
    assert grown < 6, f"{grown:.1f} MB kept"
