"""Within-article linking: group one article's entity spans into clusters.

Order of evidence: the curated alias table (داعش = تنظيم الدولة), then name comparison
(``compare_names``: spelling variants, given names vs surname). A lone name part
(مصطفاي) joins the one longer name of the same type that contains a matching part; when
two or more longer names match (بشار الأسد and حافظ الأسد, then الأسد) it stays on its own,
marked ``ambiguous``. Roles written before a person's name are split off first.

An office named without a name (ولي العهد، وزير الخارجية السعودي) becomes a PER mention of
its holder on the article's day when the shipped office table knows one (attrs ``office``,
``role``, ``holder``, ``link`` = ``office`` and ``office_source``); one the table does not
know goes to the ``offices`` layer, for the archive to resolve (``rasid.entities.resolver``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..doc import Document, Span
from .acronyms import find_acronym_pairs
from .aliases import AliasEntry, find_alias
from .names import NameMatch, compare_names, normalize_entity_name, split_name
from .offices import find_office_holder, find_office_mentions
from .roles import find_role, name_start_after, split_leading_role
from .short_forms import add_headed_mentions, add_table_mentions, find_short_form_pairs

ENTITY_LAYER = "entities"
#: office mentions whose holder the office table does not know (the archive may)
OFFICE_LAYER = "offices"


@dataclass
class Cluster:
    index: int
    type: str
    alias: AliasEntry | None = None
    spans: list[Span] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # distinct display forms, as written
    ambiguous: bool = False
    _seen: set[str] = field(default_factory=set, repr=False)

    def add(self, span: Span, name: str) -> None:
        self.spans.append(span)
        if name not in self._seen:
            self._seen.add(name)
            self.names.append(name)

    @property
    def longest(self) -> str:
        return max(self.names, key=lambda n: (len(split_name(n)), len(n)))

    @property
    def canonical(self) -> str:
        return self.alias.canonical if self.alias else self.longest

    @property
    def key(self) -> str:
        return normalize_entity_name(self.canonical)


def mention_name(doc: Document, span: Span) -> str:
    """The surface form of a mention, as written (clitics are already outside the span)."""
    return doc.text[span.start:span.end].strip(" \u060c,:\"'«»()")


def linked_name(doc: Document, span: Span) -> str:
    """The name a mention is linked by: an office mention's holder, else `mention_name`."""
    return span.attrs.get("holder") or mention_name(doc, span)


def add_office_mentions(doc: Document, layer: str = ENTITY_LAYER) -> list[Span]:
    """Add the article's nameless office mentions to the layer (`find_office_mentions`),
    each with its holder on the article's day where the office table knows one."""
    spans = doc.layers.get(layer, [])
    found = find_office_mentions(doc, spans)
    if not found:
        return []
    day = (doc.published or "")[:10] or None
    known, unknown = [], []
    for span in found:
        office = find_office_holder(span.attrs["office"], day)
        if office is not None:
            span.attrs.update(holder=office.holder, link="office", office_source=office.describe())
            known.append(span)
        else:
            unknown.append(span)
    if known:
        spans += known
        spans.sort(key=lambda s: (s.start, s.end))
        doc.layers[layer] = spans
    if unknown:
        doc.layers[OFFICE_LAYER] = unknown
    return found


def split_roles(doc: Document, span: Span) -> None:
    """Record a PER span's role (attrs role, role_start, role_end); trim it off the span."""
    inner = split_leading_role(doc, span)
    if inner is not None:
        start = name_start_after(doc, inner[1])
        if start < span.end:
            span.attrs.update(role=doc.text[inner[0]:inner[1]], role_start=inner[0], role_end=inner[1])
            span.start = start
            span.attrs.pop("norm", None)
            return
    before = find_role(doc, span)
    if before is not None:
        span.attrs.update(role=doc.text[before[0]:before[1]], role_start=before[0], role_end=before[1])


def _compatible(cluster: Cluster, kind: str, alias: AliasEntry | None) -> bool:
    if alias is not None or cluster.alias is not None:
        return cluster.alias is alias and alias is not None
    return cluster.type == kind


