"""CRF features for named-entity tagging, shared by training, evaluation and the stage.

Every feature is computed from token *strings* only, so a sentence of tokens given as
text (a CoNLL file) and a sentence of ``doc.tokens`` get exactly the same features:
``describe_token(text)`` reads the string as ``rasid.arabic.tokenize`` does (its token
pattern and proclitic split) and takes the proclitic analysis (clitic, article, base) of
its first word, then caches the result.

Feature groups (see docs/ner.md for what each gained on the dev split):

* word identity: normalised form, base without proclitics, base without the article;
* clitic and article flags, prefixes and suffixes of the stem, word shape, length and
  corpus-frequency bucket (from the tokenizer's word-frequency lexicon);
* word clusters at three granularities (k-means over word2vec vectors learned from
  unlabelled news, shipped as ``models/ner/clusters.tsv.gz``);
* gazetteer matches (longest match per type over the sentence, B/I position), from
  ``models/ner/gazetteer.tsv.gz``;
* the same identity/cluster/gazetteer features of the neighbours at -2..+2 and two
  word bigrams.
"""
from __future__ import annotations

import gzip
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, groupby
from typing import Sequence

import numpy as np

from ..arabic.normalize import normalize_name
from ..arabic.tokenize import TOKEN_RE, load_wordfreq, split_proclitics

LABELS = ("PER", "ORG", "LOC", "MISC")

# Head nouns and titles that announce a name right after them (normalised, article kept
# where news writes it). Hand-written from common Arabic news usage.
TRIGGERS = {
    "ORG": "تنظيم حزب حركة جبهة جماعة منظمة صحيفة جريدة مجلة وكالة قناة شركة مؤسسة جامعة "
    "بنك مصرف اتحاد مجلس هيءة لجنة جمعية نادي فريق ائتلاف تحالف ميليشيا كتاءب "
    "الصحيفة الجريدة المجلة الوكالة القناة الشركة الحزب الحركة التنظيم الجماعة المنظمة",
    "PER": "الرئيس الملك الامير الشيخ السيد السيدة الوزير وزير رءيس نائب الزعيم القاءد "
    "المتحدث الناطق الدكتور د العاهل السلطان الجنرال اللواء العميد العقيد المستشار "
    "البابا الامام الاستاذ المهندس الكاتب الصحفي المدرب اللاعب النجم الفنان المخرج "
    "المدير رءيسة السفير المبعوث المرشح النواب النائب زعيم قاءد مراسل",
    "LOC": "مدينة مدن بلدة قرية محافظة ولاية منطقة اقليم عاصمة العاصمة جزيرة نهر جبل "
    "بحيرة صحراء مطار ميناء شارع حي مخيم دولة",
}
TRIGGER_OF = {w: t for t, ws in TRIGGERS.items() for w in ws.split()}


@dataclass
class Resources:
    """Word clusters and gazetteers read by the feature functions."""

    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # phrase (tuple of normalised words) -> types, and first word -> phrase lengths
    gazetteer: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)
    gaz_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # the first two words of every phrase of two words or more
    gaz_pairs: set[tuple[str, str]] = field(default_factory=set)


def load_clusters(raw: bytes) -> dict[str, tuple[str, ...]]:
    """word -> its cluster ids (coarse to fine). The coarser ids are clusters of the finest
    one's centroids, so there are at most as many distinct tuples as finest clusters: each
    is made once and shared by its words (89k words, 1,023 tuples: half the load time and
    17 of 28 MB less per process than a tuple per word)."""
    out: dict[str, tuple[str, ...]] = {}
    shared: dict[str, tuple[str, ...]] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if not line or line[0] == "#":
            continue
        word, _, rest = line.partition("\t")
        ids = shared.get(rest)
        if ids is None:
            ids = shared[rest] = tuple(rest.split("\t"))
        out[word] = ids
    return out


def load_gazetteer(raw: bytes) -> dict[tuple[str, ...], frozenset[str]]:
    gaz: dict[tuple[str, ...], set[str]] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        label, _, phrase = line.partition("\t")
        key = tuple(phrase.split())
        if key:
            gaz.setdefault(key, set()).add(label)
    shared: dict[frozenset[str], frozenset[str]] = {}  # 7 distinct label sets for 27k phrases
    return {k: shared.setdefault(frozenset(v), frozenset(v)) for k, v in gaz.items()}


