"""The command line in Chinese: help, errors, the self-check and an import, in a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.fakeserver import FakeOpenAIServer, StatusReply

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "chatgpt_conversations.json"


def chinese_foxchat(data_dir: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """``foxchat ARGS`` on a system set to Simplified Chinese."""
    env = dict(os.environ, LANG="zh_CN.UTF-8", LC_ALL="", LANGUAGE="", LC_MESSAGES="")
    env.update(FOXCHAT_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    env.update(QT_QPA_PLATFORM="offscreen", **extra)
    return subprocess.run(
        [sys.executable, "-m", "foxchat", *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_help_is_chinese_down_to_argparse_s_own_words(tmp_path: Path) -> None:
    done = chinese_foxchat(tmp_path, "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("用法：foxchat")
    assert "显示此帮助信息并退出" in done.stdout
    assert "检查安装是否正常，然后退出" in done.stdout
    ask = chinese_foxchat(tmp_path, "ask", "--help").stdout
    assert "回复的多样程度：0 最稳定，越高越多变" in ask


def test_usage_errors_are_chinese(tmp_path: Path) -> None:
    missing = chinese_foxchat(tmp_path, "ask")
    assert missing.returncode == 2
    assert "foxchat ask：错误：缺少以下必需参数：prompt" in missing.stderr
    wrong = chinese_foxchat(tmp_path, "export", "--format", "doc")
    assert "参数 --format：无效的选择：'doc'" in wrong.stderr


def test_ask_explains_its_problems_in_chinese(
    tmp_path: Path, fake_server: FakeOpenAIServer
) -> None:
    no_key = chinese_foxchat(tmp_path, "ask", "你好", FOXCHAT_API_KEY="")
    assert no_key.returncode == 2
    assert no_key.stderr.startswith("FoxChat 还没有 API 密钥。")
    endpoint = {"FOXCHAT_API_KEY": "sk-test", "FOXCHAT_BASE_URL": fake_server.base_url}
    out_of_range = chinese_foxchat(tmp_path, "ask", "你好", "--temperature", "5", **endpoint)
    assert out_of_range.returncode == 2
    assert "请把 temperature 设为 0 到 2 之间的值。" in out_of_range.stderr
    fake_server.script(StatusReply(401, {"error": {"message": "Incorrect API key"}}))
    refused = chinese_foxchat(tmp_path, "ask", "你好", **endpoint)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "服务器不接受你的 API 密钥。服务器返回：“Incorrect API key”。"
        "请检查密钥是否完整复制、没有多余空格，并且尚未过期。"
    )


def test_the_self_check_reports_in_chinese(tmp_path: Path) -> None:
    done = chinese_foxchat(tmp_path, "--self-check")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("通过 存储：SQLite ") for line in lines), lines
    assert lines[-1] == "自检通过"


def test_import_counts_in_chinese(tmp_path: Path) -> None:
    done = chinese_foxchat(tmp_path, "import", str(FIXTURE))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "已导入 4 个对话，共 15 条消息。"
