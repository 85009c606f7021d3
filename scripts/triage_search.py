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
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, RidgeClassifier, SGDClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from lianxin.triage import engine


def words(ngrams=(1, 1), **options):
    options.setdefault("sublinear_tf", True)
    return TfidfVectorizer(token_pattern=r"(?u)\S+", ngram_range=ngrams, **options)


def joined(documents):
    return [d.replace(" ", "") for d in documents]


def characters():
    return make_pipeline(
        FunctionTransformer(joined), TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
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
    17: engine.build,
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
