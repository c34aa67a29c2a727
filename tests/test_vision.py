import pytest
import torch
import torch.nn.functional as F

from course_utils import Course, encode_in_batches
from course_utils.models import GridEncoder, train_tagger
from course_utils.worlds.shape_datasets import ImageTagsDataset
from course_utils.worlds.shape_world import load_shape_world


def test_grid_encoder_keeps_a_three_by_three_grid():
    encoder = GridEncoder(channels=16, width=8)
    assert encoder(torch.zeros(2, 3, 64, 64)).shape == (2, 16, 3, 3)
    assert encoder.flat_size == 16 * 9
    with pytest.raises(ValueError, match=r"\(batch, 3, height, width\)"):
        encoder(torch.zeros(3, 64, 64))


def test_region_features_are_local():
    encoder = GridEncoder(channels=8, width=4).eval()
    image = torch.zeros(1, 3, 64, 64)
    changed = image.clone()
    changed[..., 48:64, 48:64] = 1.0  # the bottom-right corner
    difference = (encoder(changed) - encoder(image)).abs().sum(dim=1)[0]
    assert difference[2, 2] > 0
    assert difference[0, :].sum() == 0 and difference[:, 0].sum() == 0  # far cells do not see it


@pytest.fixture
def one_thread():
    """Small batches train fastest on one thread: two would mostly wait for each other on a busy CPU."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_train_tagger_learns_tags(tmp_path, one_thread):
    torch.manual_seed(0)
    world = load_shape_world("train", 384, seed=0)
    tags = ImageTagsDataset(world)
    course = Course(notebook="test", mode="smoke", device=torch.device("cpu"), seed=0, on_colab=False,
                    data_dir=tmp_path, checkpoint_dir=tmp_path)
    training, held_out = (tags.images[:256], tags.targets[:256]), (tags.images[256:], tags.targets[256:])
    tagger, history = train_tagger(GridEncoder(channels=16, width=8), *training, 10, course, batch_size=16,
                                   validation=held_out)
    assert history["loss"][-1] < history["loss"][0]
    assert len(history["val_loss"]) == 10 and history["val_loss"][-1] < history["val_loss"][0]
    assert (tmp_path / "tagger-smoke.pt").is_file()
    scores = encode_in_batches(tagger, tags.images, "cpu", batch_size=100)
    assert scores.shape == (384, 13)
    # It must have learnt from the pictures, not only how often each tag occurs: on held-out scenes
    # it beats predicting every tag's training base rate (a tagger fed the wrong tags does not).
    truth, base_rate = held_out[1], training[1].mean(dim=0).clamp(1e-3, 1 - 1e-3).expand_as(held_out[1])
    held_out_scores = scores[256:]
    loss = F.binary_cross_entropy_with_logits(held_out_scores, truth).item()
    base_loss = F.binary_cross_entropy(base_rate, truth).item()
    assert loss < base_loss - 0.04, (loss, base_loss)
    accuracy = ((held_out_scores > 0).float() == truth).float().mean().item()
    base_accuracy = ((base_rate > 0.5).float() == truth).float().mean().item()
    assert accuracy > base_accuracy + 0.03, (accuracy, base_accuracy)
