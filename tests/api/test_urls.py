"""Whatever base URL a person pastes, requests go to .../v1/chat/completions."""

from __future__ import annotations

import pytest

from foxchat.api import normalize_base_url


@pytest.mark.parametrize(
    "pasted",
    [
        "https://api.example.com",
        "https://api.example.com/",
        "https://api.example.com/v1",
        "https://api.example.com/v1/",
        "https://api.example.com/v1/chat/completions",
        "https://api.example.com/v1/chat/completions/",
        "https://api.example.com/v1/models",
        "  https://api.example.com/v1  ",
        "api.example.com/v1",
        "HTTPS://api.example.com/v1",
    ],
)
def test_pasted_forms_all_normalise_to_v1(pasted: str) -> None:
    assert normalize_base_url(pasted) == "https://api.example.com/v1"


def test_a_base_with_its_own_path_is_kept() -> None:
    assert normalize_base_url("https://host/api/openai/") == "https://host/api/openai"
    assert normalize_base_url("http://127.0.0.1:8080/v1") == "http://127.0.0.1:8080/v1"
