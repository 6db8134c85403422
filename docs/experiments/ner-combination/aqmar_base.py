import sys
sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
exec(open(__import__('os').path.join(sys.path[0], 'aqmar_folds.py')).read().split('for f in map')[0])
for f in map(int, sys.argv[1:]):
    tg = NERTagger(Path(f'/tmp/rasid-ner-aqmar/cv/fold-{f}')); set_w(tg, 0.4)
    s = score_entities(gold, tg.tag_sentences(toks, context=20))
    print(f + 1, '%.2f (%.2f)' % f1s(s), ' '.join(f"{t} {s[t]['f1']:.2f}" for t in ('PER', 'ORG', 'LOC', 'MISC')), flush=True)
