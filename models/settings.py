"""Settings of the learned parts (models/data/*.yaml), and where they cache things."""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


@cache
def load_settings(name: str) -> dict[str, Any]:
    """The parsed ``models/data/<name>.yaml``."""
    path = resources.files("junheng.models").joinpath(f"data/{name}.yaml")
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def cache_dir() -> Path:
    """``$JUNHENG_CACHE_DIR``, else ``$XDG_CACHE_HOME/junheng``, else ``~/.cache/junheng``."""
    env = os.environ.get("JUNHENG_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "junheng"


def torch_device(prefer: str | None = None) -> str:
    """``prefer`` when given, else ``cuda`` when torch sees a GPU, else ``cpu``."""
    if prefer:
        return prefer
    try:
        import torch
    except ImportError:
        return "cpu"
    return "cuda" if torch.cuda.is_available() else "cpu"
