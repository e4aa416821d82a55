"""How hard a Jena weather file is to forecast, by the measure of issue 23 (the stand-in is calibrated on it).

``python -m benchmarks.jena_difficulty [FILE.csv ...]``: the ratio for each weather CSV given (in the lecture file's
format), or for the stand-in the lesson scale uses when none is given (generated in memory, not written).

The measure, on 7.3's lesson split (training rows 0-30,000, validation 30,001-37,000, window 1,440 rows, step 6,
target 144 rows after the window's row):

- the -9999 wind values are set to 0 (as 7.3 cleans them), then every column is normalized by the mean and standard
  deviation of rows 0-30,000 (7.3's ``float_data[:TRAIN_MAX]``);
- features: the window's last 24 hourly rows, offsets -144, -138, ..., -6 from the row, all 14 columns;
  target: T (degC) at row + 144;
- a ridge regression (lambda = 10 on the weights, the intercept not penalized), fitted on 6,000 training rows drawn
  with replacement from 1,440 <= row < 30,000 by ``numpy.random.default_rng(0)``;
- its MAE on every validation row 31,441 ... 36,999, over the MAE of 7.3's naive baseline (T at row - 6) on the
  same rows.

A ratio near 1 means the last day of all the measurements hardly beats persistence; real station weather gives
0.91-1.07 (the lecture file's own station, three splices of 2018-2024), the stand-in before issue 23 gave 0.75.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

TRAIN_MAX, VAL_MIN, VAL_MAX = 30000, 30001, 37000  # 7.3's lesson split
LOOKBACK, STEP, DELAY = 1440, 6, 144
OFFSETS = np.arange(-144, 0, STEP)  # the window's last 24 hourly rows
FIT_ROWS, LAMBDA, SEED = 6000, 10.0, 0
ROWS_READ = VAL_MAX - 1 + DELAY + 1  # the highest row read (36,999 + 144) plus one


def difficulty(values: np.ndarray) -> dict[str, float]:
    """``ratio`` (ridge MAE / naive MAE), ``ridge_mae`` and ``naive_mae`` (normalized units) of a weather array,
    rows x 14 columns in the file's order (without 'Date Time'); only its first ``ROWS_READ`` rows are read."""
    x = np.array(values[:ROWS_READ], dtype=np.float64)
    if x.shape[0] < ROWS_READ or x.ndim != 2 or x.shape[1] != 14:
        raise ValueError(f"need at least {ROWS_READ} rows x 14 columns, got {x.shape}")
    x[x == -9999.0] = 0.0
    x = (x - x[:TRAIN_MAX].mean(axis=0)) / x[:TRAIN_MAX].std(axis=0)

    def features(rows):
        return np.hstack([x[rows[:, None] + OFFSETS].reshape(len(rows), -1), np.ones((len(rows), 1))])

    fit = np.random.default_rng(SEED).integers(LOOKBACK, TRAIN_MAX, size=FIT_ROWS)
    a = features(fit)
    penalty = LAMBDA * np.eye(a.shape[1])
    penalty[-1, -1] = 0.0  # the intercept
    weights = np.linalg.solve(a.T @ a + penalty, a.T @ x[fit + DELAY, 1])
    val = np.arange(VAL_MIN + LOOKBACK, VAL_MAX)
    target = x[val + DELAY, 1]
    ridge_mae = float(np.mean(np.abs(features(val) @ weights - target)))
    naive_mae = float(np.mean(np.abs(x[val - STEP, 1] - target)))
    return {"ratio": ridge_mae / naive_mae, "ridge_mae": ridge_mae, "naive_mae": naive_mae}


def main(argv=None) -> None:
    import pandas as pd

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="weather CSVs (default: the lesson scale's stand-in)")
    args = parser.parse_args(argv)
    if args.files:
        frames = {str(f): pd.read_csv(f) for f in args.files}
    else:
        from utils import data, standins

        start = time.perf_counter()
        frames = {"stand-in (lesson, full size)": standins.jena_frame(data.STANDIN_SIZES["lesson"]["jena_rows"])}
        print(f"stand-in generated in {time.perf_counter() - start:.1f} s (version {standins.VERSION})",
              file=sys.stderr)
    for name, frame in frames.items():
        d = difficulty(frame.drop(columns="Date Time").to_numpy())
        print(f"{name}: ratio {d['ratio']:.3f} (ridge MAE {d['ridge_mae']:.4f}, naive MAE {d['naive_mae']:.4f})")


if __name__ == "__main__":
    main()
