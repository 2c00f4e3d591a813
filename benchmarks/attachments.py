"""Attachments benchmark: a 20-megapixel image pasted into the real window and sent.

Starts ``FoxChatApp`` on a qasync loop against the fake server
(``tests/fakeserver.py``) on 127.0.0.1, then, ``--runs`` times:

- pastes a 20-megapixel (5472 × 3648) photo-like image into the composer, as
  Ctrl+V does, and times until its chip with a thumbnail has painted
  (``paste_to_chip_ms``; target: 150 ms);
- meanwhile a 1 ms timer on the GUI thread records the longest gap between
  its ticks, from the paste until the image is ready to send
  (``gui_stall_ms``; target: 16 ms, the scaling and encoding run off it);
- sends it in a new chat and waits for the reply; ``send_rss_mb`` is how much
  the process's resident memory grew over the runs after a warm-up run (what
  an image leaves behind once sent; a leak shows as growth per run). The fake
  server runs in this process and would record every request (about 0.6 MB
  of JSON per image sent): it keeps only the last one, whose images are
  counted after each run, so only FoxChat's memory is measured.

It also opens a chat of 50 messages with an image each, and the same chat
without images, to first paint (the chat shows stored thumbnails only).

``scale_20mp_ms`` times the worker's job alone: a 20-megapixel PNG file read,
scaled to 2048 pixels, re-encoded and thumbnailed (``attach_file``).
Medians of the runs. Run: ``QT_QPA_PLATFORM=offscreen python -m
benchmarks.attachments``; ``--trace`` also prints where the memory kept over
the runs was allocated (tracemalloc; slower, so its timings mean little). Last line:
``attachments: paste_to_chip_ms=… scale_20mp_ms=… gui_stall_ms=… send_rss_mb=…``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Final

WIDTH: Final = 5472
HEIGHT: Final = 3648


def resident_mb() -> float:
    """The process's resident memory now (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def photo_pixels() -> bytes:
    """RGB pixels of a 20-megapixel image with smooth gradients and noise, like a photo."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    noise = Image.effect_noise((WIDTH, HEIGHT), 24)
    image = Image.merge("RGB", [gradient, noise, gradient.transpose(Image.Transpose.ROTATE_180)])
    return image.tobytes()


def time_scaling(folder: Path, pixels: bytes, runs: int) -> float:
    """Median ms to attach a 20-megapixel PNG file (read, scale, encode, thumbnail)."""
    from PIL import Image

    from foxchat.attachments import attach_file

    path = folder / "photo-20mp.png"
    Image.frombytes("RGB", (WIDTH, HEIGHT), pixels).save(path, compress_level=1)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        attach_file(path, max_side=2048)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def seed_chats(data_dir: Path) -> tuple[int, int]:
    """A chat of 50 questions with an image each, and the same chat without images."""
    from PIL import Image

    from foxchat.attachments import image_from_pixels
    from foxchat.store import Store

    with Store.open(data_dir / "foxchat.sqlite3") as store:
        ids = []
        for title, with_images in (("Fifty photos", True), ("Fifty questions", False)):
            cid = store.create_conversation(title=title, model="gpt-4o-mini")
            parent = None
            for n in range(50):
                files = []
                if with_images:
                    noise = Image.effect_noise((1600, 1200), 20 + n).convert("RGB")
                    files = [
                        image_from_pixels(
                            "RGB", noise.size, noise.tobytes(), f"photo-{n}", max_side=2048
                        )
                    ]
                question = store.add_message(
                    cid,
                    parent_id=parent,
                    role="user",
                    content=f"What is in photo {n}?",
                    attachments=files,
                )
                parent = store.add_message(
                    cid,
                    parent_id=question,
                    role="assistant",
                    content=f"Photo {n} shows a cat.",
                )
            ids.append(cid)
    return ids[0], ids[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--trace", action="store_true", help="print what Python kept over the runs, by line"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="foxchat-attachments-"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    pixels = photo_pixels()
    scale_ms = time_scaling(folder, pixels, args.runs)

    from tests.fakeserver import FakeOpenAIServer

    with FakeOpenAIServer(max_records=1) as server:
        images_chat, text_chat = seed_chats(folder / "data")
        os.environ.update(
            FOXCHAT_DATA_DIR=str(folder / "data"),
            FOXCHAT_API_KEY="dummy",
            FOXCHAT_BASE_URL=server.base_url,
            PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        )
        sent = 0

        def count_sent() -> None:
            nonlocal sent
            last = server.requests[-1]
            sent += len(last.images) if last.path.endswith("/completions") else 0

        chip_ms, stall_ms, rss_mb, opened = run_window(
            pixels, args.runs, (images_chat, text_chat), count_sent, trace=args.trace
        )
    print(f"scale a 20-megapixel PNG file: {scale_ms:.0f} ms (median of {args.runs})")
    print(f"paste to chip painted: {chip_ms:.1f} ms; longest GUI stall: {stall_ms:.1f} ms")
    print(f"images the server received: {sent}; memory growth over the runs: {rss_mb:.1f} MB")
    print(
        f"open a chat of 50 messages with an image each: {opened[0]:.1f} ms to first paint;"
        f" the same chat without images: {opened[1]:.1f} ms"
    )
    print(
        f"attachments: paste_to_chip_ms={chip_ms:.1f} scale_20mp_ms={scale_ms:.0f} "
        f"gui_stall_ms={stall_ms:.1f} send_rss_mb={rss_mb:.1f}"
    )


def run_window(
    pixels: bytes,
    runs: int,
    chats: tuple[int, int],
    after_run: Callable[[], None],
    *,
    trace: bool = False,
) -> tuple[float, float, float, tuple[float, float]]:
    """Paste to chip ms, longest GUI stall ms, memory growth MB (medians over ``runs``),
    and ms to open the chat with images and the one without, to first paint.

    ``after_run`` is called after each send has been answered.

    With ``trace``, the Python allocations still alive after the runs that
    were not before them are printed, largest first, with their call stacks.
    """
    import qasync
    from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QTimer
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from benchmarks.window import ms_until_painted
    from foxchat.app import FoxChatApp
    from foxchat.paths import database_path
    from foxchat.settings import load_settings
    from foxchat.store import Store

    qt_app = QApplication([])
    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    store = Store.open(database_path())
    # No naming requests: they would be cut off at shutdown, and they are not measured.
    app = FoxChatApp(qt_app, store, replace(load_settings(), auto_title=False))
    window = app.window
    tray = window.composer.tray
    assert tray is not None
    image = QImage(pixels, WIDTH, HEIGHT, WIDTH * 3, QImage.Format.Format_RGB888).copy()

    async def start() -> None:
        app.start()
        await asyncio.sleep(0.2)
        while app.endpoint.busy or app.account.busy() or app.endpoint.client() is None:
            await asyncio.sleep(0.05)

    loop.run_until_complete(start())
    window.show()

    class ChipPainted(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.at: float | None = None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and watched.objectName() == "attachmentThumb":
                self.at = self.at or time.perf_counter()
            return False

    async def one_run() -> tuple[float, float]:
        watch = ChipPainted()
        qt_app.installEventFilter(watch)
        gaps: list[float] = []
        last = time.perf_counter()

        def tick() -> None:
            nonlocal last
            now = time.perf_counter()
            gaps.append((now - last) * 1000)
            last = now

        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.timeout.connect(tick)
        timer.start(1)
        await asyncio.sleep(0.05)
        gaps.clear()
        window.new_conversation()  # the history stays one image long
        mime = QMimeData()
        mime.setImageData(image)
        began = time.perf_counter()
        last = began
        window.composer.edit.insertFromMimeData(mime)
        while watch.at is None or tray.busy():
            await asyncio.sleep(0.001)
        timer.stop()
        qt_app.removeEventFilter(watch)
        assert watch.at is not None
        chip = (watch.at - began) * 1000
        window.composer.edit.setPlainText("What is in this photo?")
        window.send(window.composer.text())
        cid = window.current_id
        while cid is None or app.chat.is_streaming(cid):
            await asyncio.sleep(0.01)
            cid = window.current_id
        after_run()
        return chip, max(gaps, default=0.0)

    view = window.message_view
    opened: dict[int, list[float]] = {chats[0]: [], chats[1]: []}
    for _ in range(runs):
        for cid in chats:
            opened[cid].append(ms_until_painted(loop, view, partial(window.open_conversation, cid)))
    # Warm-up: imports, the first worker thread. Shown, as a person's first paste.
    first_chip, first_stall = loop.run_until_complete(one_run())
    print(f"first paste of the session: chip {first_chip:.1f} ms, GUI stall {first_stall:.1f} ms")
    start_snapshot = None
    if trace:
        tracemalloc.start(12)
        gc.collect()  # only what is really kept counts
        start_snapshot = tracemalloc.take_snapshot()
    before = resident_mb()
    results, after_each = [], []
    for _ in range(runs):
        results.append(loop.run_until_complete(one_run()))
        after_each.append(resident_mb())
    if trace:
        gc.collect()
    growth = resident_mb() - before
    # A leak grows with every send; a one-off step (the allocator's heaps
    # reaching their working size) happens once. Told apart, with the level.
    per_send = (after_each[-1] - after_each[0]) / max(1, runs - 1)
    print(
        f"resident memory: {before:.1f} MB before the runs, {after_each[0]:.1f} MB after the"
        f" first, {after_each[-1]:.1f} MB after the last ({per_send:+.2f} MB per later send)"
    )
    if start_snapshot is not None:
        print_kept(start_snapshot, tracemalloc.take_snapshot())
        tracemalloc.stop()

    async def stop() -> None:
        await app.shutdown()
        # Closing connections finish on the running loop, not after it.
        await asyncio.sleep(0.05)

    loop.run_until_complete(stop())
    store.close()
    return (
        statistics.median(r[0] for r in results),
        statistics.median(r[1] for r in results),
        growth,
        (statistics.median(opened[chats[0]]), statistics.median(opened[chats[1]])),
    )


def print_kept(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot) -> None:
    """The ten largest growths between two snapshots, each with where it was allocated."""
    growths = [d for d in after.compare_to(before, "traceback") if d.size_diff > 0]
    total = sum(d.size_diff for d in growths)
    print(f"Python memory kept over the runs: {total / 1e6:.1f} MB")
    for diff in growths[:10]:
        print(f"{diff.size_diff / 1e6:8.2f} MB in {diff.count_diff:+} blocks, allocated at:")
        for line in diff.traceback.format(limit=6, most_recent_first=True):
            print(f"    {line}")


if __name__ == "__main__":
    main()
