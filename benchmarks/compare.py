"""Four compared answers streaming at once: the GUI thread's worst and p99 frame.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.compare [--cpu] [--lockstep]

A real ``CompareView`` with four columns (the most Compare offers), 1280 px
wide, each streaming 20,000 characters of the render benchmark's realistic
Markdown reply, each starting at another place in it (four answers differ:
the same text in lockstep would make every column re-parse its open block
in the same frame, which ``--lockstep`` shows). Measured as
``benchmarks.render`` measures one reply: the clock is simulated, 16 chunks of
4 characters reach each column per 16 ms frame, and each frame runs what the
view's clock runs (``CompareView.frame``: every column's ``MarkdownView.frame``,
one re-parse at most among them), the layout each column forces
(``heightForWidth`` at the column's width) and the event processing that
paints it; a frame that changed a document is an update. The window is drawn
as the app draws it, in its light theme (Fusion and the app's style sheet):
without it, Fusion's gradient scroll bars, which the app never shows, were
about half of the painting.
Targets (issue 19): worst update at most 16 ms, p99 at most 8 ms. Then the
probability view is timed as ``benchmarks.token_view`` does (median of 7).

With ``--cpu`` every figure is the main thread's CPU time
(``time.thread_time``) instead of wall time, as in ``benchmarks.render``: on a
machine shared with other busy processes, wall time also counts the moments
another process had the core. Wall time stays the default (the targets are
about what a person sees).

Last line: ``compare: four_streams_worst_update_ms=… four_streams_p99_update_ms=…
logprobs_view_ms=…``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from benchmarks.render import CHUNK_CHARS, CHUNKS_PER_FRAME, realistic_reply
from foxchat.settings import DEFAULT_FONT_SIZE
from foxchat.ui.compare.compare_view import CompareView
from foxchat.ui.theme import apply_theme

COLUMNS = 4
REPLY_CHARS = 20_000
SHIFT = 1_500  # characters between the starting points of the columns' texts
WINDOW = (1280, 800)


def stream_four(
    app: QApplication,
    *,
    lockstep: bool = False,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[list[float], int]:
    """Frame times (ms by ``clock``) of the frames that updated a document, and the frame count."""
    view = CompareView(own_clock=False)  # frames counted, not clocked
    view.resize(*WINDOW)
    view.start(1, "Explain it four ways.", [(n, f"temperature 0.{n}") for n in range(COLUMNS)])
    view.show()
    app.processEvents()
    whole = realistic_reply(REPLY_CHARS + COLUMNS * SHIFT)
    texts = [
        whole[:REPLY_CHARS] if lockstep else whole[n * SHIFT : n * SHIFT + REPLY_CHARS]
        for n in range(COLUMNS)
    ]
    chunked = [[t[i : i + CHUNK_CHARS] for i in range(0, len(t), CHUNK_CHARS)] for t in texts]
    columns = list(view.columns.values())
    updates: list[float] = []
    frames = 0
    for start in range(0, len(chunked[0]), CHUNKS_PER_FRAME):
        for column, chunks in zip(columns, chunked, strict=True):
            for chunk in chunks[start : start + CHUNKS_PER_FRAME]:
                column.append(chunk)
        before = sum(c.text.render_count for c in columns)
        began = clock()
        view.frame()  # what the view's 16 ms clock runs
        for column in columns:
            column.text.heightForWidth(column.text.width())
        app.processEvents()
        elapsed = (clock() - began) * 1000
        frames += 1
        if sum(c.text.render_count for c in columns) != before:
            updates.append(elapsed)
    for (reply_id, column), text in zip(view.columns.items(), texts, strict=True):
        view.finish(reply_id, "complete", None, text)
        assert column.text.markdown() == text
    view.close()
    view.deleteLater()
    # processEvents() outside a running loop leaves deferred deletes queued: without
    # this the finished views (80,000 characters of documents) outlive the run and
    # weigh on whatever is measured next.
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    return updates, frames


def main() -> None:
    """Print the figures and the summary line."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_theme(app, "light", DEFAULT_FONT_SIZE)  # as the app starts
    lockstep = "--lockstep" in sys.argv[1:]
    clock = time.thread_time if "--cpu" in sys.argv[1:] else time.perf_counter
    stream_four(app, lockstep=lockstep, clock=clock)  # warm caches (lexers, fonts)
    updates, frames = stream_four(app, lockstep=lockstep, clock=clock)
    p99 = statistics.quantiles(updates, n=100)[98]
    print(f"compare: {COLUMNS} columns of {REPLY_CHARS} chars, {frames} frames")
    print(f"{len(updates)} frames updated a document")
    print(
        f"worst {max(updates):.1f} ms, p99 {p99:.1f} ms, median {statistics.median(updates):.2f} ms"
    )

    from benchmarks.token_view import stored_reply, view_times

    times = view_times(app, stored_reply(), clock=clock)
    print(f"clock: {'main-thread CPU' if clock is time.thread_time else 'wall'}")
    print(
        f"compare: four_streams_worst_update_ms={max(updates):.1f} "
        f"four_streams_p99_update_ms={p99:.1f} logprobs_view_ms={statistics.median(times):.1f}"
    )


if __name__ == "__main__":
    main()
