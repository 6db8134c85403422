"""Counted nouns and dates as the web UI shows them (rasid.arabic.plural, rasid.arabic.datefmt)."""
from __future__ import annotations

import pytest

from rasid.arabic.datefmt import format_date
from rasid.arabic.plural import NOUNS, count_noun


@pytest.mark.parametrize("n, expected", [
    (0, "لا مقالات"), (1, "مقالة واحدة"), (2, "مقالتان"), (3, "3 مقالات"), (10, "10 مقالات"),
    (11, "11 مقالة"), (99, "99 مقالة"), (100, "100 مقالة"), (101, "101 مقالة"),
    (102, "102 مقالة"), (103, "103 مقالات"), (110, "110 مقالات"), (111, "111 مقالة"),
    (200, "200 مقالة"), (1000, "1000 مقالة"), (1003, "1003 مقالات"), (1015, "1015 مقالة"),
])
def test_a_feminine_noun_agrees_with_its_number(n, expected):
    assert count_noun(n, "مقالة") == expected


@pytest.mark.parametrize("n, expected", [
    (1, "تنبيه واحد"), (2, "تنبيهان"), (3, "3 تنبيهات"), (11, "11 تنبيهًا"), (25, "25 تنبيهًا"),
    (100, "100 تنبيه"), (101, "101 تنبيه"), (102, "102 تنبيه"), (103, "103 تنبيهات"),
    (150, "150 تنبيهًا"),
])
def test_a_masculine_noun_takes_the_accusative_after_eleven(n, expected):
    assert count_noun(n, "تنبيه") == expected


@pytest.mark.parametrize("noun, three, one", [
    ("قصة", "3 قصص", "قصة واحدة"), ("إشارة", "3 إشارات", "إشارة واحدة"),
    ("كيان", "3 كيانات", "كيان واحد"), ("نتيجة", "3 نتائج", "نتيجة واحدة"),
    ("تقرير", "3 تقارير", "تقرير واحد"),
])
def test_broken_plurals_and_gender_come_from_the_table(noun, three, one):
    assert count_noun(3, noun) == three
    assert count_noun(1, noun) == one
    assert count_noun(12, noun).startswith("12 " + noun)


def test_every_dual_is_built_on_its_singular():
    for noun, forms in NOUNS.items():
        stem = noun[:-1] + "ت" if noun.endswith("ة") else noun
        assert forms.dual.startswith(stem) and forms.dual.endswith("ان"), noun


def test_an_unknown_noun_or_a_bad_count_is_an_error():
    with pytest.raises(KeyError, match="NOUNS"):
        count_noun(3, "سيارة")
    with pytest.raises(ValueError):
        count_noun(-1, "مقالة")
    assert count_noun("7", "مقالة") == "7 مقالات"  # a count read from a query string


@pytest.mark.parametrize("value, expected", [
    ("2015-11-13", "13 نوفمبر 2015"), ("2015-01-05", "5 يناير 2015"),
    ("2015-11", "نوفمبر 2015"), ("2015", "2015"), ("", ""), (None, ""),
    ("2015-11-13T21:20:00", "13 نوفمبر 2015"), ("not a date", "not a date"),
    ("2015-13-01", "2015-13-01"),
])
def test_dates_are_shown_with_arabic_month_names(value, expected):
    assert format_date(value) == expected


def test_a_time_is_shown_when_asked():
    assert format_date("2015-11-13T21:20:00+01:00", with_time=True) == "13 نوفمبر 2015، 21:20"
    assert format_date("2015-11-13", with_time=True) == "13 نوفمبر 2015"