def build_resources(clusters: dict, gazetteer: dict) -> Resources:
    lengths: dict[str, set[int]] = {}
    pairs: set[tuple[str, str]] = set()
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}  # one tuple per distinct set of lengths
    for key in gazetteer:
        lengths.setdefault(key[0], set()).add(len(key))
        if len(key) > 1:
            pairs.add(key[:2])
    return Resources(
        clusters=clusters,
        gazetteer=gazetteer,
        gaz_lengths={k: shared.setdefault(t, t) for k, v in lengths.items()
                     for t in [tuple(sorted(v, reverse=True))]},
        gaz_pairs=pairs,
    )


class _ShapeClasses(dict):
    """Character -> its class in a word shape (``str.translate`` table, filled on first
    sight): ``d`` digit, ``L`` Latin letter, ``a`` other letter, ``_`` space, the
    character itself otherwise."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch.isdigit():
            c = "d"
        elif "a" <= ch.lower() <= "z":
            c = "L"
        elif ch.isalpha():
            c = "a"
        else:
            c = ch if not ch.isspace() else "_"
        self[code] = c
        return c


_SHAPE_CLASSES = _ShapeClasses()


def _shape(text: str) -> str:
    """The word's character classes, runs of one class written once, at most 6."""
    return _runs(text.translate(_SHAPE_CLASSES))


@lru_cache(maxsize=10_000)
def _runs(classes: str) -> str:
    """`classes` with each run of one class written once, at most 6: per class string, of
    which words have few (``aaaaa``, ``dddd``, ...), so a new word mostly finds its shape
    made already."""
    return "".join([c for c, _ in groupby(classes)])[:6]


def _freq_bucket(n: int) -> str:
    if n == 0:
        return "0"
    if n < 5:
        return "1"
    if n < 50:
        return "2"
    if n < 500:
        return "3"
    if n < 5000:
        return "4"
    return "5"


@dataclass(slots=True)
class TokenInfo:
    norm: str  # normalised whole token
    base: str  # clitics stripped, article kept
    stem: str  # clitics and article stripped
    key: str  # gazetteer key for a phrase's first word (clitics stripped)
    own: tuple[str, ...]  # features of the token itself
    ctx: tuple[str, ...]  # features seen from a neighbour (prefixed by the position later)
    trig: str = ""  # PER/ORG/LOC when the word announces a name of that type
    alts: tuple[str, ...] = ()  # forms with a possible proclitic removed (بفاس -> فاس)
    skip: bool = False  # punctuation or a nisba adjective: looked through for a trigger
    # the gazetteer seen from this word (`gazetteer_entry`): the form a phrase starting here
    # is looked up by, the phrase lengths to try, or the ``g~TYPE`` features of an alternative
    gaz_first: str = ""
    gaz_lens: tuple[int, ...] = ()
    gaz_alt: tuple[str, ...] = ()
    gaz_one: tuple[tuple[str, str], ...] = ()  # the one-word entry's (type, "g:TYPE:1"), sorted

    # What the token shows its neighbours, built when asked (the CRF sums them once per word
    # form, `LinearCRF._static_scores`): not kept in the cached analysis, which is then
    # about a third smaller and quicker to make.
    @property
    def prev(self) -> tuple[str, ...]:
        """ctx as seen from the next token ("-1" prefix)."""
        return tuple(["-1" + x for x in self.ctx])

    @property
    def after(self) -> tuple[str, ...]:
        """ctx as seen from the previous token ("+1")."""
        return tuple(["+1" + x for x in self.ctx])

    @property
    def back2(self) -> tuple[str, ...]:
        """As seen from two tokens on ("-2b=", "-2trig=")."""
        return ("-2b=" + self.base, "-2trig=" + self.trig) if self.trig else ("-2b=" + self.base,)

    @property
    def ahead2(self) -> tuple[str, ...]:
        """As seen from two tokens back ("+2b=")."""
        return ("+2b=" + self.base,)


