"""A chat's running token total and, when prices are known, what it cost.

Prices are the user's own entries (per million prompt and completion tokens
per model, in Settings > Prices); FoxChat never guesses them, so a model
without a price contributes tokens but no cost.
"""

from __future__ import annotations

from collections.abc import Mapping

from foxchat import locale_format
from foxchat.i18n import _

Prices = Mapping[str, tuple[float, float]]


def usage_summary(usage: Mapping[str, tuple[int, int]], prices: Prices) -> str:
    """E.g. ``This chat: 1,204 in · 356 out · about $0.0123`` ("" before any reply)."""
    prompt = sum(p for p, _c in usage.values())
    completion = sum(c for _p, c in usage.values())
    if not prompt and not completion:
        return ""
    counts = {"sent": locale_format.tokens(prompt), "written": locale_format.tokens(completion)}
    priced = [(model, tokens) for model, tokens in usage.items() if model in prices]
    if not priced:
        return _("This chat: {sent} in · {written} out").format(**counts)
    cost = locale_format.dollars(
        sum(p * prices[model][0] / 1e6 + c * prices[model][1] / 1e6 for model, (p, c) in priced)
    )
    if len(priced) < len(usage):
        return _(
            "This chat: {sent} in · {written} out · about {cost} (some models have no price)"
        ).format(cost=cost, **counts)
    return _("This chat: {sent} in · {written} out · about {cost}").format(cost=cost, **counts)
