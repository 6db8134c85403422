"""Pipeline stages. `build_pipeline()` assembles the default analysis pipeline."""
from __future__ import annotations

from ..pipeline import Pipeline, Stage

#: The default stages, in order. Each is imported lazily so that importing rasid stays cheap.
DEFAULT_STAGES = ("tokenize", "ner", "resolve", "dates", "places", "events", "summarise")


def create_stage(name: str) -> Stage:
    if name == "tokenize":
        from .tokenize import TokenizeStage

        return TokenizeStage()
    if name == "ner":
        from .ner import NERStage

        return NERStage()
    if name == "resolve":
        from .resolve import ResolveStage

        return ResolveStage()
    if name == "dates":
        from .dates import DateStage

        return DateStage()
    if name == "places":
        from .places import PlaceStage

        return PlaceStage()
    if name == "events":
        from .events import EventStage

        return EventStage()
    if name == "summarise":
        from .summarise import SummaryStage

        return SummaryStage()
    raise ValueError(f"unknown stage {name!r}; known: {', '.join(DEFAULT_STAGES)}")


def build_pipeline(names: tuple[str, ...] | list[str] = DEFAULT_STAGES) -> Pipeline:
    return Pipeline([create_stage(n) for n in names])
