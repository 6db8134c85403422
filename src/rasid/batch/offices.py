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
   seen holding it so far (`MemoryEntityIndex`'s roles) and resolves each mention as the
   archive would at that point; memory holds one office's holders, never the input;
3. the articles that got a holder are rebuilt and linked (`link_article`: the mention
   joins the entities layer with an id of its own, ``entities:N``), and their mention rows
   replace the analysed ones.

An entity here is the batch's (label and matching key, as in the ``entities`` table),
where the archive's record may join several keys; the difference shows only where that
changes which holder stands out (`bench/batch_parity.py` counts what differs).
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..doc import Document, Span, assign_span_ids
from ..entities.linking import ENTITY_LAYER, OFFICE_LAYER
from ..entities.resolver import (MemoryEntityIndex, choose_role_holder, find_unresolved_offices,
                                 link_office_to_holder, list_written_roles)
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


def resolve_in_order(events: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """The holders of the office mentions among `events` (rows with ``article_id`` and the
    event's fields, sorted by office, then input order, roles first within an article):
    ``{article_id, position, text, first_seen, last_seen, canonical}`` for each mention one
    holder stands out for. A resolved mention counts as its holder's role from then on, as
    in the archive."""
    office, roles, names = None, MemoryEntityIndex(), {}
    for e in events:
        if e["office"] != office:
            office, roles, names = e["office"], MemoryEntityIndex(), {}
        if e["kind"] == ROLE:
            entity = (e["label"], e["entity_key"])
            names[entity] = e["canonical"]
            roles.add_roles(entity, [(e["office"], e["text"], e["day"])])
            continue
        holder = choose_role_holder(roles.find_role_holders(office), e["day"])
        if holder is None:
            continue
        entity = holder["entity_id"]
        yield {"article_id": e["article_id"], "position": e["position"], "text": holder["text"],
               "first_seen": holder["first_seen"], "last_seen": holder["last_seen"],
               "canonical": names[entity]}
        learnt = list_written_roles([Span(0, 0, "PER", {"role": e["text"]})], e["day"])
        roles.add_roles(entity, [r for r in learnt if r[0] == office])


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


def link_offices(spark: Any, articles: Any, mention_schema: Any) -> Any:
    """The ``mentions`` rows of `articles` (exploded), with the office mentions learnt
    from the whole input linked to their holders (module doc); Spark does the ordering."""
    from pyspark.sql import functions as F

    events = articles.select(F.col("id").alias("article_id"), "file", "line",
                             F.explode("offices").alias("e")).select("article_id", "file", "line", "e.*")
    ordered = events.repartition("office").sortWithinPartitions(
        "office", "file", "line", "article_id", "kind", "position")
    found = ordered.rdd.map(lambda r: r.asDict()).mapPartitions(resolve_in_order)
    links = spark.createDataFrame(found, "article_id string, position int, text string, "
                                         "first_seen string, last_seen string, canonical string")
    by_article = links.groupBy("article_id").agg(
        F.collect_list(F.struct("position", "text", "first_seen", "last_seen", "canonical")).alias("links"))
    linked = (articles.select("id", "text", "published", "mentions")
              .join(by_article, articles.id == by_article.article_id)
              .rdd.flatMap(lambda r: link_article(r.asDict(recursive=True),
                                                  [x.asDict() for x in r["links"]])))
    rest = articles.join(by_article, articles.id == by_article.article_id, "left_anti")
    return rest.select(F.explode("mentions").alias("m")).select("m.*").unionByName(
        spark.createDataFrame(linked, mention_schema))
