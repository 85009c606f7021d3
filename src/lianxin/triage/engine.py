"""The classifier: TF-IDF over jieba words beside TF-IDF over character 1–2-grams of the same text, and a calibrated
linear SVM (docs/triage.md has the search behind it).

`build()` makes the untrained pipeline, `train()` fits it, `Classifier` wraps a fitted one with its labels and
figures, `save()`/`load()` keep it in one joblib file. Nothing here touches the database.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import time
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from lianxin.triage import subcategory, text

FORMAT = 3  # raised when a saved file can no longer be read by this code
TRAINING_DATA = text.DATA / "teddy2020_train4603_segmented.csv.gz"
SEED = 0


CHAR_NGRAMS = (1, 2)


def char_grams(message: str) -> list[str]:
    """The character 1- and 2-grams of a message's words written together (word breaks removed, lower-cased):
    what scikit-learn's char analyzer gives for the joined text. A module function, so the fitted vectorizer and
    `Linear` use the very same grams."""
    joined = message.lower().replace(" ", "")
    low, high = CHAR_NGRAMS
    return [joined[i : i + n] for n in range(low, high + 1) for i in range(len(joined) - n + 1)]


def build(*, characters: bool = True, word_min_df: int = 1) -> Pipeline:
    """The chosen model (row 33 of the search): word unigrams and character 1–2-grams (seen in ≥ 2 messages),
    each sublinear TF-IDF l2-normalised on its own, side by side; a linear SVM (C=0.5, balanced class weights)
    whose scores are turned into probabilities by Platt scaling on 5 internal folds (sigmoid calibration).
    The second-level model (`characters=False, word_min_df=2`) reads words only, which keeps its 32 classes
    small on disk."""
    blocks = [
        (
            "words",
            TfidfVectorizer(token_pattern=r"(?u)\S+", sublinear_tf=True, min_df=word_min_df, dtype=np.float32),
        )
    ]
    if characters:
        blocks.append(("chars", TfidfVectorizer(analyzer=char_grams, min_df=2, sublinear_tf=True, dtype=np.float32)))
    return Pipeline(
        [
            ("tfidf", FeatureUnion(blocks)),
            (
                "svm",
                CalibratedClassifierCV(
                    LinearSVC(C=0.5, class_weight="balanced", random_state=SEED), method="sigmoid", cv=5
                ),
            ),
        ]
    )


@dataclass
class Block:
    """One TF-IDF block of the features: its vocabulary and idf, and where its columns start."""

    kind: str  # "words" (the message's space-separated words) or "chars" (char_grams)
    vocabulary: dict[str, int]
    idf: np.ndarray
    offset: int

    def grams(self, message: str) -> list[str]:
        return message.lower().split() if self.kind == "words" else char_grams(message)

    def features(self, message: str) -> tuple[np.ndarray, np.ndarray]:
        """(column indexes, l2-normalised sublinear tf-idf values) of one message in this block."""
        counts: dict[int, int] = {}
        for gram in self.grams(message):
            index = self.vocabulary.get(gram)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        indexes = np.fromiter(counts, dtype=np.int64, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[indexes]
        norm = np.sqrt(values @ values)
        return indexes + self.offset, values / norm if norm else values


@dataclass
class Linear:
    """A fitted pipeline reduced to its numbers: the vocabulary and idf of each TF-IDF block, and for each of the
    calibration's folds the SVM's weights and the per-class sigmoid (Platt) parameters. `proba` computes exactly
    what the pipeline's predict_proba does (scikit-learn 1.7: lower-cased words and character grams, sublinear tf,
    smoothed idf, l2 norm per block; sigmoid calibration averaged over the folds) without scikit-learn's per-call
    overhead: one message costs a dictionary lookup per word and character gram and one small product."""

    blocks: list[Block]
    classes: list[str]
    weights: np.ndarray  # (features, folds · classes): each fold's SVM weights side by side
    intercepts: np.ndarray  # (folds, classes)
    a: np.ndarray  # (folds, classes)
    b: np.ndarray  # (folds, classes)

    @classmethod
    def of(cls, pipeline: Pipeline) -> Linear:
        union = pipeline.named_steps["tfidf"]
        calibrated = pipeline.named_steps["svm"].calibrated_classifiers_
        blocks, offset = [], 0
        for name, vectorizer in union.transformer_list:
            vocabulary = {str(gram): int(n) for gram, n in vectorizer.vocabulary_.items()}
            blocks.append(Block(name, vocabulary, vectorizer.idf_.astype(np.float64), offset))
            offset += len(vocabulary)
        return cls(
            blocks=blocks,
            classes=[str(label) for label in pipeline.classes_],
            weights=np.hstack([c.estimator.coef_.T for c in calibrated]).astype(np.float32),
            intercepts=np.array([c.estimator.intercept_ for c in calibrated], dtype=np.float64),
            a=np.array([[cal.a_ for cal in c.calibrators] for c in calibrated], dtype=np.float64),
            b=np.array([[cal.b_ for cal in c.calibrators] for c in calibrated], dtype=np.float64),
        )

    def features(self, message: str) -> tuple[np.ndarray, np.ndarray]:
        """(feature indexes, values) of one message: every block's, side by side."""
        parts = [block.features(message) for block in self.blocks]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def proba(self, tokens: list[str]) -> np.ndarray:
        folds, classes = self.a.shape
        scores = np.empty((len(tokens), folds * classes))
        for row, message in enumerate(tokens):
            indexes, values = self.features(message)
            scores[row] = values @ self.weights[indexes] if len(indexes) else 0.0
        scores = scores.reshape(len(tokens), folds, classes) + self.intercepts
        proba = 1.0 / (1.0 + np.exp(self.a * scores + self.b))
        denominator = proba.sum(axis=2, keepdims=True)
        zero = denominator == 0
        proba = np.where(zero, 1.0 / classes, proba / np.where(zero, 1.0, denominator))
        return np.clip(proba, 0.0, 1.0).mean(axis=1)


