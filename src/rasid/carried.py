"""Values computed from an analysed document where it was analysed, carried with it.

With ``workers`` > 1 (`rasid.workers`), the worker process that analysed a document also
computes what the parent, the one writer, would otherwise compute from the document alone:
the search index's forms of its title and text (`rasid.search.analyzer.attach_index_forms`),
what the store writes of its layers (`rasid.store.sql_writing.attach_layer_rows`) and what
each archive step needs of it (`rasid.archive_steps.attach_prepared`). They travel pickled
with the document in one attribute, each under a name, and the parent takes one
(`take_carried`) only

* while the document still has the title, text and layers it was computed from: the very
  objects, each layer the same list of the same length (the pickle keeps these identities
  within one document), so a document changed after its analysis is computed anew;
* when it was computed under the same settings (`key`: the search analyzer's signature, an
  archive step's settings; a worker builds its parts with the defaults);
* once: a value taken is gone, so a document written or prepared again is computed anew.
"""
from __future__ import annotations

from typing import Any

#: the Document attribute that carries ``(made_from, {name: (key, value)})`` (pickled with
#: the document; never stored)
CARRIED_ATTR = "_carried"


def describe(doc: Any) -> tuple:
    """What a carried value was computed from: the document's title, text, layers and each
    layer's list with its length (`still_describes`)."""
    lists = tuple((name, items, len(items)) for name, items in doc.layers.items())
    return doc.title, doc.text, doc.layers, lists


def still_describes(made_from: tuple, doc: Any) -> bool:
    """Whether `doc` still has the very title, text, layers and layer lists of `made_from`."""
    title, text, layers, lists = made_from
    return (title is doc.title and text is doc.text and layers is doc.layers and len(lists) == len(layers)
            and all(layers.get(name) is items and len(items) == n for name, items, n in lists))


def carry(doc: Any, name: str, value: Any, key: str = "") -> None:
    """Carry `value`, computed from `doc` as it is now under the settings `key`, with `doc`."""
    made_from, values = doc.__dict__.get(CARRIED_ATTR) or (describe(doc), {})
    values[name] = (key, value)
    setattr(doc, CARRIED_ATTR, (made_from, values))


def take_carried(doc: Any, name: str, key: str = "") -> Any:
    """The value `doc` carries under `name` when it was computed under `key` from the
    document as it still is, else None; taken once either way."""
    carried = doc.__dict__.get(CARRIED_ATTR)
    if carried is None:
        return None
    made_from, values = carried
    got = values.pop(name, None)
    if got is None or got[0] != key or not still_describes(made_from, doc):
        return None
    return got[1]
