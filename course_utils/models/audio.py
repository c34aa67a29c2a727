"""Sound: the short-time Fourier transform and its inverse, a waveform encoder, a log-mel CNN.

Shapes: S samples, F frequency bins (n_fft // 2 + 1), T frames, B batch, C channels.
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from ..core.audio import HOP, N_FFT, WINDOW
from ..session.batching import encode_in_batches, epoch_generator, shuffled_batches


def frame_signal(x, frame_length, hop):
    """Overlapping frames of a 1-D tensor, one per row.

    Taught in notebook 06, section 4: (S,) -> (T, frame_length), frames that fit entirely.
    """
    return x.unfold(0, frame_length, hop)


def centred_window(window, n_fft):
    """The window padded with zeros on both sides to the FFT length, as torch.stft does.

    Taught in notebook 06, section 4.
    """
    left = (n_fft - len(window)) // 2
    return F.pad(window, (left, n_fft - len(window) - left))


def stft(x, n_fft=N_FFT, hop=HOP, window=None):
    """Complex STFT (n_fft // 2 + 1 bins, frames) of a 1-D tensor, laid out like torch.stft.

    Taught in notebook 06, section 4: (S,) -> (F, T), frame t centred on sample t * hop.
    """
    if x.dim() != 1:
        raise ValueError(f"stft takes one signal, shape (S,); got {tuple(x.shape)}: transform each row alone")
    window = torch.hann_window(WINDOW, dtype=x.dtype) if window is None else window
    padded = F.pad(x[None, None], (n_fft // 2, n_fft // 2), mode="reflect")[0, 0]
    frames = frame_signal(padded, n_fft, hop) * centred_window(window, n_fft)
    return torch.fft.rfft(frames, dim=1).T


def istft(spectrum, n_fft=N_FFT, hop=HOP, window=None, length=None):
    """Overlap-add inverse of ``stft`` (same padding and window conventions).

    Taught in notebook 06, section 6: (..., F, T) -> (..., S), ``length`` samples if given.
    """
    if spectrum.dim() < 2 or spectrum.shape[-2] != n_fft // 2 + 1:
        raise ValueError(f"istft needs (..., {n_fft // 2 + 1} bins, frames) for n_fft={n_fft}; got "
                         f"{tuple(spectrum.shape)}: is it transposed, or made with another n_fft?")
    window = torch.hann_window(WINDOW, dtype=spectrum.real.dtype) if window is None else window
    padded_window = centred_window(window, n_fft)
    frames = torch.fft.irfft(spectrum.transpose(-1, -2), n=n_fft, dim=-1) * padded_window  # (..., T, n_fft)
    total = n_fft + hop * (frames.shape[-2] - 1)
    signal, weight = frames.new_zeros(*frames.shape[:-2], total), frames.new_zeros(total)
    for t in range(frames.shape[-2]):  # every frame added in at its place, all signals at once
        signal[..., t * hop:t * hop + n_fft] += frames[..., t, :]
        weight[t * hop:t * hop + n_fft] += padded_window**2
    signal = signal / torch.where(weight > 1e-11, weight, torch.ones_like(weight))
    signal = signal[..., n_fft // 2:]  # undo the centre padding
    return signal[..., :length] if length is not None else signal[..., :total - n_fft]


class SoundNetStudent(nn.Module):
    """A SoundNet-style network on the raw waveform: strided 1-D convolutions, then two heads
    that predict the object and place teachers' outputs.

    Taught in notebook 07, section 3. (B, S) waves -> (B, objects), (B, places) logits;
    ``pool5`` gives the hidden features (B, 2 C) of a clip.
    """

    # (kernel, stride, pool) per layer; channels double every layer up to 8 x width.
    LAYERS = ((32, 2, 8), (16, 2, 8), (16, 2, 1), (8, 2, 1), (4, 2, 1))

    def __init__(self, width=16, object_outputs=11, place_outputs=3):
        super().__init__()
        layers, channels = [], 1
        for i, (kernel, stride, pool) in enumerate(self.LAYERS):
            out = width * min(2**i, 8)
            layers += [nn.Conv1d(channels, out, kernel, stride, padding=kernel // 2), nn.BatchNorm1d(out),
                       nn.ReLU()]
            if pool > 1:
                layers.append(nn.MaxPool1d(pool))
            channels = out
        self.features = nn.Sequential(*layers)  # conv1 ... conv5
        self.object_head = nn.Conv1d(channels, object_outputs, 4)
        self.place_head = nn.Conv1d(channels, place_outputs, 4)

    def forward(self, waves):
        hidden = self.features(waves.unsqueeze(1))
        return self.object_head(hidden).mean(-1), self.place_head(hidden).mean(-1)

    def pool5(self, waves):
        """Hidden features of a clip: conv5's output, averaged and max-pooled over time."""
        hidden = self.features(waves.unsqueeze(1))
        return torch.cat([hidden.mean(-1), hidden.amax(-1)], dim=1)


def conv_block(channels_in, channels_out):
    """3x3 convolution, batch norm, ReLU, 2x2 max pooling. Taught in notebook 06, section 9."""
    return nn.Sequential(nn.Conv2d(channels_in, channels_out, 3, padding=1), nn.BatchNorm2d(channels_out),
                         nn.ReLU(), nn.MaxPool2d(2))


def log_mel_cnn(classes, width=16):
    """Four conv blocks, a global average pool over mel bands and time, a linear classifier.

    Taught in notebook 06, section 9.

    (B, 1, mels, frames) log-mel images -> (B, classes) logits.
    """
    return nn.Sequential(conv_block(1, width), conv_block(width, 2 * width),
                         conv_block(2 * width, 4 * width), conv_block(4 * width, 4 * width),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3),
                         nn.Linear(4 * width, classes))


def train_classifier(model, inputs, labels, epochs, course, name, validation=None, batch_size=64,
                     learning_rate=3e-3):
    """Train ``model`` on ``inputs`` (N, ...) and ``labels`` (N,) with cross-entropy and Adam; return
    the history.

    The learning rate follows a one-cycle schedule (warm up, then anneal), stepped after every
    batch. ``validation`` = held-out (inputs, labels): their loss and accuracy are recorded after
    every epoch, only to be watched (nothing is chosen by them, so they stay a fair test).
    Taught in notebook 06, section 9.
    """
    optimiser = torch.optim.Adam(model.parameters(), lr=learning_rate)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, learning_rate,
                                                   total_steps=epochs * math.ceil(len(inputs) / batch_size))

    def batches(epoch):
        for chosen in shuffled_batches(len(inputs), batch_size, epoch_generator(course.seed, epoch),
                                       into=(inputs, labels)):
            yield inputs[chosen], labels[chosen]

    def step(model, batch):
        batch_inputs, targets = (tensor.to(course.device) for tensor in batch)
        return F.cross_entropy(model(batch_inputs), targets)

    def validate(model):
        if validation is None:
            return {}
        logits = encode_in_batches(model, validation[0], course.device, batch_size=256)
        return {"val_loss": F.cross_entropy(logits, validation[1]).item(),
                "val_accuracy": (logits.argmax(1) == validation[1]).float().mean().item()}

    return course.fit(model, optimiser, batches, step, epochs, name=name, scheduler=schedule,
                      evaluate=validate)
