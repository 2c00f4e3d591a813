"""A chat as one self-contained HTML file: styles inline, code highlighted, nothing loaded.

Each conversation's active branch is rendered by the same Markdown renderer
as the window (Pygments colours as inline styles), inside a page whose only
style sheet is in its ``<head>``. Nothing in the file loads anything: no
script, no style sheet, no font and no picture from outside (links in the
replies stay links). The window's "Copy" links on code blocks and the
invisible break points it puts into very long words are left out. Attached
images are in the page itself (``data:`` URLs); attached documents are named.
"""

from __future__ import annotations

import base64
import html
import time
from collections.abc import Sequence
from typing import Final

from foxchat import i18n
from foxchat.attachments import Attachment
from foxchat.i18n import _, ngettext
from foxchat.render import (
    DISPLAY_BREAK,
    render_document,
)
from foxchat.store import MessageStatus, Store
from foxchat.store.transfer import role_heading

#: The text colour of the page, which formulas are drawn in.
INK: Final = "#1f2328"

STYLE: Final = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif;
       line-height: 1.5; color: #1f2328; background: #ffffff; margin: 0; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 0.25rem; }
.meta { color: #57606a; margin: 0 0 1.5rem; }
.message { margin: 0 0 1.25rem; padding: 0.75rem 1rem; border-radius: 8px; }
.message.user { background: #eef3fb; }
.message.assistant { border: 1px solid #d0d7de; }
.message h2 { font-size: 0.95rem; margin: 0 0 0.5rem; color: #57606a; }
.note { color: #57606a; font-style: italic; }
pre { padding: 0.5rem; overflow-x: auto; white-space: pre; border-radius: 4px; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; }
details { margin: 0 0 0.5rem; color: #57606a; }
.math svg { vertical-align: middle; }
figure.attachment { margin: 0 0 0.5rem; }
figure.attachment img { max-width: 100%; height: auto; border-radius: 4px; }
figure.attachment figcaption, p.attachment { color: #57606a; font-size: 0.9rem; }
.math.display { display: block; text-align: center; margin: 0.5rem 0; }
article + article { border-top: 2px solid #d0d7de; margin-top: 2rem; padding-top: 2rem; }
@media print { .message { break-inside: auto; } pre { white-space: pre-wrap; } }
"""


def message_html(markdown: str, *, inline_math: bool = True) -> str:
    """One message's Markdown as HTML for a document (no Copy links, no display breaks).

    With ``inline_math`` each formula is an inline SVG (a browser draws it; a
    screen reader reads its LaTeX); without, it stays the ``foxchat-math:``
    picture Qt's own document draws (the PDF), and only Copy links go.
    """
    ink = INK if inline_math else None
    rendered = render_document(markdown, whole=True, document=True, math_ink=ink)
    return rendered.html.replace(DISPLAY_BREAK, "")


def _attachment_html(attachment: Attachment) -> str:
    """An attachment inside the page: an image itself (as data, loading nothing), a
    document by its name (its text was sent to the model, not written here)."""
    name = html.escape(attachment.name)
    if attachment.is_image and attachment.mime.startswith("image/"):
        encoded = base64.b64encode(attachment.data).decode("ascii")
        size = f"{attachment.width}×{attachment.height}"
        return (
            f'<figure class="attachment"><img src="data:{attachment.mime};base64,{encoded}"'
            f' alt="{name}" width="{min(attachment.width, 640) or 320}">'
            f"<figcaption>{name}, {size}</figcaption></figure>"
        )
    words = (
        ngettext(
            "Attached document: {name}, {count} page",
            "Attached document: {name}, {count} pages",
            attachment.pages,
        ).format(name=name, count=attachment.pages)
        if attachment.pages
        else _("Attached document: {name}").format(name=name)
    )
    return f'<p class="attachment">{words}</p>'


def _conversation(store: Store, cid: int, inline_math: bool) -> str:
    conversation = store.get_conversation(cid)
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(conversation.created_at))
    meta = f"{when} · {conversation.model}" if conversation.model else when
    parts = [
        f"<article><h1>{html.escape(conversation.title)}</h1>",
        f'<p class="meta">{html.escape(meta)}</p>',
    ]
    if conversation.system_prompt:
        parts.append(
            f'<section class="message system"><h2>{html.escape(_("System prompt"))}</h2>'
            f"{message_html(conversation.system_prompt, inline_math=inline_math)}</section>"
        )
    path = store.active_path(cid)
    attached = store.attachments([m.id for m in path])
    for message in path:
        heading = role_heading(message.role)
        if message.role == "assistant" and message.model:
            heading += f" ({message.model})"
        body = [f'<section class="message {html.escape(message.role)}">']
        body.append(f"<h2>{html.escape(heading)}</h2>")
        if message.reasoning:
            thinking = message_html(message.reasoning, inline_math=inline_math)
            summary = html.escape(_("Reasoning"))
            body.append(f"<details><summary>{summary}</summary>{thinking}</details>")
        body.extend(_attachment_html(a) for a in attached.get(message.id, ()))
        body.append(message_html(message.content, inline_math=inline_math))
        if message.status is not MessageStatus.COMPLETE and message.role == "assistant":
            note = (
                _("This reply {status}: {error}").format(
                    status=message.status.label, error=message.error
                )
                if message.error
                else _("This reply {status}.").format(status=message.status.label)
            )
            body.append(f'<p class="note">{html.escape(note)}</p>')
        body.append("</section>")
        parts.append("".join(body))
    parts.append("</article>")
    return "\n".join(parts)


def export_html(
    store: Store, conversation_ids: Sequence[int], *, title: str = "", inline_math: bool = True
) -> str:
    """The conversations as one HTML page (UTF-8, self-contained).

    ``inline_math`` as for :func:`message_html` (False: for Qt's document, the PDF).
    """
    if not title:
        title = (
            store.get_conversation(conversation_ids[0]).title if conversation_ids else _("Chats")
        )
    language = i18n.current().replace("_", "-")  # the words around the chats are in it
    articles = "\n".join(_conversation(store, cid, inline_math) for cid in conversation_ids)
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="FoxChat">\n<title>{html.escape(title)}</title>\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{articles}\n</main>\n</body>\n</html>\n"
    )
