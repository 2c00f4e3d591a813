"""The words the renderer writes into a reply (a code block's Copy link and name) are translated."""

from __future__ import annotations

from foxchat.render import render_markdown
from tests.chinese import chinese

FENCED = "```\nprint(1)\n```\n"


def test_a_code_blocks_link_and_name_are_english_by_default() -> None:
    html = render_markdown(FENCED)
    assert "&nbsp;code&nbsp;" in html
    assert ">Copy</a>" in html


def test_a_code_blocks_link_and_name_speak_chinese() -> None:
    with chinese():
        html = render_markdown(FENCED)
    assert "&nbsp;代码&nbsp;" in html
    assert ">复制</a>" in html
    assert ">Copy</a>" not in html