def analyse_token(text: str) -> tuple[str, str, str, bool, str]:
    """(norm, clitic, base, article, kind) of a token string, as ``rasid.arabic.tokenize``
    reads it: the proclitic analysis of its first word when the string starts with one.
    Only the tokenizer's pattern and proclitic split are run (no ``Token`` objects, no
    offsets): this is most of a new word's analysis."""
    norm = normalize_name(text)
    pieces = TOKEN_RE.finditer(text)
    first = next(pieces, None)
    if first is None:
        return norm, "", norm, False, "punct"
    more = next(pieces, None) is not None
    kind = "mixed" if more else first.lastgroup or "punct"
    if first.lastgroup == "word" and first.start() == 0:
        if not more and first.end() == len(text):  # the whole string is the word (most tokens)
            clitic, article, base = split_proclitics(norm)
            return norm, clitic, base, article, kind
        clitic, article, base = split_proclitics(normalize_name(first.group()))
        return norm, clitic, base + normalize_name(text[first.end():]), article, kind
    return norm, "", norm, False, kind  # a word after leading punctuation: no clitic analysis


#: analyses kept per word form. Each was ~40 short strings (3.2 KB); 300,000 of them made a
#: worker grow past 1 GB on 10k articles (issue 17 item 4), so 30,000 were kept (96.3 % of
#: lookups hit, against 97.1 % with 60,000 and 97.3 % unbounded: 1,500 SaudiNewsNet articles,
#: bench/memory_worker.py --hit-rates). Without the neighbour views (`TokenInfo.prev` ...,
#: built when asked) and with `ctx` sharing `own`'s strings an analysis is 1.8 KB (tracemalloc,
#: 25,000 forms), so 50,000 of them take less memory than 30,000 did. The tagger keeps its
#: analyses with its row caches instead (`ner_nn.ItemCache`: ``ROW_CACHE`` strings, made room
#: for by the table's rule); this bound is the other describers' (training, features).
DESCRIBE_CACHE = 50_000


def make_describer(res: Resources, cache: int = DESCRIBE_CACHE):
    """Return ``describe_token(text) -> TokenInfo`` using `res`, its last `cache` analyses
    kept (0: none kept; the tagger keeps them with its row caches, `ner_nn.ItemCache`)."""
    freq = load_wordfreq()
    clusters = res.clusters
    gazetteer = res.gazetteer
    # feature strings that take few values, made once: "len=N", "fq=B", and the cluster
    # features of each cluster path (shared by its words, like the paths themselves)
    lengths = ["len=" + str(n) for n in range(9)]
    cluster_feats: dict[tuple[str, ...], list[str]] = {}

    def describe_token(text: str) -> TokenInfo:
        norm, clitic, base, article, kind = analyse_token(text)
        stem = base[2:] if article and base.startswith("ال") else base
        # the tokenizer keeps a proclitic on rare words (بفاس, وبسيناء); offer the
        # stripped forms to the gazetteer and the clusters as weaker evidence
        alts: tuple[str, ...] = ()
        if kind == "word" and not clitic and not article and len(norm) >= 4 and norm[0] in "وفبلك":
            alts = (norm[1:], norm[2:]) if norm[1] in "بلك" and norm[0] in "وف" and len(norm) >= 5 else (norm[1:],)
        cl = clusters.get(base) or clusters.get(stem) or clusters.get(norm)
        if cl is None and alts:
            cl = next((clusters[a] for a in alts if a in clusters), None)
            alt_cluster = cl is not None
        else:
            alt_cluster = False
        b, k, cl_, art = "b=" + base, "k=" + kind, "cl=" + clitic, "art=1" if article else "art=0"
        own = [
            "w=" + norm,
            b,
            "s=" + stem,
            k,
            "sh=" + _shape(text),
            cl_,
            art,
            lengths[min(len(stem), 8)],
            "fq=" + _freq_bucket(freq.get(base, 0)),
            "p2=" + stem[:2],
            "p3=" + stem[:3],
            "x1=" + stem[-1:],
            "x2=" + stem[-2:],
            "x3=" + stem[-3:],
        ]
        if alt_cluster:
            own.append("c~")
        ctx = [b, cl_, art]  # the same string objects as in `own`
        trig = TRIGGER_OF.get(base) or TRIGGER_OF.get(stem)
        if trig:
            t = "trig=" + trig
            own.append(t)
            ctx.append(t)
        if stem.endswith("ي") or stem.endswith("ية"):
            own.append("nisba")
        if cl:
            cs = cluster_feats.get(cl)
            if cs is None:
                cs = cluster_feats[cl] = [f"c{i}={c}" for i, c in enumerate(cl)]
            own.extend(cs)
            ctx.append(cs[1])
            ctx.append(cs[2])
        else:
            own.append("c=none")
        if kind != "word":
            ctx.append(k)
        skip = kind == "punct" or (article and (stem.endswith("ي") or stem.endswith("ية")) and not trig)
        # tuples of strings: the cyclic garbage collector stops tracking them, so a cache
        # of 300k analyses does not slow every full collection down
        key = base if clitic else norm
        return TokenInfo(norm, base, stem, key, tuple(own), tuple(ctx), trig or "", alts, skip,
                         *gazetteer_entry(key, base, stem, alts, res.gaz_lengths, gazetteer))

    return lru_cache(maxsize=cache)(describe_token) if cache else describe_token


