#!/bin/bash
# The fold models of `rasid train ner --gazetteer-groups ...,petrarch,roles --doc-features 20` (CRF and network):
# run_docprn.sh FOLD... ; one process a fold in /tmp/nerq2/work-docprn, whose crf-cache is seeded with the
# docpr fold CRFs (/tmp/nerq/work-docpr/crf-cache), so only the networks are trained.
W=/tmp/nerq2/work-docprn
mkdir -p $W/crf-cache /tmp/nerq2/logs
for l in corpus.txt w2v.kv clusters.tsv.gz; do ln -sfn /tmp/rasid-ner-aqmar/$l $W/$l; done
cp -n /tmp/nerq/work-docpr/crf-cache/* $W/crf-cache/
cd "$(dirname "$0")/../../.."
for f in "$@"; do
  PYTHONPATH=src /usr/bin/time -v nice -n 19 /work/venv/bin/python -m rasid.train.ner --cv 5 --cv-folds $f --doc-features 20 \
    --gazetteer-groups anergazet,geonames,countries,curated,wiki,petrarch,roles --data /work/shared/data --work $W > /tmp/nerq2/logs/fold-$f.log 2>&1
  echo "fold $f rc $? $(date -u +%H:%M:%S)" >> /tmp/nerq2/logs/folds.done
done
