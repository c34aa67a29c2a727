"""Usual slips get an error that names the slip and what to do, never a silently wrong result."""

from pathlib import Path

import numpy as np
import pytest
import torch

from course_utils import encode_in_batches, player, setup_notebook, shuffled_batches
from course_utils.core import Vocabulary, corpus_bleu, read_word_pairs, tag_targets
from course_utils.core.audio import N_FFT, write_wav
from course_utils.core.files import atomic_write, cached_npz, save_npz_atomically, unfinished_writes
from course_utils.datasets import load_flickr8k_photos
from course_utils.models import istft, soft_attention, stft
from course_utils.plots import show_images
from course_utils.plots.audio import plot_spectrogram, plot_waveform
from course_utils.session.training import History, adam_one_cycle, fit
from course_utils.worlds import load_shape_world, lore_corpus, make_sound_events, make_sounding_scenes
from course_utils.worlds.relational_text import relational_corpus

WAVE = np.sin(np.linspace(0, 200, 1600)).astype(np.float32)


def test_bleu_refuses_strings_that_it_would_score_letter_by_letter():
    tokenised = corpus_bleu([[["a", "dog", "runs"]]], [["a", "dog", "runs"]], max_n=2)
    assert tokenised == pytest.approx(1.0)
    with pytest.raises(TypeError, match=r"caption\.split\(\)"):
        corpus_bleu([["a dog runs on the grass"]], ["a cat runs on the road"])
    with pytest.raises(TypeError, match="tokenised"):
        corpus_bleu([[["a", "dog"]]], ["a dog"])


def test_tag_targets_refuses_a_caption_where_a_list_of_captions_belongs():
    assert tag_targets([["a red dog"], ["a blue cat"]], ["red", "blue"]).tolist() == [[1, 0], [0, 1]]
    with pytest.raises(TypeError, match=r"\[caption\]"):
        tag_targets(["a red dog", "a blue cat"], ["red", "blue"])


@pytest.mark.parametrize("show", [player, plot_waveform, lambda wave: write_wav("unused.wav", wave)],
                         ids=["player", "plot_waveform", "write_wav"])
