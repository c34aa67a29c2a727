"""The Flickr8k loader on fixture archives in the published format, served locally."""

import hashlib
import io
import zipfile

import numpy as np
import pytest
from flickr8k_fixture import COLOURS, flickr8k_archives, install_flickr8k
from http_fixture import FileServer
from PIL import Image

from course_utils.core.vocab import frequent_words, tag_targets
from course_utils.datasets import DatasetEntry, flickr8k
from course_utils.datasets.flickr8k import (
    load_flickr8k,
    load_flickr8k_photos,
    normalise_caption,
    read_flickr8k,
)


def entry(name, server, data):
    return DatasetEntry(name, (server.url(f"/{name}.zip"),), f"{name}.zip", len(data),
                        hashlib.sha256(data).hexdigest(), "zip", "the shape world")


def test_splits_and_captions_through_the_registry(tmp_path):
    names, images, text = flickr8k_archives()
    with FileServer() as server:
        server.files["/images.zip"], server.files["/text.zip"] = images, text
        train = load_flickr8k(tmp_path, "train", entry("images", server, images), entry("text", server, text))
    assert [item.image.name for item in train] == names[:4]
    assert len(train[0].captions) == 5 and train[0].captions[0] == "a red dog number 0 runs , caption 0 ."
    assert Image.open(train[1].image).size == (48, 36)
    test = read_flickr8k(tmp_path / "images" / "extracted", tmp_path / "text" / "extracted", "test")
    assert [item.image.name for item in test] == names[5:]


def test_missing_image_is_a_clear_error(tmp_path):
    names, images, text = flickr8k_archives()
    (tmp_path / "img").mkdir()
    with zipfile.ZipFile(io.BytesIO(images)) as z:
        z.extractall(tmp_path / "img")
    (tmp_path / "img" / "Flicker8k_Dataset" / names[2]).unlink()
    with zipfile.ZipFile(io.BytesIO(text)) as z:
        z.extractall(tmp_path / "txt")
    with pytest.raises(FileNotFoundError, match="fetch it again"):
        read_flickr8k(tmp_path / "img", tmp_path / "txt", "train")
    with pytest.raises(ValueError, match="split"):
        read_flickr8k(tmp_path / "img", tmp_path / "txt", "validation")


def test_photos_as_arrays_are_square_crops_and_cached(tmp_path, monkeypatch):
    install_flickr8k(tmp_path, counts=(6, 1, 2))
    photos = load_flickr8k_photos(tmp_path, "train", n=5, image_size=16)
    assert photos.images.shape == (5, 16, 16, 3) and photos.images.dtype == np.uint8
    assert photos.captions[0][0] == "a red dog number runs caption"
    # Photo i is colour i % 4 between a black band and a white one: the central square leaves both
    # out (a squashed whole photo or a corner square would show them), and the resize keeps the colour.
    colours = np.array(list(COLOURS.values()))[np.arange(5) % len(COLOURS)]
    assert np.abs(photos.images.astype(int) - colours[:, None, None, :]).max() < 12
    cache = tmp_path / "flickr8k_arrays" / "train-n5-16px.npz"
    assert cache.is_file()

    def refuse(*args, **kwargs):
        raise AssertionError("the photos were made again, though their cache is good")

    with monkeypatch.context() as patch:
        patch.setattr(flickr8k, "photo_array", refuse)
        cached = load_flickr8k_photos(tmp_path, "train", n=5, image_size=16)
    assert np.array_equal(cached.images, photos.images) and cached.captions == photos.captions
    cache.write_bytes(b"not an npz file")  # a corrupted cache is rebuilt, not used
    again = load_flickr8k_photos(tmp_path, "train", n=5, image_size=16)
    assert np.array_equal(again.images, photos.images) and again.captions == photos.captions
    assert len(load_flickr8k_photos(tmp_path, "test", image_size=16)) == 2


def test_caption_normalisation_keeps_words_only():
    assert normalise_caption("A Dog's ball , 2 dogs .") == "a dog s ball dogs"


def test_tags_from_captions_skip_function_words():
    captions = [["a red dog runs", "the dog is red"], ["a blue cat sits on the mat"]]
    tags = frequent_words((c for caps in captions for c in caps), 3)
    assert tags == ["dog", "red", "blue"]
    assert tag_targets(captions, tags).tolist() == [[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
