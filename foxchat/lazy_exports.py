"""Names a package re-exports, each loaded from its module on first use (PEP 562).

A package's ``__init__`` lists what other layers use, so its modules are free
to change; importing the package must still not import every module behind
the list, or a start that needs one name pays for all of them (``foxchat.api``:
the stream's dataclasses and httpx; ``foxchat.render``: markdown-it). The
package keeps a ``LazyExports`` and hands its module ``__getattr__`` and
``__dir__`` to it. Never imports Qt.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any


class LazyExports:
    """Where each re-exported name of ``package`` lives, loaded when first read."""

    def __init__(self, package: str, where: Mapping[str, str], namespace: dict[str, Any]) -> None:
        self._package = package
        self._where = where  # name -> module, relative to the package
        self._namespace = namespace  # the package's globals()

    def load(self, name: str) -> Any:
        """The value of ``name``, its module imported now (the module ``__getattr__``)."""
        module = self._where.get(name)
        if module is None:
            raise AttributeError(f"module {self._package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{self._package}.{module}"), name)
        self._namespace[name] = value  # later look-ups are plain attribute reads
        return value

    def names(self) -> list[str]:
        """Every name the package has, loaded or not (the module ``__dir__``)."""
        return sorted(set(self._namespace) | set(self._where))
