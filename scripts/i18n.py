"""Extract FoxChat's messages, update each language's catalogue, compile them; or check.

Run: .venv/bin/python scripts/i18n.py [extract|compile|check]

- ``extract``: every ``_()`` and ``ngettext()`` in foxchat/ into
  resources/i18n/foxchat.pot, and each resources/i18n/<lang>.po brought up to
  it (new messages added untranslated, gone ones dropped).
- ``compile``: each .po into foxchat/locale/<lang>/LC_MESSAGES/foxchat.mo.
- ``check`` (what tests/test_i18n.py runs): says what is stale, missing or
  untranslated; exit code 1 if anything is.
- ``merge <lang> OTHER.po ...``: fill <lang>.po's untranslated messages from
  other copies of it (after two branches each translated their own new
  messages: extract, then merge the other branch's file, then compile).

Babel does the reading and writing (a test and development tool only: the
app reads the compiled catalogues with Python's gettext).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "resources" / "i18n"
PACKAGE = ROOT / "foxchat"
KEYWORDS = {"_": None, "ngettext": (1, 2)}
#: Languages with a catalogue, and their plural rule (gettext's Plural-Forms).
LANGUAGES = {"zh_CN": "nplurals=1; plural=0;"}


def extracted() -> Catalog:
    """Every marked message in the code, in a stable order."""
    catalog = Catalog(project="FoxChat", domain="foxchat", charset="utf-8")
    found = extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("i18n:",)
    )
    for _filename, _line, message, comments, context in found:
        catalog.add(message, None, auto_comments=comments, context=context)
    return catalog


def _text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, omit_header=False, no_location=True, sort_output=True, width=100)
    return out.getvalue()


def _mo(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def updated(template: Catalog, language: str) -> Catalog:
    """``language``'s catalogue brought up to ``template`` (its translations kept)."""
    path = SOURCES / f"{language}.po"
    catalog = _read(path, language) if path.exists() else Catalog(locale=language)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.fuzzy = False  # the header: gettext needs its Plural-Forms
    catalog.project = "FoxChat"
    catalog.domain = "foxchat"
    return catalog


def mo_path(language: str) -> Path:
    return PACKAGE / "locale" / language / "LC_MESSAGES" / "foxchat.mo"


def extract() -> None:
    template = extracted()
    (SOURCES / "foxchat.pot").write_bytes(_text(template))
    for language in LANGUAGES:
        (SOURCES / f"{language}.po").write_bytes(_text(updated(template, language)))


def compile_all() -> None:
    for language in LANGUAGES:
        path = mo_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_mo(_read(SOURCES / f"{language}.po", language)))


def problems() -> list[str]:
    """What is out of date, missing or untranslated, in words."""
    found: list[str] = []
    template = extracted()
    wanted = {m.id for m in template if m.id}
    pot = SOURCES / "foxchat.pot"
    if not pot.exists() or {m.id for m in _read(pot) if m.id} != wanted:
        found.append("resources/i18n/foxchat.pot is not what the code marks: run extract")
    for language in LANGUAGES:
        path = SOURCES / f"{language}.po"
        if not path.exists():
            found.append(f"{path.name} is missing")
            continue
        catalog = _read(path, language)
        have = {m.id for m in catalog if m.id}
        for lacking in sorted(map(str, wanted - have)):
            found.append(f"{path.name} lacks {lacking!r}")
        for extra in sorted(map(str, have - wanted)):
            found.append(f"{path.name} still has {extra!r}, which the code no longer uses")
        for entry in catalog:
            if entry.id and entry.id in wanted:
                strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
                if not all(strings) or entry.fuzzy:
                    found.append(f"{path.name} has no finished translation of {entry.id!r}")
        compiled = mo_path(language)
        if not compiled.exists() or compiled.read_bytes() != _mo(catalog):
            where = compiled.relative_to(ROOT)
            found.append(f"{where} is not compiled from {path.name}: run compile")
    return found


def merge(language: str, others: list[Path]) -> int:
    """Fill ``language``'s untranslated messages from ``others``; how many were filled."""
    path = SOURCES / f"{language}.po"
    catalog = _read(path, language)
    filled = 0
    for other_path in others:
        other = _read(other_path, language)
        for entry in catalog:
            if not entry.id:
                continue
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            if all(strings) and not entry.fuzzy:
                continue
            found = other.get(entry.id)
            if found is None or found.fuzzy:
                continue
            theirs = found.string if isinstance(found.string, tuple) else (found.string,)
            if all(theirs):
                entry.string = found.string
                filled += 1
    path.write_bytes(_text(catalog))
    return filled


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "merge" and len(sys.argv) > 3:
        print(f"filled {merge(sys.argv[2], [Path(a) for a in sys.argv[3:]])}")
        return 0
    if command == "extract":
        extract()
        return 0
    if command == "compile":
        compile_all()
        return 0
    listed = problems()
    for problem in listed:
        print(problem)
    return 1 if listed else 0


if __name__ == "__main__":
    sys.exit(main())
