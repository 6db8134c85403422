"""Tables of the events stage: triggers, cue words, actor codes; word-form candidates.

``data/triggers.tsv`` maps normalised word forms to a PLOVER type and mode,
``data/cues.tsv`` lists cue words by kind (negation, modal, threat, actor heads, ...),
``data/actors.tsv`` maps actor names to CAMEO actor codes (derived from the
UniversalPetrarch Arabic actor dictionary by ``python -m rasid.train.events_lexicon``).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..arabic.normalize import normalize_name

#: Verb/noun suffixes tried when a form is not found as written (longest first).
SUFFIXES = ("ات", "ون", "ين", "وا", "ان", "ة", "ه", "ها", "هم", "ت", "ا")
#: Imperfect verb prefixes (ي ت ن) and the future prefix س.
VERB_PREFIXES = ("سي", "ست", "سن", "ي", "ت", "ن")
PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                "INVESTIGATE", "DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "PROTEST",
                "CRIME", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


@dataclass(frozen=True, slots=True)
class Trigger:
    form: str
    type: str
    mode: str | None
    weight: float
    exact: bool = False
    noart: bool = False
    context: bool = False
    ctx: str | None = None
    nobnext: bool = False  # not when the next word starts with ب (تظاهر بـ = pretend)  # a cue kind one of whose words the sentence must have
    next: frozenset[str] = frozenset()
    prev: frozenset[str] = frozenset()
    notnext: frozenset[str] = frozenset()
    notprev: frozenset[str] = frozenset()


def _read_table(name: str) -> list[list[str]]:
    raw = resources.files("rasid.events").joinpath(f"data/{name}").read_text(encoding="utf-8")
    rows = []
    for lineno, line in enumerate(raw.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        rows.append([c.strip() for c in cols] + [f"{name}:{lineno}"])
    return rows


def _words(value: str) -> frozenset[str]:
    return frozenset(strip_article(normalize_name(w)) for w in value.split("|") if w)


@lru_cache(maxsize=1)
def load_triggers() -> dict[str, Trigger]:
    table: dict[str, Trigger] = {}
    for cols in _read_table("triggers.tsv"):
        where = cols[-1]
        if len(cols) != 6:
            raise ValueError(f"{where}: expected 5 tab-separated fields, got {len(cols) - 1}")
        form, typ, mode, weight, flags = cols[:5]
        if typ not in PLOVER_TYPES and typ != "-":
            raise ValueError(f"{where}: field type: unknown PLOVER type {typ!r}")
        opts: dict = {}
        for flag in ([] if flags == "-" else flags.split(",")):
            key, _, value = flag.partition("=")
            if key in ("exact", "noart", "context", "nobnext"):
                opts[key] = True
            elif key == "ctx":
                opts["ctx"] = value
            elif key in ("next", "prev", "notnext", "notprev"):
                opts[key] = _words(value)
            else:
                raise ValueError(f"{where}: field flags: unknown flag {key!r}")
        norm = normalize_name(form)
        table[norm] = Trigger(norm, typ, None if mode == "-" else mode, float(weight), **opts)
    return table


@lru_cache(maxsize=1)
def load_cues() -> dict[str, frozenset[str]]:
    kinds: dict[str, set[str]] = {}
    for cols in _read_table("cues.tsv"):
        if len(cols) != 3:
            raise ValueError(f"{cols[-1]}: expected 2 tab-separated fields")
        kinds.setdefault(cols[0], set()).add(strip_article(normalize_name(cols[1])))
    return {k: frozenset(v) for k, v in kinds.items()}


@lru_cache(maxsize=1)
def load_actor_codes() -> dict[str, str]:
    """Actor name key (``key_of_name``) -> CAMEO actor code (e.g. IRQMIL); may be empty."""
    try:
        rows = _read_table("actors.tsv")
    except FileNotFoundError:
        return {}
    return {cols[0]: cols[1] for cols in rows if len(cols) >= 3 and cols[0]}


def key_of_name(text: str) -> str:
    """Name key for the actor table, close to the dictionary's lemmas: normalised, each
    word without the article and without a plural/feminine ending (الأمريكية ~ أمريكي)."""
    words = []
    for w in normalize_name(text).replace("_", " ").split():
        w = strip_article(w)
        for suf in () if w.endswith("الله") else ("يين", "يون", "ية", "ين", "ون", "ة", "ه"):
            if w.endswith(suf) and len(w) - len(suf) >= 3:
                w = w[: -len(suf)] + ("ي" if suf.startswith("ي") else "")
                break
        if w:
            words.append(w)
    return " ".join(words)


def strip_article(word: str) -> str:
    if word.startswith("ال") and len(word) > 4:
        return word[2:]
    return word


def strip_clitics(norm: str) -> list[str]:
    """The word and its readings without و/ف, then without ب/ل/ك and the article."""
    return [w for w, _ in split_clitics(norm)]


def split_clitics(norm: str) -> list[tuple[str, bool]]:
    """``strip_clitics`` with, for each reading, whether an article was removed."""
    out = [(norm, False)]
    if len(norm) > 3 and norm[0] in "وف":
        out.append((norm[1:], False))
    for w, _ in list(out):
        if w.startswith("لل") and len(w) > 4:
            out.append((w[2:], True))
        elif w[:1] in "بلك" and w[1:3] == "ال" and len(w) > 5:
            out.append((w[3:], True))
        elif w.startswith("ال") and len(w) > 4:
            out.append((w[2:], True))
        elif w[:1] in "بلك" and len(w) > 4:
            out.append((w[1:], False))
    return out


@lru_cache(maxsize=30_000)  # 84.5 % hits; 88.5 % with 100,000 and ~20 MB more per process (bench/memory_worker.py --hit-rates)
def find_forms(norm: str) -> tuple[tuple[str, bool, bool], ...]:
    """Candidate lexicon forms of a normalised word: ``(form, exact, has_article)``.

    ``exact`` forms only lost proclitics; the others also lost a suffix or a verb prefix.
    """
    seen: dict[str, tuple[bool, bool]] = {}
    for w, art in split_clitics(norm):
        seen.setdefault(w, (True, art))
    for w, (_, art) in list(seen.items()):
        stems = [w]
        for suf in SUFFIXES:
            if w.endswith(suf) and len(w) - len(suf) >= 3:
                stems.append(w[: -len(suf)])
        for s in stems:
            seen.setdefault(s, (False, art))
            for pre in VERB_PREFIXES:
                if s.startswith(pre) and len(s) - len(pre) >= 3:
                    rest = s[len(pre):]
                    seen.setdefault(rest, (False, art))
                    if rest.startswith("ست"):
                        seen.setdefault("ا" + rest, (False, art))
    return tuple((f, ex, art) for f, (ex, art) in seen.items())


def is_future_form(norm: str) -> bool:
    """سيهاجم / وستنفذ: the future prefix س on an imperfect verb."""
    for w in strip_clitics(norm):
        if len(w) > 4 and w[0] == "س" and w[1] in "يتن":
            return True
    return False
