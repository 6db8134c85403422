"""Places no table holds, placed approximately (issue 14, eighth round).

A name that the text marks as a place (right after a head word: قرية، بلدة، حي، محافظة،
مركز ...; or tagged LOC by NER next to a place or after a preposition) that no gazetteer
entry or sound match places is put **at the nearest place the article itself names**: the
city or province of the same phrase (``حي العزيزية برفحاء``، ``مركز الصورة التابع لمحافظة
ضباء``، ``ضاحية دار سعد شمال مدينة عدن``), else one earlier in the same sentence, else the
article's focus place (its most-named city, then province, of the focus country). The span
says so: ``approximate: true``, ``near`` (the Arabic name of the place it was put at),
``near_id`` (its gazetteer id), a low ``confidence`` (`APPROX_CONFIDENCE`) and a
``gazetteer_id`` of its own (``near:<near_id>:<name key>``), so that maps, counts and
place pages keep it apart from the place it was put at. A district (``حي X``) always goes to
its city this way, never to a namesake town abroad. Figures: docs/places.md.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import replace

from ..arabic.normalize import normalize_name
from ..arabic.tokenize import load_wordfreq
from .gazetteer import Place, normalize_place, strip_article
from .resolve import DISTRICTS_DUAL, GENERIC_HEADS, Mention, convert_nisba, find_candidates, is_time_word, load_stopnames

#: confidence of an approximate placement (calibrated on the dev halves: docs/places.md)
APPROX_CONFIDENCE = 0.5
#: heads after which a name is a place (a dual names two: بلدتي الوهط وصبر); compared in
#: their written form with ة (`normalize_name`), so that بلده "his country" is no بلدة
STRONG_HEADS = {normalize_name(w) for w in (
    "قرية", "بلدة", "حي", "محافظة", "مديرية", "بلدية", "ضاحية", "مخيم", "محلة",
    "محافظتي", "قريتي", "بلدتي", "محلتي", "مديريتي")}
#: heads that also start common phrases (مدينة الألعاب، منطقة المهندسين، مركز التدريب، قاعدة
#: التمرد): the name is taken only when the place it is in follows at once (`TIGHT_RE`:
#: مركز الصورة التابع لمحافظة ضباء، مدينة البوكمال بريف دير الزور، أهالي الظفير بالباحة), or
#: after an office word (رئيس مركز القصب)
WEAK_HEADS = {normalize_name(w) for w in ("مدينة", "منطقة", "مركز", "قاعدة", "مدينتي", "منطقتي", "أهالي",
                                          # a park named by its land (thirteenth round): متنزه
                                          # السودة غرب مدينة أبها، متنزه غابة رغدان بالباحة
                                          "متنزه", "منتزه", "غابة")}
_HEADS = STRONG_HEADS | WEAK_HEADS
_DISTRICT = normalize_place("حي")
_VILLAGE = normalize_place("قرية")
_STRONG_KEYS = {normalize_place(h) for h in STRONG_HEADS}
_BASE = normalize_place("قاعدة")
#: the adjectives of a military base (قاعدة العند الجوية، قاعدة حميميم العسكرية): the name
#: between is the place the base stands in, so قاعدة is a strong head there
BASE_KINDS = {normalize_place(w) for w in ("الجوية", "العسكرية", "البحرية")}
#: office words that make a weak head a division's: رئيس مركز القصب، أهالي مدينة X
OFFICE_WORDS = {normalize_place(w) for w in ("رئيس", "رؤساء", "أهالي", "سكان", "أمير", "محافظ")}
#: every head word as a token's ``base`` may be, after up to two proclitics the tokenizer
#: kept (بحي، وبقرية): one set lookup per token finds them
_HEAD_FORMS = {p + h: h for h in _HEADS for p in ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")}
#: the plural district head: a list of two or more names with the article after it is a
#: list of districts (أحياء الخالدية والبلد والجامعة بأبها); one name after it is mostly a
#: genitive (أحياء المدينة، أحياء العاصمة): docs/places.md, thirteenth round
DISTRICTS_HEAD = normalize_name("أحياء")
_HEAD_FORMS.update({p + DISTRICTS_HEAD: DISTRICTS_HEAD for p in ("", "و", "ب", "ل", "وب")})
#: the dual district head (`DISTRICTS_DUAL`: حيي الأندلس والرسالة، حيي دار سعد وكريتر): its names are
#: districts as after حي (twenty-first round of issue 14, counted on the corpus: docs/places.md)
_HEAD_FORMS.update({p + DISTRICTS_DUAL: DISTRICTS_DUAL for p in ("", "و", "ب", "ل", "وب")})
#: what may stand between a name after a weak head and the place it is in
TIGHT_RE = re.compile(r"[\s()«»\"]*(?:ال)?(?:تابع[ةه]?|تابعين|تابعتين)?\s*(?:(?:شمال|جنوب|شرق|غرب)[يى]?\s+)?"
                      r"(?:(?:في|من|قرب|بالقرب\s+من)\s+|و?[بل])?(?:(?:محافظ[ةه]|منطق[ةه]|مدين[ةه]|مركز|قطاع|إمار[ةه]|امار[ةه]|ولاي[ةه]|ريف)\s+)?")
#: a name's first word that needs the next one (أبو عريش، دار سعد، بني حسن، تل معاز)
NAME_PREFIXES = {normalize_place(w) for w in (
    "أبو", "أم", "بني", "بنو", "آل", "دار", "تل", "عين", "بئر", "رأس", "جبل", "وادي", "دير",
    "كفر", "خربة", "سيدي", "بيت", "جسر", "خان", "سوق", "قصر", "حصن", "مرسى")}
#: a word this common in the news corpus (``wordfreq.tsv.gz``) is a common word, not the name
#: of a place no table holds (التمور، الملك، المطار، التأهيل ...; the names of districts and
#: villages read on unused articles occur less often: docs/places.md)
MAX_NAME_FREQ = 200
#: how far after the name a place of the same phrase may start (characters)
PHRASE_CHARS = 40
_SENTENCE_END = re.compile(r"[.!؟?\n]")


def find_head_names(text: str, tokens, covered) -> list[tuple[Mention, bool]]:
    """Names right after a place head word (`STRONG_HEADS`, `WEAK_HEADS`; and the names
    joined to one by و: بلدتي الوهط وصبر، حي السامر والنهضة) that no mention or entity
    covers and that are not common words (`is_name_word`). Each is a
    ``Mention(source="head")`` with ``head`` and ``nisba`` (an adjective right after it)
    set and no candidates, and whether its head is weak (`WEAK_HEADS`, not after an office
    word such as رئيس): such a name is placed only next to the place it is in."""
    freq = load_wordfreq()
    out, done = [], 0
    forms, last = _HEAD_FORMS, len(tokens) - 1
    for i, tok in enumerate(tokens):
        if tok.base in forms and i < last and not tok.article and tok.start >= done:
            names = _names_after(text, tokens, i, covered, freq)
            out += names
            done = names[-1][0].end if names else done
    return out


def _names_after(text: str, tokens, i: int, covered, freq) -> list[tuple[Mention, bool]]:
    """The names after the head word ``tokens[i]`` (`find_head_names`)."""
    word = _HEAD_FORMS[tokens[i].base]
    plural = word == DISTRICTS_HEAD
    head = _DISTRICT if plural or word == DISTRICTS_DUAL else normalize_place(word)
    nxt = tokens[i + 1]
    weak = word in WEAK_HEADS and not (i and tokens[i - 1].kind == "word"
                                       and normalize_place(tokens[i - 1].base) in OFFICE_WORDS)
    # حي before a word without the article is often "alive" (ضمير حي مخلص): weak then
    weak = weak or (head == _DISTRICT and not nxt.article and normalize_place(nxt.base) not in NAME_PREFIXES)
    out, j, n = [], i + 1, len(tokens)
    while j < n:
        if plural and not tokens[j].article:
            break
        end = _name_at(text, tokens, j, freq, first=j == i + 1, district=plural)
        if end is None or covered.overlaps(tokens[j].start, tokens[end - 1].end):
            break
        m = Mention(tokens[j].base_start, tokens[end - 1].end,
                    normalize_place(" ".join([tokens[j].base] + [t.norm for t in tokens[j + 1:end]])),
                    "head", head=head)
        beside = end < n and tokens[end].kind == "word" and not text[tokens[end - 1].end:tokens[end].start].strip()
        if beside:
            m.nisba = convert_nisba(tokens[end].base) or ""  # بلدة شامونيه الفرنسية
        # قاعدة العند الجوية: a base named by the place it stands in
        out.append((m, weak and not (head == _BASE and beside and normalize_place(tokens[end].base) in BASE_KINDS)))
        j = end  # another name joined by و (والنهضة; in a list of districts also after a comma,
        # with و or without it: أحياء السامر، الأجواد، المنار ... والنزهة)
        if plural and j + 1 < n and tokens[j].text in "،,":
            if tokens[j + 1].clitic == "و":
                j += 1
            elif tokens[j + 1].kind == "word" and tokens[j + 1].article and not tokens[j + 1].clitic:
                j += 1
                continue
        if j >= n or tokens[j].kind != "word" or tokens[j].clitic != "و":
            break
    return out if not plural or len(out) >= 2 else []


def _start(tok) -> int:
    return tok.start


#: a head word in the words between a name and the place after it (بمحافظة، في منطقة، بمدينة)
_GAP_HEAD_RE = re.compile(r"محافظ[ةه]|منطق[ةه]|مدين[ةه]|مركز|قطاع|إمار[ةه]|امار[ةه]|ولاي[ةه]")


def find_located_names(text: str, tokens, covered, gaz) -> list[tuple[Mention, bool]]:
    """Names no table holds that the text locates in a division at once: a word after the
    preposition ب or في, followed by a head word and a place (بالخماسين في محافظة وادي
    الدواسر، (بالشقة) بمدينة بريدة); weak names (`find_head_names`), placed only when that
    place follows (`TIGHT_RE`, with a head word between: `_GAP_HEAD_RE`)."""
    freq = load_wordfreq()
    out = []
    for hit in _GAP_HEAD_RE.finditer(text):  # from each head word back to the name before it
        c = bisect_right(tokens, hit.start(), key=_start) - 2
        while c >= 0 and tokens[c].text in ("(", ")"):
            c -= 1
        if c >= 0 and tokens[c].norm == "في":
            c -= 1
        tok = tokens[c] if c >= 0 else None
        if tok is None or not tok.article or not (tok.clitic in ("ب", "وب") or (
                not tok.clitic and c and tokens[c - 1].norm == "في")) or covered.overlaps(tok.start, tok.end):
            continue
        if text[tok.end:hit.start()].strip(" ()") not in ("", "في", "ب", "و", "وب") or (
                out and out[-1][0].end == tok.end):
            continue
        if is_name_word(tok.base, freq) and not find_candidates(gaz, normalize_place(tok.base)):
            out.append((Mention(tok.base_start, tok.end, normalize_place(tok.base), "head", head="located"), True))
    return out


def _name_at(text: str, tokens, j: int, freq, first: bool, district: bool = False) -> int | None:
    """End (token index) of a name starting at token `j`, right after the token before it
    (one word, two after a `NAME_PREFIXES` word), or None when it is no name. The first name
    after a head has no proclitic (حي المنصورية, not مخيمات ومعسكرات); a later one has و.
    `district`: a name of a list after أحياء, a common word there too (والبلد، والجامعة)."""
    if j >= len(tokens) or text[tokens[j - 1].end:tokens[j].start].strip() or (first and (
            tokens[j].clitic or (tokens[j].base[:1] == "و" and freq.get(tokens[j].base[1:], 0)))):
        return None  # ساحات بلدية وملاعب: و + a word the tokenizer left whole
    end = j + 1
    if tokens[j].kind == "word" and normalize_place(tokens[j].base) in NAME_PREFIXES:
        end = j + 2
        if end > len(tokens) or text[tokens[j].end:tokens[j + 1].start].strip():
            return None
    if not all(t.kind == "word" for t in tokens[j:end]):
        return None
    last = tokens[end - 1]
    # a name said to belong to a division (مركز الصورة التابع لمحافظة ضباء) may be a common word
    # and so may a base's (قاعدة العند الجوية: a place in the news every day) and a district's
    # with the article (حي الملز، حي النهضة: after حي such a word names the district)
    head = _HEAD_FORMS.get(tokens[j - 1].base) if first else None
    limit = None if _SUBORDINATE_RE.match(text, last.end) or (
        head == "قاعدة" and _BASE_KIND_RE.match(text, last.end)) or (head in ("حي", DISTRICTS_DUAL) and tokens[j].article) \
        or district else MAX_NAME_FREQ
    return end if is_name_word(last.base if end - 1 == j else last.norm, freq, limit, district) else None


#: `BASE_KINDS` right after a name, read on the text (ة or ه)
_BASE_KIND_RE = re.compile(r"\s+ال(?:" + "|".join(sorted(k[2:-1] for k in BASE_KINDS)) + ")[ةه]")
_SUBORDINATE_RE = re.compile(r"\s+(?:ال)?تابع(?:[ةه]|ين|تين)?\s+ل(?:محافظ|منطق|مركز|إمار|امار)")


def is_name_word(word: str, freq, max_freq: int | None = MAX_NAME_FREQ, stop_ok: bool = False) -> bool:
    """Whether a word (``normalize_name`` form, no proclitic) after a place head can be a
    place's name: three letters or more; no head, stop name (unless `stop_ok`: in a list of
    districts, البلد), time word, nisba adjective (سكني، حدودية) or verb or noun with a pronoun
    (أبدوا، نجدها); not common in the news corpus (`max_freq`, None for no limit)."""
    key, count = normalize_place(word), freq.get(word, 0)
    if len(key) < 3 or len(key) - 2 * key.startswith("ال") < 2 or word in _HEADS \
            or key in GENERIC_HEADS or (key in load_stopnames() and not stop_ok):
        return False
    if convert_nisba(word) or is_time_word([], [], 0, key):
        return False
    if len(word) >= 5 and word.endswith(("وا", "ها", "هم", "هن", "كم")):
        return False
    if not word.startswith("ال") and (word.endswith("ية") and count >= 5 or word.endswith("ي") and count >= 20):
        return False  # an indefinite adjective (منطقة حدودية، بلدة ريفية، حي سكني), not a village (نعمي)
    return max_freq is None or count < max_freq


def place_approximately(text: str, mentions: list[Mention], found: list[tuple[Mention, bool]],
                        focus: str | None) -> list[Mention]:
    """Put the names of `found` (`find_head_names`) and the LOC mentions of `mentions` that
    nothing placed at the nearest place the article names (module docstring); districts
    (``حي X``) there too, whatever the gazetteer chose. Returns the head names placed (to add
    to the mentions); sets ``near`` and ``confidence`` in place."""
    # the places names are put at: not districts, which this moves (and whose namesake
    # towns elsewhere would mislead: حي أبو مرخة بالعزيزية)
    if not found and not any(m.head in (_DISTRICT, _VILLAGE) or (m.choice is None and m.source == "entity")
                             for m in mentions) and not _lone_town_in_division(text, mentions):
        return []
    named = sorted((m for m in mentions if m.choice is not None and m.source in ("entity", "gazetteer")
                    and not m.partial and m.head != _DISTRICT), key=lambda m: m.start)
    placed = [m for m in named if m.choice.feature in ("city", "admin1")]
    if not placed:
        return []
    starts, named_starts = [m.start for m in placed], [m.start for m in named]
    countries: dict[str, set[str]] = {}  # the names placed in each country, before any is moved
    for o in named:
        countries.setdefault(o.choice.country, set()).add(o.key)

    def fits(m: Mention, near: Place | None) -> bool:
        """Not a name said to be in another country: by a nisba, the place of its phrase
        (بلدة كوغيلو الصغيرة (غرب كينيا)) or a country named before it in its sentence
        (الجزائر: هجوم ... على حي القصبة, in an article about Belfast)."""
        if near is None or (m.nisba and m.nisba != near.country):
            return False
        other = phrase_place(text, m, named, named_starts)  # a region of no one country (تهامة) says nothing
        if other is not None and other.country and other.country != near.country:
            return False
        for o in reversed(named[:bisect_left(named_starts, m.start)]):
            if _SENTENCE_END.search(text[o.end:m.start]):
                break
            if o.choice is not None and o.choice.feature == "country":  # None: moved above
                return o.choice.country == near.country
        return True

    fallback = _focus_place(placed, focus)
    out = []
    for m in mentions:
        if m.source == "entity" and m.choice is None and m.key:
            if strip_article(m.key) in GENERIC_HEADS or m.key in load_stopnames():
                continue  # الريف: a common noun NER took for a name
            if (near := distance_place(text, m, placed, starts)) is not None:
                pass
            elif m.head in _STRONG_KEYS:  # في حي [الراشدين]: NER's name after a head word, as if found by it
                near = _anchor(text, m, placed, starts, fallback, city=m.head == _DISTRICT)
            else:
                near = _anchor(text, m, placed, starts, None, loc=True)
        elif m.head == _DISTRICT and m.choice is not None and m.source in ("entity", "gazetteer"):
            # the article's focus place only when the gazetteer's town lies in a country the
            # article does not name (حي التواهي in an article on Aden stays At Tawahi)
            named_here = bool(countries.get(m.choice.country, set()) - {m.key})
            near = _anchor(text, m, placed, starts, None if named_here else fallback, city=True)
            near = None if near is None or near.key == m.choice.key else near
        elif m.head == _VILLAGE and m.choice is not None and m.source in ("entity", "gazetteer") \
                and not countries.get(m.choice.country, set()) - {m.key}:
            # a village whose namesake lies in a country the article does not name goes to the
            # place of its phrase (قرية واسط بتبالة (45 كم غرب بيشة): not Wasit, Iraq)
            near = _anchor(text, m, placed, starts, None)
            near = None if near is None or near.country == m.choice.country else near
        elif m.choice is not None and m.source in ("entity", "gazetteer") and m.choice.feature == "city" \
                and not countries.get(m.choice.country, set()) - {m.key}:
            # a town whose namesake lies in a country the article does not name, said at once to
            # be in a division of another (أم العراد بمحافظة الأحساء: not Al 'Arad, UAE)
            near = _tight_place(text, m, placed, starts)
            if near is None or near.country == m.choice.country or not _ADMIN_GAP_RE.search(
                    text, m.end, m.end + PHRASE_CHARS):
                continue
        else:
            continue
        if fits(m, near):
            _set_near(m, near, text)
    for m, weak in found:
        if m.choice is not None:  # placed by sound
            continue
        near = distance_place(text, m, placed, starts)
        if near is None:
            near = _tight_place(text, m, placed, starts) if weak else _anchor(
                text, m, placed, starts, fallback, city=m.head == _DISTRICT)
            if near is not None and weak and m.head == _CENTRE and not _ADMIN_GAP_RE.search(
                    text, m.end, m.end + PHRASE_CHARS):
                near = None
        if fits(m, near):
            _set_near(m, near, text)
            out.append(m)
    return out


def repeat_placed(text: str, tokens, taken, placed: list[Mention]) -> list[Mention]:
    """The other mentions of the names placed after a head word (`place_approximately`),
    written alone elsewhere in the article and covered by nothing (`taken`): one sense per
    name per article, so مثلث العند is where قاعدة العند الجوية was put. Names of one word
    with the article, or of two, only: a bare word is too often a common one; not a
    district's (حي الصحافة: الصحافة alone is "the press")."""
    keys = {m.key: m for m in placed if m.source == "head" and m.near is not None and m.head != _DISTRICT
            and (m.key.startswith("ال") or " " in m.key)}
    if not keys:
        return []
    out = []
    for i, tok in enumerate(tokens):
        if tok.kind != "word":
            continue
        for size in (1, 2):
            sub = tokens[i:i + size]
            if len(sub) < size or (size == 2 and (sub[1].kind != "word" or text[sub[0].end:sub[1].start] != " ")):
                break
            key = normalize_place(" ".join([tok.base] + [t.norm for t in sub[1:]]))
            m = keys.get(key)
            if m is None or taken.overlaps(tok.base_start, sub[-1].end) or any(
                    o.start <= tok.base_start < o.end for o in placed):
                continue
            if i + size < len(tokens) and tokens[i + size].kind == "word" and \
                    text[sub[-1].end:tokens[i + size].start] == " " and convert_nisba(tokens[i + size].base):
                continue
            out.append(replace(m, start=tok.base_start, end=sub[-1].end, head=""))
            break
    return out


