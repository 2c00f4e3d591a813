"""TaskOwner and LoopGate: work asked for before the loop runs is kept, in order."""

from __future__ import annotations

import asyncio

from foxchat.services.tasks import UNEXPECTED, LoopGate, TaskOwner
from tests.asyncqt import run, until
from tests.conftest import ErrorLog


def test_work_asked_for_before_the_loop_waits_and_then_runs_in_order(
    qloop: asyncio.AbstractEventLoop,
) -> None:
    gate = LoopGate()
    owner = TaskOwner("test", gate)
    done: list[str] = []

    async def note(text: str) -> None:
        done.append(text)

    first = owner.start(lambda: note("first"))
    owner.start(lambda: note("second"))
    assert owner.busy and gate.loop is None and first.task is None
    gate.open(qloop)
    run(qloop, until(lambda: not owner.busy))
    assert done == ["first", "second"]


def test_a_cancel_before_the_work_ran_reaches_its_own_clean_up(
    qloop: asyncio.AbstractEventLoop,
) -> None:
    gate = LoopGate()
    owner = TaskOwner("test", gate)
    seen: list[str] = []

    async def reply() -> None:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            seen.append("saved as stopped")
            raise

    handle = owner.start(reply)
    handle.cancel()  # Stop pressed in the first frame
    gate.open(qloop)
    run(qloop, until(handle.done))
    assert seen == ["saved as stopped"]


def test_a_bug_in_work_is_logged_and_told_in_plain_words(
    qloop: asyncio.AbstractEventLoop, error_log: ErrorLog
) -> None:
    error_log.expect("test: broken failed unexpectedly")
    told: list[str] = []
    owner = TaskOwner("test", LoopGate(), on_error=told.append)

    async def broken() -> None:
        raise KeyError("bug")

    async def scenario() -> None:
        handle = owner.start(broken, name="broken")
        await until(handle.done)

    run(qloop, scenario())
    assert told == [UNEXPECTED]
    assert any("KeyError" in m for m in error_log.messages)


def test_shutdown_drops_work_that_never_got_a_loop() -> None:
    owner = TaskOwner("test", LoopGate())
    handle = owner.start(lambda: asyncio.sleep(0))
    assert not handle.done()
    asyncio.run(owner.shutdown())
    assert handle.done() and not owner.busy
