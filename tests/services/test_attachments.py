"""Preparing attachments on worker threads: what each job leaves behind in memory.

Resident memory is read in a fresh interpreter: in the test process, what
earlier tests left running (servers, threads, caches) moves it by tens of
megabytes either way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Pastes a 20-megapixel image three times through the real AttachmentService
# (after a small one: Pillow loaded, the worker started) and prints how much
# the process's resident memory grew, in MB.
_PASTE_THREE_PHOTOS = """
import gc
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from foxchat.services.attachments import AttachmentService, PixelBuffer
from foxchat.store import Store

WIDTH, HEIGHT = 5472, 3648

def resident_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

app = QCoreApplication([])
pixels = bytes(range(256)) * (WIDTH * HEIGHT * 4 // 256)
with Store.open(Path(__import__("sys").argv[1])) as store:
    service = AttachmentService(store, max_side=lambda: 2048)
    done = []
    service.ready.connect(lambda job, _attachment: done.append(job))
    service.failed.connect(lambda job, message: print("failed", message))

    def paste(width, height):
        def source():
            view = memoryview(pixels)[: width * height * 4]
            return PixelBuffer("RGBA", (width, height), view, 0, "BGRA")
        job = service.attach_pixels("Pasted image.png", source)
        while job not in done:
            app.processEvents()

    paste(64, 64)
    gc.collect()
    before = resident_mb()
    for _ in range(3):
        paste(WIDTH, HEIGHT)
    gc.collect()
    print(f"{resident_mb() - before:.1f}")
    service.shutdown()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; glibc's allocator")
def test_pasted_photos_leave_no_memory_behind_once_prepared(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", _PASTE_THREE_PHOTOS, str(tmp_path / "chats.db")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    grown = float(done.stdout.split()[-1])
    # Each 20-megapixel image needs about 80 MB while it is prepared; without
    # giving that back, glibc kept about 100 MB of it after three (0.2 MB with).
    assert grown < 6, f"{grown:.1f} MB kept; {done.stdout} {done.stderr}"
