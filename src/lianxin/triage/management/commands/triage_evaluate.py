"""Evaluate the shipped classifier on a labelled CSV.

    manage.py triage_evaluate FILE.csv [--model PATH] [--threshold 0.9]

The header is `text,label` (raw text, segmented here as the platform does) or `tokens,label` (already segmented,
space-separated words); labels are first-level category names. Prints accuracy, macro-F1, per-class precision,
recall and F1, the share predicted with confidence ≥ the auto-routing threshold and the accuracy within it, and
as its last line one JSON object {"n", "accuracy", "macro_f1", "confident_share", "confident_accuracy"}.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lianxin.triage import current, engine


class Command(BaseCommand):
    help = "Evaluate the category classifier on a labelled CSV (text,label or tokens,label)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--model", default=None, help="a model file (default: the one in use)")
        parser.add_argument("--threshold", type=float, default=None, help="auto-routing confidence threshold")

    def handle(self, *args, **options):
        threshold = settings.TRIAGE_AUTO_CONFIDENCE if options["threshold"] is None else options["threshold"]
        try:
            with Path(options["file"]).open(encoding="utf-8-sig", newline="") as handle:
                tokens, labels = engine.read_rows(handle, source=options["file"])
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        try:
            classifier = engine.load(Path(options["model"])) if options["model"] else current.classifier()
        except (OSError, ValueError, current.Unavailable) as exc:
            raise CommandError("no model: run manage.py triage_train first") from exc
        unknown = sorted(set(labels) - set(classifier.labels))
        if unknown:
            self.stderr.write("labels the model does not know (always wrong): " + ", ".join(unknown))
        result = engine.evaluate(classifier, tokens, labels, threshold=threshold)
        out = self.stdout.write
        out(f"model: {classifier.meta.get('name') or options['model']} ({classifier.meta.get('source', '')})")
        out(f"messages: {result['n']}")
        out(f"accuracy: {result['accuracy']:.4f}")
        out(f"macro-F1: {result['macro_f1']:.4f}")
        out(f"{'class':<12} {'precision':>9} {'recall':>7} {'F1':>7} {'n':>6}")
        for row in result["per_class"]:
            figures = f"{row['precision']:>9.4f} {row['recall']:>7.4f} {row['f1']:>7.4f} {row['support']:>6}"
            out(f"{row['label']:<12} {figures}")
        accuracy = result["confident_accuracy"]
        out(
            f"confidence ≥ {threshold}: {result['confident_share']:.1%} of messages, "
            f"accuracy there {'-' if accuracy is None else f'{accuracy:.4f}'}"
        )
        keys = ("n", "accuracy", "macro_f1", "confident_share", "confident_accuracy")
        out(json.dumps({key: result[key] for key in keys}))