_CENTRE = normalize_place("مركز")
#: between a name after مركز and its place: a division (مركز المسيال بقطاع ظهران الجنوب، مركز
#: وراخ التابع لمحافظة العقيق); مركز الأورام بالقصيم is a hospital
_ADMIN_GAP_RE = re.compile(r"تابع|محافظ|منطق|قطاع|إمار|امار")


def _lone_town_in_division(text: str, mentions: list[Mention]) -> bool:
    """Whether a town the only name of its country has a division word right after it (the
    case `place_approximately` moves: أم العراد بمحافظة الأحساء)."""
    keys: dict[str, set[str]] = {}
    for m in mentions:
        if m.choice is not None:
            keys.setdefault(m.choice.country, set()).add(m.key)
    return any(m.choice is not None and m.choice.feature == "city" and len(keys[m.choice.country]) == 1
               and _ADMIN_GAP_RE.search(text, m.end, m.end + 12) for m in mentions)


def _tight_place(text: str, m: Mention, placed: list[Mention], starts: list[int]) -> Place | None:
    """The place right after `m` with `TIGHT_RE` words between, at least a preposition
    (بمحافظة، التابع لمحافظة، بريف، في): with nothing between, the name is a noun of the
    place's name (مركز إسعاف طريف), and a comma or و makes a list of places, not one in another
    (طنجة وبوزنيقة وخريبقة)."""
    i = bisect_left(starts, m.end)
    if i < len(placed) and TIGHT_RE.fullmatch(text, m.end, placed[i].start) \
            and text[m.end:placed[i].start].strip(" ()«»\"و"):
        return placed[i].choice
    return None


