"""A reply that ended early shows its last words without stray Markdown markers."""

from __future__ import annotations

import re
import time

import pytest

from foxchat.render import render_markdown
from foxchat.ui.messages.partial_reply import close_open_markers


def shown(text: str) -> str:
    """The words a reader sees once ``text`` is rendered (tags dropped)."""
    return re.sub(r"<[^>]+>", "", render_markdown(close_open_markers(text))).strip()


@pytest.mark.parametrize(
    ("partial", "words"),
    [
        ("This reply uses *Markd", "This reply uses Markd"),
        ("This reply uses **bold Mark", "This reply uses bold Mark"),
        ("Done.\n\nAnd **bold *both", "And bold both"),
        ("This reply uses *Markdown* and **", "This reply uses Markdown and"),
        ("Run `rsync -a", "Run rsync -a"),
        ("and **bold Markd*", "and bold Markd"),
        ("Some ~~old te", "Some old te"),
        ("- first\n- *second it", "second it"),
    ],
)
def test_open_markers_of_the_last_line_are_closed(partial: str, words: str) -> None:
    assert shown(partial).endswith(words)
    assert "*" not in shown(partial) and "`" not in shown(partial)


@pytest.mark.parametrize(
    "text",
    [
        "2*3 is 6 and 4*5 is",
        "a snake_case name",
        "* a list item",
        "Finished *properly* here.",
        "```python\nx = 2 * (3\n",
    ],
)
def test_literal_markers_and_closed_text_are_left_alone(text: str) -> None:
    assert close_open_markers(text) == text.rstrip() or text.startswith("```")
    if text.startswith("```"):
        assert close_open_markers(text) == text


SAMPLES = (
    "This reply uses *Markdown*, **bold words**, `code`, ~~old~~ and _more_. " * 2,
    "Steps:\n\n1. Run `rsync -a` *weekly*\n2. Keep **three** copies\n\n## The _last_ step\n",
)
CUTS = [(sample, cut) for sample in SAMPLES for cut in range(1, len(sample) + 1)]


@pytest.mark.parametrize(("sample", "cut"), CUTS)
def test_a_reply_stopped_anywhere_shows_no_markup_characters(sample: str, cut: int) -> None:
    words = shown(sample[:cut])
    assert not set(words) & set("*`~_"), (sample[:cut], words)


@pytest.mark.parametrize(
    "hostile",
    [
        "a" * 1_000_000,
        "a *b " * 200_000,
        "`a " * 300_000,
        "a" + " " * 200_000 + "b",
        "x\n" * 500_000,
    ],
    ids=["one long word", "many openers", "many backticks", "long gap", "many lines"],
)
def test_a_huge_stopped_reply_is_handled_at_once(hostile: str) -> None:
    started = time.perf_counter()
    close_open_markers(hostile)
    assert time.perf_counter() - started < 0.2
