"""utils.training.EpochLog: one Russian line per epoch."""

import re

import numpy as np

from utils import training
from utils.training import EpochLog


def test_one_line_per_epoch_with_losses_accuracies_and_time(monkeypatch, capsys):
    clock = iter([100.0, 104.6, 200.0, 200.2])  # epoch 1 takes 4.6 s, epoch 2 0.2 s
    monkeypatch.setattr(training.time, "perf_counter", lambda: next(clock))
    log = EpochLog()
    log.set_params({"epochs": 10, "steps": 157, "verbose": 0})
    log.on_epoch_begin(0)
    log.on_epoch_end(0, {"loss": 0.27591, "acc": 0.88125, "mae": 0.5, "val_loss": 0.279, "val_acc": 0.87})
    log.on_epoch_begin(1)
    log.on_epoch_end(1, {"loss": 0.2, "val_loss": 0.25})
    assert capsys.readouterr().out.splitlines() == [
        "эпоха 1/10: loss 0.2759, acc 0.8812, val_loss 0.2790, val_acc 0.8700 (5 с)",  # no mae: losses, accuracies
        "эпоха 2/10: loss 0.2000, val_loss 0.2500 (0 с)",
    ]


def test_takes_no_arguments_and_logs_a_real_fit(capsys):
    import keras

    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).standard_normal((64, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["acc"])
    history = model.fit(x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0, callbacks=[EpochLog()])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3  # nothing but the three epoch lines
    for epoch, line in enumerate(lines, start=1):
        head, values = re.fullmatch(r"(эпоха \d/3): (.*) \(\d+ с\)", line).groups()
        logged = dict(item.split(" ") for item in values.split(", "))  # in the order Keras reports them
        assert head == f"эпоха {epoch}/3" and sorted(logged) == ["acc", "loss", "val_acc", "val_loss"]
        assert logged == {key: f"{history.history[key][epoch - 1]:.4f}" for key in logged}
