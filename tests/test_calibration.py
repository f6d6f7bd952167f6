"""Calibration metrics, the confidence combiner and the needs_review flag."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from verifier import calibration
from verifier.calibration import FEATURES, calibrated, features, fit, needs_review
from verifier.details.align import Check
from verifier.labels import Label
from verifier.metrics import accuracy_at_coverage, expected_calibration_error, review_report
from verifier.verdict import Passage, Verdict

S, C, N = Label.SUPPORTED, Label.CONTRADICTED, Label.NOT_MENTIONED


def test_ece_is_zero_when_confidence_is_accuracy_and_large_when_overconfident():
    conf = [0.8] * 10
    assert expected_calibration_error(conf, [True] * 8 + [False] * 2) == pytest.approx(0.0)
    assert expected_calibration_error([0.95] * 10, [True] * 5 + [False] * 5) == pytest.approx(0.45)
    assert expected_calibration_error([], []) == 0.0
    with pytest.raises(ValueError):
        expected_calibration_error([0.5], [])


def test_accuracy_at_coverage_takes_the_most_confident_first():
    conf = [0.9, 0.1, 0.8, 0.2]
    right = [True, False, True, False]
    assert accuracy_at_coverage(conf, right) == {"0.25": 1.0, "0.5": 1.0, "0.75": pytest.approx(2 / 3), "1": 0.5}


def verdict(label, p_label, checks=(), score=0.6):
    probs = {S: 0.1, C: 0.1, N: 0.1} | {label: p_label}
    p = Passage("x", 0, 1, (0,), score, probs, label is not N)
    return Verdict("claim", label, p_label, probs, (p,), tuple(checks))


def test_features_follow_the_names_and_see_the_checks():
    miss = Check("name", "missing", 0, 5, "Paris")
    model, final = verdict(S, 0.9), verdict(N, 0.1, [miss])
    x = dict(zip(FEATURES, features(model, final)))
    assert x["bias"] == 1 and x["supported"] == 0 and x["missing"] == 1 and x["changed"] == 1
    assert x["model_confidence"] == pytest.approx(0.9)


def test_fit_learns_which_verdicts_are_right():
    rng = random.Random(0)
    model_rows, finals, right = [], [], []
    for _ in range(400):  # supported verdicts right when sure; a mismatch makes them wrong
        p = rng.random()
        bad = rng.random() < 0.3
        final = verdict(S, p, [Check("quantity", "mismatch" if bad else "match", 0, 1, "1")])
        model_rows.append(features(final, final))
        finals.append(final)
        right.append(not bad and rng.random() < p)
    coef = fit(model_rows, right)
    assert coef["mismatch"] < -1 and coef["p_label"] + coef["p_label_supported"] > 1
    sure = verdict(S, 0.95, [Check("quantity", "match", 0, 1, "1")])
    doubtful = verdict(S, 0.95, [Check("quantity", "mismatch", 0, 1, "1")])
    assert calibrated(sure, sure, coef) > 0.7 > calibrated(doubtful, doubtful, coef)


def test_needs_review_when_unsure_or_when_checks_overrode_the_model(monkeypatch):
    model, same = verdict(S, 0.9), verdict(S, 0.9)
    assert not needs_review(model, same, 0.9)
    assert needs_review(model, same, calibration.REVIEW_BELOW - 0.01)
    assert needs_review(model, replace(same, label=C), 0.95)


def test_needs_review_for_a_weak_contradiction_no_check_explains():
    weak, strong = verdict(C, calibration.REVIEW_CONTRADICTION - 0.05), verdict(C, 0.95)
    assert needs_review(weak, weak, 0.9)  # a confident combiner does not clear it
    assert not needs_review(strong, strong, 0.9)
    explained = replace(weak, checks=(Check("quantity", "mismatch", 0, 1, "1"),))
    assert not needs_review(explained, explained, 0.9)  # a mismatch says why it contradicts
    weak_support = verdict(S, calibration.REVIEW_CONTRADICTION - 0.05)
    assert not needs_review(weak_support, weak_support, 0.9)


def test_review_report_counts_what_the_flag_catches():
    r = review_report([True, True, False, False, False], [False, True, True, True, False])
    assert r == {"flagged": 2, "n": 5, "accuracy_flagged": 0.5, "accuracy_unflagged": pytest.approx(2 / 3),
                 "wrong": 2, "wrong_flagged": 1}
    assert review_report([], [])["accuracy_flagged"] is None
    with pytest.raises(ValueError):
        review_report([True], [])


def test_uncalibrated_confidence_is_the_verdicts_own(monkeypatch):
    monkeypatch.setattr(calibration, "COEFFICIENTS", None)
    v = verdict(S, 0.77)
    assert calibrated(v, v) == 0.77


def test_eval_reports_calibration(fake_verifier, tmp_path, seed_text):
    from verifier.article import Article
    from verifier.evaluation import evaluate_file
    from verifier.metrics import format_report

    path = tmp_path / "claims.csv"
    path.write_text('id,claim,label\n1,"Russian forces confirmed the evacuation of 3,154 people.",supported\n'
                    '2,"Russian forces confirmed the evacuation of 31,540 people.",contradicted\n'
                    
                    "3,Football is popular in Brazil.,not_mentioned\n4,Football is popular in Brazil.,supported\n",
                    encoding="utf-8")
    report = evaluate_file(fake_verifier, path, default_article=Article(seed_text))
    cal = report["calibration"]
    assert 0.0 <= cal["ece"] <= 1.0 and set(cal["coverage"]) == {"0.25", "0.5", "0.75", "1"}
    assert cal["coverage"]["1"] == pytest.approx(report["accuracy"])
    assert "expected calibration error" in format_report(report)
    review = report["review"]
    assert review["n"] == report["n"] and 0 <= review["wrong_flagged"] <= review["wrong"]
    assert review["wrong"] == round(report["n"] * (1 - report["accuracy"]))
    assert f"{review['wrong_flagged']} of {review['wrong']} wrong verdicts flagged" in format_report(report)
