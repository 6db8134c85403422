"""Imported by the ``forkserver`` of `rasid.workers.AnalysisPool` only: builds the template
every analysing worker is forked from (`rasid.workers.build_template`). Importing it
anywhere else loads every model of the pipeline."""
from .workers import build_template

build_template()
