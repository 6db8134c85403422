"""Pipeline stages, registered by name; `build_pipeline()` assembles the default pipeline.

Each stage is one line here, imported only when a pipeline uses it (so ``import rasid``
stays cheap). The default pipeline runs the stages in the order they are registered; add a
stage with ``register_stage("events", "rasid.stages.events:EventStage")`` (``default=False``
to offer it by name only). The class declares ``name``, ``reads`` and ``writes``.
"""
from __future__ import annotations

from ..pipeline import STAGES, Pipeline, Stage, create_stage, default_stage_names, register_stage

__all__ = ["DEFAULT_STAGES", "STAGES", "Pipeline", "Stage", "build_pipeline", "create_stage",
           "register_stage"]

register_stage("tokenize", "rasid.stages.tokenize:TokenizeStage")
register_stage("ner", "rasid.stages.ner:NERStage")
register_stage("resolve", "rasid.stages.resolve:ResolveStage")
register_stage("dates", "rasid.stages.dates:DateStage")
register_stage("places", "rasid.stages.places:PlaceStage")
register_stage("summarise", "rasid.stages.summarise:SummaryStage")

#: The default stages, in order.
DEFAULT_STAGES = default_stage_names()


def build_pipeline(names: tuple[str, ...] | list[str] = DEFAULT_STAGES,
                   strict: bool | None = None) -> Pipeline:
    """The stages `names`, in that order. `strict` (default: the ``strict_stages`` setting)
    checks after each stage that it changed only the layers it declares."""
    return Pipeline([create_stage(n) for n in names], strict=strict)
