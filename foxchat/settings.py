"""The user's settings: endpoint profiles, appearance, defaults, window layout.

Settings live in one versioned JSON file (``foxchat.paths.settings_path()``).
Reading never crashes the app: a missing file gives defaults, a file that is
not a JSON object is moved aside as ``settings.json.broken-<timestamp>``, and
each field is checked on its own so one bad value costs only that value.
Older versions load as they are; version 1 files only lack who named each
profile, which is worked out from the names FoxChat used to give.
Writing is atomic (temp file, fsync, ``os.replace``), so a crash mid-write
leaves the old file intact.

A settings file never holds an API key; keys live in the OS keyring
(:mod:`foxchat.secrets`). No Qt here: the CLI reads settings too.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from foxchat import DEFAULT_BASE_URL, paths
from foxchat.api.model_rules import Overrides
from foxchat.api.params import DEFAULT_MODEL as DEFAULT_MODEL
from foxchat.api.params import DETAILS
from foxchat.api.urls import check_proxy_url
from foxchat.attachments.records import (
    DEFAULT_DOCUMENT_CHAR_LIMIT,
    DEFAULT_MAX_IMAGE_SIDE,
    MAX_MAX_IMAGE_SIDE,
    MIN_MAX_IMAGE_SIDE,
)
from foxchat.errors import FoxChatError
from foxchat.i18n import LANGUAGES, _
from foxchat.jsonfile import move_aside, write_atomically

log = logging.getLogger(__name__)

#: 2: profiles remember the name FoxChat gave them (``auto_name``) and the
#: person's last model there (``model``), and
#: ``proxy`` was added; a version 1 file loads with no proxy (the
#: environment's apply).
#: 3: ``model_overrides`` (parameters a server refused, parameters to send
#: anyway) and ``language``; older files load with none and the system's.
SETTINGS_VERSION: Final = 3
THEMES: Final = ("system", "light", "dark")
DEFAULT_FONT_SIZE: Final = 11
MIN_FONT_SIZE: Final = 6
MAX_FONT_SIZE: Final = 48
DEFAULT_PROFILE_ID: Final = "foxapi"
BASE_URL_ENV: Final = "FOXCHAT_BASE_URL"
MODEL_ENV: Final = "FOXCHAT_MODEL"
#: The smallest document size limit that can be set (characters).
MIN_DOCUMENT_CHAR_LIMIT: Final = 1_000


class SettingsError(FoxChatError):
    """Settings could not be saved; ``user_message`` says why in plain words."""


#: The names FoxChat gives profiles by itself, before anyone names them.
BUILT_IN_PROFILE_NAME: Final = "FoxAPI"
#: A new profile's name until the person names it.
NEW_PROFILE_NAME: Final = _("New profile")
#: Names a profile keeps only until its address names it: this language's and English (older files).
_PLACEHOLDER_NAMES: Final = frozenset({NEW_PROFILE_NAME, "New profile"})


@dataclass(frozen=True, slots=True)
class EndpointProfile:
    """One API endpoint the user can chat with; its key is in the keyring under ``id``.

    ``auto_name`` is the name FoxChat gave the profile; left out, it is
    ``name`` (names written in code are FoxChat's own). A name the person
    types differs from it, and "" means the person named it. While the
    person has not, a new address renames the profile after its host.
    """

    id: str
    name: str
    base_url: str
    auto_name: str | None = None
    #: The model the person last chose on this endpoint ("" none yet): new
    #: chats start on it while the server lists it.
    model: str = ""

    def __post_init__(self) -> None:
        if self.auto_name is None:
            object.__setattr__(self, "auto_name", self.name)

    @property
    def named_by_person(self) -> bool:
        """Whether the person chose this name (then FoxChat never changes it)."""
        return self.name != self.auto_name

    def with_base_url(self, base_url: str) -> EndpointProfile:
        """This profile at ``base_url``; named after the new host unless the person named it."""
        url = tidy_base_url(base_url)
        if self.named_by_person or url == self.base_url:
            return replace(self, base_url=url)
        name = host_label(url)
        return replace(self, name=name, base_url=url, auto_name=name)


def new_profile_id() -> str:
    """A fresh, stable id for a new profile (also its keyring user name)."""
    import uuid  # with platform and subprocess behind it; only a new profile needs it

    return uuid.uuid4().hex[:12]


def _default_profiles() -> list[EndpointProfile]:
    return [EndpointProfile(DEFAULT_PROFILE_ID, BUILT_IN_PROFILE_NAME, DEFAULT_BASE_URL)]


@dataclass(slots=True)
class Settings:
    """Everything FoxChat remembers between runs, except keys and chats."""

    version: int = SETTINGS_VERSION
    profiles: list[EndpointProfile] = field(default_factory=_default_profiles)
    default_profile_id: str = DEFAULT_PROFILE_ID
    theme: str = "system"
    font_size: int = DEFAULT_FONT_SIZE
    default_model: str = DEFAULT_MODEL
    default_params_json: str = ""
    auto_title: bool = True
    context_limit: int = 0
    window_geometry: str = ""
    window_state: str = ""
    splitter_state: str = ""
    sidebar_visible: bool = True
    #: Which parameter sections are open ("model=1,more=0,…"; "": the defaults).
    parameter_sections: str = ""
    last_conversation_id: int | None = None
    model_prices: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: A proxy URL (http://, https://, socks5://); "" uses HTTPS_PROXY/ALL_PROXY if set.
    proxy: str = ""
    #: The interface's language ("": the system's); applies at the next start.
    language: str = ""
    #: Server address -> model id -> what was learnt or chosen for it there.
    model_overrides: dict[str, dict[str, Overrides]] = field(default_factory=dict)
    #: Attached images are scaled down to at most this many pixels a side.
    image_max_side: int = DEFAULT_MAX_IMAGE_SIDE
    #: A document longer than this many characters asks before it is sent.
    document_char_limit: int = DEFAULT_DOCUMENT_CHAR_LIMIT
    #: How closely the model looks at images: auto, low or high.
    image_detail: str = "auto"
    #: The compare columns set last time (JSON, see ``ui/compare/setup_dialog.py``; "": none).
    compare_columns: str = ""

    def default_profile(self) -> EndpointProfile:
        """The profile new chats use; the first one if the id is stale."""
        for profile in self.profiles:
            if profile.id == self.default_profile_id:
                return profile
        return self.profiles[0] if self.profiles else _default_profiles()[0]

    def profile(self, profile_id: str) -> EndpointProfile | None:
        """The profile with ``profile_id``, or None."""
        return next((p for p in self.profiles if p.id == profile_id), None)


def tidy_base_url(text: str) -> str:
    """The base URL as stored: trimmed, without a trailing slash.

    Only tidied, not rewritten: the user sees what they typed. The client's
    ``foxchat.api.normalize_base_url`` makes the request URL from it.
    """
    return text.strip().rstrip("/")


def host_label(base_url: str) -> str:
    """A short name for an address: its host and port, e.g. "localhost:11434"."""
    netloc = urlsplit(tidy_base_url(base_url)).netloc.rpartition("@")[2]  # no user:password
    return netloc.lower() or tidy_base_url(base_url)


def check_base_url(text: str) -> str | None:
    """A plain-words problem with a base URL the user typed, or None when it looks right."""
    url = tidy_base_url(text)
    if not url:
        return _("Enter the API address, for example {example}.").format(example=DEFAULT_BASE_URL)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return _(
            "The API address must start with https:// (or http://), for example {example}."
        ).format(example=DEFAULT_BASE_URL)
    return None


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` is this computer (localhost, 127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def insecure_base_url_question(text: str) -> str | None:
    """The question to ask before sending a key in the clear, or None when it is safe.

    An ``http://`` address on another computer would carry the API key (and
    every chat) unencrypted across the network; a server on this computer
    (a local model) is fine.
    """
    parts = urlsplit(tidy_base_url(text))
    if parts.scheme != "http" or not parts.hostname or is_loopback_host(parts.hostname):
        return None
    return _(
        "The address {host} uses http://, not https://. Your API key and your"
        " chats would travel unencrypted, and anyone on the network could read them."
        " Use this address anyway?"
    ).format(host=parts.hostname)


def effective_base_url(settings: Settings) -> str:
    """The endpoint to use now: ``FOXCHAT_BASE_URL`` if set, else the default profile's."""
    override = os.environ.get(BASE_URL_ENV, "").strip()
    return tidy_base_url(override) if override else settings.default_profile().base_url


