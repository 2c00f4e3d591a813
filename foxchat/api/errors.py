"""Everything that can go wrong talking to a chat API, in words a person understands.

Each error carries a short ``title``, a ``message`` saying what happened, an
``action`` saying what to do next, the HTTP ``status`` when there was one, and
whether trying again may help (``retryable``). ``user_message`` joins message
and action; ``str(error)`` is the same text.

The whole tree (``APIError`` is one branch of :class:`foxchat.errors.FoxChatError`)::

    APIError
    ├── AuthenticationError          401: the key was refused
    ├── PaymentRequiredError         402: no credit left
    ├── PermissionDeniedError        403: the key may not use this model
    ├── NotFoundError                404: wrong model name or base URL (suggests /v1)
    ├── BadRequestError              400, 422: quotes the server's own words
    ├── RequestTooLargeError         413: conversation too long
    ├── RateLimitError               429: too many requests (.retry_after)
    ├── ServerError                  5xx, or an error object sent mid-stream
    ├── UnexpectedResponseError      a web page or other non-JSON reply (proxy, portal)
    ├── ConnectionFailedError        nothing answered (refused, unreachable)
    ├── DNSError                     the server's name could not be looked up
    ├── TLSError                     the secure connection could not be checked
    ├── ConnectTimeoutError          connecting took too long
    ├── FirstByteTimeoutError        connected, but no answer came
    ├── IdleTimeoutError             the reply stopped arriving part way
    ├── ProtocolError                the reply was garbled (bad JSON, odd bytes)
    ├── StreamCutOffError            the reply ended early; the text so far is kept
    ├── ReplyTooLargeError           the server sent far more than any reply needs
    └── ParameterError (ValueError)  a setting is out of range; nothing was sent
"""

from __future__ import annotations

from typing import ClassVar

from foxchat.errors import FoxChatError, join_sentences
from foxchat.i18n import _, ngettext


class APIError(FoxChatError):
    """Base of every error the API client raises; see the module docstring."""

    default_title: ClassVar[str] = _("Something went wrong")
    default_message: ClassVar[str] = _("The chat service could not answer.")
    default_action: ClassVar[str] = _("Try again in a moment.")
    default_retryable: ClassVar[bool] = False

    def __init__(
        self,
        message: str | None = None,
        *,
        action: str | None = None,
        title: str | None = None,
        status: int | None = None,
        retryable: bool | None = None,
    ) -> None:
        self.title = title or self.default_title
        self.message = message or self.default_message
        self.action = action or self.default_action
        self.status = status
        self.retryable = self.default_retryable if retryable is None else retryable
        super().__init__(self.user_message)

    @property
    def user_message(self) -> str:
        """What happened and what to do next, in one line for a person."""
        return join_sentences(self.message, self.action)

    def __str__(self) -> str:
        return self.user_message


class AuthenticationError(APIError):
    default_title = _("API key not accepted")
    default_message = _("The server did not accept your API key.")
    default_action = _("Check that the key is copied in full, without spaces, and has not expired.")


class PaymentRequiredError(APIError):
    default_title = _("No credit left")
    default_message = _("The server says your account has no credit left for this request.")
    default_action = _("Top up your balance with the provider, or pick a cheaper model.")


class PermissionDeniedError(APIError):
    default_title = _("No access")
    default_message = _("Your API key is not allowed to use this model or service.")
    default_action = _("Pick another model, or ask your provider to enable this one for your key.")


class NotFoundError(APIError):
    default_title = _("Not found")
    default_message = _("The server could not find this model or address.")
    default_action = _(
        "Check the model name, and that the base URL ends in /v1 "
        "(for example https://api.foxapi.cc/v1)."
    )


class BadRequestError(APIError):
    default_title = _("Request refused")
    default_message = _("The server refused the request.")
    default_action = _(
        "Switch off the parameters you changed, or pick another model, and try again."
    )

    def __init__(
        self,
        message: str | None = None,
        *,
        action: str | None = None,
        title: str | None = None,
        status: int | None = None,
        retryable: bool | None = None,
        said: str | None = None,
        param: str | None = None,
    ) -> None:
        #: The server's own words, whole (the message quotes them shortened).
        self.said = said
        #: The request field the server named as the problem (OpenAI's
        #: ``error.param``, or the last part of a validation error's ``loc``).
        self.param = param
        super().__init__(message, action=action, title=title, status=status, retryable=retryable)


