"""Stream a 50,000-character reply into the real MarkdownView and time the render work.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.render [--cpu]

Chunks of 4 characters arrive at 1,000 per second, so 16 arrive in each 16 ms
frame; the view's coalescing turns each frame into one update at most (what
its frame timer runs: ``MarkdownView.frame``, which shows growth at once and
paces re-parsing the open block, see ``foxchat.render.RenderPacer``). The clock
is simulated (16 chunks, then the frame) so figures do not depend on timer
jitter; frames are counted, not clocked, by the pacer too. Every frame is
timed including the layout the message column forces through
``heightForWidth`` and the event processing that follows it (the repaint);
the total adds every frame and every frame's ``append_text`` calls, and the update
figures are over the frames that changed the document. After one warm-up of
each (``warm``), five rounds of a one-shot render and of our stream (each in
a fresh view) take turns, so load from other processes falls on both alike;
the median stream (by total time) is reported against the best one-shot
(render, layout and first paint). The
math-heavy reply is measured the same way. The same stream is then fed once
to a naive view that re-renders the whole reply with ``setHtml`` on every
update.

With ``--cpu`` every figure is the main thread's CPU time
(``time.thread_time``) instead of wall time: on a machine shared with other
busy processes, wall time counts the moments another process had the core,
which fall unevenly on the one-shot and the streams.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from functools import partial

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from foxchat.render import RenderCache, render_markdown
from foxchat.ui.messages.markdown_view import MarkdownView

TARGET_CHARS = 50_000
MATH_CHARS = 20_000
CHUNK_CHARS = 4
CHUNKS_PER_FRAME = 16  # 1,000 chunks/s over a 16 ms frame
WIDTH = 700
RUNS = 5  # our stream is run this many times; the median run is reported

_SECTION = """## {n}. Handling {topic}

When you work with {topic}, the main thing to remember is that **every step** must be
checked. The library gives you a *small* API, and the rest is up to you. In practice
this means reading the errors carefully and retrying with a back-off when the server
says so; see [the guide](https://example.com/guide/{n}) for the details.

Steps:
1. Install the package with `pip install {topic}-client`.
2. Configure it:
   - set `TIMEOUT` to a sane value
   - enable retries
     - but cap them at 3
3. Run the checks below.

| Setting | Default | Meaning |
|---------|---------|---------|
| `timeout` | `30` | seconds before giving up |
| `retries` | `3` | attempts \\| including the first |
| `backoff` | `0.5` | growth factor |

```python
import asyncio

async def fetch_{n}(client, url: str) -> bytes:
    \"\"\"Fetch a URL, retrying on server errors.\"\"\"
    for attempt in range(3):
        response = await client.get(url, timeout=30)
        if response.status_code < 500:
            return response.content
        await asyncio.sleep(0.5 * 2**attempt)
    raise RuntimeError(f"{{url}} failed after 3 attempts")
```

> **Note:** the cost is $O(n \\log n)$ in the worst case, and \\(O(n)\\) on average.

"""

_TOPICS = ["caching", "queues", "sockets", "uploads", "sessions", "logging", "metrics", "auth"]


_MATH_SECTION = r"""### NUM. A worked example

Let $f(x) = a_NUM x^2 + b x + c$ with $a \neq 0$. Its roots are

$$
x_{1,2} = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}
$$

and their sum is \(x_1 + x_2 = -\frac{b}{a}\). For the series
$\sum_{k=1}^{NUM} k^2 = \frac{NUM(NUM+1)(2 \cdot NUM+1)}{6}$ we check small cases, and
the integral

\[
\int_0^{NUM} e^{-t^2}\,dt \approx \frac{\sqrt{\pi}}{2}
\]

converges. The matrix $\begin{pmatrix} NUM & 1 \\ 0 & NUM \end{pmatrix}$ has
determinant $NUM^2$, and prices such as $5 and $10 stay text.

