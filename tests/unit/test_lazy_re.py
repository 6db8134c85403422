"""Date patterns are compiled when an article first triggers them (`rasid.lazy_re`)."""
from __future__ import annotations

import re

from rasid.lazy_re import LazyPattern
from rasid.stages import dates


def test_lazy_pattern_finds_what_the_compiled_one_finds() -> None:
    text = "وصل الوفد في 13 نوفمبر 2015 ثم غادر في 15 نوفمبر"
    lazy = LazyPattern(r"(?P<d>\d+) نوفمبر")
    assert lazy._rx is None
    found = [(m.span(), m["d"]) for m in lazy.finditer(text, 5, len(text))]
    assert found == [(m.span(), m["d"]) for m in re.compile(r"(?P<d>\d+) نوفمبر").finditer(text, 5, len(text))]
    assert found == [((13, 22), "13"), ((39, 48), "15")] and lazy.compiled() is lazy._rx


def test_dates_compile_only_the_patterns_an_article_triggers(monkeypatch) -> None:
    monkeypatch.setattr(dates, "_COMPILED", None)  # a fresh set of patterns
    spans = dates.extract_dates("شن الجيش غارات يوم 13 نوفمبر 2015 على مواقع التنظيم.", "2015-11-14")
    assert [(s.attrs["value"]) for s in spans] == ["2015-11-13"]
    compiled = {kind for kind, rx, _ in dates._compiled() if rx._rx is not None}
    assert "greg_dmy" in compiled and not compiled & {"hijri", "hijri_paren", "range_days_h", "numeric"}
    hijri = dates.extract_dates("في 5 رمضان 1437هـ", "2016-06-10")
    assert [s.attrs["value"] for s in hijri] == ["2016-06-10"]
    assert "hijri" in {kind for kind, rx, _ in dates._compiled() if rx._rx is not None}
