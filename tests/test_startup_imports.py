"""What the window's start does not load: code the first frame never runs.

Checked in a fresh interpreter, because this test run has long since imported
everything. Each name here was once loaded at start and cost the first paint
time (benchmarks/startup.py); it must now wait for its first use.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

#: Loaded on first use, never by opening the window.
NOT_AT_START = (
    "email.utils",  # a Retry-After date
    "uuid",  # a new endpoint profile
    "foxchat.store.transfer",  # export and import
    "foxchat.store.chatgpt_import",
    "foxchat.store.importing",
    "foxchat.ui.params.response_format_editor",  # the folded Advanced section
    "foxchat.ui.params.tools_editor",
    "foxchat.ui.params.json_editor",
    "foxchat.api.json_checks",
    "foxchat.ui.params.save_preset_dialog",
    "foxchat.ui.settings_dialog",
    "foxchat.ui.welcome_dialog",
    "httpx",  # the client is made after the first paint
    "keyring",
)

BUILD_PANEL = """
import json, sys
from PySide6.QtWidgets import QApplication
import foxchat.app
from foxchat.presets import PresetStore
from foxchat.ui.params.parameters_panel import ParametersPanel
app = QApplication([])
panel = ParametersPanel(presets=PresetStore())
panel.show()
app.processEvents()
print(json.dumps(sorted(sys.modules)))
panel.close()
del panel
"""


def app_start_env(data_dir: Path) -> dict[str, str]:
    """The environment of a real start that reports at its first paint: offscreen, its
    own data folder, a key, and a base URL where nothing listens (models fail quietly)."""
    return dict(
        os.environ,
        PYTHONPATH=str(REPO),
        QT_QPA_PLATFORM="offscreen",
        FOXCHAT_DATA_DIR=str(data_dir),
        FOXCHAT_API_KEY="sk-test",
        FOXCHAT_BASE_URL="http://127.0.0.1:9/v1",
        FOXCHAT_STARTUP_PROBE="1",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )


def output_lines(script: str, env: dict[str, str]) -> list[str]:
    """What a fresh interpreter running ``script`` printed, line by line."""
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )
    return done.stdout.strip().splitlines()


def modules_after(script: str) -> set[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    loaded: list[str] = json.loads(output_lines(script, env)[-1])
    return set(loaded)


def test_the_window_code_and_a_sidebar_leave_first_use_code_unloaded() -> None:
    loaded = modules_after(BUILD_PANEL)
    assert "foxchat.ui.main_window" in loaded  # the script did load the window's code
    assert sorted(loaded.intersection(NOT_AT_START)) == []


#: The real ``foxchat`` start, quit by the startup probe at its first paint;
#: the modules loaded at that paint are printed as the last line.
FIRST_PAINT = """
import json, sys
import foxchat.startup_probe as probe
line = probe.first_paint_line
probe.first_paint_line = lambda: line() + "\\n" + json.dumps(sorted(sys.modules))
import foxchat.cli
code = foxchat.cli.main([])
print(json.dumps(["exit", code]))
"""


def test_the_first_frame_is_drawn_before_asyncio_and_ssl_load(tmp_path: Path) -> None:
    env = app_start_env(tmp_path)
    lines = output_lines(FIRST_PAINT, env)
    assert json.loads(lines[-1]) == ["exit", 0]  # quit through the app's own path
    at_paint = set(json.loads(lines[-2]))
    assert "foxchat.ui.main_window" in at_paint
    # hashlib: the single-instance socket's name, needed once the window listens.
    assert sorted(at_paint.intersection({"asyncio", "qasync", "ssl", "hashlib"})) == []


def test_a_bare_foxchat_command_does_not_build_the_argument_parser() -> None:
    script = (
        "import json, sys\n"
        "import foxchat.app\n"
        "foxchat.app.run_gui = lambda **kw: print(json.dumps(sorted(sys.modules))) or 0\n"
        "from foxchat.cli import main\n"
        "sys.argv = ['foxchat']\n"
        "import foxchat.cli\n"
        "built = []\n"
        "real = foxchat.cli.build_parser\n"
        "foxchat.cli.build_parser = lambda: built.append(1) or real()\n"
        "code = main()\n"
        "assert code == 0 and not built, (code, built)\n"
    )
    assert "foxchat.app" in modules_after(script)


def test_the_first_frame_waits_for_no_platformdirs_and_no_logging_handlers(
    tmp_path: Path,
) -> None:
    """platformdirs and logging.handlers (with socket and pickle) cost
    the first paint several milliseconds: the XDG folders and the log's rotation are
    done in FoxChat's own few lines."""
    env = app_start_env(tmp_path)
    lines = output_lines(FIRST_PAINT, env)
    assert json.loads(lines[-1]) == ["exit", 0]
    at_paint = set(json.loads(lines[-2]))
    assert "foxchat.ui.main_window" in at_paint
    unwanted = {"platformdirs", "logging.handlers", "socket", "pickle"}
    assert sorted(at_paint.intersection(unwanted)) == []


