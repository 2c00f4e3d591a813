"""``foxchat export`` and ``foxchat import``: conversations in and out as files.

Export writes FoxChat JSON (every branch) or Markdown (the active branch) to
stdout or ``-o FILE``; import reads FoxChat JSON or ChatGPT's
conversations.json and says how much it added. Errors go to stderr as plain
words; the exit code is 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from foxchat.cli import EXIT_ERROR, EXIT_OK
from foxchat.jsonfile import write_atomically
from foxchat.store import Store, StoreError


def _fail(message: str) -> int:
    print(f"foxchat: {message}", file=sys.stderr)
    return EXIT_ERROR


def run_export(args: argparse.Namespace) -> int:
    """Export one conversation (``--conversation``) or all of them."""
    ids = None if args.conversation is None else [args.conversation]
    try:
        # Reading is all export needs: on a full disk it still rescues the chats.
        with Store.open(read_only_fallback=True) as store:
            if args.format == "md":
                text = store.export_markdown(ids)
            else:
                text = json.dumps(store.export_json(ids), ensure_ascii=False, indent=2) + "\n"
    except StoreError as exc:
        return _fail(exc.user_message)
    if args.output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return EXIT_OK
    try:
        write_atomically(Path(args.output), text)
    except OSError as exc:
        return _fail(
            f"Could not write {args.output} ({exc.strerror or exc}). Choose another file or folder."
        )
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    """Import a file and report how many conversations and messages it added."""
    try:
        with Store.open() as store:
            result = store.import_file(Path(args.file))
    except StoreError as exc:
        return _fail(exc.user_message)
    print(f"Imported {result.conversations} conversations with {result.messages} messages.")
    return EXIT_OK
