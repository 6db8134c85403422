"""What the archive steps need of one document alone (issue 17 item 1): computed in the
worker that analysed it, carried back with the pickled document, and taken by the parent's
step only when it was computed under the same settings. On the seed article."""
from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np

from rasid.archive_steps import (PREPARED_ATTR, NearDuplicatesStep, StoriesStep, attach_prepared,
                                 build_document_preparers)
from rasid.doc import Document
from rasid.stages import build_pipeline
from rasid.stories.tracker import StoryTracker, TrackerConfig

SEED = Path(__file__).resolve().parents[1] / "resources" / "paris-2015.txt"


def analysed_seed() -> Document:
    text = SEED.read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    return build_pipeline(["tokenize"])(Document(text=body, title=title, published="2015-11-14T10:00:00"))


def test_worker_values_travel_with_the_document_and_equal_the_parents():
    steps = build_document_preparers()
    assert [s.name for s in steps] == ["resolve_entities", "near_duplicates", "stories"]
    doc = pickle.loads(pickle.dumps(attach_prepared(steps, analysed_seed())))  # as from a worker
    fresh = analysed_seed()
    near, stories = NearDuplicatesStep(), StoriesStep()
    carried = getattr(doc, PREPARED_ATTR)
    assert np.array_equal(carried["near_duplicates"][1], near.prepare_document(fresh))
    assert carried["stories"][1] == stories.prepare_document(fresh)
    assert carried["stories"][1]  # a real term vector, not an empty one
    near.prepare([doc])
    stories.prepare([doc])
    assert np.array_equal(near._signatures[doc.id], near.prepare_document(fresh))
    assert stories._features[doc.id][0] == stories.prepare_document(fresh)
    assert stories._features[doc.id] == StoryTracker().compute_features(fresh)


def test_the_parent_takes_the_carried_value_only_under_the_same_settings():
    doc = attach_prepared(build_document_preparers(), analysed_seed())
    carried = getattr(doc, PREPARED_ATTR)
    carried["near_duplicates"] = (carried["near_duplicates"][0], "from the worker")
    assert NearDuplicatesStep().take_prepared(doc) == "from the worker"  # not computed again
    other = StoriesStep(StoryTracker(TrackerConfig(lead_tokens=20)))
    assert other.take_prepared(doc) == other.prepare_document(doc) != carried["stories"][1]
    plain = analysed_seed()  # analysed in this process: nothing carried, computed here
    assert not hasattr(plain, PREPARED_ATTR)
    assert StoriesStep().take_prepared(plain) == carried["stories"][1]
