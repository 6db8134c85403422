"""What a character-level language model (Flair-style) would cost rasid's NER at run time.

    python bench/bench_charlm_cost.py [--sentences 2000] [--hidden 64 128 256 512] [--batch 1 32 128]
                                      [--onnxruntime]

Issue 19 item 2 names, as one way to contextual representations, a character-level
bidirectional language model whose states feed the tagger ("contextual string embeddings").
Its price is paid on every article: two LSTMs (forward and backward) step over every
character of the text. This bench measures that price before anyone trains one, with the
cheapest inference rasid could ship (numpy, no torch, one BLAS thread on one core, the
input product folded into a per-character table, sentences of similar length batched and
stepped together): it runs the two recurrences, with random weights of the given sizes, over
the characters of real sentences (ANERcorp train, tokens joined by spaces) and prints tokens
per CPU second for each hidden size and batch size, next to the shipped NER stage's own
tokens per CPU second on the same sentences (``NERTagger.tag_sentences``, cold caches, one
run). Weights do not change the cost of the arithmetic, so random ones measure it. Never
asserted in tests; the figures and the decision they support are in docs/ner.md
("A character-level language model: its run-time cost").

``--onnxruntime`` also runs the same two recurrences through onnxruntime's compiled LSTM operator
(one bidirectional ``LSTM`` node after a character ``Gather``, one intra-op thread), the cheapest
compiled path to hand: it needs ``pip install onnxruntime onnx``, which rasid does not depend on
(the bench says so and skips it when they are missing).
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "ner" / "anercorp" / "train.txt"


def alphabet_of(sentences: list[str]) -> dict[str, int]:
    """Each character of `sentences`, numbered in sorted order (the padding is one past them)."""
    return {ch: i for i, ch in enumerate(sorted({ch for s in sentences for ch in s}))}


def char_batches(sentences: list[str], batch: int, alphabet: dict[str, int]):
    """The sentences, shortest first, `batch` at a time, each batch as ``(ids, lengths)``: ids
    (sentences, longest length) of their characters' numbers, padded with ``len(alphabet)``."""
    import numpy as np

    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    for start in range(0, len(order), batch):
        group = [sentences[i] for i in order[start:start + batch]]
        ids = np.full((len(group), max(map(len, group))), len(alphabet), dtype=np.int64)
        for row, s in enumerate(group):
            ids[row, :len(s)] = [alphabet[ch] for ch in s]
        yield ids, np.array([len(s) for s in group], np.int32)


def char_lm_rate(sentences: list[str], hidden: int, batch: int, seed: int = 0) -> float:
    """Tokens per CPU second of a forward and a backward character LSTM over ``sentences``."""
    import numpy as np

    rng = np.random.default_rng(seed)
    alphabet = alphabet_of(sentences)
    table = rng.standard_normal((len(alphabet) + 1, 4 * hidden)).astype(np.float32) * 0.1
    recur = rng.standard_normal((hidden, 4 * hidden)).astype(np.float32) * 0.1
    tokens = sum(len(s.split()) for s in sentences)
    t0 = time.process_time()
    for ids, _ in char_batches(sentences, batch, alphabet):
        width = ids.shape[1]
        for direction in (ids, ids[:, ::-1]):
            h = np.zeros((len(ids), hidden), np.float32)
            c = np.zeros_like(h)
            for step in range(width):
                g = table[direction[:, step]] + h @ recur
                i, f, o = (1 / (1 + np.exp(-g[:, k * hidden:(k + 1) * hidden])) for k in range(3))
                c = f * c + i * np.tanh(g[:, 3 * hidden:])
                h = o * np.tanh(c)
    return tokens / (time.process_time() - t0)


def onnxruntime_rate(sentences: list[str], hidden: int, batch: int, emb: int = 32, seed: int = 0) -> float:
    """`char_lm_rate` through onnxruntime's bidirectional LSTM operator (random weights)."""
    import numpy as np
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(seed)
    alphabet = alphabet_of(sentences)
    weights = {"E": (len(alphabet) + 1, emb), "W": (2, 4 * hidden, emb), "R": (2, 4 * hidden, hidden)}
    init = [numpy_helper.from_array((rng.standard_normal(shape) * 0.1).astype(np.float32), name)
            for name, shape in weights.items()]
    init.append(numpy_helper.from_array(np.zeros((2, 8 * hidden), np.float32), "B"))
    graph = helper.make_graph(
        [helper.make_node("Gather", ["E", "ids"], ["X"]),
         helper.make_node("LSTM", ["X", "W", "R", "B", "lens"], ["Y"], hidden_size=hidden,
                          direction="bidirectional")], "charlm",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, ["T", "N"]),
         helper.make_tensor_value_info("lens", TensorProto.INT32, ["N"])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)], initializer=init)
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    session = ort.InferenceSession(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
                                   .SerializeToString(), options, providers=["CPUExecutionProvider"])
    tokens = sum(len(s.split()) for s in sentences)
    t0 = time.process_time()
    for ids, lens in char_batches(sentences, batch, alphabet):
        session.run(None, {"ids": np.ascontiguousarray(ids.T), "lens": lens})  # the operator's (T, N)
    return tokens / (time.process_time() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("conll", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument("--hidden", type=int, nargs="+", default=[64, 128, 256, 512])
    ap.add_argument("--batch", type=int, nargs="+", default=[1, 32, 128])
    ap.add_argument("--onnxruntime", action="store_true",
                    help="also through onnxruntime's LSTM operator (needs onnxruntime and onnx)")
    args = ap.parse_args()
    if args.onnxruntime:
        try:
            import onnx  # noqa: F401
            import onnxruntime  # noqa: F401
        except ImportError:
            print("--onnxruntime: onnxruntime or onnx is not installed (pip install onnxruntime onnx); skipped")
            args.onnxruntime = False
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except (AttributeError, OSError):
        pass
    from rasid.eval.ner import read_conll
    from rasid.stages.ner import NERTagger

    sents = [t for t, _ in read_conll(args.conll)][: args.sentences]
    n = sum(map(len, sents))
    texts = [" ".join(t) for t in sents]
    print(f"{len(sents)} sentences, {n} tokens, {sum(map(len, texts)) / n:.2f} characters per token (space included)")
    tagger = NERTagger()
    t0 = time.process_time()
    tagger.tag_sentences(sents)
    ner = n / (time.process_time() - t0)
    print(f"shipped NER (tag_sentences, cold caches): {ner:,.0f} tokens per CPU second")
    print("character LM, forward + backward: tokens per CPU second (and the NER stage's rate if it were added)")
    for hidden in args.hidden:
        for batch in args.batch:
            lm = char_lm_rate(texts, hidden, batch)
            both = 1 / (1 / lm + 1 / ner)
            line = f"  hidden {hidden:4d}  batch {batch:4d}: {lm:10,.0f}   NER with it {both:10,.0f}"
            if args.onnxruntime:
                compiled = onnxruntime_rate(texts, hidden, batch)
                line += f"   onnxruntime {compiled:10,.0f} (x{compiled / lm:.2f})"
            print(line)


if __name__ == "__main__":
    main()
