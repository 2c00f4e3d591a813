"""Numbers, token counts, prices and dates written the way the language in use writes them.

Qt-free, so services, the store's callers and the command line format the same
way as the window. Why not Babel: it is a development tool here (it extracts
and compiles the catalogues) and not a runtime dependency; shipping its CLDR
data (about 30 MB) for the two languages FoxChat speaks buys nothing these few
rules do not. Why not ``QLocale``: it would bring Qt into layers that must not
load it, and it formats for the system's locale, not for the language the
person chose in Settings. The rules per language are the CLDR ones for what
FoxChat shows: digit grouping, the US dollar sign, and a date with its time.
Adding a language adds one entry to ``_RULES``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Final

from foxchat import i18n


@dataclass(frozen=True)
class _Rules:
    group: str  # between groups of three digits (one character, as is decimal)
    decimal: str
    dollar: str  # how the US dollar is written before an amount
    date_time: str  # str.format pattern over year, month, day, hour, minute


_RULES: Final[dict[str, _Rules]] = {
    i18n.ENGLISH: _Rules(",", ".", "$", "{year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}"),
    # CLDR zh: 1,234.5; US$; "2026年12月6日 14:03" (no leading zero on month or day).
    "zh_CN": _Rules(",", ".", "US$", "{year}年{month}月{day}日 {hour:02d}:{minute:02d}"),
}


def _rules(language: str | None) -> _Rules:
    return _RULES.get(language or i18n.current(), _RULES[i18n.ENGLISH])


def number(value: float, decimals: int = 0, *, language: str | None = None) -> str:
    """``value`` with its digits grouped, e.g. 12,345 or 0.0123 (``decimals`` places)."""
    rules = _rules(language)
    text = f"{value:,.{decimals}f}"
    # Both at once, so a language that swaps them (1.234,5) is written right.
    return text.translate(str.maketrans(",.", rules.group + rules.decimal))


def tokens(count: int, *, language: str | None = None) -> str:
    """A token count as a person reads it: 1,204."""
    return number(count, language=language)


def dollars(amount: float, *, language: str | None = None) -> str:
    """A price in US dollars to four places (prices per token are tiny): $0.0123."""
    return _rules(language).dollar + number(amount, 4, language=language)


def date_time(timestamp: float, *, language: str | None = None) -> str:
    """When something happened, in local time: 2026-12-06 14:03, or 2026年12月6日 14:03."""
    local = time.localtime(timestamp)
    return _rules(language).date_time.format(
        year=local.tm_year,
        month=local.tm_mon,
        day=local.tm_mday,
        hour=local.tm_hour,
        minute=local.tm_min,
    )
