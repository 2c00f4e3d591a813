"""``foxchat ask --attach``: the same conversion, limits and messages as the window."""

from __future__ import annotations

from pathlib import Path

from foxchat.api import DEFAULT_MODEL
from tests.attachments import samples
from tests.cli.test_ask import environment, foxchat
from tests.fakeserver import FakeOpenAIServer


def test_images_and_documents_are_attached_in_order(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    photo, notes = tmp_path / "photo.jpg", tmp_path / "notes.txt"
    photo.write_bytes(samples.photo_jpeg(4000, 3000, orientation=6))
    notes.write_text("Buy milk", encoding="utf-8")
    env = environment(fake_server.base_url, FOXCHAT_DATA_DIR=str(tmp_path / "data"))
    result = foxchat(
        env, "ask", "--attach", str(photo), "--attach", str(notes), "--detail", "low", "Describe"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Echo: Describe [image] === File: notes.txt ===")
    [content] = [m["content"] for m in fake_server.requests[-1].body["messages"]]
    assert [p["type"] for p in content] == ["text", "image_url", "text"]
    [image] = fake_server.requests[-1].images
    assert image.mime == "image/jpeg" and image.detail == "low"
    assert b"Exif" not in image.data


def test_a_bad_file_is_refused_before_anything_is_sent(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    env = environment(fake_server.base_url, FOXCHAT_DATA_DIR=str(tmp_path / "data"))
    result = foxchat(env, "ask", "--attach", str(empty), "Summarise")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "The file empty.pdf is empty (0 bytes), so there is nothing to attach."
    )
    gone = foxchat(env, "ask", "--attach", str(tmp_path / "gone.png"), "Hi")
    assert gone.returncode == 2 and "gone.png is no longer there" in gone.stderr
    assert fake_server.requests == []


def test_a_long_document_says_how_many_tokens_it_adds(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    book = tmp_path / "book.txt"
    book.write_text("word " * 40_000, encoding="utf-8")
    env = environment(fake_server.base_url, FOXCHAT_DATA_DIR=str(tmp_path / "data"))
    result = foxchat(env, "ask", "--attach", str(book), "Summarise")
    assert result.returncode == 0, result.stderr
    assert "book.txt is 200,000 characters long and adds about 50,000 tokens" in result.stderr


def test_a_model_that_cannot_read_images_says_so(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    fake_server.vision_models = {"gpt-4o"}
    shot = tmp_path / "shot.png"
    shot.write_bytes(samples.screenshot_png(200, 100))
    env = environment(fake_server.base_url, FOXCHAT_DATA_DIR=str(tmp_path / "data"))
    result = foxchat(env, "ask", "-m", DEFAULT_MODEL, "--attach", str(shot), "What is it?")
    assert result.returncode == 1
    assert "cannot read images" in result.stderr
    assert "Pick a model that reads images" in result.stderr
