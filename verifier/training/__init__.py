"""The model factory: training data readers, NLI fine-tuning, dev evaluation, news and contrast pairs.

Nothing in the runtime path (`verifier check`, `batch`, `eval`, the web app) imports this package;
its commands are reached through `verifier train ...` (see `verifier.training.commands`).
"""
