"""Pygments loads with the first code block, not with the renderer."""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import sys
import foxchat.render as render
print("pygments" in sys.modules)
render.render_markdown("Just prose, and `inline code`.")
print("pygments" in sys.modules)
render.render_markdown("```python\\nx = 1\\n```")
print("pygments" in sys.modules)
"""


def test_pygments_is_imported_by_the_first_highlighted_block_only() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == ["False", "False", "True"]