def effective_default_model(settings: Settings) -> str:
    """The model for new chats: ``FOXCHAT_MODEL`` if set, else the stored default."""
    override = os.environ.get(MODEL_ENV, "").strip()
    return override or settings.default_model


# --- reading ---------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _read_profiles(value: object) -> list[EndpointProfile] | None:
    if not isinstance(value, list):
        return None
    profiles: list[EndpointProfile] = []
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, dict):
            continue
        pid, name, url = item.get("id"), item.get("name"), item.get("base_url")
        if not (isinstance(pid, str) and isinstance(name, str) and isinstance(url, str)):
            continue
        if not pid or pid in seen or check_base_url(url) is not None:
            continue
        seen.add(pid)
        auto_name = item.get("auto_name")
        model = item.get("model")
        profile = EndpointProfile(
            pid,
            name.strip() or "Unnamed",
            tidy_base_url(url),
            "",
            model.strip() if isinstance(model, str) else "",
        )
        if isinstance(auto_name, str):
            profiles.append(replace(profile, auto_name=auto_name))
        else:
            profiles.append(_from_version_1(profile))
    return profiles or None


def _from_version_1(profile: EndpointProfile) -> EndpointProfile:
    """Work out whether FoxChat or the person named a profile from a version 1 file.

    Version 1 kept the built-in "FoxAPI" name after the address changed to
    another server; such a profile is renamed after its host now.
    """
    if profile.id == DEFAULT_PROFILE_ID and profile.name == BUILT_IN_PROFILE_NAME:
        if profile.base_url == DEFAULT_BASE_URL:
            return replace(profile, auto_name=profile.name)
        name = host_label(profile.base_url)
        return replace(profile, name=name, auto_name=name)
    if profile.name in _PLACEHOLDER_NAMES or profile.name == host_label(profile.base_url):
        return replace(profile, auto_name=profile.name)
    return profile  # named by the person


