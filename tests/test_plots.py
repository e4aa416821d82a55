import matplotlib

matplotlib.use("Agg")

import pytest

from utils.plots import best_epoch, plot_history, print_best, print_curves, value_limits

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
        assert [line.get_label() for line in lines] == ["обучение", "проверка"]
        assert ax.get_xlabel() == "эпоха"
    assert [[t.get_text() for t in legend.get_texts()] for legend in fig.legends] == [["обучение", "проверка"]]


def boxes(fig):
    """Pixel boxes of the drawn figure: the panels (their data area), the legends, the title."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return ([ax.get_window_extent(renderer) for ax in fig.axes], [lg.get_window_extent(renderer) for lg in fig.legends],
            fig._suptitle.get_window_extent(renderer))


@pytest.mark.parametrize("h", [HISTORY, {"loss": [3.0, 2.0, 2.5], "val_loss": [3.5, 2.5, 2.6]}])
def test_legend_and_title_stay_clear_of_every_panel(h):
    fig = plot_history(h, "IMDB, LSTM(32)", "масштаб lesson, данные: реальные отзывы aclImdb,\nвторая строка")
    panels, legends, title = boxes(fig)
    assert len(legends) == 1 and not any(ax.get_legend() for ax in fig.axes)  # one legend, outside the panels
    for panel in panels:
        assert not panel.overlaps(legends[0]) and not panel.overlaps(title)
    assert not legends[0].overlaps(title)


def test_accuracy_axis_spans_the_values_compared_not_zero_to_one():
    h = {"loss": [0.6, 0.4, 0.3], "acc": [0.85, 0.88, 0.90],
         "val_loss": [0.5, 0.45, 0.5], "val_acc": [0.86, 0.87, 0.88]}
    acc_axis = plot_history(h, "t", "s").axes[1]
    low, high = acc_axis.get_ylim()
    assert 0.84 <= low < 0.85 and 0.90 < high <= 0.91  # a difference of 0.02 fills a visible part of the panel
    assert (0.88 - 0.86) / (high - low) > 0.3


def test_value_limits_pad_the_range_and_skip_missing_values():
    assert value_limits([0.80, 0.88, float("nan"), 0.90]) == pytest.approx((0.79, 0.91))  # a tenth of the range
    assert value_limits([0.5, 0.5]) == pytest.approx((0.495, 0.505))  # a flat curve still gets a visible band
    with pytest.raises(ValueError, match="no values"):
        value_limits([float("nan")])


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


def test_print_curves_gives_the_numbers_overfitting_is_read_by(capsys):
    assert print_curves(FakeHistory()) is None
    assert capsys.readouterr().out.strip() == ("точность на обучении в последней эпохе 0.800; потери на проверке: "
                                               "наименьшие 0.550 (эпоха 2 из 3), в последней эпохе 0.580")
    print_curves({"loss": [3.0, 2.0], "val_loss": [3.5, 2.5]})
    only_loss = "потери на проверке: наименьшие 2.500 (эпоха 2 из 2), в последней эпохе 2.500"
    assert capsys.readouterr().out.strip() == only_loss
    with pytest.raises(KeyError, match="val_loss"):
        print_curves({"loss": [1.0]})
