"""The resolve stage: one entity across spellings within an article.

Reads the NER ``entities`` layer (PER/ORG/LOC/MISC spans, clitics outside the span), drops
the non-entities (formulae, currencies, agency bylines: ``entities.linking.is_non_entity``)
and annotates each remaining span in place (it declares ``writes = ("entities",)``):

* ``key``: the cluster's normalised canonical (``normalize_entity_name``),
* ``canonical``: display canonical (alias table entry, else the longest mention),
* ``cluster``: the cluster number within the article,
* ``alias_of``: the canonical, on mentions written differently from it (مصطفاي),
* ``role``, ``role_start``, ``role_end``: a title written before or inside a person's
  name (الرئيس الفرنسي); a role inside the span is trimmed off (``start`` moves),
* ``ambiguous``: a lone name part that matches two or more longer names;
* nameless office mentions (ولي العهد): a PER span of the holder on the article's day
  (``office``, ``holder``, ``link`` = ``office``) when the office table knows one, else a
  span of the ``offices`` layer for the archive step (``rasid.entities.offices``).

Across-archive resolution (entity records, ids) is ``rasid.entities.resolver``.
"""
from __future__ import annotations

from ..doc import Document
from ..entities.linking import link_mentions
from ..pipeline import Stage


class ResolveStage(Stage):
    name = "resolve"
    reads = ("tokens", "entities")
    writes = ("entities", "offices")  # annotated in place: key, canonical, cluster, role, ...

    def __call__(self, doc: Document) -> Document:
        link_mentions(doc)
        return doc