#: at most this many of the latest clusters are compared with a new name, so that an
#: article with thousands of distinct names stays linear (real articles have far fewer)
MAX_COMPARED_CLUSTERS = 300


def _choose_cluster(clusters: list[Cluster], name: str, kind: str, alias: AliasEntry | None,
                    n_parts: int) -> Cluster:
    """The cluster a new distinct name joins (appended to `clusters` when it is new)."""
    target: Cluster | None = None
    recent = clusters[-MAX_COMPARED_CLUSTERS:]
    compared: dict[str, NameMatch] = {}  # form -> compare_names(form, name, kind), asked once

    def compare(form: str) -> NameMatch:
        found = compared.get(form)
        if found is None:
            found = compared[form] = compare_names(form, name, kind)
        return found

    if alias is not None:
        target = next((c for c in clusters if c.alias is alias), None)
        if target is None:
            # an earlier name-only cluster may hold a form of this entity
            target = next((c for c in recent if c.alias is None and c.type == kind and
                           any(compare_names(n, alias.canonical, kind).relation == "same" for n in c.names)), None)
            if target is not None:
                target.alias = alias
    else:
        best, best_score, matches = None, 0.0, []
        for c in recent:
            if not _compatible(c, kind, None) and not (c.alias and c.alias.type == kind):
                continue
            forms = c.names + ([c.alias.canonical] if c.alias else [])
            for f in forms:
                m = compare(f)
                if m.relation == "same" or (m.relation == "subset" and n_parts == 1):
                    matches.append(c)
                    if m.score > best_score:
                        best, best_score = c, m.score
                    break
        distinct = {id(c) for c in matches}
        if len(distinct) == 1:
            target = best
        elif len(distinct) > 1:
            target = None if n_parts == 1 else best  # an ambiguous lone name: own cluster
    if target is None:
        target = Cluster(len(clusters), kind, alias)
        if alias is None and n_parts == 1 and kind == "PER":
            target.ambiguous = any(compare(f).relation == "subset" for c in recent for f in c.names)
        clusters.append(target)
    return target


@lru_cache(maxsize=1)
def load_non_entities() -> dict[str, frozenset[str]]:
    """``data/non_entities.txt``: section (exact / head) -> normalised forms."""
    raw = resources.files("rasid.entities").joinpath("data/non_entities.txt").read_text("utf-8")
    sections: dict[str, set[str]] = {"exact": set(), "head": set()}
    current = "exact"
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
        elif line:
            sections.setdefault(current, set()).add(normalize_entity_name(line))
    return {k: frozenset(v) for k, v in sections.items()}


def is_non_entity(name: str) -> bool:
    """A formula, a currency or an agency byline (الله، ريال سعودي، أ ف ب): not an entity."""
    key = normalize_entity_name(name)
    table = load_non_entities()
    return key in table["exact"] or key.split(" ", 1)[0] in table["head"]


#: a name part that never ends a name: it joins the next word (محسن أبو | الخير)
_JOINS_NEXT = {"عبد", "ابو", "ابي", "ابا", "ام", "بن", "ابن", "بنت"}


def join_split_names(doc: Document, layer: str = ENTITY_LAYER) -> None:
    """Join two PER spans that one name was cut into after a part that needs the next
    word (محسن أبو + الخير, عبد + الله): the first grows, the second is dropped."""
    spans = doc.layers.get(layer, [])
    i = 0
    while i + 1 < len(spans):
        a, b = spans[i], spans[i + 1]
        words = normalize_entity_name(doc.text[a.start:a.end]).split()
        if a.label == b.label == "PER" and words and doc.text[a.end:b.start].strip() == "" and \
                doc.text[a.start:a.end].split()[-1:] and \
                normalize_entity_name(doc.text[a.start:a.end].split()[-1]) in _JOINS_NEXT:
            a.end = b.end
            a.attrs.pop("norm", None)
            del spans[i + 1]
            continue
        i += 1


