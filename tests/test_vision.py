import pytest
import torch

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


def test_train_tagger_learns_tags(tmp_path):
    torch.manual_seed(0)
    world = load_shape_world("train", 256, seed=0)
    tags = ImageTagsDataset(world)
    course = Course(notebook="test", mode="smoke", device=torch.device("cpu"), seed=0, on_colab=False,
                    data_dir=tmp_path, checkpoint_dir=tmp_path)
    training, held_out = (tags.images[:192], tags.targets[:192]), (tags.images[192:], tags.targets[192:])
    tagger, history = train_tagger(GridEncoder(channels=16, width=8), *training, 3, course, batch_size=64,
                                   validation=held_out)
    assert history["loss"][-1] < history["loss"][0]
    assert len(history["val_loss"]) == 3 and history["val_loss"][-1] < history["val_loss"][0]
    assert (tmp_path / "tagger-smoke.pt").is_file()
    scores = encode_in_batches(tagger, tags.images, "cpu", batch_size=100)
    assert scores.shape == (256, 13)
