"""Keeping what the window holds to its user: no core dumps, private files.

A core dump of the window would hold the API key and open conversations in a
file that outlives the process (and may be collected by a crash reporter), so
the window process switches them off. Folders and files left readable by
older versions are tightened at the same time. Only the standard library is
used here: this runs before the window's first frame.
"""

from __future__ import annotations

import logging

from foxchat import paths

log = logging.getLogger(__name__)


def disable_core_dumps() -> bool:
    """Forbid core dumps for this process and its children; returns whether it worked.

    Both limits go to zero, so nothing started later can raise them again.
    """
    try:
        import resource
    except ImportError:  # Windows: no core files to switch off
        return False
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (OSError, ValueError) as exc:
        log.warning("could not switch off core dumps: %s", exc)
        return False
    return True


def harden_window_process() -> None:
    """What the window does first: no core dumps, and FoxChat's files private."""
    disable_core_dumps()
    paths.tighten_existing()
