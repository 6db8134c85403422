"""Module attributes imported from their home module when first asked for.

A package (or module) that re-exports names from modules that are costly to import (the
feed poller's network and mail modules, the alerts, the archive copier) sets its
``__getattr__`` to `lazy_attributes`, so that a cold ``rasid search`` or ``rasid analyze``
imports only what it uses (docs/speed.md, "Cold start").
"""
from __future__ import annotations

import sys
from importlib import import_module
from typing import Any, Callable


def lazy_attributes(module: str, homes: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for `module` (its ``__name__``): ``homes`` maps each name to
    the module that defines it, relative to `module`'s package (``".encoding"``); the value
    is imported on first use and kept as the module's attribute."""
    target = sys.modules[module]
    package = target.__package__

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(import_module(home, package), name)
        setattr(target, name, value)
        return value

    return __getattr__
