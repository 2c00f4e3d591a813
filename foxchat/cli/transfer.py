"""``foxchat export`` and ``foxchat import``: conversations in and out as files.

Export writes FoxChat JSON (every branch), or Markdown or a self-contained
HTML page (the active branch) to stdout or ``-o FILE``, or a PDF to
``-o FILE``; Markdown with ``-o FOLDER`` writes ``chats.md`` there with every
attached file beside it; import reads FoxChat JSON or ChatGPT's
conversations.json and says how much it added. Errors go to stderr as plain
words; the exit code is 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from foxchat.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from foxchat.i18n import _, ngettext
from foxchat.jsonfile import write_atomically
from foxchat.store import Store, StoreError

#: What a Markdown export into a folder is called there.
MARKDOWN_FILE_NAME = "chats.md"


def _fail(message: str) -> int:
    print(f"foxchat: {message}", file=sys.stderr)  # the program's name, as tools print it
    return EXIT_ERROR


def _blocking_file(path: Path) -> Path | None:
    """The nearest existing ancestor of ``path`` that is a file, not a folder."""
    for parent in path.parents:
        if parent.exists():
            return None if parent.is_dir() else parent
    return None


def _write_stdout(text: str) -> int:
    """Write the export to stdout; a full disk or a closed pipe is a message, not a traceback."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as exc:
        # Whatever is still buffered would fail again at exit: send it nowhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        if isinstance(exc, BrokenPipeError):
            return EXIT_ERROR  # the reader (say `head`) stopped on purpose: nothing to say
        return _fail(
            _(
                "The export could not be written to the output ({reason})."
                " Free some disk space or write to a file with -o."
            ).format(reason=exc.strerror or exc)
        )
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    """Export one conversation (``--conversation``) or all of them."""
    if args.output is not None and not args.output:
        print("foxchat: " + _("Give a file name after -o."), file=sys.stderr)
        return EXIT_USAGE
    output = None if args.output is None else Path(args.output)
    if output is not None:
        blocking = _blocking_file(output)
        if blocking is not None:
            return _fail(
                _(
                    "Could not write {path}: {blocking} is a file, not a folder."
                    " Choose a file name in a folder."
                ).format(path=output, blocking=blocking)
            )
        if output.is_dir() and args.format == "md":
            return _export_markdown_folder(output, args.conversation)
        if output.is_dir():
            return _fail(
                _(
                    "Could not write {path}: it is a folder. Give a file name, such as {example}."
                ).format(path=output, example=output / "chats.json")
            )
    ids = None if args.conversation is None else [args.conversation]
    if args.format in ("html", "pdf"):
        return _export_document(args.format, ids, output)
    try:
        # Reading is all export needs: on a full disk it still rescues the chats.
        with Store.open(read_only_fallback=True, recover_streaming=False) as store:
            if args.format == "md":
                text = store.export_markdown(ids)
            else:
                text = json.dumps(store.export_json(ids), ensure_ascii=False, indent=2) + "\n"
    except StoreError as exc:
        return _fail(exc.user_message)
    if output is None:
        return _write_stdout(text)
    try:
        write_atomically(output, text)
    except OSError as exc:
        return _fail(
            _("Could not write {path} ({reason}). Choose another file or folder.").format(
                path=args.output, reason=exc.strerror or exc
            )
        )
    return EXIT_OK


def _export_markdown_folder(folder: Path, conversation: int | None) -> int:
    """Markdown as ``chats.md`` in ``folder``, each attached file beside it under its name."""
    ids = None if conversation is None else [conversation]
    try:
        with Store.open(read_only_fallback=True, recover_streaming=False) as store:
            text, files = store.export_markdown_files(ids)
    except StoreError as exc:
        return _fail(exc.user_message)
    try:
        for name, data in files.items():
            (folder / name).write_bytes(data)
        write_atomically(folder / MARKDOWN_FILE_NAME, text)
    except OSError as exc:
        return _fail(
            _("Could not write into {folder} ({reason}). Choose another folder.").format(
                folder=folder, reason=exc.strerror or exc
            )
        )
    return EXIT_OK


def _export_document(fmt: str, ids: list[int] | None, output: Path | None) -> int:
    """HTML (to stdout or a file) or PDF (to a file) of the given chats, or of all."""
    if fmt == "pdf" and output is None:
        return _fail(_("A PDF needs a file name: add -o FILE.pdf."))
    from foxchat.export.html import export_html

    try:
        with Store.open(read_only_fallback=True, recover_streaming=False) as store:
            wanted = ids if ids is not None else [c.id for c in store.list_conversations()]
            if not wanted:
                return _fail(_("There are no chats to export yet."))
            # A web page draws formulas as SVG; Qt's PDF pages draw them itself.
            every_chat = _("FoxChat chats")
            page = export_html(
                store, wanted, title="" if ids else every_chat, inline_math=fmt == "html"
            )
            title = store.get_conversation(wanted[0]).title if ids else every_chat
    except StoreError as exc:
        return _fail(exc.user_message)
    if fmt == "html":
        if output is None:
            return _write_stdout(page)
        try:
            write_atomically(output, page)
        except OSError as exc:
            return _fail(
                _("Could not write {path} ({reason}). Choose another file.").format(
                    path=output, reason=exc.strerror or exc
                )
            )
        return EXIT_OK
    assert output is not None
    return _write_pdf(page, output, title)


def _write_pdf(page: str, output: Path, title: str) -> int:
    # Qt lays the PDF out; no window is shown, so no screen is needed.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from foxchat.export.pdf import PrintFailedError, write_pdf

    app = QGuiApplication.instance() or QGuiApplication(["foxchat"])
    try:
        write_pdf(page, output, title=title)
    except (OSError, PrintFailedError) as exc:
        return _fail(
            _("Could not write {path} ({reason}). Choose another file or folder.").format(
                path=output, reason=exc
            )
        )
    assert app is not None  # kept alive until the PDF is written
    return EXIT_OK


class _ProgressLine:
    """How far an import is, on stderr.

    On a terminal it is one line that updates in place; elsewhere (a log file)
    a line at most every second, so a short import prints nothing.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.on_terminal = stream.isatty()
        self._last = time.monotonic()
        self._width = 0

    def show(self, text: str) -> None:
        if self.on_terminal:
            self._stream.write("\r" + text.ljust(self._width))
            self._width = len(text)
        else:
            self._stream.write(text + "\n")
        self._stream.flush()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if total == 0 or now - self._last < (0.1 if self.on_terminal else 1.0):
            return  # nothing new to write (every chat already here), or too soon
        self._last = now
        percent = 100 * done // total
        self.show(
            ngettext(
                "Importing… {percent}% ({done:,} of {total:,} conversation)",
                "Importing… {percent}% ({done:,} of {total:,} conversations)",
                total,
            ).format(percent=percent, done=done, total=total)
        )

    def clear(self) -> None:
        if self.on_terminal and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()


def run_import(args: argparse.Namespace) -> int:
    """Import a file and report what it added, what was already here and what was skipped."""
    from foxchat.store.transfer import describe_import

    path = Path(args.file)
    progress = _ProgressLine(sys.stderr)
    if progress.on_terminal:
        progress.show(_("Reading {name}…").format(name=path.name))
    try:
        with Store.open(recover_streaming=False) as store:
            result = store.import_file(path, progress=progress)
    except StoreError as exc:
        progress.clear()
        return _fail(exc.user_message)
    progress.clear()
    report = describe_import(result)
    if result.conversations == 0 and result.empty_conversations:
        return _fail(report)  # nothing came in, and the file was the reason
    print(report)
    return EXIT_OK
