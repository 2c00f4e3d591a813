"""A between-chunks timeout that arms one timer per period, not one per chunk.

``asyncio.timeout()`` around every chunk creates and cancels a timer handle
per chunk. Under qasync a cancelled timer stays alive until its deadline
would have passed, so a 60-second idle timeout around each of thousands of
chunks kept tens of thousands of handles alive: memory grew by hundreds of
megabytes in the soak benchmark. ``IdleTimer`` instead keeps one timer; when
it fires early (data arrived meanwhile) it re-arms for the time left.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


class IdleTimer:
    """Raises ``TimeoutError`` from :meth:`wait` when one wait lasts ``seconds``."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._loop = asyncio.get_running_loop()
        self._handle: asyncio.TimerHandle | None = None
        self._deadline = 0.0
        self._waiting: asyncio.Task[object] | None = None
        self._fired = False

    async def wait(self, awaitable: Awaitable[T]) -> T:
        """Await ``awaitable``; ``TimeoutError`` if it takes ``seconds`` or more."""
        task = asyncio.current_task()
        assert task is not None, "IdleTimer.wait runs inside a task"
        self._deadline = self._loop.time() + self.seconds
        self._fired = False
        if self._handle is None:
            self._handle = self._loop.call_at(self._deadline, self._fire)
        self._waiting = task
        try:
            return await awaitable
        except asyncio.CancelledError:
            if self._fired:
                task.uncancel()
                raise TimeoutError from None
            raise
        finally:
            self._waiting = None

    def close(self) -> None:
        """Stop the timer (the stream ended or was abandoned)."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _fire(self) -> None:
        self._handle = None
        if self._waiting is None:
            return  # between waits: the next wait arms a fresh timer
        left = self._deadline - self._loop.time()
        if left > 0:
            self._handle = self._loop.call_at(self._deadline, self._fire)
            return
        self._fired = True
        self._waiting.cancel()
