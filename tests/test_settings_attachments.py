"""The attachment settings: image size, document limit and image detail, each checked."""

from __future__ import annotations

from pathlib import Path

from foxchat.settings import Settings, load_settings, save_settings, settings_from_dict


def test_defaults_are_2048_pixels_100000_characters_and_auto() -> None:
    settings = Settings()
    assert (settings.image_max_side, settings.document_char_limit, settings.image_detail) == (
        2048,
        100_000,
        "auto",
    )


def test_the_values_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(
        Settings(image_max_side=1024, document_char_limit=20_000, image_detail="high"), path
    )
    loaded = load_settings(path)
    assert (loaded.image_max_side, loaded.document_char_limit, loaded.image_detail) == (
        1024,
        20_000,
        "high",
    )


def test_values_out_of_range_fall_back_to_the_default() -> None:
    loaded = settings_from_dict(
        {"image_max_side": 10, "document_char_limit": -5, "image_detail": "ultra"}
    )
    assert (loaded.image_max_side, loaded.document_char_limit, loaded.image_detail) == (
        2048,
        100_000,
        "auto",
    )
