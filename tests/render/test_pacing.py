"""RenderPacer: when a re-parse of the open block is due."""

from __future__ import annotations

from foxchat.render import RenderPacer


def frames_until_due(pacer: RenderPacer, pending: int, open_chars: int) -> int:
    for frame in range(1, 100):
        if pacer.due(pending, open_chars):
            return frame
    raise AssertionError("never due")


def test_text_ending_inside_a_formula_waits_longer_but_not_for_ever() -> None:
    pacer = RenderPacer(max_wait_frames=4, formula_wait_frames=4)
    assert frames_until_due(pacer, pending=8, open_chars=200) == 4
    pacer.rendered(cost_ms=0.5)
    asked = 0

    def in_formula() -> bool:
        nonlocal asked
        asked += 1
        return True

    for frame in range(1, 8):
        assert not pacer.due(8, 200, in_formula)
        # The open paragraph is read only in frames that would otherwise update.
        assert asked == max(0, frame - 3)
    assert pacer.due(8, 200, in_formula)
    assert asked == 4
    pacer.rendered(cost_ms=0.5)
    # Much new text waits too while it ends in a formula (its source would
    # flash up all the same), and shows at once when it does not.
    assert not pacer.due(400, 200, in_formula)
    assert asked == 5
    assert pacer.due(400, 200)


def test_text_as_long_as_the_open_block_and_the_fixed_part_renders_at_once() -> None:
    pacer = RenderPacer(fixed_chars=128)
    assert pacer.due(pending_chars=428, open_chars=300)
    pacer.rendered(cost_ms=0.5)
    assert pacer.due(pending_chars=10, open_chars=0)  # a new block: nothing to re-render


def test_a_block_that_has_just_begun_waits_for_text_worth_a_re_parse() -> None:
    # A frame's 64 new characters on a 64-character block: a re-parse would cost
    # mostly its fixed part, so the text waits for more, and shows within 3 frames.
    pacer = RenderPacer(max_wait_frames=3, fixed_chars=128)
    assert not pacer.due(pending_chars=64, open_chars=64)
    assert frames_until_due(RenderPacer(max_wait_frames=3), pending=64, open_chars=64) == 3
    assert pacer.due(pending_chars=192, open_chars=64)  # enough new text: at once


def test_a_little_text_on_a_big_block_waits_at_most_max_wait_frames() -> None:
    pacer = RenderPacer(max_wait_frames=3)
    assert frames_until_due(pacer, pending=8, open_chars=2_000) == 3
    pacer.rendered(cost_ms=0.5)
    assert frames_until_due(pacer, pending=8, open_chars=2_000) == 3


def test_an_expensive_update_is_followed_by_idle_frames() -> None:
    # 40 ms of work: at busy_factor 3 the next one waits 120 ms, about 8 frames.
    pacer = RenderPacer(busy_factor=3.0, frame_ms=16.0)
    pacer.rendered(cost_ms=40.0)
    assert frames_until_due(pacer, pending=50_000, open_chars=10) == 8


def test_a_cheap_update_leaves_the_next_frame_free() -> None:
    pacer = RenderPacer()
    pacer.rendered(cost_ms=0.3)
    assert pacer.due(pending_chars=300, open_chars=100)


def test_a_shared_budget_allows_one_reparse_per_frame() -> None:
    from foxchat.render import FrameBudget

    budget = FrameBudget()
    assert budget.take() and not budget.take() and not budget.take()
    budget.tick()
    assert budget.take()
