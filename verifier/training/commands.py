"""CLI commands of the model factory: `verifier train`, `dev-eval`, `news-pairs`, `contrast-sets` and
`interpolate`.

Registered by `verifier.cli`, which imports this module only when one of these commands is run
or listed; torch, the readers and the generators are imported inside the commands.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from verifier.cli import DEFAULT_PRECISION, EXIT_INPUT, Precision, _fail, _guarded, _quiet_libraries
from verifier.errors import VerifierError
from verifier.training.paths import DATA_ENV

DataDirOpt = Annotated[Path | None, typer.Option(
    "--data-dir", metavar="DIR", show_default=False,
    help=f"Data folder holding train/ and dev/. Default: ${DATA_ENV}, else the recipe's data_dir (train), "
         "else ../shared/data beside the repository.")]

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


@app.command()
def train(
    recipe: Annotated[Path, typer.Argument(
        exists=True, dir_okay=False, metavar="RECIPE",
        help="Training recipe (JSON; see models/recipes/).")],
    run_dir: Annotated[Path | None, typer.Option(
        metavar="DIR",
        help="Run folder (checkpoints, log, best model); overrides the recipe's.")] = None,
    export_to: Annotated[Path | None, typer.Option(
        "--export", metavar="DIR",
        help="When done, write the fp16 model to this folder.")] = None,
    last: Annotated[bool, typer.Option(
        "--last",
        help="Export the last weights instead of the best on the dev sample.")] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Fine-tune the NLI cross-encoder (resumes from the run folder's checkpoint)."""
    _quiet_libraries()
    from verifier.training.paths import data_dir as resolve_data_dir
    from verifier.training.train import TrainConfig, export
    from verifier.training.train import train as run_training

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    try:
        cfg = json.loads(recipe.read_text())
        if run_dir is not None:
            cfg["run_dir"] = str(run_dir)
        cfg["data_dir"] = str(resolve_data_dir(data_dir, cfg.get("data_dir")))
        best = run_training(TrainConfig(**cfg))
    except (TypeError, json.JSONDecodeError) as e:
        raise _fail(f"bad recipe {recipe}: {e}", EXIT_INPUT) from None
    except (VerifierError, ValueError) as e:
        raise _fail(str(e), EXIT_INPUT) from None
    typer.echo(f"best model: {best}", err=True)
    if export_to is not None:
        export(best.parent / "final" if last else best, export_to)
        typer.echo(f"exported to {export_to}", err=True)


@app.command("dev-eval")
@_guarded
def dev_eval(
    model: Annotated[str, typer.Option("--model", "-m", metavar="NAME_OR_PATH",
                                       help="NLI model folder or Hub id.")],
    sets: Annotated[str | None, typer.Option(
        metavar="A,B",
        help="Comma-separated dev sets (default: all dev sets); 'contrast' for all contrast sets.")] = None,
    limit: Annotated[int | None, typer.Option(
        min=1, metavar="N", help="At most N pairs per set, sampled deterministically.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the --limit sample.")] = 0,
    data_dir: DataDirOpt = None,
    json_out: Annotated[Path | None, typer.Option("--json", metavar="FILE",
                                                  help="Write the full reports as JSON here.")] = None,
    markdown: Annotated[Path | None, typer.Option(metavar="FILE", help="Write the markdown tables here.")] = None,
    device: Annotated[str | None, typer.Option(help="cpu, cuda, ... (default: CUDA when available).")] = None,
    threads: Annotated[int | None, typer.Option(min=1, help="Torch CPU threads (default: torch's choice).")] = None,
    batch_size: Annotated[int | None, typer.Option(
        min=1, help="NLI pairs per forward pass (default: 16 on the CPU, 64 on a GPU).")] = None,
    max_length: Annotated[int, typer.Option(min=8, help="NLI tokens per pair.")] = 256,
    precision: Annotated[Precision, typer.Option(
        metavar="[auto|fp32|bf16|int8]",
        help="NLI model precision (auto: bf16 where computed natively, else fp32).")] = DEFAULT_PRECISION,
    top_k: Annotated[int, typer.Option(min=1, help="Article sets: passages per claim.")] = 5,
    max_window: Annotated[int, typer.Option(min=1, help="Article sets: longest passage in sentences.")] = 3,
    score_all: Annotated[bool, typer.Option(
        "--score-all", help="Article sets: score all top-k passages (default: shortest first, stop once decided).")
    ] = False,
) -> None:
    """Evaluate an NLI model (pair sets) and the whole Verifier (article sets) on the dev sets."""
    _quiet_libraries()
    from verifier.training import dev_eval as evaluation
    from verifier.training.paths import data_dir as resolve_data_dir

    options = evaluation.DevEvalOptions(
        model=model, names=evaluation.set_names(sets), limit=limit, seed=seed, data=resolve_data_dir(data_dir),
        device=device, threads=threads, batch_size=batch_size, max_length=max_length, precision=precision.value,
        top_k=top_k, max_window=max_window, score_all=score_all)
    _log_to_stderr()
    start = time.monotonic()
    results = evaluation.run(options)
    text = evaluation.to_markdown(results, evaluation.title(options))
    typer.echo(text, nl=False)
    if markdown:
        markdown.write_text(text, encoding="utf-8")
    if json_out:
        report = {"meta": evaluation.meta(options, time.monotonic() - start), "sets": results}
        json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