#: The real start again, reporting at the first paint the modules loaded and how
#: often settings.json had been opened.
FIRST_PAINT_DETAILS = """
import json, sys
opened = []
def watch(event, args):
    if event == "open" and str(args[0]).endswith("settings.json"):
        opened.append(str(args[0]))
sys.addaudithook(watch)
import foxchat.startup_probe as probe
line = probe.first_paint_line
def details():
    found = {"modules": sorted(sys.modules), "opened": opened}
    return line() + "\\n" + json.dumps(found)
probe.first_paint_line = details
import foxchat.cli
code = foxchat.cli.main([])
print(json.dumps(["exit", code]))
"""


def first_paint_details(tmp_path: Path, **settings: object) -> dict[str, Any]:
    """What the real start had loaded and read by its first paint (see FIRST_PAINT_DETAILS),
    with ``settings`` in settings.json."""
    text = json.dumps({"theme": "light", **settings})
    (tmp_path / "settings.json").write_text(text, encoding="utf-8")
    env = app_start_env(tmp_path)
    lines = output_lines(FIRST_PAINT_DETAILS, env)
    assert json.loads(lines[-1]) == ["exit", 0]
    found: dict[str, Any] = json.loads(lines[-2])
    return found


def test_the_first_frame_leaves_the_attachment_pool_viewer_and_tool_panel_unloaded(
    tmp_path: Path,
) -> None:
    """The attachment reader's thread pool, the image viewer and the tool-call panel are
    used on demand: loading them (concurrent.futures, their Qt classes and those
    classes' enums) cost the first paint."""
    found = first_paint_details(tmp_path)
    modules = set(found["modules"])
    assert "foxchat.ui.main_window" in modules
    # The tool-call panel: only replies with tool calls show it.
    unwanted = {"concurrent.futures", "foxchat.ui.image_viewer", "foxchat.ui.messages.tool_calls"}
    assert sorted(modules.intersection(unwanted)) == []


def test_the_first_frame_loads_no_ctypes_or_subprocess(tmp_path: Path) -> None:
    """Giving an image's memory back (ctypes, whose ``util`` loads subprocess) is done
    after an attachment job: loading them cost the first paint ~16M instructions."""
    found = first_paint_details(tmp_path)
    modules = set(found["modules"])
    assert "foxchat.services.attachments" in modules
    unwanted = {"ctypes", "subprocess", "foxchat.attachments.memory"}
    assert sorted(modules.intersection(unwanted)) == []


def test_a_start_without_the_parameters_panel_leaves_the_presets_unread(tmp_path: Path) -> None:
    """The presets are read with the parameters panel (built when the sidebar is first
    shown): a start with the sidebar put away, or too narrow for it, need not load them."""
    found = first_paint_details(tmp_path, sidebar_visible=False)
    modules = set(found["modules"])
    assert "foxchat.ui.params.parameters_sidebar" in modules
    assert "foxchat.ui.params.parameters_panel" not in modules
    assert "foxchat.presets" not in modules


