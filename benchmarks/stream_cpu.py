"""CPU for one long streamed reply in the real window, split into per-chunk and per-frame work.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.stream_cpu [--runs N]``

The whole app runs as ``foxchat`` runs it (``FoxChatApp`` on a qasync loop, a
real store in a temporary data dir, the window shown) against the fake server
from ``tests/fakeserver.py``, in a child process so its CPU is not counted.
The server streams a 40,000-character Markdown reply (``benchmarks.render``'s
prose, lists, tables, code and math) in chunks of 10 characters at 400 chunks
per second, paced against its clock: 4,000 events in 10 s. One reply warms up
(lexers, fonts, caches); then ``--runs`` replies (default 3), each in a new
chat, are measured from the send until 100 ms after the reply has finished,
and the median run (by CPU) is reported.

What is counted:

- ``cpu_s``: the process's CPU time (user + system, every thread).
- ``per_chunk_s``: CPU on the GUI thread in asyncio's callbacks and qasync's
  socket wake-ups: reading the socket, decoding SSE and JSON, accumulating,
  the ``reply_delta`` signal and its slots down to ``MarkdownView.append_text``,
  and the store writes while streaming. It grows with the number of chunks.
  Printed split: handing text on (``StreamPacer.flush``: the ``reply_delta``
  signal and its slots), saving (``Store.update_streaming_text``), and the
  rest (reading the socket, HTTP, decoding, accumulating, the event loop's
  callbacks), with how many socket wake-ups and loop callbacks there were.
- ``per_frame_s``: the rest (``cpu_s - per_chunk_s``): the frame timer's render
  and document patching (``MarkdownView.frame``, also printed alone), layout,
  heights, painting, scrolling, timers, and any other thread. It grows with
  the number of frames.
- ``frames``: frames that changed the reply's document.
- ``worst_update_ms`` and the p99: GUI-thread CPU time from the start of a
  frame that changed the document until the window has painted it (the
  layout and scrolling in between included). CPU, not wall time, so that
  other processes on a shared machine do not count; wall time is printed too.

Both the text shown and the text stored are checked against the reply.
``--profile FILE`` writes a cProfile of the measured runs' GUI thread.
``--pixels`` sums the areas of the paint events the message view and its
messages get (each widget counted for what it paints, nested ones too): what
following the end of the reply repaints. Off by default, since its Python event
filter sees every event and would add to ``cpu_s``.
Last line: ``stream_cpu: cpu_s=… per_chunk_s=… per_frame_s=… frames=… worst_update_ms=…``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

CHARS = 40_000
CHUNK_CHARS = 10
RATE = 400.0  # chunks per second
#: After the reply has finished, what the end costs (last render, paint) is counted too.
SETTLE_S = 0.1
REPO = Path(__file__).resolve().parents[1]

#: The fake server in its own process, so its threads and CPU are not the app's.
SERVER_CODE = """
import sys
from pathlib import Path
from tests.fakeserver import FakeOpenAIServer, Reply
text = Path(sys.argv[1]).read_text(encoding="utf-8")
reply = Reply(text=text, chunk_size=int(sys.argv[2]), rate=float(sys.argv[3]))
with FakeOpenAIServer(default_reply=reply, max_records=10) as server:
    print(server.base_url, flush=True)
    sys.stdin.read()  # until the benchmark closes the pipe or ends us
