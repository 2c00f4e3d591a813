"""The desktop entry, AppStream metainfo, icons and package data are well-formed and complete."""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

import foxchat
from foxchat.resources import ICON_DIR, ICON_SIZES, app_icon, icon_png, icon_svg
from foxchat.ui.icons import ICON_FILES

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / "foxchat.desktop"
METAINFO = LINUX / "foxchat.metainfo.xml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def desktop_entry() -> dict[str, str]:
    """The [Desktop Entry] group, checking the file's syntax on the way."""
    lines = DESKTOP.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    entry: dict[str, str] = {}
    for line in lines[1:]:
        if not line or line.startswith("#"):
            continue
        assert re.fullmatch(r"[A-Za-z0-9-]+(\[[^\]]+\])?=.*", line), f"not a key=value line: {line}"
        key, value = line.split("=", 1)
        assert key not in entry, f"{key} given twice"
        entry[key] = value
    return entry


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_desktop_entry_has_what_menus_need() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "FoxChat"
    assert entry["Exec"].split()[0] == "foxchat"  # the console script pip installs
    assert entry["Icon"] == "foxchat"  # the icon theme name the build installs
    assert entry["Terminal"] == "false"
    for key in ("Categories", "Keywords"):
        assert entry[key].endswith(";"), f"{key} must end with ';'"
    # Matches QGuiApplication.setDesktopFileName("foxchat") so Wayland finds the icon.
    assert DESKTOP.stem == "foxchat"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="no desktop-file-utils")
def test_desktop_entry_passes_desktop_file_validate() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout


def test_metainfo_describes_the_app_and_its_launcher() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == "io.github.foxchat.FoxChat"
    assert root.findtext("metadata_license") == "CC0-1.0"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert root.findtext("project_license") == pyproject["project"]["license"]
    assert root.findtext("name") == "FoxChat"
    assert (root.findtext("summary") or "").strip()
    assert root.find("description/p") is not None
    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert root.findtext("provides/binary") == "foxchat"
    assert root.find("content_rating") is not None
    releases = root.findall("releases/release")
    assert releases, "metainfo lists no release"
    assert releases[0].get("version") == foxchat.__version__, "newest release is not this version"


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="no appstreamcli")
def test_metainfo_passes_appstreamcli_validate() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_png_exists_at_its_size(size: int) -> None:
    assert png_size(icon_png(size)) == (size, size)


def test_icon_sizes_cover_16_to_512() -> None:
    assert min(ICON_SIZES) == 16
    assert max(ICON_SIZES) == 512
    on_disk = {int(p.stem.split("-")[1]) for p in ICON_DIR.glob("foxchat-*.png")}
    assert on_disk == set(ICON_SIZES)


def test_icon_svg_is_square_svg() -> None:
    root = ET.parse(icon_svg()).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 512 512"


def test_installer_icons_exist() -> None:
    ico = (ROOT / "packaging" / "windows" / "foxchat.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00"  # ICONDIR header: reserved 0, type 1 (icon)
    icns = (ROOT / "packaging" / "macos" / "foxchat.icns").read_bytes()
    assert icns[:4] == b"icns"


def test_app_icon_has_every_size(qapp: object) -> None:
    icon = app_icon()
    assert not icon.isNull()
    sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
    assert sizes == {(n, n) for n in ICON_SIZES}


def _setuptools_can_build_offline() -> bool:
    # pyproject's `license = "MIT"` needs setuptools 77; pip would fetch it from PyPI otherwise.
    try:
        version = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        return False
    return int(version.split(".")[0]) >= 77


@pytest.mark.skipif(not _setuptools_can_build_offline(), reason="needs setuptools>=77 installed")
def test_icons_land_in_the_wheel(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "foxchat", source / "foxchat", ignore=shutil.ignore_patterns("__pycache__")
    )
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index"),
            *("--no-build-isolation", "--wheel-dir", str(tmp_path / "out"), str(source)),
        ],
        check=True,
        timeout=110,
    )
    (wheel,) = (tmp_path / "out").glob("foxchat-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for size in ICON_SIZES:
        assert f"foxchat/resources/icons/foxchat-{size}.png" in names
    assert "foxchat/resources/icons/foxchat.svg" in names
    assert "foxchat/resources/__init__.py" in names
    for file_name in ICON_FILES.values():
        assert f"foxchat/resources/icons/lucide/{file_name}.svg" in names
    assert "foxchat/resources/icons/lucide/LICENSE" in names
