"""``foxchat export`` and ``foxchat import`` end to end, in a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from foxchat.store import Store

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "chatgpt_conversations.json"


def _foxchat(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, FOXCHAT_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "foxchat", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
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
    assert again.stdout.strip() == "Imported 1 conversations with 3 messages."
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
