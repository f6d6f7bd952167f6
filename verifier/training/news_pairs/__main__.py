"""`python -m verifier.training.news_pairs OUT`: the same as `verifier news-pairs OUT`."""

from __future__ import annotations

from verifier.training.commands import run_command

if __name__ == "__main__":
    run_command("news-pairs")
