"""Only for the optional compiled build: everything else is in pyproject.toml."""

import sys
from pathlib import Path

from setuptools import setup

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_backend.mypyc_build import ext_modules  # noqa: E402

setup(ext_modules=ext_modules())