def gazetteer_entry(key: str, base: str, stem: str, alts: tuple[str, ...], lengths: dict, gaz: dict
                    ) -> tuple[str, tuple[int, ...], tuple[str, ...], tuple[tuple[str, str], ...]]:
    """How a phrase starting with a word is looked up: ``(first form, lengths to try, (),
    one-word entry)`` by the word's key, else its base, else its stem (the one-word entry:
    ``(type, "g:TYPE:1")`` of each type of that form alone, sorted); with none of them a
    phrase's first word, ``("", (), g~TYPE features, ())`` of the first proclitic-stripped
    alternative that is a one-word entry (none: ``()``). Fixed per word form, so kept in
    its ``TokenInfo``."""
    first = key
    lens = lengths.get(first)
    if lens is None and first != base:
        first = base
        lens = lengths.get(first)
    if lens is None:
        first = stem
        lens = lengths.get(first)
    if lens is not None:
        return first, lens, (), tuple((t, f"g:{t}:1") for t in sorted(gaz.get((first,), ())))
    for alt in alts:
        if (alt,) in gaz:
            return "", (), tuple(f"g~{t}" for t in sorted(gaz[(alt,)])), ()
    return "", (), (), ()


def match_gazetteer(infos: Sequence[TokenInfo], res: Resources) -> list[list[str]]:
    """Longest gazetteer match per type; features ``g:TYPE:B|I`` (+ ``:1`` for 1-word)."""
    return [list(f) for f in match_sentences(infos, [len(infos)], res)]


def match_sentences(infos: Sequence[TokenInfo], ends: Sequence[int], res: Resources,
                    norms: Sequence[str] | None = None) -> list:
    """``match_gazetteer`` of sentences given one after the other (`ends`: where each ends;
    `norms`: each token's ``norm``, when the caller has them): one feature list per token,
    or ``()`` for a token with none. Only the words a phrase can start with (or whose
    alternative is an entry) are looked at."""
    gaz = res.gazetteer
    out: list = [()] * len(infos)

    def add(k: int, feats) -> None:
        if out[k]:
            out[k].extend(feats)
        else:
            out[k] = list(feats)

    pairs = res.gaz_pairs
    norms = [x.norm for x in infos] if norms is None else norms
    last = len(infos)
    covered: dict[str, int] = {}  # type -> end of its last match (never past its sentence)
    for i in [k for k, x in enumerate(infos) if x.gaz_lens or x.gaz_alt]:
        x = infos[i]
        if not x.gaz_lens:
            add(i, x.gaz_alt)
            continue
        first = x.gaz_first
        # phrases of two words or more, longest first: can one start here (its first two
        # words, then the sentence's end, looked up only for the few that pass)?
        if x.gaz_lens[0] > 1 and i + 1 < last and (first, norms[i + 1]) in pairs \
                and i + 1 < (n := ends[bisect_right(ends, i)]):
            for L in x.gaz_lens:
                if L == 1 or i + L > n:
                    continue
                types = gaz.get((first, *norms[i + 1:i + L]))
                if not types:
                    continue
                for t in sorted(types):
                    if covered.get(t, -1) > i:
                        continue
                    covered[t] = i + L
                    add(i, (f"g:{t}:B",))
                    for j in range(i + 1, i + L):
                        add(j, (f"g:{t}:I",))
        for t, feature in x.gaz_one:  # the word alone, last
            if covered.get(t, -1) <= i:
                covered[t] = i + 1
                if out[i]:
                    out[i].append(feature)
                else:
                    out[i] = [feature]
    return out


