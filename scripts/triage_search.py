"""The model search behind docs/triage.md ("What was tried"): 5-fold stratified CV (seed 0) of each candidate
on the repository's training half. Slow (minutes per row on a busy machine).

    PYTHONPATH=src .venv/bin/python scripts/triage_search.py            # every row
    PYTHONPATH=src .venv/bin/python scripts/triage_search.py --only 7   # one row
"""

import argparse
import json
import time

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import VotingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, RidgeClassifier, SGDClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from lianxin.triage import engine


def words(ngrams=(1, 1), **options):
    options.setdefault("sublinear_tf", True)
    return TfidfVectorizer(token_pattern=r"(?u)\S+", ngram_range=ngrams, **options)


def joined(documents):
    return [d.replace(" ", "") for d in documents]


def characters(ngrams=(1, 3), **options):
    options.setdefault("sublinear_tf", True)
    return make_pipeline(FunctionTransformer(joined), TfidfVectorizer(analyzer="char", ngram_range=ngrams, **options))


def union(word_ngrams=(1, 1), char_ngrams=(2, 2), char_weight=1.0, min_df=2):
    """Word TF-IDF beside character n-gram TF-IDF of the joined words (each block l2-normalised on its own)."""
    return FeatureUnion(
        [("words", words(word_ngrams)), ("chars", characters(char_ngrams, min_df=min_df))],
        transformer_weights={"words": 1.0, "chars": char_weight},
    )


def svm(C=0.5):
    return LinearSVC(C=C, class_weight="balanced")


def calibrated(C=0.5):
    return CalibratedClassifierCV(svm(C), method="sigmoid", cv=5)


def hinge():
    return SGDClassifier(loss="hinge", alpha=2e-5, class_weight="balanced", random_state=0)


def vote():
    return VotingClassifier(
        [
            ("svm", calibrated()),
            ("lr", LogisticRegression(C=100, class_weight="balanced", max_iter=3000)),
            ("nb", ComplementNB(alpha=0.3)),
        ],
        voting="soft",
    )


ROWS = {
    1: lambda: make_pipeline(words(), LinearSVC(C=1)),
    2: lambda: make_pipeline(words((1, 2)), LinearSVC(C=1)),
    3: lambda: make_pipeline(characters(), LinearSVC(C=1)),
    4: lambda: make_pipeline(words(), LinearSVC(C=0.3)),
    5: lambda: make_pipeline(words(), LinearSVC(C=0.5)),
    6: lambda: make_pipeline(words(), LinearSVC(C=2)),
    7: lambda: make_pipeline(words(), LinearSVC(C=0.5, class_weight="balanced")),
    8: lambda: make_pipeline(words(), LinearSVC(C=1, class_weight="balanced")),
    9: lambda: make_pipeline(words(min_df=2), LinearSVC(C=0.5)),
    10: lambda: make_pipeline(words(sublinear_tf=False), LinearSVC(C=0.5)),
    11: lambda: make_pipeline(words(max_df=0.5), LinearSVC(C=0.5)),
    12: lambda: make_pipeline(words(), LogisticRegression(C=10, max_iter=3000)),
    13: lambda: make_pipeline(words(), ComplementNB(alpha=0.3)),
    14: lambda: make_pipeline(words(), SGDClassifier(loss="modified_huber", alpha=5e-5, max_iter=50, random_state=0)),
    15: lambda: make_pipeline(words(), RidgeClassifier(alpha=1)),
    16: lambda: make_pipeline(words(), CalibratedClassifierCV(LinearSVC(C=0.5), method="sigmoid", cv=5)),
    17: lambda: make_pipeline(
        words(), CalibratedClassifierCV(LinearSVC(C=1, class_weight="balanced"), method="sigmoid", cv=5)
    ),
    # Session 7: words beside character n-grams of the joined words (FeatureUnion), balanced linear models.
    18: lambda: make_pipeline(union(), svm(0.5)),
    19: lambda: make_pipeline(union(), LogisticRegression(C=100, class_weight="balanced", max_iter=3000)),
    20: lambda: make_pipeline(union(), vote()),
    21: lambda: make_pipeline(union(), hinge()),
    22: lambda: make_pipeline(union(char_ngrams=(2, 3)), svm(0.5)),
    23: lambda: make_pipeline(union(), svm(1.0)),
    24: lambda: make_pipeline(union(), svm(0.3)),
    25: lambda: make_pipeline(union(char_ngrams=(1, 2)), svm(0.5)),
    26: lambda: make_pipeline(union(char_weight=0.7), svm(0.5)),
    27: lambda: make_pipeline(union(char_weight=1.4), svm(0.5)),
    28: lambda: make_pipeline(union(word_ngrams=(1, 2)), svm(0.5)),
    29: lambda: make_pipeline(union(), calibrated(0.5)),
    30: lambda: make_pipeline(union(char_ngrams=(1, 2)), svm(0.3)),
    31: lambda: make_pipeline(union(min_df=1), svm(0.5)),
    32: lambda: make_pipeline(union(char_ngrams=(1, 2)), calibrated(0.3)),
    33: lambda: make_pipeline(union(char_ngrams=(1, 2)), calibrated(0.5)),
    0: engine.build,  # whatever engine.build() ships now
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=int, action="append", choices=sorted(ROWS))
    args = parser.parse_args()
    tokens, labels = engine.training_rows()
    labels = np.array(labels)
    splitter = StratifiedKFold(5, shuffle=True, random_state=0)
    for row in args.only or sorted(ROWS):
        started = time.perf_counter()
        predicted = cross_val_predict(ROWS[row](), tokens, labels, cv=splitter)
        print(
            json.dumps(
                {
                    "row": row,
                    "macro_f1": round(float(f1_score(labels, predicted, average="macro")), 4),
                    "accuracy": round(float(accuracy_score(labels, predicted)), 4),
                    "seconds": round(time.perf_counter() - started, 1),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
