"""Small text helpers for widgets that show untrusted text as rich text."""

from __future__ import annotations

import html


def escape_html(text: str) -> str:
    """Text made safe to place inside Qt rich text (no tag is interpreted)."""
    return html.escape(text, quote=True)


def format_tokens(prompt: int, completion: int) -> str:
    """A quiet usage line, e.g. '1,204 in · 356 out'."""
    return f"{prompt:,} in · {completion:,} out"
