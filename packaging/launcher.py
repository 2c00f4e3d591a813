"""The bundle's entry script: the same ``foxchat`` command a pip install gives.

PyInstaller needs a script, not a console-script entry point, to start from.
"""

import sys

from foxchat.cli import main

if __name__ == "__main__":
    sys.exit(main())