def _read_prices(value: object) -> dict[str, tuple[float, float]] | None:
    if not isinstance(value, dict):
        return None
    prices: dict[str, tuple[float, float]] = {}
    for model, pair in value.items():
        if (
            isinstance(pair, list)
            and len(pair) == 2
            and all(_is_number(p) and p >= 0 for p in pair)
        ):
            prices[str(model)] = (float(pair[0]), float(pair[1]))
    return prices


def _read_overrides(value: object) -> dict[str, dict[str, Overrides]] | None:
    """Model overrides from JSON; anything malformed is left out, entry by entry."""
    if not isinstance(value, dict):
        return None
    out: dict[str, dict[str, Overrides]] = {}
    for server, models in value.items():
        if not isinstance(models, dict):
            continue
        for model, entry in models.items():
            if not isinstance(entry, dict):
                continue
            refused = entry.get("refused")
            anyway = entry.get("send_anyway")
            overrides = Overrides(
                refused={str(k): v for k, v in (refused or {}).items() if isinstance(v, str)}
                if isinstance(refused, dict)
                else {},
                send_anyway=frozenset(a for a in anyway if isinstance(a, str))
                if isinstance(anyway, list)
                else frozenset(),
            )
            if not overrides.empty:
                out.setdefault(str(server), {})[str(model)] = overrides
    return out


