"""``foxchat`` with no command: the window's start, as ``foxchat.cli.main`` runs it."""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest

import foxchat.cli


def test_collection_is_off_while_the_window_starts_and_back_on_when_it_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The window's code runs with garbage collection off (``run_gui`` turns it on
    after the first paint); however the run ends, collection is on again."""
    seen: list[bool] = []

    def failing_run(**_kwargs: object) -> int:
        seen.append(gc.isenabled())
        raise RuntimeError("the window could not start")

    def load() -> Callable[..., int]:
        seen.append(gc.isenabled())
        return failing_run

    monkeypatch.setattr(foxchat.cli, "_running_window_came_forward", lambda: False)
    monkeypatch.setattr(foxchat.cli, "_load_gui", load)
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        foxchat.cli.main([])
    assert seen == [False, False]
    assert gc.isenabled()
