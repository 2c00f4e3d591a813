"""The structure of realistic LLM replies after rendering (corpus in ./corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest

from foxchat.render import render_document, render_markdown
from tests.render.html_tree import Tree, code_blocks, read_html

CORPUS = Path(__file__).parent / "corpus"


def rendered(name: str, *, dark: bool = False) -> Tree:
    return read_html(render_markdown((CORPUS / name).read_text(encoding="utf-8"), dark=dark))


def test_list_right_after_a_paragraph_is_a_real_list() -> None:
    tree = rendered("lists_gpt4o.md")
    first_list = tree.find("ol")[0]
    assert first_list.path == "ol"
    items = [e for e in tree.elements if e.path == "ol>li"]
    assert len(items) == 3
    assert items[0].text.startswith("Install Python 3.11")
    assert "Here's how" not in first_list.text


def test_lists_nested_by_two_three_and_four_spaces_nest() -> None:
    paths = rendered("lists_gpt4o.md").paths()
    assert "ol>li>ul>li>ul>li" in paths  # 3 spaces, then 5
    assert "ul>li>ul>li>ul>li" in paths  # 2 spaces, and 4 spaces
    tree = rendered("lists_gpt4o.md")
    deepest = [e.text for e in tree.elements if e.path.endswith("ul>li>ul>li>ul>li")]
    assert any("Level three" in text for text in deepest)
    assert any("Review the list" in text for text in deepest)


def test_task_list_items_show_boxes() -> None:
    tree = rendered("lists_gpt4o.md")
    items = [e.text.strip() for e in tree.find("li")]
    assert "☑ Write the code" in items
    assert "☐ Write the tests" in items
    assert not tree.find("input")


def test_table_keeps_columns_with_inline_code_and_escaped_pipes() -> None:
    tree = rendered("tables.md")
    assert len(tree.find("table")) == 1
    rows = tree.find("tr")
    assert len(rows) == 5
    assert len([e for e in tree.elements if e.path.endswith("tr>td")]) == 4 * 3
    cells = [e.text for e in tree.elements if e.tag in {"td", "th"}]
    assert cells[:3] == ["Option", "Flag", "Notes"]
    assert "a | b" in cells
    assert "x | y" in cells
    headers = tree.find("th")
    assert [h.attrs.get("align") for h in headers] == ["left", "center", "right"]
    code_in_cells = [e.text for e in tree.elements if e.path.endswith("td>code")]
    assert code_in_cells == ["-v", "a | b", "--force"]


def test_code_fences_with_and_without_language_and_tildes() -> None:
    text = (CORPUS / "code_fences.md").read_text(encoding="utf-8")
    result = render_document(text)
    tree = read_html(result.html)
    assert len(result.code_blocks) == 4
    assert result.code_blocks[0].startswith("def fibonacci(n: int) -> int:")
    assert result.code_blocks[0].endswith("return a")
    assert result.code_blocks[1] == "$ echo \"<not html>\" | grep -v '*emphasis*'"
    assert result.code_blocks[2].startswith("fn main() {")
    assert result.code_blocks[3] == "Qapla' <b>batlh</b>"
    shown = code_blocks(tree)
    assert [block.text for block in shown] == list(result.code_blocks)
    # Known languages are coloured; the unknown one and the bare fence are plain.
    assert [block.coloured for block in shown] == [True, False, True, False]
    labels = [p.text for p in tree.find("p") if "Copy" in p.text]
    assert [label.split()[0] for label in labels] == ["python", "code", "rust", "klingon"]
    copy_links = [a.attrs["href"] for a in tree.find("a")]
    assert copy_links == [f"foxchat-copy:{n}" for n in range(4)]
    assert not tree.find("em"), "no emphasis inside code"
    assert not tree.find("b")


def test_inline_code_is_styled() -> None:
    tree = rendered("code_fences.md")
    inline = [e for e in tree.find("code") if "p" in e.path.split(">")]
    assert [e.text for e in inline] == ["code", "<b>this</b>"]
    assert all("background-color" in e.attrs["style"] for e in inline)


def test_unclosed_fence_at_the_end_shows_as_code() -> None:
    result = render_document((CORPUS / "unclosed_fence.md").read_text(encoding="utf-8"))
    tree = read_html(result.html)
    assert [block.text for block in code_blocks(tree)] == list(result.code_blocks)
    assert len(result.code_blocks) == 1
    assert result.code_blocks[0].endswith("console.log(item * 2);")


def test_headings_quotes_links_and_strikethrough() -> None:
    tree = rendered("headings_quotes_links.md")
    assert [h.text for h in tree.find("h1")] == ["Getting started"]
    assert [h.text for h in tree.find("h2")] == ["Installation"]
    assert [h.text for h in tree.find("h3")] == ["From source"]
    assert "blockquote>blockquote>p" in tree.paths()
    hrefs = [a.attrs["href"] for a in tree.find("a")]
    assert "https://example.com/docs" in hrefs
    assert "https://example.org" in hrefs
    assert "http://www.example.net" in hrefs
    assert "mailto:help@example.com" in hrefs
    assert not any(href.lower().startswith(("javascript:", "file:")) for href in hrefs)
    assert "[bad link](javascript:alert(1))" in tree.text
    assert not tree.find("img"), "images are links, never fetched"
    assert "[a picture]" in tree.text
    assert len(tree.find("hr")) == 1
    assert [s.text for s in tree.find("s")] == ["Old advice"]


def test_emoji_chinese_and_right_to_left_text_survive() -> None:
    tree = rendered("international.md")
    for phrase in (
        "🎉",
        "机器学习是人工智能的一个分支。",
        "التعلم الآلي هو فرع من الذكاء الاصطناعي.",
        "למידת מכונה היא ענף של בינה מלאכותית.",
        "你好 👋",
    ):
        assert phrase in tree.text
    assert len(tree.find("li")) == 4
    assert len(tree.find("td")) == 4
    assert [h.text for h in tree.find("h2")] == ["🚀 Launch checklist 🦊"]


def test_math_is_typeset_in_order_and_never_mangled() -> None:
    tree = rendered("math.md")
    formulas = [e.attrs["alt"] for e in tree.find("img")]
    assert formulas == [
        "ax^2 + bx + c = 0",
        "x = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}",
        "A = \\pi r^2",
        "\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}",
        "a*b*c",
        "x_1 + x_2",
        "\\alpha_1 * \\beta_2",
    ]
    sources = [e.attrs["src"] for e in tree.find("img")]
    assert all(src.startswith("foxchat-math:") for src in sources), "only pictures FoxChat draws"
    assert not tree.find("em")
    assert not tree.find("strong")


def test_raw_html_is_shown_as_text() -> None:
    source = (CORPUS / "hostile_html.md").read_text(encoding="utf-8")
    tree = rendered("hostile_html.md")
    tags = {e.tag for e in tree.elements}
    assert tags <= {"p", "a"}, tags
    for literal in (
        '<script>alert("xss")</script>',
        '<img src="https://tracker.example.com/pixel.gif">',
        '<iframe src="file:///etc/passwd"></iframe>',
        '<b onclick="steal()">tags</b>',
    ):
        assert literal in source
        assert literal in tree.text
    assert not tree.find("a"), "javascript:, data: and vbscript: links are not links"


@pytest.mark.parametrize("dark", [False, True])
def test_code_colours_follow_the_palette(dark: bool) -> None:
    html = render_markdown("```python\nx = 1\n```", dark=dark)
    background = "#161b22" if dark else "#f6f8fa"
    assert f"background-color:{background}" in html
    assert "<style" not in html and "class=" not in html


def test_long_reply_structure() -> None:
    tree = rendered("long_reply.md")
    assert len(tree.find("h2")) == 4
    assert len(code_blocks(tree)) == 3
    assert len(tree.find("table")) == 1
    assert "ol>li>ul>li" in tree.paths()
    assert len(tree.find("blockquote")) == 1
