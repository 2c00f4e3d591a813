"""``foxchat export`` and ``foxchat import`` end to end, in a real subprocess."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from foxchat.store import MessageStatus, Store

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "chatgpt_conversations.json"


def _env(data_dir: Path) -> dict[str, str]:
    return dict(os.environ, FOXCHAT_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO))


def _foxchat(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "foxchat", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(data_dir),
        timeout=60,
    )


def test_import_then_export_json_and_markdown(tmp_path: Path) -> None:
    data = tmp_path / "data"
    imported = _foxchat(data, "import", str(FIXTURE))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "Imported 4 conversations with 15 messages."

    exported = _foxchat(data, "export")
    assert exported.returncode == 0, exported.stderr
    document = json.loads(exported.stdout)
    assert document["format"] == "foxchat"
    assert len(document["conversations"]) == 4

    markdown = _foxchat(data, "export", "--format", "md")
    assert markdown.returncode == 0
    assert "# Kyoto family trip" in markdown.stdout
    assert "古池や" in markdown.stdout


def test_export_one_conversation_to_a_file_and_import_it_elsewhere(tmp_path: Path) -> None:
    source = tmp_path / "source"
    with Store.open(source / "foxchat.sqlite3") as store:
        store.create_conversation(title="not this one")
        cid = store.create_conversation(title="this one")
        root = store.add_message(cid, parent_id=None, role="user", content="hello")
        store.add_message(cid, parent_id=root, role="assistant", content="hi")
        store.add_message(cid, parent_id=root, role="assistant", content="hey")
    out = tmp_path / "out" / "one.json"
    done = _foxchat(source, "export", "--conversation", str(cid), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert [c["title"] for c in json.loads(out.read_text("utf-8"))["conversations"]] == ["this one"]
    target = tmp_path / "target"
    again = _foxchat(target, "import", str(out))
    assert again.stdout.strip() == "Imported 1 conversation with 3 messages."
    with Store.open(target / "foxchat.sqlite3") as store:
        [summary] = store.list_conversations()
        assert [m.content for m in store.active_path(summary.id)] == ["hello", "hey"]


def test_bad_import_file_is_a_message_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": "world"}', encoding="utf-8")
    done = _foxchat(tmp_path / "data", "import", str(bad))
    assert done.returncode == 1
    assert "neither a FoxChat export nor ChatGPT" in done.stderr
    assert "Traceback" not in done.stderr
    missing = _foxchat(tmp_path / "data", "import", str(tmp_path / "missing.json"))
    assert missing.returncode == 1
    assert "could not read" in missing.stderr


def test_unknown_conversation_id_is_a_message_and_exit_1(tmp_path: Path) -> None:
    done = _foxchat(tmp_path / "data", "export", "--conversation", "42")
    assert done.returncode == 1
    assert "no conversation with id 42" in done.stderr
    assert done.stdout == ""


def test_damaged_database_is_reported_with_where_it_was_kept(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "foxchat.sqlite3").write_bytes(b"garbage" * 1000)
    done = _foxchat(data, "export")
    assert done.returncode == 1
    assert "damaged" in done.stderr
    assert str(data / "foxchat.sqlite3.damaged-") in done.stderr


def test_export_to_a_full_disk_is_a_message_and_exit_1(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert _foxchat(data, "import", str(FIXTURE)).returncode == 0
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run(
            [sys.executable, "-m", "foxchat", "export"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=_env(data),
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr == (
        "foxchat: The export could not be written to the output (No space left on device)."
        " Free some disk space or write to a file with -o.\n"
    )


def test_export_to_an_empty_file_name_is_a_usage_error(tmp_path: Path) -> None:
    done = _foxchat(tmp_path / "data", "export", "-o", "")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "foxchat: Give a file name after -o.\n"


def test_export_into_a_file_as_if_it_were_a_folder_says_so(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("keep me", encoding="utf-8")
    target = note / "sub" / "chats.json"
    done = _foxchat(tmp_path / "data", "export", "-o", str(target))
    assert done.returncode == 1
    assert done.stderr == (
        f"foxchat: Could not write {target}: {note} is a file, not a folder."
        " Choose a file name in a folder.\n"
    )
    assert note.read_text(encoding="utf-8") == "keep me"


def test_importing_the_same_file_twice_skips_what_is_already_here(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert _foxchat(data, "import", str(FIXTURE)).returncode == 0
    again = _foxchat(data, "import", str(FIXTURE))
    assert (again.returncode, again.stderr) == (0, "")
    assert again.stdout == (
        "Imported 0 conversations with 0 messages."
        " 4 conversations were already here and were skipped.\n"
    )
    with Store.open(data / "foxchat.sqlite3") as store:
        assert len(store.list_conversations()) == 4


def _circle(title: str, listed: bool) -> dict[str, object]:
    """A ChatGPT conversation whose three messages' parents go round in a circle."""

    def node(node_id: str, parent: str, child: str, role: str) -> dict[str, object]:
        message = {
            "author": {"role": role},
            "content": {"content_type": "text", "parts": [f"{role} {node_id}"]},
        }
        return {"parent": parent, "children": [child], "message": message}

    mapping = {
        "root": {"parent": None, "children": ["a"] if listed else [], "message": None},
        "a": node("a", "c", "b", "user"),
        "b": node("b", "a", "c", "assistant"),
        "c": node("c", "b", "a", "user"),
    }
    return {"title": title, "create_time": 1.0, "mapping": mapping, "current_node": "c"}


