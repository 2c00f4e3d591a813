"""Small text helpers for widgets that show untrusted text as rich text."""

from __future__ import annotations

from foxchat import locale_format
from foxchat.i18n import _


def escape_html(text: str) -> str:
    """Text made safe to place inside Qt rich text (no tag is interpreted)."""
    import html  # loads its entity tables: not for the first frame

    return html.escape(text, quote=True)


def format_tokens(prompt: int, completion: int) -> str:
    """A quiet usage line, e.g. '1,204 in · 356 out'."""
    return _("{sent} in · {written} out").format(
        sent=locale_format.tokens(prompt), written=locale_format.tokens(completion)
    )
