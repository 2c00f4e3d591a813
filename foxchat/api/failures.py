"""Turning what went wrong (a status, an error object, a socket error) into an APIError.

The server's own words are quoted where it gave some, because aggregators put
the useful part ("model x does not support tools") there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from foxchat.api.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConnectionFailedError,
    ConnectTimeoutError,
    DNSError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    ProtocolError,
    RateLimitError,
    RequestTooLargeError,
    ServerError,
    TLSError,
)
from foxchat.i18n import _

if TYPE_CHECKING:
    import httpx

#: Longest piece of a server's message worth showing a person.
MAX_QUOTE: Final = 300

#: What ends a sentence, in English and in Chinese (the full-width full stop, ! and ?).
_SENTENCE_ENDS: Final = (".", "!", "?", "…", "\u3002", "\uff01", "\uff1f")

_QUOTA_CODES: Final = ("insufficient_quota", "insufficient_balance", "billing_hard_limit_reached")


def server_message(body: str | bytes) -> str | None:
    """The human part of an error body (JSON ``error.message`` and kin), if any."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return _message_in(data)


def _message_in(data: Any) -> str | None:
    if isinstance(data, Mapping):
        for key in ("error", "message", "detail", "msg"):
            found = _message_in(data.get(key))
            if found:
                return found
        return None
    if isinstance(data, str) and data.strip():
        return data.strip()
    if isinstance(data, list) and data:
        return _message_in(data[0])
    return None


def shorten(text: str | None) -> str | None:
    """``text`` cut to what is worth showing a person (``MAX_QUOTE`` characters)."""
    if text and len(text) > MAX_QUOTE:
        return text[: MAX_QUOTE - 1].rstrip() + "…"
    return text


def quoting(said: str, unended: str, ended: str, **fields: object) -> str:
    """A whole message quoting the server's words ``said``: ``unended``, or
    ``ended`` when the server finished its own sentence (". ! ? …"), so the
    message's full stop is not doubled. Each is one complete sentence a
    translation can order as its language needs.
    """
    template = ended if said.endswith(_SENTENCE_ENDS) else unended
    return template.format(said=said, **fields)


