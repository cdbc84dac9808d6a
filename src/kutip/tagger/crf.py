"""A linear-chain CRF (CRFsuite) over whole documents, with document-level features."""
from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Callable, Optional

import pycrfsuite

from kutip.tagger.conll import LABEL_SET
from kutip.tagger.corpus import Article, segment_documents
from kutip.tagger.features import VOCAB_FILE, Vocab, default_vocab, doc_features

MODEL_FILE = "crf.crfsuite"
META_FILE = "meta.json"
FORMAT_VERSION = 1

DEFAULT_PARAMS = {
    "c1": 0.05,
    "c2": 0.005,
    "max_iterations": 150,
    "feature.possible_transitions": True,
    "feature.minfreq": 1,
}


class _ProgressTrainer(pycrfsuite.Trainer):
    """CRFsuite trainer that reports iterations to a callback instead of printing."""

    def __init__(self, progress, max_it):
        super().__init__(verbose=progress is not None)
        self._progress = progress
        self._max_it = max_it

    def on_start(self, log):
        pass

    def on_featgen_progress(self, log, percent):
        pass

    def on_featgen_end(self, log):
        pass

    def on_prepared(self, log):
        pass

    def on_prepare_error(self, log):
        pass

    def on_iteration(self, log, info):
        if self._progress:
            self._progress("train", int(info.get("num", 0)), self._max_it)

    def on_optimization_end(self, log):
        pass

    def on_end(self, log):
        pass


# feature options a new model is trained with; a model's meta.json records its own, so a
# model trained by an older version keeps being fed the features it was trained on
FEATURES = {"rules": True, "lexicons": True}


def _feature_options(features: dict) -> dict:
    return {"use_rules": bool(features.get("rules", False)), "use_lexicons": bool(features.get("lexicons", False))}


def article_xy(a: Article, features: Optional[dict] = None) -> tuple[list[list[str]], list[str]]:
    sents = [s.tokens for s in a.sentences]
    x = doc_features(sents, **_feature_options(FEATURES if features is None else features))
    y = [l for s in a.sentences for l in (s.labels or ["O"] * len(s.tokens))]
    return x, y


def train_crf(articles: list[Article], out_dir: Path, *, params: Optional[dict] = None,
              progress: Optional[Callable[[str, int, int], None]] = None,
              meta_extra: Optional[dict] = None) -> dict:
    """Train on ``articles`` and write the model folder; returns the metadata written."""
    p = dict(DEFAULT_PARAMS)
    if params:
        p.update(params)
    t0 = time.time()
    max_it = int(p.get("max_iterations", 100))
    trainer = _ProgressTrainer(progress, max_it)
    for i, a in enumerate(articles):
        x, y = article_xy(a)
        trainer.append(x, y)
        if progress:
            progress("features", i + 1, len(articles))
    trainer.set_params(p)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / MODEL_FILE
    fd, tmp = tempfile.mkstemp(dir=out_dir, suffix=".tmp")
    os.close(fd)
    trainer.train(tmp)
    os.chmod(tmp, 0o644)
    os.replace(tmp, model_path)
    meta = {
        "format": FORMAT_VERSION,
        "kind": "crf",
        "labels": sorted(set(l for l in LABEL_SET)),
        "params": p,
        "features": dict(FEATURES),
        "train_articles": len(articles),
        "train_tokens": sum(a.n_tokens for a in articles),
        "train_seconds": round(time.time() - t0, 1),
    }
    if meta_extra:
        meta.update(meta_extra)
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
    default_vocab().write(out_dir)      # the vocabulary the features were computed with, frozen with the model
    return meta


class CrfModel:
    """A loaded CRF model: tags tokenised sentences, documents split at datelines."""

    def __init__(self, path: Path):
        path = Path(path)
        self.path = path
        self.meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path / MODEL_FILE))
        self._options = _feature_options(self.meta.get("features", {}))
        # a model saved before vocabularies were frozen with it was trained with the shipped one
        self.vocab = Vocab.load(path) if (path / VOCAB_FILE).exists() else default_vocab()

    def tag_document(self, sents: list[list[str]], rule_feats=None) -> list[str]:
        """BILOU labels for one document's token stream (``rule_feats``: see ``doc_features``)."""
        if not any(sents):
            return []
        x = doc_features(sents, rule_feats=rule_feats, vocab=self.vocab, **self._options)
        return list(self._tagger.tag(x))

    def tag_sentences(self, sents: list[list[str]], rule_feats=None) -> list[list[str]]:
        """Tag a stream of sentences (one or more articles); returns labels per sentence.
        ``rule_feats``: rule features per token of the whole stream, when the caller has them."""
        out: list[list[str]] = []
        first = [0]
        for s in sents:
            first.append(first[-1] + len(s))
        for a, b in segment_documents(sents):
            doc = sents[a:b]
            flat = self.tag_document(doc, None if rule_feats is None else rule_feats[first[a]:first[b]])
            k = 0
            for s in doc:
                out.append(flat[k:k + len(s)])
                k += len(s)
        return out
