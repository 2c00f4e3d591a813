"""The startup benchmark's instruction count: callgrind's counts up to the marked first paint."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from benchmarks.startup import (
    CALLGRIND_MARK,
    first_part_instructions,
    instructions_to_first_paint,
    run_child,
)

#: A child that does some work, marks (as the probe does at the first paint), then
#: does ten times as much: only the work before the mark may be counted.
MARKED_CHILD = f"""
import os
before = sum(range(100_000))
os.{CALLGRIND_MARK}(0)
after = sum(range(1_000_000))
"""


needs_valgrind = pytest.mark.skipif(shutil.which("valgrind") is None, reason="no valgrind")


@needs_valgrind
def test_only_the_instructions_before_the_mark_are_counted(tmp_path: Path) -> None:
    command = [sys.executable, "-c", MARKED_CHILD]
    counted = instructions_to_first_paint("child", command, dict(os.environ), tmp_path)
    [whole] = [p for p in tmp_path.glob("child.*") if not p.name.endswith(".1")]
    total = first_part_instructions(whole) + counted  # the last dump holds the rest
    assert 0 < counted < total / 2


@needs_valgrind
def test_a_child_that_never_marks_is_reported_not_counted_as_zero(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "pass"]
    with pytest.raises(SystemExit, match="no counts up to its first paint"):
        instructions_to_first_paint("child", command, dict(os.environ), tmp_path)


def test_a_summary_line_is_read_from_a_callgrind_file(tmp_path: Path) -> None:
    dump = tmp_path / "child.1.1"
    dump.write_text("# callgrind format\nversion: 1\nevents: Ir\nsummary: 1234567\n", "utf-8")
    assert first_part_instructions(dump) == 1_234_567
    (tmp_path / "empty").write_text("version: 1\n", "utf-8")
    with pytest.raises(ValueError, match="no summary"):
        first_part_instructions(tmp_path / "empty")


#: A child that reports as the startup probe does, then exits.
PROBE_LIKE_CHILD = """
print("mapped-ms=120.0")
print("first-paint-cpu-ms=95.5")
print("first-paint-ms=130.0", flush=True)
"""


def test_a_child_s_cpu_time_to_its_first_paint_is_read_with_its_times() -> None:
    result = run_child([sys.executable, "-c", PROBE_LIKE_CHILD], dict(os.environ))
    assert (result.mapped_ms, result.first_paint_ms, result.cpu_ms) == (120.0, 130.0, 95.5)


def test_a_child_without_the_cpu_line_is_reported() -> None:
    child = 'print("mapped-ms=1.0")\nprint("first-paint-ms=2.0")'
    with pytest.raises(SystemExit, match="printed no first-paint line"):
        run_child([sys.executable, "-c", child], dict(os.environ))
