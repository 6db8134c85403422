"""What the document-level features cost at tagging: CPU of document_features and their CRF scores on block 3 (a fold model trained with --doc-features 20)."""
import time
from pathlib import Path
from rasid.stages.ner import NERTagger
from rasid.stages.ner_features import document_features
from rasid.eval.ner import read_conll
from rasid.train.ner_cv import fold_blocks
b = fold_blocks(read_conll('/work/shared/data/ner/anercorp/train.txt'), 5)[2]
toks = [t for t, _ in b]; n = sum(map(len, toks))
tg = NERTagger(Path('/tmp/nerq/work-doc/cv/fold-2'))
tg.tag_sentences(toks, context=20)  # warm
for rep in range(3):
    batch = tg.batch(toks)
    t = time.process_time(); d = document_features(batch, 20); t1 = time.process_time(); tg.crf.scores(d); t2 = time.process_time()
    t3 = time.process_time(); tg.batch_posteriors(batch, 0); t4 = time.process_time(); tg.batch_posteriors(batch); t5 = time.process_time()
    print(f'{n} tokens: document_features {1e3*(t1-t):.0f} ms, their CRF scores {1e3*(t2-t1):.0f} ms; posteriors (warm) without {1e3*(t4-t3):.0f} ms, with {1e3*(t5-t4):.0f} ms')
