"""The document view in a real browser (Debian's chromium, headless): highlights are visible,
the side panel fills, Chinese text is laid out. Skipped where chromium is not installed
(`apt-get install chromium fonts-noto-cjk`). Loopback only."""

from __future__ import annotations

import importlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).resolve().parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _support():
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    return importlib.import_module("test_api_support")


def chromium(*args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            timeout=90,
            check=False,
        )


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser") / "store"
    ids = _support().build_store(root)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "junheng",
            "serve",
            "--store",
            str(root),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/health", timeout=2)
            break
        except httpx.TransportError:
            assert server.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
    yield base, ids
    server.terminate()
    server.wait(10)


def test_view_renders_highlights_and_panel(served, tmp_path: Path):
    import numpy as np
    from matplotlib.image import imread

    base, ids = served
    url = f"{base}/documents/{ids['甲市2023年教育工作报告']}/view#c=1"
    dom = chromium("--virtual-time-budget=3000", "--dump-dom", url)
    html = dom.stdout.decode("utf-8", errors="replace")
    assert 'class="c v-pass sel"' in html  # the script ran and selected claim 1 (99.5%)
    assert '<div class="surface">99.5%</div>' in html and "retention_rate" in html
    shot = tmp_path / "view.png"
    chromium("--window-size=1280,800", "--virtual-time-budget=3000", f"--screenshot={shot}", url)
    pixels = (imread(str(shot))[:, :, :3] * 255).round().astype(int)
    assert pixels.std() > 10  # not a blank page

    def share(rgb):
        return float(np.all(np.abs(pixels - np.array(rgb)) <= 6, axis=2).mean())

    assert share((0xC8, 0xE6, 0xC9)) > 0.0002  # the green of claims meeting the standard
    assert share((0xE3, 0xE7, 0xEA)) > 0.0002  # the grey of claims without a standard


def test_a_cjk_font_is_installed():
    """Chinese renders only with a CJK font; chromium alone is not enough."""
    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig is not installed")
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    assert fonts.stdout.strip(), "no CJK font: apt-get install fonts-noto-cjk"
