"""Entity resolution: one entity across spellings, within an article and across the archive.

* ``names``: normalised names, phonetic skeletons, name comparison (given names vs surname).
* ``translit``: Arabic -> Latin transliteration and Latin <-> Arabic skeleton matching.
* ``aliases``: the curated alias table (``data/aliases.tsv``, versioned).
* ``roles``: titles and roles split from person names (``data/roles.txt``).
* ``resolver``: ``EntityResolver`` over an ``EntityIndex`` (in-memory now, SQLite later).
"""
from .names import compare_names, is_same_name, normalize_entity_name, skeleton_key

__all__ = ["compare_names", "is_same_name", "normalize_entity_name", "skeleton_key"]
