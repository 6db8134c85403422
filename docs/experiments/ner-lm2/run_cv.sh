#!/bin/bash
# The five folds of the kept-LM variant (docs/ner.md, "The language model kept"): one process,
# the LM from --work's cache (lm_only.py, or trained here first), each fold's CRF a cached copy
# of the baseline's (--work/crf-cache seeded from /tmp/nerlm/work/crf-cache).
# SRC: a snapshot of the tree (git archive HEAD src | tar -x -C DIR) so later edits do not reach the run.
SRC=${SRC:-src}
WORK=${WORK:-/tmp/nerlm2/work}
PYTHONPATH=$SRC nice -n 19 /usr/bin/time -v /work/venv/bin/python -m rasid.train.ner --cv 5 --cv-folds 0,2,4,1,3 \
  --seed 13 --data "${DATA:-/work/shared/data}" --work "$WORK" --lm-pretrain ${LM:-60000} --encoder-lr-decay 2.6
