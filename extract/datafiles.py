"""The YAML data files of ``extract/data`` (cue words, units, numerals, places), read by name."""

from __future__ import annotations

from importlib import resources

import yaml


def load(name: str) -> dict:
    with resources.files("junheng.extract").joinpath(f"data/{name}").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
