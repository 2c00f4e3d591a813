"""A model's answer to "name this chat" becomes a plain list entry."""

from __future__ import annotations

import pytest

from foxchat.services.titles import MAX_TITLE_CHARS, clean_title


@pytest.mark.parametrize(
    ("answer", "title"),
    [
        ('"Backing up photos."', "Backing up photos"),
        ("Title: Trip ideas\nMore words", "Trip ideas"),
        ("**Fixing the login page**", "Fixing the login page"),
        ("Fixing the **login** page", "Fixing the login page"),
        ("Using `rsync` for backups", "Using rsync for backups"),
        ("snake_case and 2*3 stay", "snake_case and 2*3 stay"),
    ],
)
def test_an_answer_becomes_a_plain_one_line_title(answer: str, title: str) -> None:
    assert clean_title(answer) == title


def test_a_long_answer_is_cut_with_an_ellipsis() -> None:
    title = clean_title("word " * 100)
    assert len(title) == MAX_TITLE_CHARS and title.endswith("…")
