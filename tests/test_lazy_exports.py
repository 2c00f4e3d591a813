"""LazyExports: a package's re-exported names load their modules on first read."""

from __future__ import annotations

import subprocess
import sys

import pytest

import foxchat.api
import foxchat.render


def test_a_name_loads_its_module_when_first_read_and_is_kept() -> None:
    code = (
        "import sys, foxchat.api\n"
        "assert 'foxchat.api.client' not in sys.modules\n"
        "client = foxchat.api.ChatClient\n"
        "assert 'foxchat.api.client' in sys.modules\n"
        "assert vars(foxchat.api)['ChatClient'] is client\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_unknown_name_is_an_attribute_error_and_dir_lists_the_unloaded() -> None:
    with pytest.raises(AttributeError, match=r"'foxchat\.render' has no attribute 'Nothing'"):
        _ = foxchat.render.Nothing
    assert {"StreamingRenderer", "COPY_SCHEME"} <= set(dir(foxchat.render))
    assert "ChatClient" in dir(foxchat.api)
