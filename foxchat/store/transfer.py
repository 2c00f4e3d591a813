"""Export to FoxChat JSON and Markdown; import FoxChat JSON or ChatGPT exports.

The FoxChat JSON format (``"format": "foxchat"``) holds every branch. Message
ids in it are numbered 1, 2, 3… within each conversation (parents before
children), so exporting an imported file gives back exactly the same
conversations. Version 2 adds each message's ``attachments`` (the files'
bytes as base64, byte for byte); a file without attachments is still written
as version 1, so an older FoxChat reads it, and one that would lose files
refuses instead.

Markdown shows an attachment as a placeholder line (``[image: a.png,
1280×720]``), or, when the files are written beside it
(``export_markdown_files``), as a link to that file.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from foxchat.attachments import Attachment
from foxchat.errors import join_sentences
from foxchat.i18n import _, ngettext
from foxchat.store import attachments as stored_attachments
from foxchat.store.chatgpt_images import ImageFiles
from foxchat.store.chatgpt_import import ChatGPTExport, looks_like_chatgpt, parse_chatgpt
from foxchat.store.database import Database
from foxchat.store.errors import ImportFormatError, StoreNotFoundError
from foxchat.store.importing import ImportedConversation, ImportedMessage, write_imported
from foxchat.store.messages import MESSAGE_COLUMNS, active_path, message_from_row
from foxchat.store.models import ImportResult, MessageStatus

FORMAT_NAME: Final = "foxchat"
#: The newest version read; files without attachments are written as version 1.
FORMAT_VERSION: Final = 2
_VERSION_WITHOUT_ATTACHMENTS: Final = 1


def role_heading(role: str) -> str:
    """The heading over a message in an export (a document a person reads), by its role."""
    headings = {
        "user": _("You"),
        "assistant": _("Assistant"),
        "system": _("System"),
        "tool": _("Tool"),
    }
    return headings.get(role, role.capitalize())


def _conversation_ids(db: Database, wanted: Sequence[int] | None) -> list[int]:
    with db.read() as conn:
        if wanted is None:
            rows = conn.execute(
                "SELECT id FROM conversations WHERE deleted_at IS NULL ORDER BY created_at, id"
            ).fetchall()
            return [int(r[0]) for r in rows]
        known = {
            int(r[0]) for r in conn.execute("SELECT id FROM conversations WHERE deleted_at IS NULL")
        }
    missing = [cid for cid in wanted if cid not in known]
    if missing:
        raise StoreNotFoundError(
            _("There is no conversation with id {ids}.").format(ids=", ".join(map(str, missing))),
            _("Run 'foxchat export' without --conversation to see every conversation."),
        )
    return list(wanted)


def export_json(db: Database, conversation_ids: Sequence[int] | None = None) -> dict[str, Any]:
    """The conversations (all by default) with every branch, as FoxChat JSON."""
    exported = [_export_one(db, cid) for cid in _conversation_ids(db, conversation_ids)]
    with_files = any("attachments" in m for c in exported for m in c["messages"])
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION if with_files else _VERSION_WITHOUT_ATTACHMENTS,
        "exported_at": time.time(),
        "conversations": exported,
    }


def _export_one(db: Database, cid: int) -> dict[str, Any]:
    with db.read() as conn:
        conv = conn.execute(
            "SELECT title, created_at, updated_at, pinned, model, system_prompt, params_json,"
            " draft, active_root_id FROM conversations WHERE id = ?",
            (cid,),
        ).fetchone()
        rows = conn.execute(
            f"SELECT {MESSAGE_COLUMNS}, active_child_id FROM messages"
            " WHERE conversation_id = ? ORDER BY id",
            (cid,),
        ).fetchall()
        logprobs = dict(
            conn.execute(
                "SELECT l.message_id, l.tokens_json FROM message_logprobs l"
                " JOIN messages m ON m.id = l.message_id WHERE m.conversation_id = ?",
                (cid,),
            ).fetchall()
        )
        files = stored_attachments.full_in(conn, [row[0] for row in rows])
    local = {row[0]: index for index, row in enumerate(rows, start=1)}
    messages: list[dict[str, Any]] = []
    for row in rows:
        msg = message_from_row(row[:-1])
        messages.append(
            {
                "id": local[msg.id],
                "parent": None if msg.parent_id is None else local[msg.parent_id],
                "active_child": local.get(row[-1]),
                "role": msg.role,
                "content": msg.content,
                "reasoning": msg.reasoning,
                "tool_calls_json": msg.tool_calls_json,
                "tool_call_id": msg.tool_call_id,
                "model": msg.model,
                "finish_reason": msg.finish_reason,
                "usage_json": msg.usage_json,
                "status": str(msg.status),
                "error": msg.error,
                "created_at": msg.created_at,
                "details_json": msg.details_json,
                "logprobs_json": logprobs.get(msg.id),
            }
        )
        if msg.id in files:
            messages[-1]["attachments"] = [stored_attachments.to_json(a) for a in files[msg.id]]
    return {
        "title": conv[0],
        "created_at": conv[1],
        "updated_at": conv[2],
        "pinned": bool(conv[3]),
        "model": conv[4],
        "system_prompt": conv[5],
        "params_json": conv[6],
        "draft": conv[7],
        "active_root": local.get(conv[8]),
        "messages": messages,
    }


def export_markdown(db: Database, conversation_ids: Sequence[int] | None = None) -> str:
    """The active branch of each conversation as readable Markdown (placeholders for files)."""
    return _markdown(db, conversation_ids, None)


def export_markdown_files(
    db: Database, conversation_ids: Sequence[int] | None = None
) -> tuple[str, dict[str, bytes]]:
    """Markdown that links each attachment, and the files to write beside it, by name."""
    files: dict[str, bytes] = {}
    return _markdown(db, conversation_ids, files), files


def _file_name(name: str, data: bytes, files: dict[str, bytes]) -> str:
    """A name for ``data`` beside the Markdown: its own, numbered when another file has it."""
    safe = "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in name).strip(". ")
    safe = safe or "attachment"
    stem, dot, suffix = safe.rpartition(".")
    if not dot:
        stem, suffix = safe, ""
    candidate, counter = safe, 2
    while candidate in files and files[candidate] != data:
        candidate = f"{stem}-{counter}{dot}{suffix}"
        counter += 1
    files[candidate] = data
    return candidate


def _attachment_lines(
    attachments: Sequence[Attachment], files: dict[str, bytes] | None
) -> list[str]:
    lines: list[str] = []
    for attachment in attachments:
        info = attachment.info()
        if files is None:
            lines.append(info.placeholder())
            continue
        target = quote(_file_name(attachment.name, attachment.data, files))
        label = info.placeholder()[1:-1]
        lines.append(f"![{label}]({target})" if attachment.is_image else f"[{label}]({target})")
    return [*lines, ""] if lines else []


def _markdown(
    db: Database, conversation_ids: Sequence[int] | None, files: dict[str, bytes] | None
) -> str:
    parts: list[str] = []
    for cid in _conversation_ids(db, conversation_ids):
        with db.read() as conn:
            title, created, model, system_prompt = conn.execute(
                "SELECT title, created_at, model, system_prompt FROM conversations WHERE id = ?",
                (cid,),
            ).fetchone()
        lines = [f"# {title}", ""]
        details = time.strftime("%Y-%m-%d %H:%M", time.localtime(created))
        lines += [f"*{details}{' · ' + model if model else ''}*", ""]
        if system_prompt:
            lines += ["## " + _("System prompt"), "", system_prompt, ""]
        path = active_path(db, cid)
        attached = stored_attachments.full(db, [m.id for m in path])
        for msg in path:
            heading = role_heading(msg.role)
            if msg.role == "assistant" and msg.model:
                heading += f" ({msg.model})"
            lines += [f"## {heading}", ""]
            if msg.reasoning:
                summary = _("Reasoning")
                lines += [f"<details><summary>{summary}</summary>", "", msg.reasoning, "</details>"]
                lines.append("")
            lines += [msg.content, ""]
            lines += _attachment_lines(attached.get(msg.id, ()), files)
            if msg.status is not MessageStatus.COMPLETE:
                note = "*({})*".format(
                    _("reply {status}: {error}").format(status=msg.status.label, error=msg.error)
                    if msg.error
                    else _("reply {status}").format(status=msg.status.label)
                )
                lines += [note, ""]
        parts.append("\n".join(lines).rstrip() + "\n")
    return "\n---\n\n".join(parts)


#: Told how many conversations of the file have been written so far, and of how many.
ImportProgress = Callable[[int, int], None]


def import_data(
    db: Database,
    data: object,
    *,
    skip_existing: bool = True,
    progress: ImportProgress | None = None,
    images: ImageFiles | None = None,
) -> ImportResult:
    """Import FoxChat JSON or ChatGPT's conversations.json, all or nothing.

    ``images`` holds the image files of a ChatGPT export's zip.

    With ``skip_existing`` a conversation already in the store (same title,
    creation time and first message) is left out, so importing a file twice
    adds nothing the second time.
    """
    skipped = ChatGPTExport()
    if isinstance(data, dict) and data.get("format") == FORMAT_NAME:
        conversations = parse_foxchat(data)
    elif looks_like_chatgpt(data):
        skipped = parse_chatgpt(data, images)
        conversations, skipped.conversations = skipped.conversations, []
    else:
        raise ImportFormatError(
            _("This file is neither a FoxChat export nor ChatGPT's conversations.json.")
        )
    fresh = conversations
    if skip_existing:
        existing = _fingerprints(db)
        fresh = [c for c in conversations if _fingerprint(c) not in existing]
    if progress is not None:
        progress(0, len(fresh))
    result = write_imported(db, fresh, progress)
    return dataclasses.replace(
        result,
        already_there=len(conversations) - len(fresh),
        repaired_messages=skipped.repaired_messages,
        skipped_messages=skipped.skipped_messages,
        empty_conversations=skipped.empty_conversations,
    )


_Fingerprint = tuple[str, float, str | None]


def _fingerprint(conv: ImportedConversation) -> _Fingerprint:
    # Messages are written in list order, so the first one gets the smallest id.
    first = next((m.content for m in conv.messages if m.parent is None), None)
    return (conv.title, conv.created_at, first)


def _fingerprints(db: Database) -> set[_Fingerprint]:
    """Title, creation time and first message of every chat in the store."""
    with db.read() as conn:
        rows = conn.execute(
            "SELECT c.title, c.created_at, (SELECT m.content FROM messages m"
            " WHERE m.conversation_id = c.id AND m.parent_id IS NULL ORDER BY m.id LIMIT 1)"
            " FROM conversations c WHERE c.deleted_at IS NULL"
        ).fetchall()
    return {(str(title), float(created), first) for title, created, first in rows}


def _sentence(form: str, count: int) -> str:
    """``form`` (already chosen by ``ngettext``) for ``count``; empty for none."""
    return form.format(count=count) if count else ""


def describe_import(result: ImportResult) -> str:
    """What an import did, in sentences for people: added, repaired, left out."""
    # Two counts in one sentence: the form follows the messages (ngettext), and
    # the conversations' one-or-many picks which pair of sentences is used.
    if result.conversations == 1:
        added = ngettext(
            "Imported 1 conversation with {messages:,} message.",
            "Imported 1 conversation with {messages:,} messages.",
            result.messages,
        )
    else:
        added = ngettext(
            "Imported {conversations:,} conversations with {messages:,} message.",
            "Imported {conversations:,} conversations with {messages:,} messages.",
            result.messages,
        )
    sentences = [
        added.format(conversations=result.conversations, messages=result.messages),
        _sentence(
            ngettext(
                "{count:,} conversation was already here and was skipped.",
                "{count:,} conversations were already here and were skipped.",
                result.already_there,
            ),
            result.already_there,
        ),
        _sentence(
            ngettext(
                "{count:,} message had a broken order in the file;"
                " it was placed after the message that lists it as a reply.",
                "{count:,} messages had a broken order in the file;"
                " they were placed after the messages that list them as replies.",
                result.repaired_messages,
            ),
            result.repaired_messages,
        ),
        _sentence(
            ngettext(
                "{count:,} message was skipped because its order in the file is broken.",
                "{count:,} messages were skipped because their order in the file is broken.",
                result.skipped_messages,
            ),
            result.skipped_messages,
        ),
        _sentence(
            ngettext(
                "{count:,} conversation was left out because none of its messages"
                " could be read in order.",
                "{count:,} conversations were left out because none of their messages"
                " could be read in order.",
                result.empty_conversations,
            ),
            result.empty_conversations,
        ),
    ]
    return join_sentences(*sentences)


def read_import_file(path: Path) -> object:
    """The JSON inside ``path``: a .json file, or a ChatGPT export .zip."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if n.endswith("conversations.json")]
                if not names:
                    raise ImportFormatError(
                        _("{path} holds no conversations.json.").format(path=path)
                    )
                raw = archive.read(min(names, key=len))
        else:
            raw = path.read_bytes()
        return json.loads(raw)
    except ImportFormatError:
        raise
    except OSError as exc:
        raise ImportFormatError(
            _("FoxChat could not read {path} ({reason}).").format(
                path=path, reason=exc.strerror or exc
            ),
            _("Check the file name and that you may read it. Nothing was imported."),
        ) from exc
    except (ValueError, RecursionError, zipfile.BadZipFile) as exc:
        # json.JSONDecodeError and UnicodeDecodeError are ValueErrors.
        raise ImportFormatError(_("{path} is not valid JSON.").format(path=path)) from exc


