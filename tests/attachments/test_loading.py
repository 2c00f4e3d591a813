"""Attaching a file from disk: every bad case gets a plain message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from foxchat import i18n
from foxchat.attachments import MAX_FILE_BYTES, AttachmentError, attach_file, describe_size
from tests.attachments import samples


def test_an_image_file_becomes_an_image(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(samples.photo_jpeg(3000, 1000))
    result = attach_file(path, max_side=1024)
    assert result.is_image and (result.width, result.height) == (1024, 341)


def test_a_text_file_and_a_pdf_become_documents(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "r.pdf").write_bytes(samples.pdf(["Hello"]))
    assert attach_file(tmp_path / "data.csv").text == "a,b\n1,2\n"
    assert attach_file(tmp_path / "r.pdf").pages == 1


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(AttachmentError, match=r"empty.txt is empty \(0 bytes\)"):
        attach_file(tmp_path / "empty.txt")


def test_a_2_gb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.mov"
    with path.open("wb") as stream:
        stream.truncate(2 * 1024 * 1024 * 1024)  # sparse: no disk space used
    with pytest.raises(AttachmentError, match=r"huge.mov is 2.0 GB, more than FoxChat can attach"):
        attach_file(path)
    assert MAX_FILE_BYTES < 2 * 1024 * 1024 * 1024


def test_a_vanished_file_says_it_is_gone(tmp_path: Path) -> None:
    with pytest.raises(AttachmentError, match=r"gone.png is no longer there"):
        attach_file(tmp_path / "gone.png")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AttachmentError, match="is a folder"):
        attach_file(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "private.txt"
    path.write_text("x", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(AttachmentError, match="not allowed to read"):
        attach_file(path)


def test_each_problem_is_said_in_the_persons_language(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "tool.bin").write_bytes(b"\x00\x01\x02" * 100)
    try:
        assert i18n.install("zh_CN") == "zh_CN"
        with pytest.raises(AttachmentError) as empty:
            attach_file(tmp_path / "empty.txt")
        assert empty.value.user_message == "文件 empty.txt 是空的（0 字节），没有可附加的内容。"
        with pytest.raises(AttachmentError) as gone:
            attach_file(tmp_path / "gone.png")
        assert gone.value.user_message.startswith("文件 gone.png 已不在原处")
        with pytest.raises(AttachmentError) as binary:
            attach_file(tmp_path / "tool.bin")
        assert "FoxChat 无法附加它" in binary.value.user_message
        assert describe_size(1) == "1 字节" and describe_size(2048) == "2.0 KB"
    finally:
        i18n.install("en")
    assert describe_size(1) == "1 byte" and describe_size(300) == "300 bytes"