def link_mentions(doc: Document, layer: str = ENTITY_LAYER) -> list[Cluster]:
    """Drop the non-entities (`is_non_entity`) from the layer, cluster the article's entity
    spans and annotate each span (see ResolveStage)."""
    spans = doc.layers.get(layer, [])
    if any(is_non_entity(mention_name(doc, s)) for s in spans):
        spans = doc.layers[layer] = [s for s in spans if not is_non_entity(mention_name(doc, s))]
    join_split_names(doc, layer)
    if add_table_mentions(doc, spans) + add_headed_mentions(doc, spans):
        doc.layers[layer] = spans
    pairs = [(a, b, "parenthesis") for a, b in find_acronym_pairs(doc, spans)] if spans else []
    pairs += [(a, b, "same-article") for a, b in find_short_form_pairs(doc, spans)]
    for span in spans:
        if span.label == "PER" and "office" not in span.attrs:
            split_roles(doc, span)
    if OFFICE_LAYER not in doc.layers and not any("office" in s.attrs for s in spans):
        add_office_mentions(doc, layer)
        spans = doc.layers.get(layer, [])
    items = []
    for pos, span in enumerate(spans):
        name = linked_name(doc, span)
        if not normalize_entity_name(name):
            continue
        items.append((span, name, find_alias(name), len(split_name(name)), pos))
    # alias-table names first, then longer names, then text order
    items.sort(key=lambda it: (it[2] is None, -it[3], it[4]))
    clusters: list[Cluster] = []
    # a name written again (same form, same type) goes where its first mention went: the
    # comparisons below then grow with the distinct names, not with every mention
    decided: dict[tuple[str, str], Cluster] = {}
    for span, name, alias, n_parts, _ in items:
        kind = alias.type if alias else span.label
        target = decided.get((name, span.label))
        if target is None:
            target = _choose_cluster(clusters, name, kind, alias, n_parts)
            decided[(name, span.label)] = target
        target.add(span, name)
    clusters = merge_acronym_clusters(doc, clusters, pairs)
    for c in clusters:
        key, canonical = c.key, c.canonical  # once per cluster, not per mention
        for span in c.spans:
            name = linked_name(doc, span)
            span.attrs["key"] = key
            span.attrs["canonical"] = canonical
            span.attrs["cluster"] = c.index
            if normalize_entity_name(name) != key:
                span.attrs["alias_of"] = canonical
            if c.ambiguous:
                span.attrs["ambiguous"] = True
    return clusters


def merge_acronym_clusters(doc: Document, clusters: list[Cluster],
                           pairs: list[tuple[Span, Span, str]]) -> list[Cluster]:
    """Put each short form into its organisation's cluster: written in parentheses/quotes
    (`find_acronym_pairs`; the short form's spans get ``link`` = ``parenthesis``) or alone
    after the full name with a generic head (`find_short_form_pairs`, ``same-article``)."""
    if not pairs:
        return clusters
    owner = {id(span): c for c in clusters for span in c.spans}
    for long_span, short_span, link in pairs:
        big, small = owner.get(id(long_span)), owner.get(id(short_span))
        if big is None or small is None or big is small:
            continue
        if (big.alias is not None and small.alias is not None) or big.type != small.type:
            continue  # the alias table already knows both, as two entities
        for span in small.spans:
            big.add(span, linked_name(doc, span))
            if link == "parenthesis":
                span.attrs["link"] = link
            owner[id(span)] = big
        big.alias = big.alias or small.alias
        small.spans, small.names = [], []
    return [c for c in clusters if c.spans]


def is_same_entity(a: str, b: str, kind: str = "PER") -> bool:
    """Context-free decision on a pair of names: alias table first, then the name rules.

    A lone name part counts as the same as the full name it fits (هولاند / فرانسوا هولاند);
    in documents that link is only made when the context leaves one candidate."""
    ea, eb = find_alias(a), find_alias(b)
    if ea is not None and eb is not None:
        return ea is eb
    if any(e is not None and e.type != kind for e in (ea, eb)):
        return False  # a person in the table is never a place of the same sound (أولاند / هولندا)
    m = compare_names(a, b, kind)
    if m.relation in ("same", "subset"):
        return True
    # one side in the table: compare the other with every listed form
    entry, other = (ea, b) if ea is not None else (eb, a) if eb is not None else (None, None)
    if entry is not None:
        return any(compare_names(f, other, kind).relation == "same" for f in entry.forms
                   if f and not f.isascii())
    return False
