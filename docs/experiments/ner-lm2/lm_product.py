"""The first LM variant's fold networks (--lm-pretrain 60000, full rate; /tmp/nerlm/work/cv) in the
shipped product (CRF weight 0.4) against what ships, all five blocks, and AQMAR dev with each fold's models.
NER_MARG=/tmp/nerlm2/marg python docs/experiments/ner-lm2/lm_product.py
"""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'ner-combination'))
from harness import *

C, N13, NLM = ('base', 0), ('base', 1), ('lm', 1)
SHIP, LM = dict(members=[C, N13], mix='seq', w=0.4), dict(members=[C, NLM], mix='seq', w=0.4)
for title, folds in (('ANERcorp', [Fold(f) for f in range(5)]),
                     ('AQMAR dev', [AqmarFold(f, {'base': '/tmp/rasid-ner-aqmar/cv', 'lm': '/tmp/nerlm/work/cv'}) for f in range(5)])):
    ship = [score(fo, SHIP) for fo in folds]
    print(title)
    line('shipped: CRF + net13, product 0.4', ship, ship)
    line('CRF + net[lm] (LM 60k, full rate), product 0.4', [score(fo, LM) for fo in folds], ship)
