"""Running asyncio code under qasync in tests, the way the app runs it.

The app's services create tasks on the running qasync loop; tests drive the
same loop with ``run_until_complete`` and wait for conditions or signals
without sleeping a fixed time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import SignalInstance

T = TypeVar("T")

DEFAULT_TIMEOUT = 20.0


def run(loop: asyncio.AbstractEventLoop, work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` on the qasync loop, failing after ``DEFAULT_TIMEOUT``."""
    return loop.run_until_complete(asyncio.wait_for(work, DEFAULT_TIMEOUT))


async def until(condition: Callable[[], object], timeout: float = DEFAULT_TIMEOUT) -> None:
    """Wait until ``condition()`` is true, letting Qt and asyncio run meanwhile."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.01)


async def emission(signal: SignalInstance, timeout: float = DEFAULT_TIMEOUT) -> tuple[Any, ...]:
    """The arguments of ``signal``'s next emission."""
    arrived: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def receive(*args: Any) -> None:
        if not arrived.done():
            arrived.set_result(args)

    signal.connect(receive)
    try:
        return await asyncio.wait_for(arrived, timeout)
    finally:
        signal.disconnect(receive)
