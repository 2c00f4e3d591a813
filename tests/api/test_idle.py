"""The between-chunks timer: times out a slow wait, and stays one timer for many."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from foxchat.api.idle import IdleTimer


def test_a_wait_that_lasts_too_long_raises_timeout_error() -> None:
    async def scenario() -> None:
        idle = IdleTimer(0.05)
        assert await idle.wait(asyncio.sleep(0.001, result="quick")) == "quick"
        with pytest.raises(TimeoutError):
            await idle.wait(asyncio.sleep(5))
        idle.close()

    asyncio.run(scenario())


def test_thousands_of_quick_waits_arm_almost_no_timers() -> None:
    async def scenario() -> int:
        loop = asyncio.get_running_loop()
        armed = 0
        real_call_at = loop.call_at

        def counting_call_at(when: float, callback: Any, *args: Any) -> asyncio.TimerHandle:
            nonlocal armed
            armed += 1
            return real_call_at(when, callback, *args)

        setattr(loop, "call_at", counting_call_at)  # noqa: B010 (a method, typed strictly)
        idle = IdleTimer(60)
        for _ in range(5_000):
            await idle.wait(asyncio.sleep(0))
        idle.close()
        return armed

    # asyncio.timeout() would arm (and leave behind, under qasync) 5,000.
    assert asyncio.run(scenario()) == 1


def test_a_cancel_from_elsewhere_is_not_mistaken_for_a_timeout() -> None:
    async def scenario() -> None:
        idle = IdleTimer(60)
        waiter = asyncio.ensure_future(idle.wait(asyncio.sleep(5)))
        await asyncio.sleep(0.01)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        idle.close()

    asyncio.run(scenario())
