"""A fast stream's text handed on 20 times a second, and its socket read about as often.

A model may send 400 small chunks a second. Each chunk read from the socket
costs the event loop a wake-up (under qasync a socket notifier and two timers,
then httpx's and h11's machinery), and each ``reply_delta`` a run through the
window's slots: together that was most of what a reply cost outside drawing.
Text that reads smoothly needs far fewer steps than that, so ``StreamPacer``:

- hands on text at most once a step (``STEP_S``, every third frame at 60
  Hz): the first words at once, then what arrived meanwhile in one go;
- when the stream runs dry (an event had to be waited for), pauses the reading
  until a step after its last pause, so what arrives meanwhile is read from
  the socket at once.

A stream slower than one event a step is never held back, a burst already
read is handed on without pauses (a step's worth at a time), and no text
waits more than about a step: the end of a burst that no event follows for a
while (a model thinking mid-reply) goes out on a timer. ``benchmarks/stream_cpu.py`` measured a step
of one frame (16 ms) at twice the per-chunk CPU of a 33 ms one, and a 33 ms
step at about a third more per-chunk CPU than this one (each step costs
socket reads, loop callbacks and a frame, however much text it brings).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import asyncio

#: One step: how long text may wait, and the shortest time between pauses.
STEP_S: Final = 0.050
#: An event that took longer than this to come was waited for: the stream ran dry.
DRY_S: Final = 0.0005


class StreamPacer:
    """Collects a reply's text and hands it on as the module docstring says.

    ``hand_on(content, reasoning)`` is called with the text collected since the
    last time; call ``add`` for each event's text, ``after_event`` after the
    events of each read (or each event), and ``flush`` when the stream ends,
    however it ends.
    """

    def __init__(
        self, hand_on: Callable[[str, str], None], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._hand_on = hand_on
        self._clock = clock
        self._content: list[str] = []
        self._reasoning: list[str] = []
        #: Characters collected and not handed on yet.
        self.waiting_content = 0
        self.waiting_reasoning = 0
        now = clock()
        #: When text was last handed on; a step ago at first, so the first words go at once.
        self._handed_at = now - STEP_S
        self._asked_at = now  # when the reader last asked for the next event
        self._read_again_at = now
        #: Hands on the end of a burst when no event follows it in time.
        self._timer: asyncio.TimerHandle | None = None

    def add(self, content: str = "", reasoning: str = "") -> None:
        """Text that just arrived."""
        if content:
            self._content.append(content)
            self.waiting_content += len(content)
        if reasoning:
            self._reasoning.append(reasoning)
            self.waiting_reasoning += len(reasoning)

    def flush(self) -> None:
        """Hand on whatever was collected."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not (self._content or self._reasoning):
            return
        self._handed_at = self._clock()
        content, reasoning = "".join(self._content), "".join(self._reasoning)
        self._content.clear()
        self._reasoning.clear()
        self.waiting_content = self.waiting_reasoning = 0
        self._hand_on(content, reasoning)

    async def after_event(self) -> None:
        """After each read's events: hand text on once a step, pause when the stream ran dry."""
        now = self._clock()
        if now - self._handed_at >= STEP_S:
            self.flush()
        elif self._timer is None and (self._content or self._reasoning):
            import asyncio  # here: the window's first frame is drawn before asyncio loads

            wait = self._handed_at + STEP_S - now
            self._timer = asyncio.get_running_loop().call_later(wait, self._on_timer)
        if now - self._asked_at >= DRY_S:
            # The stream ran dry: what arrives until a step after the last
            # pause is then read from the socket in one go.
            if now < self._read_again_at:
                import asyncio

                await asyncio.sleep(self._read_again_at - now)
                now = self._clock()
            self._read_again_at = now + STEP_S
        self._asked_at = self._clock()

    def _on_timer(self) -> None:
        self._timer = None
        self.flush()
