"""The course's figure helpers: validation curves beside training curves, wrapped titles, labels
that do not overlap."""

import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from course_utils.plots import plot_history, show_images, spread_labels  # noqa: E402
from course_utils.session.training import History  # noqa: E402


def test_a_validation_curve_shares_the_panel_of_its_training_curve():
    history = History([{"epoch": e, "loss": 1 / e, "val_loss": 1.2 / e, "val_accuracy": 0.5 + e / 10,
                        "seconds": 1.0} for e in (1, 2, 3)])
    fig = plot_history(history)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["loss", "val_accuracy"]  # val_loss joins "loss"; val_accuracy has no partner
    loss_panel = fig.axes[0]
    assert [line.get_label() for line in loss_panel.get_lines()] == ["training", "validation"]
    assert list(loss_panel.get_lines()[1].get_ydata()) == history["val_loss"]
    plt.close(fig)


def test_long_titles_are_wrapped():
    caption = "a small red triangle right of a large red diamond and a small magenta diamond"
    fig = show_images([[[0, 0, 0]]] * 2, titles=[caption, "short"], columns=2, wrap=30)
    wrapped = fig.axes[0].get_title()
    assert wrapped.replace("\n", " ") == caption
    assert max(len(line) for line in wrapped.split("\n")) <= 30 and wrapped.count("\n") >= 2
    assert fig.axes[1].get_title() == "short"
    plt.close(fig)


def test_wrapping_keeps_a_titles_own_line_breaks():
    title = "a large blue triangle at the right\nread: blue cross"
    fig = show_images([[[0, 0, 0]]], titles=[title], columns=1, wrap=20)
    lines = fig.axes[0].get_title().split("\n")
    assert lines[-1] == "read: blue cross"  # its own line, not run into the caption's last words
    assert " ".join(lines[:-1]) == "a large blue triangle at the right"
    plt.close(fig)


def test_the_figure_title_keeps_clear_of_the_image_titles():
    fig = show_images([[[0, 0, 0]]] * 8, titles=["a large blue triangle\nat the right\nread: cross"] * 8,
                      title="GAN-CLS + INT on captions of held-out pairs")
    renderer = fig.canvas.get_renderer()
    above = fig._suptitle.get_window_extent(renderer)
    assert not any(above.overlaps(ax.title.get_window_extent(renderer)) for ax in fig.axes)
    plt.close(fig)


def overlaps(fig, texts):
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    return sum(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def test_spread_labels_moves_overlapping_labels_apart():
    fig, ax = plt.subplots(figsize=(4, 4))
    points = [(0.5 + 0.01 * k, 0.5) for k in range(8)]  # eight labels on nearly one spot
    ax.scatter(*zip(*points))
    ax.set(xlim=(0, 1), ylim=(0, 1))
    texts = [ax.text(x, y, f"label {k}") for k, (x, y) in enumerate(points)]
    fig.canvas.draw()
    before = overlaps(fig, texts)
    spread_labels(ax, texts, points)
    fig.canvas.draw()
    assert before >= 20 and overlaps(fig, texts) == 0
    plt.close(fig)
