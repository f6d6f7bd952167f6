"""The test fakes have the methods of the protocols they stand in for, and a real `Verifier` has them too."""

from __future__ import annotations

import threading

import pytest
from fakes import (
    ContentWordEmbedder,
    ContentWordNLI,
    FakeEmbedder,
    FakeNLI,
    RecordingVerifier,
    SlowVerifier,
    make_fake_verifier,
    make_web_verifier,
)

from verifier import Verifier
from verifier.protocols import ClaimVerifier


@pytest.mark.parametrize("make", [make_fake_verifier, make_web_verifier,
                                  lambda: RecordingVerifier(make_fake_verifier()),
                                  lambda: SlowVerifier(make_fake_verifier(), delay=0.0)])
def test_verifiers_satisfy_the_claim_verifier_protocol(make, seed_text):
    verifier = make()
    assert isinstance(verifier, ClaimVerifier)
    one = verifier.verify("Russian forces confirmed the evacuation of 3,154 people.", seed_text)
    many = verifier.verify_many(["Russian forces confirmed the evacuation of 3,154 people.",
                                 "The UN Security Council met in New York."], seed_text)
    assert many[0].label == one.label and many[0].passage.text == one.passage.text and len(many) == 2
    assert all(seed_text[v.passage.start:v.passage.end] == v.passage.text for v in many if v.passage)


def test_something_without_verify_many_is_not_a_claim_verifier():
    class OnlyVerify:
        def verify(self, claim, article):
            return None

    assert not isinstance(OnlyVerify(), ClaimVerifier)
    assert issubclass(Verifier, ClaimVerifier)


@pytest.mark.parametrize("nli", [FakeNLI(), ContentWordNLI()])
def test_fake_nli_models_score_pairs_as_the_protocol_says(nli):
    probs = nli.predict([("Baku is in Azerbaijan.", "Baku is in Azerbaijan."), ("Cats sleep.", "Rain fell in Paris.")])
    assert probs.shape == (2, 3)
    assert probs[0].argmax() == 0 and probs[1].argmax() == 2  # supported, not mentioned (`LABELS` order)
    assert nli.calls == 1


@pytest.mark.parametrize("embedder", [FakeEmbedder(), ContentWordEmbedder()])
def test_fake_embedders_return_unit_vectors(embedder):
    vectors = embedder.encode(["Baku is in Azerbaijan.", "Rain fell in Paris."])
    assert vectors.shape == (2, embedder.dim)
    assert abs(float((vectors**2).sum(axis=1)[0]) - 1.0) < 1e-5


def test_recording_verifier_records_and_waits_for_its_gate(seed_text):
    gate = threading.Event()
    recording = RecordingVerifier(make_fake_verifier(), gate=gate)
    worker = threading.Thread(target=recording.verify, args=("A claim about Baku.", seed_text))
    worker.start()
    assert recording.entered.wait(5) and recording.checked == []
    gate.set()
    worker.join(5)
    assert recording.checked == ["A claim about Baku."]
