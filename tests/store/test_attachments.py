"""Attachments in the database: stored once, deleted with their last chat, found by search."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from foxchat.attachments import Attachment, document_from_bytes, image_from_bytes
from foxchat.store import Store, schema
from foxchat.store.attachments import blob_count
from tests.attachments import samples
from tests.store.old_versions import BUILDERS


def _image(width: int = 640) -> Attachment:
    return image_from_bytes(samples.photo_jpeg(width, 480), "cat.jpg", max_side=2048)


def _pdf() -> Attachment:
    return document_from_bytes(samples.pdf(["Quarterly volcano report", "Lava totals"]), "q3.pdf")


def _blobs(store: Store) -> int:
    return blob_count(store._db)


def test_a_message_keeps_its_attachments_in_order(store: Store) -> None:
    cid = store.create_conversation()
    image, pdf = _image(), _pdf()
    mid = store.add_message(
        cid, parent_id=None, role="user", content="Look", attachments=[pdf, image]
    )
    [first, second] = store.attachments([mid])[mid]
    assert (first.name, first.pages, first.text) == ("q3.pdf", 2, pdf.text)
    assert second.data == image.data and second.thumbnail == image.thumbnail
    infos = store.attachment_infos([mid])[mid]
    assert [i.name for i in infos] == ["q3.pdf", "cat.jpg"]
    assert infos[1].size == len(image.data) and (infos[1].width, infos[1].height) == (640, 480)
    assert store.attachment_data(infos[1].sha256) == image.data
    assert store.attachments([]) == {}


def test_the_same_image_pasted_twice_is_stored_once(store: Store) -> None:
    cid = store.create_conversation()
    image = _image()
    first = store.add_message(cid, parent_id=None, role="user", content="a", attachments=[image])
    store.add_message(cid, parent_id=first, role="user", content="b", attachments=[image, image])
    assert _blobs(store) == 1
    assert len(store.attachments([first + 1])[first + 1]) == 2


def test_deleting_a_chat_deletes_the_files_nothing_else_uses(store: Store) -> None:
    shared, own = _image(640), _image(800)
    keep = store.create_conversation()
    store.add_message(keep, parent_id=None, role="user", content="kept", attachments=[shared])
    gone = store.create_conversation()
    store.add_message(gone, parent_id=None, role="user", content="x", attachments=[shared, own])
    assert _blobs(store) == 2
    store.delete_conversation(gone)
    assert _blobs(store) == 2  # still restorable with Undo
    store.purge_deleted(older_than=0)
    assert _blobs(store) == 1
    [kept] = store.active_path(keep)
    assert store.attachments([kept.id])[kept.id][0].data == shared.data


def test_deleting_a_message_deletes_its_files(store: Store) -> None:
    cid = store.create_conversation()
    mid = store.add_message(cid, parent_id=None, role="user", content="x", attachments=[_pdf()])
    store.delete_message(mid)
    assert _blobs(store) == 0
    assert store.search("volcano") == []


def test_search_finds_messages_by_document_names_and_text(store: Store) -> None:
    cid = store.create_conversation()
    mid = store.add_message(
        cid, parent_id=None, role="user", content="Summarise", attachments=[_pdf()]
    )
    [by_text] = store.search("volcano report")
    assert (by_text.message_id, by_text.conversation_id) == (mid, cid)
    assert "\x02volcano\x03" in by_text.snippet.lower()
    [by_name] = store.search("q3.pdf")
    assert by_name.message_id == mid
    store.delete_conversation(cid)
    assert store.search("volcano") == []


def test_a_version_5_file_is_backed_up_and_gains_attachments(db_path: Path) -> None:
    BUILDERS[5](db_path)
    with Store.open(db_path) as store:
        [summary] = store.list_conversations()
        path = store.active_path(summary.id)
        mid = store.add_message(
            summary.id,
            parent_id=path[-1].id,
            role="user",
            content="And this?",
            attachments=[_pdf()],
        )
        assert store.attachment_infos([mid])[mid][0].pages == 2
    assert list(db_path.parent.glob(f"{db_path.name}.v5-backup-*"))
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.CURRENT_VERSION
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_a_chats_draft_files_are_kept_in_order_and_replaced_whole(store: Store) -> None:
    cid = store.create_conversation()
    other = store.create_conversation()
    image, pdf = _image(), _pdf()
    store.save_draft_attachments(cid, [pdf, image])
    assert [(a.name, a.data) for a in store.draft_attachments(cid)] == [
        ("q3.pdf", pdf.data),
        ("cat.jpg", image.data),
    ]
    assert store.draft_attachments(other) == []
    store.save_draft_attachments(cid, [image, pdf])  # rearranged
    assert [a.name for a in store.draft_attachments(cid)] == ["cat.jpg", "q3.pdf"]
    assert _blobs(store) == 2
    store.save_draft_attachments(cid, [image])
    assert [a.name for a in store.draft_attachments(cid)] == ["cat.jpg"]
    assert _blobs(store) == 1  # the PDF nothing uses any more is gone
    store.save_draft_attachments(cid, [])
    assert store.draft_attachments(cid) == [] and _blobs(store) == 0


def test_a_draft_file_also_sent_stays_while_either_uses_it(store: Store) -> None:
    cid = store.create_conversation()
    image = _image()
    store.save_draft_attachments(cid, [image])
    mid = store.add_message(cid, parent_id=None, role="user", content="a", attachments=[image])
    assert _blobs(store) == 1
    store.delete_message(mid)
    assert store.draft_attachments(cid)[0].data == image.data  # the draft still has it
    store.save_draft_attachments(cid, [])
    assert _blobs(store) == 0


def test_a_purged_chat_takes_its_draft_files_with_it(store: Store) -> None:
    cid = store.create_conversation()
    store.save_draft_attachments(cid, [_image()])
    store.delete_conversation(cid)
    assert len(store.draft_attachments(cid)) == 1  # still restorable with Undo
    store.purge_deleted(older_than=-1)
    assert _blobs(store) == 0


def test_a_version_6_file_gains_draft_files(db_path: Path) -> None:
    BUILDERS[6](db_path)
    with Store.open(db_path) as store:
        [summary] = store.list_conversations()
        store.save_draft_attachments(summary.id, [_image()])
        assert [a.name for a in store.draft_attachments(summary.id)] == ["cat.jpg"]
    assert list(db_path.parent.glob(f"{db_path.name}.v6-backup-*"))
