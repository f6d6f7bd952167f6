"""The `verifier` command line: a thin typer layer over the library.

Exit codes: 0 it ran; 1 a model could not be loaded (or a Ray job failed); 2 bad input (one-line reason on stderr);
3 `--fail-on LABEL` matched a verdict; 4 an unexpected internal error (one line; set
`VERIFIER_DEBUG=1` for the traceback).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from verifier.article import ARTICLE_FORMATS
from verifier.decision import DecisionRule
from verifier.errors import InputError, ModelError
from verifier.labels import Label
from verifier.nli import PRECISIONS
from verifier.pipeline import DEFAULT_TOP_K

Precision = Enum("Precision", {p.upper(): p for p in PRECISIONS}, type=str)  # type: ignore[misc]
ArticleFormat = Enum("ArticleFormat", {f.upper(): f for f in ARTICLE_FORMATS}, type=str)  # type: ignore[misc]
DEFAULT_PRECISION = Precision("auto")
AUTO_FORMAT = ArticleFormat("auto")
_RULE = DecisionRule()  # the defaults of the decision options


class Engine(str, Enum):
    """Where `verifier batch` runs."""

    LOCAL = "local"
    RAY = "ray"


TRAINING_COMMANDS = ("train", "dev-eval", "news-pairs", "contrast-sets", "interpolate")


class _Commands(TyperGroup):
    """The command group; the training commands (`verifier.training.commands`) load when asked for or listed.

    `ctx` and the returned command are typer's own click types (typer vendors click in `typer._click`).
    """

    def list_commands(self, ctx: Any) -> list[str]:
        names = [n for n in super().list_commands(ctx) if n not in TRAINING_COMMANDS]
        at = names.index("eval") + 1 if "eval" in names else len(names)
        return names[:at] + list(TRAINING_COMMANDS) + names[at:]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in TRAINING_COMMANDS and cmd_name not in self.commands:
            from verifier.training.commands import app as training_app

            for name, command in typer.main.get_group(training_app).commands.items():
                self.add_command(command, name)
        return super().get_command(ctx, cmd_name)


app = typer.Typer(
    name="verifier",
    cls=_Commands,
    help="Check claims against a news article: supported, contradicted or not mentioned, with evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: no type tags, no option names cut short
    context_settings={"max_content_width": 100},
)

EXIT_MODEL, EXIT_INPUT, EXIT_FAIL_ON, EXIT_INTERNAL = 1, 2, 3, 4

ModelOpt = Annotated[str | None, typer.Option(
    "--model", "-m", metavar="NAME_OR_PATH",
    help="NLI model: local folder or Hugging Face id. Default: the project's own model.")]
TopKOpt = Annotated[int, typer.Option(
    min=1, max=50, metavar="N",
    help="Candidate passages per claim sent to the NLI model.")]
SupportOpt = Annotated[float, typer.Option(
    min=0.01, max=1.0, metavar="P",
    help="P(supported) a passage needs to support the claim.")]
ContradictOpt = Annotated[float, typer.Option(
    min=0.01, max=1.0, metavar="P",
    help="P(contradicted) a passage needs to contradict the claim.")]
RelevanceOpt = Annotated[float, typer.Option(
    min=0.0, max=0.99, metavar="SCORE",
    help="Retrieval score a passage needs to support or contradict the claim.")]
ScoreAllOpt = Annotated[bool, typer.Option(
    "--score-all",
    help="Score all top-k passages of each claim (default: shortest first, stopping once a passage decides).")]
PrecisionOpt = Annotated[Precision, typer.Option(
    metavar="[auto|fp32|bf16|int8]",
    help="NLI model precision. auto: bf16 where the CPU or GPU computes it natively, else fp32; int8: dynamic "
         "quantization (CPU).")]
FormatOpt = Annotated[ArticleFormat, typer.Option(
    "--format", metavar="[auto|text|markdown|html]",
    help="Article format. auto: by file extension (.html, .md); text for other files and batch cells, unless the "
         "content is a whole HTML page.")]

F = TypeVar("F", bound=Callable[..., Any])


def _quiet_libraries() -> None:
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _guarded(command: F) -> F:
    """Turn an unexpected exception into one line and exit code 4 (VERIFIER_DEBUG=1: re-raise)."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as e:
            raise _fail(str(e), EXIT_INPUT) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as e:
            if os.environ.get("VERIFIER_DEBUG"):
                raise
            first = (str(e).strip().splitlines() or [""])[0][:300]
            raise _fail(f"internal error ({type(e).__name__}: {first}); "
                        "rerun with VERIFIER_DEBUG=1 for the traceback and please report it", EXIT_INTERNAL) from None

    return run  # type: ignore[return-value]


