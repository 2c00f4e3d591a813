"""A FoxChat stand-in that streams a reply into the store until it is killed.

Run as ``python streaming_child.py DB ROUND``. It prints ``user CID MID`` once
the user's message is committed, then ``saved MID LENGTH`` after each commit
of the growing reply, so the test knows what must survive a SIGKILL.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

from foxchat.store import MessageStatus, Store


def reply_text(words: int) -> str:
    """The reply after ``words`` words: deterministic, so survivors can be checked."""
    return "".join(f"word{n} " for n in range(words))


def main() -> None:
    db, round_number = Path(sys.argv[1]), int(sys.argv[2])
    store = Store.open(db)
    cid = store.create_conversation(title=f"round {round_number}")
    user = store.add_message(cid, parent_id=None, role="user", content=f"question {round_number}")
    print(f"user {cid} {user}", flush=True)
    reply = store.add_message(cid, parent_id=user, role="assistant", status=MessageStatus.STREAMING)
    for words in itertools.count(1):
        text = reply_text(words)
        store.update_streaming_text(reply, text)
        print(f"saved {reply} {len(text)}", flush=True)
        time.sleep(0.002)


if __name__ == "__main__":
    main()