"""


def math_reply(chars: int = MATH_CHARS) -> str:
    """A reply dense with inline and display math (issue 20), about ``chars`` long."""
    parts = ["# Some mathematics\n\n"]
    n = 0
    while sum(map(len, parts)) < chars:
        n += 1
        parts.append(_MATH_SECTION.replace("NUM", str(n)))
    return "".join(parts)[:chars]


def realistic_reply(chars: int = TARGET_CHARS) -> str:
    """Prose, nested lists, tables, several code blocks and math, about ``chars`` long."""
    parts = ["# A complete guide\n\nHere is everything you asked for, section by section.\n\n"]
    n = 0
    while sum(map(len, parts)) < chars:
        n += 1
        parts.append(_SECTION.format(n=n, topic=_TOPICS[n % len(_TOPICS)]))
    return "".join(parts)[:chars]


#: What ``timed`` reads: wall time, or the main thread's CPU time with ``--cpu``.
_clock: Callable[[], float] = time.perf_counter


def timed(*actions: Callable[[], object]) -> float:
    """Milliseconds spent running ``actions`` one after the other (by ``_clock``)."""
    start = _clock()
    for action in actions:
        action()
    return (_clock() - start) * 1000


class NaiveView(MarkdownView):
    """Re-renders the whole reply with setHtml on every frame."""

    def frame(self) -> None:
        self.setHtml(render_markdown(self.markdown()).rstrip())


def stream(view: MarkdownView, text: str, app: QApplication) -> tuple[list[float], float, int]:
    """Times (ms) of the frames that updated the document, the total main-thread
    time (ms) for the stream, and the number of frames."""
    chunks = [text[i : i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS)]
    updates: list[float] = []
    frames = 0
    total = timed(view.begin_stream)
    lay_out = partial(view.heightForWidth, WIDTH)  # what the message column asks
    for start in range(0, len(chunks), CHUNKS_PER_FRAME):
        # One clock reading around the frame's chunks, not one per chunk: reading
        # the clock costs about as much as ``append_text`` itself, and two
        # readings per chunk added 8 ms (a tenth of a one-shot) to the total.
        total += timed(
            *(
                partial(view.append_text, chunk)
                for chunk in chunks[start : start + CHUNKS_PER_FRAME]
            )
        )
        renders = view.render_count
        frame_ms = timed(view.frame, lay_out, app.processEvents)
        frames += 1
        total += frame_ms
        # A frame whose text waits for the pacer is not an update (its cost is in the total).
        if view.render_count != renders or isinstance(view, NaiveView):
            updates.append(frame_ms)
    total += timed(view.end_stream, lay_out, app.processEvents)
    return updates, total, frames


def one_shot(text: str, app: QApplication) -> float:
    view = MarkdownView(cache=RenderCache())
    view.resize(WIDTH, 400)
    view.show()
    app.processEvents()
    elapsed = timed(
        partial(view.set_markdown, text), partial(view.heightForWidth, WIDTH), app.processEvents
    )
    view.deleteLater()
    return elapsed


def warm(text: str, app: QApplication) -> None:
    """Render ``text`` once each way, outside the figures: the first one-shot loads
    lexers, styles and fonts, the first stream the streaming renderer's modules
    (and its view learns code line formats), as a window has done by its
    second reply."""
    one_shot(text, app)
    view = MarkdownView()
    view.resize(WIDTH, 400)
    view.show()
    stream(view, text, app)
    view.deleteLater()
    app.processEvents()


def md4c_one_shot(text: str) -> float:
    document = QTextDocument()
    document.setTextWidth(WIDTH)
    return timed(partial(document.setMarkdown, text), document.size)


def _math_run(app: QApplication) -> str:
    """The math-heavy reply, streamed the same way; its summary line (issue 20).

    Like the main reply: ``RUNS`` rounds of a one-shot and a stream, taking
    turns; the best one-shot and the median stream (by total) are reported,
    and each finished stream must equal the one-shot document.
    """
    text = math_reply()
    warm(text, app)  # the first formula also loads the typesetter
    oneshots: list[float] = []
    runs: list[tuple[float, list[float]]] = []
    for _ in range(RUNS):
        oneshots.append(one_shot(text, app))
        view = MarkdownView()
        view.resize(WIDTH, 400)
        view.show()
        updates, total, _frames = stream(view, text, app)
        runs.append((total, updates))
        expected = MarkdownView(cache=RenderCache())
        expected.set_markdown(text)
        assert view.document().toHtml() == expected.document().toHtml(), "math: not one-shot"
        for done in (view, expected):
            done.deleteLater()
        app.processEvents()
    oneshot_ms = min(oneshots)
    runs.sort(key=lambda run: run[0])
    total, updates = runs[len(runs) // 2]
    p99 = statistics.quantiles(updates, n=100)[98]
    return (
        f"math: {len(text)} chars, one-shot {oneshot_ms:.1f} ms, "
        f"total_vs_oneshot={total / oneshot_ms:.2f} worst_update_ms={max(updates):.1f} "
        f"p99_update_ms={p99:.1f}"
    )


def main() -> None:
    global _clock
    if "--cpu" in sys.argv[1:]:
        _clock = time.thread_time
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    text = realistic_reply()
    warm(text, app)
    md4c_ms = min(md4c_one_shot(text) for _ in range(3))

    # RUNS rounds of a one-shot and one of our streams (each in a fresh view),
    # taking turns so that load from other processes falls on both alike: the
    # best one-shot and the median stream (by total time) are compared.
    oneshots: list[float] = []
    runs: list[tuple[float, list[float]]] = []
    for _ in range(RUNS):
        oneshots.append(one_shot(text, app))
        ours = MarkdownView()
        ours.resize(WIDTH, 400)
        ours.show()
        run_updates, run_total, frames = stream(ours, text, app)
        runs.append((run_total, run_updates))
        expected = MarkdownView(cache=RenderCache())
        expected.set_markdown(text)
        assert ours.document().toHtml() == expected.document().toHtml(), "not equal to one-shot"
        for view in (ours, expected):
            view.deleteLater()
        app.processEvents()
    oneshot_ms = min(oneshots)
    runs.sort(key=lambda run: run[0])
    total, updates = runs[len(runs) // 2]

    naive = NaiveView()
    naive.resize(WIDTH, 400)
    naive.show()
    naive_updates, naive_total, _ = stream(naive, text, app)

    p99 = statistics.quantiles(updates, n=100)[98]
    naive_p99 = statistics.quantiles(naive_updates, n=100)[98]
    math_line = _math_run(app)
    print(f"reply: {len(text)} chars in {frames} frames of {CHUNKS_PER_FRAME} chunks")
    print(f"ours updated the document in {len(updates)} of them (the rest waited for the pacer)")
    print(f"one-shot (markdown-it-py, setHtml, layout, paint), best of {RUNS}: {oneshot_ms:.1f} ms")
    print(f"one-shot md4c (QTextDocument.setMarkdown + layout): {md4c_ms:.1f} ms")
    print(f"ours, median of {RUNS} runs; their totals: {[round(run[0]) for run in runs]} ms")
    print(
        f"ours:  total {total:.0f} ms, worst {max(updates):.1f} ms, "
        f"p99 {p99:.1f} ms, median {statistics.median(updates):.2f} ms"
    )
    print(
        f"naive: total {naive_total:.0f} ms, worst {max(naive_updates):.1f} ms, "
        f"p99 {naive_p99:.1f} ms, total_vs_oneshot {naive_total / oneshot_ms:.1f}"
    )
    print(math_line)
    print(f"clock: {'main-thread CPU' if _clock is time.thread_time else 'wall'}")
    print(
        f"render: total_vs_oneshot={total / oneshot_ms:.2f} worst_update_ms={max(updates):.1f} "
        f"p99_update_ms={p99:.1f} naive_vs_ours={naive_total / total:.1f}"
    )
    naive.deleteLater()
    app.processEvents()


if __name__ == "__main__":
    main()
