import sys, time, json; sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from harness import *
for f in range(5):
    fo = Fold(f)
    t = time.process_time()
    tags = run(fo, {})
    dt = time.process_time() - t
    kept = json.load(open(f'/tmp/rasid-ner-aqmar/cv/fold-{f}@100.json'))['pred']['context']
    s = score_entities(fo.gold, tags)['micro']['f1']; s2 = score_entities(fo.gold, kept)['micro']['f1']
    print(f, round(s, 2), round(s2, 2), sum(a != b for a, b in zip(tags, kept)), round(dt, 2), flush=True)
