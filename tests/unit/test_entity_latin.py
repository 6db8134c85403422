"""Issue 13, item 6: every entity gets a readable Latin form (Jeddah, Syria, Mohammed), not
a letter-by-letter one (Jda, Surya, Mhmd)."""
from __future__ import annotations

import pytest

from rasid.entities.resolver import EntityResolver
from rasid.entities.translit import compute_latin_name

from test_entities import make_doc


@pytest.mark.parametrize("name, latin", [
    ("جدة", "Jeddah"), ("سوريا", "Syria"), ("سورية", "Syria"), ("الرياض", "Riyadh"),
    ("المملكة العربية السعودية", "Saudi Arabia"), ("محمد", "Mohammed"),
    ("محمد بن سلمان", "Mohammed bin Salman"), ("عادل الجبير", "Adel al-Jubeir"),
    ("عبد الله بن عبد العزيز", "Abdullah bin Abdulaziz"), ("تنظيم الدولة", "Islamic State"),
])
def test_readable_latin_forms(name, latin):
    assert compute_latin_name(name) == latin


def test_archive_records_get_the_readable_form():
    doc = make_doc("وصل عادل الجبير إلى جدة قادما من سوريا.",
                   [("عادل الجبير", "PER"), ("جدة", "LOC"), ("سوريا", "LOC")])
    latin = {u.record.canonical: u.record.latin for u in EntityResolver().resolve(doc)}
    assert latin == {"عادل الجبير": "Adel al-Jubeir", "جدة": "Jeddah", "سوريا": "Syria"}
