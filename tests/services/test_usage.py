"""Token totals per chat, from the store, and the line the window shows."""

from __future__ import annotations

import json

from foxchat import i18n
from foxchat.paths import database_path
from foxchat.services.usage import usage_summary
from foxchat.store import MessageStatus, Store


def test_totals_count_every_branch_per_model() -> None:
    with Store.open(database_path()) as store:
        cid = store.create_conversation()
        question = store.add_message(cid, parent_id=None, role="user", content="q")
        for model, prompt, completion in (("gpt-4o", 10, 5), ("gpt-4o", 12, 7), ("mini", 3, 1)):
            reply = store.add_message(cid, parent_id=question, role="assistant", model=model)
            store.finish_message(
                reply,
                status=MessageStatus.COMPLETE,
                usage_json=json.dumps({"prompt_tokens": prompt, "completion_tokens": completion}),
            )
        broken = store.add_message(cid, parent_id=question, role="assistant", model="mini")
        store.finish_message(broken, status=MessageStatus.ERROR, usage_json="{not json")
        assert store.usage_by_model(cid) == {"gpt-4o": (22, 12), "mini": (3, 1)}


def test_summary_reads_plainly_with_and_without_prices() -> None:
    usage = {"gpt-4o": (1_000_000, 500_000), "mystery": (10, 10)}
    assert usage_summary({}, {}) == ""
    assert usage_summary(usage, {}) == "This chat: 1,000,010 in · 500,010 out"
    priced = usage_summary(usage, {"gpt-4o": (2.5, 10.0)})
    assert priced.endswith("about $7.5000 (some models have no price)")
    assert usage_summary({"gpt-4o": (1000, 0)}, {"gpt-4o": (2.5, 10.0)}).endswith("$0.0025")


def test_the_summary_is_in_the_language_in_use() -> None:
    usage = {"gpt-4o": (1_204, 356), "mystery": (10, 10)}
    i18n.install("zh_CN")
    try:
        assert usage_summary(usage, {}) == "本对话：输入 1,214 · 输出 366"
        assert usage_summary(usage, {"gpt-4o": (2.5, 10.0)}) == (
            "本对话：输入 1,214 · 输出 366 · 约 US$0.0066（部分模型未设置价格）"
        )
    finally:
        i18n.install(i18n.ENGLISH)
