"""``python -m benchmarks.run [--quick] [--only SECTIONS] [--out FILE.md]``: sections 1 models, 2 pipelines,
3 glove, 4 onehot (benchmarks/README.md); a full run records the computed full-mode times in timings.json."""

import argparse
import ast
import functools
import itertools
import json
import os
import sys
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np

from utils.settings import REPO_ROOT, get_settings, machine, record_times, speed_probe

LOOKBACK, STEP, DELAY, BATCH = 1440, 6, 144, 128  # Jena: the book's settings (DESIGN.md section 7)
TRAIN_MAX, VAL_MIN, VAL_MAX = 200000, 200001, 300000
TRICKY = ['"', "'", "null", "nan", "NaN", "n/a", "NA", "#", "1,000", "-", "...", "<unk>", "'s", "true", "None"]  # GloVe
# input: (maxlen or Jena, batch, training and validation steps of an epoch); IMDB: 20,000 training and 5,000
# validation samples (validation_split=0.2), the GloVe model: 200 and 10,000; Jena: the book's steps
IMDB_RNN, GLOVE = (500, 128, 157, 40), (100, 32, 7, 313)
JENA = ("jena", BATCH, 500, (VAL_MAX - VAL_MIN - LOOKBACK) // BATCH)
SIGMOID, RELU32 = "Dense(1, activation='sigmoid')", "Dense(32, activation='relu')"
MODELS = {  # key: (notebook, the lecture's epochs, input, layers after keras.Input)
    "imdb_emb8": ("7.1", 10, (20, 32, 625, 157), f"Embedding(10000, 8), Flatten(), {SIGMOID}"),
    "glove_frozen": ("7.1", 20, GLOVE, f"Embedding(10000, 100, trainable=False), Flatten(), {RELU32}, {SIGMOID}"),
    "glove_trainable": ("7.1", 20, GLOVE, f"Embedding(10000, 100), Flatten(), {RELU32}, {SIGMOID}"),
    "simple_rnn": ("7.2", 10, IMDB_RNN, f"Embedding(10000, 32), SimpleRNN(32), {SIGMOID}"),
    "lstm": ("7.2", 10, IMDB_RNN, f"Embedding(10000, 32), LSTM(32), {SIGMOID}"),
    "jena_dense": ("7.3", 20, JENA, f"Flatten(), {RELU32}, Dense(1)"),
    "jena_gru": ("7.3", 20, JENA, "GRU(32), Dense(1)"),
    "jena_gru_dropout": ("7.3", 40, JENA, "GRU(32, dropout=0.2, recurrent_dropout=0.2), Dense(1)"),
    "jena_stacked": ("7.3", 40, JENA, "GRU(32, dropout=0.1, recurrent_dropout=0.5, return_sequences=True), "
                                      "GRU(64, activation='relu', dropout=0.1, recurrent_dropout=0.5), Dense(1)"),
    "jena_gru_reversed": ("7.3", 20, ("jena reversed", *JENA[1:]), "GRU(32), Dense(1)"),
    "jena_bigru": ("7.3", 40, JENA, "Bidirectional(GRU(32)), Dense(1)"),
    "imdb_lstm_reversed": ("7.3", 10, IMDB_RNN, f"Embedding(10000, 128), LSTM(32), {SIGMOID}"),
    "imdb_bilstm": ("7.3", 10, IMDB_RNN, f"Embedding(10000, 32), Bidirectional(LSTM(32)), {SIGMOID}"),
}


def code_cells(notebook: str) -> list[str]:
    """The sources of the code cells of notebooks/<notebook>, magics (%, !) left out."""
    cells = json.loads((REPO_ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    return ["".join(x for x in "".join(c["source"]).splitlines(True) if not x.lstrip().startswith(("%", "!")))
            for c in cells if c["cell_type"] == "code"]


@functools.cache
def jena() -> tuple:
    """Random data of the Jena array's shape and dtype (7.3's float_data); 7.3's own ``generator`` (the book's),
    ``fast_generator`` (same signature, vectorized gather) and ``same_batches`` (its check): only their ``def``
    statements run, with ``np`` = numpy, so that the code timed is the code students run."""
    defs = [node for source in code_cells("7.3-advanced-rnn.ipynb") for node in ast.parse(source).body
            if isinstance(node, ast.FunctionDef) and node.name in ("generator", "fast_generator", "same_batches")]
    namespace = {"np": np}
    exec(compile(ast.Module(defs, type_ignores=[]), "7.3-advanced-rnn.ipynb", "exec"), namespace)
    data = np.random.default_rng(0).standard_normal((420551, 14))
    return data, namespace["generator"], namespace["fast_generator"], namespace["same_batches"]


LECTURE = {  # 7.1's cells: a text that marks the cell, the name the benchmark gives it, the name of its result
    "onehot loop": ("token_index = {}", "samples", "results"),
    "glove loop": ("embeddings_index = {}", "glove_file", "embeddings_index"),
    "glove pandas": ("pd.read_csv(glove_file", "glove_file", "glove_index"),
}


@functools.cache
def lecture(what: str):
    """7.1's cell for ``what`` as a function of its input: the cell, compiled here without its print calls and its own
    assignment of the input, runs at the top level of a fresh namespace with np, pd and time, as in the notebook."""
    import pandas as pd

    marker, given, result = LECTURE[what]
    found = [s for s in code_cells("7.1-text-vectorization-and-embeddings.ipynb") if marker in s]
    if not found:
        raise SystemExit(f"No code cell of 7.1 contains {marker!r}: update LECTURE in benchmarks/run.py.")
    tree = ast.parse(found[0])
    tree.body = [n for n in tree.body if not (isinstance(n, ast.Expr) and ast.unparse(n).startswith("print("))
                 and not (isinstance(n, ast.Assign) and given in map(ast.unparse, n.targets))]
    code = compile(tree, f"7.1: {marker}", "exec")

    def cell(value):
        namespace = {"np": np, "pd": pd, "time": time, given: value}
        exec(code, namespace)
        return namespace[result]

    return cell


def timeseries_dataset(data, min_index, max_index, shuffle=False, seed=None):
    """timeseries_dataset_from_array on the generator's rows, as 7.3 calls it."""
    import keras

    return keras.utils.timeseries_dataset_from_array(
        data, targets=data[LOOKBACK + DELAY:, 1], sequence_length=LOOKBACK // STEP, sampling_rate=STEP,
        batch_size=BATCH, start_index=min_index, end_index=max_index - STEP, shuffle=shuffle, seed=seed)


def table(headers: list[str], rows: list[list]) -> str:
    return "\n".join("| " + " | ".join(map(str, row)) + " |" for row in [headers, ["---"] * len(headers), *rows])


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s" if seconds < 120 else \
        f"{seconds:.0f} s ({seconds / 60:.1f} min)"


def same(ok: bool) -> str:
    return "identical" if ok else "DIFFERENT"


def timed(fn, *args):
    t0 = time.perf_counter()
    return fn(*args), time.perf_counter() - t0


def feed(key: str, variant: str, train: bool, n: int, book: bool) -> dict:
    """fit/evaluate arguments for ``n`` batches: as the notebooks feed the model (Jena: 7.3's fast_generator, or the
    book's generator; IMDB: NumPy arrays and batch_size), or by plain tf.data (Jena: fast_generator's batches)."""
    import tensorflow as tf

    (shape, batch, *_), is_jena = MODELS[key][2], isinstance(MODELS[key][2][0], str)
    np.random.seed(1)
    if is_jena:
        data, generator, fast_generator, _ = jena()
        gen = (generator if book and variant == "notebook" else fast_generator)(
            data, LOOKBACK, DELAY, *((0, TRAIN_MAX) if train else (VAL_MIN, VAL_MAX)), shuffle=train)
        gen = ((x[:, ::-1], y) for x, y in gen) if shape == "jena reversed" else gen
        x, y = (gen, None) if variant == "notebook" else map(np.concatenate, zip(*itertools.islice(gen, n)))
    else:
        x, y = np.random.randint(1, 10000, (n * batch, shape), dtype=np.int32), np.random.randint(0, 2, n * batch)
    if variant == "notebook":
        return {"x": x, "y": y, "batch_size": None if is_jena else batch}
    ds = tf.data.Dataset.from_tensor_slices((x, y))
    return {"x": (ds if is_jena else ds.shuffle(len(x), seed=0)).batch(batch).prefetch(tf.data.AUTOTUNE)}


def measure(key: str, args, variants=("notebook", "plain")) -> dict:
    """Seconds per full epoch {(split, variant): best round}: (time per step after the warm-up steps) x steps per
    epoch; the variants alternate within each round, so that a load spike hits one round, not one variant."""
    import keras

    _, _, (shape, _, *steps), layers = MODELS[key]
    n, best, stamps, is_jena = args.warmup + args.steps, {}, [], isinstance(shape, str)
    keras.utils.set_random_seed(42)
    model = keras.Sequential([keras.Input((240, 14)) if is_jena else keras.Input((shape,), dtype="int32"),
                              *eval(f"[{layers}]", {}, vars(keras.layers))])
    model.compile(optimizer="rmsprop", loss="mae" if is_jena else "binary_crossentropy")
    tick = lambda batch, logs: stamps.append(time.perf_counter())  # noqa: E731
    clock = keras.callbacks.LambdaCallback(on_train_batch_end=tick, on_test_batch_end=tick)
    for r in range(args.repeats):
        for split, variant in ((s, v) for s in ("train", "val") for v in (variants[::-1] if r % 2 else variants)):
            stamps.clear()
            kwargs = feed(key, variant, split == "train", n, args.jena_feed == "book")
            if split == "train":
                model.fit(**kwargs, steps_per_epoch=n, epochs=1, verbose=0, callbacks=[clock])
            else:
                model.evaluate(**kwargs, steps=n, verbose=0, callbacks=[clock])
            epoch = (stamps[n - 1] - stamps[args.warmup - 1]) / args.steps * steps[split == "val"]
            best[split, variant] = min(epoch, best.get((split, variant), epoch))
            print(f"[bench] {key} {variant} {split}: {fmt(epoch)} per epoch", file=sys.stderr, flush=True)
    keras.backend.clear_session()
    return best


def models_section(args) -> str:
    rows, results = [], {}
    for key in args.models:
        r = results[key] = measure(key, args)
        rows.append([MODELS[key][0], key, MODELS[key][3], "+".join(map(str, MODELS[key][2][2:])),
                     *(f"{fmt(r[s, 'notebook'])} / {fmt(r[s, 'plain'])} = {r[s, 'notebook'] / r[s, 'plain']:.2f}"
                       for s in ("train", "val"))])
    full = {nb: sum(epochs * (results[k]["train", "notebook"] + results[k]["val", "notebook"])
                    for k, (nb_k, epochs, *_) in MODELS.items() if nb_k == nb) for nb in ("7.1", "7.2", "7.3")
            if all(k in results for k in MODELS if MODELS[k][0] == nb)}  # notebooks with all models measured
    text = table(["nb", "key", "layers", "steps per epoch", "training epoch: notebook / plain = ratio",
                  "validation: notebook / plain = ratio"], rows) + (
        f"\n\n{args.warmup} warm-up + {args.steps} timed steps x steps per epoch, best of {args.repeats}; random "
        f"data of the real shapes; Jena notebook feed: {args.jena_feed} generator.  Ratio above 1.05: the "
        "notebook's feed costs more than 5%.\n\nFull mode, training + validation, computed (the lecture's epochs):\n\n")
    text += table(["notebook", "time"], [[nb, fmt(s)] for nb, s in full.items()] or [["-", "not all measured"]])
    if full and not args.quick:
        record_times(full, "full", speed_probe(), computed=True)
        text += "\n\nRecorded in notebooks/timings.json: times[nb].full, computed."
    return text


def pipelines_section(args) -> str:
    data, generator, fast_generator, same_batches = jena()
    book, fast = (functools.partial(f, data, LOOKBACK, DELAY) for f in (generator, fast_generator))
    train, val = (0, TRAIN_MAX, True), (VAL_MIN, VAL_MAX)
    pipelines = {  # name: (the book's generator's batches? 7.3's same_batches: 3 batches, same seed; the feed timed)
        "book's generator (7.3)": ("reference", book(*train)),
        "timeseries_dataset_from_array": (same(same_batches(book(*val), iter(timeseries_dataset(data, *val)), 3)),
                                          iter(timeseries_dataset(data, *train, seed=1).repeat())),
        "7.3's fast_generator": (same(all(same_batches(book(*r), fast(*r), 3) for r in (train, val))), fast(*train))}
    out = []
    for name, (ok, batches) in pipelines.items():
        next(batches)  # warm-up
        seconds = min(timed(list, itertools.islice(batches, args.batches))[1] for _ in range(args.repeats))
        out.append([name, f"{args.batches * BATCH / seconds:,.0f}", ok])
    return table(["pipeline", "windows/s", "windows vs the generator's (same rows)"], out) + (
        f"\n\n{args.batches} batches of {BATCH} after 1 warm-up batch, best of {args.repeats}; compare with the "
        "training speed of GRU(32) in section 1 (500 x 128 windows per epoch): below it, the model waits.")


def glove_file(folder: Path, lines: int = 400000, dim: int = 100) -> Path:
    """A glove.6B.<dim>d.txt in the real format, written once, with the real file's tokens that trip CSV parsers."""
    path = Path(folder) / f"glove.synthetic.{lines}x{dim}d.txt"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        words = TRICKY + [f"w{k}" for k in range(lines - len(TRICKY))]
        vectors = np.random.default_rng(400).normal(0, 0.4, size=(lines, dim)).astype(np.float32)
        with open(path.with_suffix(".part"), "w", encoding="utf-8") as f:
            f.writelines(f"{w} {' '.join(f'{v:.5g}' for v in row)}\n" for w, row in zip(words, vectors))
        path.with_suffix(".part").replace(path)
    return path


def glove_section(args) -> str:
    path = glove_file(get_settings().data_dir / "benchmarks", 2000 if args.quick else 400000)
    (ref, t_ref), (fast, t_fast) = timed(lecture("glove loop"), path), timed(lecture("glove pandas"), path)
    ok = list(fast) == list(ref) and all(np.array_equal(v, ref[w]) and v.dtype == "float32" for w, v in fast.items())
    return table(["parser", "time", "< 10 s", "words", "vs the loop: words and float32 vectors"], [
        ["the lecture's line loop", fmt(t_ref), t_ref < 10, f"{len(ref):,}", "reference"],
        ["pandas.read_csv (7.1)", fmt(t_fast), t_fast < 10, f"{len(fast):,}", f"{same(ok)}, {t_ref / t_fast:.1f}x"]
    ]) + f"\n\n{path.name}: {path.stat().st_size / 2**20:,.0f} MB, in the real file's format."


def word_vectorized(samples, max_length=10):
    """The loop's array from an index array (dict.fromkeys: the loop's order) and one fancy-indexing assignment."""
    token_index = {w: k + 1 for k, w in enumerate(dict.fromkeys(w for s in samples for w in s.split(" ")))}
    indices = np.zeros((len(samples), max_length), dtype=np.int64)
    for i, sample in enumerate(samples):
        row = [token_index[w] for w in sample.split(" ")[:max_length]]
        indices[i, :len(row)] = row
    results = np.zeros((len(samples), max_length, len(token_index) + 1))
    i, j = np.nonzero(indices)
    results[i, j, indices[i, j]] = 1
    return results


def onehot_section(args) -> str:
    import psutil

    fits = int(0.6 * psutil.virtual_memory().available / (2.5 * 10 * 1001 * 8)) // 1000 * 1000  # two arrays + slack
    words = np.random.default_rng(0).integers(0, 1000, size=(min(500 if args.quick else 25000, max(1000, fits)), 12))
    samples = [" ".join(f"w{k}" for k in row) for row in words]  # sentences of 12 words, vocabulary 1,000
    (loop, t_loop), (vectorized, t_vec) = timed(lecture("onehot loop"), samples), timed(word_vectorized, samples)
    return table(["version", "time", "vs the loop"], [["the lecture's loop", fmt(t_loop), "reference"], [
        "index array + one assignment", fmt(t_vec), same(np.array_equal(loop, vectorized))]]) + (
        f"\n\n{len(samples):,} samples x 10 words, vocabulary 1,000: float64 {loop.shape}, "
        f"{loop.nbytes / 2**30:.2f} GB (allocating it is much of either time).")


SECTIONS = {"models": models_section, "pipelines": pipelines_section, "glove": glove_section, "onehot": onehot_section}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    p.add_argument("--quick", action="store_true", help="tiny smoke run: its numbers mean nothing, nothing recorded")
    p.add_argument("--only", default=",".join(SECTIONS), help=f"{', '.join(SECTIONS)} or 1-4, comma-separated")
    p.add_argument("--models", default=None, help="section 1 only for these models: " + ", ".join(MODELS))
    p.add_argument("--steps", type=int, default=30, help="timed steps per model (after 3 warm-up steps)")
    p.add_argument("--repeats", type=int, default=3, help="rounds per measurement; the best counts")
    p.add_argument("--jena-feed", choices=("fast", "book"), default="fast", help="section 1: the Jena generator")
    p.add_argument("--out", type=Path, help="also write the report to this Markdown file")
    args = p.parse_args(argv)
    names = [dict(zip("1234", SECTIONS)).get(x.strip(), x.strip()) for x in args.only.split(",")]
    args.models = args.models.split(",") if args.models else ["imdb_emb8", "jena_dense"] if args.quick else list(MODELS)
    if set(names) - set(SECTIONS) or set(args.models) - set(MODELS):
        p.error(f"sections: {', '.join(SECTIONS)} or 1-4; models: {', '.join(MODELS)}")
    args.sections = [s for s in SECTIONS if s in names]
    args.warmup, args.batches = (1, 3) if args.quick else (3, 100)
    args.steps, args.repeats = (2, 1) if args.quick else (args.steps, args.repeats)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    versions = ", ".join(f"{n} {version(n)}" for n in ("keras", "numpy", "pandas"))
    report = [f"# Benchmark of the lecture 2.7 notebooks{' (SMOKE RUN, --quick: not meaningful)' * args.quick}\n\n"
              f"{time.strftime('%Y-%m-%d %H:%M')} · {machine()}, {versions} · load average {load}"]
    print(report[0], flush=True)
    for number, name in enumerate(SECTIONS, 1):
        if name in args.sections:
            text, seconds = timed(SECTIONS[name], args)
            report.append(f"## {number}. {name}\n\n{text}\n\nSection time: {seconds:.0f} s.")
            print(report[-1], flush=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n\n".join(report) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