"""


@dataclass
class Run:
    """What one measured reply cost."""

    cpu_s: float = 0.0
    per_chunk_s: float = 0.0
    hand_on_s: float = 0.0  # part of per-chunk: reply_delta and its slots
    saving_s: float = 0.0  # part of per-chunk: the store writes while streaming
    hand_ons: int = 0
    socket_wakeups: int = 0
    callbacks: int = 0  # asyncio handles run (each a Qt timer under qasync)
    frame_cpu_s: float = 0.0  # MarkdownView.frame alone (part of per-frame)
    other_threads_s: float = 0.0  # part of per-frame
    paint_s: float = 0.0  # the window's paints (part of per-frame)
    painted_px: int = 0  # the areas of the message view's paint events, summed
    paints: int = 0  # the window's paints
    frames: int = 0
    updates_ms: list[float] = field(default_factory=list)  # CPU
    updates_wall_ms: list[float] = field(default_factory=list)
    wall_s: float = 0.0

    @property
    def per_frame_s(self) -> float:
        return self.cpu_s - self.per_chunk_s


class Meter:
    """Counts CPU by kind of work on the GUI thread, and times each update until it is painted."""

    def __init__(self) -> None:
        self.chunk_s = 0.0
        self.hand_on_s = 0.0
        self.saving_s = 0.0
        self.hand_ons = 0
        self.socket_wakeups = 0
        self.callbacks = 0
        self.frame_s = 0.0
        self.paint_s = 0.0
        self.painted_px = 0
        self.paints = 0
        self.frames = 0
        self.updates_ms: list[float] = []
        self.updates_wall_ms: list[float] = []
        #: When the frame that changed the document began, until the window has painted it.
        self._update_began: tuple[float, float] | None = None  # (wall, CPU)
        self._depth = 0

    def reset(self) -> None:
        self.chunk_s = self.frame_s = self.paint_s = 0.0
        self.hand_on_s = self.saving_s = 0.0
        self.hand_ons = self.socket_wakeups = self.callbacks = 0
        self.painted_px = self.paints = 0
        self.frames = 0
        self.updates_ms = []
        self.updates_wall_ms = []
        self._update_began = None

    def timed_chunk_work(self, work: Callable[..., Any], counter: str) -> Callable[..., Any]:
        """``work`` wrapped so its thread CPU counts as per-chunk (not when nested).

        Each call adds one to the meter's attribute named ``counter``.
        """
        meter = self

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            setattr(meter, counter, getattr(meter, counter) + 1)
            if meter._depth:
                return work(*args, **kwargs)
            meter._depth += 1
            began = time.thread_time()
            try:
                return work(*args, **kwargs)
            finally:
                meter.chunk_s += time.thread_time() - began
                meter._depth -= 1

        return wrapper

    def _time_part(self, owner: Any, name: str, total: str, counter: str = "") -> None:
        """Add the thread CPU of ``owner.name`` to the meter's ``total`` (a part of per-chunk)."""
        work = getattr(owner, name)
        meter = self

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            began = time.thread_time()
            try:
                return work(*args, **kwargs)
            finally:
                setattr(meter, total, getattr(meter, total) + time.thread_time() - began)
                if counter:
                    setattr(meter, counter, getattr(meter, counter) + 1)

        setattr(owner, name, wrapper)

    def install(self) -> None:
        """Patch the places per-chunk and per-frame work go through, and the window's paint."""
        import qasync
        from PySide6.QtCore import QEvent
        from PySide6.QtWidgets import QMainWindow

        from foxchat.services.stream_pacing import StreamPacer
        from foxchat.store import Store
        from foxchat.ui.main_window import MainWindow
        from foxchat.ui.messages.markdown_view import MarkdownView

        handle_class: Any = asyncio.Handle
        handle_class._run = self.timed_chunk_work(handle_class._run, "callbacks")
        loop_class: Any = qasync._QEventLoop
        name = "_QEventLoop__on_notifier_ready"
        ready = self.timed_chunk_work(getattr(loop_class, name), "socket_wakeups")
        setattr(loop_class, name, ready)
        self._time_part(StreamPacer, "flush", "hand_on_s", "hand_ons")
        self._time_part(Store, "update_streaming_text", "saving_s")

        frame = MarkdownView.frame
        meter = self

        def timed_frame(view: MarkdownView) -> None:
            renders = view.render_count
            began_wall = time.perf_counter()
            began = time.thread_time()
            frame(view)
            meter.frame_s += time.thread_time() - began
            if view.render_count != renders:
                meter.frames += 1
                if meter._update_began is None:
                    meter._update_began = (began_wall, began)

        view_class: Any = MarkdownView
        view_class.frame = timed_frame

        def timed_event(window: QMainWindow, event: QEvent) -> bool:
            if event.type() != QEvent.Type.UpdateRequest:
                return QMainWindow.event(window, event)
            painting = time.thread_time()
            handled = QMainWindow.event(window, event)
            meter.paint_s += time.thread_time() - painting
            meter.paints += 1
            began = meter._update_began
            if began is not None:
                meter.updates_wall_ms.append((time.perf_counter() - began[0]) * 1000)
                meter.updates_ms.append((time.thread_time() - began[1]) * 1000)
                meter._update_began = None
            return handled

        window_class: Any = MainWindow
        window_class.event = timed_event