def extract_features(tokens: Sequence[str], describe, res: Resources, infos: Sequence[TokenInfo] | None = None,
                     gaz: list[list[str]] | None = None) -> list[list[str]]:
    """Feature lists (one per token) for a sentence given as token strings (`infos` and
    `gaz`, when the caller has them already: ``describe`` of each token and
    ``match_gazetteer``). A token's list is its own features, what its neighbours at
    -2..+2 show of themselves (``TokenInfo.prev``/``after``/``back2``/``ahead2``: fixed per
    token string) and the features that depend on the sentence (``sentence_features``)."""
    if infos is None:
        infos = [describe(t) for t in tokens]
    if gaz is None:
        gaz = match_gazetteer(infos, res)
    n = len(infos)
    feats: list[list[str]] = []
    for i, info in enumerate(infos):
        f = ["bias"]
        f.extend(info.own)
        f.extend(sentence_features(infos, gaz, i))
        if i > 0:
            f.extend(infos[i - 1].prev)
        if i > 1:
            f.extend(infos[i - 2].back2)
        if i < n - 1:
            f.extend(infos[i + 1].after)
        if i < n - 2:
            f.extend(infos[i + 2].ahead2)
        feats.append(f)
    return feats


def sentence_features(infos: Sequence[TokenInfo], gaz: list[list[str]], i: int) -> list[str]:
    """The features of token `i` that depend on more than one token string: gazetteer
    matches (its own and its neighbours'), the trigger seen through punctuation and
    nisba adjectives, word bigrams, and the sentence edges."""
    info = infos[i]
    f = list(gaz[i])
    f.extend(ptrig(infos, i))
    if i == 0:
        f.append("BOS")
    else:
        if gaz[i - 1]:
            f.extend("-1" + x for x in gaz[i - 1])
        f.append("-1w|w=" + infos[i - 1].norm + "|" + info.norm)
    if i == len(infos) - 1:
        f.append("EOS")
    else:
        if gaz[i + 1]:
            f.extend("+1" + x for x in gaz[i + 1])
        f.append("w|+1w=" + info.norm + "|" + infos[i + 1].norm)
    return f


def ptrig(infos: Sequence[TokenInfo], i: int) -> list[str]:
    """``ptrig=TYPE`` when the nearest trigger up to 4 tokens before token `i` is seen
    through punctuation and nisba adjectives (الرئيس الفرنسي، فرانسوا -> PER); not for a
    trigger right before it (that is the ``-1trig`` feature)."""
    for j in range(i - 1, max(i - 5, -1), -1):
        pj = infos[j]
        if pj.trig:
            return ["ptrig=" + pj.trig] if j < i - 1 else []
        if not pj.skip:
            return []
    return []


class TokenBatch:
    """The sentences of one call, flattened: every token's string and analysis (the
    distinct strings too, which the per-string caches are asked for), its
    gazetteer features (``match_gazetteer`` of its sentence) and ``ptrig`` features (a
    sequence each, ``()`` for none; ``featured``: the tokens that have any), and the
    sentence lengths. Built once per call and read
    by the CRF and the networks. `doc_sizes`: the sentences of each document, in order,
    when they come from several (`document_features` reads each document alone); else one."""

    def __init__(self, sentences: Sequence[Sequence[str]], describe, res: Resources, describe_all=None,
                 doc_sizes: Sequence[int] | None = None):
        self.lengths = [len(s) for s in sentences]
        self.doc_sizes = [len(sentences)] if doc_sizes is None else list(doc_sizes)
        if sum(self.doc_sizes) != len(sentences):
            raise ValueError(f"doc_sizes {self.doc_sizes} do not add up to {len(sentences)} sentences")
        self.tokens = [t for s in sentences for t in s]
        ids: dict[str, int] = {}
        # the distinct token strings (first seen first), their analyses, and each token's string
        self.string_of = np.array([ids.setdefault(t, len(ids)) for t in self.tokens], np.int64)
        self.strings = list(ids)
        # `describe_all`: the analyses of the distinct strings at once (the tagger's, kept
        # with its row caches); else `describe` of each
        self.string_infos: list[TokenInfo] = (describe_all(self.strings) if describe_all is not None
                                              else list(map(describe, self.strings)))
        self.infos: list[TokenInfo] = [self.string_infos[i] for i in self.string_of.tolist()]
        self.norms = [x.norm for x in self.infos]  # read by the gazetteer, the CRF's bigrams and the tagger
        self.ends = list(accumulate(self.lengths))
        infos, ends = self.infos, self.ends
        self.gaz = match_sentences(infos, ends, res, self.norms)  # per token: its features, or ()
        self.ptrig: list = [()] * len(infos)  # per token: (ptrig=TYPE,) or ()
        for j in [k for k, x in enumerate(infos) if x.trig]:  # see `ptrig`: the same rule, from the trigger on
            end = ends[bisect_right(ends, j)]
            k = j + 1
            while k < end - 1 and k <= j + 3 and infos[k].skip and not infos[k].trig:
                self.ptrig[k + 1] = ("ptrig=" + infos[j].trig,)
                k += 1
        # the tokens with gazetteer or ptrig features, in order
        self.featured = [k for k, (g, t) in enumerate(zip(self.gaz, self.ptrig)) if g or t]

    def sentences(self, rows: Sequence) -> list:
        """`rows` (one per token, in order) cut into the sentences."""
        return [rows[e - n:e] for n, e in zip(self.lengths, self.ends)]


