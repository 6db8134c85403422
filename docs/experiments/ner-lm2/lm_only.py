"""Train and cache only the language model of a `rasid train ner --lm-pretrain N` run
(docs/ner.md, "The language model kept"): the same arguments as the run, which stops
where the first network would start training. A later run with the same --work, seed,
--hidden, resources and N finds the model in --work and goes straight to the networks.

    PYTHONPATH=src python docs/experiments/ner-lm2/lm_only.py --cv 5 --cv-folds 0 --work W --lm-pretrain N
"""
import sys

import rasid.train.ner_nn as ner_nn
from rasid.train.ner import main


class Done(Exception):
    pass


def stop(*args, **kwargs):
    raise Done


ner_nn.train_bilstm_crf = stop
try:
    main(sys.argv[1:])
except Done:
    print("language model cached; stopped before the first network")
