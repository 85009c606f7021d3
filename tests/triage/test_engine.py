"""The classifier's pieces without the database: segmentation, the CSV reader, the fast scorer."""

import io

import joblib
import numpy as np
import pytest

from lianxin.triage import engine, text


def test_segment_keeps_content_words_and_drops_punctuation_numbers_and_letters():
    words = text.segment("A市小区的路灯坏了3个月，请尽快修理！").split()
    assert {"小区", "路灯", "修理"} <= set(words)
    assert not {"，", "！", "3", "A", "的", "了"} & set(words)
    assert text.segment("") == "" and text.segment("   ") == ""


def test_read_rows_takes_tokens_or_raw_text():
    tokens, labels = engine.read_rows(io.StringIO("tokens,label\n小区 路灯 不亮,城乡建设\n"))
    assert (tokens, labels) == (["小区 路灯 不亮"], ["城乡建设"])
    tokens, labels = engine.read_rows(io.StringIO("text,label\n学校学位不够，孩子无法入学,教育文体\n"))
    assert labels == ["教育文体"] and "学位" in tokens[0].split()


@pytest.mark.parametrize(
    "content", ["title,label\n路灯,城乡建设\n", "tokens\n路灯\n", "tokens,label\n", "tokens,label\n路灯,\n", ""]
)
def test_read_rows_refuses_other_shapes(content):
    with pytest.raises(ValueError):
        engine.read_rows(io.StringIO(content))


def test_the_fast_scorer_gives_the_pipeline_s_probabilities():
    tokens, labels = engine.training_rows()
    pipeline = engine.build().fit(tokens[::7], labels[::7])
    scorer = engine.Linear.of(pipeline)
    sample = [*tokens[1::90], "", "没有 一个 认识 的 词 zzz", "A市 LED 路灯 Led"]
    assert np.abs(pipeline.predict_proba(sample) - scorer.proba(sample)).max() < 1e-6
    assert scorer.classes == [str(c) for c in pipeline.classes_]


def test_saved_model_round_trips(tmp_path):
    tokens, labels = engine.training_rows()
    classifier = engine.train(tokens[::9], labels[::9], source="test")
    engine.save(classifier, tmp_path / "m.joblib")
    loaded = engine.load(tmp_path / "m.joblib")
    assert loaded.meta["rows"] == len(labels[::9]) and loaded.labels == classifier.labels
    assert loaded.predict_tokens(tokens[1:2]) == classifier.predict_tokens(tokens[1:2])
    buffer = io.BytesIO()
    joblib.dump({"format": 0}, buffer)
    with pytest.raises(ValueError):
        engine.loads(buffer.getvalue())
