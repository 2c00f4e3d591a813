"""Startup benchmark: FoxChat against a bare PySide6 window, started the same way.

Builds (once) a data dir with a history like a real person's: 1,000
conversations of 24 messages (replies in Markdown, some with code), written as
ChatGPT's ``conversations.json`` and imported through FoxChat's own ChatGPT
import. Then it starts, one child process at a time:

- FoxChat: ``python -m foxchat`` with ``FOXCHAT_DATA_DIR`` set to that dir, a
  dummy key and a base URL where nothing listens (the model list fails quietly),
  and ``FOXCHAT_STARTUP_PROBE=1``: ``foxchat.startup_probe`` prints
  ``mapped-ms=`` when the main window is first exposed (mapped) and
  ``first-paint-ms=`` at its first paint, and quits through the app's own quit
  path, shutdown included.
- Bare: ``python -m benchmarks.startup --bare-child``: QApplication, a
  QMainWindow of FoxChat's default size, the same probe, ``exec()``.

Both times are measured inside each child from the kernel's process start
time (``/proc/self/stat``, resolution one clock tick, 10 ms); see
``foxchat.startup_probe``. The probe also prints the CPU time the child has
used at its first paint (``first-paint-cpu-ms=``): on a machine shared with
other work, wall time waits for a core, CPU time much less so. The launcher's
own wall clock (from just before spawning to the line arriving) is printed
alongside as a cross-check. Peak RSS
is each child's own ``ru_maxrss``, read with ``os.wait4`` on that child's pid,
which is ``getrusage(RUSAGE_CHILDREN)`` for exactly one child.

Each kind runs once to warm the file cache and to compile its bytecode into a
private cache, as an installed app has it (printed as "cold"); FoxChat's cold
run also saves the renderings its first frame showed when it quits
(``foxchat.services.first_frame``), so the timed runs start as a person's next
start does, without importing the Markdown stack before the first paint. Then ``--runs``
times (default 5), taking turns with the other kind so that load from other
processes falls on both alike; medians are reported. Runs under ``QT_QPA_PLATFORM=offscreen``
and, with ``--xvfb``, also on a private Xvfb display with the xcb platform.

With ``--callgrind`` (valgrind installed), each kind also runs once under
``valgrind --tool=callgrind``, offscreen, and the instructions it ran up to its
first paint are counted: load from other processes moves wall time, not this
count. The probe marks the first paint with one ``getsid()`` call when
``FOXCHAT_STARTUP_PROBE=callgrind`` (see ``foxchat.startup_probe``), and
``--dump-before=getsid`` makes callgrind write the counts so far there. The line
``callgrind: foxchat_ir=… bare_ir=… ir_ratio=…`` (millions of instructions)
comes just before the last line.

Run: ``python -m benchmarks.startup [--keep DIR] [--runs N] [--xvfb] [--callgrind]``.
Last line (offscreen): ``startup: start_ratio=… map_ratio=… rss_ratio=… start_ms=…
map_ms=… rss_mb=… cpu_ratio=… cpu_ms=…``; ``start`` is the first paint, ``map`` the
window mapped, ``cpu`` the CPU time used up to the first paint.
Targets: every ratio <= 2.0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

CONVERSATIONS: Final = 1_000
MESSAGES_EACH: Final = 24
CHILD_TIMEOUT_S: Final = 60.0
REPO: Final = Path(__file__).resolve().parents[1]
XVFB_DISPLAY: Final = ":98"
#: The system call the probe makes at the first paint under ``--callgrind``.
CALLGRIND_MARK: Final = "getsid"
CALLGRIND_TIMEOUT_S: Final = 600.0


@dataclass(frozen=True)
class RunResult:
    """One child: mapped and first paint (ms since its process start), launcher wall ms,
    peak RSS, CPU ms used up to the first paint."""

    mapped_ms: float
    first_paint_ms: float
    wall_ms: float
    rss_mb: float
    cpu_ms: float


def build_data_dir(folder: Path) -> None:
    """Fill ``folder`` with this benchmark's data, unless it already holds it."""
    from benchmarks import _data

    _data.build_chatgpt_data_dir(folder, conversations=CONVERSATIONS, messages_each=MESSAGES_EACH)


