"""Choosing a model the server has, from the person's wishes and the server's list."""

from __future__ import annotations

from foxchat.services.model_choice import choose_model, is_chat_model


def test_the_persons_choice_wins_when_the_server_has_it() -> None:
    assert choose_model(
        ["deepseek-reasoner", "gpt-4o-mini"], ["deepseek-chat", "deepseek-reasoner"]
    ) == ("deepseek-reasoner")


def test_a_missing_default_becomes_a_sensible_listed_model() -> None:
    listed = ["deepseek-reasoner", "deepseek-chat"]
    assert choose_model(["gpt-4o-mini"], listed) == "deepseek-chat"


def test_a_dated_or_prefixed_id_counts_as_the_preferred_model() -> None:
    listed = ["text-embedding-3-small", "openai/gpt-4o-mini-2024-07-18"]
    assert choose_model(["my-model"], listed) == "openai/gpt-4o-mini-2024-07-18"


def test_models_that_cannot_chat_are_never_picked_when_another_exists() -> None:
    listed = ["nomic-embed-text", "whisper-1", "mistral:7b"]
    assert choose_model(["gpt-4o-mini"], listed) == "mistral:7b"
    assert not is_chat_model("text-embedding-3-large")


def test_an_empty_list_says_nothing_is_known() -> None:
    assert choose_model(["gpt-4o-mini"], []) is None
