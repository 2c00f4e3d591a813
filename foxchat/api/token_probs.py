"""Token probabilities as kept with a reply: a compact JSON list, and back.

Each token is ``[text, logprob, [[alternative, logprob], ...]]`` with the
log probabilities rounded to four places (a thousandth of a percent is more
than any view shows); a 5,000-token reply with five alternatives each is
then about 300 KB instead of the API's 1.5 MB.
"""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Sequence
from typing import Any

from foxchat.api.events import MAX_ALTERNATIVES, MAX_TOKEN_CHARS, TokenChoice


def encode(tokens: Sequence[TokenChoice]) -> str:
    """``tokens`` as the compact JSON stored with a reply."""
    return json.dumps(
        [[t.token, round(t.logprob, 4), [[a, round(p, 4)] for a, p in t.top]] for t in tokens],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode(text: str | None) -> list[TokenChoice]:
    """The tokens stored by :func:`encode`; anything malformed is skipped."""
    stored = StoredTokens(text)
    return [stored.token(i) for i in range(len(stored))]


class StoredTokens:
    """Stored tokens read lazily: text and probability for all, alternatives when asked.

    Showing 5,000 tokens needs only each token's text and probability;
    building every alternative up front took longer than drawing them.
    """

    def __init__(self, text: str | None) -> None:
        try:
            data = _loads_without_collecting(text) if text else []
        except ValueError:
            data = []
        self._rows: list[list[Any]] = [
            item
            for item in (data if isinstance(data, list) else ())
            if isinstance(item, list)
            and len(item) == 3
            and isinstance(item[0], str)
            and _logprob(item[1])
            and isinstance(item[2], list)
        ]

    def __len__(self) -> int:
        return len(self._rows)

    def text_and_probability(self, start: int = 0) -> list[tuple[str, float]]:
        """Each token's text and probability (0 to 1), in order, from token ``start``."""
        return [
            (str(row[0])[:MAX_TOKEN_CHARS], math.exp(float(row[1]))) for row in self._rows[start:]
        ]

    def token(self, index: int) -> TokenChoice:
        """Token ``index`` whole, with its alternatives."""
        token, logprob, top = self._rows[index]
        alternatives = tuple(
            (str(a[0])[:MAX_TOKEN_CHARS], float(a[1]))
            for a in top[:MAX_ALTERNATIVES]
            if isinstance(a, list) and len(a) == 2 and isinstance(a[0], str) and _logprob(a[1])
        )
        return TokenChoice(token[:MAX_TOKEN_CHARS], float(logprob), alternatives)


def _loads_without_collecting(text: str) -> Any:
    """``json.loads`` with the cycle collector paused.

    A 5,000-token reply is some 70,000 small lists, strings and floats: the
    collector ran dozens of times while they were made (29 for 3,000 tokens),
    a pass now and then walking all the app's objects, and could free nothing
    (parsed JSON holds no cycles). Those passes made the slowest showings of
    the probability view about 60 ms slower (``benchmarks/token_view.py``).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        return json.loads(text)
    finally:
        if was_on:
            gc.enable()


def _logprob(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value <= 0
    )


def probability(logprob: float) -> float:
    """The probability (0 to 1) for a log probability."""
    return math.exp(max(logprob, -700.0))


class LiveTokens:
    """A streaming reply's tokens as they arrive, read in place (nothing copied or encoded).

    The same reading surface as :class:`StoredTokens`, so a view grows from
    either; a view polling a long reply pays only for what is new.
    """

    def __init__(self, tokens: Sequence[TokenChoice]) -> None:
        self._tokens = tokens

    def __len__(self) -> int:
        return len(self._tokens)

    def text_and_probability(self, start: int = 0) -> list[tuple[str, float]]:
        """Each token's text and probability (0 to 1), in order, from token ``start``."""
        return [(t.token, probability(t.logprob)) for t in self._tokens[start:]]

    def token(self, index: int) -> TokenChoice:
        """Token ``index`` whole, with its alternatives."""
        return self._tokens[index]


#: What a token view reads: kept with a reply, or still arriving.
Tokens = StoredTokens | LiveTokens