#: a distance and a direction from a place right after a name: «مركز الهميج (١٨٠ كم شرق المدينة
#: المنورة)»، «ناحية كبيسة، 70 كلم غرب الرمادي»، «على بعد 60 كيلومترا شمالي عدن»
_DISTANCE_RE = re.compile(
    r"\s*[(،,\-–]?\s*(?:(?:على\s+)?(?:بعد|مسافة)\s+|[تي]بعد\s+)?(?:نحو|حوالي|حوالى|قرابة)?\s*"
    r"([0-9٠-٩]{1,4})\s*(?:كم|كلم|كيلو\s*مترا?(?:ت)?)\s+(?:(?:إلى|الى)\s+ال)?"
    r"(شمال|جنوب|شرق|غرب)[يى]?(?:\s*(?:ال)?(شرق|غرب)[يى]?)?\s+(?:من\s+)?(?:(?:مدين[ةه]|محافظ[ةه]|العاصم[ةه])\s+)?")
_BEARINGS = {"شمال": 0.0, "شرق": 90.0, "جنوب": 180.0, "غرب": 270.0}


def distance_place(text: str, m: Mention, placed: list[Mention], starts: list[int]) -> Place | None:
    """The point a distance and a direction from a placed city or province give right after
    `m` (`_DISTANCE_RE`: ١٨٠ كم شرق المدينة المنورة): that place moved so far that way (a copy
    of its entry; the span's ``near`` still names it), or None."""
    hit = _DISTANCE_RE.match(text, m.end)
    if hit is None:
        return None
    i = bisect_left(starts, hit.end())
    if i == len(placed) or placed[i].start - hit.end() > 2 or placed[i].choice is None \
            or placed[i].choice.lat is None:
        return None
    p, km = placed[i].choice, int(hit.group(1))
    first, second = _BEARINGS[hit.group(2)], hit.group(3)
    bearing = first if second is None else (first + _BEARINGS[second] + (360.0 if first == 0.0 and second == "غرب" else 0.0)) / 2
    lat = p.lat + km * math.cos(math.radians(bearing)) / 111.2
    lon = p.lon + km * math.sin(math.radians(bearing)) / (111.2 * max(math.cos(math.radians(p.lat)), 0.1))
    return replace(p, lat=round(lat, 4), lon=round(lon, 4))


