"""Entity resolution's name keys of an article computed where it was analysed (a worker
process, issue 17 item 3: `list_name_keys`, carried by the `resolve_entities` step's
`prepare_document`) and given to the resolver of the process that stores it
(`give_name_keys`). On the seed article, analysed."""
from __future__ import annotations

import pickle

import pytest

from rasid.archive_steps import ResolveEntitiesStep, attach_prepared
from rasid.carried import CARRIED_ATTR
from rasid.doc import Document, Span
from rasid.entities.resolver import compute_name_keys, give_name_keys, list_name_keys


@pytest.fixture(scope="module")
def analysed(seed_text) -> Document:
    from rasid.monitor import Monitor

    title, _, body = seed_text.partition("\n")
    with Monitor(":memory:") as monitor:
        return monitor.analyze(Document(text=body, title=title))


def test_the_keys_of_every_cluster_name(analysed):
    keys = list_name_keys(analysed)
    names = {analysed.text[s.start:s.end] for s in analysed.layers["entities"]}
    assert {n for n, _ in keys} >= names - {""} and len(names) > 10
    compute_name_keys.cache_clear()
    assert all(compute_name_keys(n, kind) == k for (n, kind), k in keys.items())
    assert any("n:باريس" in k for k in keys.values())


def test_a_layer_to_be_clustered_is_left_to_the_resolver(analysed):
    doc = pickle.loads(pickle.dumps(analysed))
    doc.layers["entities"].append(Span(0, 5, "ORG", {}))  # no cluster: resolve() would link the layer
    assert list_name_keys(doc) is None
    assert list_name_keys(Document(text="نص بلا أسماء")) is None


def test_given_keys_are_taken_instead_of_computed(analysed):
    doc = pickle.loads(pickle.dumps(attach_prepared([ResolveEntitiesStep()], analysed)))  # as from a worker
    step = ResolveEntitiesStep()
    carried = getattr(doc, CARRIED_ATTR)[1]["step:resolve_entities"][1]
    assert carried == list_name_keys(analysed)
    name, kind = next(iter(carried))
    # a value no computation gives: only a key taken as given can return it
    carried[(name, kind)] = frozenset({"n:given"})
    compute_name_keys.cache_clear()
    step.prepare([doc])
    assert compute_name_keys(name, kind) == frozenset({"n:given"})
    give_name_keys({})
    compute_name_keys.cache_clear()
    assert compute_name_keys(name, kind) == list_name_keys(analysed)[(name, kind)]
