"""Find PLOVER events in a tokenised, NER-tagged document, sentence by sentence.

Method (figures: docs/events.md):

1. **Triggers.** Each word is reduced to candidate forms (proclitics, then suffixes and
   imperfect prefixes removed) and looked up in ``data/triggers.tsv``; a trigger may ask
   for a neighbour word (اطلاق + النار), forbid one (ضربة جزاء), or need a violence word
   somewhere in its sentence (``context``).
2. **Sentence filters.** In a sports sentence ASSAULT words are metaphors; in an accident
   sentence deaths are not assaults; in a common-crime sentence killing is CRIME.
   Demands made by a protest are the PROTEST; a lone "protesters" noun yields to another
   event of the sentence (killing protesters is an ASSAULT).
3. **Modifiers**, looked for in the three words before the trigger: negation (لم لن ما لا
   نفى عدم), hypothetical (قد + imperfect, إذا, لو, سوف, the future prefix س-, foiled
   plans), threat (هدد بـ, توعد: the event becomes THREATEN, ``threatened`` keeps the act).
4. **Arguments.** Entities of the sentence and noun phrases headed by an actor noun
   (قوات, المتظاهرون, مدنيين) are candidates. Agent-like candidates after a trigger
   (VSO order, genitive of a noun trigger) or else before it (SVO) are the actor; a
   candidate after على/ضد/استهدف, a victim-like noun, or the subject of تعرض is the
   recipient; من قبل / على يد X gives the actor. Places and dates are the sentence's
   ``places`` / ``dates`` spans nearest the trigger, preferring those between it and the
   next trigger.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from operator import attrgetter
from typing import Any

from ..arabic.tokenize import load_wordfreq
from ..doc import Document, Span
from ..memo import recall, trim_memo
from .arguments import QUANTITY, RECIPIENT_TYPES, choose_args, collect_args, find_object_phrase
from .lexicon import (
    Trigger,
    find_forms,
    key_of_name,
    load_actor_codes,
    load_cues,
    load_triggers,
    strip_article,
    strip_clitics,
)

COUNTRY_FEATURES = frozenset({"country", "PCLI", "PCLD", "PCLS"})
CLAUSE_ENDS = frozenset({"،", ",", ".", ":", "؛", ";", "!", "؟", "?", "(", ")", "\"", "«", "»"})
DEMONSTRATIVES = frozenset({"تلك", "ذلك", "هذه", "هذا"})
RELATIVES = frozenset({"التي", "الذي", "اللتين", "اللذين"})
AERIAL = frozenset({"جوي", "جوية", "جويه", "طيران", "طاءرات", "مقاتلات", "غارة", "غارات",
                    "مروحيات", "مسيرة", "درون"})
NEGATION_REACH = {"ما": 1, "لا": 2, "دون": 1, "بدون": 1, "عدم": 2, "ليس": 3, "ليست": 3,
                  "نفي": 6, "نفت": 6, "ينفي": 6, "تنفي": 6, "نفوا": 6, "كذب": 6, "كذبت": 6}
#: Types that are not political events in a sports sentence (protests and arrests still are).
SPORTS_MUTED = frozenset({"CONSULT", "SUPPORT", "AGREE", "REJECT", "COOPERATE", "DEMAND"})
#: Triggers this strong (تفجير, هجوم, غارة) stay ASSAULT in a sentence with accident words.
STRONG_ASSAULT = 0.9
#: A lone protester noun is a weak PROTEST trigger.
WEAK_PROTEST = 0.8
#: Actor found in the previous sentence: confidence multiplier.
INFERRED_FACTOR = 0.8


@dataclass
class Hit:
    index: int  # token index
    trigger: Trigger
    start: int
    end: int
    type: str
    mode: str | None
    weight: float
    negated: bool = False
    hypothetical: bool = False
    threatened: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=30_000)
def forms_of(norm: str) -> frozenset[str]:
    """A normalised word's readings without و/ف, prepositions and the article (made in the
    order found, so a set of them iterates as before); cached per word (every article repeats
    them) as the set the events' rules read, shared: never changed."""
    out = {}
    for w in strip_clitics(norm):
        out[w] = out[strip_article(w)] = None
    if len(norm) == 3 and norm[0] in "وف":
        out[norm[1:]] = None  # وقد، ولم، فلا
    return frozenset(out)


