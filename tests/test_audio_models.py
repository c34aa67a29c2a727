"""The STFT's inverse, the log-mel CNN and its training loop, as notebooks 07 and 10 reuse them from 06."""

import torch

from course_utils import Course
from course_utils.models import istft, log_mel_cnn, stft, train_classifier


def test_log_mel_cnn_gives_one_logit_per_class_for_any_clip_length():
    network = log_mel_cnn(classes=5, width=4).eval()
    for frames in (32, 101):
        assert network(torch.zeros(3, 1, 64, frames)).shape == (3, 5)


def test_train_classifier_learns_and_records_the_held_out_set(tmp_path):
    torch.manual_seed(0)
    # Two classes told apart by where the energy is: low or high mel bands.
    labels = torch.arange(64) % 2
    inputs = torch.randn(64, 1, 32, 32) * 0.1
    inputs[labels == 0, :, :16] += 1.0
    inputs[labels == 1, :, 16:] += 1.0
    course = Course(notebook="test", mode="smoke", device=torch.device("cpu"), seed=0, on_colab=False,
                    data_dir=tmp_path, checkpoint_dir=tmp_path)
    network = log_mel_cnn(classes=2, width=4)
    history = train_classifier(network, inputs[:48], labels[:48], 10, course, "toy-cnn",
                               validation=(inputs[48:], labels[48:]), batch_size=16)
    assert history["loss"][-1] < history["loss"][0]
    assert len(history["val_loss"]) == len(history["val_accuracy"]) == 10
    assert history["val_accuracy"][-1] >= 0.9 and history["val_loss"][-1] < history["val_loss"][0]
    assert (tmp_path / "toy-cnn-smoke.pt").is_file()
    assert "val_loss" not in train_classifier(log_mel_cnn(2, 4), inputs, labels, 1, course, "no-watch").last


def test_istft_inverts_a_batch_of_signals_as_it_inverts_each_one():
    generator = torch.Generator().manual_seed(0)
    signals = torch.randn(2, 3, 4000, generator=generator, dtype=torch.float64)
    window = torch.hann_window(400, dtype=torch.float64)
    spectra = torch.stack([torch.stack([stft(x, 512, 160, window) for x in row]) for row in signals])
    batched = istft(spectra, 512, 160, window, length=4000)
    assert batched.shape == (2, 3, 4000)
    one_by_one = torch.stack([torch.stack([istft(s, 512, 160, window, length=4000) for s in row])
                              for row in spectra])
    # Equal up to float64 round-off: the FFT library may take another code path for a batch (on some
    # CPUs the two differ in the last bits), while a mixed-up signal would differ by about one.
    torch.testing.assert_close(batched, one_by_one, rtol=0, atol=1e-12)
    assert torch.allclose(batched, signals, atol=1e-10)  # the STFT's inverse gives the signals back
    by_torch = torch.istft(spectra.flatten(0, 1), 512, 160, 400, window, length=4000)
    assert torch.allclose(batched.flatten(0, 1), by_torch, atol=1e-10)
    assert istft(spectra[0, 0], 512, 160, window).shape == (4000 // 160 * 160,)  # no length: whole frames
