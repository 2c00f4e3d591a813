"""The one way services run asyncio work: owned tasks that wait for the loop.

The first frame is drawn by Qt's own event loop before asyncio and qasync are
loaded (``app.run_gui``), so a person can press Enter before there is a loop
to run a reply on. A task made then with ``asyncio.get_event_loop()`` landed
on a throwaway loop that never ran: the reply stayed empty, Stop did nothing
and quitting failed with "attached to a different loop". So no service makes
tasks itself. Each owns a :class:`TaskOwner`, which:

- holds work asked for before the loop runs and starts it, in order, once the
  app opens the shared :class:`LoopGate` (nothing is lost, nothing runs on a
  loop that will never run);
- keeps a reference to every task (qasync's ``asyncSlot`` keeps none, so a
  task could be garbage-collected mid-flight);
- treats ``CancelledError`` as the normal end of stopped work, and logs any
  other exception and hands the person a plain message through ``on_error``,
  so no exception is left unretrieved in a task;
- delivers a cancel asked for before the work first ran at the work's first
  ``await``, so the work's own clean-up (a stopped reply saving its state)
  always runs.

No widgets here; asyncio is imported only when work starts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from foxchat.i18n import _

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)

#: What the person reads when work failed because of a bug.
UNEXPECTED = _(
    "Something unexpected went wrong. Try again; if it keeps happening, "
    "restart FoxChat with --debug and report the log."
)

Work = Coroutine[Any, Any, None]


class LoopGate:
    """Opens once the app's asyncio loop exists; work asked for earlier waits for it.

    The composition root owns one and opens it when the loop starts. A gate
    that was never opened lets work start on whatever loop is running at the
    time, as services built on their own in tests expect.
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting: list[Callable[[asyncio.AbstractEventLoop], None]] = []

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The loop work runs on, or None while it waits."""
        if self._loop is None:
            running = _running_loop()
            if running is not None:
                self.open(running)
        return self._loop

    def open(self, loop: asyncio.AbstractEventLoop) -> None:
        """Run work on ``loop`` from now on, starting what waited, in order."""
        self._loop = loop
        waiting, self._waiting = self._waiting, []
        for start in waiting:
            start(loop)

    def when_open(self, start: Callable[[asyncio.AbstractEventLoop], None]) -> None:
        """Call ``start(loop)`` now if the loop exists, else once it does."""
        loop = self.loop
        if loop is None:
            self._waiting.append(start)
        else:
            start(loop)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    import sys

    # Before the loop starts asyncio is usually not even imported (start-up speed).
    if "asyncio" not in sys.modules:
        return None
    import asyncio

    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class OwnedTask:
    """A handle on work a :class:`TaskOwner` runs, usable before the work starts."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._task: asyncio.Task[None] | None = None
        self._started = False
        self._cancel_wanted = False
        self._finished = False
        self._done_callbacks: list[Callable[[OwnedTask], None]] = []

    def cancel(self) -> None:
        """Stop the work; if it has not run yet, at its first ``await``."""
        self._cancel_wanted = True
        if self._task is not None and self._started:
            self._task.cancel()

    @property
    def cancel_wanted(self) -> bool:
        """Whether someone asked this work to stop."""
        return self._cancel_wanted

    def done(self) -> bool:
        """Whether the work has ended (or was dropped)."""
        return self._finished

    def add_done_callback(self, callback: Callable[[OwnedTask], None]) -> None:
        """Call ``callback(self)`` once the work has ended."""
        if self._finished:
            callback(self)
        else:
            self._done_callbacks.append(callback)

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        callbacks, self._done_callbacks = self._done_callbacks, []
        for callback in callbacks:
            callback(self)

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The asyncio task, once the loop has started it."""
        return self._task


class TaskOwner:
    """Runs one service's asyncio work; see the module docstring for why."""

    def __init__(
        self,
        owner: str,
        gate: LoopGate | None = None,
        *,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self._owner = owner
        self._gate = gate if gate is not None else LoopGate()
        self._on_error = on_error
        self._live: set[OwnedTask] = set()

    def start(self, make: Callable[[], Work], *, name: str = "") -> OwnedTask:
        """Run the coroutine ``make()`` returns, now or once the loop exists.

        ``make`` is called only when the work starts, so nothing is created
        for work that is dropped or cancelled before the loop exists.
        """
        handle = OwnedTask(name or self._owner)
        self._live.add(handle)
        handle.add_done_callback(self._live.discard)
        self._gate.when_open(lambda loop: self._launch(loop, handle, make))
        return handle

    def _launch(
        self, loop: asyncio.AbstractEventLoop, handle: OwnedTask, make: Callable[[], Work]
    ) -> None:
        if loop.is_closed():
            log.warning("%s: %s dropped, the event loop is closed", self._owner, handle.name)
            handle._finish()
            return
        task = loop.create_task(self._run(handle, make), name=handle.name)
        handle._task = task
        task.add_done_callback(lambda _t: handle._finish())

    async def _run(self, handle: OwnedTask, make: Callable[[], Work]) -> None:
        import asyncio

        handle._started = True
        if handle.cancel_wanted:
            # Cancelling a task before its first step would skip the work's own
            # clean-up; this cancel arrives at its first await instead.
            task = handle._task
            if task is not None:
                asyncio.get_running_loop().call_soon(task.cancel)
        try:
            await make()
        except asyncio.CancelledError:
            raise  # Stop or quit: the normal way work ends early
        except Exception:
            log.exception("%s: %s failed unexpectedly", self._owner, handle.name)
            if self._on_error is not None:
                self._on_error(UNEXPECTED)

    @property
    def busy(self) -> bool:
        """Whether any work is waiting or running."""
        return bool(self._live)

    def cancel_all(self) -> None:
        """Stop everything, waiting or running."""
        for handle in list(self._live):
            handle.cancel()

    async def shutdown(self, grace: float = 0.0) -> None:
        """Give running work ``grace`` seconds to end, cancel the rest, wait for it."""
        import asyncio

        tasks = [h.task for h in self._live if h.task is not None]
        if grace > 0 and tasks:
            await asyncio.wait(tasks, timeout=grace)
        self.cancel_all()
        tasks = [h.task for h in self._live if h.task is not None]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        # Work still waiting for a loop that will now never run is dropped.
        for handle in list(self._live):
            if handle.task is None:
                handle._finish()