def extract_entities(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity chunks ``(start, end, type)`` from BIO tags, as conlleval reads them
    (an ``I-X`` after ``O`` or after another type starts a new chunk)."""
    chunks: list[tuple[int, int, str]] = []
    start, typ = -1, ""
    for i, tag in enumerate(list(tags) + ["O"]):
        if tag == "O":  # most tags: it only ends a chunk
            if typ:
                chunks.append((start, i, typ))
                typ = ""
            continue
        prefix, _, t = tag.partition("-")
        begins = prefix == "B" or (prefix == "I" and t != typ)
        if typ and begins:
            chunks.append((start, i, typ))
            typ = ""
        if begins:
            start, typ = i, t
    return chunks


#: words at least this frequent in the tokenizer's corpus are not looked at by the
#: document-level features (``document_features``) nor by the document-level pass
#: (``rasid.stages.ner.propagate_entities``): one cut-off for both.
DOC_MAX_FREQ = 3000


def document_features(batch: TokenBatch, window: int) -> list:
    """Per token of `batch`, its sentences read as running text: what the other mentions of
    the same word (its base, clitics stripped) within `window` sentences either side show,
    as features of this one (docs/ner.md, "Document-level features in the CRF"): ``D:trig=TYPE``, a
    trigger right before another mention (الرئيس هولاند there, هولاند alone here);
    ``D:ptrig=TYPE``, one seen through punctuation and nisba adjectives; ``D:g:TYPE``,
    another mention inside a gazetteer phrase of that type; ``D:-1b=W`` / ``D:+1b=W``, the
    word before / after another mention (قال هولاند there); ``D:rep``, the word recurs.
    ``()`` for a token with none. Only words below ``DOC_MAX_FREQ`` that are not triggers
    are looked at; nothing depends on the tags, so training and tagging compute the same.
    The documents of a batch (``batch.doc_sizes``) are read each alone: a sentence's place
    counts `window` + 1 more for each document before its own, so no window reaches another."""
    infos, gaz, ptr = batch.infos, batch.gaz, batch.ptrig
    freq = load_wordfreq()
    gap = [d * (window + 1) for d, n in enumerate(batch.doc_sizes) for _ in range(n)]
    sent_of = [s + gap[s] for s, n in enumerate(batch.lengths) for _ in range(n)]
    mentions: dict[str, list[int]] = {}
    for k, x in enumerate(infos):
        # own[3] is the token's kind ("k=word": a word, not a number, punctuation or a mixed token)
        if not x.trig and not x.skip and x.base and freq.get(x.base, 0) < DOC_MAX_FREQ and x.own[3] == "k=word":
            mentions.setdefault(x.base, []).append(k)
    out: list = [()] * len(infos)
    for ks in mentions.values():
        if len(ks) < 2:
            continue
        shows = []
        for k in ks:
            f = set(ptr[k])
            if k and sent_of[k - 1] == sent_of[k]:
                f.add("-1b=" + infos[k - 1].base)
                if infos[k - 1].trig:
                    f.add("trig=" + infos[k - 1].trig)
            if k + 1 < len(infos) and sent_of[k + 1] == sent_of[k]:
                f.add("+1b=" + infos[k + 1].base)
            f.update(g.rsplit(":", 1)[0] for g in gaz[k] if g[-1] in "BI")
            shows.append(f)
        starts = [sent_of[k] for k in ks]
        for a, k in enumerate(ks):
            lo, hi = bisect_right(starts, sent_of[k] - window - 1), bisect_right(starts, sent_of[k] + window)
            if hi - lo < 2:
                continue
            seen = set().union(*(shows[b] for b in range(lo, hi) if b != a))
            out[k] = ("D:rep", *sorted("D:" + f for f in seen))
    return out