@dataclass
class Classifier:
    model: Linear
    meta: dict = field(default_factory=dict)
    sub: Linear | None = None  # the second level ("first/second" labels, triage/subcategory.py), if trained

    @property
    def labels(self) -> list[str]:
        return list(self.model.classes)

    def predict_tokens(self, tokens: list[str]) -> list[list[tuple[str, float]]]:
        """For each message (space-separated words): every label with its probability, most likely first."""
        probabilities = self.model.proba(tokens)
        labels = self.labels
        ranked = []
        for row in probabilities:
            order = np.argsort(-row)
            ranked.append([(labels[i], float(row[i])) for i in order])
        return ranked

    def predict(self, title: str, details: str = "") -> list[tuple[str, float]]:
        return self.predict_tokens([text.message_tokens(title, details)])[0]

    def subcategories(self, tokens: list[str], firsts: list[str]) -> list[tuple[str, float] | None]:
        """For each message and its proposed first level: the most likely second level among that level's
        children with its probability, or None (no second-level model, or none of the level's children)."""
        if self.sub is None or not tokens:
            return [None] * len(tokens)
        probabilities = self.sub.proba(tokens)
        answers: list[tuple[str, float] | None] = []
        for row, first in zip(probabilities, firsts, strict=True):
            prefix = f"{first}{subcategory.SEPARATOR}"
            children = [(p, label) for label, p in zip(self.sub.classes, row, strict=True) if label.startswith(prefix)]
            if not children:
                answers.append(None)
                continue
            p, label = max(children)
            answers.append((label.removeprefix(prefix), float(p)))
        return answers


def read_rows(handle, *, source: str = "") -> tuple[list[str], list[str]]:
    """(tokens, labels) of a labelled CSV whose header is `text,label` (raw text, segmented here) or
    `tokens,label` (already segmented). Raises ValueError with a reason for anything else."""
    reader = csv.DictReader(handle)
    columns = set(reader.fieldnames or [])
    if "label" not in columns or not ({"text", "tokens"} & columns):
        raise ValueError(f"{source or 'CSV'}: the header must be text,label or tokens,label")
    raw = "tokens" not in columns
    tokens, labels = [], []
    for number, row in enumerate(reader, start=2):
        label = (row.get("label") or "").strip()
        if not label:
            raise ValueError(f"{source or 'CSV'} line {number}: empty label")
        tokens.append(text.segment(row.get("text") or "") if raw else " ".join((row.get("tokens") or "").split()))
        labels.append(label)
    if not labels:
        raise ValueError(f"{source or 'CSV'}: no rows")
    return tokens, labels


