"""Arabic text core on real text: normalisation, tokens, sentences, stems."""
from __future__ import annotations

import pytest

from rasid.arabic import normalize_key, normalize_name, normalize_with_offsets, split_sentences, tokenize
from rasid.arabic.normalize import map_span
from rasid.arabic.stem import stem_light10, stem_snowball


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("الرَّئِيسُ", "الرءيس"),  # harakat removed, hamza carrier folded
        ("مسؤول", "مسءول"),
        ("مسئول", "مسءول"),  # both spellings meet
        ("أولاند", "اولاند"),
        ("إسماعيل", "اسماعيل"),
        ("آذار", "اذار"),
        ("مصطفاى", "مصطفاي"),  # alef maqsura
        ("فرنســـا", "فرنسا"),  # tatweel
        ("١٣/١١/٢٠١٥", "13/11/2015"),  # Arabic-Indic digits
        ("۲۰۱۵", "2015"),  # Persian digits
        ("\ufefb", "لا"),  # presentation-form ligature
        ("\u200fباريس\u200e", "باريس"),  # bidi marks
        ("اللّٰه", "الله"),  # shadda + superscript alef
        ("ذٰلِكَ ۖ", "ذلك "),  # Quranic pause mark
    ],
)
def test_normalize_name(raw, expected):
    assert normalize_name(raw) == expected


def test_key_folds_taa_marbuta_but_name_keeps_it():
    assert normalize_name("الدولة") == "الدولة"
    assert normalize_key("الدولة") == "الدوله"


def test_offset_map_points_back_into_original(seed_text):
    norm, offsets = normalize_with_offsets(seed_text, key=True)
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(seed_text)
    i = norm.index("هولاند")
    a, b = map_span(offsets, i, i + len("هولاند"))
    assert seed_text[a:b] == "هولاند"
    vowelled = "قالَ الرَّئِيسُ"
    norm, offsets = normalize_with_offsets(vowelled)
    i = norm.index("الرءيس")
    a, b = map_span(offsets, i, i + 6, vowelled)
    assert vowelled[a:b] == "الرَّئِيسُ"


def test_offset_map_is_the_map_of_each_character(seed_text):
    # the map is built from runs between dropped or expanded characters: it must be the
    # per-character one (each normalised character comes from the one it points at)
    text = "قالَ الرَّئِيسُ فرنســـا \ufefb ١٣/١١ \u200fباريس ABC " + seed_text[:400]
    for key in (False, True):
        norm, offsets = normalize_with_offsets(text, key)
        assert norm == (normalize_key(text) if key else normalize_name(text))
        expected = [i for i, ch in enumerate(text)
                    for _ in (normalize_key(ch) if key else normalize_name(ch))] + [len(text)]
        assert list(offsets) == expected and len(offsets) == len(expected)


def test_tokens_have_offsets_and_separate_punctuation(seed_text):
    tokens = tokenize(seed_text)
    assert all(seed_text[t.start:t.end] == t.text for t in tokens)
    texts = [t.text for t in tokens[:60]]
    assert "،" in texts and '"' in texts and ":" in texts
    assert "فرانسوا" in texts and "هولاند" in texts


@pytest.mark.parametrize(
    "word, clitic, article, base",
    [
        ("وباريس", "و", False, "باريس"),
        ("والولايات", "و", True, "الولايات"),
        ("وبالقاهرة", "وب", True, "القاهرة"),
        ("للرئيس", "ل", True, "الرءيس"),
        ("فرانسوا", "", False, "فرانسوا"),
        ("فلسطين", "", False, "فلسطين"),
        ("وزير", "", False, "وزير"),
        ("لبنان", "", False, "لبنان"),
        ("بريطانيا", "", False, "بريطانيا"),
        ("فكان", "ف", False, "كان"),
    ],
)
def test_proclitics(word, clitic, article, base):
    tok = tokenize(word)[0]
    assert (tok.clitic, tok.article, tok.base) == (clitic, article, base)


def test_base_start_excludes_clitic():
    text = "وصل إلى وباريس أمس"
    tok = [t for t in tokenize(text) if t.text == "وباريس"][0]
    assert text[tok.base_start:tok.end] == "باريس"


def test_numbers_stay_whole():
    toks = [t.text for t in tokenize("ارتفع بنسبة 3.5 في المئة إلى 2,000 دولار")]
    assert "3.5" in toks and "2,000" in toks


def test_sentences_on_seed(seed_text):
    sents = split_sentences(seed_text)
    texts = [seed_text[s.start:s.end] for s in sents]
    assert texts[0] == "هجمات باريس: محاربة تنظيم الدولة في الداخل والخارج"
    assert "لكن إلى أي مدى كان هناك تقصير أمني؟" in texts
    # never split at the Arabic comma, and quotes stay inside their sentence
    quoted = [t for t in texts if "حرب لا رحمة فيها" in t][0]
    assert quoted.startswith("تحدث الرئيس الفرنسي، فرانسوا هولاند،") and quoted.endswith("في باريس.")
    for s in sents:
        assert seed_text[s.start:s.end].strip() == seed_text[s.start:s.end]


@pytest.mark.parametrize(
    "text, n",
    [
        ("قال د. محمد إن النمو بلغ 3.5 في المئة. وأضاف أن الوضع مستقر.", 2),
        ('قال: "هذا غير مقبول. لن نسكت!" ثم غادر القاعة.', 1),
        ("هل انتهى الأمر؟ لا أعتقد ذلك؛ فالأزمة مستمرة", 3),
        ("زار الوزير باريس، ثم لندن، ثم برلين", 1),
    ],
)
def test_sentence_rules(text, n):
    assert len(split_sentences(text)) == n


def test_stemmers():
    assert stem_light10(normalize_key("والهجمات")) == "هجم"
    assert stem_light10(normalize_key("الهجوم")) == stem_light10(normalize_key("هجوم"))
    assert stem_snowball(normalize_key("للرئيس")) == stem_snowball(normalize_key("رئيس"))


def test_span_json_round_trip_and_reserved_attribute_names():
    from rasid.doc import Document, Span

    doc = Document(text="بين عامي 2013 و2014 زار باريس")
    doc.add_span("dates", Span(0, 19, "DATE", {"value": "2013/2014", "range_start": "2013"}))
    back = Document.from_dict(doc.to_dict())
    assert back.layers["dates"][0].start == 0 and back.layers["dates"][0].end == 19
    assert back.layers["dates"][0].attrs == {"value": "2013/2014", "range_start": "2013"}
    doc.add_span("dates", Span(0, 3, "DATE", {"start": "2013"}))
    with pytest.raises(ValueError, match="reserved"):
        doc.to_dict()


@pytest.mark.parametrize("module", ["rasid.doc", "rasid.stages", "rasid.store", "rasid.monitor"])
def test_core_modules_import_first_in_a_fresh_interpreter(module):
    """No import-order cycle: any core module can be the first one imported."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)


def test_long_texts_normalise_as_the_tables_translate(seed_text):
    # a long text goes through one str.replace per character the table changes: the same
    # text as str.translate, each table character among Arabic letters, alone and repeated
    from rasid.arabic.normalize import _NAME_TABLE, KEY_TABLE
    for fn, table in ((normalize_name, _NAME_TABLE), (normalize_key, KEY_TABLE)):
        chars = "".join(map(chr, table))
        for text in (seed_text, chars, seed_text[:100] + chars + seed_text[:100],
                     "".join(c * 3 + "ب" for c in chars)):
            assert fn(text) == text.translate(table)
        assert all(fn(out or "") == (out or "") for out in table.values())