def test_the_start_reads_settings_json_once(tmp_path: Path) -> None:
    """The language and the settings come from one read of the file."""
    found = first_paint_details(tmp_path)
    assert len(found["opened"]) == 1, found["opened"]


#: Loaded when a reply is asked for, streamed or shown with its token probabilities:
#: their dataclasses' methods are generated from source at import (~50M instructions
#: before the first paint when ``foxchat.api`` loaded them all).
REQUEST_TIME = (
    "foxchat.api.accumulate",
    "foxchat.api.events",
    "foxchat.api.stream",
    "foxchat.api.token_probs",
    "foxchat.api.refusals",
    "foxchat.api.client",
    # Through the settings (the default model, the image detail values) until these
    # constants moved to foxchat.api.params:
    "foxchat.api.request",
    "foxchat.api.content",
    "foxchat.api.messages",
    "foxchat.api.failures",
    # ChatService's records of a reply (in flight, unsaved, live):
    "foxchat.services.reply_records",
)


def test_the_first_frame_leaves_the_request_and_stream_modules_unloaded(
    tmp_path: Path,
) -> None:
    """``foxchat.api`` loads its re-exported names on first use, and the services import
    the stream's modules where a reply is built or streamed."""
    found = first_paint_details(tmp_path)
    modules = set(found["modules"])
    assert "foxchat.services.chat_session" in modules  # the service is made before the paint
    assert sorted(modules.intersection(REQUEST_TIME)) == []


