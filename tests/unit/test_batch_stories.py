"""The batch job's stories are connected components of the similar-pair graph, labelled
with their smallest article id: `label_components` (the driver's union-find) against a
breadth-first search, on graphs whose components are long chains (the min-label
propagation the job used before stopped after 30 rounds) and random ones."""
from __future__ import annotations

import random

from rasid.batch.derive import label_components


def components_by_search(pairs: list[tuple[str, str]]) -> dict[str, str]:
    neighbours: dict[str, set[str]] = {}
    for a, b in pairs:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    label: dict[str, str] = {}
    for start in neighbours:
        if start in label:
            continue
        seen, todo = {start}, [start]
        while todo:
            for nxt in neighbours[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        for node in seen:
            label[node] = min(seen)
    return label


def make_ids(rng: random.Random, n: int) -> list[str]:
    return [f"{rng.getrandbits(64):016x}" for _ in range(n)]  # as article ids: 16 hex


def test_a_long_chain_is_one_story_under_its_smallest_id():
    rng = random.Random(7)
    ids = make_ids(rng, 200)
    chain = [(ids[i], ids[i + 1]) for i in range(len(ids) - 1)]  # diameter 199
    rng.shuffle(chain)
    labels = label_components(chain)
    assert set(labels) == set(ids) and set(labels.values()) == {min(ids)}


def test_random_graphs_have_the_components_a_search_finds():
    rng = random.Random(11)
    for n, m in ((50, 20), (300, 250), (1000, 990), (500, 2000)):
        ids = make_ids(rng, n)
        pairs = [tuple(sorted(rng.sample(ids, 2))) for _ in range(m)]
        labels = label_components(pairs)
        assert labels == components_by_search(pairs)
    assert label_components([]) == {}
