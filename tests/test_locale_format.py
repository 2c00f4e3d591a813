"""Numbers, prices and dates follow the language in use, not the developer's."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from foxchat import i18n, locale_format


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.install("zh_CN")
    yield
    i18n.install(i18n.ENGLISH)


def test_numbers_are_grouped_in_both_languages() -> None:
    assert locale_format.tokens(1204, language="en") == "1,204"
    assert locale_format.tokens(1234567, language="zh_CN") == "1,234,567"
    assert locale_format.number(0.5, 2, language="en") == "0.50"


def test_a_price_is_in_us_dollars_the_way_each_language_writes_them() -> None:
    assert locale_format.dollars(0.01234, language="en") == "$0.0123"
    assert locale_format.dollars(1234.5, language="zh_CN") == "US$1,234.5000"


def test_a_date_reads_as_chinese_when_chinese_is_in_use(chinese: None) -> None:
    stamp = time.mktime((2026, 3, 7, 9, 5, 0, 0, 0, -1))
    assert locale_format.date_time(stamp) == "2026年3月7日 09:05"
    assert locale_format.date_time(stamp, language="en") == "2026-03-07 09:05"


def test_an_unknown_language_falls_back_to_english() -> None:
    assert locale_format.dollars(2, language="fr") == "$2.0000"