# ---- reading FoxChat JSON ------------------------------------------------------


def _bad(where: str, problem: str) -> ImportFormatError:
    """The file is damaged at ``where`` ("conversation 3") in the way ``problem`` says."""
    # i18n: {place} is where in the file ("conversation 3, message 5,"), {problem} what is wrong
    # there ("has a wrong 'role'"); both are translated on their own.
    return ImportFormatError(
        _("This FoxChat file is damaged: {place} {problem}.").format(place=where, problem=problem)
    )


def _get(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = obj.get(key)
    if isinstance(value, bool) and kind is not bool:
        raise _bad(where, _("has a wrong '{key}'").format(key=key))
    if not isinstance(value, kind):
        raise _bad(where, _("has a missing or wrong '{key}'").format(key=key))
    if isinstance(value, float) and not math.isfinite(value):
        raise _bad(where, _("has a wrong '{key}'").format(key=key))
    return value


def _number(obj: dict[str, Any], key: str, where: str) -> float:
    try:
        value = float(_get(obj, key, (int, float), where))
    except OverflowError:  # an int beyond any float
        value = math.inf
    if not math.isfinite(value):
        raise _bad(where, _("has a wrong '{key}'").format(key=key))
    return value


def parse_foxchat(data: dict[str, Any]) -> list[ImportedConversation]:
    """Check a FoxChat export completely and return its conversations."""
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _bad(_("the file"), _("has no format version"))
    if version > FORMAT_VERSION:
        raise ImportFormatError(
            _("This file was exported by a newer FoxChat (format {version}).").format(
                version=version
            ),
            _("Update FoxChat, then import it again. Nothing was imported."),
        )
    items = _get(data, "conversations", list, "the file")
    return [_parse_conversation(item, n) for n, item in enumerate(items, start=1)]


def _parse_conversation(item: object, number: int) -> ImportedConversation:
    where = _("conversation {number}").format(number=number)
    if not isinstance(item, dict):
        raise _bad(where, _("is not an object"))
    optional_text = (str, type(None))
    messages: list[ImportedMessage] = []
    seen: set[int] = set()
    raw_messages = _get(item, "messages", list, where)
    for index, raw in enumerate(raw_messages, start=1):
        at = _("conversation {number}, message {index},").format(number=number, index=index)
        if not isinstance(raw, dict):
            raise _bad(at, _("is not an object"))
        key = _get(raw, "id", int, at)
        parent = _get(raw, "parent", (int, type(None)), at)
        if key in seen or (parent is not None and parent not in seen):
            raise _bad(at, _("has an id or parent that does not fit the tree"))
        seen.add(key)
        status = _get(raw, "status", str, at)
        if status not in set(MessageStatus):
            raise _bad(at, _("has an unknown status {status!r}").format(status=status))
        messages.append(
            ImportedMessage(
                key=key,
                parent=parent,
                active_child=_get(raw, "active_child", (int, type(None)), at),
                role=_get(raw, "role", str, at),
                content=_get(raw, "content", str, at),
                reasoning=_get(raw, "reasoning", str, at),
                tool_calls_json=_get(raw, "tool_calls_json", optional_text, at),
                tool_call_id=_get(raw, "tool_call_id", optional_text, at),
                model=_get(raw, "model", optional_text, at),
                finish_reason=_get(raw, "finish_reason", optional_text, at),
                usage_json=_get(raw, "usage_json", optional_text, at),
                status=MessageStatus(status),
                error=_get(raw, "error", optional_text, at),
                created_at=_number(raw, "created_at", at),
                details_json=_get(raw, "details_json", optional_text, at),
                logprobs_json=_get(raw, "logprobs_json", optional_text, at),
                attachments=[
                    stored_attachments.from_json(
                        a, _("{place} attachment {number}").format(place=at, number=n)
                    )
                    for n, a in enumerate(_get(raw, "attachments", list, at), start=1)
                ]
                if "attachments" in raw
                else [],
            )
        )
    parents = {m.key: m.parent for m in messages}
    for msg in messages:
        if msg.active_child is not None and parents.get(msg.active_child, -1) != msg.key:
            raise _bad(
                where, _("marks a wrong active reply after message {key}").format(key=msg.key)
            )
    active_root = _get(item, "active_root", (int, type(None)), where)
    if active_root is not None and (active_root not in parents or parents[active_root] is not None):
        raise _bad(where, _("marks a wrong first message"))
    return ImportedConversation(
        title=_get(item, "title", str, where),
        created_at=_number(item, "created_at", where),
        updated_at=_number(item, "updated_at", where),
        pinned=_get(item, "pinned", bool, where),
        model=_get(item, "model", str, where),
        system_prompt=_get(item, "system_prompt", str, where),
        params_json=_get(item, "params_json", str, where),
        draft=_get(item, "draft", str, where),
        active_root=active_root,
        messages=messages,
    )
