"""The ``foxchat`` command: the window by default, subcommands for scripting.

Each subcommand lives in its own module and is imported only when used, so
``foxchat ask`` never pays for Qt and the window never pays for handlers it
does not need. A bare ``foxchat`` (no arguments) opens the window without
loading argparse at all: nothing is there to parse. When a FoxChat window
already runs for the data folder, a bare ``foxchat`` brings it forward and
exits 0 before loading the window's code (see ``foxchat.single_instance``).
Exit codes: 0 success,
1 an API, network or data error (its user-facing message on stderr), 2 a
usage error.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from foxchat import __version__
from foxchat.i18n import _

if TYPE_CHECKING:
    import argparse

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, so ``--help`` shows every subcommand."""
    import argparse

    from foxchat.cli.argparse_words import speak_through_foxchat

    speak_through_foxchat()
    parser = argparse.ArgumentParser(
        prog="foxchat",
        description=_("FoxChat: a desktop chat client for OpenAI-compatible APIs."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"FoxChat {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument("--debug", action="store_true", help=_("write a detailed log"))
    parser.add_argument(
        "--self-check",
        action="store_true",
        help=_("check that the installation works, then exit"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = sub.add_parser("ask", help=_("send one prompt and stream the reply to stdout"))
    ask.add_argument("prompt", help=_("the message to send"))
    ask.add_argument("-m", "--model", help=_("model id (default: FOXCHAT_MODEL or settings)"))
    ask.add_argument(
        "--temperature", type=float, help=_("how varied the reply is: 0 steady, higher more varied")
    )
    ask.add_argument(
        "--top-p", type=float, dest="top_p", help=_("sample only from the likeliest words (0 to 1)")
    )
    ask.add_argument(
        "--max-tokens", type=int, dest="max_tokens", help=_("the longest reply, in tokens")
    )
    ask.add_argument(
        "--max-completion-tokens",
        type=int,
        dest="max_completion_tokens",
        help=_("the reply-length limit under its newer name (same as --max-tokens)"),
    )
    ask.add_argument(
        "--reasoning-effort",
        dest="reasoning_effort",
        help=_("how hard a reasoning model thinks: none, minimal, low, medium, high or xhigh"),
    )
    ask.add_argument("--seed", type=int, help=_("ask for the same reply each time (best effort)"))
    ask.add_argument(
        "--frequency-penalty",
        type=float,
        dest="frequency_penalty",
        help=_("discourage repeating the same words (-2 to 2)"),
    )
    ask.add_argument(
        "--presence-penalty",
        type=float,
        dest="presence_penalty",
        help=_("encourage new topics (-2 to 2)"),
    )
    ask.add_argument(
        "--stop", action="append", metavar="TEXT", help=_("stop the reply at TEXT (repeatable)")
    )
    ask.add_argument(
        "--no-model-rules",
        action="store_true",
        dest="no_model_rules",
        help=_("send exactly the parameters given, even ones the model refuses"),
    )
    ask.add_argument("--system", help=_("a system prompt"))
    ask.add_argument(
        "--attach",
        action="append",
        metavar="FILE",
        help=_("attach an image or a document (text, PDF, DOCX); repeatable"),
    )
    ask.add_argument(
        "--detail",
        choices=("auto", "low", "high"),
        help=_("how closely the model looks at attached images (default: from Settings)"),
    )

    sub.add_parser("models", help=_("list the model ids the endpoint serves"))

    export = sub.add_parser("export", help=_("export conversations (all by default)"))
    export.add_argument(
        "--format",
        choices=("json", "md", "html", "pdf"),
        default="json",
        help=_("the file format (default: json, which keeps every branch)"),
    )
    export.add_argument(
        "--conversation", type=int, metavar="ID", help=_("export only the conversation ID")
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_(
            "write here instead of stdout; with --format md, a folder gets chats.md and the"
            " attached files beside it"
        ),
    )

    imp = sub.add_parser("import", help=_("import FoxChat JSON or ChatGPT conversations.json"))
    imp.add_argument("file", metavar="FILE", help=_("the file to import"))
    return parser


#: Subcommand -> (module, function). Imported lazily: ``foxchat ask`` never loads Qt.
HANDLERS: dict[str, tuple[str, str]] = {
    "ask": ("foxchat.cli.ask", "run_ask"),
    "models": ("foxchat.cli.ask", "run_models"),
    "export": ("foxchat.cli.transfer", "run_export"),
    "import": ("foxchat.cli.transfer", "run_import"),
    "self-check": ("foxchat.cli.selfcheck", "run_self_check"),
}

Handler = Callable[["argparse.Namespace"], int]

#: ``foxchat.single_instance.LOCK_FILE``, named here so that looking for it loads no Qt.
INSTANCE_LOCK_FILE = "foxchat.instance.lock"


def _handler(command: str) -> Handler:
    module_name, function_name = HANDLERS[command]
    handler: Handler = getattr(importlib.import_module(module_name), function_name)
    return handler


def _load_gui() -> Callable[..., int]:
    """Import the window's code, its Qt-free part first; returns ``run_gui``.

    Once PySide6 is imported, its import hook (there for ``__feature__``)
    reads the source of every module imported after it, looking for the word
    "PySide6": about 70 µs a module. Importing the Qt-free modules the window
    needs (the Markdown parser, the store, the API types) before PySide6 loads
    the same modules without that toll: ~10 ms at start. asyncio is not among
    them: it loads after the first paint (see ``foxchat.app.run_gui``), and
    neither does ``concurrent.futures`` (the attachment reader's pool, made
    with the first attachment). The list is every Qt-free module the first
    frame loads (the services' helpers); a module missing from it still
    loads, only a little slower.
    """
    _quick_pyside_check()
    import foxchat.api.params
    import foxchat.logs
    import foxchat.render
    import foxchat.secrets
    import foxchat.services.history
    import foxchat.services.model_choice
    import foxchat.services.reply_details
    import foxchat.services.stream_pacing
    import foxchat.services.tasks
    import foxchat.services.usage
    import foxchat.settings
    import foxchat.store  # noqa: F401
    from foxchat.app import run_gui
    from foxchat.hardening import harden_window_process

    harden_window_process()  # before the key or any chat is loaded
    return run_gui


def _quick_pyside_check() -> None:
    """Let PySide6's import hook read each module's file directly.

    The hook (``shibokensupport.feature``) asks, for every module imported once
    shiboken6 is loaded, whether its source contains the word "PySide6", and
    gets that source through ``inspect.getsource``: module look-ups, linecache
    and a decode per module, about 200 modules before the first paint. Reading
    the file's bytes answers the same question for a ``.py`` file; anything
    else still goes to PySide6's own check.
    """
    import shiboken6  # noqa: F401  (loads shibokensupport.feature)

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or getattr(original, "foxchat", False):
        return

    def uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return bool(original(module))

    setattr(uses_pyside, "foxchat", True)  # noqa: B010  (a mark on a function)
    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010


def _running_window_came_forward() -> bool:
    """Whether a FoxChat window already open for this data folder answered and came forward."""
    from foxchat.paths import data_dir

    folder = data_dir()
    if not (folder / INSTANCE_LOCK_FILE).exists():
        return False  # no window: the usual start, with no Qt loaded here
    from foxchat import single_instance

    if not single_instance.hand_over_early(folder):
        return False
    print(single_instance.HANDED_OVER)
    return True


def _speak_the_persons_language() -> str | None:
    """Install the language before any module whose words it translates is imported.

    Returns the text of settings.json (None when it could not be read), so the
    window reads the file once: its settings come from the same text.
    """
    from foxchat import i18n
    from foxchat.paths import settings_path

    try:
        text: str | None = settings_path().read_text(encoding="utf-8")
    except (OSError, ValueError):  # missing, unreadable or not UTF-8: the window says so
        text = None
    i18n.install(i18n.choose(i18n.language_in(text) if text is not None else ""))
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command; returns the exit code."""
    settings_text = _speak_the_persons_language()
    if not (sys.argv[1:] if argv is None else argv):
        if _running_window_came_forward():
            return EXIT_OK
        return _open_window(debug=False, settings_text=settings_text)
    args = build_parser().parse_args(argv)
    if args.command is not None:
        return _handler(args.command)(args)
    if args.self_check:
        return _handler("self-check")(args)
    return _open_window(debug=args.debug, settings_text=settings_text)


def _open_window(*, debug: bool, settings_text: str | None) -> int:
    """Load the window's code and run it, without garbage collection until its first paint.

    Nearly every object made before the first frame (modules, classes, functions,
    Qt's enum members, the window's widgets) lives for the whole run, so
    collecting among them finds next to nothing to free, and it cost about 2.5%
    of the instructions to the first paint. ``run_gui`` sets those objects aside
    (``gc.freeze``) and turns collection back on once the window has painted;
    the ``finally`` turns it on for every other way out.
    """
    gc.disable()
    try:
        return _load_gui()(debug=debug, settings_text=settings_text)
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())
