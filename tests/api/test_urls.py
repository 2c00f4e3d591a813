"""Whatever base URL a person pastes, requests go to .../v1/chat/completions."""

from __future__ import annotations

import pytest

from foxchat.api import normalize_base_url
from foxchat.api.urls import check_proxy_url


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


@pytest.mark.parametrize(
    "proxy",
    ["", "  ", "http://proxy:8080", "https://proxy.example.com", "socks5://u:p@127.0.0.1:1080"],
)
def test_usable_proxy_addresses(proxy: str) -> None:
    assert check_proxy_url(proxy) is None


@pytest.mark.parametrize(
    ("proxy", "words"),
    [
        ("ftp://proxy:21", "must start with http://, https:// or socks5://"),
        ("proxy.example.com:8080", "must start with http://"),
        ("http://:8080", "needs a server name"),
        ("http://proxy:99999", "a port from 1 to 65535"),
        ("socks5://proxy:port", "a port from 1 to 65535"),
        ("http://proxy:8080/path", "without a path"),
    ],
)
def test_unusable_proxy_addresses_say_why(proxy: str, words: str) -> None:
    problem = check_proxy_url(proxy)
    assert problem is not None and words in problem
    assert problem.endswith(".")