class RequestTooLargeError(APIError):
    default_title = _("Conversation too long")
    default_message = _("The conversation is too long for the server to accept.")
    default_action = _("Start a new chat, or remove some long messages or files, and try again.")


class RateLimitError(APIError):
    default_title = _("Too many requests")
    default_message = _("The server is getting too many requests from you right now.")
    default_action = _("Wait a minute and try again.")
    default_retryable = True

    def __init__(
        self,
        message: str | None = None,
        *,
        retry_after: float | None = None,
        action: str | None = None,
        title: str | None = None,
        status: int | None = 429,
        retryable: bool | None = None,
    ) -> None:
        self.retry_after = retry_after
        if action is None and retry_after is not None:
            seconds = max(1, round(retry_after))
            action = ngettext(
                "Wait about {count} second and try again.",
                "Wait about {count} seconds and try again.",
                seconds,
            ).format(count=seconds)
        super().__init__(message, action=action, title=title, status=status, retryable=retryable)


class ServerError(APIError):
    default_title = _("Server problem")
    default_message = _("The chat service had a problem on its side.")
    default_action = _("This is not your fault; try again in a minute.")
    default_retryable = True


class UnexpectedResponseError(APIError):
    default_title = _("Unexpected reply")
    default_message = _(
        "The address answered with a web page instead of the chat service. "
        "A proxy, firewall or Wi-Fi login page may be in the way."
    )
    default_action = _(
        "Open any web page in your browser to log in to the network, or check the base URL."
    )


class ConnectionFailedError(APIError):
    default_title = _("Cannot connect")
    default_message = _("Could not connect to the chat service: nothing answered at that address.")
    default_action = _("Check your internet connection and the base URL, then try again.")
    default_retryable = True


class DNSError(APIError):
    default_title = _("Server name not found")
    default_message = _("The server's name could not be found.")
    default_action = _("Check the spelling of the base URL and your internet connection.")


class TLSError(APIError):
    default_title = _("Secure connection failed")
    default_message = _("The connection could not be verified as secure, so nothing was sent.")
    default_action = _(
        "Check the base URL starts with the right https address; "
        "a network that inspects traffic may also cause this."
    )


class ConnectTimeoutError(APIError):
    default_title = _("Connection timed out")
    default_message = _("Connecting to the chat service took too long.")
    default_action = _("Check your internet connection and try again.")
    default_retryable = True


class FirstByteTimeoutError(APIError):
    default_title = _("No answer")
    default_message = _(
        "The chat service accepted the request but did not start answering in time."
    )
    default_action = _("It may be busy; try again, or pick a faster model.")
    default_retryable = True


class IdleTimeoutError(APIError):
    default_title = _("Reply stalled")
    default_message = _("The reply stopped arriving part way through.")
    default_action = _("The text so far is kept; try again to get a full reply.")
    default_retryable = True


class ProtocolError(APIError):
    default_title = _("Garbled reply")
    default_message = _("The server sent a reply FoxChat could not read.")
    default_action = _("Try again; if it keeps happening, check the base URL points to a chat API.")


class StreamCutOffError(APIError):
    default_title = _("Reply cut off")
    default_message = _("The connection ended before the reply was finished.")
    default_action = _("The text so far is kept; try again to get a full reply.")
    default_retryable = True


class ReplyTooLargeError(APIError):
    """The server sent more than a cap in ``foxchat.api.limits``; reading stopped there."""

    default_title = _("Reply too large")
    default_message = _(
        "The server sent far more data than any chat reply needs, so FoxChat stopped reading it."
    )
    default_action = _(
        "Any text that arrived is kept. Check that the base URL points to a chat API; "
        "if it does, try again or pick another model."
    )


class ParameterError(APIError, ValueError):
    """A request setting is out of range or of the wrong shape; nothing was sent."""

    default_title = _("Setting out of range")
    default_message = _("A setting has a value the API does not accept.")
    default_action = _("Change that setting and send again.")

    def __init__(self, parameter: str, message: str, *, action: str | None = None) -> None:
        self.parameter = parameter
        super().__init__(message, action=action)
