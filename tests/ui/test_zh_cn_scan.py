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

#: Texts that are still English because their files are being marked by other
#: helpers at the same time (ui/messages/*, ui/params/*, ui/composer.py,
#: settings_dialog, welcome_dialog, prices_editor, model_overrides_editor,
#: api/*), grouped by the widget's file; a few come from files no helper was
#: given: the built-in preset names (presets.py, shown by ui/params/presets_bar)
#: and the keyring notice (secrets.py, shown in Settings). The lead empties this
#: list after merging; anything English NOT listed here fails the test.
KNOWN_UNMARKED: frozenset[str] = frozenset(
    {
        # api/failures.py (shown in ui/notice_bar.py)
        (
            "The chat service had a problem on its side (error 500). The server said: "
            '"上游模型繁忙。". 这不是你的问题；请过一分钟再试。'
        ),
        # ui/composer.py
        "Answer this message 2 to 4 times at once, each with other settings (Ctrl+Shift+Enter)",
        "Attach images or documents",
        "Attach images or documents. You can also paste them or drop them here.",
        "Attach…",
        "Compare",
        "Message",
        "Send",
        "Send (Enter)",
        "Send message",
        (
            "Type a message. Enter sends, Shift+Enter adds a line. Paste or drop images and "
            "files to attach them."
        ),
        # ui/messages/made_with.py
        "Made with: gpt-4o",
        "Put this reply's model and settings into the sidebar for the next message",
        "Show every setting this reply was made with",
        "Use these settings",
        "What this reply was made with",
        # ui/messages/markdown_view.py
        "Reply",
        # ui/messages/message_header.py
        "Answer this message again several ways at once",
        "Compare answers",
        "Edit",
        "Edit and resend",
        "Regenerate",
        "Write another answer",
        "You",
        # ui/messages/message_view.py
        "Messages",
        # ui/messages/message_widget.py
        "Copy",
        "Copy message",
        "Delete",
        "Delete message",
        "Your message",
        # ui/model_overrides_editor.py
        "About what FoxChat learns",
        "Forget",
        "Forget all",
        "Forget everything learnt",
        "Forget the selected entries",
        "Nothing learnt yet",
        "Nothing learnt yet: every model gets FoxChat's built-in rules.",
        "What FoxChat learnt about models",
        (
            "When a server refuses a setting for a model and you choose to send without it, or "
            "you choose Send anyway for a setting FoxChat would leave out, it is remembered "
            "here for that model on that server. Forget an entry to go back to FoxChat's "
            "built-in rules."
        ),
        # ui/params/blocked_note.py
        "OpenAI chat 模型不接受推理强度.",
        "Send Reasoning effort anyway",
        "Send anyway",
        "Send this setting to this model after all, for a server you know takes it",
        "Why Reasoning effort is not sent",
        # ui/params/effort_row.py
        (
            "How long a reasoning model thinks before it answers: more effort is slower and "
            "uses more tokens, and helps with hard problems. When off, the model decides."
        ),
        "Reasoning effort",
        "Reasoning effort setting",
        "Send Reasoning effort",
        # ui/params/focus_wheel.py
        (
            "Asks how sure the model was of each word and which words it nearly chose; the "
            "reply can then show them. The number is how many alternatives to list. Range: 1 到 "
            "20."
        ),
        "Balanced",
        (
            "Choose a preset to apply its settings to this chat at once.\nShows “Custom "
            "settings” when the chat matches no preset."
        ),
        "Creative",
        "Extra high",
        "High",
        (
            "How long a reasoning model thinks before it answers: more effort is slower and "
            "uses more tokens, and helps with hard problems."
        ),
        "Low",
        "Medium",
        "Minimal",
        "Model",
        "Model name",
        "Model name, e.g. gpt-4o",
        "None (answer at once)",
        "Precise",
        "Preset",
        "Reasoning effort value",
        "The model that writes the reply; pick one or type any name",
        "Token probabilities value",
        "Top P slider",
        "Top P value",
        "一次写出几个不同的回复。 Range: 1 到 8.",
        "回复数量 value",
        "回复的最大长度；被截断的回复会注明。 Range: 1 或更多.",
        "在服务器支持时，相同的种子和设置会得到相同的回复。 Range: 0 或更多.",
        "存在惩罚 slider",
        "存在惩罚 value",
        "最大输出 token 数 value",
        "温度 slider",
        "温度 value",
        "越低，模型只从最可能的词里挑选。 Range: 0 到 1.",
        "越高，措辞越多变；越低，越可预测。 Range: 0 到 2.",
        "越高，越倾向于转向新话题。 Range: -2 到 2.",
        "越高，越少重复相同的词句。 Range: -2 到 2.",
        "随机种子 value",
        "频率惩罚 slider",
        "频率惩罚 value",
        # ui/params/image_detail.py
        "Automatic",
        "How closely the model looks at images",
        "How closely the model looks at the images you attach.",
        "Image detail",
        "The model decides how closely to look at each image.",
        # ui/params/number_row.py
        (
            "Asks how sure the model was of each word and which words it nearly chose; the "
            "reply can then show them. The number is how many alternatives to list."
        ),
        (
            "Asks how sure the model was of each word and which words it nearly chose; the "
            "reply can then show them. The number is how many alternatives to list. Range: 1 到 "
            "20. When off, the server's default is used."
        ),
        "Off: a new seed each time.",
        "Off: no probabilities are asked for.",
        "Off: the server's default is used.",
        "Send Token probabilities",
        "Send Top P",
        "Send 回复数量",
        "Send 存在惩罚",
        "Send 最大输出 token 数",
        "Send 温度",
        "Send 随机种子",
        "Send 频率惩罚",
        "Token probabilities",
        "Token probabilities explanation",
        "Token probabilities is off",
        "Token probabilities range",
        "Token probabilities setting",
        "Top P explanation",
        "Top P is off",
        "Top P range",
        "Top P setting",
        "一次写出几个不同的回复。 Range: 1 到 8. When off, the server's default is used.",
        "回复数量 explanation",
        "回复数量 is off",
        "回复数量 range",
        "回复数量 setting",
        (
            "回复的最大长度；被截断的回复会注明。"
            " Range: 1 或更多. When off, the server's default is used."
        ),
        (
            "在服务器支持时，相同的种子和设置会得到相同的回复。"
            " Range: 0 或更多. When off, the server's default is used."
        ),
        "存在惩罚 explanation",
        "存在惩罚 is off",
        "存在惩罚 range",
        "存在惩罚 setting",
        "最大输出 token 数 explanation",
        "最大输出 token 数 is off",
        "最大输出 token 数 range",
        "最大输出 token 数 setting",
        "温度 explanation",
        "温度 is off",
        "温度 range",
        "温度 setting",
        "越低，模型只从最可能的词里挑选。 Range: 0 到 1. When off, the server's default is used.",
        "越高，措辞越多变；越低，越可预测。 Range: 0 到 2. When off, the server's default is used.",
        "越高，越倾向于转向新话题。 Range: -2 到 2. When off, the server's default is used.",
        "越高，越少重复相同的词句。 Range: -2 到 2. When off, the server's default is used.",
        "随机种子 explanation",
        "随机种子 is off",
        "随机种子 range",
        "随机种子 setting",
        "频率惩罚 explanation",
        "频率惩罚 is off",
        "频率惩罚 range",
        "频率惩罚 setting",
        # ui/params/parameters_panel.py
        "Chat settings",
        "Chat settings list",
        "New chats will start with the settings shown here",
        "Use as default for new chats",
        "Use these settings as default for new chats",
        # ui/params/presets_bar.py
        "Delete preset",
        "Export presets",
        "Export presets…",
        "Import presets",
        "Import presets…",
        "More preset actions",
        "Presets",
        "Save current as preset",
        "Save current as preset…",
        "Save, delete, export or import presets",
        # ui/params/section.py
        "Advanced",
        "Advanced section",
        "Advanced section, hidden",
        "Fetch the model list from the server again",
        "For example: You are a concise assistant.",
        "Images",
        "Images section",
        "Images section, shown",
        "Images settings",
        "Instructions the model reads before every message",
        "Model section",
        "Model section, shown",
        "Model settings",
        "On: words appear as they arrive. Off: the whole reply appears at once.",
        "Preset section",
        "Preset section, shown",
        "Preset settings",
        "Refresh the model list",
        "Reply section",
        "Reply section, shown",
        "Reply settings",
        "Sampling",
        "Sampling section",
        "Sampling section, shown",
        "Sampling settings",
        "Show or hide the advanced settings",
        "Show or hide the images settings",
        "Show or hide the model settings",
        "Show or hide the preset settings",
        "Show or hide the reply settings",
        "Show or hide the sampling settings",
        "Show or hide the system prompt settings",
        "Show the reply as it is written",
        "Streaming",
        "System prompt",
        "System prompt section",
        "System prompt section, shown",
        "System prompt settings",
        # ui/params/stop_chips.py
        "New stop sequence",
        "Off: no stop sequences are sent.",
        "Send stop sequences",
        "Stop sequences",
        "Stop sequences explanation",
        "Stop sequences note",
        "Stop sequences setting",
        "Text that ends the reply when the model writes it.",
        (
            "Text that ends the reply when the model writes it. Type it and press Enter; up to "
            "4. Write \\n for a line break."
        ),
        "Text that ends the reply when the model writes it. Up to 4.",
        "Type and press Enter (\\n = new line)",
        # ui/prices_editor.py
        "About model prices",
        "Add a model price",
        "Add model",
        "Model prices",
        "Model prices per million tokens",
        "Remove model",
        "Remove the selected model price",
        "Used to estimate what each chat costs. Leave empty if you do not care.",
        # ui/settings_dialog.py
        " characters",
        " latest messages",
        " pixels on the longest side",
        "&Context:",
        "&Font size:",
        "&Images:",
        "&Language:",
        "&Name:",
        "&Proxy:",
        "&Theme:",
        "A key is saved for this profile.",
        (
            "A proxy server for every request, for example http://proxy.example.com:8080 or "
            "socks5://127.0.0.1:1080."
        ),
        "API &address:",
        "API &key:",
        "API address (base URL)",
        "API key status",
        "Accounts",
        "Add",
        "Add a profile",
        "Appearance",
        "Ask before long &documents:",
        "Chats",
        "Connection test result",
        "Dark",
        "Default &model:",
        "Default model for new chats",
        "Document length that asks first",
        "Empty: the system's proxy, if any",
        "Endpoint profiles",
        "English",
        "Follow the system",
        "Font size in points",
        "FoxAPI (default)",
        (
            "FoxChat asks before sending a document longer than this, and says about how many "
            "tokens it adds."
        ),
        "FoxChat speaks the language you choose from its next start.",
        "How the proxy is chosen",
        "Keys are kept in your system keyring, never in a file.",
        "Language",
        (
            "Larger images are scaled down to this size before they are sent, which keeps "
            "requests small and cheap."
        ),
        (
            "Leave this empty to use the proxy set in the HTTPS_PROXY or ALL_PROXY environment "
            "variables (on Windows and macOS, also the system's proxy settings). An address "
            "here is used for every request instead, once you press Save. It may start with "
            "http://, https:// or socks5://."
        ),
        "Light",
        "Longest side of attached images in pixels",
        "Messages sent as context",
        "Models",
        "Name new chats automatically",
        "Name new chats from their first message",
        "Network",
        "New API key",
        "Off (send the whole chat)",
        "Paste a new key to change it",
        "Prices",
        "Problem with the settings",
        "Profile name",
        "Proxy address",
        "Remove",
        "Remove key",
        "Remove the API key",
        "Remove this profile",
        "Save key",
        "Save or cancel",
        "Save the API key",
        "Settings",
        "Settings sections",
        "System",
        "Test connection",
        "Theme",
        "Use by default",
        "Use this profile by default",
        "When the language changes",
        "Where keys are kept",
        # ui/welcome_dialog.py
        "API key",
        "Advanced options",
        "FoxChat keeps your key in your system keyring, never in a file.",
        "FoxChat logo",
        "Introduction",
        "Paste your API key to start chatting.",
        "Quit",
        "Show",
        "Show advanced options",
        "Show the API key",
        "Start",
        "Welcome",
        "Welcome to FoxChat",
        "Where your key is kept",
    }
)


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
