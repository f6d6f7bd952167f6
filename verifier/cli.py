"""The `verifier` command line: a thin typer layer over the library.

Exit codes: 0 it ran; 1 a model could not be loaded; 2 bad input (one-line reason on stderr);
3 `--fail-on LABEL` matched a verdict.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from verifier.errors import InputError, ModelError, VerifierError
from verifier.labels import Label
from verifier.nli import PRECISIONS

Precision = Enum("Precision", {p.upper(): p for p in PRECISIONS}, type=str)  # type: ignore[misc]
DEFAULT_PRECISION = Precision("auto")


app = typer.Typer(
    name="verifier",
    help="Check claims against a news article: supported, contradicted or not mentioned, with evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_MODEL, EXIT_INPUT, EXIT_FAIL_ON = 1, 2, 3

ModelOpt = Annotated[str | None, typer.Option("--model", "-m", help="NLI model: local folder or Hugging Face id. Default: the project's model in models/.")]
TopKOpt = Annotated[int, typer.Option(min=1, max=50, help="Candidate passages per claim sent to the NLI model.")]
SupportOpt = Annotated[float, typer.Option(min=0.01, max=1.0, help="P(supported) a passage needs to support the claim.")]
ContradictOpt = Annotated[float, typer.Option(min=0.01, max=1.0, help="P(contradicted) a passage needs to contradict the claim.")]
RelevanceOpt = Annotated[float, typer.Option(min=0.0, max=0.99, help="Retrieval score a passage needs to support or contradict the claim.")]
ScoreAllOpt = Annotated[bool, typer.Option("--score-all", help="Score all top-k passages of each claim (default: shortest first, stopping once a passage decides).")]
PrecisionOpt = Annotated[Precision, typer.Option(help="NLI model precision. auto: bf16 where the CPU or GPU computes it natively, else fp32; int8: dynamic quantization (CPU).")]


def _quiet_libraries() -> None:
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _make_verifier(model: str | None, top_k: int, support: float, contradict: float, precision: str,
                   score_all: bool, min_relevance: float) -> Any:
    _quiet_libraries()
    from verifier.decision import DecisionRule
    from verifier.pipeline import Verifier

    try:
        rule = DecisionRule(support_threshold=support, contradict_threshold=contradict, min_relevance=min_relevance)
        return Verifier(model, rule=rule, top_k=top_k, precision=precision, score_all=score_all)
    except ModelError as e:
        raise _fail(str(e), EXIT_MODEL) from None
    except ValueError as e:  # e.g. int8 asked for on a GPU
        raise _fail(str(e), EXIT_INPUT) from None


def _load_article(source: str, fmt: str, encoding: str) -> Any:
    from verifier.article import read_article

    if source.startswith(("http://", "https://")):
        from verifier.fetch import fetch_article

        return fetch_article(source)
    return read_article(source, format=fmt, encoding=encoding)


def _show(verdict: Any, text: str) -> None:
    colour = {Label.SUPPORTED: "green", Label.CONTRADICTED: "red", Label.NOT_MENTIONED: "yellow"}[verdict.label]
    typer.echo(typer.style(verdict.label.value.upper().replace("_", " "), fg=colour, bold=True)
               + f"  confidence {verdict.confidence:.2f}" + ("  NEEDS REVIEW" if verdict.needs_review else "")
               + f"  claim: {verdict.claim}")
    probs = "  ".join(f"{k.value} {v:.2f}" for k, v in verdict.probabilities.items())
    typer.echo(f"  probabilities: {probs}")
    p = verdict.passage
    if p is None:
        typer.echo("  (the article has no sentences)")
        return
    role = "evidence" if p.is_evidence else "closest passage (not evidence)"
    typer.echo(f"  {role} [{p.start}:{p.end}]:")
    line_start = text.rfind("\n", 0, p.start) + 1
    line_end = text.find("\n", p.end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[max(line_start, p.start - 160) : p.start]
    after = text[p.end : min(line_end, p.end + 160)]
    before = ("…" if p.start - 160 > line_start else "") + before
    after = after + ("…" if p.end + 160 < line_end else "")
    typer.echo("  " + before + typer.style(p.text, fg=colour, bold=True, underline=True) + after)
    for extra in verdict.evidence[1:]:
        typer.echo(f"  also [{extra.start}:{extra.end}]: {extra.text}")
    for c in verdict.checks:
        typer.echo(f"  check {c.outcome}: {c.explanation}")
    for part in verdict.parts:
        where = f" [{part.passage.start}:{part.passage.end}]" if part.passage else ""
        typer.echo(f"  part {part.label.value}{where}: {part.claim}")


@app.command()
def check(
    claims: Annotated[list[str], typer.Argument(help="One or more claims to check.", show_default=False)],
    article: Annotated[str, typer.Option("--article", "-a", help="Article file (text, Markdown, HTML), '-' for stdin, or an http(s) URL.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print verdicts as JSON (one object, or a list for several claims).")] = False,
    fail_on: Annotated[Label | None, typer.Option("--fail-on", help="Exit 3 when any verdict has this label.")] = None,
    article_format: Annotated[str, typer.Option("--format", help="auto, text, markdown or html.")] = "auto",
    encoding: Annotated[str, typer.Option(help="Text encoding of the article file.")] = "utf-8",
    model: ModelOpt = None,
    top_k: TopKOpt = 5,
    support_threshold: SupportOpt = 0.5,
    contradict_threshold: ContradictOpt = 0.5,
    min_relevance: RelevanceOpt = 0.2,
    precision: PrecisionOpt = DEFAULT_PRECISION,
    score_all: ScoreAllOpt = False,
) -> None:
    """Check claims against one article and show the evidence in context."""
    try:
        art = _load_article(article, article_format, encoding)
        from verifier.pipeline import check_claim

        for c in claims:
            check_claim(c)
    except InputError as e:
        raise _fail(str(e), EXIT_INPUT) from None
    verifier = _make_verifier(model, top_k, support_threshold, contradict_threshold, precision.value, score_all, min_relevance)
    try:
        verdicts = verifier.verify_many(claims, art)
    except InputError as e:
        raise _fail(str(e), EXIT_INPUT) from None
    if json_out:
        data = [v.to_dict() for v in verdicts]
        typer.echo(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))
    else:
        for i, v in enumerate(verdicts):
            if i:
                typer.echo("")
            _show(v, art.text)
    if fail_on is not None and any(v.label == fail_on for v in verdicts):
        raise typer.Exit(EXIT_FAIL_ON)


@app.command()
def batch(
    input_path: Annotated[Path, typer.Argument(metavar="IN", help="CSV or JSONL with a 'claim' column; optional 'id', 'article', 'article_path'.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file, .csv or .jsonl.")],
    article: Annotated[str | None, typer.Option("--article", "-a", help="Default article for rows without one.")] = None,
    resume: Annotated[bool, typer.Option(help="Skip ids already in the output and append to it.")] = False,
    chunk_size: Annotated[int, typer.Option(min=1, max=4096, help="Claims verified together (rows are written after each chunk).")] = 256,
    progress: Annotated[bool, typer.Option(help="Progress bar on stderr.")] = True,
    model: ModelOpt = None,
    top_k: TopKOpt = 5,
    support_threshold: SupportOpt = 0.5,
    contradict_threshold: ContradictOpt = 0.5,
    min_relevance: RelevanceOpt = 0.2,
    precision: PrecisionOpt = DEFAULT_PRECISION,
    score_all: ScoreAllOpt = False,
) -> None:
    """Verify every row of a CSV/JSONL file, streaming results to OUTPUT."""
    from verifier.batch import file_format, run_batch

    try:
        file_format(input_path)
        file_format(output)
        if not input_path.is_file():
            raise InputError(f"input file not found: {input_path}")
        default = _load_article(article, "auto", "utf-8") if article else None
    except InputError as e:
        raise _fail(str(e), EXIT_INPUT) from None
    verifier = _make_verifier(model, top_k, support_threshold, contradict_threshold, precision.value, score_all, min_relevance)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(unit=" claims", file=sys.stderr, desc="verifying", dynamic_ncols=True)
    try:
        summary = run_batch(verifier, input_path, output, default_article=default, resume=resume,
                            chunk_size=chunk_size, on_row=(lambda _row: bar.update(1)) if bar else None)
    except InputError as e:
        raise _fail(str(e), EXIT_INPUT) from None
    finally:
        if bar is not None:
            bar.close()
    counts = ", ".join(f"{k.value} {v}" for k, v in sorted(summary.labels.items())) or "none"
    typer.echo(
        f"{summary.rows} rows in {summary.seconds:.1f}s ({summary.claims_per_second:.1f} claims/s): "
        f"{counts}; errors {summary.errors}; skipped {summary.skipped} -> {output}",
        err=True,
    )


@app.command("eval")
def evaluate(
    input_path: Annotated[Path, typer.Argument(metavar="IN", help="CSV or JSONL with 'claim' and gold 'label' columns.")],
    article: Annotated[str | None, typer.Option("--article", "-a", help="Default article for rows without one.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Also write each row's prediction here (.csv/.jsonl).")] = None,
    model: ModelOpt = None,
    top_k: TopKOpt = 5,
    support_threshold: SupportOpt = 0.5,
    contradict_threshold: ContradictOpt = 0.5,
    min_relevance: RelevanceOpt = 0.2,
    precision: PrecisionOpt = DEFAULT_PRECISION,
    score_all: ScoreAllOpt = False,
) -> None:
    """Score verdicts against gold labels: accuracy, macro-F1, per-label precision/recall, confusion matrix."""
    from verifier.evaluation import evaluate_file

    try:
        default = _load_article(article, "auto", "utf-8") if article else None
        verifier = _make_verifier(model, top_k, support_threshold, contradict_threshold, precision.value, score_all, min_relevance)
        report = evaluate_file(verifier, input_path, default_article=default, output=output)
    except InputError as e:
        raise _fail(str(e), EXIT_INPUT) from None
    if json_out:
        typer.echo(json.dumps(report, indent=2))
    else:
        from verifier.metrics import format_report

        typer.echo(format_report(report))
        if report.get("errors"):
            typer.echo(f"rows with errors (not scored): {report['errors']}", err=True)


@app.command()
def train(
    recipe: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Training recipe (JSON; see models/recipes/).")],
    run_dir: Annotated[Path | None, typer.Option(help="Run folder (checkpoints, log, best model); overrides the recipe's.")] = None,
    export_to: Annotated[Path | None, typer.Option("--export", help="When done, write the fp16 model to this folder.")] = None,
    last: Annotated[bool, typer.Option("--last", help="Export the last weights instead of the best on the dev sample.")] = False,
) -> None:
    """Fine-tune the NLI cross-encoder (resumes from the run folder's checkpoint)."""
    import logging

    _quiet_libraries()
    from verifier.train import TrainConfig, export
    from verifier.train import train as run_training

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    try:
        cfg = json.loads(recipe.read_text())
        if run_dir is not None:
            cfg["run_dir"] = str(run_dir)
        best = run_training(TrainConfig(**cfg))
    except (TypeError, json.JSONDecodeError) as e:
        raise _fail(f"bad recipe {recipe}: {e}", EXIT_INPUT) from None
    except (VerifierError, ValueError) as e:
        raise _fail(str(e), EXIT_INPUT) from None
    typer.echo(f"best model: {best}", err=True)
    if export_to is not None:
        export(best.parent / "final" if last else best, export_to)
        typer.echo(f"exported to {export_to}", err=True)


def _register_web() -> None:
    try:
        from verifier.web.commands import serve, users_app
    except ImportError:  # the web layer is not installed
        return
    app.command("serve")(serve)
    app.add_typer(users_app, name="users", help="Manage users of the web app.")


_register_web()

if __name__ == "__main__":
    app()
