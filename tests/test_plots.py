import matplotlib

matplotlib.use("Agg")

import pytest

from utils.plots import best_epoch, plot_history, print_best

HISTORY = {"loss": [0.7, 0.5, 0.4], "acc": [0.5, 0.7, 0.8], "val_loss": [0.6, 0.55, 0.58],
           "val_acc": [0.6, 0.72, 0.71]}


class FakeHistory:  # what keras' model.fit returns: an object with a .history dict
    history = HISTORY


@pytest.mark.parametrize("h", [HISTORY, FakeHistory()])
def test_plot_history_has_loss_and_metric_train_and_validation(h):
    fig = plot_history(h, title="t", source="масштаб quick, СИНТЕТИЧЕСКИЕ")
    axes = fig.axes
    assert [ax.get_title() for ax in axes] == ["потери (loss)", "точность (acc)"]
    assert [ax.get_ylabel() for ax in axes] == ["потери", "точность"]
    assert fig._suptitle.get_text() == "t\nмасштаб quick, СИНТЕТИЧЕСКИЕ"
    for ax, key in zip(axes, ("loss", "acc")):
        lines = ax.get_lines()
        assert [tuple(line.get_ydata()) for line in lines] == [tuple(HISTORY[key]), tuple(HISTORY["val_" + key])]
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["обучение", "проверка"]
        assert ax.get_xlabel() == "эпоха"


def test_plot_history_with_loss_only():
    fig = plot_history({"loss": [3.0, 2.0], "val_loss": [3.5, 2.5]}, "t", "s")
    assert len(fig.axes) == 1 and len(fig.axes[0].get_lines()) == 2


def test_plot_history_rejects_other_things():
    with pytest.raises(TypeError, match="History"):
        plot_history([1, 2, 3], "t", "s")
    with pytest.raises(TypeError):
        plot_history({}, "t", "s")


def test_best_epoch_max_for_accuracy_min_for_loss_and_mae(capsys):
    assert best_epoch(HISTORY, "val_acc") == (0.72, 2)
    assert best_epoch(HISTORY, "val_loss") == (0.55, 2)
    assert best_epoch({"val_mae": [0.3, 0.28, 0.29]}, "val_mae") == (0.28, 2)
    assert print_best(FakeHistory(), "val_acc", "IMDB", "масштаб lesson, реальные") is None  # no stray Out[]
    assert capsys.readouterr().out.strip() == "IMDB: лучшее val_acc = 0.7200 на эпохе 2 [масштаб lesson, реальные]"
    with pytest.raises(KeyError, match="val_auc"):
        best_epoch(HISTORY, "val_auc")