@lru_cache(maxsize=1)
def _trigger_grams() -> re.Pattern[str]:
    """What a word must contain for one of its `find_forms` to be in the lexicon: every
    form is a substring of the word, or ا + one (استـ), so the word holds the first three
    letters of such a form (or a whole form shorter than that) somewhere. One pattern, the
    three-letter runs as a tree of their letters, so that a word is one search in C."""
    grams: dict[str, dict[str, set[str]]] = {}
    short = set()
    for key in load_triggers():
        for part in (key, key[1:]) if key.startswith("ا") else (key,):
            if len(part) >= 3:
                grams.setdefault(part[0], {}).setdefault(part[1], set()).add(part[2])
            else:
                short.add(part)

    def one_of(letters) -> str:
        return "[" + "".join(map(re.escape, sorted(letters))) + "]"
    tree = [re.escape(a) + "(?:" + "|".join(re.escape(b) + one_of(cs) for b, cs in sorted(sub.items())) + ")"
            for a, sub in sorted(grams.items())]
    return re.compile("|".join(tree + [re.escape(s) for s in sorted(short)]) or "(?!)")


def may_be_trigger(norm: str) -> bool:
    """False when no form of the word can be in the lexicon (`_trigger_grams`): most words,
    answered with one search instead of every form `find_forms` makes."""
    return _trigger_grams().search(norm) is not None


@lru_cache(maxsize=30_000)
def lexicon_trigger(norm: str) -> Trigger | None:
    """The lexicon entry of the longest form of the word that the entry admits (exact
    forms only, no article), a stop form included; None when no form is in the lexicon."""
    if not may_be_trigger(norm):
        return None
    table = load_triggers()
    for form, exact, art in find_forms(norm):
        trig = table.get(form)
        if trig is not None and (exact or not trig.exact) and not (trig.noart and art):
            return trig
    return None


def match_trigger(tokens, i: int, forms_at) -> Trigger | None:
    """The trigger the word at i is, or None. The longest form found decides: when its
    neighbour conditions fail, shorter readings are not tried (تظاهرة اقتصادية is no
    تظاهر)."""
    trig = lexicon_trigger(tokens[i].norm)
    if trig is None or trig.type == "-":  # a stop form: not a trigger (احتجاجا = in protest)
        return None
    if trig.next and not (trig.next & set().union(*(forms_at(j) for j in (i + 1, i + 2)))):
        return None
    prv = forms_at(i - 1)
    if trig.notnext and trig.notnext & forms_at(i + 1):
        return None
    if trig.prev and not (trig.prev & prv):
        return None
    if trig.notprev and trig.notprev & prv:
        return None
    if trig.nobnext and i + 1 < len(tokens) and tokens[i + 1].clitic.endswith("ب"):
        return None  # تظاهر بالموافقة: pretended to agree
    return trig


_NO_FORMS: frozenset[str] = frozenset()


def extract_events(doc: Document) -> list[Span]:
    tokens = doc.tokens
    cues = load_cues()
    cache: dict[str, frozenset[str]] = {}  # norm -> forms: a text repeats its words

    def forms_at(j: int) -> frozenset[str]:  # shared sets: read, never changed
        if j < 0 or j >= len(tokens) or tokens[j].kind != "word":
            return _NO_FORMS
        norm = tokens[j].norm
        forms = cache.get(norm)
        if forms is None:
            forms = cache[norm] = forms_of(norm)
        return forms

    entities = doc.layers.get("entities", [])
    places = [p for p in doc.layers.get("places", []) if p.attrs.get("relation") != "demonym"]
    dates = doc.layers.get("dates", [])
    countries = {p.start for p in places if p.attrs.get("feature") in COUNTRY_FEATURES}
    entity_index = SpanIndex(entities)
    places, dates = SpanIndex(places), SpanIndex(dates)
    events: list[Span] = []
    ti = 0
    prev_orgs: list[Span] = []
    candidates = trigger_candidates(tokens)
    for sno, sent in enumerate(doc.sentences):
        while ti < len(tokens) and tokens[ti].start < sent.start:
            ti += 1
        first = ti
        while ti < len(tokens) and tokens[ti].end <= sent.end:
            ti += 1
        idx = range(first, ti)
        s_ents = entity_index.between(sent.start, sent.end)
        in_sentence = candidates[bisect_left(candidates, first):bisect_left(candidates, ti)]
        hits = find_hits(tokens, idx, forms_at, cues, in_sentence) if in_sentence else []
        if hits:
            at = {h.index for h in hits} | {j for h in hits for j in h.extra.pop("_idx", ())}
            args = collect_args(tokens, idx, forms_at, cues, s_ents, at, countries)
            for n, hit in enumerate(hits):
                events.append(build_event(doc, sno, sent, hit, hits, n, args, tokens, forms_at,
                                          places, dates, prev_orgs))
        orgs = [e for e in s_ents if e.label == "ORG"]
        prev_orgs = orgs
    return events


