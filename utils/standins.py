"""Offline stand-ins for the lecture's data sets, in the exact formats of the real files.

Deterministic (seeded), small by default and scalable to the real sizes.  They are
*learnable in the lecture's way*: the sentiment of a review is carried by real English
words, with negations ("not good") and filler; the weather has daily and yearly cycles
and persistent anomalies, and the pressure moves before the temperature does, so the
"same as now" baseline is strong and a recurrent network can beat it.

Nothing here is real data; every notebook printout of results on it says so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import numpy as np

# Bump when the generated data change: cached stand-ins of another version are regenerated.
VERSION = "3"

# --- reviews -----------------------------------------------------------------------

POSITIVE = (
    "good great excellent wonderful brilliant superb beautiful enjoyable fantastic amazing "
    "perfect moving funny charming delightful touching memorable outstanding fine solid clever "
    "gripping powerful masterpiece loved best favorite entertaining hilarious impressive stunning "
    "strong fresh smart lovely engaging satisfying terrific awesome recommended nice pleasant "
    "inspiring refreshing fascinating magnificent heartwarming thrilling witty remarkable"
).split()
NEGATIVE = (
    "bad awful terrible boring poor worst waste dull stupid horrible weak mess disappointing lame "
    "pointless annoying predictable ridiculous bland tedious forgettable painful cheap silly awkward "
    "unwatchable hated lousy mediocre clumsy flat slow confusing shallow wooden pathetic dreadful "
    "overrated garbage unbearable irritating laughable nonsense sloppy tiresome worthless"
).split()
NEGATIONS = ("not", "never", "hardly", "not at all")
INTENSIFIERS = ("very", "really", "truly", "quite", "so", "extremely", "pretty", "rather")
NOUNS = (
    "movie film story plot acting cast director script ending scene music characters dialogue "
    "performance camera effects screenplay sequel actor actress series show soundtrack pacing "
    "twist humor drama comedy thriller production cinematography"
).split()
FILLER = (
    "the a of and to is in it this that i was as with for but on his her he she they at by an be "
    "one from all who so like just about out what has have some there more when if up can only even "
    "would which time really see well much how first also could story people other any get been "
    "because two after made most way then make them do into man over where too life me know watch "
    "being little years never still these we my no through back did think character new off plays "
    "end thing part while lot something between seems before director both long own role going old "
    "look real same look young world actually enough around every whole last thought fact point "
    "day between shows again here night family friends house town city war love woman girl boy "
    "father mother son daughter police school money car death murder killer police book version "
    "hollywood original budget minutes hour watching seen saw watched seeing"
).split()
SYLLABLES = (
    "ka ro vel mar dan ri sto lin ber ga to ne mi sha lo ven tar pel dor fin gus hal bri "
    "cor des em fal gor hin jor kel lum mor nor pra quin ral sel tor ul var wen yor zel"
).split()


def _tail_words(n: int, rng: np.random.Generator) -> list[str]:
    """Rare filler words (names of characters, places): the long tail of the vocabulary."""
    words: dict[str, None] = {}
    while len(words) < n:
        k = rng.integers(2, 4, size=4096)
        picks = rng.integers(0, len(SYLLABLES), size=(4096, 3))
        for kk, row in zip(k, picks):
            words.setdefault("".join(SYLLABLES[j] for j in row[:kk]), None)
            if len(words) >= n:
                break
    return list(words)


class _ReviewWriter:
    """Generates review texts; the label is carried by sentiment phrases."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)
        tail = [w for w in _tail_words(30000, self.rng) if w not in set(FILLER + NOUNS + POSITIVE + NEGATIVE)]
        self.neutral = FILLER + NOUNS + tail
        ranks = np.arange(1, len(self.neutral) + 1, dtype=float)
        p = 1.0 / ranks**1.05  # Zipf-like word frequencies
        self.neutral_cdf = np.cumsum(p / p.sum())
        self.neutral_cdf[-1] = 1.0

    def _phrase(self, polarity: int) -> list[str]:
        rng = self.rng
        negate = rng.random() < 0.2
        adj_list = POSITIVE if (polarity == 1) != negate else NEGATIVE
        adj = adj_list[rng.integers(len(adj_list))]
        noun = NOUNS[rng.integers(len(NOUNS))]
        words = ["the", noun, "was"] if rng.random() < 0.5 else ["it", "is"]
        if negate:
            words += NEGATIONS[rng.integers(len(NEGATIONS))].split()
        elif rng.random() < 0.4:
            words.append(INTENSIFIERS[rng.integers(len(INTENSIFIERS))])
        words.append(adj)
        return words

    def review(self, label: int) -> str:
        rng = self.rng
        n_sentences = int(np.clip(rng.lognormal(2.6, 0.6), 2, 80))
        lengths = rng.integers(5, 20, size=n_sentences)
        drawn = np.searchsorted(self.neutral_cdf, rng.random(int(lengths.sum())))
        has_phrase = rng.random(n_sentences) < 0.5
        agrees = rng.random(n_sentences) < 0.85
        ends = np.where(rng.random(n_sentences) < 0.85, ". ", "! ")
        breaks = rng.random(n_sentences) < 0.08
        sentences, start = [], 0
        for i, n in enumerate(lengths):
            words = [self.neutral[j] for j in drawn[start:start + n]]
            start += n
            if has_phrase[i]:
                at = int(rng.integers(0, n + 1))
                words[at:at] = self._phrase(label if agrees[i] else 1 - label)
            text = " ".join(words)
            sentences.append(text[0].upper() + text[1:] + ends[i])
            if breaks[i]:
                sentences.append("<br /><br />")
        if rng.random() < 0.7:  # many real reviews end with a verdict
            verdict = ["overall"] + self._phrase(label if rng.random() < 0.9 else 1 - label)
            sentences.append(" ".join(verdict).capitalize() + ".")
        return "".join(sentences).strip()


