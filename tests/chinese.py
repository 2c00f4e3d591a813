"""Speaking Simplified Chinese for the length of a ``with`` block, then English again.

Messages made at call time follow the language installed; module constants
were translated when their module was imported (in English, for the tests).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from foxchat import i18n


@contextmanager
def chinese() -> Iterator[None]:
    """Install zh_CN for the block; English is back afterwards, even on failure."""
    i18n.install("zh_CN")
    try:
        yield
    finally:
        i18n.install("en")
