import subprocess
import sys

import numpy as np
from gensim.models import KeyedVectors
from helpers import ROOT

from course_utils.datasets.esc50 import read_esc50
from course_utils.worlds.sound_events import EVENT_CLASSES, make_sound_events


def run_script(name, *args, env=None):
    return subprocess.run([sys.executable, str(ROOT / "data_scripts" / name), *args],
                          capture_output=True, text=True, env=env)


def test_fetch_lists_the_registry():
    done = run_script("fetch_dataset.py", "--list")
    assert done.returncode == 0 and "text8" in done.stdout


def test_fetch_offline_fails_with_advice(tmp_path):
    # A proxy on a closed local port makes the network unreachable, wherever the test runs.
    offline = {"PATH": "", "http_proxy": "http://127.0.0.1:9", "no_proxy": ""}
    done = run_script("fetch_dataset.py", "text8", "--data-dir", str(tmp_path), env=offline)
    assert done.returncode == 1
    assert "CORPUS = 'offline'" in done.stderr
    assert not (tmp_path / "text8" / "text8.zip").exists()


def test_relational_corpus_files_are_readable_by_gensim(tmp_path):
    done = run_script("make_relational_corpus.py", str(tmp_path), "--sentences", "200")
    assert done.returncode == 0, done.stderr
    lines = (tmp_path / "corpus.txt").read_text().splitlines()
    assert len(lines) == 200 and all(len(line.split()) == 7 for line in lines)
    words = sorted({w for line in (tmp_path / "questions-words.txt").read_text().splitlines()
                    if not line.startswith(":") for w in line.split()})
    vectors = KeyedVectors(vector_size=4)
    vectors.add_vectors(words, [[float(i), 1.0, 0.0, 0.0] for i in range(len(words))])
    score, sections = vectors.evaluate_word_analogies(str(tmp_path / "questions-words.txt"))
    assert [s["section"] for s in sections[:-1]] == ["capital", "gender", "plural", "comparative"]
    assert sum(len(s["correct"]) + len(s["incorrect"]) for s in sections[:-1]) == 1056


def test_sound_event_files_read_back_as_esc50(tmp_path):
    done = run_script("make_sound_events.py", str(tmp_path), "--per-class", "2", "--seed", "5")
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "audio").glob("*.wav"))) == 2 * len(EVENT_CLASSES)
    read_back = read_esc50(tmp_path)
    original = make_sound_events(2, seed=5)
    assert read_back.classes == EVENT_CLASSES
    assert np.array_equal(read_back.labels, original.labels)
    assert np.array_equal(read_back.folds, original.folds)
    assert np.abs(read_back.waves - original.waves).max() < 1e-4  # 16-bit PCM


def test_an_empty_request_is_refused_and_leaves_good_files_alone(tmp_path):
    assert run_script("make_relational_corpus.py", str(tmp_path), "--sentences", "50").returncode == 0
    assert run_script("make_sound_events.py", str(tmp_path), "--per-class", "1").returncode == 0
    good = {path: path.read_bytes() for path in [tmp_path / "corpus.txt", tmp_path / "meta" / "esc50.csv"]}
    scripts = [("make_relational_corpus.py", "--sentences"), ("make_sound_events.py", "--per-class")]
    for script, option in scripts:
        done = run_script(script, str(tmp_path), option, "0")
        assert done.returncode == 2 and f"{option} must be at least 1" in done.stderr, done.stderr
    assert all(path.read_bytes() == data for path, data in good.items())
