"""Which parameter a 400/422 refused: from the server's field, or from its words."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from foxchat.api import APIError, ChatClient, ChatRequest, Message, Timeouts
from foxchat.api.errors import BadRequestError, ServerError
from foxchat.api.refusals import refused_parameter
from tests.fakeserver import FakeOpenAIServer, StatusReply

SENT = ("model", "messages", "stream", "temperature", "top_p", "max_tokens", "seed")


def refusal_from(server: FakeOpenAIServer, reply: StatusReply) -> APIError:
    """The error the real client raises for ``reply``."""
    server.script(reply)

    async def main() -> APIError:
        request = ChatRequest("m", [Message("user", "hi")], temperature=0.5, top_p=0.5)
        async with ChatClient(
            server.base_url, "sk", max_retries=0, timeouts=Timeouts(5, 5, 5)
        ) as chat:
            try:
                async for _event in chat.stream_chat(request):
                    pass
            except APIError as exc:
                return exc
        raise AssertionError("no error")

    return asyncio.run(main())


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        # OpenAI: the field in error.param.
        (
            400,
            {"error": {"message": "Unsupported parameter.", "param": "top_p"}},
            "top_p",
        ),
        # Only in the words; the first sent field they mention.
        (
            400,
            {"error": {"message": "temperature and top_p cannot both be specified"}},
            "temperature",
        ),
        # "Use max_completion_tokens instead": that one was not sent.
        (
            400,
            {
                "error": {
                    "message": "Unsupported parameter: 'max_tokens' is not supported with "
                    "this model. Use 'max_completion_tokens' instead."
                }
            },
            "max_tokens",
        ),
        # FastAPI / pydantic servers (vLLM and kin): detail[0].loc.
        (
            422,
            {"detail": [{"loc": ["body", "seed"], "msg": "Extra inputs are not permitted"}]},
            "seed",
        ),
        # Names nothing that was sent.
        (400, {"error": {"message": "Your prompt was flagged."}}, None),
        # A field that is the conversation itself is never "left out".
        (400, {"error": {"message": "bad", "param": "messages"}}, None),
        # top_pp is not top_p.
        (400, {"error": {"message": "top_pp is not a thing"}}, None),
    ],
)
def test_refused_parameter(
    fake_server: FakeOpenAIServer, status: int, body: dict[str, Any], expected: str | None
) -> None:
    error = refusal_from(fake_server, StatusReply(status, body))
    assert isinstance(error, BadRequestError)
    assert refused_parameter(error, SENT) == expected


def test_other_errors_refuse_no_parameter() -> None:
    assert refused_parameter(ServerError("top_p broke", status=500), SENT) is None
