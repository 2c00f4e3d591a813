"""Export and import keep attachments: base64 in FoxChat JSON, placeholders or files in Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from foxchat.attachments import Attachment, document_from_bytes, image_from_bytes
from foxchat.store import ImportFormatError, Store
from tests.attachments import samples


def _chat(store: Store) -> tuple[int, Attachment, Attachment]:
    image = image_from_bytes(samples.screenshot_png(1280, 720), "shot.png", max_side=2048)
    pdf = document_from_bytes(samples.pdf(["Invoice 42", "Total"]), "invoice.pdf")
    cid = store.create_conversation(title="With files")
    first = store.add_message(
        cid, parent_id=None, role="user", content="See", attachments=[image, pdf]
    )
    store.add_message(cid, parent_id=first, role="assistant", content="Seen.")
    return cid, image, pdf


def test_json_round_trip_is_byte_exact(store: Store, tmp_path: Path) -> None:
    _cid, image, pdf = _chat(store)
    exported = store.export_json()
    assert exported["version"] == 2
    text = json.dumps(exported)
    with Store.open(tmp_path / "other.sqlite3") as other:
        result = other.import_data(json.loads(text))
        assert result.conversations == 1
        [summary] = other.list_conversations()
        user = other.active_path(summary.id)[0]
        [back_image, back_pdf] = other.attachments([user.id])[user.id]
        assert back_image == image
        assert back_pdf == pdf
        again = other.export_json()
    assert again["conversations"][0]["messages"] == exported["conversations"][0]["messages"]


def test_a_file_without_attachments_stays_version_1(store: Store) -> None:
    cid = store.create_conversation()
    store.add_message(cid, parent_id=None, role="user", content="plain")
    exported = store.export_json()
    assert exported["version"] == 1
    assert "attachments" not in exported["conversations"][0]["messages"][0]


def test_damaged_attachment_data_imports_nothing(store: Store) -> None:
    _chat(store)
    exported = store.export_json()
    exported["conversations"][0]["messages"][0]["attachments"][0]["data"] = "not base64!"
    with pytest.raises(ImportFormatError, match="attachment 1 holds data that is not base64"):
        store.import_data(exported, skip_existing=False)


def test_markdown_writes_placeholders(store: Store) -> None:
    _chat(store)
    text = store.export_markdown()
    assert "[image: shot.png, 1280×720]" in text
    assert "[file: invoice.pdf, 2 pages]" in text


def test_markdown_with_files_links_them_by_name(store: Store) -> None:
    _cid, image, pdf = _chat(store)
    text, files = store.export_markdown_files()
    assert files == {"shot.png": image.data, "invoice.pdf": pdf.data}
    assert "![image: shot.png, 1280×720](shot.png)" in text
    assert "[file: invoice.pdf, 2 pages](invoice.pdf)" in text
