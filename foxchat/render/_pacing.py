"""How often the open block of a streaming reply is parsed and laid out again.

New text that only grows the open block cheaply (plain words, code in an open
fence) is shown on the next frame. Text that needs the open block parsed and
laid out again costs in proportion to the whole block, not to the new text: a
20,000-character paragraph with some emphasis in it, re-rendered on every
frame, took 4.8 s of main-thread work in all and 52 ms for its last updates,
three dropped frames each. So such an update is paced:

- it happens at once when the new text is at least ``growth_ratio`` times the
  open block shown so far plus ``fixed_chars``, so the block's total
  re-rendering stays a small multiple of rendering it once (each re-render
  pays for itself in new text, as a growing array doubles). ``fixed_chars``
  is the part of a re-render that does not grow with the block (starting the
  parser, Qt's edit and the layout of the changed lines): measured over a
  streamed reply, an update of a 100-character open block cost 0.4 ms and
  each further character 2 µs, so about 128 characters' worth. Without it a
  block that has just begun was parsed again on every frame for a few new
  characters: a fifth of all re-parses of a long reply. The reply's first text
  (nothing open yet) still shows at once;
- otherwise it waits at most ``max_wait_frames`` frames before the new text
  shows: four, about 66 ms, still read as immediate. The window hands a reply
  on once a 50 ms step (``services.stream_pacing``); three frames (48 ms) ended
  just before the next step's text came, so every step that needed a parse had
  one of its own. Four span a step's end, so two steps' text often share one:
  measured by ``benchmarks/stream_cpu.py``, 20% fewer frames and 12% less CPU
  for the reply, the oldest waiting text's mean wait 41 ms instead of 32 ms and
  its 90th percentile 69 ms instead of 53 ms (plain words and code lines, which
  need no parse, still show on the next frame);
- but while the text ends inside a formula that has not closed yet (``$…``,
  ``\\(…``, ``$$…``, ``\\[…``), it waits, however much text came, up to
  ``formula_wait_frames`` frames longer: shown now, its LaTeX source would
  flash up as text only to turn into the typeset formula a few frames later,
  and each such update lays the paragraph with its pictures out again (on the
  math-heavy reply of ``benchmarks/render.py``, 90 updates became 64);
- and never sooner than ``busy_factor`` times the last update's own cost, so
  rendering keeps at most a quarter of the main thread however long the block
  grows, and scrolling and typing stay smooth.

Frames are counted, not clocked, so the rule behaves the same whether frames
come from the view's timer or a test.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field


def _never() -> bool:
    return False


@dataclass
class RenderPacer:
    """Frame-by-frame decision: parse the open block again now, or wait."""

    growth_ratio: float = 1.0
    fixed_chars: int = 128
    max_wait_frames: int = 4
    formula_wait_frames: int = 4
    busy_factor: float = 3.0
    frame_ms: float = 16.0
    _waited: int = field(default=0, init=False)
    _cooldown: int = field(default=0, init=False)

    def due(
        self, pending_chars: int, open_chars: int, in_formula: Callable[[], bool] = _never
    ) -> bool:
        """Whether this frame re-renders; call once per frame that needs it.

        ``in_formula`` tells whether the text ends inside a formula that has
        not closed yet, so the update waits, up to ``formula_wait_frames``
        frames longer. It reads the open paragraph, so it is asked only in
        frames that would otherwise update.
        """
        self._waited += 1
        if self._waited <= self._cooldown:
            return False
        if open_chars == 0 or self._waited >= self.max_wait_frames + self.formula_wait_frames:
            return True
        grown = pending_chars >= self.growth_ratio * (open_chars + self.fixed_chars)
        if not grown and self._waited < self.max_wait_frames:
            return False
        return not in_formula()

    def rendered(self, cost_ms: float) -> None:
        """Record an update that reached the document and what it cost."""
        self._waited = 0
        self._cooldown = max(0, math.ceil(self.busy_factor * cost_ms / self.frame_ms) - 1)


@dataclass
class FrameBudget:
    """Re-parses several streaming views may do in one frame, shared between them.

    Compare streams up to four answers at once. Each view paces itself, but
    four open blocks due in the same frame would cost four re-parses in it;
    with a shared budget of one, the others show their cheap growth now and
    take their turn in the next frames. The owner calls :meth:`tick` once per
    frame (counted, not clocked, as the pacer is).
    """

    parses_per_frame: int = 1
    _spent: int = field(default=0, init=False)

    def tick(self) -> None:
        """A new frame: the budget is whole again."""
        self._spent = 0

    def take(self) -> bool:
        """Spend one re-parse of this frame, if any is left."""
        if self._spent >= self.parses_per_frame:
            return False
        self._spent += 1
        return True