def generate_reviews(n_per_split: int, seed: int = 2021) -> dict[str, list[tuple[int, int, str]]]:
    """``{"train": [(label, rating, text), ...], "test": [...]}``, half negative, half positive."""
    writer = _ReviewWriter(seed)
    out = {}
    for split in ("train", "test"):
        rows = []
        for label in (0, 1):
            for _ in range(n_per_split // 2):
                rating = int(writer.rng.integers(7, 11) if label else writer.rng.integers(1, 5))
                rows.append((label, rating, writer.review(label)))
        out[split] = rows
    return out


_TOKEN = re.compile(r"[a-z0-9']+")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text.replace("<br />", " ").lower())


def _atomic_dir(final: Path) -> Path:
    tmp = final.with_name(f".{final.name}.writing")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    return tmp


def write_aclimdb(root: Path, reviews: dict, n_unsup: int = 20) -> Path:
    """Write the ``aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt`` tree (+ a few train/unsup)."""
    final = Path(root) / "aclImdb"
    tmp = _atomic_dir(final)
    try:
        for split, rows in reviews.items():
            counters = {0: 0, 1: 0}
            for label, rating, text in rows:
                sub = tmp / split / ("pos" if label else "neg")
                sub.mkdir(parents=True, exist_ok=True)
                (sub / f"{counters[label]}_{rating}.txt").write_text(text, encoding="utf-8")
                counters[label] += 1
        unsup = tmp / "train" / "unsup"
        unsup.mkdir(parents=True, exist_ok=True)
        for i, (_, _, text) in enumerate(reviews["test"][:n_unsup]):
            (unsup / f"{i}_0.txt").write_text(text, encoding="utf-8")
        (tmp / "README").write_text("Synthetic stand-in for the Large Movie Review Dataset (not real reviews).\n")
        os.replace(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def write_imdb_npz(folder: Path, reviews: dict) -> tuple[Path, Path]:
    """Write ``imdb.npz`` (raw word ranks from 1, as the real file) and ``imdb_word_index.json``."""
    folder = Path(folder)
    tokens = {split: [tokenize(text) for _, _, text in rows] for split, rows in reviews.items()}
    counts = Counter(w for split in tokens.values() for toks in split for w in toks)
    ordered = sorted(counts, key=lambda w: (-counts[w], w))
    word_index = {w: i + 1 for i, w in enumerate(ordered)}
    arrays = {}
    for split in ("train", "test"):
        seqs = np.empty(len(tokens[split]), dtype=object)
        seqs[:] = [[word_index[w] for w in toks] for toks in tokens[split]]
        arrays[f"x_{split}"] = seqs
        arrays[f"y_{split}"] = np.array([label for label, _, _ in reviews[split]], dtype=np.int64)
    npz, js = folder / "imdb.npz", folder / "imdb_word_index.json"
    tmp_npz, tmp_js = folder / "imdb.npz.part.npz", folder / "imdb_word_index.json.part"
    try:
        np.savez(tmp_npz, **arrays)
        tmp_js.write_text(json.dumps(word_index), encoding="utf-8")
        os.replace(tmp_npz, npz)
        os.replace(tmp_js, js)
    finally:
        tmp_npz.unlink(missing_ok=True)
        tmp_js.unlink(missing_ok=True)
    return npz, js


# --- GloVe ---------------------------------------------------------------------------

def write_glove_txt(path: Path, words: list[str], vectors: np.ndarray) -> Path:
    """Write vectors in the GloVe text format: ``word v1 v2 ...``, space separated, no header."""
    path = Path(path)
    vectors = np.asarray(vectors, dtype=np.float32)
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            row_format = " ".join(["%.5g"] * vectors.shape[1])
            for word, row in zip(words, vectors.tolist()):
                f.write(word + " " + (row_format % tuple(row)) + "\n")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def synthetic_glove(dim: int, seed: int = 6) -> tuple[list[str], np.ndarray]:
    """Made-up 'pretrained' vectors for the review vocabulary: sentiment words share a direction."""
    rng = np.random.default_rng(seed)
    words = list(dict.fromkeys(FILLER + NOUNS + POSITIVE + NEGATIVE + list(INTENSIFIERS)
                               + [w for n in NEGATIONS for w in n.split()] + _tail_words(20000, rng)))
    vectors = rng.normal(0, 0.4, size=(len(words), dim)).astype(np.float32)
    axis = rng.normal(0, 1, size=dim)
    axis /= np.linalg.norm(axis)
    for i, w in enumerate(words):
        if w in POSITIVE:
            vectors[i] += 1.5 * axis
        elif w in NEGATIVE:
            vectors[i] -= 1.5 * axis
    return words, vectors


# --- Jena climate ----------------------------------------------------------------------

JENA_COLUMNS = [
    "Date Time", "p (mbar)", "T (degC)", "Tpot (K)", "Tdew (degC)", "rh (%)", "VPmax (mbar)",
    "VPact (mbar)", "VPdef (mbar)", "sh (g/kg)", "H2OC (mmol/mol)", "rho (g/m**3)", "wv (m/s)",
    "max. wv (m/s)", "wd (deg)",
]
JENA_ROWS = 420551


def _ar1(eps: np.ndarray, a: float) -> np.ndarray:
    """y[t] = a*y[t-1] + eps[t], vectorised per block (a^block stays far from underflow)."""
    out = np.empty_like(eps)
    acc = 0.0
    block = int(max(16, min(4096, 300.0 / -np.log(a))))
    powers = a ** np.arange(block)
    for s in range(0, len(eps), block):
        e = eps[s:s + block]
        k = len(e)
        # y[t] = acc*a^(t+1) + sum_{j<=t} a^(t-j) e[j], as a cumulative sum in a scaled basis
        scaled = e / powers[:k]
        y = powers[:k] * np.cumsum(scaled) + acc * powers[:k] * a
        out[s:s + k] = y
        acc = y[-1]
    return out


def jena_frame(n_rows: int = JENA_ROWS, seed: int = 2016):
    """A DataFrame in the layout of jena_climate_2009_2016.csv (strings in 'Date Time')."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    t = np.arange(1, n_rows + 1)
    day = t / 144.0  # days since 2009-01-01 00:00
    year_phase = 2 * np.pi * (day - 15) / 365.25
    day_phase = 2 * np.pi * (day % 1.0 - 0.625)
    # latent weather: slow (days) anomaly; pressure follows it at once, temperature 12 h later
    a = np.exp(-1.0 / (144 * 3.0))
    latent = _ar1(rng.normal(0, np.sqrt(1 - a * a), size=n_rows + 72), a)
    lag = 72
    pressure_signal, temp_signal = latent[lag:], latent[:-lag]
    a2 = np.exp(-1.0 / 18.0)
    fast = _ar1(rng.normal(0, 0.6 * np.sqrt(1 - a2 * a2), size=n_rows), a2)
    day_amp = 4.0 + 2.5 * np.cos(year_phase - np.pi)  # larger daily swing in summer
    T = 9.5 - 9.0 * np.cos(year_phase) + day_amp * np.cos(day_phase) + 4.0 * temp_signal + fast
    p = 989.0 - 7.0 * pressure_signal + _ar1(rng.normal(0, 0.15, size=n_rows), np.exp(-1 / 30))
    rh = np.clip(75 + 12 * np.cos(year_phase) - 12 * np.cos(day_phase) + 8 * temp_signal * 0.5
                 + _ar1(rng.normal(0, 1.5, size=n_rows), np.exp(-1 / 50)), 15, 100)
    vpmax = 6.1078 * np.exp(17.27 * T / (T + 237.3))
    vpact = vpmax * rh / 100
    vpdef = vpmax - vpact
    ln = np.log(vpact / 6.1078)
    tdew = 237.3 * ln / (17.27 - ln)
    tpot = (T + 273.15) * (1000.0 / p) ** 0.286
    sh = 622.0 * vpact / (p - 0.378 * vpact)
    h2oc = 1000.0 * vpact / p
    rho = p * 100 / (287.05 * (T + 273.15)) * 1000
    wv = np.abs(1.5 + 1.2 * np.abs(pressure_signal) + _ar1(rng.normal(0, 0.4, size=n_rows), np.exp(-1 / 12)))
    max_wv = wv * (1.3 + 0.5 * rng.random(n_rows))
    wd = np.mod(200 + 60 * pressure_signal + _ar1(rng.normal(0, 12, size=n_rows), np.exp(-1 / 12)), 360)
    # the real file has a few -9999 wind values (broken sensor): keep that defect
    bad = rng.choice(n_rows, size=max(1, n_rows // 140000), replace=False)
    wv[bad] = -9999.0
    max_wv[bad[: max(1, len(bad) // 2)]] = -9999.0

    stamps = pd.Timestamp("2009-01-01 00:00:00") + pd.to_timedelta(t * 10, unit="min")
    frame = pd.DataFrame({
        "Date Time": stamps.strftime("%d.%m.%Y %H:%M:%S"),
        "p (mbar)": p.round(2), "T (degC)": T.round(2), "Tpot (K)": tpot.round(2),
        "Tdew (degC)": tdew.round(2), "rh (%)": rh.round(1), "VPmax (mbar)": vpmax.round(2),
        "VPact (mbar)": vpact.round(2), "VPdef (mbar)": vpdef.round(2), "sh (g/kg)": sh.round(2),
        "H2OC (mmol/mol)": h2oc.round(2), "rho (g/m**3)": rho.round(2), "wv (m/s)": wv.round(2),
        "max. wv (m/s)": max_wv.round(2), "wd (deg)": wd.round(1),
    })
    return frame[JENA_COLUMNS]


def write_jena_csv(path: Path, n_rows: int = JENA_ROWS, seed: int = 2016) -> Path:
    """Write the CSV with the real header (every name quoted) and the real date format."""
    path = Path(path)
    frame = jena_frame(n_rows, seed)
    tmp = path.with_name(path.name + ".part")
    try:
        header = ",".join(f'"{c}"' for c in JENA_COLUMNS)
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(header + "\n")
            frame.to_csv(f, header=False, index=False, lineterminator="\n")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
