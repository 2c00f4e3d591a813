"""``foxchat --self-check``: passes on a working install, and names what is broken."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

import foxchat
from foxchat.cli import main, selfcheck
from foxchat.cli.selfcheck import run_self_check

CHECK_NAMES = ("imports", "store", "attachments", "qt", "render", "icons", "keyring", "paths")


def _run(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["--self-check"])
    return code, capsys.readouterr().out.splitlines()


def test_every_check_passes_in_this_checkout(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = _run(capsys)
    assert code == 0, "\n".join(lines)
    for name in CHECK_NAMES:
        assert any(line.startswith(f"ok   {name}: ") for line in lines), name
    assert lines[-1] == "self-check passed"


def test_imports_check_covers_the_lazily_loaded_modules() -> None:
    names = set(selfcheck.foxchat_module_names())
    # Imported only by the CLI dispatcher or the GUI start, so easy to leave out of a bundle.
    assert {"foxchat.cli.transfer", "foxchat.cli.selfcheck", "foxchat.app"} <= names
    assert "foxchat.resources" in names


def test_reports_the_keyring_in_use(
    capsys: pytest.CaptureFixture[str], memory_keyring: keyring.backend.KeyringBackend
) -> None:
    code, lines = _run(capsys)
    assert code == 0
    (line,) = [line for line in lines if line.startswith("ok   keyring: ")]
    assert memory_keyring.name in line
    assert "saved there" in line


def test_no_keyring_still_passes_and_says_keys_are_session_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    no_keyring = keyring.backends.fail.Keyring()  # type: ignore[no-untyped-call]
    keyring.set_keyring(no_keyring)  # the conftest fixture restores its own
    code, lines = _run(capsys)
    assert code == 0
    (line,) = [line for line in lines if line.startswith("ok   keyring: ")]
    assert "one session only" in line


def test_a_module_that_cannot_be_imported_fails_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "half_installed.py").write_text("import foxchat_missing_dependency\n")
    monkeypatch.setattr(foxchat, "__path__", [*foxchat.__path__, str(extra)])
    monkeypatch.delitem(sys.modules, "foxchat.half_installed", raising=False)
    code, lines = _run(capsys)
    assert code == 1
    (failure,) = [line for line in lines if line.startswith("FAIL imports: ")]
    assert "foxchat.half_installed" in failure
    assert "ModuleNotFoundError" in failure
    assert lines[-1] == "self-check failed: imports"
    # The other checks still ran and passed.
    assert any(line.startswith("ok   store: ") for line in lines)


def test_a_render_that_loses_text_fails_the_check(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(selfcheck, "RENDERED_WORDS", (*selfcheck.RENDERED_WORDS, "not-in-it"))
    code, lines = _run(capsys)
    assert code == 1
    (failure,) = [line for line in lines if line.startswith("FAIL render: ")]
    assert "not-in-it" in failure
    assert lines[-1] == "self-check failed: render"


def test_the_store_check_leaves_the_data_dir_alone(
    isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    assert run_self_check(argparse.Namespace(debug=False)) == 0
    capsys.readouterr()
    assert not isolated_env.exists()


def test_runs_without_a_display_from_the_command_line(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    env["FOXCHAT_DATA_DIR"] = str(tmp_path / "data")
    result = subprocess.run(
        [sys.executable, "-m", "foxchat", "--self-check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    if sys.platform.startswith("linux"):
        assert "offscreen platform" in result.stdout
    assert result.stdout.splitlines()[-1] == "self-check passed"
