"""PEP 517 build backend: setuptools, plus mypy when a compiled build is asked for.

``JUNHENG_COMPILE=1 pip install .`` compiles the extraction hot path with mypyc (see
``mypyc_build.py``); without it the build is setuptools' own and installs pure Python. mypy is a
build requirement only in the first case, so a plain install never downloads it.
"""

from __future__ import annotations

import os

from mypyc_build import wanted  # this folder is the backend's path
from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 (every hook not redefined below)

MYPYC_REQUIRES = ["mypy==2.4.1"]


def _requires(hook, config_settings) -> list[str]:
    # setuptools runs setup.py to list its requirements, before mypy is installed: tell
    # setup.py not to compile yet
    os.environ["JUNHENG_BUILD_PHASE"] = "requires"
    try:
        base = hook(config_settings)
    finally:
        os.environ.pop("JUNHENG_BUILD_PHASE", None)
    return base + (MYPYC_REQUIRES if wanted() else [])


def get_requires_for_build_wheel(config_settings=None):
    return _requires(_setuptools.get_requires_for_build_wheel, config_settings)


def get_requires_for_build_editable(config_settings=None):
    return _requires(_setuptools.get_requires_for_build_editable, config_settings)
