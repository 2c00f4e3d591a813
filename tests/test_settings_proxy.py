"""The proxy setting (settings version 2): stored, checked, and absent from old files."""

from __future__ import annotations

import json
from pathlib import Path

from foxchat.settings import SETTINGS_VERSION, Settings, load_settings, save_settings


def test_a_version_1_file_loads_without_a_proxy_and_saves_as_version_2(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 1, "theme": "dark"}), encoding="utf-8")
    settings = load_settings(path)
    assert (settings.theme, settings.proxy) == ("dark", "")
    save_settings(settings, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == SETTINGS_VERSION >= 2
    assert data["proxy"] == ""


def test_a_proxy_is_kept_and_a_bad_one_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(Settings(proxy="socks5://user:pw@127.0.0.1:1080"), path)
    assert load_settings(path).proxy == "socks5://user:pw@127.0.0.1:1080"
    for bad in ("ftp://proxy:21", "proxy.example.com:8080", 8080):
        path.write_text(json.dumps({"version": 2, "proxy": bad, "theme": "dark"}), "utf-8")
        settings = load_settings(path)
        assert (settings.proxy, settings.theme) == ("", "dark")
