"""Office mentions learnt from the whole input, as `rasid ingest` learns them from its
archive (``attrs.link = office-archive``): "وزير الخارجية عادل الجبير" in one article
teaches who holds the office, and a later bare "وزير الخارجية" (an office the shipped
table does not know) becomes a mention of him. The rules are the resolver's
(`rasid.entities.resolver`: `list_written_roles`, `find_unresolved_offices`,
`choose_role_holder`, `link_office_to_holder`); what is done here is the order.

`rasid ingest` learns article by article, so an office mention is resolved from the roles
of the articles stored before it (and its own). The batch job keeps that order at scale:

1. each Python worker lists, per article, its *events* (`list_office_events`): a role
   written with an entity's name (kind 0) and an office mention left without a holder
   (kind 1);
2. Spark partitions the events by office and sorts them by input order (file, line) within
   each partition: one pass over each office's events (`resolve_in_order`) keeps who was
   seen holding it so far (`OfficeHolders`) and resolves each mention as the archive
   would at that point; memory holds one office's holders, never the input;
3. the articles that got a holder are rebuilt and linked (`link_article`: the mention
   joins the entities layer with an id of its own, ``entities:N``), and their mention rows
   replace the analysed ones.

The people seen holding an office are matched to one another as the archive matches
names to its records (`OfficeHolders`), so that two spellings of one holder are counted
together; the mention then joins the batch entity (label and matching key, as in the
``entities`` table) of the holder's fullest name.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..doc import Document, Span, assign_span_ids
from ..entities.linking import ENTITY_LAYER, OFFICE_LAYER
from ..entities.names import split_name
from ..entities.resolver import (EntityResolver, MemoryEntityIndex, choose_role_holder, compute_name_keys,
                                 find_unresolved_offices, link_office_to_holder, list_written_roles)
from ..store.base import EntityRecord
from .tables import convert_document_to_rows, convert_rows_to_document

ROLE, OFFICE = 0, 1  # event kinds; a role sorts before an office mention of the same article


def list_office_events(doc: Document) -> list[dict[str, Any]]:
    """The article's roles written with an entity's name and its office mentions left
    without a holder, as rows of the ``offices`` column (see `event_schema`)."""
    day = (doc.published or "")[:10] or None
    events = []
    for position, span in enumerate(doc.layers.get(ENTITY_LAYER, [])):
        key = span.attrs.get("key")
        if "cluster" not in span.attrs or not key:
            continue
        for role, text, _ in list_written_roles([span], day):
            events.append({"kind": ROLE, "office": role, "text": text, "position": position,
                           "label": span.label, "entity_key": key,
                           "canonical": span.attrs.get("canonical") or doc.text[span.start:span.end],
                           "day": day})
    if day:  # the archive resolves an office mention only on a known day
        offices = doc.layers.get(OFFICE_LAYER, [])
        unresolved = {id(s) for s in find_unresolved_offices(doc, ENTITY_LAYER)}
        for position, span in enumerate(offices):
            if id(span) in unresolved:
                events.append({"kind": OFFICE, "office": span.attrs["office"], "text": span.attrs["role"],
                               "position": position, "label": span.label, "entity_key": None,
                               "canonical": None, "day": day})
    return events


def event_schema() -> Any:
    from pyspark.sql import types as T

    s, i = T.StringType(), T.IntegerType()
    return T.StructType([T.StructField(n, t) for n, t in (
        ("kind", i), ("office", s), ("text", s), ("position", i), ("label", s),
        ("entity_key", s), ("canonical", s), ("day", s))])


class OfficeHolders:
    """Who was seen holding one office so far, as the archive counts it: an entity written
    with the role is matched to the records of the others by the resolver's own rules
    (`EntityResolver.find_record`: "عمر البشير" and "عمر حسن البشير" are one person, as one
    archive record), its roles counted for that record (`MemoryEntityIndex`), the record's
    name its fullest form (as the archive's canonical name)."""

    def __init__(self) -> None:
        self.index = MemoryEntityIndex()
        self.resolver = EntityResolver(self.index)

    def add_role(self, name: str, label: str, role: tuple[str, str, str | None]) -> None:
        record = self.resolver.find_record([name], label)
        if record is None:
            record = self.index.add(EntityRecord(0, name, label, ""), compute_name_keys(name, label))
        elif (len(split_name(name)), len(name)) > (len(split_name(record.canonical)), len(record.canonical)):
            record.canonical = name
        record.aliases.add(name)
        record.mention_count += 1
        self.index.update(record, compute_name_keys(name, label))
        self.add(record.id, role)

    def add(self, record_id: int, role: tuple[str, str, str | None]) -> None:
        self.index.add_roles(record_id, [role])

    def choose(self, office: str, day: str) -> tuple[dict, EntityRecord] | None:
        holder = choose_role_holder(self.index.find_role_holders(office), day)
        return (holder, self.index.records[holder["entity_id"]]) if holder else None


def resolve_in_order(events: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """The holders of the office mentions among `events` (rows with ``article_id`` and the
    event's fields, sorted by office, then input order, roles first within an article):
    ``{article_id, position, text, first_seen, last_seen, canonical}`` for each mention one
    holder stands out for. A resolved mention counts as its holder's role from then on, as
    in the archive."""
    office, holders = None, OfficeHolders()
    for e in events:
        if e["office"] != office:
            office, holders = e["office"], OfficeHolders()
        if e["kind"] == ROLE:
            holders.add_role(e["canonical"], e["label"], (e["office"], e["text"], e["day"]))
            continue
        found = holders.choose(office, e["day"])
        if found is None:
            continue
        holder, record = found
        yield {"article_id": e["article_id"], "position": e["position"], "text": holder["text"],
               "first_seen": holder["first_seen"], "last_seen": holder["last_seen"],
               "canonical": record.canonical}
        for role in list_written_roles([Span(0, 0, "PER", {"role": e["text"]})], e["day"]):
            if role[0] == office:
                holders.add(record.id, role)


def link_article(article: dict[str, Any], links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mention rows of `article` (``id``, ``text``, ``published``, ``mentions``) with its
    office mentions at `links` (positions in its offices layer) made mentions of their
    holders, in the order the archive links them."""
    doc = convert_rows_to_document(article, article["mentions"])
    offices = doc.layers.get(OFFICE_LAYER, [])
    for link in sorted(links, key=lambda x: x["position"]):
        office = offices[link["position"]]
        # a copy: the offices layer stays as the analysis wrote it, as the archive stores it
        span = Span(office.start, office.end, office.label, dict(office.attrs))
        link_office_to_holder(doc, span, ENTITY_LAYER, link, link["canonical"])
    assign_span_ids(doc, ENTITY_LAYER)
    return convert_document_to_rows(doc)[1]


def find_office_links(spark: Any, articles: Any) -> Any:
    """``(article_id, links)``: the office mentions of `articles` one holder stands out for
    (module doc, steps 1 and 2), a row per article that has any; Spark does the ordering."""
    from pyspark.sql import functions as F

    events = articles.select(F.col("id").alias("article_id"), "file", "line",
                             F.explode("offices").alias("e")).select("article_id", "file", "line", "e.*")
    # as many partitions as the job's shuffles, by number: adaptive execution would merge the
    # few events into one task, and their resolution (Python) would run on one core
    tasks = int(spark.conf.get("spark.sql.shuffle.partitions"))
    ordered = events.repartition(tasks, "office").sortWithinPartitions(
        "office", "file", "line", "article_id", "kind", "position")
    found = ordered.rdd.map(lambda r: r.asDict()).mapPartitions(resolve_in_order)
    links = spark.createDataFrame(found, "article_id string, position int, text string, "
                                         "first_seen string, last_seen string, canonical string")
    return links.groupBy("article_id").agg(
        F.collect_list(F.struct("position", "text", "first_seen", "last_seen", "canonical")).alias("links"))


def link_offices(spark: Any, articles: Any, links: Any, mention_schema: Any) -> Any:
    """The ``mentions`` rows of `articles` (exploded), those of the articles in `links`
    (`find_office_links`) rebuilt with their office mentions linked to the holders (step
    3). `links` persisted and counted is a table of known size, which Spark broadcasts to
    the articles when small instead of shuffling them."""
    from pyspark.sql import functions as F

    to_link = articles.select("id", "text", "published", "mentions").join(links, F.col("id") == F.col("article_id"))
    linked = to_link.rdd.flatMap(lambda r: link_article(r.asDict(recursive=True), [x.asDict() for x in r["links"]]))
    rest = articles.join(links, F.col("id") == F.col("article_id"), "left_anti")
    return rest.select(F.explode("mentions").alias("m")).select("m.*").unionByName(
        spark.createDataFrame(linked, mention_schema))
