"""Opposite checks (verifier.details.opposites): the passage states the opposite of a claim word."""

from __future__ import annotations

import pytest
from fakes import FakeEmbedder, FakeNLI

from verifier import Verifier
from verifier.decision import DecisionRule
from verifier.details import check_details
from verifier.labels import Label


def opposites(claim, passage):
    return [(c.claim_text, c.passage_text, c.outcome) for c in check_details(claim, passage) if c.kind == "opposite"]


@pytest.mark.parametrize("claim, passage, claim_text, passage_text", [
    ("The firefighter who went missing on Saturday was found dead.",
     "A firefighter who had been reported missing on Saturday was found alive on Sunday morning.", "dead", "alive"),
    ("Wheat prices rose sharply in March.", "Wheat prices fell sharply in March, traders said.", "rose", "fell"),
    ("The director accepted the opposition's criticism of the warnings.",
     "The director rejected criticism from the opposition, which accused the agency of late warnings.",
     "accepted", "rejected"),
    ("The council approved the housing plan on Monday.", "On Monday the council rejected the housing plan.",
     "approved", "rejected"),
    ("The council voted on Wednesday morning to keep the bridge closed.",
     "The council voted 31 to 9 on Wednesday evening to keep the bridge closed.", "morning", "evening"),
    ("The port lies 40 kilometres upstream of Valtenza.",
     "Barges stopped between Valtenza and the port, 40 kilometres downstream.", "upstream", "downstream"),
    ("The Labour Party trails in recent polls.",
     "The opposition Labour Party, which leads in recent polls, called for a freeze.", "trails", "leads"),
    ("The keldo strengthened against the euro after the decision.",
     "The keldo weakened against the euro after the decision.", "strengthened", "weakened"),
    ("The Green Alliance voted against the emergency fund.",
     "The Green Alliance, the second-largest group on the council, backed the emergency fund.", "against", "backed"),
])
def test_the_opposite_word_in_the_same_statement_is_a_mismatch(claim, passage, claim_text, passage_text):
    assert opposites(claim, passage) == [(claim_text, passage_text, "mismatch")]
    [check] = [c for c in check_details(claim, passage, offset=5) if c.kind == "opposite"]
    assert claim[check.claim_start:check.claim_end] == claim_text
    assert passage[check.passage_start - 5:check.passage_end - 5] == passage_text


@pytest.mark.parametrize("claim, passage", [
    # the passage also has the claim's word
    ("Wheat prices rose in March.", "Wheat prices rose and then fell in March."),
    # a negation on either side: "not found alive" agrees with "found dead"
    ("The firefighter was not found alive.", "The firefighter was found dead on Sunday."),
    ("The firefighter was found dead.", "The firefighter was not found alive, police said."),
    # the opposite word in a sentence about something else
    ("Wheat prices rose in March.", "The river fell by a metre overnight."),
    # the claim states both sides
    ("The motorway was shut for 19 hours before reopening on Wednesday.",
     "The motorway was closed for 19 hours but reopened at 06:00 on Wednesday."),
])
def test_no_mismatch_when_the_claims_word_negation_or_another_statement_is_there(claim, passage):
    assert opposites(claim, passage) == []


@pytest.mark.parametrize("article, claim, kind, passage_text", [
    ("Rain fell for three days.\nA firefighter who had been missing was found alive on Sunday.\n",
     "A firefighter who had been missing was found dead on Sunday.", "opposite", "alive"),
    ("Ships waited for days.\nThe Port of Halvik is the country's second-largest port.\n",
     "The Port of Halvik is the country's largest port.", "rank", "second-largest"),  # verifier.details.ranks
    ("Ships waited for days.\nMembers of the union voted 2,316 to 874 to accept the contract.\n",
     "Members of the union voted 874 to 2,316 to accept the contract.", "tally", "2,316 to 874"),  # tallies
])
def test_an_opposite_a_rank_or_a_tally_turns_support_into_a_contradiction(article, claim, kind, passage_text):
    plain = Verifier(nli=FakeNLI(), embedder=FakeEmbedder(), rule=DecisionRule(check_details=False))
    assert plain.verify(claim, article).label is Label.SUPPORTED  # the fake model reads the shared words as support
    v = Verifier(nli=FakeNLI(), embedder=FakeEmbedder()).verify(claim, article)
    assert v.label is Label.CONTRADICTED
    [bad] = [c for c in v.checks if c.outcome == "mismatch"]
    assert (bad.kind, article[bad.passage_start:bad.passage_end]) == (kind, passage_text)
    assert bad.explanation.startswith(f"{kind}: claim ")
    assert bad.explanation.endswith(f"article {passage_text} (mismatch)")