def trigger_candidates(tokens) -> list[int]:
    """Indices of the words whose lexicon entry is a trigger (`lexicon_trigger`, not a stop
    form): the only words `match_trigger` can take, so a sentence without one has no hit.
    Whether a word is one is read from a memo for all of a text's tokens at once (``map``
    in C: most words are known and no trigger), the words it lacks looked up and kept."""
    norms = list(map(_NORM, tokens))
    found = recall(trim_memo(_TRIGGER_MEMO, TRIGGER_MEMO), norms, lambda i: _is_trigger(norms[i]))
    return [i for i in compress(range(len(found)), found) if tokens[i].kind == "word"]


def _is_trigger(norm: str) -> bool:
    trig = lexicon_trigger(norm)
    return trig is not None and trig.type != "-"


#: entries of `trigger_candidates`' memo (a word's norm -> whether it is a trigger)
TRIGGER_MEMO = 30_000
_TRIGGER_MEMO: dict[str, bool] = {}
_NORM = attrgetter("norm")


def find_hits(tokens, idx: range, forms_at, cues, candidates: list[int]) -> list[Hit]:
    """The sentence's events (`idx`: its token indices; `candidates`: those of
    `trigger_candidates` among them)."""
    hits: list[Hit] = []
    for i in candidates:
        trig = match_trigger(tokens, i, forms_at)
        if trig is None:
            continue
        if trig.context and not any(cues["context"] & forms_at(j) for j in idx if j != i):
            continue
        if trig.ctx and not any(cues.get(trig.ctx, frozenset()) & forms_at(j) for j in idx if j != i):
            continue
        hits.append(Hit(i, trig, tokens[i].start, tokens[i].end, trig.type, trig.mode, trig.weight))
    if not hits:
        return hits
    sforms = set().union(*map(forms_at, idx))  # every reading of the sentence's words
    sports = bool(cues.get("sports", frozenset()) & sforms)
    accident = bool(cues.get("accident", frozenset()) & sforms)
    crime = bool(cues.get("crime", frozenset()) & sforms)
    kept = []
    for h in hits:
        if h.type == "ASSAULT" and (sports or accident and h.weight < STRONG_ASSAULT):
            continue  # a sports metaphor; deaths in an accident (not a bombing in one)
        if sports and h.type in SPORTS_MUTED:
            continue  # club talks, a coach praising players, a transfer refused
        if h.type == "ASSAULT" and crime and h.mode in (None, "primitive", "beat"):
            h.type, h.mode = "CRIME", None
        kept.append(h)
    hits = kept
    types = {h.type for h in hits}
    if "PROTEST" in types:
        hits = [h for h in hits if h.type != "DEMAND"]
    strong_other = any(h.type in ("ASSAULT", "COERCE") for h in hits)
    if strong_other:
        hits = [h for h in hits if not (h.type == "PROTEST" and h.weight < WEAK_PROTEST)]
    aerial = bool(AERIAL & sforms)
    suicide = any(h.mode == "suicide" for h in hits)
    for h in hits:
        if h.type == "ASSAULT" and aerial and h.mode in (None, "heavy"):
            h.mode = "aerial"
        if h.type == "ASSAULT" and suicide and h.mode in (None, "explosive"):
            h.mode = "suicide"
        mark_modifiers(tokens, h, idx, forms_at, cues)
    hits = merge_hits(hits)
    if sforms & DEMONSTRATIVES:  # else no word of the sentence can start an ellipsis
        hits += find_ellipses(tokens, idx, forms_at, hits)
    return sorted(hits, key=lambda h: h.start)


def mark_modifiers(tokens, h: Hit, idx: range, forms_at, cues) -> None:
    lo = max(idx.start, h.index - 6)
    any_before = "اي" in forms_at(h.index - 1) or "اية" in forms_at(h.index - 1)
    b_between = "ب" in tokens[h.index].clitic
    for dist, j in enumerate(range(h.index - 1, lo - 1, -1), 1):
        forms = forms_at(j)
        for w in forms & cues["negation"]:
            if dist <= NEGATION_REACH.get(w, 3) + (3 if any_before else 0):
                h.negated = True  # لم تشهد المدينة أي اشتباكات
        if forms & cues["modal"]:
            if "قد" in forms:
                if dist <= 5 and tokens[j + 1].norm.lstrip("وف")[:1] in "يتن":
                    h.hypothetical = True  # قد يؤدي ذلك إلى اشتباكات
            elif dist <= 3:
                h.hypothetical = True
        if dist <= 3 and is_future_verb(tokens[j].norm):
            h.hypothetical = True  # وستنظم المعارضة مظاهرة
        if forms & cues["threat"] and h.type != "THREATEN" and (dist <= 3 or b_between and dist <= 6):
            h.threatened, h.type = h.type, "THREATEN"  # هدد التنظيم بتنفيذ هجمات
        if tokens[j].kind == "word" and "ب" in tokens[j].clitic:
            b_between = True
    w = tokens[h.index].norm
    for s in strip_clitics(w):
        if s[:2] in ("سي", "ست", "سن") and not h.trigger.form.startswith("س") and len(s) > 4:
            h.hypothetical = True


