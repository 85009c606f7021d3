"""triage_evaluate on labelled CSVs, triage_train --from-cases, and the office's screen."""

import csv
import json

import pytest
from django.core.management import CommandError, call_command

from lianxin.cases.enums import Status
from lianxin.cases.models import Case
from lianxin.organisation.models import Category
from lianxin.triage import engine
from lianxin.triage.models import TriageModel
from tests.factories import submit_case

pytestmark = pytest.mark.django_db


def evaluate(capsys, path):
    call_command("triage_evaluate", str(path))
    lines = capsys.readouterr().out.strip().splitlines()
    return lines, json.loads(lines[-1])


def test_evaluate_on_segmented_tokens(tmp_path, capsys, triage_model):
    tokens, labels = engine.training_rows()
    path = tmp_path / "tokens.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["tokens", "label"])
        writer.writerows(zip(tokens[::15], labels[::15], strict=True))
    lines, result = evaluate(capsys, path)
    assert set(result) == {"n", "accuracy", "macro_f1", "confident_share", "confident_accuracy"}
    assert result["n"] == len(labels[::15])
    assert result["accuracy"] > 0.95  # seen in training: a smoke test, not a figure
    assert 0 < result["confident_share"] <= 1 and result["confident_accuracy"] >= result["accuracy"]
    assert any(line.startswith("macro-F1:") for line in lines)
    assert sum(line.split()[0] in set(labels) for line in lines) == 7  # one row per class


def test_evaluate_on_raw_text(tmp_path, capsys, triage_model):
    path = tmp_path / "text.csv"
    path.write_text(
        "text,label\n小区路灯不亮，晚上很黑,城乡建设\n学校学位不够孩子无法入学,教育文体\n", encoding="utf-8"
    )
    _lines, result = evaluate(capsys, path)
    assert result["n"] == 2 and result["accuracy"] == 1.0


@pytest.mark.parametrize("content", ["title,label\n路灯,城乡建设\n", "tokens,label\n"])
def test_evaluate_refuses_a_file_of_another_shape(tmp_path, content, triage_model):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("triage_evaluate", str(path))
    with pytest.raises(CommandError):
        call_command("triage_evaluate", str(tmp_path / "missing.csv"))


def test_retraining_on_cases_keeps_the_model_that_scores_better(district, triage_model, capsys):
    urban = Category.objects.get(level=1, name="城乡建设")
    education = Category.objects.get(level=1, name="教育文体")
    for n in range(30):
        submit_case(title=f"路灯不亮{n}", details="小区路灯坏了，晚上很黑", category_id=urban.pk)
        submit_case(title=f"学位不够{n}", details="学校学位不够，孩子无法入学", category_id=education.pk)
    Case.objects.update(status=Status.CLOSED)
    with pytest.raises(CommandError):
        call_command("triage_train", "--from-cases")  # fewer than LIANXIN_TRIAGE_RETRAIN_MIN_CASES
    call_command("triage_train", "--from-cases", "--min-cases", "20")
    model = TriageModel.objects.get()
    assert model.held_back > 0 and model.rows == 4603 + 60 - model.held_back
    # both models classify these plain cases perfectly: the new one is not better, the old one stays
    assert (model.score, model.previous_score, model.active) == (1.0, 1.0, False)
    assert "not kept" in capsys.readouterr().out


def test_the_office_sees_the_screen_and_others_get_404(client, district, triage_model):
    client.force_login(district.office)
    response = client.get("/work/triage/")
    assert response.status_code == 200
    assert "repository" in response.content.decode()
    client.force_login(district.station_staff)
    assert client.get("/work/triage/").status_code == 404
