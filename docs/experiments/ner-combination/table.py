import json, numpy as np
r = json.load(open('/tmp/ner7/expC.json'))
import os
avail = [f for f in range(5) if os.path.exists(f'/tmp/ner7/marg/fold-{f}-s14.pkl')]
A = r['shipped: CRF+net13 product 0.4']; B = r['CRF+net13+net14 product 0.4']; B3 = r['CRF+net13+net14 product 0.3']; S = r['CRF+net14 product 0.4']
print('| held-out block | shipped: CRF + network 13 | **+ network 14** (CRF 0.4, networks 0.3 each) | paired | CRF weight 0.3 | paired | P / R | PER | ORG | LOC | MISC | each sentence alone | CRF + network 14 alone (seed noise) |')
print('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
for i, f in enumerate(avail):
    a, b, b3, s = A[i], B[i], B3[i], S[i]
    print(f"| {f+1} | {a['micro']:.2f} | **{b['micro']:.2f}** | {b['micro']-a['micro']:+.2f} | {b3['micro']:.2f} | {b3['micro']-a['micro']:+.2f} | {b['P']:.2f} / {b['R']:.2f} | "
          + ' | '.join(f"{a[t]:.2f} → {b[t]:.2f}" for t in ('PER', 'ORG', 'LOC', 'MISC')) + f" | {a['sent']:.2f} → {b['sent']:.2f} | {s['micro']:.2f} ({s['micro']-a['micro']:+.2f}) |")
def ms(rows, k): v = [x[k] for x in rows]; return f"{np.mean(v):.2f} ± {np.std(v, ddof=1):.2f}"
d = [b['micro'] - a['micro'] for a, b in zip(A, B)]; d3 = [b['micro'] - a['micro'] for a, b in zip(A, B3)]; ds = [b['micro'] - a['micro'] for a, b in zip(A, S)]
print(f"| **mean ± sd** | {ms(A,'micro')} | **{ms(B,'micro')}** | **{np.mean(d):+.2f} ± {np.std(d, ddof=1):.2f}** | {ms(B3,'micro')} | {np.mean(d3):+.2f} ± {np.std(d3, ddof=1):.2f} | {np.mean([x['P'] for x in B]):.2f} / {np.mean([x['R'] for x in B]):.2f} | "
      + ' | '.join(f"{np.mean([x[t] for x in A]):.2f} → {np.mean([x[t] for x in B]):.2f}" for t in ('PER', 'ORG', 'LOC', 'MISC')) + f" | {np.mean([x['sent'] for x in A]):.2f} → {np.mean([x['sent'] for x in B]):.2f} | {np.mean([x['micro'] for x in S]):.2f} ({np.mean(ds):+.2f} ± {np.std(ds, ddof=1):.2f}) |")
for k in r:
    v = [x['micro'] for x in r[k]]
    print(k, ' '.join(f'{x:.2f}' for x in v), f'{np.mean(v):.2f}')
