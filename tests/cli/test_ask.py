"""``foxchat ask`` and ``foxchat models`` end to end: a real process, the fake server."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from foxchat import DEFAULT_BASE_URL
from foxchat.api import DEFAULT_MODEL
from foxchat.cli.ask import Endpoint, resolve_endpoint
from foxchat.settings import EndpointProfile, Settings, save_settings
from tests.api.proxies import ForwardingProxy
from tests.conftest import MemoryKeyring
from tests.fakeserver import (
    FakeOpenAIServer,
    Reply,
    StatusReply,
    closed_port_url,
    endless_line,
    gzip_bomb,
)


def environment(base_url: str | None, key: str | None = "sk-test", **extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", **extra)
    if base_url is not None:
        env["FOXCHAT_BASE_URL"] = base_url
    if key is not None:
        env["FOXCHAT_API_KEY"] = key
    return env


def foxchat(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "foxchat", *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def test_ask_streams_the_reply_to_stdout(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(Reply(text="Grüße, fox 🦊", chunk_size=2))
    result = foxchat(environment(fake_server.base_url), "ask", "Hello")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Grüße, fox 🦊\n"
    assert result.stderr == ""
    body = fake_server.requests[0].body
    assert body["model"] == DEFAULT_MODEL
    assert body["messages"] == [{"role": "user", "content": "Hello"}]
    assert body["stream"] is True
    for unset in ("temperature", "top_p", "max_tokens"):
        assert unset not in body


def test_ask_sends_every_option(fake_server: FakeOpenAIServer) -> None:
    args = ["ask", "-m", "deepseek-chat", "--temperature", "0.2", "--top-p", "0.5"]
    args += ["--max-tokens", "64", "--system", "Be brief.", "Hi"]
    result = foxchat(environment(fake_server.base_url), *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Echo: Hi\n"
    body = fake_server.requests[0].body
    assert body["model"] == "deepseek-chat"
    assert (body["temperature"], body["top_p"], body["max_tokens"]) == (0.2, 0.5, 64)
    assert body["messages"][0] == {"role": "system", "content": "Be brief."}


def test_ask_uses_foxchat_model(fake_server: FakeOpenAIServer) -> None:
    env = environment(fake_server.base_url, FOXCHAT_MODEL="my-model")
    assert foxchat(env, "ask", "x").returncode == 0
    assert fake_server.requests[0].body["model"] == "my-model"


def test_text_appears_while_the_reply_is_still_streaming(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(Reply(text="first part, then more", chunk_size=10, stall_after=2))
    process = subprocess.Popen(
        [sys.executable, "-m", "foxchat", "ask", "go"],
        env=environment(fake_server.base_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.read(10) == b"first part"
        assert process.poll() is None  # still waiting for the rest
    finally:
        process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()


def test_no_key_is_a_usage_error(fake_server: FakeOpenAIServer) -> None:
    result = foxchat(environment(fake_server.base_url, key=None), "ask", "Hello")
    assert result.returncode == 2
    assert "FoxChat has no API key" in result.stderr
    assert "FOXCHAT_API_KEY" in result.stderr
    assert result.stdout == ""
    assert fake_server.requests == []


def test_out_of_range_parameter_is_a_usage_error(fake_server: FakeOpenAIServer) -> None:
    result = foxchat(environment(fake_server.base_url), "ask", "--temperature", "3", "Hi")
    assert result.returncode == 2
    assert "temperature must be 0 to 2; got 3." in result.stderr
    assert fake_server.requests == []


def test_api_error_prints_the_user_message(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(StatusReply(401, {"error": {"message": "Incorrect API key"}}))
    result = foxchat(environment(fake_server.base_url), "ask", "Hello")
    assert result.returncode == 1
    assert "The server did not accept your API key." in result.stderr
    assert "Traceback" not in result.stderr


def test_cut_off_reply_keeps_the_text_and_exits_1(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(Reply(text="abcdefgh", chunk_size=2, truncate_after=3))
    result = foxchat(environment(fake_server.base_url), "ask", "Hello")
    assert result.returncode == 1
    assert result.stdout == "abcd\n"
    assert "ended before the reply was finished" in result.stderr


def test_a_reply_too_large_exits_1_in_plain_words(fake_server: FakeOpenAIServer) -> None:
    # The real default cap: one 16 MiB SSE event; the server would send 100 MiB.
    fake_server.script(endless_line(100 * 2**20))
    result = foxchat(environment(fake_server.base_url), "ask", "Hello")
    assert result.returncode == 1
    assert "The server sent more than 16 MB for one reply" in result.stderr
    assert "Traceback" not in result.stderr
    assert fake_server.wait_streamed()[0] < 64 * 2**20


def test_a_model_list_gzip_bomb_exits_1_in_plain_words(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(gzip_bomb(100 * 2**20))  # 64 MiB is the cap for a whole reply
    result = foxchat(environment(fake_server.base_url), "models")
    assert result.returncode == 1
    assert "The server sent more than 64 MB for one reply" in result.stderr
    assert "Traceback" not in result.stderr


def test_ask_and_models_use_the_proxy_from_settings(fake_server: FakeOpenAIServer) -> None:
    with ForwardingProxy() as proxy:
        save_settings(Settings(proxy=proxy.url))
        env = environment(fake_server.base_url)
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
            env.pop(name, None)
        assert foxchat(env, "ask", "Hello").stdout == "Echo: Hello\n"
        assert foxchat(env, "models").returncode == 0
    assert proxy.seen == [
        f"POST {fake_server.base_url}/chat/completions",
        f"GET {fake_server.base_url}/models",
    ]


def test_connection_refused_exits_1() -> None:
    result = foxchat(environment(closed_port_url()), "ask", "Hello")
    assert result.returncode == 1
    assert "nothing answered at that address" in result.stderr


def test_models_lists_ids(fake_server: FakeOpenAIServer) -> None:
    fake_server.models = ["gpt-4o", "deepseek-chat", "gpt-4o"]
    result = foxchat(environment(fake_server.base_url), "models")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "deepseek-chat\ngpt-4o\n"
    assert fake_server.requests[0].path == "/v1/models"


def test_models_without_a_key_and_with_an_error(fake_server: FakeOpenAIServer) -> None:
    assert foxchat(environment(fake_server.base_url, key=None), "models").returncode == 2
    fake_server.script(StatusReply(403, {"error": {"message": "nope"}}))
    result = foxchat(environment(fake_server.base_url), "models")
    assert result.returncode == 1
    assert "not allowed to use this model" in result.stderr


def test_endpoint_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_endpoint().base_url == DEFAULT_BASE_URL
    assert resolve_endpoint().api_key is None
    assert resolve_endpoint().model == "gpt-4o-mini"
    monkeypatch.setenv("FOXCHAT_BASE_URL", "https://example.org/v1")
    monkeypatch.setenv("FOXCHAT_API_KEY", "sk-env")
    monkeypatch.setenv("FOXCHAT_MODEL", "m")
    endpoint = resolve_endpoint()
    assert (endpoint.base_url, endpoint.api_key, endpoint.model) == (
        "https://example.org/v1",
        "sk-env",
        "m",
    )


def test_endpoint_falls_back_to_stored_settings_and_keyring(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_settings(
        Settings(
            profiles=[EndpointProfile("home", "Home", "http://127.0.0.1:1/v1")],
            default_profile_id="home",
            default_model="deepseek-chat",
        )
    )
    memory_keyring.set_password("FoxChat", "home", "sk-from-keyring")
    endpoint = resolve_endpoint()
    assert endpoint == Endpoint("http://127.0.0.1:1/v1", "sk-from-keyring", "deepseek-chat")
    monkeypatch.setenv("FOXCHAT_API_KEY", "sk-env")
    monkeypatch.setenv("FOXCHAT_MODEL", "gpt-4o")
    assert resolve_endpoint().api_key == "sk-env"
    assert resolve_endpoint().model == "gpt-4o"


#: Every option of ``foxchat ask`` that the model rules look at, none at its default.
ALL_OPTIONS = [
    "--temperature", "0.3", "--top-p", "0.9", "--frequency-penalty", "0.5",
    "--presence-penalty", "0.25", "--max-tokens", "256", "--seed", "42",
    "--reasoning-effort", "low", "--stop", "END", "--stop", "STOP",
]  # fmt: skip

ASK_BASE = {
    "messages": [{"role": "user", "content": "Hi"}],
    "stream": True,
    "stream_options": {"include_usage": True},
    "stop": ["END", "STOP"],
    "seed": 42,
}

SAMPLING = {
    "temperature": 0.3,
    "top_p": 0.9,
    "frequency_penalty": 0.5,
    "presence_penalty": 0.25,
}


def note(parameter: str, reason: str) -> str:
    return f"{parameter} not sent: {reason}. Use --no-model-rules to send it anyway."


@pytest.mark.parametrize(
    ("model", "sent", "notes"),
    [
        (
            "gpt-4o",
            {**SAMPLING, "max_tokens": 256},
            [note("reasoning_effort", "OpenAI chat models do not take a reasoning effort")],
        ),
        (
            "o3-mini",
            {"max_completion_tokens": 256, "reasoning_effort": "low"},
            [
                note("temperature", "o-series models choose their own temperature"),
                note("top_p", "o-series models choose their own top P"),
                note("frequency_penalty", "o-series models do not take a frequency penalty"),
                note("presence_penalty", "o-series models do not take a presence penalty"),
            ],
        ),
        (
            "gpt-5",
            {"max_completion_tokens": 256, "reasoning_effort": "low"},
            [
                note("temperature", "gpt-5 models choose their own temperature"),
                note("top_p", "gpt-5 models choose their own top P"),
                note("frequency_penalty", "gpt-5 models do not take a frequency penalty"),
                note("presence_penalty", "gpt-5 models do not take a presence penalty"),
            ],
        ),
        (
            "deepseek-reasoner",
            {"max_tokens": 256},
            [
                note("temperature", "deepseek-reasoner ignores temperature"),
                note("top_p", "deepseek-reasoner ignores top P"),
                note("frequency_penalty", "deepseek-reasoner ignores the frequency penalty"),
                note("presence_penalty", "deepseek-reasoner ignores the presence penalty"),
                note("reasoning_effort", "DeepSeek reasoner models do not take a reasoning effort"),
            ],
        ),
        (
            "claude-sonnet-4-5",
            {
                "temperature": 0.3,
                "frequency_penalty": 0.5,
                "presence_penalty": 0.25,
                "max_tokens": 256,
            },
            [
                note(
                    "top_p",
                    "Claude models refuse temperature and top P together, and temperature is sent",
                ),
                note("reasoning_effort", "Anthropic Claude models do not take a reasoning effort"),
            ],
        ),
        ("llama3.2", {**SAMPLING, "max_tokens": 256, "reasoning_effort": "low"}, []),
    ],
)
def test_ask_applies_model_rules_with_a_note_for_each_parameter_not_sent(
    fake_server: FakeOpenAIServer, model: str, sent: dict[str, object], notes: list[str]
) -> None:
    result = foxchat(environment(fake_server.base_url), "ask", "-m", model, *ALL_OPTIONS, "Hi")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Echo: Hi\n"
    assert fake_server.requests[0].body == {"model": model, **ASK_BASE, **sent}
    assert result.stderr.splitlines() == notes


def test_no_model_rules_sends_exactly_what_was_given(fake_server: FakeOpenAIServer) -> None:
    args = ["ask", "-m", "o3-mini", "--no-model-rules", *ALL_OPTIONS, "Hi"]
    result = foxchat(environment(fake_server.base_url), *args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert fake_server.requests[0].body == {
        "model": "o3-mini",
        **ASK_BASE,
        **SAMPLING,
        "max_tokens": 256,
        "reasoning_effort": "low",
    }


def test_max_completion_tokens_is_the_same_limit(fake_server: FakeOpenAIServer) -> None:
    env = environment(fake_server.base_url)
    result = foxchat(env, "ask", "-m", "deepseek-reasoner", "--max-completion-tokens", "64", "Hi")
    assert result.returncode == 0, result.stderr
    assert fake_server.requests[0].body["max_tokens"] == 64
    assert "max_completion_tokens" not in fake_server.requests[0].body
    args = ["--no-model-rules", "--max-completion-tokens", "64", "Hi"]
    result = foxchat(env, "ask", "-m", "llama3.2", *args)
    assert result.returncode == 0, result.stderr
    assert fake_server.requests[1].body["max_completion_tokens"] == 64
    both = foxchat(env, "ask", "--max-tokens", "5", "--max-completion-tokens", "5", "Hi")
    assert both.returncode == 2
    assert "not both" in both.stderr
    assert len(fake_server.requests) == 2


def test_unknown_reasoning_effort_is_a_usage_error(fake_server: FakeOpenAIServer) -> None:
    result = foxchat(environment(fake_server.base_url), "ask", "--reasoning-effort", "max", "Hi")
    assert result.returncode == 2
    assert "reasoning_effort must be one of" in result.stderr
    assert fake_server.requests == []
