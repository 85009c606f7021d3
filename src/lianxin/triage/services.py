"""Changes of the triage area: store the classifier's proposals, auto-dispatch, retrain on the district's cases."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from lianxin.audit.services import log_action
from lianxin.cases.enums import Status
from lianxin.cases.models import Case
from lianxin.cases.services import case_dispatch_automatically, case_suggestion
from lianxin.errors import NotAllowed
from lianxin.triage import current, engine, selectors
from lianxin.triage.enums import ModelSource
from lianxin.triage.models import CategorySuggestion, TriageModel

logger = logging.getLogger("lianxin.triage")

HELD_BACK_SHARE = 0.2


def _suggestion_row(case: Case, proposal: selectors.Proposal) -> CategorySuggestion:
    return CategorySuggestion(
        case_id=case.pk,
        category_id=proposal.best.category_id,
        label=proposal.best.label,
        confidence=proposal.best.confidence,
        alternatives=[
            {"label": c.label, "category_id": c.category_id, "confidence": c.confidence} for c in proposal.alternatives
        ],
        model=proposal.model[:40],
        subcategory_id=proposal.sub.category_id if proposal.sub else None,
        subcategory_label=proposal.sub.label if proposal.sub else "",
        subcategory_confidence=proposal.sub.confidence if proposal.sub else None,
    )


def suggestions_store(cases: list[Case]) -> list[CategorySuggestion]:
    """Classify the cases and store one proposal each (one INSERT; a case that already has one keeps it).
    Returns the rows stored; nothing without a model."""
    if not cases:
        return []
    try:
        classifier = current.classifier()
    except current.Unavailable:
        logger.warning("triage: no model built (manage.py triage_train); cases are not classified")
        return []
    tokens = [engine.text.message_tokens(c.title, c.details) for c in cases]
    found = selectors.proposals(tokens, classifier)
    rows = [_suggestion_row(case, proposal) for case, proposal in zip(cases, found, strict=True)]
    with transaction.atomic():
        CategorySuggestion.objects.bulk_create(rows, ignore_conflicts=True)
    return rows


def auto_dispatch(case: Case, suggestion: CategorySuggestion) -> bool:
    """Dispatch a new case without a person when allowed (settings.TRIAGE_AUTO_DISPATCH, off by default), the
    suggestion's confidence clears TRIAGE_AUTO_CONFIDENCE, a chosen category (if any) agrees with it, and the
    routing rule that proposes the unit has been taken by staff at least TRIAGE_AUTO_RULE_SHARE of its last
    (at least TRIAGE_AUTO_RULE_MIN) proposals. Returns whether it dispatched."""
    if not settings.TRIAGE_AUTO_DISPATCH or case.status not in (Status.REGISTERED, Status.ACKNOWLEDGED):
        return False
    if suggestion.category_id is None or suggestion.confidence < settings.TRIAGE_AUTO_CONFIDENCE:
        return False
    if case.category_id is not None and selectors.first_level_id(case.category) != suggestion.category_id:
        return False
    unit, rule = case_suggestion(case)
    if unit is None:
        return False
    total, taken = selectors.rule_record(rule)
    if total < settings.TRIAGE_AUTO_RULE_MIN or (total and taken / total < settings.TRIAGE_AUTO_RULE_SHARE):
        return False
    try:
        case_dispatch_automatically(
            case_id=case.pk,
            unit_id=unit.pk,
            category=suggestion.label,
            confidence=suggestion.confidence,
            model=suggestion.model,
        )
    except NotAllowed:
        return False
    return True


def classify_new_cases(*, limit: int = 500) -> dict:
    """The per-minute job: a proposal for every case registered lately without one, then auto-dispatch."""
    cases = selectors.cases_without_suggestion(limit=limit)
    stored = suggestions_store(cases)
    dispatched = 0
    if settings.TRIAGE_AUTO_DISPATCH:
        by_case = {row.case_id: row for row in stored}
        for case in Case.objects.filter(pk__in=list(by_case)).select_related("category__parent__parent", "division"):
            dispatched += auto_dispatch(case, by_case[case.pk])
    return {"classified": len(stored), "dispatched": dispatched}


# --- Retraining on the district's own cases ----------------------------------------------------------------


def closed_case_rows() -> tuple[list[int], list[str], list[str]]:
    """(ids, tokens, first-level category names) of the closed cases with a category, oldest first."""
    rows = (
        Case.objects.filter(status=Status.CLOSED, category__isnull=False)
        .filter(Q(category__level=1) | Q(category__parent__level=1) | Q(category__parent__parent__level=1))
        .select_related("category__parent__parent")
        .only("title", "details", "category__name", "category__parent__name", "category__parent__parent__name")
        .order_by("id")
    )
    ids, tokens, labels = [], [], []
    for case in rows.iterator(chunk_size=1000):
        top = case.category
        while top.parent_id is not None:
            top = top.parent
        ids.append(case.pk)
        tokens.append(engine.text.message_tokens(case.title, case.details))
        labels.append(top.name)
    return ids, tokens, labels


def held_back(case_id: int) -> bool:
    """One case in five is held back, by a hash of its id: the same cases in every retraining, so a model
    trained earlier never saw the cases it is compared on."""
    return hashlib.sha256(f"triage-{case_id}".encode()).digest()[0] < 256 * HELD_BACK_SHARE


def _split(ids: list[int]) -> tuple[list[int], list[int]]:
    train, held = [], []
    for n, case_id in enumerate(ids):
        (held if held_back(case_id) else train).append(n)
    return train, held


def model_retrain(*, actor=None, minimum: int | None = None) -> TriageModel | None:
    """Train a model on the repository's data plus 80 % of the district's closed cases, score it and the model
    in use on the other 20 % (held back by a hash of the case id), and keep it only if it scores better
    (macro-F1). Every attempt is kept (inactive unless it won) and audited. None with too few closed cases."""
    minimum = settings.TRIAGE_RETRAIN_MIN_CASES if minimum is None else minimum
    ids, tokens, labels = closed_case_rows()
    if len(labels) < minimum or len(set(labels)) < 2:
        return None
    train_at, held_at = _split(ids)
    if not held_at:
        return None
    base_tokens, base_labels = engine.training_rows()
    candidate = engine.train(
        base_tokens + [tokens[i] for i in train_at],
        base_labels + [labels[i] for i in train_at],
        source="repository+cases",
    )
    held_tokens, held_labels = [tokens[i] for i in held_at], [labels[i] for i in held_at]
    threshold = settings.TRIAGE_AUTO_CONFIDENCE
    score = engine.evaluate(candidate, held_tokens, held_labels, threshold=threshold)["macro_f1"]
    try:
        previous = engine.evaluate(current.classifier(), held_tokens, held_labels, threshold=threshold)["macro_f1"]
    except current.Unavailable:
        previous = None
    better = previous is None or score > previous
    blob = engine.dumps(candidate)
    with transaction.atomic():
        if better:
            TriageModel.objects.filter(active=True).update(active=False)
        model = TriageModel.objects.create(
            created_by=actor if getattr(actor, "pk", None) else None,
            source=ModelSource.CASES,
            rows=len(train_at) + len(base_labels),
            held_back=len(held_at),
            score=score,
            previous_score=previous,
            active=better,
            blob=blob,
            sha256=hashlib.sha256(blob).hexdigest(),
        )
        log_action(
            actor=actor,
            action="triage.model_trained",
            subject_type="triage_model",
            subject_id=model.pk,
            data={
                "cases": len(labels),
                "held_back": len(held_at),
                "score": score,
                "previous": previous,
                "kept": better,
            },
        )
    current.forget()
    return model