@app.command("news-pairs")
@_guarded
def news_pairs(
    out: Annotated[Path, typer.Argument(dir_okay=False, metavar="OUT", help="Output JSONL file.")],
    data_dir: DataDirOpt = None,
    seed: Annotated[int, typer.Option(help="Seed of every random choice.")] = 13,
    per_label: Annotated[int, typer.Option(min=0, help="Contrast pairs per label.")] = 4000,
    unrelated: Annotated[int, typer.Option(min=0, help="Unrelated headline pairs per dataset.")] = 3000,
    fnc_words: Annotated[int, typer.Option(min=0, help="FNC-1 body words to embed for retrieval.")] = 330_000,
    arc_words: Annotated[int, typer.Option(min=0, help="ARC body words to embed for retrieval.")] = 150_000,
    max_body_words: Annotated[int, typer.Option(min=1, help="Longest body used, in words.")] = 1500,
    no_retrieved: Annotated[bool, typer.Option("--no-retrieved", help="Contrast pairs only (no model).")] = False,
    threads: Annotated[int, typer.Option(min=1, help="Torch CPU threads for the embedder.")] = 1,
) -> None:
    """Training pairs from the FNC-1 and ARC news articles (retrieved headline pairs, rule-based contrast pairs)."""
    _quiet_libraries()
    from verifier.training.news_pairs import build_news_pairs
    from verifier.training.paths import data_dir as resolve_data_dir

    root = resolve_data_dir(data_dir)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s", stream=sys.stderr)
    logging.getLogger("verifier.training.news_pairs").setLevel(logging.INFO)  # our progress, not bm25s' messages
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    counts = build_news_pairs(root, out, seed, per_label, unrelated, fnc_words, arc_words, max_body_words,
                              retrieved=not no_retrieved, threads=threads)
    typer.echo(json.dumps(counts, indent=1))


@app.command("contrast-sets")
@_guarded
def contrast_sets(
    out_dir: Annotated[Path, typer.Argument(file_okay=False, metavar="OUT_DIR",
                                            help="Folder for one JSONL file per set.")],
    data_dir: DataDirOpt = None,
    per_set: Annotated[int, typer.Option(min=1, help="Pairs per set.")] = 200,
    seed: Annotated[int, typer.Option(help="Seed of every random choice.")] = 12,
    sets: Annotated[str | None, typer.Option(metavar="A,B", help="Comma-separated sets (default: all).")] = None,
    train_pairs: Annotated[int | None, typer.Option(
        "--train", min=1, metavar="N",
        help="Write N training pairs per weak kind to OUT_DIR/contrast_train.jsonl instead.")] = None,
) -> None:
    """Contrast sets: small, rule-built evaluation sets for the NLI mistakes news exposes."""
    from verifier.training import contrast_sets as contrast
    from verifier.training.paths import data_dir as resolve_data_dir

    root = resolve_data_dir(data_dir)
    if train_pairs:
        counts = contrast.write_training_pairs(root, out_dir, train_pairs, seed)
    else:
        names = [n.strip() for n in (sets or ",".join(contrast.GENERATORS)).split(",") if n.strip()]
        counts = contrast.write_sets(root, out_dir, names, per_set, seed)
    typer.echo(json.dumps(counts))


@app.command()
@_guarded
def interpolate(
    model_a: Annotated[Path, typer.Argument(file_okay=False, exists=True, metavar="A",
                                            help="Model folder A (weight 0), e.g. the shipped model.")],
    model_b: Annotated[Path, typer.Argument(file_okay=False, exists=True, metavar="B",
                                            help="Model folder B (weight 1), a fine-tune of A.")],
    out: Annotated[Path, typer.Option("--out", "-o", file_okay=False, metavar="DIR",
                                      help="Folder for the interpolated model.")],
    weight: Annotated[float, typer.Option(min=0.0, max=1.0, metavar="W",
                                          help="Share of B: (1 - W) * A + W * B.")] = 0.5,
) -> None:
    """Interpolate two fine-tunes of one model in weight space (WiSE-FT)."""
    from verifier.training.interpolate import interpolate as mix

    typer.echo(str(mix(model_a, model_b, weight, out)))


def _log_to_stderr() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.INFO)  # some libraries (bm25s) set their own loggers to DEBUG
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])


def run_command(name: str) -> None:
    """Run `verifier NAME` with this process's arguments (for `python -m verifier.training.<module>`)."""
    from verifier.cli import app as cli_app

    typer.main.get_command(cli_app)([name, *sys.argv[1:]], prog_name="verifier")
