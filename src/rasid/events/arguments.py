"""Actor and recipient of an event: entity spans and actor noun phrases of its clause.

Candidates (``collect_args``) are the sentence's NER entities (with their resolved entity
and, when the UniversalPetrarch actor table knows the name, a CAMEO actor code) and noun
phrases headed by an actor noun (``cues.tsv`` kind ``actor``: قوات, المتظاهرون, مدنيين)
or by a number or quantity word (3 من أفراد الشرطة, آلاف العراقيين).

``choose_args`` reads Arabic word order: after a verb the subject comes first (VSO: شنت
طائرات التحالف غارات على...), after a verbal noun its agent is the genitive (غارات
التحالف); otherwise the subject stands before the trigger (SVO). Candidates after على /
ضد / استهدف, victim-like nouns and counts of people (usually the killed or arrested) are
recipients; the subject of تعرض (suffered) is the recipient; من قبل / على يد X is the
actor. A candidate before the trigger is not taken across أن/إن (the speaker of a
reported statement is not its actor).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..doc import Span
from .lexicon import key_of_name, load_actor_codes, strip_article

PLACE_PREPS = frozenset({"في", "فوق", "قرب", "داخل", "شمال", "جنوب", "شرق", "غرب", "شمالي",
                         "جنوبي", "شرقي", "غربي", "وسط", "بين", "الي", "نحو", "حول", "عند",
                         "بالقرب", "امام", "ضواحي", "اطراف", "محيط"})
RECIPIENT_MARKS = frozenset({"علي", "ضد", "استهدف", "استهدفت", "استهدفوا", "طال", "طالت",
                             "يستهدف", "تستهدف", "بحق", "مستهدفة", "مستهدفا"})
AGENT_MARKS = (("من", "قبل"), ("علي", "يد"), ("علي", "ايدي"), ("بايدي",), ("نفذه",),
               ("نفذها",), ("نفذتهما",), ("نفذتها",), ("تبناه",), ("تبنته",), ("تبني",),
               ("بواسطة",), ("نسبه", "الي"), ("نسب", "الي"), ("شنه",), ("شنها",), ("شنته",),
               ("اطلقتها",), ("اطلقها",))
PATIENT_HEADS = frozenset(strip_article(w) for w in (
    "مدنيين", "مدنيون", "مواطنين", "مواطنون", "مواطن", "مقيم", "مقيمين", "اشخاص", "شخص",
    "شخصا", "رجل", "امراة", "اطفال", "نساء", "مصلين", "المصلين", "حجاج", "لاجءين", "سجناء",
    "اسري", "معتقلين", "رهاءن", "مسجد", "كنيسة", "مواقع", "موقع", "مقر", "مراكز", "مركز",
    "نقطة", "دورية", "قافلة", "سفارة", "مستشفي", "مدرسة", "سوق", "حافلة", "الطاءرة", "طاءرة",
    "جامع", "منزل", "منزلهم", "ثكنات", "معسكر", "قاعدة", "فندق", "قنصلية", "القنصلية"))
SUFFER_MARKS = frozenset({"تعرض", "تعرضت", "تعرضوا", "يتعرض", "تتعرض", "لها", "له"})
QUANTITY = frozenset({"الاف", "مءات", "عشرات", "المءات", "العشرات", "نحو", "حوالي", "قرابة",
                      "عدد", "عدة", "جموع", "حشد", "مءة", "الف", "اكثر",
                      "اثنين", "اثنان", "ثلاثة", "اربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة",
                      "عشرة", "ثلاث", "اربع", "خمس", "ست", "سبع", "ثماني", "تسع", "عشر"})
#: Words that end the search for a subject before the trigger (reported speech, relative).
SPEECH_BREAKS = frozenset({"ان", "انه", "انها", "بان", "بانه", "قال", "قالت", "اكد", "اكدت",
                           "افاد", "افادت", "ذكر", "ذكرت", "اعلن", "اعلنت", "اوضح", "اوضحت"})
SELF_REPORT = frozenset({"انه", "انها", "بانه", "بانها", "انهم", "بانهم"})
RECIPIENT_TYPES = ("ASSAULT", "COERCE", "CRIME")
RELATIVE_WORDS = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين", "اللاتي", "اللواتي"})
#: Types whose other party follows مع / بين (talks with, agreement between).
PARTNER_TYPES = ("CONSULT", "AGREE", "COOPERATE", "SUPPORT")
#: A number followed by one of these is not a count of people.
NOT_COUNTED = frozenset({"في", "بالماءة", "بالمءة", "الماءة", "المءة", "%", "عاما", "عام", "سنة",
                         "ساعة", "يوما", "اشهر", "ايام", "سنوات", "دقيقة", "كيلو", "متر", "مليون",
                         "مليار", "الف", "دولار", "ريال", "درجة", "شهرا", "شهر", "اسبوع"})
#: Words skipped when looking for the noun phrase after a trigger.
FILLERS = frozenset({"اليوم", "امس", "الليلة", "صباح", "مساء", "فجر", "ليل", "الجمعة", "السبت",
                     "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "ايضا", "قد", "كان",
                     "كانت", "الذي", "التي", "الاخير", "الاخيرة", "الماضي", "الماضية", "عن",
                     "اول", "اخر"})
PARTICLES = frozenset({"في", "من", "الي", "علي", "عن", "مع", "ان", "او", "ثم", "لا", "لم", "ما",
                       "بعد", "قبل", "خلال", "منذ", "حتي", "اثر", "بين", "عند", "لدي", "نحو"})


@dataclass
class Arg:
    start: int
    end: int
    first: int  # first token index
    last: int  # last token index
    agent: bool
    ref: dict[str, Any]
    quantity: bool = False


def collect_args(tokens, idx: range, forms_at, cues, s_ents: list[Span],
                 trigger_at: set[int], countries: set[int]) -> list[Arg]:
    args: list[Arg] = []
    codes = load_actor_codes()
    ent_at: dict[int, Span] = {}
    for e in s_ents:
        j = next((j for j in idx if tokens[j].end > e.start), None)
        if j is None:
            continue
        last = j
        while last + 1 < idx.stop and tokens[last + 1].start < e.end:
            last += 1
        ent_at[j] = e
        if e.label == "LOC" and not (e.start in countries or tokens[j].base_start in countries):
            continue  # a city or region is the event's place, not a party to it
        ref = {"layer": "entities", "start": e.start, "end": e.end, "label": e.label,
               "entity": e.attrs.get("canonical") or e.attrs.get("norm")}
        if e.id:
            ref["id"] = e.id  # the entity span's id, entities:<n>
        if e.attrs.get("entity_id"):
            ref["entity_id"] = e.attrs["entity_id"]
        code = codes.get(key_of_name(ref["entity"] or "")) or codes.get(
            key_of_name(" ".join(t.norm for t in tokens[j:last + 1])))
        if code:
            ref["code"] = code
        if e.start in countries or tokens[j].base_start in countries:
            ref["country_name"] = True
        args.append(Arg(e.start, e.end, j, last, True, ref))
    covered = {j for a in args for j in range(a.first, a.last + 1)}
    for j in idx:
        if j in covered or j in trigger_at or tokens[j].kind == "punct":
            continue
        forms = forms_at(j)
        heads = forms & cues["actor"]
        quantity = tokens[j].kind == "num" or bool(forms & QUANTITY)
        if not heads and not quantity:
            continue
        last = extend_phrase(tokens, j, idx, forms_at, cues, ent_at, quantity, trigger_at)
        if quantity and (last == j or forms_at(j + 1) & NOT_COUNTED
                         or tokens[j + 1].kind != "word"):
            continue
        ref: dict[str, Any] = {"layer": "np", "start": tokens[j].base_start if tokens[j].kind == "word"
                               else tokens[j].start, "end": tokens[last].end}
        for kk in range(j + 1, last + 1):
            if kk in ent_at:
                e = ent_at[kk]
                ref["entity"] = e.attrs.get("canonical") or e.attrs.get("norm")
                ref["entity_start"], ref["entity_end"] = e.start, e.end
                break
        code = codes.get(key_of_name(" ".join(t.norm for t in tokens[j:last + 1])))
        if code:
            ref["code"] = code
        words = set().union(*(forms_at(k) for k in range(j, last + 1)))
        agent = not quantity and not (words & PATIENT_HEADS)
        args.append(Arg(ref["start"], ref["end"], j, last, agent, ref, quantity))
        covered.update(range(j, last + 1))
    return sorted(args, key=lambda a: a.start)


def extend_phrase(tokens, j: int, idx: range, forms_at, cues, ent_at, quantity: bool,
                  trigger_at: set[int] = frozenset()) -> int:
    """Last token of the noun phrase headed at j: definite modifiers, a genitive entity,
    for a count the counted noun (3 من أفراد الشرطة التركية)."""
    last, k = j, j + 1
    reach = 4 if quantity else 2
    while k < idx.stop and k - j <= reach and tokens[k].kind in ("word", "num"):
        if tokens[k].norm in RELATIVE_WORDS or k in trigger_at:
            break  # التحالف العربي الذي ... / الجهات الأمنية | القبض
        if k in ent_at:
            e = ent_at[k]
            last = k
            while last + 1 < idx.stop and tokens[last + 1].start < e.end:
                last += 1
            break
        forms = forms_at(k)
        if quantity and (k == j + 1 or forms & {"من"} or forms & cues["actor"]
                         or forms_at(k - 1) & {"من"}):
            last = k
            k += 1
            continue
        if tokens[k].article and tokens[k].clitic == "" and (k == j + 1 or not (forms & cues["actor"])):
            last = k
            k += 1
            continue
        if k == j + 1 and tokens[k].kind == "word" and not tokens[k].clitic and not tokens[k].article \
                and forms & cues["actor"]:
            last = k  # مسلحو تنظيم / عناصر داعش
            k += 1
            continue
        break
    return last


def is_oblique(tokens, a: Arg, forms_at, marks=PLACE_PREPS) -> bool:
    tok = tokens[a.first]
    if "ب" in tok.clitic or "ك" in tok.clitic:
        return True
    return bool(forms_at(a.first - 1) & marks)


def has_mark(a: Arg, forms_at, marks, reach: int = 2) -> bool:
    return any(forms_at(a.first - k) & marks for k in range(1, reach + 1))


def choose_args(tokens, hit, lo: int, hi: int, args: list, forms_at):
    """(actor, recipient) Args for a trigger whose clause runs over tokens [lo, hi)."""
    actor = recipient = None
    after = [a for a in args if hit.index < a.first < hi]
    before = [a for a in args if lo <= a.last < hit.index]
    for a in after:
        if any(all(m in forms_at(a.first - len(mark) + k) for k, m in enumerate(mark))
               for mark in AGENT_MARKS):
            actor = a
            break
    for a in after:
        if a is actor:
            continue
        if has_mark(a, forms_at, SUFFER_MARKS, 3) or has_mark(a, forms_at, RECIPIENT_MARKS, 3):
            recipient = recipient or a
        elif "من" in forms_at(a.first - 1) and hit.type == "COERCE" and hit.mode == "seize":
            recipient = recipient or a
    protest = hit.type == "PROTEST"
    if recipient is None and hit.type in RECIPIENT_TYPES:
        right_before = [a for a in before if a.last == hit.index - 1 and a.quantity]
        if right_before:
            recipient = right_before[0]  # 173 مدنيا قتلوا
    if actor is None:
        for a in after[:3]:
            if a is recipient or a.first - hit.index > 3:
                continue
            if is_oblique(tokens, a, forms_at) and "ل" not in tokens[a.first].clitic:
                continue
            if has_mark(a, forms_at, RECIPIENT_MARKS | SUFFER_MARKS | {"من", "مع"}):
                continue
            if a.ref.get("label") == "LOC" and "ل" not in tokens[a.first].clitic \
                    and not a.ref.get("country_name"):
                continue
            if a.agent or protest:
                actor = a
            elif recipient is None and hit.type in RECIPIENT_TYPES:
                recipient = a
            break
    if actor is None:
        for a in reversed(before):
            between = set().union(*(forms_at(k) for k in range(a.last + 1, hit.index)))
            if between & SPEECH_BREAKS - SELF_REPORT:
                break  # the speaker of a reported statement is not its actor...
            # ...unless the statement is about the speaker: قال كيري إنه يجري محادثات
            if is_oblique(tokens, a, forms_at) or has_mark(a, forms_at, RECIPIENT_MARKS | {"من"}, 1):
                continue
            if (a.agent or protest) and a is not recipient:
                actor = a
            elif recipient is None and hit.type in RECIPIENT_TYPES and a.quantity:
                recipient = a  # 3 من أفراد الشرطة قتلوا
                continue
            break
    if recipient is None and hit.type in PARTNER_TYPES:
        recipient = next((a for a in after if a is not actor and has_mark(a, forms_at, {"مع", "بين"}, 1)
                          ), None)
    if recipient is None and hit.type in RECIPIENT_TYPES:
        start = actor.last if actor is not None and actor.first > hit.index else hit.index
        for a in after:
            if a is actor or a.first <= start or a.first - start > 4:
                continue
            if not is_oblique(tokens, a, forms_at) and not has_mark(a, forms_at, {"من", "مع"}, 1):
                recipient = a
            break
    return actor, recipient


def find_object_phrase(tokens, hit, lo: int, hi: int, forms_at, skip: set[int]):
    """(start, end) of the noun phrase a violent or coercive trigger acts on when no
    candidate was found: after على/ضد/استهدف in the clause, else right after the trigger
    (اغتيال النائب العام, قصف جامع البخاري); None when none is there."""
    marks = [k for k in range(hit.index + 1, hi) if forms_at(k) & RECIPIENT_MARKS]
    k = marks[0] + 1 if marks else hit.index + 1
    while k < hi and (k in skip or forms_at(k) & FILLERS or tokens[k].kind == "punct"):
        k += 1
    if k >= hi or tokens[k].kind != "word" or forms_at(k) & PARTICLES or tokens[k].clitic:
        return None
    if not marks and k - hit.index > 2:
        return None
    last = k
    while last + 1 < hi and last - k < 2 and tokens[last + 1].kind == "word" \
            and tokens[last + 1].article and not tokens[last + 1].clitic:
        last += 1
    return tokens[k].base_start, tokens[last].end