def run_child(command: list[str], env: dict[str, str]) -> RunResult:
    """Start one child, read its first-paint line, reap it and read its own rusage."""
    began = time.monotonic()
    proc = subprocess.Popen(
        command,
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    killer = threading.Timer(CHILD_TIMEOUT_S, proc.kill)
    killer.start()
    first_paint: float | None = None
    cpu: float | None = None
    mapped: float | None = None
    wall_ms = 0.0
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("mapped-ms=") and mapped is None:
            mapped = float(line.partition("=")[2])
        if line.startswith("first-paint-cpu-ms=") and cpu is None:
            cpu = float(line.partition("=")[2])
        if line.startswith("first-paint-ms=") and first_paint is None:
            wall_ms = (time.monotonic() - began) * 1000
            first_paint = float(line.partition("=")[2])
    _pid, status, usage = os.wait4(proc.pid, 0)
    killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    proc.stdout.close()
    if first_paint is None or mapped is None or cpu is None:
        raise SystemExit(
            f"{' '.join(command[:3])} printed no first-paint line "
            f"(exit code {proc.returncode}); is the startup probe installed?"
        )
    # ru_maxrss is in KiB on Linux.
    return RunResult(mapped, first_paint, wall_ms, usage.ru_maxrss / 1024, cpu)


def _print_run(label: str, n: int, result: RunResult) -> None:
    print(
        f"  {label:8} run {n}: mapped {result.mapped_ms:6.0f} ms, first paint "
        f"{result.first_paint_ms:6.0f} ms (launcher {result.wall_ms:6.0f} ms, "
        f"cpu {result.cpu_ms:6.0f} ms), "
        f"rss {result.rss_mb:5.0f} MB"
    )


def _medians(results: list[RunResult]) -> RunResult:
    return RunResult(
        statistics.median(r.mapped_ms for r in results),
        statistics.median(r.first_paint_ms for r in results),
        statistics.median(r.wall_ms for r in results),
        statistics.median(r.rss_mb for r in results),
        statistics.median(r.cpu_ms for r in results),
    )


def measure(kinds: dict[str, tuple[list[str], dict[str, str]]], runs: int) -> dict[str, RunResult]:
    """A warm-up run of each kind, then ``runs`` rounds of one run of each; the medians.

    The kinds take turns (FoxChat, bare, FoxChat, ...) so that load from other
    processes falls on both alike and their ratio stays fair.
    """
    for label, (command, env) in kinds.items():
        cold = run_child(command, env)
        print(
            f"  {label:8} cold: mapped {cold.mapped_ms:6.0f} ms, first paint "
            f"{cold.first_paint_ms:6.0f} ms, rss {cold.rss_mb:5.0f} MB"
        )
    results: dict[str, list[RunResult]] = {label: [] for label in kinds}
    for n in range(1, runs + 1):
        for label, (command, env) in kinds.items():
            result = run_child(command, env)
            results[label].append(result)
            _print_run(label, n, result)
    return {label: _medians(found) for label, found in results.items()}


def child_kinds(
    platform_env: dict[str, str], data_dir: Path, pycache: str
) -> dict[str, tuple[list[str], dict[str, str]]]:
    """The command and environment of each kind of child: FoxChat, then the bare window."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("FOXCHAT_")}
    base.update(platform_env, PYTHONPATH=str(REPO), FOXCHAT_STARTUP_PROBE="1")
    # Installed, both run from compiled bytecode (pip and the bundle ship it). A
    # PYTHONDONTWRITEBYTECODE environment would make every run compile its source
    # again (~60 ms for FoxChat); the cold run fills a private cache instead.
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    base["PYTHONPYCACHEPREFIX"] = pycache
    app_env = dict(
        base,
        FOXCHAT_DATA_DIR=str(data_dir),
        FOXCHAT_API_KEY="dummy",
        FOXCHAT_BASE_URL="http://127.0.0.1:9/v1",
        # The benchmark must not touch the user's keyring (the key comes from the env).
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    app_command = [sys.executable, "-m", "foxchat"]  # FoxChatApp.start installs the probe
    bare_command = [sys.executable, "-m", "benchmarks.startup", "--bare-child"]
    return {"foxchat": (app_command, app_env), "bare": (bare_command, base)}


def compare(platform_env: dict[str, str], data_dir: Path, runs: int) -> tuple[RunResult, ...]:
    """FoxChat and the bare window on one Qt platform; prints and returns both medians."""
    pycache = tempfile.mkdtemp(prefix="foxchat-bench-pycache-")
    try:
        medians = measure(child_kinds(platform_env, data_dir, pycache), runs)
        foxchat, bare = medians["foxchat"], medians["bare"]
    finally:
        shutil.rmtree(pycache, ignore_errors=True)
    print(
        f"  medians: foxchat mapped {foxchat.mapped_ms:.0f} ms, painted "
        f"{foxchat.first_paint_ms:.0f} ms, {foxchat.rss_mb:.0f} MB; bare mapped "
        f"{bare.mapped_ms:.0f} ms, painted {bare.first_paint_ms:.0f} ms, {bare.rss_mb:.0f} MB; "
        f"cpu to the paint {foxchat.cpu_ms:.0f} ms, bare {bare.cpu_ms:.0f} ms; "
        f"ratios map {foxchat.mapped_ms / bare.mapped_ms:.2f} "
        f"start {foxchat.first_paint_ms / bare.first_paint_ms:.2f} "
        f"rss {foxchat.rss_mb / bare.rss_mb:.2f} "
        f"cpu {foxchat.cpu_ms / bare.cpu_ms:.2f}"
    )
    return foxchat, bare


def first_part_instructions(dump: Path) -> int:
    """The instructions counted in one callgrind output file (its ``summary:`` line)."""
    for line in dump.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise ValueError(f"{dump} holds no summary line")


def instructions_to_first_paint(
    label: str, command: list[str], env: dict[str, str], folder: Path
) -> int:
    """Run ``command`` once under callgrind; the instructions it ran up to its first paint."""
    out = folder / f"{label}.%p"
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--dump-before={CALLGRIND_MARK}",
            f"--callgrind-out-file={out}",
            *command,
        ],
        env=dict(env, FOXCHAT_STARTUP_PROBE="callgrind"),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
        timeout=CALLGRIND_TIMEOUT_S,
    )
    # The first dump ends at the mark; without one the child never painted.
    parts = sorted(folder.glob(f"{label}.*.1"))
    if not parts:
        raise SystemExit(f"{label} under callgrind wrote no counts up to its first paint")
    return first_part_instructions(parts[0])


def count_instructions(data_dir: Path) -> dict[str, int]:
    """Instructions to the first paint of each kind, offscreen, after a plain run of each
    (which compiles the bytecode into a private cache, as for the timed runs)."""
    pycache = tempfile.mkdtemp(prefix="foxchat-bench-pycache-")
    folder = Path(tempfile.mkdtemp(prefix="foxchat-bench-callgrind-"))
    try:
        kinds = child_kinds({"QT_QPA_PLATFORM": "offscreen"}, data_dir, pycache)
        for command, env in kinds.values():
            run_child(command, env)
        return {
            label: instructions_to_first_paint(label, command, env, folder)
            for label, (command, env) in kinds.items()
        }
    finally:
        shutil.rmtree(pycache, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)


def start_xvfb() -> subprocess.Popen[bytes] | None:
    """A private X display for the xcb runs, or None when Xvfb is not installed."""
    binary = shutil.which("Xvfb")
    if binary is None:
        return None
    server = subprocess.Popen(
        [binary, XVFB_DISPLAY, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{XVFB_DISPLAY[1:]}")
    deadline = time.monotonic() + 10
    while not socket.exists() and time.monotonic() < deadline and server.poll() is None:
        time.sleep(0.05)
    if not socket.exists():
        server.kill()
        server.wait()
        return None
    return server


def bare_child() -> int:
    """The baseline: a bare PySide6 main window, measured by the same probe."""
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from foxchat.startup_probe import FirstPaintProbe
    from foxchat.ui.window_size import first_size

    qt_app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.setCentralWidget(QLabel("bare PySide6 window"))
    window.resize(first_size(window.screen().availableGeometry().size()))  # as FoxChat
    FirstPaintProbe(window, qt_app.quit)
    window.show()
    code = qt_app.exec()
    del window
    return code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="build the data dir here and keep it")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--xvfb", action="store_true", help="also run on an Xvfb display")
    parser.add_argument(
        "--callgrind", action="store_true", help="also count instructions with valgrind"
    )
    parser.add_argument("--bare-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_child:
        sys.exit(bare_child())
    if args.build:
        build_data_dir(args.build)
        return
    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="foxchat-startup-"))
    # In a child: a child's peak RSS counts the launcher's memory from before its
    # exec, and building the history takes a few hundred MB.
    build = [sys.executable, "-m", "benchmarks.startup", "--build", str(data_dir)]
    subprocess.run(build, check=True, cwd=REPO)
    if args.xvfb:
        server = start_xvfb()
        if server is None:
            print("xcb on Xvfb: skipped (Xvfb not installed or did not start)")
        else:
            try:
                print(f"xcb on Xvfb {XVFB_DISPLAY}:")
                compare({"QT_QPA_PLATFORM": "xcb", "DISPLAY": XVFB_DISPLAY}, data_dir, args.runs)
            finally:
                server.terminate()
                server.wait()
    print("offscreen:")
    foxchat, bare = compare({"QT_QPA_PLATFORM": "offscreen"}, data_dir, args.runs)
    if args.callgrind:
        if shutil.which("valgrind") is None:
            print("callgrind: skipped (valgrind not installed)")
        else:
            counts = count_instructions(data_dir)
            print(
                f"callgrind: foxchat_ir={counts['foxchat'] / 1e6:.1f}M "
                f"bare_ir={counts['bare'] / 1e6:.1f}M "
                f"ir_ratio={counts['foxchat'] / counts['bare']:.2f}"
            )
    print(
        f"startup: start_ratio={foxchat.first_paint_ms / bare.first_paint_ms:.2f} "
        f"map_ratio={foxchat.mapped_ms / bare.mapped_ms:.2f} "
        f"rss_ratio={foxchat.rss_mb / bare.rss_mb:.2f} "
        f"start_ms={foxchat.first_paint_ms:.0f} map_ms={foxchat.mapped_ms:.0f} "
        f"rss_mb={foxchat.rss_mb:.0f} "
        f"cpu_ratio={foxchat.cpu_ms / bare.cpu_ms:.2f} cpu_ms={foxchat.cpu_ms:.0f}"
    )


if __name__ == "__main__":
    main()
