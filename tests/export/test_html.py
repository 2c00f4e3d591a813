"""HTML export: a page that loads nothing, parsed (not grepped), with the chat readable."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from foxchat.export.html import export_html
from foxchat.store import MessageStatus, Store
from tests.chinese import chinese

HOSTILE = (
    "Look: ![cat](http://evil.example/cat.png) <img src='http://evil.example/x.png'>"
    " <script src='http://evil.example/x.js'></script>"
    ' <link rel="stylesheet" href="http://evil.example/s.css">'
    " <iframe src='http://evil.example'></iframe>"
    " and [a real link](https://example.com/page)."
)
REPLY = (
    """Here is code:

```python
def greet(name: str) -> str:
    return f"Hello, {name}"
```

| option | what it does |
|---|---|
| `-a` | keeps dates |

And a very long word: """
    + "x" * 3000
)


class Page(HTMLParser):
    """Every tag with its attributes, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture
def chat(tmp_path: Path) -> tuple[Store, int]:
    store = Store.open(tmp_path / "db.sqlite3")
    cid = store.create_conversation(
        title="Greeting <code>", model="gpt-4o", system_prompt="Be kind."
    )
    question = store.add_message(cid, parent_id=None, role="user", content=HOSTILE)
    store.add_message(cid, parent_id=question, role="assistant", content=REPLY, model="gpt-4o")
    question2 = store.add_message(cid, parent_id=None, role="user", content="x")  # another branch
    store.set_active(question)
    del question2
    failed = store.add_message(
        cid,
        parent_id=store.active_path(cid)[-1].id,
        role="assistant",
        status=MessageStatus.STREAMING,
    )
    store.finish_message(failed, status=MessageStatus.ERROR, error="The server said no.")
    return store, cid


def assert_loads_nothing(page: Page) -> None:
    """No tag that fetches, and any picture is carried in the page itself (data:)."""
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "link", "iframe", "object", "embed", "frame", "audio", "video"}
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            if tag == "img" and name == "src":
                assert (value or "").startswith("data:image/"), attrs
                continue
            assert name not in ("src", "srcset", "background", "poster"), (tag, attrs)
            assert "url(" not in (value or ""), (tag, attrs)


def parsed(store: Store, cid: int) -> Page:
    page = Page()
    page.feed(export_html(store, [cid]))
    page.close()
    return page


def test_the_page_loads_nothing_from_anywhere(chat: tuple[Store, int]) -> None:
    page = parsed(*chat)
    assert_loads_nothing(page)
    links = [attrs.get("href") for tag, attrs in page.tags if tag == "a"]
    assert "https://example.com/page" in links, "links stay links"
    assert all(not (href or "").startswith("foxchat") for href in links), "no Copy links"


def test_the_chat_reads_as_in_the_window(chat: tuple[Store, int]) -> None:
    store, cid = chat
    page = parsed(store, cid)
    text = "".join(page.text)
    assert "Greeting <code>" in text, "the title is text, not markup"
    assert "Be kind." in text and "Look:" in text
    assert 'return f"Hello, {name}"' in text
    assert "x" * 3000 in text, "no invisible break points in the exported word"
    assert "This reply error: The server said no." in text
    assert "\u200b" not in text
    tags = [tag for tag, _ in page.tags]
    assert "table" in tags and "pre" in tags and "style" in tags
    # Highlighting is inline colour, so it survives without any style sheet file.
    assert any("color:" in (attrs.get("style") or "") for tag, attrs in page.tags if tag == "span")


def test_math_is_inline_svg_with_its_latex_for_screen_readers(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "math.sqlite3")
    cid = store.create_conversation(title="Math")
    question = store.add_message(cid, parent_id=None, role="user", content="Roots?")
    store.add_message(
        cid,
        parent_id=question,
        role="assistant",
        content="Use $x = \\frac{-b}{2a}$, not $5 or $10.\n\n$$\n\\int_0^1 x\\,dx\n$$",
    )
    page = Page()
    page.feed(export_html(store, [cid]))
    store.close()
    labelled = [attrs for tag, attrs in page.tags if attrs.get("role") == "img"]
    assert [a["aria-label"] for a in labelled] == ["x = \\frac{-b}{2a}", "\\int_0^1 x\\,dx"]
    assert sum(1 for tag, _ in page.tags if tag == "svg") == 2
    assert "not $5 or $10." in "".join(page.text)
    assert not any(tag == "img" or "href" in attrs for tag, attrs in page.tags if tag != "a")


def test_attached_images_are_in_the_page_and_documents_are_named(tmp_path: Path) -> None:
    import base64

    from foxchat.attachments import document_from_bytes, image_from_bytes
    from tests.attachments import samples

    image = image_from_bytes(samples.photo_jpeg(320, 240), "cat.jpg", max_side=2048)
    report = document_from_bytes(samples.pdf(["Lava totals", "More lava"]), "q3.pdf")
    store = Store.open(tmp_path / "att.sqlite3")
    cid = store.create_conversation(title="Look")
    store.add_message(
        cid, parent_id=None, role="user", content="What is this?", attachments=[image, report]
    )
    page = Page()
    page.feed(export_html(store, [cid]))
    store.close()
    assert_loads_nothing(page)
    [img] = [attrs for tag, attrs in page.tags if tag == "img"]
    payload = (img["src"] or "").split(",", 1)[1]
    assert base64.b64decode(payload) == image.data, "the image as it was sent, byte for byte"
    text = "".join(page.text)
    assert "cat.jpg, 320×240" in text and "Attached document: q3.pdf, 2 pages" in text


def test_the_page_speaks_chinese_around_the_chat(chat: tuple[Store, int]) -> None:
    store, cid = chat
    with chinese():
        html_text = export_html(store, [cid])
    page = Page()
    page.feed(html_text)
    text = "".join(page.text)
    assert '<html lang="zh-CN">' in html_text
    assert "系统提示词" in text and "你" in text and "助手" in text
    assert "这条回复出错：The server said no." in text
