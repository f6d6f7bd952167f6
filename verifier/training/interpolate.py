"""Weight-space interpolation of two fine-tunes of the same model (WiSE-FT, Wortsman et al. 2022).

`(1 - weight) * A + weight * B`, tensor by tensor: with A the shipped model and B a fine-tune of it
on new data, a weight between 0 and 1 often keeps what A did well and gains part of what B learnt,
which neither end point does. Both models must share the architecture (same tensor names and shapes).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from verifier.errors import InputError

WEIGHTS = "model.safetensors"
# Everything but the weights comes from model B (config, tokenizer); the card is not copied.
_SKIP = {WEIGHTS, "README.md"}


def _load(model_dir: Path) -> dict:
    from safetensors.torch import load_file

    path = model_dir / WEIGHTS
    if not path.is_file():
        raise InputError(f"{model_dir}: no {WEIGHTS} (a folder from `verifier train --export` or save_pretrained)")
    return load_file(str(path))


def interpolate(a: str | Path, b: str | Path, weight: float, out: str | Path) -> Path:
    """Write `(1 - weight) * a + weight * b` to `out` (fp16 weights, b's config and tokenizer); return `out`."""
    import torch
    from safetensors.torch import save_file

    if not 0.0 <= weight <= 1.0:
        raise InputError(f"weight must be between 0 and 1, got {weight}")
    a, b, out = Path(a), Path(b), Path(out)
    sa, sb = _load(a), _load(b)
    if sa.keys() != sb.keys():
        only = sorted(sa.keys() ^ sb.keys())
        raise InputError(f"{a} and {b} are different architectures: tensor {only[0]!r} is in only one")
    mixed = {}
    for name, ta in sa.items():
        tb = sb[name]
        if ta.shape != tb.shape:
            raise InputError(f"{a} and {b} differ in the shape of {name!r}: {tuple(ta.shape)} vs {tuple(tb.shape)}")
        if ta.is_floating_point():
            mixed[name] = ((1.0 - weight) * ta.float() + weight * tb.float()).to(torch.float16).contiguous()
        else:
            mixed[name] = tb.clone()
    out.mkdir(parents=True, exist_ok=True)
    for f in b.iterdir():
        if f.is_file() and f.name not in _SKIP and f.resolve() != (out / f.name).resolve():
            shutil.copy2(f, out / f.name)
    config = out / "config.json"
    if config.is_file():  # the weights are fp16 whatever b's were
        cfg = json.loads(config.read_text(encoding="utf-8"))
        for key in ("dtype", "torch_dtype"):
            if key in cfg:
                cfg[key] = "float16"
        config.write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp = out / (WEIGHTS + ".tmp")  # `out` may be `a` or `b` itself: replace the weights in one step
    save_file(mixed, str(tmp), metadata={"format": "pt"})
    os.replace(tmp, out / WEIGHTS)
    return out
