"""Test configuration: the notebooks run under nbval in quick mode on synthetic data.

Set here, before any kernel starts, so that nobody has to remember it (DESIGN.md section 6).
The data cache stays the default <repo>/data unless DL7_DATA_DIR is set, so the stand-ins
are generated once and reused by later runs.
"""

import os

os.environ["DL7_SCALE"] = "quick"
os.environ["DL7_DATA"] = "synthetic"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")
