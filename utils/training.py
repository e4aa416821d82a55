"""The training log of the notebooks: one Russian line per epoch instead of Keras' progress lines."""

from __future__ import annotations

import time

import keras


class EpochLog(keras.callbacks.Callback):
    """``model.fit(..., verbose=0, callbacks=[EpochLog()])`` prints after every epoch one line like

        эпоха 3/10: acc 0.8812, loss 0.2759, val_acc 0.8700, val_loss 0.2790 (5 с)

    the losses and accuracies of the epoch (in the order Keras reports them) and its wall time."""

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        values = ", ".join(f"{k} {v:.4f}" for k, v in (logs or {}).items() if "loss" in k or "acc" in k)
        now = time.perf_counter()
        seconds = now - getattr(self, "start", now)
        epochs = (self.params or {}).get("epochs", "?")
        print(f"эпоха {epoch + 1}/{epochs}: {values} ({seconds:.0f} с)", flush=True)
