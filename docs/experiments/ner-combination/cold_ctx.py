"""Cold tagging of the first 2,000 ANERcorp train sentences as running text (context 20: the document-level
features of a model trained with them are computed), model load included, CPU time on one core:
python cold_ctx.py MODEL_DIR (bench/bench_ner.py's cold figure tags each sentence alone)."""
import os, sys, time
os.environ['OPENBLAS_NUM_THREADS'] = '1'; os.environ['OMP_NUM_THREADS'] = '1'
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
t0 = time.process_time()
from pathlib import Path
from rasid.eval.ner import read_conll
sents = [t for t, _ in read_conll(Path('/work/shared/data/ner/anercorp/train.txt'))[:2000]]
t1 = time.process_time()
from rasid.stages.ner import NERTagger
tg = NERTagger(Path(sys.argv[1]))
t2 = time.process_time()
tg.tag_sentences(sents, context=20)
t3 = time.process_time()
n = sum(map(len, sents))
print(sys.argv[1], f'cold, running text (context 20), model load included: {n / (t3 - t1):,.0f} tokens/s (load {t2 - t1:.2f} s, tagging {t3 - t2:.2f} s)')