def is_future_verb(norm: str) -> bool:
    """سيتم / وستنظم: س + an imperfect verb the word lexicon knows better without it
    (سيارة and سياسة are not futures)."""
    freq = load_wordfreq()
    for w in strip_clitics(norm):
        if len(w) >= 4 and w[0] == "س" and w[1] in "يتن":
            if freq.get(w[1:], 0) >= 20 and freq.get(w[1:], 0) >= 3 * freq.get(w, 0):
                return True
    return False


def merge_hits(hits: list[Hit]) -> list[Hit]:
    """Same-type triggers within three words are one event (هجوم انتحاري)."""
    out: list[Hit] = []
    for h in sorted(hits, key=lambda h: h.index):
        last = out[-1] if out else None
        reach = 6 if h.type == "THREATEN" and (h.threatened or last and last.threatened) else 3
        if last and last.type == h.type and h.index - last.index <= reach and last.negated == h.negated:
            if h.mode and (not last.mode or last.mode in ("heavy", "firearms") and h.mode != "firearms"):
                last.mode = h.mode
            last.weight = max(last.weight, h.weight)
            last.threatened = last.threatened or h.threatened
            last.extra.setdefault("also", []).append([h.start, h.end])
            last.extra.setdefault("_idx", []).append(h.index)
            continue
        out.append(h)
    return out


def find_ellipses(tokens, idx: range, forms_at, hits: list[Hit]) -> list[Hit]:
    """والتفجيرات التي حدثت في تركيا وتلك التي ...: the demonstrative is another event."""
    out = []
    for i in idx:
        if not (forms_at(i) & DEMONSTRATIVES and forms_at(i + 1) & RELATIVES):
            continue
        before = [h for h in hits if h.index < i]
        if not before:
            continue
        src = before[-1]
        out.append(Hit(i, src.trigger, tokens[i].start, tokens[i].end, src.type, src.mode,
                       src.weight * 0.9, src.negated, src.hypothetical, src.threatened,
                       {"ellipsis_of": [src.start, src.end]}))
    return out


class SpanIndex:
    """Spans with ``lo <= start < hi`` in time logarithmic in the layer (a scan of the whole
    layer per sentence or event made a long article quadratic). `between` lists them in
    layer order, as a scan would: by bisection when the layer is sorted by start (what the
    stages write), else by the scan."""

    def __init__(self, spans: list[Span]):
        self.spans = spans
        self.starts = [s.start for s in spans]
        self.is_sorted = all(a <= b for a, b in zip(self.starts, self.starts[1:]))

    def between(self, lo: int, hi: int) -> list[Span]:
        if not self.is_sorted:
            return [s for s in self.spans if lo <= s.start < hi]
        return self.spans[bisect_left(self.starts, lo):bisect_left(self.starts, hi)]


def nearest(spans: SpanIndex, start: int, end: int, lo: int, hi: int) -> Span | None:
    inside = spans.between(lo, hi)
    if not inside:
        return None
    after = [s for s in inside if s.start >= end]
    if after:
        return after[0]
    return max(inside, key=lambda s: s.start)