def pixel_meter(meter: Meter, shown: Any) -> Any:
    """An event filter summing the areas of the paint events ``shown`` and its children get.

    What following the end of the reply repaints: the whole visible column per
    frame when Qt cannot move the shown pixels, a strip when it can.
    """
    from collections.abc import Iterable
    from typing import cast

    from PySide6.QtCore import QEvent, QObject, QRect
    from PySide6.QtGui import QPaintEvent
    from PySide6.QtWidgets import QWidget

    class PixelMeter(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                isinstance(event, QPaintEvent)
                and isinstance(watched, QWidget)
                and (watched is shown or shown.isAncestorOf(watched))
            ):
                # PySide6 iterates a region's rectangles; its type stubs do not say so.
                rects = cast("Iterable[QRect]", event.region())
                meter.painted_px += sum(rect.width() * rect.height() for rect in rects)
            return False

    return PixelMeter()


def start_server(text_file: Path) -> tuple[subprocess.Popen[str], str]:
    """The fake server in a child process, and its base URL."""
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER_CODE, str(text_file), str(CHUNK_CHARS), str(RATE)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    base_url = (server.stdout.readline() if server.stdout else "").strip()
    if not base_url.startswith("http://127.0.0.1"):
        server.kill()
        raise SystemExit("stream_cpu: the fake server did not start")
    return server, base_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chars", type=int, default=CHARS, help="a shorter reply, to try things")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the measured runs")
    parser.add_argument(
        "--pixels", action="store_true", help="count the pixels the message view paints"
    )
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="foxchat-stream-cpu-"))
    os.environ.update(
        FOXCHAT_DATA_DIR=str(data_dir),
        FOXCHAT_API_KEY="sk-stream-cpu-dummy-key",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from benchmarks.render import realistic_reply

    text = realistic_reply(args.chars)
    text_file = data_dir / "reply.md"
    text_file.write_text(text, encoding="utf-8")
    server, base_url = start_server(text_file)
    os.environ["FOXCHAT_BASE_URL"] = base_url

    import qasync
    from PySide6.QtWidgets import QApplication

    from foxchat.app import FoxChatApp
    from foxchat.paths import database_path
    from foxchat.settings import load_settings, save_settings
    from foxchat.store import MessageStatus, Store

    # A title request would stream the same long reply beside the measured one.
    settings = load_settings()
    save_settings(replace(settings, auto_title=False))
    qt_app = QApplication([])
    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    meter = Meter()
    meter.install()  # before the window is built: its views connect the patched frame
    store = Store.open(database_path())
    app = FoxChatApp(qt_app, store, load_settings())
    if args.pixels:  # a Python filter on every event: its cost would count in cpu_s
        painted = pixel_meter(meter, app.window.message_view.viewport())
        qt_app.installEventFilter(painted)
    profiler = cProfile.Profile() if args.profile else None

    async def one_reply(*, measured: bool = True) -> Run:
        app.window.new_conversation()
        cid = app.window.current_id
        assert cid is not None
        finished = asyncio.Event()

        def on_finished(conversation_id: int, _mid: int, _status: str) -> None:
            if conversation_id == cid:
                finished.set()

        app.chat.reply_finished.connect(on_finished)
        meter.reset()
        if profiler is not None and measured:
            profiler.enable()
        wall, cpu, gui = time.perf_counter(), time.process_time(), time.thread_time()
        app.chat.send(cid, "Write me a complete guide, please.")
        await finished.wait()
        await asyncio.sleep(SETTLE_S)
        run = Run(
            cpu_s=time.process_time() - cpu,
            other_threads_s=time.process_time() - cpu - (time.thread_time() - gui),
            per_chunk_s=meter.chunk_s,
            hand_on_s=meter.hand_on_s,
            saving_s=meter.saving_s,
            hand_ons=meter.hand_ons,
            socket_wakeups=meter.socket_wakeups,
            callbacks=meter.callbacks,
            frame_cpu_s=meter.frame_s,
            paint_s=meter.paint_s,
            painted_px=meter.painted_px,
            paints=meter.paints,
            frames=meter.frames,
            updates_ms=list(meter.updates_ms),
            updates_wall_ms=list(meter.updates_wall_ms),
            wall_s=time.perf_counter() - wall,
        )
        if profiler is not None:
            profiler.disable()
        app.chat.reply_finished.disconnect(on_finished)
        reply = store.active_path(cid)[-1]
        if reply.status is not MessageStatus.COMPLETE or reply.content != text:
            raise SystemExit(
                f"stream_cpu: the stored reply is not the whole reply ({reply.status})"
            )
        shown = app.window.message_view.message_widget(reply.id)
        if shown is None or shown.text() != text:
            raise SystemExit("stream_cpu: the window does not show the whole reply")
        return run

    async def measure() -> list[Run]:
        app.start()
        while app.endpoint.client() is None or app.endpoint.busy or app.account.busy():
            await asyncio.sleep(0.05)
        warm = await one_reply(measured=False)
        print(f"warm-up: cpu {warm.cpu_s:.2f} s in {warm.wall_s:.1f} s")
        runs = []
        for n in range(1, args.runs + 1):
            run = await one_reply()
            runs.append(run)
            print(
                f"run {n}: cpu {run.cpu_s:.2f} s (per chunk {run.per_chunk_s:.2f}, per frame "
                f"{run.per_frame_s:.2f} of which MarkdownView.frame {run.frame_cpu_s:.2f}, "
                f"painting {run.paint_s:.2f} and other threads {run.other_threads_s:.2f}) "
                f"in {run.wall_s:.1f} s, {run.frames} frames, "
                f"worst update {max(run.updates_ms, default=0):.1f} ms of CPU, "
                f"{max(run.updates_wall_ms, default=0):.1f} ms of wall time; "
                f"{run.paints} window paints"
                + (f", message view {run.painted_px / 1e6:.1f} Mpx" if args.pixels else "")
            )
        await app.shutdown()
        await asyncio.sleep(0.05)
        return runs

    try:
        runs = loop.run_until_complete(measure())
    finally:
        store.close()
        server.terminate()
        server.wait(timeout=10)
    if profiler is not None:
        profiler.dump_stats(args.profile)
    runs.sort(key=lambda run: run.cpu_s)
    run = runs[len(runs) // 2]
    updates = run.updates_ms
    worst = max(updates, default=0.0)
    p99 = statistics.quantiles(updates, n=100)[98] if len(updates) > 1 else worst
    walls = run.updates_wall_ms
    wall_p99 = statistics.quantiles(walls, n=100)[98] if len(walls) > 1 else max(walls, default=0)
    chunks = -(-len(text) // CHUNK_CHARS)
    print(f"reply: {len(text)} chars in {chunks} chunks at {RATE:.0f}/s; median of {len(runs)}")
    print(
        f"per chunk {run.per_chunk_s / chunks * 1e6:.0f} µs; per frame "
        f"{run.per_frame_s / max(run.frames, 1) * 1e3:.2f} ms "
        f"(MarkdownView.frame {run.frame_cpu_s / max(run.frames, 1) * 1e3:.2f} ms); "
        f"update p99 {p99:.1f} ms, median {statistics.median(updates or [0.0]):.1f} ms "
        f"(CPU; wall: worst {max(run.updates_wall_ms, default=0):.1f} ms, p99 {wall_p99:.1f} ms)"
    )
    print(
        f"per chunk {run.per_chunk_s:.3f} s: handing text on {run.hand_on_s:.3f} s "
        f"({run.hand_ons} times), saving {run.saving_s:.3f} s, reading, decoding and the "
        f"loop's callbacks {run.per_chunk_s - run.hand_on_s - run.saving_s:.3f} s "
        f"({run.socket_wakeups} socket wake-ups, {run.callbacks} loop callbacks)"
    )
    print(
        f"stream_cpu: cpu_s={run.cpu_s:.2f} per_chunk_s={run.per_chunk_s:.2f} "
        f"per_frame_s={run.per_frame_s:.2f} frames={run.frames} worst_update_ms={worst:.1f}"
    )


if __name__ == "__main__":
    main()
