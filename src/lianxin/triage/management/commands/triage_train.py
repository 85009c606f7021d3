"""Build the category classifier.

manage.py triage_train                 # from the repository's data → settings.TRIAGE_MODEL_PATH
manage.py triage_train --if-missing    # the same, unless a model built from the same data is there (set-up)
manage.py triage_train --cv            # also print the 5-fold cross-validated figures
manage.py triage_train --from-cases    # retrain on the district's closed cases (kept only if it scores better)
"""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lianxin.triage import current, engine, services


class Command(BaseCommand):
    help = "Build the category classifier from the repository's data, or retrain it on the district's cases."
    requires_system_checks = []  # run by `make install`, before any deployment setting exists

    def add_arguments(self, parser):
        parser.add_argument("--if-missing", action="store_true", help="skip when the model file is up to date")
        parser.add_argument("--cv", action="store_true", help="print 5-fold cross-validated figures too")
        parser.add_argument("--from-cases", action="store_true", help="retrain on the district's closed cases")
        parser.add_argument("--min-cases", type=int, default=None, help="closed cases needed (--from-cases)")

    def handle(self, *args, **options):
        if options["from_cases"]:
            return self._from_cases(options["min_cases"])
        path = settings.TRIAGE_MODEL_PATH
        tokens, labels = engine.training_rows()
        digest = engine.data_digest(tokens, labels)
        if options["if_missing"] and path.exists():
            try:
                meta = engine.load(path).meta
            except Exception:  # an unreadable or older file is rebuilt
                meta = {}
            if meta.get("data") == digest and meta.get("format") == engine.FORMAT:
                self.stdout.write(f"triage model up to date: {path}")
                return
        if options["cv"]:
            started = time.perf_counter()
            figures = engine.cross_validate(tokens, labels)
            figures["seconds"] = round(time.perf_counter() - started, 1)
            self.stdout.write("cross-validated: " + json.dumps(figures))
        classifier = engine.train(tokens, labels, source="repository")
        engine.save(classifier, path)
        current.forget()
        size = path.stat().st_size
        self.stdout.write(
            f"triage model: {len(labels)} rows, {len(set(labels))} classes, "
            f"{classifier.meta['train_seconds']} s, {size / 1e6:.1f} MB → {path}"
        )

    def _from_cases(self, minimum):
        model = services.model_retrain(minimum=minimum)
        if model is None:
            raise CommandError("not enough closed cases with a category to retrain")
        verdict = "kept (now in use)" if model.active else "not kept (the model in use scored as well or better)"
        self.stdout.write(
            f"retrained model #{model.pk}: held-back macro-F1 {model.score} vs {model.previous_score}: {verdict}"
        )