def test_import_of_a_parent_circle_is_never_a_silent_empty_import(tmp_path: Path) -> None:
    data = tmp_path / "data"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps([_circle("lost", listed=False)]), encoding="utf-8")
    done = _foxchat(data, "import", str(broken))
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "foxchat: Imported 0 conversations with 0 messages."
        " 3 messages were skipped because their order in the file is broken."
        " 1 conversation was left out because none of its messages could be read in order.\n"
    )
    mended = tmp_path / "mended.json"
    mended.write_text(json.dumps([_circle("found", listed=True)]), encoding="utf-8")
    done = _foxchat(data, "import", str(mended))
    assert done.returncode == 0
    assert done.stdout.startswith("Imported 1 conversation with 3 messages. 3 messages had")


def _many_chats(path: Path, count: int) -> None:
    chats = [
        {
            "title": f"chat {n}",
            "create_time": 1.0 + n,
            "mapping": {
                "r": {"parent": None, "children": ["u"], "message": None},
                "u": {
                    "parent": "r",
                    "children": [],
                    "message": {
                        "author": {"role": "user"},
                        "content": {"content_type": "text", "parts": [f"question {n} " * 20]},
                    },
                },
            },
        }
        for n in range(count)
    ]
    path.write_text(json.dumps(chats), encoding="utf-8")


def test_import_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    source = tmp_path / "many.json"
    _many_chats(source, 4000)
    main, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "foxchat", "import", str(source)],
        stdout=subprocess.PIPE,
        stderr=child,
        env=_env(tmp_path / "data"),
    )
    os.close(child)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    out, _ = process.communicate(timeout=120)
    os.close(main)
    assert process.returncode == 0
    assert out == b"Imported 4,000 conversations with 4,000 messages.\n"
    text = seen.decode("utf-8")
    assert text.startswith("\rReading many.json…")
    assert "% (" in text
    assert " of 4,000 conversations)" in text
    assert text.endswith("\r")  # the line is cleared before the result


def test_export_to_a_folder_asks_for_a_file_name(tmp_path: Path) -> None:
    done = _foxchat(tmp_path / "data", "export", "-o", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr == (
        f"foxchat: Could not write {tmp_path}: it is a folder."
        f" Give a file name, such as {tmp_path / 'chats.json'}.\n"
    )


def test_export_and_import_beside_a_streaming_window_leave_its_reply_streaming(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    # The window: a reply in flight, its row open in this process's store.
    with Store.open(data / "foxchat.sqlite3") as window_store:
        cid = window_store.create_conversation(title="Streaming")
        question = window_store.add_message(cid, parent_id=None, role="user", content="Hi")
        reply = window_store.add_message(
            cid, parent_id=question, role="assistant", status=MessageStatus.STREAMING
        )
        window_store.update_streaming_text(reply, "Half of the")
        assert _foxchat(data, "export").returncode == 0
        assert _foxchat(data, "import", str(FIXTURE)).returncode == 0
        # Still the window's: it goes on streaming and finishes it itself.
        assert window_store.get_message(reply).status is MessageStatus.STREAMING
        window_store.update_streaming_text(reply, "Half of the reply, and the rest.")
        window_store.finish_message(reply, status=MessageStatus.COMPLETE)
        assert window_store.get_message(reply).status is MessageStatus.COMPLETE


def test_export_html_and_pdf(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert _foxchat(data, "import", str(FIXTURE)).returncode == 0
    page = _foxchat(data, "export", "--format", "html", "--conversation", "1")
    assert page.returncode == 0, page.stderr
    assert page.stdout.startswith("<!DOCTYPE html>") and "<title>" in page.stdout
    pdf = tmp_path / "all.pdf"
    made = _foxchat(data, "export", "--format", "pdf", "-o", str(pdf))
    assert made.returncode == 0, made.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and not pdf.with_name("all.pdf.part").exists()
    no_file = _foxchat(data, "export", "--format", "pdf")
    assert no_file.returncode == 1 and "-o FILE.pdf" in no_file.stderr


def test_markdown_export_to_a_folder_writes_the_attached_files_beside_it(tmp_path: Path) -> None:
    from foxchat.attachments import image_from_bytes
    from tests.attachments import samples

    data = tmp_path / "data"
    image = image_from_bytes(samples.screenshot_png(640, 360), "diagram.png", max_side=2048)
    with Store.open(data / "foxchat.sqlite3") as store:
        cid = store.create_conversation(title="Diagram chat")
        store.add_message(cid, parent_id=None, role="user", content="Explain", attachments=[image])
    out = tmp_path / "out"
    out.mkdir()
    done = _foxchat(data, "export", "--format", "md", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert (out / "diagram.png").read_bytes() == image.data
    assert "![image: diagram.png, 640×360](diagram.png)" in (out / "chats.md").read_text("utf-8")
    to_stdout = _foxchat(data, "export", "--format", "md")
    assert "[image: diagram.png, 640×360]" in to_stdout.stdout
