"""One translation mechanism for all of FoxChat: gettext catalogues, Qt-free.

Why gettext (with Babel to extract and compile) and not Qt Linguist: the
words a person reads come from every layer, and ``api/``, ``store/``, the
settings and the command line must not load Qt (tests/test_layering.py).
Qt's ``tr()`` needs Qt in each of them; Python's own gettext needs nothing,
handles plurals by the language's own rule (``ngettext``; Chinese has one
form, English two) and reads the same compiled ``.mo`` files everywhere.
Qt's own strings (standard buttons, the text fields' context menus, file
dialogs) come from the ``qt_<lang>.qm`` catalogue that ships with PySide6,
loaded by ``foxchat.ui.translations`` for the window.

The language is chosen once, at start, before the modules whose messages it
translates are imported (``install``): the setting (``language`` in
settings.json: "" follows the system) or else the system's (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``), falling back to English.

Sources live in ``resources/i18n`` (``foxchat.pot``, one ``<lang>.po`` per
language, a glossary); compiled catalogues ship inside the package in
``foxchat/locale/<lang>/LC_MESSAGES/foxchat.mo``. Adding a language is three
steps, written in resources/i18n/README.md.
"""

from __future__ import annotations

import gettext
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Final

DOMAIN: Final = "foxchat"
ENGLISH: Final = "en"

#: Every language FoxChat speaks, by code, in its own words (the Language setting).
LANGUAGES: Final[dict[str, str]] = {ENGLISH: "English", "zh_CN": "简体中文"}

#: Other spellings of a language people's systems use, to the code above.
_ALIASES: Final = {
    "zh": "zh_CN",
    "zh_hans": "zh_CN",
    "zh_sg": "zh_CN",
    "zh_hans_cn": "zh_CN",
}

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = ENGLISH


def locale_dir() -> Path:
    """Where the compiled catalogues are (inside the package, so every install has them)."""
    return Path(__file__).resolve().parent / "locale"


def normalise(tag: str) -> str | None:
    """A language code FoxChat has for a system tag ("zh_CN.UTF-8", "zh-Hans"), or None."""
    base = tag.split(".")[0].split("@")[0].replace("-", "_").strip()
    if not base or base in ("C", "POSIX"):
        return None
    for code in LANGUAGES:
        if base.lower() == code.lower():
            return code
    alias = _ALIASES.get(base.lower())
    if alias is not None:
        return alias
    return ENGLISH if base.lower().startswith("en") else None


def system_language(env: Mapping[str, str] | None = None) -> str:
    """The system's language, as the C library looks it up, if FoxChat has it."""
    env = os.environ if env is None else env
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for tag in env.get(name, "").split(":"):
            code = normalise(tag)
            if code is not None:
                return code
    return ENGLISH


def language_setting(settings_file: Path) -> str:
    """The ``language`` saved in settings.json ("" when absent or unreadable: the system's)."""
    try:
        text = settings_file.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return ""
    return language_in(text)


def language_in(settings_text: str) -> str:
    """The ``language`` in the text of settings.json ("" when absent or not JSON)."""
    try:
        data = json.loads(settings_text)
    except ValueError:
        return ""
    value = data.get("language") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value in LANGUAGES else ""


def choose(setting: str, env: Mapping[str, str] | None = None) -> str:
    """The language to speak: the setting when it names one, else the system's."""
    return setting if setting in LANGUAGES else system_language(env)


def install(language: str) -> str:
    """Speak ``language`` from now on (unknown: English); returns the code used."""
    global _translation, _language
    code = language if language in LANGUAGES else ENGLISH
    _translation = gettext.translation(
        DOMAIN, localedir=str(locale_dir()), languages=[code], fallback=True
    )
    _language = code
    return code


def current() -> str:
    """The language in use."""
    return _language


def _(message: str) -> str:
    """``message`` in the language in use."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for ``count`` in the language in use (then ``.format(count=...)``)."""
    return _translation.ngettext(singular, plural, count)