def build_event(doc: Document, sno: int, sent: Span, hit: Hit, hits: list[Hit], n: int,
                args: list[Arg], tokens, forms_at, places, dates, prev_orgs) -> Span:
    lo = hit.index
    while lo > 0 and tokens[lo - 1].start >= sent.start and tokens[lo - 1].norm not in CLAUSE_ENDS:
        lo -= 1
    if n > 0:
        lo = max(lo, hits[n - 1].index + 1)
    hi = hit.index + 1
    while hi < len(tokens) and tokens[hi].start < sent.end and tokens[hi].norm not in CLAUSE_ENDS:
        hi += 1
    if n + 1 < len(hits):
        hi = min(hi, hits[n + 1].index)
    actor, recipient = choose_args(tokens, hit, lo, hi, args, forms_at)
    confidence = hit.weight
    actor_ref = actor.ref if actor else None
    if actor_ref is None and hit.type == "PROTEST" and forms_at(hit.index) & load_cues()["actor"]:
        actor_ref = crowd_phrase(tokens, hit.index, forms_at)  # مئات المتظاهرين تجمعوا
    recipient_ref = recipient.ref if recipient else None
    if recipient_ref is None and hit.type in RECIPIENT_TYPES:
        skip = set(range(actor.first, actor.last + 1)) if actor else set()
        found = find_object_phrase(tokens, hit, lo, hi, forms_at, skip)
        if found:
            recipient_ref = {"layer": "np", "start": found[0], "end": found[1]}
    armed = [e for e in prev_orgs if is_armed_group(e)]
    if actor_ref is None and armed and hit.type in ("ASSAULT", "COERCE", "PROTEST", "THREATEN"):
        e = armed[-1]
        actor_ref = {"layer": "entities", "start": e.start, "end": e.end, "label": e.label,
                     "entity": e.attrs.get("canonical") or e.attrs.get("norm"),
                     "inferred": "previous_sentence"}
        if e.id:
            actor_ref["id"] = e.id
        confidence *= INFERRED_FACTOR
    next_start = hits[n + 1].start if n + 1 < len(hits) else sent.end
    prev_end = hits[n - 1].end if n > 0 else sent.start
    place = nearest(places, hit.start, hit.end, hit.end, next_start) or \
        nearest(places, hit.start, hit.end, prev_end, hit.start) or \
        nearest(places, hit.start, hit.end, sent.start, sent.end)
    date = nearest(dates, hit.start, hit.end, sent.start, sent.end)
    attrs: dict[str, Any] = {
        "type": hit.type,
        "mode": hit.mode,
        "trigger": doc.text[hit.start:hit.end],
        "actor": with_text(doc, actor_ref),
        "recipient": with_text(doc, recipient_ref),
        "place": place_ref(doc, place),
        "date": date_ref(doc, date),
        "when": event_day(doc, date),
        "sentence": sno,
        "sentence_start": sent.start,
        "sentence_end": sent.end,
        "negated": hit.negated,
        "hypothetical": hit.hypothetical,
        "confidence": round(confidence * (0.7 if hit.negated or hit.hypothetical else 1.0), 3),
    }
    if hit.threatened:
        attrs["threatened"] = hit.threatened
    attrs.update(hit.extra)
    return Span(hit.start, hit.end, hit.type, attrs)


def crowd_phrase(tokens, i: int, forms_at) -> dict[str, Any]:
    """The protester noun that triggered a PROTEST as its actor, with a count before it."""
    j = i
    if i > 0 and (tokens[i - 1].kind == "num" or forms_at(i - 1) & QUANTITY):
        j = i - 1
    start = tokens[j].base_start if tokens[j].kind == "word" else tokens[j].start
    return {"layer": "np", "start": start, "end": tokens[i].end}


ARMED_HEADS = ("تنظيم", "جماعة", "حركة", "حزب", "جبهة", "ميليشيا", "مليشيا", "قوات", "جيش",
               "كتاءب", "لواء", "داعش", "القاعدة", "طالبان", "الحوثي", "انصار")


def is_armed_group(e: Span) -> bool:
    name = strip_article(str(e.attrs.get("canonical") or e.attrs.get("norm") or ""))
    return name.startswith(ARMED_HEADS) or key_of_name(name) in load_actor_codes()


def with_text(doc: Document, ref: dict | None) -> dict | None:
    if ref is None:
        return None
    out = dict(ref)
    out["text"] = doc.text[ref["start"]:ref["end"]]
    return out


def place_ref(doc: Document, p: Span | None) -> dict | None:
    if p is None:
        return None
    out = {"layer": "places", "start": p.start, "end": p.end, "text": doc.text[p.start:p.end]}
    if p.id:
        out["id"] = p.id
    for k in ("name", "name_en", "country", "lat", "lon", "feature", "gazetteer_id"):
        if p.attrs.get(k) is not None:
            out[k] = p.attrs[k]
    return out


def date_ref(doc: Document, d: Span | None) -> dict | None:
    if d is None:
        return None
    out = {"layer": "dates", "start": d.start, "end": d.end, "text": doc.text[d.start:d.end]}
    if d.id:
        out["id"] = d.id
    for k in ("value", "granularity"):
        if d.attrs.get(k) is not None:
            out[k] = d.attrs[k]
    return out


def event_day(doc: Document, d: Span | None) -> str | None:
    """The event's day: its date span's value when resolved, else the publication day."""
    if d is not None and isinstance(d.attrs.get("value"), str) and d.attrs.get("granularity") == "day":
        return d.attrs["value"][:10]
    return (doc.published or "")[:10] or None