def test_waves_must_be_one_float_channel(show, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    show(torch.from_numpy(WAVE))  # a tensor is fine
    for stereo in (np.stack([WAVE, WAVE], axis=1), np.stack([WAVE, WAVE])):  # (S, 2) and (2, S)
        with pytest.raises(ValueError, match=r"mono wave of shape \(samples,\)"):
            show(stereo)
    with pytest.raises(TypeError, match="from_pcm16"):
        show((WAVE * 32767).astype(np.int16))


def test_spectrogram_plot_refuses_complex_values():
    spectrum = torch.stft(torch.from_numpy(WAVE), 256, window=torch.hann_window(256), return_complex=True)
    plot_spectrogram(spectrum.abs() ** 2)
    with pytest.raises(TypeError, match=r"abs\(\) \*\* 2"):
        plot_spectrogram(spectrum)
    with pytest.raises(ValueError, match="frequency bins, frames"):
        plot_spectrogram((spectrum.abs() ** 2)[None])


@pytest.mark.parametrize("damage", ["cut in half", "empty", "a byte flipped"])
def test_a_damaged_cache_is_made_again(tmp_path, capsys, damage):
    path = tmp_path / "cache.npz"
    save_npz_atomically(path, {"x": np.arange(1000.0)})
    data = path.read_bytes()
    damaged = {"cut in half": data[: len(data) // 2], "empty": b"",
               "a byte flipped": data[:200] + bytes([data[200] ^ 0xFF]) + data[201:]}[damage]
    path.write_bytes(damaged)
    arrays = cached_npz(path, lambda: {"x": np.arange(1000.0)})
    assert np.array_equal(arrays["x"], np.arange(1000.0))
    assert "unreadable" in capsys.readouterr().out
    assert path.read_bytes() == data  # replaced by a good copy


def test_a_killed_atomic_write_leaves_the_good_file_and_a_leftover_that_can_be_found(tmp_path, monkeypatch):
    table = tmp_path / "table.csv"
    table.write_text("good")
    (tmp_path / "table.csv.bak").write_text("not a leftover")

    def killed(partial):
        Path(partial).write_text("half")
        raise KeyboardInterrupt  # as a kill would, but the leftover is kept below

    monkeypatch.setattr("course_utils.core.files.os.remove", lambda path: None)  # a kill cleans nothing
    with pytest.raises(KeyboardInterrupt):
        atomic_write(table, killed)
    assert table.read_text() == "good"
    leftovers = unfinished_writes(table)
    assert len(leftovers) == 1 and leftovers[0].read_text() == "half"
    assert unfinished_writes(tmp_path / "other.csv") == []


def test_a_forced_device_that_is_not_there_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COURSE_CHECKPOINT_DIR", str(tmp_path / "checkpoints"))
    monkeypatch.setenv("COURSE_DEVICE", "gpu")
    with pytest.raises(ValueError, match="COURSE_DEVICE='gpu' is not a device; use cpu, cuda or mps"):
        setup_notebook("00_test")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setenv("COURSE_DEVICE", "cuda")
    with pytest.raises(RuntimeError, match="finds no cuda device here; unset COURSE_DEVICE"):
        setup_notebook("00_test")


def test_a_seed_out_of_range_and_a_data_folder_that_is_a_file_are_named(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    monkeypatch.setenv("COURSE_CHECKPOINT_DIR", str(tmp_path / "checkpoints"))
    monkeypatch.setenv("COURSE_SEED", "-1")
    with pytest.raises(ValueError, match="COURSE_SEED='-1' is out of range"):
        setup_notebook("00_test")
    monkeypatch.setenv("COURSE_SEED", "0")
    (tmp_path / "a_file").write_text("not a folder")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "a_file"))
    with pytest.raises(NotADirectoryError, match="point COURSE_DATA_DIR at a folder"):
        setup_notebook("00_test")
    assert (tmp_path / "a_file").read_text() == "not a folder"


def toy_training(step, batches, epochs=1):
    model = torch.nn.Linear(2, 1)
    return fit(model, torch.optim.SGD(model.parameters(), lr=0.1), batches, step, epochs, name="toy",
               progress=False)


BATCHES = [torch.ones(4, 2)] * 3


def test_a_step_that_returns_a_number_or_no_loss_is_told_what_to_return():
    toy_training(lambda model, x: model(x).pow(2).mean(), BATCHES)  # the right way
    with pytest.raises(TypeError, match=r"not loss\.item\(\)"):
        toy_training(lambda model, x: model(x).pow(2).mean().item(), BATCHES)
    with pytest.raises(TypeError, match="under 'loss'"):
        toy_training(lambda model, x: {"error": model(x).pow(2).mean()}, BATCHES)


def test_a_generator_of_batches_is_named_when_the_second_epoch_finds_it_empty():
    with pytest.raises(ValueError, match="one-shot iterator"):
        toy_training(lambda model, x: model(x).pow(2).mean(), (x for x in BATCHES), epochs=2)
    toy_training(lambda model, x: model(x).pow(2).mean(), lambda epoch: (x for x in BATCHES), epochs=2)


@pytest.mark.parametrize("size", [0, -1, 2.5])
def test_a_batch_size_below_one_is_refused(size):
    with pytest.raises(ValueError, match="batch_size must be a whole number of at least 1"):
        list(shuffled_batches(10, size, torch.Generator()))
    with pytest.raises(ValueError, match="batch_size must be a whole number of at least 1"):
        encode_in_batches(torch.nn.Identity(), torch.ones(10, 2), "cpu", batch_size=size)
    with pytest.raises(ValueError, match="batch_size must be a whole number of at least 1"):
        adam_one_cycle(torch.nn.Linear(2, 1), 1, 10, size)
    assert len(list(shuffled_batches(10, np.int64(4), torch.Generator()))) == 3  # NumPy's integers count


def test_encoding_needs_a_non_empty_tensor():
    with pytest.raises(TypeError, match="torch.from_numpy"):
        encode_in_batches(torch.nn.Identity(), np.ones((10, 2)), "cpu")
    with pytest.raises(ValueError, match="no inputs"):
        encode_in_batches(torch.nn.Identity(), torch.ones(0, 2), "cpu")


def test_a_word_pair_file_in_another_format_names_the_line(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text("# comment\ntiger\tcat\t7.35\nword1 word2 score\n")
    with pytest.raises(ValueError, match=r"pairs\.tsv, line 3: expected 'word<TAB>word<TAB>score'"):
        read_word_pairs(path)
    path.write_text("# comment\ntiger\tcat\t7.35\n")
    assert read_word_pairs(path) == [("tiger", "cat", 7.35)]


def test_a_word_id_outside_the_vocabulary_is_refused():
    vocabulary = Vocabulary.build(["a red circle"])
    ids = [vocabulary.stoi[w] for w in ("a", "red", "circle")]
    assert vocabulary.decode(ids) == "a red circle"
    with pytest.raises(IndexError, match="outside the vocabulary"):
        vocabulary.decode([-1])


def test_the_stft_takes_one_signal_and_its_inverse_the_bins_it_made():
    waves = torch.randn(2, 4000)
    with pytest.raises(ValueError, match=r"one signal, shape \(S,\); got \(2, 4000\)"):
        stft(waves)
    spectrum = stft(waves[0])  # (F, T) with the default n_fft
    assert istft(spectrum, length=4000).shape == (4000,)
    for wrong in (spectrum.T, spectrum[0]):  # transposed; one frequency's row
        with pytest.raises(ValueError, match="bins, frames"):
            istft(wrong)
    with pytest.raises(ValueError, match="another n_fft"):
        istft(spectrum, n_fft=2 * N_FFT)


def test_soft_attention_names_shapes_that_would_broadcast_into_a_wrong_answer():
    regions, projected, score = torch.randn(3, 5, 4), torch.randn(3, 5, 6), torch.nn.Linear(6, 1)
    context, weights = soft_attention(regions, projected, torch.randn(3, 6), score)
    assert context.shape == (3, 4) and weights.shape == (3, 5)
    # (B, 1, A) would broadcast against every batch row; the others mismatch a size or a rank.
    wrong = [(regions, projected, torch.randn(3, 1, 6)), (regions, projected, torch.randn(3, 7)),
             (regions[:, :4], projected, torch.randn(3, 6)), (regions[0], projected, torch.randn(3, 6))]
    for shapes in wrong:
        with pytest.raises(ValueError, match=r"needs regions \(B, L, D\)"):
            soft_attention(*shapes, score)


@pytest.mark.parametrize("n", [0, -1])
def test_a_photo_count_below_one_is_refused(tmp_path, n):
    with pytest.raises(ValueError, match="n must be at least 1"):
        load_flickr8k_photos(tmp_path, "train", n=n)


def test_pictures_are_drawn_channels_first_or_last_and_a_batch_is_named():
    import matplotlib.pyplot as plt

    pictures = torch.rand(2, 3, 8, 8)
    for batch in (pictures, pictures.permute(0, 2, 3, 1), pictures.numpy(), pictures[:, :1]):
        show_images(batch)
        shown = plt.gcf().axes[0].images[0].get_array()
        assert shown.shape[:2] == (8, 8)
        plt.close("all")
    with pytest.raises(ValueError, match="a sequence of such pictures"):
        show_images([pictures])


def test_an_empty_history_is_not_plotted():
    with pytest.raises(ValueError, match="no epoch to plot"):
        History().plot()


@pytest.mark.parametrize("make", [
    lambda: load_shape_world("val", 0), lambda: load_shape_world("val", 5, image_size=0),
    lambda: load_shape_world("val", 5, noisy_share=2), lambda: make_sound_events(0),
    lambda: make_sounding_scenes(-1), lambda: make_sounding_scenes(2, sounding_share=1.5),
    lambda: relational_corpus(-5), lambda: lore_corpus(0),
], ids=["no scenes", "no pixels", "noisy share", "no events", "negative videos", "sounding share",
        "negative sentences", "no lore"])
def test_a_world_asked_for_nothing_or_nonsense_says_so(make):
    with pytest.raises(ValueError, match="need|must be at least 1"):
        make()
