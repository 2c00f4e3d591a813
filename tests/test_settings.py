"""Settings survive restarts, bad files never crash FoxChat, and no key is ever saved."""

from __future__ import annotations

import json
import os
import stat
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from foxchat import DEFAULT_BASE_URL, paths
from foxchat.api.params import GenerationParams
from foxchat.settings import (
    DEFAULT_MODEL,
    SETTINGS_VERSION,
    EndpointProfile,
    Settings,
    SettingsError,
    check_base_url,
    effective_base_url,
    effective_default_model,
    load_settings,
    save_settings,
)
from tests import full_disk
from tests.chinese import chinese


def test_missing_file_gives_defaults_with_the_foxapi_profile() -> None:
    settings = load_settings()
    assert settings == Settings()
    assert settings.default_profile() == EndpointProfile("foxapi", "FoxAPI", DEFAULT_BASE_URL)
    assert settings.font_size == 11
    assert settings.theme == "system"
    assert settings.default_model == DEFAULT_MODEL == "gpt-4o-mini"
    assert settings.auto_title is True
    assert settings.context_limit == 0


def test_saved_settings_load_back_identical() -> None:
    params = GenerationParams(temperature=0.3).with_enabled("temperature", True)
    settings = Settings(
        profiles=[
            EndpointProfile("foxapi", "FoxAPI", DEFAULT_BASE_URL),
            EndpointProfile("local", "My server", "http://127.0.0.1:8080/v1"),
        ],
        default_profile_id="local",
        theme="dark",
        font_size=14,
        default_model="deepseek-chat",
        default_params_json=params.to_json(),
        auto_title=False,
        context_limit=20,
        window_geometry="AdnQywAD",
        window_state="AAAA/w==",
        splitter_state="AAAAAA==",
        sidebar_visible=False,
        last_conversation_id=42,
        model_prices={"gpt-4o": (2.5, 10.0)},
    )
    save_settings(settings)
    loaded = load_settings()
    assert loaded == settings
    assert loaded.default_profile().name == "My server"
    assert GenerationParams.from_json(loaded.default_params_json) == params


def test_save_writes_json_in_the_data_dir_without_leftover_temp_files() -> None:
    save_settings(Settings(theme="light"))
    path = paths.settings_path()
    assert json.loads(path.read_text(encoding="utf-8"))["theme"] == "light"
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]


def test_settings_given_as_text_are_the_files_settings_read_once() -> None:
    """The start reads settings.json once (for the language) and passes its text on."""
    saved = Settings(theme="dark", font_size=14, language="zh_CN")
    save_settings(saved)
    path = paths.settings_path()
    text = path.read_text(encoding="utf-8")
    path.unlink()  # the text alone must be enough: the file is not opened again
    assert (
        load_settings(text=text)
        == saved
        == replace(Settings(), theme="dark", font_size=14, language="zh_CN")
    )
    assert load_settings() == Settings()


def test_settings_text_that_is_not_an_object_is_set_aside_like_the_file() -> None:
    path = paths.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text("[1, 2, 3]", encoding="utf-8")
    assert load_settings(text="[1, 2, 3]") == Settings()
    assert not path.exists()
    assert len(list(path.parent.glob("settings.json.broken-*"))) == 1


@pytest.mark.parametrize("content", ["{not json", "[1, 2, 3]", '"text"', "\xff\xfe garbage"])
def test_broken_file_is_moved_aside_and_defaults_returned(content: str) -> None:
    path = paths.settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content.encode("latin-1"))
    assert load_settings() == Settings()
    assert not path.exists()
    [moved] = list(path.parent.glob("settings.json.broken-*"))
    assert moved.read_bytes() == content.encode("latin-1")