def _error_code(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        return str(error.get("code") or error.get("type") or "")
    return ""


def _error_param(body: bytes) -> str | None:
    """The request field an error body names: OpenAI's ``error.param``, or a
    validation error's ``detail[0].loc`` (FastAPI-based servers such as vLLM)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    error = data.get("error")
    if isinstance(error, dict) and isinstance(error.get("param"), str) and error["param"]:
        return str(error["param"])
    detail = data.get("detail")
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        loc = detail[0].get("loc")
        if isinstance(loc, list) and loc and isinstance(loc[-1], str):
            return str(loc[-1])
    return None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    # Only a Retry-After date needs these; the window's start should not load them.
    from datetime import UTC, datetime
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def error_for_status(
    status: int,
    quoted: str | None = None,
    *,
    code: str = "",
    retry_after: float | None = None,
    param: str | None = None,
) -> APIError:
    """The error for an HTTP ``status``, quoting the server's ``quoted`` message.

    ``param`` is the request field the server named as the problem, if any.
    """
    whole = quoted
    quoted = shorten(quoted)
    if status in (400, 422):
        refused = (
            quoting(
                quoted,
                _('The server refused the request: "{said}".'),
                _('The server refused the request: "{said}"'),
            )
            if quoted
            else None
        )
        return BadRequestError(refused, status=status, said=whole, param=param)
    if status == 401:
        return AuthenticationError(_status_message(status, quoted), status=status)
    if status == 402 or (status == 429 and code in _QUOTA_CODES):
        return PaymentRequiredError(_status_message(402, quoted), status=status)
    if status == 403:
        return PermissionDeniedError(_status_message(status, quoted), status=status)
    if status == 404:
        return NotFoundError(_status_message(status, quoted), status=status)
    if status == 413:
        return RequestTooLargeError(_status_message(status, quoted), status=status)
    if status == 429:
        return RateLimitError(_status_message(status, quoted), retry_after=retry_after)
    if status >= 500:
        return ServerError(_status_message(status, quoted), status=status)
    return BadRequestError(_status_message(status, quoted), status=status)


def _status_message(status: int, quoted: str | None) -> str:
    """What happened for ``status``: one whole sentence, with the server's words if it gave any."""
    if not quoted:
        plain = {
            401: _("The server did not accept your API key."),
            402: _("The server says your account has no credit left for this request."),
            403: _("Your API key is not allowed to use this model or service."),
            404: _("The server could not find this model or address."),
            413: _("The conversation is too long for the server to accept."),
            429: _("The server is getting too many requests from you right now."),
        }
        if status in plain:
            return plain[status]
        if status >= 500:
            return _("The chat service had a problem on its side (error {status}).").format(
                status=status
            )
        return _("The server refused the request (error {status}).").format(status=status)
    # i18n: each pair: the first when the server's words end without . ! ? or …, the second
    # when they end their own sentence (so the full stop is not doubled).
    pairs = {
        401: (
            _('The server did not accept your API key. The server said: "{said}".'),
            _('The server did not accept your API key. The server said: "{said}"'),
        ),
        402: (
            _(
                "The server says your account has no credit left for this request."
                ' The server said: "{said}".'
            ),
            _(
                "The server says your account has no credit left for this request."
                ' The server said: "{said}"'
            ),
        ),
        403: (
            _(
                "Your API key is not allowed to use this model or service."
                ' The server said: "{said}".'
            ),
            _(
                "Your API key is not allowed to use this model or service."
                ' The server said: "{said}"'
            ),
        ),
        404: (
            _('The server could not find this model or address. The server said: "{said}".'),
            _('The server could not find this model or address. The server said: "{said}"'),
        ),
        413: (
            _('The conversation is too long for the server to accept. The server said: "{said}".'),
            _('The conversation is too long for the server to accept. The server said: "{said}"'),
        ),
        429: (
            _(
                "The server is getting too many requests from you right now."
                ' The server said: "{said}".'
            ),
            _(
                "The server is getting too many requests from you right now."
                ' The server said: "{said}"'
            ),
        ),
    }
    if status in pairs:
        return quoting(quoted, *pairs[status])
    if status >= 500:
        return quoting(
            quoted,
            _(
                "The chat service had a problem on its side (error {status})."
                ' The server said: "{said}".'
            ),
            _(
                "The chat service had a problem on its side (error {status})."
                ' The server said: "{said}"'
            ),
            status=status,
        )
    return quoting(
        quoted,
        _('The server refused the request (error {status}). The server said: "{said}".'),
        _('The server refused the request (error {status}). The server said: "{said}"'),
        status=status,
    )


def error_from_response(response: httpx.Response, body: bytes) -> APIError:
    """The error for a non-2xx reply, given its (already read) body."""
    return error_for_status(
        response.status_code,
        server_message(body),
        code=_error_code(body),
        retry_after=parse_retry_after(response.headers.get("retry-after")),
        param=_error_param(body),
    )


def error_from_payload(payload: Mapping[str, Any]) -> APIError:
    """The error for an ``{"error": ...}`` object sent inside a stream or a 200 reply."""
    error = payload.get("error")
    quoted = shorten(_message_in(error))
    status: int | None = None
    code = ""
    if isinstance(error, Mapping):
        for key in ("status", "code"):
            value = error.get(key)
            if isinstance(value, int) and 400 <= value < 600:
                status = value
            elif isinstance(value, str) and value.isdigit() and 400 <= int(value) < 600:
                status = int(value)
            elif isinstance(value, str) and not code:
                code = value
            if status is not None:
                break
    if status is not None:
        return error_for_status(status, quoted, code=code)
    stopped = (
        quoting(
            quoted,
            _('The chat service stopped with an error. The server said: "{said}".'),
            _('The chat service stopped with an error. The server said: "{said}"'),
        )
        if quoted
        else _("The chat service stopped with an error.")
    )
    return ServerError(
        stopped, action=_("Try again; if it keeps happening, pick another model."), status=None
    )


def error_from_transport(exc: httpx.TransportError) -> APIError:
    """The error for a failure before any reply arrived (connect, DNS, TLS)."""
    import httpx

    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout | httpx.WriteTimeout):
        return ConnectTimeoutError()
    if isinstance(exc, httpx.UnsupportedProtocol):
        return ConnectionFailedError(
            _("The base URL is not a web address FoxChat can use."),
            action=_("Enter an address like {example}.").format(example="https://api.foxapi.cc/v1"),
            retryable=False,
        )
    if isinstance(exc, httpx.RemoteProtocolError):
        return ProtocolError(_("The server closed the connection without answering."))
    import socket  # here, not at start-up: the window's first paint never needs it

    causes = _cause_chain(exc)
    text = " ".join(str(cause) for cause in causes).lower()
    if any(isinstance(cause, socket.gaierror) for cause in causes) or any(
        hint in text
        for hint in (
            "name or service not known",
            "nodename nor servname",
            "getaddrinfo failed",
            "temporary failure in name resolution",
            "no address associated",
        )
    ):
        return DNSError()
    # ssl is loaded by then (the request used it); imported here, not with the window.
    import ssl

    if any(isinstance(cause, ssl.SSLError) for cause in causes) or "certificate" in text:
        return TLSError()
    return ConnectionFailedError()


def _cause_chain(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain
