"""Freeze time of hostile replies: the longest the GUI thread is blocked showing each.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.hostile_render [--limit S]

Shapes (issue 14): ``token``, a reply holding one 1,000,000-character base64
token with no space; ``quotes``, a line of 10,000 ``>``; ``table``, a table of
50,000 columns. For each shape, each in a child process so that a freeze can
be cut off after ``--limit`` seconds (default 120; printed as ``>limit``):

- ``open``: a finished message is shown in a real ``MarkdownView`` and laid out
  at the widths a message column asks for (700, 500, 700 px), then events are
  processed: one block of the GUI thread, as when a chat is reopened.
- ``stream``: the reply arrives 1,024 characters a chunk, 8 chunks a frame;
  each frame runs ``MarkdownView.frame``, the column's layout call (at
  700 px) and the event processing, as ``benchmarks.render`` does; the end of the stream is
  one more frame. The figure is the longest frame.
- ``start``: ``python -m foxchat`` on a data dir whose only chat ends with that
  reply, with ``FOXCHAT_STARTUP_PROBE=1``: time to the window's first paint
  (ms since process start, see ``foxchat.startup_probe``), beside the same
  start with a one-word reply (``base``).

Render targets (docs/architecture.md, benchmarks/render.py): worst single
update 16 ms. Last line:
``hostile_render: token_open_ms=… token_stream_ms=… token_start_ms=… … base_start_ms=…``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

SHAPES = ("token", "quotes", "table")
MODES = ("open", "stream")
WIDTHS = (700, 500, 700)
CHUNK_CHARS = 1_024
CHUNKS_PER_FRAME = 8
REPO = Path(__file__).resolve().parents[1]
_WARM_UP = "# Hi\n\n> *a* `b` https://x.example\n\n|a|b|\n|-|-|\n|1|2|\n\n```python\nx = 1\n```\n"


def hostile_text(shape: str) -> str:
    """The reply of one shape."""
    if shape == "token":
        return "Here is the file: data:;base64," + "QUJD" * 250_000 + " (end)"
    if shape == "quotes":
        return ">" * 10_000 + " deep"
    if shape == "table":
        columns = 50_000
        return "|" + "h|" * columns + "\n|" + "-|" * columns + "\n|" + "1|" * columns + "\n"
    if shape == "base":
        return "Hello."
    raise ValueError(shape)


def _timed(*actions: Callable[[], object]) -> float:
    started = time.perf_counter()
    for action in actions:
        action()
    return (time.perf_counter() - started) * 1000


def child(shape: str, mode: str) -> float:
    """Milliseconds of the longest GUI-thread block for one shape shown one way."""
    from PySide6.QtWidgets import QApplication

    from foxchat.render import RenderCache
    from foxchat.ui.messages.markdown_view import MarkdownView

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    text = hostile_text(shape)
    view = MarkdownView(cache=RenderCache())
    view.resize(WIDTHS[0], 400)
    view.show()
    # Warm up: imports, Pygments and compiled patterns are paid once per process.
    view.set_markdown(_WARM_UP)
    view.heightForWidth(WIDTHS[0])
    app.processEvents()

    def lay_out() -> None:
        for width in WIDTHS:
            view.heightForWidth(width)

    if mode == "open":
        return _timed(lambda: view.set_markdown(text), lay_out, app.processEvents)
    chunks = [text[i : i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS)]
    # While a reply streams the column asks at its own width only.
    lay_out_once = partial(view.heightForWidth, WIDTHS[0])
    longest = _timed(view.begin_stream)
    for start in range(0, len(chunks), CHUNKS_PER_FRAME):
        for chunk in chunks[start : start + CHUNKS_PER_FRAME]:
            longest = max(longest, _timed(partial(view.append_text, chunk)))
        longest = max(longest, _timed(view.frame, lay_out_once, app.processEvents))
    return max(longest, _timed(view.end_stream, lay_out_once, app.processEvents))


def _data_dir(folder: Path, reply: str) -> None:
    from foxchat.store import Store

    with Store.open(folder / "foxchat.sqlite3") as store:
        cid = store.create_conversation(title="A hostile reply")
        asked = store.add_message(cid, parent_id=None, role="user", content="Send it")
        store.add_message(cid, parent_id=asked, role="assistant", content=reply)


def first_paint(shape: str, limit: float) -> str:
    """Time to first paint of the app reopening a chat that ends with ``shape``'s reply."""
    with tempfile.TemporaryDirectory() as folder:
        _data_dir(Path(folder), hostile_text(shape))
        env = dict(
            os.environ,
            FOXCHAT_DATA_DIR=folder,
            FOXCHAT_API_KEY="benchmark-key",
            FOXCHAT_BASE_URL="http://127.0.0.1:9/v1",  # nothing listens: no model list
            FOXCHAT_STARTUP_PROBE="1",
        )
        try:
            done = subprocess.run(
                [sys.executable, "-m", "foxchat"],
                env=env,
                capture_output=True,
                text=True,
                timeout=limit,
                cwd=REPO,
            )
        except subprocess.TimeoutExpired:
            return f">{limit * 1000:.0f}"
    for line in done.stdout.splitlines():
        if line.startswith("first-paint-ms="):
            return f"{float(line.partition('=')[2]):.0f}"
    return "failed"


def measure(shape: str, mode: str, limit: float) -> str:
    """One child's figure in ms, ``>limit`` when it froze past the limit."""
    command = [sys.executable, "-m", "benchmarks.hostile_render", "--child", shape, mode]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=limit, cwd=REPO, check=True
        )
    except subprocess.TimeoutExpired:
        return f">{limit * 1000:.0f}"
    return f"{float(done.stdout.strip().splitlines()[-1]):.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=120.0, help="seconds per child")
    parser.add_argument("--child", nargs=2, metavar=("SHAPE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(f"{child(*args.child):.3f}")
        return
    figures: dict[str, str] = {}
    for shape in SHAPES:
        for mode in MODES:
            figures[f"{shape}_{mode}_ms"] = measure(shape, mode, args.limit)
        figures[f"{shape}_start_ms"] = first_paint(shape, args.limit)
        print(
            f"{shape:>6}: open {figures[f'{shape}_open_ms']} ms, "
            f"longest stream frame {figures[f'{shape}_stream_ms']} ms, "
            f"first paint {figures[f'{shape}_start_ms']} ms",
            flush=True,
        )
    figures["base_start_ms"] = first_paint("base", args.limit)
    print(f"  base: first paint {figures['base_start_ms']} ms (a one-word reply)")
    print("hostile_render: " + " ".join(f"{key}={value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