def test_each_wrong_field_falls_back_alone(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "theme": "purple",
                "font_size": "12",
                "auto_title": 1,
                "context_limit": -3,
                "sidebar_visible": False,
                "default_model": "deepseek-chat",
                "last_conversation_id": True,
                "profiles": [
                    {"id": "a", "name": "A", "base_url": "ftp://nope"},
                    {"id": "b", "name": "B", "base_url": "https://b.example/v1/"},
                    {"id": "b", "name": "Duplicate", "base_url": "https://c.example/v1"},
                    "junk",
                ],
                "default_profile_id": "gone",
                "model_prices": {"gpt-4o": [2.5, 10], "bad": [1], "neg": [-1, 2]},
            }
        ),
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert settings.theme == "system"
    assert settings.font_size == 11
    assert settings.auto_title is True
    assert settings.context_limit == 0
    assert settings.last_conversation_id is None
    assert settings.sidebar_visible is False
    assert settings.default_model == "deepseek-chat"
    # A version 1 name that FoxChat never gives was the person's.
    assert settings.profiles == [EndpointProfile("b", "B", "https://b.example/v1", auto_name="")]
    assert settings.default_profile().id == "b"
    assert settings.model_prices == {"gpt-4o": (2.5, 10.0)}
    assert path.exists(), "a readable file with some bad values is kept"


def test_newer_versions_unknown_fields_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps({"version": 99, "theme": "dark", "hologram_mode": True}), encoding="utf-8"
    )
    settings = load_settings(path)
    assert settings.theme == "dark"
    assert settings.version == SETTINGS_VERSION