def _set_near(m: Mention, near: Place, text: str) -> None:
    m.choice, m.near, m.confidence, m.alternatives = None, near, APPROX_CONFIDENCE, []
    if m.source == "entity" and text[m.start] == "و" and len(m.key) >= 5 and " " not in m.key:
        m.start, m.key = m.start + 1, m.key[1:]  # وخريبقة: the conjunction NER took in


def _anchor(text: str, m: Mention, placed: list[Mention], starts: list[int], fallback: Place | None,
            city: bool = False, loc: bool = False) -> Place | None:
    """The place `m` is put at: the first placed city/province of its phrase (`phrase_place`);
    else the last one before it in its sentence, else `fallback`. `city`: only a city will
    do (a district's). `loc`: an NER mention, put at the place right after it (`_tight_place`)
    or, after a preposition (في، من، ب ...), at a place earlier in its sentence."""
    pick = _city_of if city else _place_of
    near = _tight_place(text, m, placed, starts) if loc else phrase_place(text, m, placed, starts, pick)
    if near is not None:
        return near
    if loc and not _after_preposition(text, m.start):
        return None
    for o in reversed(placed[:bisect_left(starts, m.start)]):
        if _SENTENCE_END.search(text[o.end:m.start]):
            break
        if (place := pick(o)) is not None:
            return place
    return None if loc else fallback


