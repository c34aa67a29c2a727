"""Small Flickr8k archives in the published layout, for the loader and notebook tests."""

import io

from helpers import zip_bytes
from PIL import Image

COLOURS = {"red": (200, 30, 30), "green": (30, 170, 60), "blue": (40, 60, 220), "yellow": (230, 210, 40)}
ANIMALS = ("dog", "cat", "horse")
SPLIT_FILES = ("Flickr_8k.trainImages.txt", "Flickr_8k.devImages.txt", "Flickr_8k.testImages.txt")
BANDS = ((0, 0, 0), (255, 255, 255))  # left, right: outside the photo's central square


def jpeg(colour, size=(48, 36)):
    """A landscape photo: ``colour`` in its central square, a black band left of it and a white one right."""
    width, height = size
    photo = Image.new("RGB", size, colour)
    side = (width - height) // 2
    photo.paste(BANDS[0], (0, 0, side, height))
    photo.paste(BANDS[1], (width - side, 0, width, height))
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=95, subsampling=0)  # sharp edges: the bands stay outside
    return buffer.getvalue()


def flickr8k_archives(counts=(4, 1, 1)):
    """(images zip, text zip) bytes: ``counts`` photos for train / dev / test, five captions each.

    Photo i is in one of four colours, between a black and a white band (see ``jpeg``); its
    captions name that colour and an animal, with the published punctuation and capitals
    ("A red dog runs , caption 0 .").
    """
    names = [f"{1000 + i}_abc{i}.jpg" for i in range(sum(counts))]
    colour_names = list(COLOURS)
    colour_of = [colour_names[i % len(colour_names)] for i in range(len(names))]
    images = zip_bytes({f"Flicker8k_Dataset/{n}": jpeg(COLOURS[colour_of[i]]) for i, n in enumerate(names)})
    tokens = "\n".join(f"{n}#{k}\tA {colour_of[i].capitalize()} {ANIMALS[(i + k) % 3]} number {i} runs , "
                       f"caption {k} ." for i, n in enumerate(names) for k in range(5))
    bounds = [0, counts[0], counts[0] + counts[1], sum(counts)]
    split_lists = {f: "\n".join(names[bounds[j]:bounds[j + 1]]) + "\n" for j, f in enumerate(SPLIT_FILES)}
    text = zip_bytes({"Flickr8k.token.txt": tokens + "\n", **split_lists})
    return names, images, text


def install_flickr8k(data_dir, counts=(4, 1, 1)):
    """Place the fixture archives where the registry's Flickr8k entries look for them."""
    names, images, text = flickr8k_archives(counts)
    for dataset, filename, data in (("flickr8k_images", "Flickr8k_Dataset.zip", images),
                                    ("flickr8k_text", "Flickr8k_text.zip", text)):
        (data_dir / dataset).mkdir(parents=True, exist_ok=True)
        (data_dir / dataset / filename).write_bytes(data)
    return names
