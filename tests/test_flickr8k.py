"""The Flickr8k loader on fixture archives in the published format, served locally."""

import hashlib
import io
import zipfile

import pytest
from helpers import zip_bytes
from http_fixture import FileServer
from PIL import Image

from course_utils.datasets import DatasetEntry
from course_utils.datasets.flickr8k import load_flickr8k, read_flickr8k

NAMES = [f"{1000 + i}_abc{i}.jpg" for i in range(6)]
SPLITS = {"Flickr_8k.trainImages.txt": NAMES[:4], "Flickr_8k.devImages.txt": NAMES[4:5],
          "Flickr_8k.testImages.txt": NAMES[5:]}


def jpeg(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def archives():
    images = zip_bytes({f"Flicker8k_Dataset/{n}": jpeg((40 * i, 0, 0)) for i, n in enumerate(NAMES)})
    tokens = "\n".join(f"{n}#{k}\tA Dog number {i} runs , caption {k} ." for i, n in enumerate(NAMES)
                       for k in range(5))
    text = zip_bytes({"Flickr8k.token.txt": tokens + "\n",
                   **{name: "\n".join(items) + "\n" for name, items in SPLITS.items()}})
    return images, text


def entry(name, server, data):
    return DatasetEntry(name, (server.url(f"/{name}.zip"),), f"{name}.zip", len(data),
                        hashlib.sha256(data).hexdigest(), "zip", "the shape world")


def test_splits_and_captions_through_the_registry(tmp_path):
    images, text = archives()
    with FileServer() as server:
        server.files["/images.zip"], server.files["/text.zip"] = images, text
        train = load_flickr8k(tmp_path, "train", entry("images", server, images), entry("text", server, text))
    assert [item.image.name for item in train] == NAMES[:4]
    assert len(train[0].captions) == 5 and train[0].captions[0] == "a dog number 0 runs , caption 0 ."
    assert Image.open(train[1].image).size == (32, 24)
    test = read_flickr8k(tmp_path / "images" / "extracted", tmp_path / "text" / "extracted", "test")
    assert [item.image.name for item in test] == NAMES[5:]


def test_missing_image_is_a_clear_error(tmp_path):
    images, text = archives()
    (tmp_path / "img").mkdir()
    with zipfile.ZipFile(io.BytesIO(images)) as z:
        z.extractall(tmp_path / "img")
    (tmp_path / "img" / "Flicker8k_Dataset" / NAMES[2]).unlink()
    with zipfile.ZipFile(io.BytesIO(text)) as z:
        z.extractall(tmp_path / "txt")
    with pytest.raises(FileNotFoundError, match="fetch it again"):
        read_flickr8k(tmp_path / "img", tmp_path / "txt", "train")
    with pytest.raises(ValueError, match="split"):
        read_flickr8k(tmp_path / "img", tmp_path / "txt", "validation")
