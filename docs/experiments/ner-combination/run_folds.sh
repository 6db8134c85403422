#!/bin/bash
cd /work/wt-ner  # data path is relative to the repo
for f in 2 0 4 1 3; do
  PYTHONPATH=src /usr/bin/time -v nice -n 15 /work/venv/bin/python -m rasid.train.ner --cv 5 --cv-folds $f --seed 14 --data /work/shared/data --work /tmp/ner7/work > /tmp/ner7/fold-$f.log 2>&1
  echo "fold $f rc $? $(date -u +%H:%M:%S)" >> /tmp/ner7/folds.done
done
