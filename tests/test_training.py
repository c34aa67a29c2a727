import pytest
import torch

from course_utils.session.training import History, fit


def make_problem():
    torch.manual_seed(0)
    x = torch.randn(256, 3)
    y = x @ torch.tensor([1.0, -2.0, 0.5]) + 0.1
    model = torch.nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    calls = []

    def batches(epoch):
        calls.append(epoch)
        order = torch.randperm(len(x))  # uses the global RNG, which resuming restores
        return [(x[order[i:i + 32]], y[order[i:i + 32]]) for i in range(0, len(x), 32)]

    def step(model, batch):
        inputs, targets = batch
        loss = torch.nn.functional.mse_loss(model(inputs).squeeze(-1), targets)
        return {"loss": loss, "abs_error": (model(inputs).squeeze(-1) - targets).abs().mean()}

    batches.calls = calls
    return model, optimizer, batches, step


def test_loss_goes_down_and_evaluation_is_recorded():
    model, optimizer, batches, step = make_problem()
    history = fit(model, optimizer, batches, step, 5, name="lin", progress=False,
                  evaluate=lambda m: {"bias": m.bias.item()})
    assert len(history) == 5 and history["epoch"] == [1, 2, 3, 4, 5]
    assert history["loss"][-1] < 0.1 * history["loss"][0]
    assert set(history.metrics()) >= {"loss", "abs_error", "seconds", "bias"}
    assert not model.training


def test_resume_continues_exactly_where_it_stopped(tmp_path, capsys):
    model, optimizer, batches, step = make_problem()
    straight = fit(model, optimizer, batches, step, 4, name="lin", progress=False)
    straight_weights = model.weight.detach().clone()

    model, optimizer, batches, step = make_problem()
    fit(model, optimizer, batches, step, 2, name="lin", checkpoint_dir=tmp_path, progress=False)
    assert (tmp_path / "lin.pt").is_file()
    # A new session: fresh objects, same name -> resumes after epoch 2.
    model, optimizer, batches, step = make_problem()
    torch.manual_seed(123)  # whatever the RNG did meanwhile, the checkpoint restores it
    resumed = fit(model, optimizer, batches, step, 4, name="lin", checkpoint_dir=tmp_path,
                  progress=False)
    assert "resumed" in capsys.readouterr().out
    assert resumed["epoch"] == [1, 2, 3, 4]
    assert resumed["loss"] == pytest.approx(straight["loss"], rel=1e-6)
    assert torch.allclose(model.weight, straight_weights, atol=1e-6)


def test_finished_run_is_not_trained_again(tmp_path):
    model, optimizer, batches, step = make_problem()
    fit(model, optimizer, batches, step, 2, name="lin", checkpoint_dir=tmp_path, progress=False)
    model, optimizer, batches, step = make_problem()
    history = fit(model, optimizer, batches, step, 2, name="lin", checkpoint_dir=tmp_path, progress=False)
    assert batches.calls == [] and len(history) == 2


def test_empty_data_is_a_clear_error():
    model, optimizer, _, step = make_problem()
    with pytest.raises(ValueError, match="no batches"):
        fit(model, optimizer, [], step, 1, name="lin", progress=False)


def test_history_plots_one_panel_per_metric():
    history = History([{"epoch": 1, "loss": 1.0, "acc": 0.5, "seconds": 2.0},
                       {"epoch": 2, "loss": 0.5, "acc": 0.7, "seconds": 2.0}])
    figure = history.plot("curves")
    assert [ax.get_title() for ax in figure.axes] == ["loss", "acc"]
    assert list(figure.axes[0].lines[0].get_ydata()) == [1.0, 0.5]


def test_adam_one_cycle_warms_up_to_its_peak_and_anneals_over_every_batch():
    from course_utils import adam_one_cycle

    model = torch.nn.Linear(3, 2)
    optimiser, schedule = adam_one_cycle(model, epochs=4, examples=10, batch_size=4, peak=0.01)
    assert isinstance(optimiser, torch.optim.Adam)
    assert schedule.total_steps == 4 * 3  # three batches an epoch: 4 + 4 + 2
    rates = []
    for _ in range(schedule.total_steps):
        rates.append(optimiser.param_groups[0]["lr"])
        optimiser.step()
        schedule.step()
    assert rates[0] < 0.01 / 10 and 0.009 < max(rates) <= 0.01
    assert rates.index(max(rates)) < len(rates) // 2 and rates[-1] < 0.01 / 100