def test_the_api_package_loads_a_name_s_module_on_first_use() -> None:
    script = (
        "import json, sys\n"
        "import foxchat.api\n"
        "before = sorted(m for m in sys.modules if m.startswith('foxchat.api'))\n"
        "from foxchat.api import ContentDelta, ChatRequest\n"
        "after = sorted(m for m in sys.modules if m.startswith('foxchat.api'))\n"
        "names = [n for n in foxchat.api.__all__ if getattr(foxchat.api, n) is None]\n"
        "homes = [ContentDelta.__module__, ChatRequest.__module__]\n"
        "print(json.dumps([before, after, *homes, names]))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    before, after, delta_module, request_module, missing = json.loads(output_lines(script, env)[-1])
    assert "foxchat.api.events" not in before
    assert "foxchat.api.request" not in before
    assert {"foxchat.api.events", "foxchat.api.request"} <= set(after)
    assert (delta_module, request_module) == ("foxchat.api.events", "foxchat.api.request")
    assert missing == []


#: The real start, reporting at the first paint which files linecache had read.
FIRST_PAINT_LINECACHE = """
import json, linecache, sys
import foxchat.startup_probe as probe
line = probe.first_paint_line
probe.first_paint_line = lambda: line() + "\\n" + json.dumps(sorted(linecache.cache))
import foxchat.cli
code = foxchat.cli.main([])
print(json.dumps(["exit", code]))
"""


def test_pyside_s_import_hook_reads_no_module_source_through_inspect(tmp_path: Path) -> None:
    """PySide6's import hook looks for the word "PySide6" in every module imported after
    it; through ``inspect.getsource`` that cost ~20M instructions before the first paint
    (every module's lines decoded into linecache). FoxChat lets it read the bytes."""
    env = app_start_env(tmp_path)
    lines = output_lines(FIRST_PAINT_LINECACHE, env)
    assert json.loads(lines[-1]) == ["exit", 0]
    read = json.loads(lines[-2])
    # The few modules imported before PySide6 loads are looked at by its own check.
    assert [p for p in read if p.endswith(("app.py", "main_window.py", "database.py"))] == []


def test_the_quick_pyside_check_answers_as_pyside_does() -> None:
    """Which FoxChat modules PySide6 counts as using it, with and without the quick check."""
    script = (
        "import json, sys\n"
        "import foxchat.cli\n"
        "if sys.argv[1] == 'quick':\n"
        "    foxchat.cli._quick_pyside_check()\n"
        "import foxchat.app\n"
        "said = sys.modules['shibokensupport.feature'].pyside_feature_dict\n"
        "print(json.dumps({k: v for k, v in said.items() if k.startswith('foxchat.')}))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    answers = []
    for how in ("quick", "pyside"):
        done = subprocess.run(
            [sys.executable, "-c", script, how],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=60,
        )
        answers.append(json.loads(done.stdout.strip().splitlines()[-1]))
    quick, pyside = answers
    # 0: the module uses PySide6 (its features apply); -1: no Qt in it.
    assert quick["foxchat.ui.main_window"] == 0
    assert quick["foxchat.store.database"] == -1
    assert quick == pyside


#: The real start, saying whether garbage collection ran at the first paint and
#: once the run goes on after it (on, with the first frame's objects set aside).
FIRST_PAINT_COLLECTION = """
import gc, json
import foxchat.startup_probe as probe
line = probe.first_paint_line
probe.first_paint_line = lambda: line() + "\\n" + json.dumps(gc.isenabled())
import foxchat.app
after = foxchat.app.FoxChatApp.after_first_paint
seen = []
def watch(app):
    seen.append([gc.isenabled(), gc.get_freeze_count() > 0])
    after(app)
foxchat.app.FoxChatApp.after_first_paint = watch
import foxchat.cli
code = foxchat.cli.main([])
print(json.dumps([seen, code]))
"""


def test_garbage_collection_waits_for_the_first_paint(tmp_path: Path) -> None:
    """Until the first paint nearly every object made lives for the whole run, so
    collecting finds nothing to free (~2.5% of the instructions to the first paint);
    afterwards collection is on, and the objects of the start are left out of it."""
    env = app_start_env(tmp_path)
    lines = output_lines(FIRST_PAINT_COLLECTION, env)
    seen, code = json.loads(lines[-1])
    assert code == 0
    assert json.loads(lines[-2]) is False  # at the first paint
    assert seen == [[True, True]]


#: The Markdown stack: what rendering a reply needs, and the first frame need not
#: when every reply it shows was saved by the last run (foxchat.services.first_frame).
MARKDOWN_STACK = (
    "markdown_it",
    "mdit_py_plugins",
    "mdurl",
    "foxchat.render._parser",
    "foxchat.render._qt_html",
    "foxchat.render._streaming",
    "html",  # escaping loads its entity tables (~9M instructions)
)


def test_a_start_on_replies_the_last_run_showed_draws_without_the_markdown_stack(
    tmp_path: Path,
) -> None:
    from foxchat.store import Store

    with Store.open(tmp_path / "foxchat.sqlite3") as store:
        cid = store.create_conversation(title="Setup")
        parent = None
        for number in range(3):
            question = f"Question {number}?"
            parent = store.add_message(cid, parent_id=parent, role="user", content=question)
            reply = f"## Step {number}\n\n- run `foxchat`\n\n```sh\necho {number}\n```\n"
            parent = store.add_message(cid, parent_id=parent, role="assistant", content=reply)
    first = set(first_paint_details(tmp_path)["modules"])
    assert "markdown_it" in first  # nothing saved yet: the replies were rendered
    again = set(first_paint_details(tmp_path)["modules"])
    assert "foxchat.ui.messages.markdown_view" in again
    assert sorted(again.intersection(MARKDOWN_STACK)) == []


def test_the_render_package_and_the_reply_view_load_markdown_it_on_first_use() -> None:
    script = (
        "import json, sys\n"
        "import foxchat.render\n"
        "import foxchat.ui.messages.markdown_view\n"
        "before = 'markdown_it' in sys.modules\n"
        "from foxchat.render import StreamingRenderer, COPY_SCHEME\n"
        "after = 'markdown_it' in sys.modules\n"
        "print(json.dumps([before, after, COPY_SCHEME, StreamingRenderer.__name__]))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    found = json.loads(output_lines(script, env)[-1])
    assert found == [False, True, "foxchat-copy", "StreamingRenderer"]