def _place_of(m: Mention) -> Place:
    return m.choice


def _city_of(m: Mention) -> Place | None:
    """The city a placed mention names, for a district: its choice, or the seat of the same
    name when it was read as a province (حي الشرفة شرق نجران: Najran the city)."""
    if m.choice is None:  # a village or district this pass has already moved
        return None
    if m.choice.feature == "city":
        return m.choice
    return next((p for p, w in m.cands if p.feature == "city" and p.country == m.choice.country
                 and w >= 1.0), None)


def phrase_place(text: str, m: Mention, placed: list[Mention], starts: list[int],
                 pick=_place_of) -> Place | None:
    """The first place `pick` gives (its choice, or `_city_of`) of a mention of `placed`
    (sorted; `starts`: their starts) starting within `PHRASE_CHARS` after `m` in its
    sentence: the town or province a name is said to be in (حي العزيزية برفحاء، مركز الصورة
    التابع لمحافظة ضباء)."""
    for o in placed[bisect_left(starts, m.end):]:
        gap = text[m.end:o.start]
        if len(gap) > PHRASE_CHARS or _SENTENCE_END.search(gap):
            break
        if (place := pick(o)) is not None:
            return place
    return None


#: before an NER name, these say where something is (not شمال/جنوب ...: غرب النيل names the
#: Nile as a reference, not a place inside the one named before)
_PREPOSITIONS = ("في", "من", "الى", "إلى", "نحو", "قرب", "بالقرب", "داخل")


