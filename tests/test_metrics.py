"""`verifier.metrics`: hand-computed reports."""

from __future__ import annotations

import pytest

from verifier.metrics import classification_report, format_report

ABC = ["a", "b", "c"]


def test_hand_computed_three_way():
    gold = ["a", "a", "a", "b", "b", "c"]
    pred = ["a", "a", "b", "b", "c", "c"]
    r = classification_report(gold, pred, ABC)
    assert r["n"] == 6
    assert r["accuracy"] == pytest.approx(4 / 6)
    assert r["confusion"] == {
        "a": {"a": 2, "b": 1, "c": 0},
        "b": {"a": 0, "b": 1, "c": 1},
        "c": {"a": 0, "b": 0, "c": 1},
    }
    a, b, c = (r["per_label"][x] for x in ABC)
    assert (a["precision"], a["recall"], a["f1"], a["support"]) == pytest.approx((1.0, 2 / 3, 0.8, 3))
    assert (b["precision"], b["recall"], b["f1"], b["support"]) == pytest.approx((0.5, 0.5, 0.5, 2))
    assert (c["precision"], c["recall"], c["f1"], c["support"]) == pytest.approx((0.5, 1.0, 2 / 3, 1))
    assert r["macro_f1"] == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)
    assert r["labels"] == ABC


def test_perfect_predictions():
    r = classification_report(["a", "b", "c", "a"], ["a", "b", "c", "a"], ABC)
    assert r["accuracy"] == 1.0
    assert r["macro_f1"] == 1.0
    assert all(s["precision"] == s["recall"] == s["f1"] == 1.0 for s in r["per_label"].values())


def test_label_never_predicted_has_precision_zero():
    r = classification_report(["a", "b", "c"], ["a", "a", "a"], ABC)
    assert r["accuracy"] == pytest.approx(1 / 3)
    a, b, c = (r["per_label"][x] for x in ABC)
    assert (a["precision"], a["recall"], a["f1"]) == pytest.approx((1 / 3, 1.0, 0.5))
    for s in (b, c):
        assert (s["precision"], s["recall"], s["f1"], s["support"]) == (0.0, 0.0, 0.0, 1)
    assert r["macro_f1"] == pytest.approx(0.5 / 3)


def test_label_without_gold_or_predictions_counts_in_macro_average():
    r = classification_report(["a", "a"], ["a", "a"], ["a", "b"])
    assert r["per_label"]["b"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert r["accuracy"] == 1.0
    assert r["macro_f1"] == pytest.approx(0.5)


def test_empty_input():
    r = classification_report([], [], ABC)
    assert r["n"] == 0
    assert r["accuracy"] == 0.0
    assert r["macro_f1"] == 0.0
    assert r["confusion"] == {g: {p: 0 for p in ABC} for g in ABC}
    assert all(s["support"] == 0 and s["f1"] == 0.0 for s in r["per_label"].values())
    assert "n 0" in format_report(r)


def test_two_label_report():
    gold = ["supported", "supported", "not_supported", "not_supported", "not_supported"]
    pred = ["supported", "not_supported", "not_supported", "not_supported", "supported"]
    r = classification_report(gold, pred, ["supported", "not_supported"])
    assert r["accuracy"] == pytest.approx(3 / 5)
    assert r["confusion"] == {"supported": {"supported": 1, "not_supported": 1},
                              "not_supported": {"supported": 1, "not_supported": 2}}
    assert r["per_label"]["supported"]["f1"] == pytest.approx(0.5)
    assert r["per_label"]["not_supported"]["f1"] == pytest.approx(2 / 3)


def test_errors():
    with pytest.raises(ValueError, match="2 gold labels but 1"):
        classification_report(["a", "b"], ["a"], ABC)
    with pytest.raises(ValueError, match="'z'"):
        classification_report(["a"], ["z"], ABC)
    with pytest.raises(ValueError, match="'z'"):
        classification_report(["z"], ["a"], ABC)
    with pytest.raises(ValueError):
        classification_report([], [], [])
    with pytest.raises(ValueError):
        classification_report([], [], ["a", "a"])


def test_format_report_is_a_readable_table():
    r = classification_report(["a", "a", "b"], ["a", "b", "b"], ["a", "b", "not_mentioned"])
    text = format_report(r)
    lines = text.splitlines()
    assert lines[0].split() == ["label", "precision", "recall", "f1", "support"]
    assert lines[1].split() == ["a", "1.000", "0.500", "0.667", "2"]
    assert "accuracy 0.667" in text and "macro-F1" in text and "n 3" in text
    matrix = lines[lines.index(next(x for x in lines if x.startswith("gold"))) :]
    assert matrix[0].split()[-3:] == ["a", "b", "not_mentioned"]
    assert matrix[1].split() == ["a", "1", "1", "0"]
    assert matrix[3].split() == ["not_mentioned", "0", "0", "0"]
