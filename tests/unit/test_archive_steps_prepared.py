"""What the archive steps need of one document alone (issue 17 item 1): computed in the
worker that analysed it, carried back with the pickled document, and taken by the parent's
step only when it was computed under the same settings. On the seed article."""
from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np

from rasid.archive_steps import (CARRIED_PREFIX, NearDuplicatesStep, StoriesStep, attach_prepared,
                                 build_document_preparers)
from rasid.carried import CARRIED_ATTR
from rasid.doc import Document
from rasid.stages import build_pipeline
from rasid.stories.tracker import StoryTracker, TrackerConfig

SEED = Path(__file__).resolve().parents[1] / "resources" / "paris-2015.txt"


def analysed_seed() -> Document:
    text = SEED.read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    return build_pipeline(["tokenize"])(Document(text=body, title=title, published="2015-11-14T10:00:00"))


def carried(doc: Document) -> dict:
    """``{step name: (settings key, value)}`` that `doc` carries."""
    return {name[len(CARRIED_PREFIX):]: v for name, v in getattr(doc, CARRIED_ATTR)[1].items()
            if name.startswith(CARRIED_PREFIX)}


def test_worker_values_travel_with_the_document_and_equal_the_parents():
    steps = build_document_preparers()
    assert [s.name for s in steps] == ["resolve_entities", "near_duplicates", "stories"]
    doc = pickle.loads(pickle.dumps(attach_prepared(steps, analysed_seed())))  # as from a worker
    fresh = analysed_seed()
    near, stories = NearDuplicatesStep(), StoriesStep()
    values = carried(doc)
    assert np.array_equal(values["near_duplicates"][1], near.prepare_document(fresh))
    assert values["stories"][1] == stories.prepare_document(fresh)
    assert values["stories"][1]  # a real term vector, not an empty one
    near.prepare([doc])
    stories.prepare([doc])
    assert near._signatures[doc.id] is values["near_duplicates"][1]  # taken, not computed
    assert stories._features[doc.id][0] is values["stories"][1]
    assert stories._features[doc.id] == StoryTracker().compute_features(fresh)
    assert carried(doc) == {}  # each taken once (no entities layer: no name keys)


def test_the_parent_takes_the_carried_value_only_under_the_same_settings():
    doc = attach_prepared(build_document_preparers(), analysed_seed())
    values = getattr(doc, CARRIED_ATTR)[1]
    values["step:near_duplicates"] = (values["step:near_duplicates"][0], "from the worker")
    vector = values["step:stories"][1]
    assert NearDuplicatesStep().take_prepared(doc) == "from the worker"  # not computed again
    other = StoriesStep(StoryTracker(TrackerConfig(lead_tokens=20)))
    assert other.take_prepared(doc) == other.prepare_document(doc) != vector
    plain = analysed_seed()  # analysed in this process: nothing carried, computed here
    assert not hasattr(plain, CARRIED_ATTR)
    assert StoriesStep().take_prepared(plain) == vector


def test_a_value_carried_for_a_document_changed_since_is_computed_again():
    """The document's text, title or layers replaced (or a layer grown) after the values were
    computed: none is taken."""
    for change in ("text", "title", "layer", "span"):
        doc = pickle.loads(pickle.dumps(attach_prepared(build_document_preparers(), analysed_seed())))
        values = getattr(doc, CARRIED_ATTR)[1]
        values["step:near_duplicates"] = (values["step:near_duplicates"][0], "from the worker")
        if change == "text":
            doc.text = doc.text + " خاتمة"
        elif change == "title":
            doc.title = "عنوان آخر"
        elif change == "layer":
            doc.layers = dict(doc.layers)
        else:
            doc.layers["sentences"].append(doc.layers["sentences"][0])
        assert not isinstance(NearDuplicatesStep().take_prepared(doc), str), change