def _make_verifier(model: str | None, top_k: int, support: float, contradict: float, precision: str,
                   score_all: bool, min_relevance: float) -> Any:
    _quiet_libraries()
    from transformers.utils import logging as transformers_logging

    from verifier.pipeline import Verifier

    transformers_logging.disable_progress_bar()  # also when transformers was imported before the variables were set

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


def _validate_output(path: Path, input_path: Path | None = None) -> None:
    """Fail early (before a model loads) on an output that cannot be written."""
    from verifier.batch import same_file
    from verifier.tables import table_format

    table_format(path)
    if path.is_dir():
        raise InputError(f"output path is a folder, not a file: {path}")
    if not path.parent.is_dir():
        raise InputError(f"output folder does not exist: {path.parent}")
    if input_path is not None and same_file(input_path, path):
        raise InputError("the output file must differ from the input file")


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
@_guarded
def check(
    claims: Annotated[list[str], typer.Argument(
        metavar="CLAIM", hidden=True,  # described in the docstring: typer would tag it <list[str]>
        help="One or more claims to check.", show_default=False)],
    article: Annotated[str, typer.Option(
        "--article", "-a", metavar="PATH|-|URL",
        help="Article file (text, Markdown, HTML), '-' for stdin, or an http(s) URL.")],
    json_out: Annotated[bool, typer.Option(
        "--json",
        help="Print verdicts as JSON (one object, or a list for several claims).")] = False,
    fail_on: Annotated[Label | None, typer.Option(
        "--fail-on", metavar="[supported|contradicted|not_mentioned]",
        help="Exit 3 when any verdict has this label.")] = None,
    article_format: FormatOpt = AUTO_FORMAT,
    encoding: Annotated[str, typer.Option(metavar="NAME", help="Text encoding of the article file.")] = "utf-8",
    model: ModelOpt = None,
    top_k: TopKOpt = DEFAULT_TOP_K,
    support_threshold: SupportOpt = _RULE.support_threshold,
    contradict_threshold: ContradictOpt = _RULE.contradict_threshold,
    min_relevance: RelevanceOpt = _RULE.min_relevance,
    precision: PrecisionOpt = DEFAULT_PRECISION,
    score_all: ScoreAllOpt = False,
) -> None:
    """Check one or more CLAIMs against one article and show the evidence in context."""
    from verifier.pipeline import validate_claim

    art = _load_article(article, article_format.value, encoding)
    for c in claims:
        validate_claim(c)
    verifier = _make_verifier(model, top_k, support_threshold, contradict_threshold, precision.value, score_all,
                              min_relevance)
    verdicts = verifier.verify_many(claims, art)
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
@_guarded
def batch(
    input_path: Annotated[Path, typer.Argument(
        metavar="IN",
        help="CSV or JSONL with a 'claim' column; optional 'id', 'article', 'article_path', 'article_format'.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="OUT", help="Output file, .csv or .jsonl.")],
    article: Annotated[str | None, typer.Option(
        "--article", "-a", metavar="PATH|URL",
        help="Default article for rows without one.")] = None,
    article_format: FormatOpt = AUTO_FORMAT,
    resume: Annotated[bool, typer.Option(help="Skip ids already in the output and append to it.")] = False,
    chunk_size: Annotated[int, typer.Option(
        min=1, max=4096, metavar="N",
        help="Claims verified together (rows are written after each chunk).")] = 256,
    progress: Annotated[bool, typer.Option(help="Progress bar on stderr.")] = True,
    model: ModelOpt = None,
    top_k: TopKOpt = DEFAULT_TOP_K,
    support_threshold: SupportOpt = _RULE.support_threshold,
    contradict_threshold: ContradictOpt = _RULE.contradict_threshold,
    min_relevance: RelevanceOpt = _RULE.min_relevance,
    precision: PrecisionOpt = DEFAULT_PRECISION,
    score_all: ScoreAllOpt = False,
    engine: Annotated[Engine, typer.Option(
        help="local: this process; ray: a Ray cluster, Parquet in/out too "
             "(pip install 'verifier[ray]').")] = Engine.LOCAL,
    address: Annotated[str | None, typer.Option(
        metavar="ADDRESS",
        help="Ray cluster to join: auto, ray://HOST:10001 (default: a local Ray).")] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, metavar="N",
        help="Ray actors, one verifier each (default: one per CPU of the cluster).")] = None,
) -> None:
    """Verify every row of a CSV/JSONL file, streaming results to OUT."""
    from verifier.batch import run_batch
    from verifier.tables import read_rows, table_format

    if engine == Engine.RAY:
        _batch_ray(input_path, output, article, article_format.value, resume, chunk_size, progress, workers, address,
                   functools.partial(_verifier_factory, model, top_k, support_threshold, contradict_threshold,
                                     precision.value, score_all, min_relevance))
        return
    table_format(input_path)
    if input_path.is_dir():
        raise InputError(f"input path is a folder, not a file: {input_path}")
    if not input_path.is_file():
        raise InputError(f"input file not found: {input_path}")
    _validate_output(output, input_path)
    next(read_rows(input_path), None)  # a bad header fails before the model loads
    default = _load_article(article, article_format.value, "utf-8") if article else None
    verifier = _make_verifier(model, top_k, support_threshold, contradict_threshold, precision.value, score_all,
                              min_relevance)
    bars: list[Any] = []  # made at the first row, so that an error before it prints one line alone

    def advance(_row: dict[str, Any]) -> None:
        if not bars:
            from tqdm import tqdm

            bars.append(tqdm(unit=" claims", file=sys.stderr, desc="verifying", dynamic_ncols=True))
        bars[0].update(1)

    try:
        summary = run_batch(verifier, input_path, output, default_article=default, article_format=article_format.value,
                            resume=resume, chunk_size=chunk_size, on_row=advance if progress else None)
    finally:
        for bar in bars:
            bar.close()
    _report(summary, output)


