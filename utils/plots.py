"""Training-history plot in the spirit of R's ``plot(history)``, and the best epoch."""

from __future__ import annotations

import math

# Russian names of the metrics on the axes (the key itself is kept in brackets)
METRIC_NAMES = {"loss": "потери", "acc": "точность", "accuracy": "точность", "mae": "MAE"}


def _as_dict(history) -> dict[str, list[float]]:
    h = getattr(history, "history", history)
    if not isinstance(h, dict) or not h:
        raise TypeError("plot_history expects a keras History or a non-empty dict of metric lists, "
                        f"got {type(history).__name__}")
    return {k: [float(v) for v in vals] for k, vals in h.items()}


def value_limits(values, pad: float = 0.1) -> tuple[float, float]:
    """Axis limits around the values compared: their range plus ``pad`` of it on each side (at least 0.005).
    An accuracy axis then shows a difference of 0.02 instead of starting at 0."""
    finite = [float(v) for v in values if not math.isnan(float(v))]
    if not finite:
        raise ValueError("value_limits: no values (all NaN or empty)")
    low, high = min(finite), max(finite)
    margin = max((high - low) * pad, 0.005)
    return low - margin, high + margin


def plot_history(history, title: str, source: str, figsize=(10, 3.6)):
    """Loss and the metric (if any), training vs validation, one panel each; returns the matplotlib Figure.

    ``history``: what ``model.fit`` returned, or a dict like ``{"loss": [...], "val_loss": [...]}``.
    ``source``: the scale and data source of this run (e.g. "масштаб lesson, СИНТЕТИЧЕСКИЕ данные"), printed
    under the title, so that the plot names where its numbers come from.

    Layout: the title lines on top, one legend for all panels at the bottom, outside every panel (it never
    covers a curve); each panel's y axis spans the values it shows (an accuracy axis does not start at 0).
    """
    import matplotlib.pyplot as plt

    h = _as_dict(history)
    names = sorted((k for k in h if not k.startswith("val_")), key=lambda k: (k != "loss", k))
    fig, axes = plt.subplots(1, len(names), figsize=figsize, squeeze=False, layout="constrained")
    for ax, name in zip(axes[0], names):
        epochs = range(1, len(h[name]) + 1)
        ax.plot(epochs, h[name], "o-", ms=3, label="обучение")
        shown = list(h[name])
        if f"val_{name}" in h:
            ax.plot(range(1, len(h[f"val_{name}"]) + 1), h[f"val_{name}"], "s--", ms=3, label="проверка")
            shown += h[f"val_{name}"]
        label = METRIC_NAMES.get(name, name)
        ax.set(xlabel="эпоха", ylabel=label, title=f"{label} ({name})")
        ax.set_ylim(value_limits(shown))
        ax.grid(alpha=0.3)
        if len(h[name]) <= 20:
            ax.set_xticks(list(epochs))
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels), frameon=False)
    fig.suptitle(f"{title}\n{source}", fontsize=11)
    return fig


def best_epoch(history, key: str) -> tuple[float, int]:
    """Best value of ``key`` (max for accuracies, min for losses and errors) and its epoch (from 1)."""
    h = _as_dict(history)
    if key not in h:
        raise KeyError(f"{key!r} is not in the history; it has {sorted(h)}")
    lower_is_better = any(s in key for s in ("loss", "mae", "mse", "error"))
    best = (min if lower_is_better else max)(v for v in h[key] if not math.isnan(v))
    return best, h[key].index(best) + 1


def print_best(history, key: str, label: str, source: str) -> None:
    """One line: the best value of ``key``, its epoch, and the scale and data source of the run.  Returns nothing,
    so that it leaves no ``Out[]`` line; the values come from ``best_epoch``."""
    value, epoch = best_epoch(history, key)
    print(f"{label}: лучшее {key} = {value:.4f} на эпохе {epoch} [{source}]")


def print_curves(history) -> None:
    """One line with the numbers the curves are read by: the training metric at the last epoch, and the validation
    loss at its lowest (with the epoch) and at the last epoch.  Whether the model overfits is read from them."""
    h = _as_dict(history)
    metric = next((k for k in h if k != "loss" and not k.startswith("val_")), None)
    name = METRIC_NAMES.get(metric, metric)
    train = f"{name} на обучении в последней эпохе {h[metric][-1]:.3f}; " if metric else ""
    if "val_loss" not in h:
        raise KeyError(f"'val_loss' is not in the history; it has {sorted(h)}")
    low, epoch = best_epoch(h, "val_loss")
    print(f"{train}потери на проверке: наименьшие {low:.3f} (эпоха {epoch} из {len(h['val_loss'])}), "
          f"в последней эпохе {h['val_loss'][-1]:.3f}")
