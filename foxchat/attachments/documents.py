"""Documents turned into the text a model reads: text files, PDF and DOCX.

- Text files (plain text, Markdown, source code, CSV, JSON, ...) are sent as
  they are. Their encoding is found from a byte-order mark, else UTF-8, else
  Windows-1252 (what older Windows editors write), else Latin-1; a file with
  NUL bytes or mostly control characters is binary and refused.
- PDF goes through pypdf (pure Python, typed, actively kept): the text of
  each page, and the page count. A password-protected PDF, one that cannot be
  parsed, and one without any text (scanned pages) each say so.
- DOCX is a zip of XML: the paragraphs of ``word/document.xml`` are read with
  the standard library, so DOCX costs no extra dependency (python-docx would
  bring lxml, several megabytes, for the same paragraphs).
"""

from __future__ import annotations

import io
import mimetypes
from typing import Final

from foxchat.attachments.errors import AttachmentError
from foxchat.attachments.records import Attachment
from foxchat.i18n import _

# Only part of a file is looked at to tell text from binary.
_SNIFF_BYTES: Final = 8192
# In text, control characters other than tab, newlines and form feed are rare.
_MAX_CONTROL_SHARE: Final = 0.05
_CONTROL: Final = frozenset(range(32)) - {9, 10, 12, 13, 27}
# A DOCX whose text part unpacks to more than this is refused (a zip bomb).
_MAX_DOCX_XML_BYTES: Final = 64 * 1024 * 1024
_WORD: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_MIME: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document_from_bytes(raw: bytes, name: str) -> Attachment:
    """A document's bytes read into text; raises :class:`AttachmentError` when it cannot be."""
    lower = name.lower()
    if raw.startswith(b"%PDF-") or lower.endswith(".pdf"):
        return _pdf(raw, name)
    if lower.endswith(".docx") and raw.startswith(b"PK"):
        return _docx(raw, name)
    text = decode_text(raw, name)
    mime = mimetypes.guess_type(name)[0] or "text/plain"
    if not mime.startswith("text/") and mime not in ("application/json", "application/xml"):
        mime = "text/plain"
    return Attachment(kind="document", name=name, mime=mime, data=raw, text=text)


def decode_text(raw: bytes, name: str) -> str:
    """A text file's bytes as text, its encoding detected; binary files are refused."""
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise _binary(name) from exc
    head = raw[:_SNIFF_BYTES]
    controls = sum(1 for byte in head if byte in _CONTROL)
    if b"\x00" in head or controls > len(head) * _MAX_CONTROL_SHARE:
        raise _binary(name)
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _binary(name: str) -> AttachmentError:
    return AttachmentError(
        _(
            "The file {name} is not text, an image, a PDF or a Word document, so FoxChat cannot "
            "attach it. Save it as text or PDF first, or attach a screenshot of it."
        ).format(name=name)
    )


def _pdf(raw: bytes, name: str) -> Attachment:
    # Loaded here: pypdf takes a while to import and most messages have no PDF.
    from pypdf import PdfReader

    unreadable = AttachmentError(
        _(
            "The PDF {name} could not be read: the file may be damaged or not really a PDF. "
            "Open it in a PDF viewer and save or print it to a new PDF, then attach that."
        ).format(name=name)
    )
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise AttachmentError(
                _(
                    "The PDF {name} is protected with a password, so FoxChat cannot read it. "
                    "Open it with the password and save an unprotected copy, then attach that."
                ).format(name=name)
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except AttachmentError:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on a damaged file
        raise unreadable from exc
    if not pages:
        raise unreadable
    text = "\n\n".join(page.strip() for page in pages).strip()
    if not text:
        raise AttachmentError(
            _(
                "The PDF {name} has no text FoxChat can read; its pages are probably scanned "
                "pictures. Attach screenshots of the pages instead, so the model can look at them."
            ).format(name=name)
        )
    return Attachment(
        kind="document", name=name, mime="application/pdf", data=raw, text=text, pages=len(pages)
    )


def _docx(raw: bytes, name: str) -> Attachment:
    # Loaded here: the window's start never needs them.
    import zipfile
    from xml.etree import ElementTree

    unreadable = AttachmentError(
        _(
            "The Word document {name} could not be read: the file may be damaged. "
            "Open it in a word processor and save it again, or save it as PDF and attach that."
        ).format(name=name)
    )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > _MAX_DOCX_XML_BYTES:
                raise unreadable
            root = ElementTree.fromstring(archive.read(info))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError) as exc:
        raise unreadable from exc
    paragraphs = []
    for paragraph in root.iter(f"{_WORD}p"):
        pieces = []
        for node in paragraph.iter():
            if node.tag == f"{_WORD}t" and node.text:
                pieces.append(node.text)
            elif node.tag == f"{_WORD}tab":
                pieces.append("\t")
            elif node.tag in (f"{_WORD}br", f"{_WORD}cr"):
                pieces.append("\n")
        paragraphs.append("".join(pieces))
    text = "\n".join(paragraphs).strip()
    if not text:
        raise AttachmentError(
            _("The Word document {name} has no text in it, so there is nothing to send.").format(
                name=name
            )
        )
    return Attachment(kind="document", name=name, mime=_DOCX_MIME, data=raw, text=text)
