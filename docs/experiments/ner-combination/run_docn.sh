#!/bin/bash
# The fold models of `rasid train ner --doc-features 20` with the networks reading the document-level
# features too (docs/ner.md, "Document-level features in the network"): run_docn.sh FOLD... ; one process
# a fold in /tmp/nerq3/work-docn, whose crf-cache is seeded with the `doc` fold CRFs
# (/tmp/nerq/work-doc/crf-cache), so only the networks are trained. SRC: the rasid sources to run
# (default: this checkout's src/; a snapshot keeps later edits out of a running series).
W=/tmp/nerq3/work-docn
mkdir -p $W/crf-cache /tmp/nerq3/logs
for l in corpus.txt w2v.kv clusters.tsv.gz; do ln -sfn /tmp/rasid-ner-aqmar/$l $W/$l; done
cp -n /tmp/nerq/work-doc/crf-cache/* $W/crf-cache/
cd "$(dirname "$0")/../../.."
SRC=${SRC:-src}
for f in "$@"; do
  PYTHONPATH=$SRC /usr/bin/time -v nice -n 19 /work/venv/bin/python -m rasid.train.ner --cv 5 --cv-folds $f --doc-features 20 \
    --data /work/shared/data --work $W > /tmp/nerq3/logs/fold-$f.log 2>&1
  echo "fold $f rc $? $(date -u +%H:%M:%S)" >> /tmp/nerq3/logs/folds.done
done
