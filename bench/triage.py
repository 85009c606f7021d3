"""`make bench-triage`: the category classifier's cross-validated quality and its costs.

On the repository's training data (teddy2020 附件2, training half, 4,603 messages, src/lianxin/triage/data/):
5-fold stratified cross-validation of the shipped model (macro-F1, accuracy, and the share and accuracy of the
predictions with confidence ≥ the auto-routing threshold), then the full training time, the model's size on
disk, and the prediction time per message on one core from raw text, first and second level as the API answers
(wall and CPU time; the target is read on the CPU time, which a busy shared machine does not inflate; jieba
segmentation included; the texts are the training messages with their word breaks removed).
The last line is one JSON object.
Targets (docs/triage.md): macro-F1 ≥ 0.93, p95 < 20 ms, model ≤ 50 MB, training ≤ 5 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # one core

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TARGETS = {"macro_f1": 0.93, "p95_ms": 20.0, "model_mb": 50.0, "train_s": 300.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--predictions", type=int, default=500, help="timed single predictions (default 500)")
    parser.add_argument("--threshold", type=float, default=0.9, help="auto-routing confidence threshold")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from lianxin.triage import engine, text

    tokens, labels = engine.training_rows()
    print(f"Training data: {len(labels)} messages, {len(set(labels))} classes")

    started = time.perf_counter()
    splitter = StratifiedKFold(5, shuffle=True, random_state=engine.SEED)
    predicted, confident, confident_right = [None] * len(labels), 0, 0
    for train_at, test_at in splitter.split(tokens, labels):
        fold = engine.train([tokens[i] for i in train_at], [labels[i] for i in train_at], source="cv")
        ranked = fold.predict_tokens([tokens[i] for i in test_at])
        for i, row in zip(test_at, ranked, strict=True):
            predicted[i] = row[0][0]
            if row[0][1] >= args.threshold:
                confident += 1
                confident_right += row[0][0] == labels[i]
    cv_seconds = time.perf_counter() - started
    from sklearn.metrics import accuracy_score, f1_score

    cv = {
        "cv_macro_f1": round(float(f1_score(labels, predicted, average="macro")), 4),
        "cv_accuracy": round(float(accuracy_score(labels, predicted)), 4),
        "cv_confident_share": round(confident / len(labels), 4),
        "cv_confident_accuracy": round(confident_right / confident, 4) if confident else None,
    }
    print(
        f"5-fold CV ({cv_seconds:.0f} s): macro-F1 {cv['cv_macro_f1']}, accuracy {cv['cv_accuracy']}; "
        f"confidence ≥ {args.threshold}: {cv['cv_confident_share']:.1%} of messages, "
        f"accuracy there {cv['cv_confident_accuracy']}"
    )

    started = time.perf_counter()
    classifier = engine.train(tokens, labels, source="repository")
    train_s = round(time.perf_counter() - started, 1)
    model_mb = round(len(engine.dumps(classifier)) / 1e6, 2)
    print(f"Training on all {len(labels)}: {train_s} s; model on disk {model_mb} MB (joblib, compressed)")

    rng = random.Random(args.seed)
    texts = ["".join(t.split()) for t in rng.sample(tokens, min(args.predictions, len(tokens)))]
    text.segment("预热分词词典")  # jieba loads its dictionary once per process
    classifier.predict("预热", "")
    times, cpu = [], []
    for raw in texts:
        started, started_cpu = time.perf_counter(), time.process_time()
        words = text.message_tokens(raw[:40], raw)  # what selectors.propose does: both levels
        first = classifier.predict_tokens([words])[0][0][0]
        classifier.subcategories([words], [first])
        cpu.append((time.process_time() - started_cpu) * 1000)
        times.append((time.perf_counter() - started) * 1000)
    p50 = round(statistics.median(times), 2)
    p95 = round(float(np.percentile(times, 95)), 2)
    cpu_p50 = round(statistics.median(cpu), 2)
    cpu_p95 = round(float(np.percentile(cpu, 95)), 2)
    mean_chars = round(statistics.mean(len(t) for t in texts))
    print(
        f"Prediction from raw text, one at a time ({len(times)}, {mean_chars} characters on average): "
        f"wall p50 {p50} ms, p95 {p95} ms; CPU time p50 {cpu_p50} ms, p95 {cpu_p95} ms "
        f"(on a busy machine the wall time includes waiting for the core)"
    )

    result = {
        **cv,
        "train_s": train_s,
        "model_mb": model_mb,
        "p50_ms": p50,
        "p95_ms": p95,
        "cpu_p50_ms": cpu_p50,
        "cpu_p95_ms": cpu_p95,
        "n": len(labels),
    }
    checks = {
        "macro_f1": result["cv_macro_f1"] >= TARGETS["macro_f1"],
        "p95_ms": cpu_p95 < TARGETS["p95_ms"],
        "model_mb": model_mb <= TARGETS["model_mb"],
        "train_s": train_s <= TARGETS["train_s"],
    }
    for key, ok in checks.items():
        print(f"  {key}: {'meets' if ok else 'MISSES'} the target {TARGETS[key]}")
    result["targets_met"] = checks
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
