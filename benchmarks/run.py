"""The benchmark command: ``python -m benchmarks.run`` from the repository root.

    python -m benchmarks.run                        # everything (about an hour on 2 cores, see README)
    python -m benchmarks.run --quick                # smoke version, well under a minute
    python -m benchmarks.run --only glove --only onehot
    python -m benchmarks.run --only models --steps 50 --out benchmarks/results/models.md

Prints one Markdown table per section, under a header line with the date, the CPU, the
core count and the TensorFlow/Keras versions; ``--out`` also writes the report to a file.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

SECTIONS = ("notebooks", "models", "pipelines", "glove", "onehot", "fullmode")
# the model keys of section 2 (benchmarks.models.KEYS; written out so that --help needs no TensorFlow)
MODEL_KEYS = ("imdb_emb8", "glove_frozen", "glove_trainable", "simple_rnn", "lstm", "jena_dense", "jena_gru",
              "jena_gru_dropout", "jena_stacked", "jena_gru_reversed", "jena_bigru", "imdb_lstm_reversed",
              "imdb_bilstm")
ALIASES = {str(i + 1): name for i, name in enumerate(SECTIONS)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="tiny smoke version (< 30 s): checks that every section runs; its numbers mean nothing")
    parser.add_argument("--only", action="append", metavar="SECTION", default=[],
                        help=f"run only this section (repeatable or comma-separated): {', '.join(SECTIONS)} "
                             "or its number 1-6")
    parser.add_argument("--steps", type=int, default=None,
                        help="timed steps per model and pipeline in section 2 (default 30; --quick: 2)")
    parser.add_argument("--warmup", type=int, default=None, help="warm-up steps before them (default 3; --quick: 1)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="section 2: rounds per model and pipeline, alternating the pipelines; the table gives "
                             "the fastest round (default 3; --quick: 1)")
    parser.add_argument("--batches", type=int, default=100, help="timed batches per input pipeline (section 3)")
    parser.add_argument("--models", default=None, metavar="KEY,...",
                        help="section 2: only these models (default: all 13; --quick: imdb_emb8,jena_dense); "
                             "keys: " + ", ".join(MODEL_KEYS))
    parser.add_argument("--jena-pipeline", choices=("fast", "book"), default="fast",
                        help="section 2: the Jena 'notebook' feed: 7.3's fast_generator (default, what the notebook "
                             "uses) or the book's generator (the 'before' figures)")
    parser.add_argument("--out", type=Path, help="also write the Markdown report to this file")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="where the synthetic GloVe file is written once (default <DL7_DATA_DIR>/benchmarks)")
    parser.add_argument("--work-dir", type=Path, default=None,
                        help="keep the executed notebooks here (default: a temporary folder, deleted)")
    args = parser.parse_args(argv)
    chosen = []
    for item in args.only:
        for name in item.split(","):
            name = ALIASES.get(name.strip(), name.strip())
            if name not in SECTIONS:
                parser.error(f"unknown section {name!r}; choose from {', '.join(SECTIONS)} or 1-6")
            chosen.append(name)
    args.sections = [s for s in SECTIONS if s in chosen] if chosen else list(SECTIONS)
    if args.models is not None:
        args.models = tuple(k.strip() for k in args.models.split(",") if k.strip())
        unknown = [k for k in args.models if k not in MODEL_KEYS]
        if unknown or not args.models:
            parser.error(f"unknown model(s) {unknown}; choose from {', '.join(MODEL_KEYS)}")
    if any(v is not None and v < 1 for v in (args.steps, args.warmup, args.repeats, args.batches)):
        parser.error("--steps, --warmup, --repeats and --batches must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("MPLBACKEND", "Agg")
    args = parse_args(argv)
    repo = Path(__file__).resolve().parent.parent
    if str(repo) not in sys.path:
        sys.path.insert(0, str(repo))
    from utils.settings import get_settings

    from .common import Context, header_line

    cache_dir = args.cache_dir or get_settings().data_dir / "benchmarks"
    ctx = Context(jena_pipeline=args.jena_pipeline, quick=args.quick, steps=args.steps or (2 if args.quick else 30),
                  warmup=args.warmup or (1 if args.quick else 3), batches=args.batches, cache_dir=cache_dir,
                  work_dir=args.work_dir, models=args.models, repeats=args.repeats or (1 if args.quick else 3))
    started = time.perf_counter()
    header = header_line()
    title = "# Benchmark of the lecture 2.7 notebooks" + (" (SMOKE RUN, --quick: numbers not meaningful)"
                                                         if ctx.quick else "")
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    report = [f"{title}\n\n{header}\n\nCommand: `{command.strip()}`\n"]
    print(report[0], flush=True)

    sections = list(args.sections)
    jena = None
    if "fullmode" in sections and "models" not in sections:
        ctx.log("fullmode needs the per-epoch times: running section 2 (models) first")
        sections.insert(sections.index("fullmode"), "models")
    for name in sections:
        t0 = time.perf_counter()
        if name in ("models", "pipelines") and jena is None:
            from .pipelines import jena_array

            jena = jena_array()
        if name == "notebooks":
            from .notebooks import section
            result = section(ctx)
        elif name == "models":
            from .models import section
            result = section(ctx, jena)
        elif name == "pipelines":
            from .pipelines import section
            result = section(ctx, jena)
        elif name == "glove":
            from .glove import section
            result = section(ctx)
        elif name == "onehot":
            from .onehot import section
            result = section(ctx)
        else:
            from .models import fullmode_section
            result = fullmode_section(ctx)
        result.notes.append(f"Section run time: {time.perf_counter() - t0:.0f} s.")
        text = result.markdown()
        report.append(text)
        print(text, flush=True)
    footer = f"Total run time: {time.perf_counter() - started:.0f} s."
    report.append(footer + "\n")
    print(footer, flush=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.out.with_name(args.out.name + ".part")
        tmp.write_text("\n".join(report), encoding="utf-8")
        os.replace(tmp, args.out)
        print(f"Report written to {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