def training_rows() -> tuple[list[str], list[str]]:
    """The repository's training data: teddy2020 附件2, training half (data/README.md)."""
    with gzip.open(TRAINING_DATA, "rt", encoding="utf-8", newline="") as handle:
        return read_rows(handle, source=TRAINING_DATA.name)


def data_digest(tokens: list[str], labels: list[str]) -> str:
    digest = hashlib.sha256()
    for token, label in zip(tokens, labels, strict=True):
        digest.update(f"{label}\t{token}\n".encode())
    return digest.hexdigest()[:16]


def train(tokens: list[str], labels: list[str], *, source: str) -> Classifier:
    started = time.perf_counter()
    pipeline = build().fit(tokens, labels)
    sub_tokens, sub_labels = subcategory.weak_labels(tokens, labels)
    sub = None
    if len(set(sub_labels)) >= 2:
        sub = Linear.of(build(characters=False, word_min_df=2).fit(sub_tokens, sub_labels))
    return Classifier(
        Linear.of(pipeline),
        sub=sub,
        meta={
            "format": FORMAT,
            "source": source,
            "rows": len(labels),
            "sub_rows": len(sub_labels) if sub is not None else 0,
            "data": data_digest(tokens, labels),
            "train_seconds": round(time.perf_counter() - started, 1),
        },
    )


def cross_validate(tokens: list[str], labels: list[str], *, folds: int = 5) -> dict:
    """Macro-F1 and accuracy of the chosen model over stratified folds (shuffled with a fixed seed)."""
    splitter = StratifiedKFold(folds, shuffle=True, random_state=SEED)
    predicted = cross_val_predict(build(), tokens, labels, cv=splitter)
    return {
        "folds": folds,
        "accuracy": round(float(accuracy_score(labels, predicted)), 4),
        "macro_f1": round(float(f1_score(labels, predicted, average="macro")), 4),
    }


def evaluate(classifier: Classifier, tokens: list[str], labels: list[str], *, threshold: float) -> dict:
    """Accuracy, macro-F1, per-class precision/recall/F1, and the share predicted with confidence ≥ threshold
    with the accuracy within it."""
    ranked = classifier.predict_tokens(tokens)
    predicted = [row[0][0] for row in ranked]
    confident = [n for n, row in enumerate(ranked) if row[0][1] >= threshold]
    classes = sorted(set(labels) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(labels, predicted, labels=classes, zero_division=0)
    return {
        "n": len(labels),
        "accuracy": round(float(accuracy_score(labels, predicted)), 4),
        "macro_f1": round(float(f1_score(labels, predicted, labels=sorted(set(labels)), average="macro")), 4),
        "confident_share": round(len(confident) / len(labels), 4),
        "confident_accuracy": (
            round(sum(predicted[n] == labels[n] for n in confident) / len(confident), 4) if confident else None
        ),
        "per_class": [
            {
                "label": label,
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for label, p, r, f, s in zip(classes, precision, recall, f1, support, strict=True)
        ],
    }


def dumps(classifier: Classifier) -> bytes:
    buffer = io.BytesIO()
    payload = {"format": FORMAT, "model": classifier.model, "sub": classifier.sub, "meta": classifier.meta}
    joblib.dump(payload, buffer, compress=3)
    return buffer.getvalue()


def loads(blob: bytes) -> Classifier:
    """Only files this code wrote (the set-up's, or a retraining's in the database): joblib unpickles."""
    payload = joblib.load(io.BytesIO(blob))
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError("not a triage model of this version")
    return Classifier(payload["model"], payload.get("meta") or {}, payload.get("sub"))


def save(classifier: Classifier, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_bytes(dumps(classifier))
    partial.replace(path)  # atomic: a process loading it never reads half a file


def load(path: Path) -> Classifier:
    return loads(path.read_bytes())
