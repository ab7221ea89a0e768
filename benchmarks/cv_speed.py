"""Speed of the school-table core: load + validate, then CVs, six-of-seven and verdicts.

Generates a synthetic table (default 100,000 school sections over many counties and years),
writes it as CSV and Parquet, and times each step. Usage:

    .venv/bin/python benchmarks/cv_speed.py [--rows 100000] [--counties 500] [--years 4]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from junheng.indicators.coefficients import compute
from junheng.indicators.schools import read_school_table


def synthetic(rows: int, counties: int, years: int, seed: int = 7) -> pd.DataFrame:
    """Random but plausible school sections (per-pupil values around the 2017 thresholds)."""
    rng = np.random.default_rng(seed)
    county = rng.integers(0, counties, rows)
    year = 2019 + rng.integers(0, years, rows)
    stage = np.where(rng.random(rows) < 0.6, "小学", "初中")
    students = rng.integers(40, 2500, rows)
    per = {  # per-pupil means, x100 where the indicator is per 100 pupils
        "高于规定学历教师数": 0.055,
        "县级以上骨干教师数": 0.012,
        "体育艺术专任教师数": 0.011,
        "教学及辅助用房面积": 5.5,
        "体育运动场馆面积": 9.0,
        "教学仪器设备值": 2600.0,
        "网络多媒体教室数": 0.026,
    }
    df = pd.DataFrame(
        {
            "区县": [f"县{c:04d}" for c in county],
            "年度": year,
            "学校": [f"学校{i:06d}" for i in range(rows)],
            "学段": stage,
            "在校生数": students,
        }
    )
    for col, mean in per.items():
        df[col] = np.round(students * mean * rng.lognormal(0.0, 0.3, rows), 1)
    return df


def timed(label: str, fn, repeat: int = 3):
    """Best of `repeat` runs, wall clock and process CPU time (CPU is steadier on a busy box)."""
    best_wall, best_cpu, out = float("inf"), float("inf"), None
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        best_wall = min(best_wall, time.perf_counter() - w0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    print(f"{label:<38} {best_wall * 1000:9.1f} ms wall {best_cpu * 1000:9.1f} ms cpu")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--counties", type=int, default=500)
    ap.add_argument("--years", type=int, default=4)
    args = ap.parse_args()
    df = synthetic(args.rows, args.counties, args.years)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, pq_path = Path(tmp) / "schools.csv", Path(tmp) / "schools.parquet"
        df.to_csv(csv_path, index=False)
        df.to_parquet(pq_path, index=False)
        print(f"{args.rows} school sections, {args.counties} counties x {args.years} years")
        timed("load + validate CSV", lambda: read_school_table(csv_path))
        table = timed("load + validate Parquet", lambda: read_school_table(pq_path))
        timed("load + validate DataFrame", lambda: read_school_table(df))
        report = timed("compute (CVs, six-of-seven, verdicts)", lambda: compute(table))
        timed("to_dict (JSON-ready)", lambda: report.to_dict())
        print(
            f"{len(report.results)} CVs, {len(report.counties)} county verdicts, "
            f"{int(report.schools['pass'].sum())} of {len(report.schools)} schools pass"
        )


if __name__ == "__main__":
    main()
