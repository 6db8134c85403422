"""PySpark's worker daemon (``spark.python.daemon.module``, set by `rasid.batch.job.start_spark`)
with rasid's default pipeline built, warmed on the shipped sample article and frozen
(``gc.freeze``) before the daemon forks its Python workers: every worker of the executor
shares the models' pages copy-on-write, as `rasid ingest --workers` does with its template
process (`rasid.workers`), instead of each loading its own copy (docs/batch.md "Scaling").

Run by Spark as ``python -m rasid.batch.daemon``; the daemon then speaks PySpark's own
protocol (`pyspark.daemon.manager`). Nothing may be written to stdout before that: the
JVM reads the daemon's port from it. A build that fails leaves no template: each worker
builds its pipeline itself (`rasid.batch.analyse.get_pipeline`) and reports the error on
the articles, as before.
"""
from __future__ import annotations

import contextlib
import sys


def main() -> None:
    from pyspark import daemon

    from ..stages import DEFAULT_STAGES
    from .analyse import warm_pipeline

    with contextlib.redirect_stdout(sys.stderr):
        try:
            warm_pipeline(tuple(DEFAULT_STAGES))
        except Exception as exc:  # the workers build it themselves and report the error
            print(f"rasid batch: no pipeline in the daemon: {type(exc).__name__}: {exc}", file=sys.stderr)
    daemon.manager()


if __name__ == "__main__":
    main()
