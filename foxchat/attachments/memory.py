"""Giving the memory of a large image back to the system once it is prepared.

Preparing a 20-megapixel image briefly needs 60 to 80 MB (its pixels, in
Pillow's blocks and Qt's copy). glibc's allocator keeps such freed blocks in
the process for reuse: once a large block has been freed it raises its
threshold for asking the system directly, so later blocks of that size come
from its heaps, and a freed heap is rarely shrunk. Each image prepared thus
left FoxChat tens of megabytes larger for the rest of the session, in steps.
``malloc_trim(0)`` returns the free pages of every heap to the system; it
takes about a millisecond and runs on the worker, after the job. Elsewhere
(macOS, Windows, musl) there is no such function and nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    trim = getattr(libc, "malloc_trim", None)  # glibc only
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    function: Callable[[int], int] = trim
    return function


def give_back_freed_memory() -> bool:
    """Return the allocator's free memory to the system; False where that cannot be done."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
