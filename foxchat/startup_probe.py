"""Startup measurement hook: print when the main window is mapped and first paints, then quit.

``benchmarks/startup.py`` starts ``python -m foxchat`` with
``FOXCHAT_STARTUP_PROBE=1``. The composition root calls ``install_probe`` on
the main window; with the variable unset it does nothing. With it set, the
window's first expose (the window system has mapped it: it is on screen,
perhaps not drawn yet) prints ``mapped-ms=<ms since process start>``, and its
first paint event ``first-paint-cpu-ms=<CPU ms the process has used>`` and
``first-paint-ms=<ms since process start>``, to stdout; then
the probe asks the app to quit through its own quit path (the same one as
Ctrl+Q), so the run also exercises a normal shutdown.

With ``FOXCHAT_STARTUP_PROBE=callgrind`` the probe also makes one
``getsid()`` system call at the first paint, which nothing else in the start
makes: ``valgrind --tool=callgrind --dump-before=getsid`` then writes the
instruction counts up to the first paint (``benchmarks/startup.py
--callgrind``), a measure that load from other processes does not move.

"Process start" is the kernel's record of when the process began
(``/proc/self/stat`` field 22, in clock ticks since boot, compared with
``CLOCK_BOOTTIME``). It counts everything a user waits for after launching:
exec, the interpreter starting, imports, opening the store and building the
window. Its resolution is one clock tick (10 ms on most Linux systems). Where
there is no ``/proc``, the time since this module was imported is printed
instead, marked ``first-paint-ms-since-import=``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QWindow

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from foxchat.ui.main_window import MainWindow

ENV_VAR: Final = "FOXCHAT_STARTUP_PROBE"
#: The value of ``ENV_VAR`` that also marks the first paint for callgrind.
CALLGRIND: Final = "callgrind"
#: How much slower a run under callgrind is, about: waits timed for a normal run
#: are stretched by this, so that what waits for the first paint still does.
CALLGRIND_SLOWDOWN: Final = 100

_IMPORTED_AT: Final = time.monotonic()


def ms_since_process_start() -> float | None:
    """Milliseconds since the kernel started this process, or None without /proc."""
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            stat = handle.read()
        # The command name (field 2) may hold spaces or parentheses: split after it.
        fields = stat[stat.rindex(")") + 2 :].split()
        start_ticks = int(fields[19])  # field 22 overall
        ticks_per_second = os.sysconf("SC_CLK_TCK")
        now = time.clock_gettime(time.CLOCK_BOOTTIME)
    except (OSError, ValueError, IndexError, AttributeError):
        return None
    return (now - start_ticks / ticks_per_second) * 1000


def _line(what: str) -> str:
    elapsed = ms_since_process_start()
    if elapsed is None:
        since_import = (time.monotonic() - _IMPORTED_AT) * 1000
        return f"{what}-ms-since-import={since_import:.1f}"
    return f"{what}-ms={elapsed:.1f}"


def cpu_line() -> str:
    """The CPU time this process has used so far (all its threads, user and system):
    what load from other processes moves far less than the time since it started."""
    return f"first-paint-cpu-ms={time.process_time() * 1000:.1f}"


def first_paint_line() -> str:
    """The line a probe prints at first paint (see the module docstring)."""
    return _line("first-paint")


def mapped_line() -> str:
    """The line a probe prints when the window is first mapped (see the module docstring)."""
    return _line("mapped")


class FirstPaintProbe(QObject):
    """Event filter: print when the watched window is first mapped and first painted,
    then call ``then``."""

    def __init__(self, watched: QWidget, then: Callable[[], None]) -> None:
        super().__init__(watched)
        self._watched = watched
        self._then = then
        self._fired = False
        self._mapped = False
        self._mark = os.environ.get(ENV_VAR) == CALLGRIND
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show and watched is self._watched:
            # The native window exists from here; it is mapped when it is exposed.
            handle = self._watched.windowHandle()
            if handle is not None and not self._mapped:
                handle.installEventFilter(self)
        elif kind == QEvent.Type.Expose and isinstance(watched, QWindow) and watched.isExposed():
            watched.removeEventFilter(self)
            if not self._mapped:
                self._mapped = True
                print(mapped_line(), flush=True)
        if not self._fired and kind == QEvent.Type.Paint and watched is self._watched:
            if not self._mapped:  # a platform that paints without exposing first
                self._mapped = True
                print(mapped_line(), flush=True)
            self._fired = True
            if self._mark:
                os.getsid(0)  # callgrind --dump-before=getsid: the counts up to here
            print(cpu_line(), flush=True)
            print(first_paint_line(), flush=True)
            # Quit after this paint completes, not from inside it.
            QTimer.singleShot(0, self._then)
        return False

    @property
    def fired(self) -> bool:
        """Whether the first paint has been seen."""
        return self._fired


def time_scale() -> int:
    """How much longer than usual to wait for a first paint: ``CALLGRIND_SLOWDOWN``
    under callgrind (``ENV_VAR=callgrind``), else 1."""
    return CALLGRIND_SLOWDOWN if os.environ.get(ENV_VAR) == CALLGRIND else 1


def probe_requested() -> bool:
    """Whether this run was started by the startup benchmark."""
    return os.environ.get(ENV_VAR, "") not in ("", "0")


def install_probe(window: MainWindow) -> None:
    """Watch ``window`` for its first paint when ``FOXCHAT_STARTUP_PROBE`` is set."""
    if not probe_requested():
        return
    FirstPaintProbe(window, window.quit_requested.emit)
