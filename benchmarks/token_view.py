"""Switching a 5,000-token reply to the probability view (issue 19: at most 100 ms).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.token_view

A reply of 5,000 tokens (words and punctuation of Markdown-ish prose, as
models write), each with five alternatives and probabilities spread from
sure to unsure, is kept with ``token_probs.encode`` as the app keeps it.
Each round reads it back (``decode``), builds the ``TokenView`` a reply
shows, lays it out at a message column's width (700 px) and processes the
events, as a click on "Word probabilities" does. Median and worst of 7
rounds; last line ``token_view: logprobs_view_ms=… worst_ms=…``.
"""

from __future__ import annotations

import os
import statistics
import time

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


def main() -> None:
    """Print each round and the summary line."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from foxchat.api.token_probs import StoredTokens
    from foxchat.ui.messages.token_view import TokenView

    app = QApplication.instance() or QApplication([])
    stored = stored_reply()
    print(f"token_view: {TOKENS} tokens, {len(stored) / 1024:.0f} KB stored")
    times = []
    for round_ in range(ROUNDS):
        start = time.perf_counter()
        view = TokenView(StoredTokens(stored))
        view.resize(700, 600)
        view.show()
        app.processEvents()
        times.append((time.perf_counter() - start) * 1000)
        print(f"round {round_ + 1}: {times[-1]:.1f} ms")
        view.close()
        view.deleteLater()
        app.processEvents()
    print(f"token_view: logprobs_view_ms={statistics.median(times):.1f} worst_ms={max(times):.1f}")


if __name__ == "__main__":
    main()
