"""``python -m foxchat``: the same entry point as the ``foxchat`` command."""

import sys

from foxchat.cli import main

if __name__ == "__main__":
    sys.exit(main())
