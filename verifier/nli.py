"""NLI cross-encoders: probabilities of supported / contradicted / not_mentioned for (passage, claim).

Any Hugging Face sequence-classification NLI model works, by Hub id or local path. The label
order is read from `config.id2label`; a model whose labels do not map onto our three is refused.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from verifier.errors import ModelError
from verifier.labels import LABELS, parse_label

DEFAULT_MODEL_NAME = "nli-minilm-l6"
PRECISIONS = ("auto", "fp32", "bf16", "int8")
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"  # a source checkout's models/
PACKAGED_MODELS_DIR = Path(__file__).resolve().parent / "_models"  # an installed wheel's copy of models/


class NLIModel(Protocol):
    """Scores (premise, hypothesis) pairs; columns follow `verifier.labels.LABELS`."""

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray: ...


def default_model_path() -> Path:
    """The project's own model: `$VERIFIER_MODEL` if set, else `models/nli-minilm-l6` of a source
    checkout, else the copy a wheel installs inside the package (`verifier/_models/`)."""
    env = os.environ.get("VERIFIER_MODEL")
    if env:
        return Path(env)
    checkout = MODELS_DIR / DEFAULT_MODEL_NAME
    packaged = PACKAGED_MODELS_DIR / DEFAULT_MODEL_NAME
    return packaged if not checkout.exists() and packaged.exists() else checkout


def label_columns(id2label: Mapping[int | str, str]) -> list[int]:
    """For each of our LABELS, the model output index that carries it.

    Raises:
        ModelError: a label is unknown, or ours are not each covered exactly once.
    """
    found: dict[int, int] = {}
    for raw_id, name in id2label.items():
        try:
            label = parse_label(str(name))
        except ValueError:
            raise ModelError(
                f"model label {name!r} (id {raw_id}) cannot be mapped to supported / contradicted / "
                "not_mentioned; use a 3-way NLI model whose config.id2label names its labels "
                "(entailment / contradiction / neutral)"
            ) from None
        idx = LABELS.index(label)
        if idx in found:
            raise ModelError(f"model labels map two outputs to {label.value!r}: {dict(id2label)}")
        found[idx] = int(raw_id)
    missing = [LABELS[i].value for i in range(len(LABELS)) if i not in found]
    if missing:
        raise ModelError(f"model has no output for {', '.join(missing)}: its labels are {dict(id2label)}")
    return [found[i] for i in range(len(LABELS))]


def quantize_int8(model: Any) -> Any:
    """Dynamic int8 quantization of every linear layer, with one weight scale per output channel.

    Per-channel scales lose less accuracy than one scale per matrix (measured on XNLI, see the
    model card) at the same speed.
    """
    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():
        # torch marks eager-mode quantization deprecated in favour of torchao, which is not a
        # dependency here; the API works in the torch versions pyproject.toml allows.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*quantize_per_.*", category=UserWarning)
        return quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig})


def native_bf16(device: str) -> bool:
    """Whether `device` computes in bfloat16 natively (CPU: AVX512-BF16 or AMX; GPU: bf16 support)."""
    import torch

    if device.startswith("cuda"):
        return torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    if device != "cpu":
        return False
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")  # private torch.cpu helpers
    return any(getattr(torch.cpu, name, lambda: False)() for name in checks)


def resolve_precision(precision: str, device: str) -> str:
    """The precision the model will run in: 'auto' becomes 'bf16' where the device has native
    bfloat16 arithmetic (1.7x faster than fp32 on an AVX512-BF16 CPU, same accuracy; see the
    model card), else 'fp32'.

    Raises:
        ValueError: an unknown precision, or int8 on a GPU.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    if precision == "int8" and device != "cpu":
        raise ValueError(f"int8 runs on the CPU only; the device is {device!r}")
    if precision == "auto":
        return "bf16" if native_bf16(device) else "fp32"
    return precision


def _looks_like_a_path(name: str) -> bool:
    """A local path rather than a Hub id ('org/name'): absolute, relative to '.' or '~', or Windows-style."""
    return name.startswith(("/", "./", "../", "~", ".\\")) or "\\" in name or (len(name) > 1 and name[1] == ":")


class CrossEncoderNLI:
    """A sequence-classification NLI model scoring (passage, claim) pairs on the CPU or a GPU.

    Args:
        model_name_or_path: local folder or Hub id; None for the project's default model.
        max_length: tokens per pair; the longer of passage and claim is cut first, so that any
            pair fits (a claim longer than the budget is cut too, instead of failing).
        batch_size: pairs per forward pass; None: 16 on the CPU (faster than 32 or 64 on the
            2-core machine measured, see benchmarks/speed.py), 64 on a GPU.
        device: 'cpu', 'cuda', ...; None picks CUDA when available.
        precision: 'fp32'; 'bf16' (bfloat16 weights and activations); 'int8' (dynamic int8
            quantization of linear layers, CPU only); 'auto' (default): bf16 where the device
            computes it natively, else fp32. The one chosen is in `self.precision`.
    """

    def __init__(
        self,
        model_name_or_path: str | Path | None = None,
        *,
        max_length: int = 256,
        batch_size: int | None = None,
        device: str | None = None,
        precision: str = "auto",
    ):
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.precision = resolve_precision(precision, self.device)
        path = model_name_or_path or default_model_path()
        if model_name_or_path is None and not Path(path).exists():
            if os.environ.get("VERIFIER_MODEL"):
                raise ModelError(f"VERIFIER_MODEL names {path}, which does not exist; "
                                 "point it at a model folder or unset it")
            raise ModelError(
                f"the default NLI model is missing at {path}; reinstall verifier, train the model "
                "(see README) or pass a model by name or path (--model)"
            )
        if _looks_like_a_path(str(path)) and not Path(path).expanduser().exists():
            raise ModelError(f"no model folder at {path}; give an existing folder or a Hugging Face model id")
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(path))
            model = AutoModelForSequenceClassification.from_pretrained(str(path), dtype=torch.float32)
        except OSError as e:
            reason = (str(e).strip().splitlines() or [type(e).__name__])[0]
            raise ModelError(f"cannot load NLI model {str(path)!r}: {reason}") from None
        self.columns = label_columns(model.config.id2label)
        model = model.to(self.device).eval()
        if self.precision == "bf16":
            model = model.to(torch.bfloat16)
        elif self.precision == "int8":
            model = quantize_int8(model)
        self.model = model
        self.name = str(path)
        self.max_length = max_length
        self.batch_size = batch_size or (16 if self.device == "cpu" else 64)
        self._torch = torch

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Probabilities, shape (len(pairs), 3), columns in LABELS order."""
        torch = self._torch
        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        with torch.inference_mode():
            for k in range(0, len(order), self.batch_size):
                idx = order[k : k + self.batch_size]
                enc = self.tokenizer(
                    [pairs[i][0] for i in idx], [pairs[i][1] for i in idx], padding=True,
                    truncation="longest_first", max_length=self.max_length, return_tensors="pt",
                ).to(self.device)
                probs = torch.softmax(self.model(**enc).logits.float(), dim=-1)[:, self.columns]
                out[idx] = probs.cpu().numpy()
        return out
