"""Named sets of generation parameters: the built-in three and the user's own.

A preset is a name, a full :class:`GenerationParams` and, optionally, a system
prompt. Applying one replaces a chat's parameters with exactly the preset's
(the sidebar does that); this module only keeps them.

The user's presets live in one versioned JSON file next to the settings
(``{"version": 1, "presets": [...]}``), written atomically like the settings
file. Reading never crashes the app: a file that cannot be read as JSON is
moved aside as ``presets.json.broken-<timestamp>`` and a single bad entry is
skipped. Importing is stricter: a file with any bad entry imports nothing and
says which entry is wrong, so the user never ends up with half a collection.

No Qt here, so the CLI or a test can use presets without a display.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from foxchat import paths
from foxchat.api.params import (
    NUMBER_SPECS,
    OPTIONAL_PARAMETERS,
    RESPONSE_FORMAT_TYPES,
    GenerationParams,
)
from foxchat.errors import FoxChatError
from foxchat.i18n import _
from foxchat.jsonfile import move_aside, write_atomically

log = logging.getLogger(__name__)

PRESETS_VERSION: Final = 1
MAX_NAME_LENGTH: Final = 60
#: A presets file this big is not something FoxChat wrote; refuse it before parsing.
MAX_IMPORT_BYTES: Final = 2_000_000


class PresetError(FoxChatError):
    """A preset could not be saved, deleted or imported; ``user_message`` says why."""


@dataclass(frozen=True, slots=True)
class Preset:
    """A name, the parameters to apply and, when set, a system prompt to apply too."""

    name: str
    params: GenerationParams
    system_prompt: str | None = None
    builtin: bool = False

    def matches(self, params: GenerationParams, system_prompt: str) -> bool:
        """Whether a chat with these settings looks exactly as if this preset was applied."""
        if params != self.params:
            return False
        return self.system_prompt is None or self.system_prompt == system_prompt


def _builtin(name: str, **values: float) -> Preset:
    params = GenerationParams().with_values(**values)
    for parameter in values:
        params = params.with_enabled(parameter, True)
    return Preset(name, params, None, builtin=True)


# Only temperature (and, for Creative, presence penalty) is switched on: OpenAI's
# guide advises changing temperature or top_p, not both, and every switched-off
# parameter is left to the model's own default, which aggregators handle best.
BUILTIN_PRESETS: Final[tuple[Preset, ...]] = (
    # Low but not zero: near-deterministic wording for facts and code, while 0
    # makes some models loop on the same phrase.
    _builtin(_("Precise"), temperature=0.2),
    # The default most chat apps and model cards recommend for everyday use.
    _builtin(_("Balanced"), temperature=0.7),
    # Above 1 for varied wording; above about 1.5 replies start to drift into
    # nonsense. A mild presence penalty nudges the model toward new ideas
    # without the odd word choices stronger penalties cause.
    _builtin(_("Creative"), temperature=1.2, presence_penalty=0.6),
)


def check_name(name: str) -> str | None:
    """A plain-words problem with a preset name the user typed, or None."""
    if not name.strip():
        return _("Give the preset a name.")
    if len(name.strip()) > MAX_NAME_LENGTH:
        return _("Keep the preset name under {count} characters.").format(count=MAX_NAME_LENGTH)
    if any(ord(ch) < 32 for ch in name):
        return _("A preset name must be on one line.")
    return None


def _same_name(a: str, b: str) -> bool:
    # "precise" next to "Precise" in the list would only confuse.
    return a.strip().casefold() == b.strip().casefold()


def _is_copy(existing: Preset, incoming: Preset) -> bool:
    """Whether ``incoming`` is already kept as ``existing``, perhaps renamed "Name (2)"."""
    if (existing.params, existing.system_prompt) != (incoming.params, incoming.system_prompt):
        return False
    if _same_name(existing.name, incoming.name):
        return True
    base, _, number = existing.name.rpartition(" (")
    return _same_name(base, incoming.name) and number.endswith(")") and number[:-1].isdigit()


# --- JSON form -------------------------------------------------------------


def _preset_to_dict(preset: Preset) -> dict[str, Any]:
    return {
        "name": preset.name,
        "params": json.loads(preset.params.to_json()),
        "system_prompt": preset.system_prompt,
    }


def _entry_problem(entry: object) -> str | None:
    """What is wrong with one entry of a presets file, in plain words, or None."""
    if not isinstance(entry, dict):
        return _("it is not a preset.")
    name = entry.get("name")
    if not isinstance(name, str):
        return _("it has no name.")
    problem = check_name(name)
    if problem is not None:
        return problem
    prompt = entry.get("system_prompt")
    if prompt is not None and not isinstance(prompt, str):
        return _("its system prompt is not text.")
    params = entry.get("params")
    if not isinstance(params, dict) or not isinstance(params.get("values"), dict):
        return _("it has no parameters.")
    values: dict[str, Any] = params["values"]
    for parameter, spec in NUMBER_SPECS.items():
        if parameter in values:
            problem = spec.check(values[parameter])
            if problem is not None:
                return problem
    stop = values.get("stop", [])
    if not isinstance(stop, list) or not all(isinstance(s, str) for s in stop):
        return _("its stop sequences are not a list of text.")
    tools = values.get("tools", [])
    if not isinstance(tools, list) or not all(isinstance(t, dict) for t in tools):
        return _("its tools are not a list of tool descriptions.")
    fmt = values.get("response_format", {"type": "text"})
    if not isinstance(fmt, dict) or fmt.get("type") not in RESPONSE_FORMAT_TYPES:
        return _("its reply format is not one FoxChat knows.")
    enabled = params.get("enabled", [])
    if not isinstance(enabled, list) or not all(e in OPTIONAL_PARAMETERS for e in enabled):
        return _("it switches on a parameter FoxChat does not know.")
    return None


def _entry_to_preset(entry: dict[str, Any]) -> Preset:
    prompt = entry.get("system_prompt")
    return Preset(
        name=str(entry["name"]).strip(),
        params=GenerationParams.from_json(json.dumps(entry["params"])),
        system_prompt=prompt if isinstance(prompt, str) else None,
    )


def _parse_document(text: str) -> list[Any]:
    """The ``presets`` list of a presets document; raises PresetError if it is not one."""
    try:
        data = json.loads(text)
    except ValueError:
        raise PresetError(
            _(
                "This file is not a FoxChat presets file (it is not valid JSON)."
                " Choose a file made with “Export presets…”."
            )
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("presets"), list):
        raise PresetError(
            _("This file is not a FoxChat presets file. Choose a file made with “Export presets…”.")
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PresetError(_("This presets file has no version number, so FoxChat cannot read it."))
    if version > PRESETS_VERSION:
        raise PresetError(
            _(
                "These presets were saved by a newer FoxChat."
                " Update FoxChat, then import them again."
            )
        )
    presets: list[Any] = data["presets"]
    return presets


# --- the store ---------------------------------------------------------------


class PresetStore:
    """The built-in presets plus the user's, kept in a versioned JSON file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.config_dir() / "presets.json"
        self._saved: list[Preset] = self._load()

    def all(self) -> list[Preset]:
        """Every preset: the built-ins first, then the user's in the order saved."""
        return [*BUILTIN_PRESETS, *self._saved]

    def find(self, name: str) -> Preset | None:
        """The preset called ``name`` (ignoring case), or None."""
        return next((p for p in self.all() if _same_name(p.name, name)), None)

    def save(self, preset: Preset) -> None:
        """Add ``preset``; one with the same name is replaced (ask the user first).

        Raises PresetError for a bad or built-in name, or when the file cannot be written.
        """
        problem = check_name(preset.name)
        if problem is not None:
            raise PresetError(problem)
        existing = self.find(preset.name)
        if existing is not None and existing.builtin:
            raise PresetError(
                _("“{name}” is a built-in preset. Choose another name for yours.").format(
                    name=existing.name
                )
            )
        preset = Preset(preset.name.strip(), preset.params, preset.system_prompt)
        saved = list(self._saved)
        if existing is not None:
            saved[saved.index(existing)] = preset
        else:
            saved.append(preset)
        self._write(saved)

    def delete(self, name: str) -> None:
        """Remove the user's preset ``name``; built-ins cannot be deleted."""
        existing = self.find(name)
        if existing is None:
            raise PresetError(_("There is no preset called “{name}”.").format(name=name))
        if existing.builtin:
            raise PresetError(
                _("“{name}” is built into FoxChat and cannot be deleted.").format(
                    name=existing.name
                )
            )
        self._write([p for p in self._saved if p is not existing])

    def export_json(self, names: Iterable[str]) -> str:
        """A presets document holding the named presets, for a file the user shares."""
        chosen = [p for name in names if (p := self.find(name)) is not None]
        document = {"version": PRESETS_VERSION, "presets": [_preset_to_dict(p) for p in chosen]}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    def import_json(self, text: str) -> int:
        """Add every preset in ``text``; return how many were added.

        All or nothing: a bad entry raises PresetError and nothing is added. A
        name already taken gets " (2)" (or the next free number) appended. An
        entry identical to a preset kept under its name (or "its name (2)") is
        skipped, so importing one's own export twice does not fill the list
        with copies.
        """
        if len(text.encode("utf-8", errors="replace")) > MAX_IMPORT_BYTES:
            raise PresetError(_("This file is too large to be a presets file."))
        entries = _parse_document(text)
        incoming: list[Preset] = []
        for number, entry in enumerate(entries, start=1):
            problem = _entry_problem(entry)
            if problem is not None:
                # i18n: {problem} is one of the sentences about a preset entry ("it has no
                # name."), or a parameter's range message.
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    message = _(
                        "Preset {number} (“{name}”) cannot be imported: {problem}"
                        " Nothing was imported."
                    ).format(
                        number=number,
                        name=entry["name"].strip()[:MAX_NAME_LENGTH],
                        problem=problem,
                    )
                else:
                    message = _(
                        "Preset {number} cannot be imported: {problem} Nothing was imported."
                    ).format(number=number, problem=problem)
                raise PresetError(message)
            incoming.append(_entry_to_preset(entry))
        taken = self.all()
        added: list[Preset] = []
        for preset in incoming:
            if any(_is_copy(p, preset) for p in taken):
                continue
            name = self._free_name(preset.name, taken)
            renamed = Preset(name, preset.params, preset.system_prompt)
            taken.append(renamed)
            added.append(renamed)
        if added:
            self._write([*self._saved, *added])
        return len(added)

    def export_file(self, path: Path, names: Iterable[str]) -> None:
        """Write the presets called ``names`` to ``path`` atomically.

        Raises OSError when it cannot be written; an earlier file stays whole.
        """
        write_atomically(path, self.export_json(names))

    def import_file(self, path: Path) -> int:
        """Add the presets in the file at ``path``, like :meth:`import_json`.

        Raises PresetError for a file that is too large or not a presets file,
        UnicodeDecodeError for one that is not text, OSError when it cannot be read.
        """
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise PresetError(_("This file is too large to be a presets file."))
        return self.import_json(path.read_text(encoding="utf-8"))

    # -- file -------------------------------------------------------------------

    @staticmethod
    def _free_name(name: str, taken: list[Preset]) -> str:
        candidate, number = name, 2
        while any(_same_name(p.name, candidate) for p in taken):
            candidate = f"{name} ({number})"
            number += 1
        return candidate

    def _load(self) -> list[Preset]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except UnicodeDecodeError:
            move_aside(self.path)
            return []
        except OSError as exc:
            log.warning("presets: cannot read %s: %s", self.path, exc)
            return []
        try:
            entries = _parse_document(text)
        except PresetError:
            move_aside(self.path)
            return []
        presets: list[Preset] = []
        for entry in entries:
            # One bad entry (say, edited by hand) costs only that entry.
            if _entry_problem(entry) is not None:
                log.warning("presets: skipping an unreadable preset in %s", self.path)
                continue
            preset = _entry_to_preset(entry)
            if any(_same_name(p.name, preset.name) for p in [*BUILTIN_PRESETS, *presets]):
                continue
            presets.append(preset)
        return presets

    def _write(self, presets: list[Preset]) -> None:
        document = {"version": PRESETS_VERSION, "presets": [_preset_to_dict(p) for p in presets]}
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        try:
            write_atomically(self.path, text)
        except OSError as exc:
            log.warning("presets: cannot save %s: %s", self.path, exc)
            raise PresetError(
                _(
                    "FoxChat could not save your presets to {folder} ({reason})."
                    " Check that the disk is not full and that the folder can be written to,"
                    " then try again."
                ).format(folder=self.path.parent, reason=exc.strerror or exc)
            ) from exc
        # Only a successful write changes what the app shows.
        self._saved = presets