def _after_preposition(text: str, start: int) -> bool:
    """Whether a preposition (في، من، إلى، قرب ...) or the proclitic ب is right before `start`."""
    before = text[max(0, start - 12):start]
    if before.endswith("ب") or before.endswith("وب"):
        return True
    words = before.split()
    return bool(words) and words[-1] in _PREPOSITIONS and before[-1:].isspace()


def _focus_place(placed: list[Mention], focus: str | None) -> Place | None:
    """The article's focus place: its most-named city of the focus country, else its
    most-named province there (ties: the first named)."""
    for feature in ("city", "admin1"):
        counts: dict[str, list] = {}
        for m in placed:
            p = m.choice
            if p.country == focus and p.feature == feature:
                counts.setdefault(p.key, [0, m.start, p])[0] += 2 if m.in_title else 1
        if counts:
            return max(counts.values(), key=lambda c: (c[0], -c[1]))[2]
    return None


def near_attrs(m: Mention, text: str) -> dict:
    """Attrs of an approximately placed name's span (module docstring)."""
    p = m.near
    return {"name": text[m.start:m.end], "name_en": None, "country": p.country or None, "lat": p.lat, "lon": p.lon,
            "feature": "city", "geonameid": None, "gazetteer_id": f"near:{p.key}:{m.key}",
            "confidence": m.confidence, "source": m.source, "alternatives": [],
            "approximate": True, "near": p.name, "near_id": p.key}
