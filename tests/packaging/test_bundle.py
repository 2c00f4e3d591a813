"""Slow: build the Linux PyInstaller bundle and run its self-check, as a user's machine would.

Skipped unless ``FOXCHAT_SLOW_TESTS=1``; needs PyInstaller in this environment
(``pip install "pyinstaller>=6"``). Builds into a temporary folder, never dist/.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import foxchat

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("FOXCHAT_SLOW_TESTS") != "1", reason="slow: set FOXCHAT_SLOW_TESTS=1"
    ),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle"),
]


def _clean_env(tmp_path: Path) -> dict[str, str]:
    """No display, no FoxChat settings: what a headless user's shell would have."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FOXCHAT_", "QT_"))}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env["FOXCHAT_DATA_DIR"] = str(tmp_path / "data")
    return env


@pytest.mark.timeout(1200)
def test_the_built_bundle_passes_its_self_check(tmp_path: Path) -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail('slow tests need PyInstaller here: pip install "pyinstaller>=6"')
    dist = tmp_path / "dist"
    env = dict(os.environ, PYTHON=sys.executable, DIST_DIR=str(dist))
    env["WORK_DIR"] = str(tmp_path / "work")
    build = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build_linux.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1100,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]

    executable = dist / "FoxChat" / "foxchat"
    # Run it again here, outside the build script, with a bare environment.
    check = subprocess.run(
        [str(executable), "--self-check"],
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "(bundle)" in check.stdout.splitlines()[0]
    assert check.stdout.splitlines()[-1] == "self-check passed"
    assert not (tmp_path / "data").exists(), "the self-check wrote to the data dir"

    version = subprocess.run(
        [str(executable), "--version"], capture_output=True, text=True, timeout=60, check=True
    )
    assert version.stdout.strip() == f"FoxChat {foxchat.__version__}"

    share = dist / "FoxChat" / "share"
    assert (share / "applications" / "foxchat.desktop").is_file()
    assert (share / "icons" / "hicolor" / "512x512" / "apps" / "foxchat.png").is_file()
    (archive,) = dist.glob(f"FoxChat-{foxchat.__version__}-linux-*.tar.gz")
    with tarfile.open(archive) as packed:
        assert "FoxChat/foxchat" in packed.getnames()