def test_settings_file_never_holds_a_key() -> None:
    save_settings(Settings())
    text = paths.settings_path().read_text(encoding="utf-8")
    assert "key" not in json.loads(text)
    assert "api_key" not in text


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions, not root"
)
def test_saving_into_a_read_only_folder_raises_a_plain_error(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    save_settings(Settings(theme="dark"), folder / "settings.json")
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(SettingsError) as caught:
            save_settings(Settings(theme="light"), folder / "settings.json")
    finally:
        folder.chmod(stat.S_IRWXU)
    assert "could not save your settings" in caught.value.user_message
    assert "try again" in caught.value.user_message
    assert load_settings(folder / "settings.json").theme == "dark", "old file left intact"


def test_environment_overrides_do_not_change_stored_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings()
    assert effective_base_url(settings) == DEFAULT_BASE_URL
    assert effective_default_model(settings) == "gpt-4o-mini"
    monkeypatch.setenv("FOXCHAT_BASE_URL", " http://127.0.0.1:9/v1/ ")
    monkeypatch.setenv("FOXCHAT_MODEL", "deepseek-chat")
    assert effective_base_url(settings) == "http://127.0.0.1:9/v1"
    assert effective_default_model(settings) == "deepseek-chat"
    save_settings(settings)
    stored = load_settings()
    assert stored.default_profile().base_url == DEFAULT_BASE_URL
    assert stored.default_model == "gpt-4o-mini"


def test_base_url_check_explains_what_is_wrong() -> None:
    assert check_base_url("https://api.foxapi.cc/v1") is None
    assert check_base_url("http://127.0.0.1:8000/v1/") is None
    assert "Enter the API address" in (check_base_url("  ") or "")
    assert "https://" in (check_base_url("api.foxapi.cc/v1") or "")


def test_a_failed_save_raises_a_plain_error_and_leaves_no_temp_file(tmp_path: Path) -> None:
    # A directory where the file should be makes the final rename fail, even as root.
    target = tmp_path / "settings.json"
    target.mkdir()
    with pytest.raises(SettingsError) as caught:
        save_settings(Settings(), target)
    assert "could not save your settings" in caught.value.user_message
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


# --- profile names follow the address until the person names them -------------


def test_the_built_in_profile_takes_the_new_hosts_name() -> None:
    profile = Settings().default_profile()
    assert not profile.named_by_person
    local = profile.with_base_url("http://localhost:11434/v1/")
    assert (local.name, local.base_url) == ("localhost:11434", "http://localhost:11434/v1")
    openai = local.with_base_url("https://api.openai.com/v1")
    assert openai.name == "api.openai.com"
    assert openai.id == profile.id, "same profile, same key"
    assert openai.with_base_url("https://api.openai.com/v1") == openai


def test_a_profile_the_person_named_keeps_its_name() -> None:
    named = replace(Settings().default_profile(), name="Work")
    assert named.named_by_person
    moved = named.with_base_url("http://localhost:11434/v1")
    assert (moved.name, moved.base_url) == ("Work", "http://localhost:11434/v1")


def test_who_named_a_profile_survives_a_restart() -> None:
    auto = Settings().default_profile().with_base_url("http://127.0.0.1:8080/v1")
    named = EndpointProfile("mine", "auto", "https://api.example.com/v1")
    named = replace(named, name="My server")
    save_settings(Settings(profiles=[auto, named]))
    loaded = load_settings()
    assert loaded.profiles == [auto, named]
    first, second = (p.with_base_url("https://api.deepseek.com/v1") for p in loaded.profiles)
    assert (first.name, second.name) == ("api.deepseek.com", "My server")


def test_version_1_files_load_and_learn_which_names_were_automatic(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    profiles = [
        # What the welcome window used to leave behind: FoxAPI pointing elsewhere.
        {"id": "foxapi", "name": "FoxAPI", "base_url": "http://localhost:11434/v1"},
        {"id": "a", "name": "New profile", "base_url": DEFAULT_BASE_URL},
        {"id": "b", "name": "api.openai.com", "base_url": "https://api.openai.com/v1"},
        {"id": "c", "name": "Work", "base_url": "https://api.openai.com/v1"},
    ]
    path.write_text(json.dumps({"version": 1, "profiles": profiles}), encoding="utf-8")
    loaded = load_settings(path)
    assert [p.name for p in loaded.profiles] == [
        "localhost:11434",
        "New profile",
        "api.openai.com",
        "Work",
    ]
    assert [p.named_by_person for p in loaded.profiles] == [False, False, False, True]
    save_settings(loaded, path)
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == SETTINGS_VERSION > 1
    assert load_settings(path) == loaded


SAVE_AT_QUIT_ON_A_FULL_DISK = """
from foxchat.logs import setup_logging
from foxchat.settings import Settings, SettingsError, save_settings
setup_logging()
try:
    save_settings(Settings(theme="light", font_size=15))
    print("saved")
except SettingsError as exc:
    print("refused", exc.user_message)
"""


def test_saving_on_a_full_disk_fails_quietly_and_keeps_the_old_file() -> None:
    save_settings(Settings(theme="dark"))
    path = paths.settings_path()
    before = path.read_bytes()
    files = sorted(p.name for p in path.parent.iterdir())
    done = full_disk.run_python(SAVE_AT_QUIT_ON_A_FULL_DISK, limit=0)
    assert done.stdout.startswith("refused FoxChat could not save your settings"), done.stderr
    assert "the disk is not full" in done.stdout
    assert done.stderr == ""  # no "--- Logging error ---" traceback from the warning
    assert path.read_bytes() == before
    assert load_settings().theme == "dark"
    # No temporary file was left; the log file is the only newcomer.
    assert sorted(p.name for p in path.parent.iterdir()) == sorted({*files, "logs"})


def test_settings_folder_and_file_are_private() -> None:
    path = paths.settings_path()
    path.parent.mkdir(mode=0o755, parents=True)
    path.parent.chmod(0o755)
    save_settings(Settings())
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_model_overrides_read_entry_by_entry_and_skip_what_is_malformed(tmp_path: Path) -> None:
    from foxchat.api.model_rules import Overrides

    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "version": 3,
                "model_overrides": {
                    "https://a/v1": {
                        "m": {"refused": {"top_p": "said", "bad": 3}, "send_anyway": ["seed", 4]},
                        "broken": "not an object",
                        "empty": {},
                    },
                    "https://b/v1": [],
                },
            }
        ),
        "utf-8",
    )
    assert load_settings(path).model_overrides == {
        "https://a/v1": {"m": Overrides(refused={"top_p": "said"}, send_anyway=frozenset({"seed"}))}
    }


def test_address_problems_are_explained_in_chinese() -> None:
    from foxchat.settings import check_base_url, insecure_base_url_question

    with chinese():
        problem = check_base_url("ftp://example.com")
        question = insecure_base_url_question("http://example.com/v1")
    assert problem == "接口地址必须以 https://（或 http://）开头，例如 https://api.foxapi.cc/v1。"
    assert question is not None and question.startswith("地址 example.com 使用的是 http://")


def test_the_last_compare_columns_are_kept_and_a_bad_value_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    kept = '[["gpt-4o", "", 0.0], ["gpt-4o", "seed", 7.0]]'
    save_settings(Settings(compare_columns=kept), path)
    assert load_settings(path).compare_columns == kept
    path.write_text(json.dumps({"version": SETTINGS_VERSION, "compare_columns": 3}), "utf-8")
    assert load_settings(path).compare_columns == ""
