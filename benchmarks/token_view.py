"""Switching a 5,000-token reply to the probability view (issue 19: at most 100 ms).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.token_view [--cpu]

A reply of 5,000 tokens (words and punctuation of Markdown-ish prose, as
models write), each with five alternatives and probabilities spread from
sure to unsure, is kept with ``token_probs.encode`` as the app keeps it.
Each round reads it back (``decode``), builds the ``TokenView`` a reply
shows, lays it out at a message column's width (700 px) and processes the
events, as a click on "Word probabilities" does. Median and worst of 7
rounds (with ``--cpu``: the main thread's CPU time instead of wall time);
last line ``token_view: logprobs_view_ms=… worst_ms=…``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable

from PySide6.QtWidgets import QApplication

TOKENS = 5_000
ROUNDS = 7


def stored_reply() -> str:
    """5,000 tokens with five alternatives each, as stored."""
    from foxchat.api.events import TokenChoice
    from foxchat.api.token_probs import encode

    words = [
        "the",
        "model",
        "picks",
        "each",
        "next",
        "word",
        "from",
        "what",
        "it",
        "finds",
        "likely",
        "given",
        "the",
        "text",
        "so",
        "far",
    ]
    tokens = []
    for n in range(TOKENS):
        word = words[n % len(words)]
        token = (" " if n % 12 else "\n") + word + ("," if n % 9 == 0 else "")
        logprob = -0.02 * (n * 7919 % 200)  # 100% down to about 2%
        top = tuple((f" {w}", logprob - 0.4 * k) for k, w in enumerate(words[:5]))
        tokens.append(TokenChoice(token, logprob, top))
    return encode(tokens)


def view_times(
    app: QApplication,
    stored: str,
    rounds: int = ROUNDS,
    *,
    clock: Callable[[], float] = time.perf_counter,
) -> list[float]:
    """Milliseconds (by ``clock``) to read ``stored`` back and show it in a TokenView, per round."""
    from foxchat.api.token_probs import StoredTokens
    from foxchat.ui.messages.token_view import TokenView

    times = []
    for _ in range(rounds):
        start = clock()
        view = TokenView(StoredTokens(stored))
        view.resize(700, 600)
        view.show()
        app.processEvents()
        times.append((clock() - start) * 1000)
        view.close()
        view.deleteLater()
        app.processEvents()
    return times


def main() -> None:
    """Print each round and the summary line."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    stored = stored_reply()
    print(f"token_view: {TOKENS} tokens, {len(stored) / 1024:.0f} KB stored")
    clock = time.thread_time if "--cpu" in sys.argv[1:] else time.perf_counter
    times = view_times(app, stored, clock=clock)
    for number, elapsed in enumerate(times, start=1):
        print(f"round {number}: {elapsed:.1f} ms")
    print(f"clock: {'main-thread CPU' if clock is time.thread_time else 'wall'}")
    print(f"token_view: logprobs_view_ms={statistics.median(times):.1f} worst_ms={max(times):.1f}")


if __name__ == "__main__":
    main()
