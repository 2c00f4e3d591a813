"""Documents become text: encodings detected, binary refused, PDF and DOCX read."""

from __future__ import annotations

import pytest

from foxchat.attachments import AttachmentError, document_from_bytes
from tests.attachments import samples


def test_utf8_and_markdown_are_sent_as_they_are() -> None:
    doc = document_from_bytes("# Notes\n\nGrüße, 你好\n".encode(), "notes.md")
    assert doc.text == "# Notes\n\nGrüße, 你好\n"
    assert doc.kind == "document"
    assert doc.mime == "text/markdown"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("café – naïve".encode("cp1252"), "café – naïve"),
        ("\ufeffcafé".encode(), "café"),
        ("café, 你好".encode("utf-16"), "café, 你好"),
        (bytes([0x81, 0x61]), "\x81a"),
    ],
    ids=["windows-1252", "utf-8-bom", "utf-16-bom", "latin-1"],
)
def test_the_encoding_is_detected(raw: bytes, expected: str) -> None:
    assert document_from_bytes(raw, "old.txt").text == expected


def test_a_binary_file_is_refused_with_a_message() -> None:
    with pytest.raises(AttachmentError, match=r"The file program\.exe is not text"):
        document_from_bytes(b"MZ\x90\x00\x03\x00\x00\x00" * 100, "program.exe")


def test_a_pdf_gives_its_text_and_page_count() -> None:
    doc = document_from_bytes(samples.pdf(["Quarterly report", "Revenue grew"]), "report.pdf")
    assert doc.pages == 2
    assert doc.mime == "application/pdf"
    assert "Quarterly report" in doc.text and "Revenue grew" in doc.text


def test_a_password_protected_pdf_says_so() -> None:
    with pytest.raises(AttachmentError, match="protected with a password"):
        document_from_bytes(samples.locked_pdf(["secret plans"]), "locked.pdf")


def test_an_unreadable_pdf_says_so() -> None:
    with pytest.raises(AttachmentError, match=r"The PDF broken\.pdf could not be read"):
        document_from_bytes(b"%PDF-1.4\nthis is not really a pdf\n", "broken.pdf")


def test_a_pdf_of_scanned_pages_says_there_is_no_text() -> None:
    with pytest.raises(AttachmentError, match="no text FoxChat can read"):
        document_from_bytes(samples.pdf([""]), "scan.pdf")


def test_a_word_document_gives_its_paragraphs() -> None:
    doc = document_from_bytes(samples.docx(["First paragraph", "Second one"]), "letter.docx")
    assert doc.text == "First paragraph\nSecond one"


def test_a_damaged_word_document_says_so() -> None:
    with pytest.raises(AttachmentError, match=r"Word document bad\.docx could not be read"):
        document_from_bytes(b"PK\x03\x04 not a zip", "bad.docx")


def test_estimated_tokens_are_about_four_characters_each() -> None:
    doc = document_from_bytes(b"a" * 4000, "a.txt")
    assert doc.estimated_tokens() == 1000
