"""SettingsService: every change is saved and announced once; a failed save is said."""

from __future__ import annotations

from dataclasses import replace

from foxchat.api.params import GenerationParams
from foxchat.services.settings_service import SettingsService
from foxchat.settings import Settings, load_settings
from tests.full_disk import file_size_limit


def changes_of(service: SettingsService) -> list[tuple[Settings, Settings]]:
    seen: list[tuple[Settings, Settings]] = []
    service.changed.connect(lambda new, old: seen.append((new, old)))
    return seen


def test_a_change_is_saved_and_announced_once_with_the_old_settings() -> None:
    service = SettingsService(Settings())
    seen = changes_of(service)
    service.update(theme="dark")
    assert load_settings().theme == "dark"
    assert [(new.theme, old.theme) for new, old in seen] == [("dark", "system")]
    service.update(theme="dark")  # nothing new: nothing to announce
    assert len(seen) == 1


def test_a_failed_save_is_said_and_the_settings_stay_in_use() -> None:
    service = SettingsService(Settings())
    failures: list[str] = []
    service.failed.connect(failures.append)
    with file_size_limit(0):  # a full disk
        service.update(font_size=15)
    assert service.current.font_size == 15
    assert len(failures) == 1 and "could not save your settings" in failures[0]
    assert load_settings().font_size != 15


def test_saving_defaults_sets_the_model_for_new_chats_on_this_endpoint() -> None:
    service = SettingsService(Settings())
    params = replace(GenerationParams(), temperature=1.3).with_enabled("temperature", True)
    service.save_defaults("deepseek-chat", params)
    saved = load_settings()
    assert saved.default_model == "deepseek-chat"
    assert saved.default_profile().model == "deepseek-chat"
    assert GenerationParams.from_json(saved.default_params_json).temperature == 1.3


def test_moving_the_built_in_profile_renames_it_after_the_host() -> None:
    service = SettingsService(Settings())
    service.move_profile("http://localhost:11434/v1")
    profile = load_settings().default_profile()
    assert (profile.name, profile.base_url) == ("localhost:11434", "http://localhost:11434/v1")


def test_what_is_learnt_per_model_is_kept_per_server_and_forgotten_on_request() -> None:
    from foxchat.settings import EndpointProfile

    here = EndpointProfile("a", "A", "https://a.example/v1")
    there = EndpointProfile("b", "B", "https://b.example/v1")
    service = SettingsService(Settings(profiles=[here, there], default_profile_id="a"))
    service.remember_refusal("m", "top_p", "no top_p here")
    service.send_anyway("o3-mini", "temperature")
    assert service.overrides_for("m").refused == {"top_p": "no top_p here"}
    assert service.overrides_for("o3-mini").send_anyway == {"temperature"}
    # Another server knows nothing of it.
    service.update(default_profile_id="b")
    assert service.overrides_for("m").empty
    service.update(default_profile_id="a")
    # Saved, and read back the same.
    assert load_settings().model_overrides == service.current.model_overrides
    # Send anyway on a refused parameter forgets the refusal only.
    service.send_anyway("m", "top_p")
    assert service.overrides_for("m").empty
    service.clear_overrides("https://a.example/v1", "o3-mini")
    assert load_settings().model_overrides == {}
