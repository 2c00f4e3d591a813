"""The chats the screenshots show, written in each language FoxChat speaks.

A Chinese interface around English chats is not what a person reading
Chinese sees; ``scripts/screenshot.py --language zh_CN`` seeds and sends
these instead. ``for_language`` falls back to English.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Samples:
    """Titles and messages for the seeded list, the reply, streaming and error screens."""

    pinned: str
    recipe: str
    sqlite: str
    letter: str
    chat: str
    first_question: str
    first_answer: str
    second_question: str
    second_answer: str
    streaming_question: str
    streaming_title: str
    streaming_answer: str
    error_question: str
    error_title: str
    server_said: str


ENGLISH = Samples(
    pinned="Trip ideas for October",
    recipe="Recipe for sourdough bread",
    sqlite="Explain SQLite WAL mode",
    letter="Cover letter for the library job",
    chat="Backing up photos",
    first_question="What's a good way to back up my photos?",
    first_answer="""A simple plan that survives most accidents is the **3-2-1 rule**:

1. Keep **3** copies of every photo.
2. Store them on **2** different kinds of storage (your laptop and an external drive).
3. Keep **1** copy somewhere else: a cloud service or a drive at a friend's place.

Check once a month that the backup actually opens.""",
    second_question="Can you script the external drive part?",
    second_answer="""Sure. On Linux or macOS, `rsync` copies only what changed:

```bash
rsync -a --delete ~/Pictures/ /media/backup/Pictures/
```

| option | what it does |
|---|---|
| `-a` | keeps dates and folders |
| `--delete` | removes files you deleted |

Run it weekly, or add it to your calendar as a reminder.""",
    streaming_question="Can you help me sort the photos from my trip this week?",
    streaming_title="Sorting the trip photos",
    streaming_answer="""Here is a plan for the week:

1. **Monday**: sort the photos from the trip into folders by day.
2. **Tuesday**: pick the best twenty and delete the blurry ones.
3. **Wednesday**: back everything up to the external drive.

Then on Thursday """
    + "we can look at printing an album, choosing a layout and " * 20,
    error_question="Summarise this week's news in three lines.",
    error_title="This week's news",
    server_said="The upstream model is busy.",
)

CHINESE = Samples(
    pinned="十月旅行计划",
    recipe="酸面包的做法",
    sqlite="解释 SQLite 的 WAL 模式",
    letter="图书馆工作的求职信",
    chat="备份照片",
    first_question="推荐一个备份照片的好办法。",
    first_answer="""能应付大多数意外的简单方案是 **3-2-1 原则**：

1. 每张照片保留 **3** 份副本。
2. 存放在 **2** 种不同的介质上（比如笔记本电脑和移动硬盘）。
3. 把 **1** 份副本放在别处：云盘，或者放在朋友家的硬盘。

每个月检查一次备份能否正常打开。""",
    second_question="请把移动硬盘那部分写成脚本。",
    second_answer="""可以。在 Linux 或 macOS 上，`rsync` 只复制有变化的文件：

```bash
rsync -a --delete ~/Pictures/ /media/backup/Pictures/
```

| 选项 | 作用 |
|---|---|
| `-a` | 保留日期和文件夹结构 |
| `--delete` | 删除你已经删掉的文件 |

每周运行一次，或者在日历里设个提醒。""",
    streaming_question="帮我整理一下这周旅行拍的照片。",
    streaming_title="整理旅行照片",
    streaming_answer="""这周可以这样安排：

1. **周一**：把旅行照片按日期分到不同文件夹。
2. **周二**：挑出最好的二十张，删掉拍糊的。
3. **周三**：把所有照片备份到移动硬盘。

到了周四，"""
    + "我们可以看看怎么冲印一本相册，挑选版式和纸张，" * 20,
    error_question="用三句话总结本周新闻。",
    error_title="本周新闻",
    server_said="上游模型繁忙。",
)

_BY_LANGUAGE = {"en": ENGLISH, "zh_CN": CHINESE}


def for_language(language: str) -> Samples:
    """The samples in ``language`` (English when there are none in it)."""
    return _BY_LANGUAGE.get(language, ENGLISH)