#: Field name -> a check that a JSON value is acceptable for it.
_SIMPLE_FIELDS: Final[dict[str, Callable[[Any], bool]]] = {
    "default_profile_id": lambda v: isinstance(v, str) and bool(v),
    "theme": lambda v: v in THEMES,
    "font_size": lambda v: _is_int(v) and MIN_FONT_SIZE <= v <= MAX_FONT_SIZE,
    "default_model": lambda v: isinstance(v, str) and bool(v.strip()),
    "default_params_json": lambda v: isinstance(v, str),
    "auto_title": lambda v: isinstance(v, bool),
    "context_limit": lambda v: _is_int(v) and v >= 0,
    "window_geometry": lambda v: isinstance(v, str),
    "window_state": lambda v: isinstance(v, str),
    "splitter_state": lambda v: isinstance(v, str),
    "sidebar_visible": lambda v: isinstance(v, bool),
    "parameter_sections": lambda v: isinstance(v, str),
    "last_conversation_id": lambda v: v is None or (_is_int(v) and v > 0),
    "proxy": lambda v: isinstance(v, str) and check_proxy_url(v) is None,
    "language": lambda v: v == "" or v in LANGUAGES,
    "image_max_side": lambda v: _is_int(v) and MIN_MAX_IMAGE_SIDE <= v <= MAX_MAX_IMAGE_SIDE,
    "document_char_limit": lambda v: _is_int(v) and v >= MIN_DOCUMENT_CHAR_LIMIT,
    "image_detail": lambda v: v in DETAILS,
    "compare_columns": lambda v: isinstance(v, str),
}


def settings_from_dict(data: dict[str, Any]) -> Settings:
    """Build Settings from parsed JSON, keeping each field only if it is valid.

    Unknown fields (for example from a newer FoxChat) are ignored.
    """
    settings = Settings()
    for name, is_valid in _SIMPLE_FIELDS.items():
        if name in data:
            if is_valid(data[name]):
                setattr(settings, name, data[name])
            else:
                log.warning("settings: ignoring invalid value for %s", name)
    profiles = _read_profiles(data.get("profiles"))
    if profiles is not None:
        settings.profiles = profiles
    prices = _read_prices(data.get("model_prices"))
    if prices is not None:
        settings.model_prices = prices
    overrides = _read_overrides(data.get("model_overrides"))
    if overrides is not None:
        settings.model_overrides = overrides
    if settings.profile(settings.default_profile_id) is None:
        settings.default_profile_id = settings.profiles[0].id
    return settings


def load_settings(path: Path | None = None, *, text: str | None = None) -> Settings:
    """Read settings; never raises. Broken files are moved aside and defaults returned.

    ``text`` is the file's text when the caller has read it already (the start
    reads it once, for the language and then for the rest).
    """
    path = path or paths.settings_path()
    try:
        if text is None:
            text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("settings: cannot read %s: %s", path, exc)
        if isinstance(exc, UnicodeDecodeError):
            move_aside(path)
        return Settings()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        move_aside(path)
        return Settings()
    return settings_from_dict(data)


# --- writing ---------------------------------------------------------------


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """The JSON form of ``settings``, always stamped with this version."""
    data: dict[str, Any] = {f.name: getattr(settings, f.name) for f in fields(settings)}
    data["version"] = SETTINGS_VERSION
    data["profiles"] = [
        {
            "id": p.id,
            "name": p.name,
            "base_url": p.base_url,
            "auto_name": p.auto_name,
            "model": p.model,
        }
        for p in settings.profiles
    ]
    data["model_prices"] = {m: list(pair) for m, pair in settings.model_prices.items()}
    data["model_overrides"] = {
        server: {
            model: {"refused": dict(o.refused), "send_anyway": sorted(o.send_anyway)}
            for model, o in models.items()
        }
        for server, models in settings.model_overrides.items()
    }
    return data


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write settings atomically; raises SettingsError with a message to show."""
    path = path or paths.settings_path()
    text = json.dumps(settings_to_dict(settings), indent=2, ensure_ascii=False) + "\n"
    try:
        paths.private_dir(path.parent)
        write_atomically(path, text)
    except OSError as exc:
        # The previous file is untouched: write_atomically only ever renames a complete one.
        log.warning("settings: cannot save %s: %s", path, exc)
        raise SettingsError(
            _(
                "FoxChat could not save your settings to {folder} ({reason})."
                " Check that the disk is not full and that the folder can be written to,"
                " then try again."
            ).format(folder=path.parent, reason=exc.strerror or exc)
        ) from exc
