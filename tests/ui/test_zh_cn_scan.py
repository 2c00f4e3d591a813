"""In Chinese, no English sentence is left in the window, the welcome dialog or Settings.

The real app runs in a child process started with ``LANG=zh_CN.UTF-8`` (so
the language is chosen as at a real start, before any module whose words it
translates is imported), against the fake server on 127.0.0.1 with the key in
an in-memory keyring; ``zh_cn_scan_driver.py`` opens each screen and reports
every visible text, tooltip, window title, placeholder or accessible name with
English words in it (names such as FoxChat, API, JSON, URLs, model ids and
shortcuts aside).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from foxchat.store import MessageStatus, Store
from tests.fakeserver import FakeOpenAIServer, StatusReply
from tests.slow_keyring import DELAY_ENV, KEY_ENV
from tests.ui.zh_cn_scan_driver import english_words

REPO = Path(__file__).resolve().parents[2]
DRIVER = REPO / "tests" / "ui" / "zh_cn_scan_driver.py"
MODELS = ("gpt-4o", "deepseek-chat")

#: Texts allowed to stay English in the Chinese window. Empty: every file's
#: words are marked; add here only with a reason, never to make the test pass.
KNOWN_UNMARKED: frozenset[str] = frozenset()


def _seed(data_dir: Path) -> int:
    """A chat in Chinese with one finished reply; its id."""
    with Store.open(data_dir / "foxchat.sqlite3") as store:
        other = store.create_conversation(title="十月的旅行计划", model="gpt-4o")
        store.update_conversation(other, pinned=True)
        cid = store.create_conversation(title="备份照片", model="gpt-4o")
        question = store.add_message(
            cid, parent_id=None, role="user", content="请教一下备份照片的好办法。"
        )
        reply = store.add_message(
            cid,
            parent_id=question,
            role="assistant",
            content="最简单可靠的是 **3-2-1 原则**：保留三份副本，放在两种介质上。",
            model="gpt-4o",
        )
        store.finish_message(
            reply,
            status=MessageStatus.COMPLETE,
            usage_json=json.dumps({"prompt_tokens": 1204, "completion_tokens": 356}),
        )
        return cid


def _scan(tmp_path: Path) -> tuple[list[dict[str, str]], str]:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    cid = _seed(data_dir)
    with FakeOpenAIServer(models=MODELS) as server:
        # The next message is refused, so the chat shows an error too.
        server.script(StatusReply(500, {"error": {"message": "上游模型繁忙。"}}))
        env = dict(
            os.environ,
            PYTHONPATH=str(REPO),
            QT_QPA_PLATFORM="offscreen",
            LANG="zh_CN.UTF-8",
            LANGUAGE="",
            LC_ALL="",
            LC_MESSAGES="",
            FOXCHAT_DATA_DIR=str(data_dir),
            FOXCHAT_BASE_URL=server.base_url,
            FOXCHAT_MODEL="gpt-4o",
            PYTHON_KEYRING_BACKEND="tests.slow_keyring.SlowKeyring",
        )
        env[KEY_ENV] = "sk-scan-test-0123456789"
        env[DELAY_ENV] = "0"
        env.pop("FOXCHAT_API_KEY", None)
        done = subprocess.run(
            [sys.executable, str(DRIVER), str(cid), ",".join(MODELS)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=120,
            cwd=REPO,
        )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    lines = done.stdout.splitlines()
    found = [json.loads(line) for line in lines if line.startswith("{")]
    return found, "\n".join(line for line in lines if line.startswith("scan-done"))


def test_the_allow_list_lets_names_through_and_catches_words() -> None:
    models = frozenset({"gpt-4o", "deepseek-chat"})
    assert english_words("使用 deepseek-chat 模型（Ctrl+Shift+P）", models) == []
    assert english_words("删除这个对话（Delete）", models) == []
    assert english_words("接口地址 https://api.foxapi.cc/v1 与 API 密钥", models) == []
    assert english_words("对话导出文件 (*.json *.zip)", models) == []
    assert english_words("Delete", models) == ["Delete"]
    assert english_words("New chat", models) == ["New", "chat"]


def test_nothing_english_is_left_in_the_chinese_window(tmp_path: Path) -> None:
    found, done = _scan(tmp_path)
    assert done == "scan-done language=zh_CN"
    screens = {item["screen"] for item in found}
    left = [
        f"{item['screen']}: {item['class']} #{item['object']} in {item['inside']} "
        f"{item['what']}: {item['text']!r}"
        for item in found
        if item["text"] not in KNOWN_UNMARKED
    ]
    assert not left, f"{len(left)} English texts on {sorted(screens)}:\n" + "\n".join(left)
