"""``foxchat ask`` and ``foxchat models``: the API from the command line.

The endpoint comes from :func:`resolve_endpoint` (environment variables,
then the stored settings and the OS keyring); the proxy in Settings applies
here too, else HTTPS_PROXY / ALL_PROXY from the environment. ``--attach FILE``
attaches images and documents exactly as the window does (same conversion,
limits and messages). Replies stream to
stdout as they arrive; problems go to stderr in the same words the window
would use. Exit codes: 0 success, 1 an API or network error, 2 a usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foxchat.api import (
    APIError,
    ChatClient,
    ChatRequest,
    ContentDelta,
    Message,
    ParameterError,
    ReplyAccumulator,
)
from foxchat.api.content import explain_refusal, user_message
from foxchat.attachments import AttachmentError, attach_file
from foxchat.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from foxchat.i18n import _
from foxchat.secrets import KeyStore, KeyStoreError
from foxchat.settings import effective_base_url, effective_default_model, load_settings

EXIT_INTERRUPTED = 130

BOTH_LIMITS = _(
    "Give either --max-tokens or --max-completion-tokens, not both: they are the same limit."
)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where to send requests, with which key, and the model to use by default."""

    base_url: str
    api_key: str | None
    model: str
    proxy: str = ""  # "" leaves the environment's proxy variables in charge


def resolve_endpoint() -> Endpoint:
    """The endpoint: environment first, then the stored settings and keyring.

    FOXCHAT_BASE_URL, FOXCHAT_API_KEY and FOXCHAT_MODEL win, since they are
    how scripts override the app; otherwise the default profile's address,
    its key from the OS keyring and the default model are used, so
    ``foxchat ask`` works after the key was pasted into the window once.
    """
    settings = load_settings()
    key = KeyStore.key_from_environment()
    if key is None:
        try:
            key = asyncio.run(KeyStore().load_key(settings.default_profile().id))
        except KeyStoreError as exc:
            print(exc.user_message, file=sys.stderr)
    return Endpoint(
        base_url=effective_base_url(settings),
        api_key=key,
        model=effective_default_model(settings),
        proxy=settings.proxy,
    )


def _missing_key() -> int:
    print(
        _(
            "FoxChat has no API key. Paste it once in the FoxChat window, or set\n"
            "FOXCHAT_API_KEY to your key, for example:\n"
            "  {example}"
        ).format(example='FOXCHAT_API_KEY=sk-... foxchat ask "Hello"'),
        file=sys.stderr,
    )
    return EXIT_USAGE


def run_ask(args: argparse.Namespace) -> int:
    """Send ``args.prompt`` and stream the reply to stdout."""
    endpoint = resolve_endpoint()
    if endpoint.api_key is None:
        return _missing_key()
    settings = load_settings()
    attachments = []
    for name in args.attach or ():
        try:
            attachment = attach_file(Path(name), max_side=settings.image_max_side)
        except AttachmentError as error:
            print(error.user_message, file=sys.stderr)
            return EXIT_USAGE
        if not attachment.is_image and len(attachment.text) > settings.document_char_limit:
            print(
                LONG_DOCUMENT_NOTE.format(
                    name=attachment.name,
                    characters=len(attachment.text),
                    tokens=attachment.estimated_tokens(),
                ),
                file=sys.stderr,
            )
        attachments.append(attachment)
    messages = [Message("system", args.system)] if args.system else []
    detail = args.detail or settings.image_detail
    messages.append(user_message(args.prompt, attachments, detail=detail))
    if args.max_tokens is not None and args.max_completion_tokens is not None:
        print(BOTH_LIMITS, file=sys.stderr)
        return EXIT_USAGE
    model = args.model or endpoint.model
    fields = _ask_fields(args)
    as_given, _unused = ChatRequest.from_fields(model, messages, fields, model_rules=False)
    request, dropped = ChatRequest.from_fields(
        model, messages, fields, model_rules=not args.no_model_rules
    )
    try:
        # What was typed is checked before the rules, so a typo in a value the
        # model would not get anyway is still pointed out.
        as_given.validate()
        request.validate()
    except ParameterError as error:
        print(error.user_message, file=sys.stderr)
        return EXIT_USAGE
    for item in dropped:
        print(
            NOT_SENT_NOTE.format(parameter=item.parameter, reason=item.reason),
            file=sys.stderr,
        )
    try:
        return asyncio.run(_stream_to_stdout(endpoint, endpoint.api_key, request))
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED


NOT_SENT_NOTE = _("{parameter} not sent: {reason}. Use --no-model-rules to send it anyway.")
LONG_DOCUMENT_NOTE = _(
    "The document {name} is {characters:,} characters long and adds about {tokens:,} tokens"
    " to the request, which costs more and may not fit the model's limit."
)

#: Options of ``foxchat ask`` that become request fields of the same name.
_FIELD_OPTIONS = (
    "temperature",
    "top_p",
    "max_tokens",
    "max_completion_tokens",
    "reasoning_effort",
    "seed",
    "frequency_penalty",
    "presence_penalty",
)


def _ask_fields(args: argparse.Namespace) -> dict[str, Any]:
    """The request fields the person gave on the command line, by API name."""
    fields: dict[str, Any] = {
        name: getattr(args, name) for name in _FIELD_OPTIONS if getattr(args, name) is not None
    }
    if args.stop:
        fields["stop"] = list(args.stop)
    return fields


async def _stream_to_stdout(endpoint: Endpoint, api_key: str, request: ChatRequest) -> int:
    reply = ReplyAccumulator()
    out = sys.stdout
    try:
        async with ChatClient(endpoint.base_url, api_key, proxy=endpoint.proxy or None) as client:
            async for event in client.stream_chat(request):
                reply.feed(event)
                if isinstance(event, ContentDelta) and event.choice == 0:
                    out.write(event.text)
                    out.flush()  # a reader piping us sees each piece at once
    except APIError as error:
        _end_line(reply.text())
        print(explain_refusal(error, request.messages).user_message, file=sys.stderr)
        return EXIT_ERROR
    _end_line(reply.text())
    state = reply.choices.get(0)
    if state is not None and state.finish_reason == "length":
        print(_("(The reply was cut short by the max tokens limit.)"), file=sys.stderr)
    return EXIT_OK


def _end_line(text: str) -> None:
    if text and not text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()


def run_models(args: argparse.Namespace) -> int:
    """Print the endpoint's model ids, one per line."""
    endpoint = resolve_endpoint()
    if endpoint.api_key is None:
        return _missing_key()
    try:
        models = asyncio.run(_list_models(endpoint, endpoint.api_key))
    except APIError as error:
        print(error.user_message, file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    for model in models:
        print(model)
    return EXIT_OK


async def _list_models(endpoint: Endpoint, api_key: str) -> list[str]:
    async with ChatClient(endpoint.base_url, api_key, proxy=endpoint.proxy or None) as client:
        return await client.list_models()