def _verifier_factory(model: str | None, top_k: int, support: float, contradict: float, precision: str,
                      score_all: bool, min_relevance: float) -> Any:
    """Builds the verifier on a Ray worker (library errors, not CLI exits)."""
    _quiet_libraries()
    from verifier.pipeline import Verifier

    rule = DecisionRule(support_threshold=support, contradict_threshold=contradict, min_relevance=min_relevance)
    return Verifier(model, rule=rule, top_k=top_k, precision=precision, score_all=score_all)


def _batch_ray(input_path: Path, output: Path, article: str | None, article_format: str, resume: bool,
               chunk_size: int, progress: bool, workers: int | None, address: str | None,
               factory: Callable[[], Any]) -> None:
    from verifier.batch_ray import RayEngineError, run_batch_ray

    default = _load_article(article, article_format, "utf-8") if article else None
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(unit=" claims", file=sys.stderr, desc="verifying", dynamic_ncols=True)
    try:
        summary = run_batch_ray(factory, input_path, output, default_article=default, article_format=article_format,
                                resume=resume, chunk_size=chunk_size, workers=workers, address=address,
                                on_row=(lambda _row: bar.update(1)) if bar is not None else None)
    except RayEngineError as e:
        raise _fail(str(e), EXIT_MODEL) from None
    finally:
        if bar is not None:
            bar.close()
    _report(summary, output)


def _report(summary: Any, output: Path) -> None:
    counts = ", ".join(f"{k.value} {v}" for k, v in sorted(summary.labels.items())) or "none"
    speed = f"{summary.claims_per_second:.1f} claims/s" if summary.verified else "no verdicts"
    typer.echo(
        f"{summary.rows} row{'' if summary.rows == 1 else 's'} in {summary.seconds:.1f}s ({speed}): "
        f"{counts}; errors {summary.errors}; skipped {summary.skipped} -> {output}",
        err=True,
    )


@app.command("eval")
@_guarded
def eval_command(
    input_path: Annotated[Path, typer.Argument(
        metavar="IN",
        help="CSV or JSONL with 'claim' and gold 'label' columns.")],
    article: Annotated[str | None, typer.Option(
        "--article", "-a", metavar="PATH|URL",
        help="Default article for rows without one.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="OUT",
        help="Also write each row's prediction here (.csv/.jsonl).")] = None,
    model: ModelOpt = None,
    top_k: TopKOpt = DEFAULT_TOP_K,
    support_threshold: SupportOpt = _RULE.support_threshold,
    contradict_threshold: ContradictOpt = _RULE.contradict_threshold,
    min_relevance: RelevanceOpt = _RULE.min_relevance,
    precision: PrecisionOpt = DEFAULT_PRECISION,
    score_all: ScoreAllOpt = False,
) -> None:
    """Score verdicts against gold labels: accuracy, macro-F1, per-label precision/recall, confusion matrix."""
    from verifier.evaluation import evaluate_file
    from verifier.tables import read_rows

    next(read_rows(input_path), None)  # a missing or unreadable file fails before the model loads
    if output is not None:
        _validate_output(output, input_path)
    default = _load_article(article, "auto", "utf-8") if article else None
    verifier = _make_verifier(model, top_k, support_threshold, contradict_threshold, precision.value, score_all,
                              min_relevance)
    report = evaluate_file(verifier, input_path, default_article=default, output=output)
    if json_out:
        typer.echo(json.dumps(report, indent=2))
    else:
        from verifier.metrics import format_report

        typer.echo(format_report(report))
        if report.get("errors"):
            typer.echo(f"rows with errors (not scored): {report['errors']}", err=True)


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
