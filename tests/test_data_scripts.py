import importlib.util
import shutil
import subprocess
import sys

import numpy as np
import pytest
from gensim.models import KeyedVectors
from helpers import ROOT

from course_utils.core.audio import write_wav
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


def load_script(name):
    spec = importlib.util.spec_from_file_location(name.removesuffix(".py"), ROOT / "data_scripts" / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def folder_bytes(folder):
    return {path.relative_to(folder): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def make_sound_events_in(folder, per_class, seed):
    return run_script("make_sound_events.py", str(folder), "--per-class", str(per_class), "--seed", str(seed))


def test_a_new_sound_event_set_replaces_the_old_one_whole(tmp_path):
    assert make_sound_events_in(tmp_path, 3, seed=1).returncode == 0
    done = make_sound_events_in(tmp_path, 1, seed=2)
    assert done.returncode == 0, done.stderr
    read_back, original = read_esc50(tmp_path), make_sound_events(1, seed=2)
    assert np.array_equal(read_back.labels, original.labels)
    assert np.abs(read_back.waves - original.waves).max() < 1e-4
    # Only the new set is left: no clip of the old one, no folder set aside.
    assert len(list((tmp_path / "audio").glob("*.wav"))) == len(EVENT_CLASSES)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["audio", "meta"]


def test_a_sound_event_run_that_stops_half_way_keeps_the_old_set(tmp_path, monkeypatch):
    assert make_sound_events_in(tmp_path, 1, seed=1).returncode == 0
    before = folder_bytes(tmp_path)
    script = load_script("make_sound_events.py")
    written = []

    def write_then_fail(path, wave, sample_rate):
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        written.append(path)
        write_wav(path, wave, sample_rate)

    monkeypatch.setattr(script, "write_wav", write_then_fail)
    with pytest.raises(OSError, match="No space"):
        script.main([str(tmp_path), "--per-class", "1", "--seed", "2"])
    assert folder_bytes(tmp_path) == before  # the clips written are the new set's, set aside and removed

    # A failure while writing the table puts the old clips back too.
    monkeypatch.setattr(script, "write_wav", write_wav)

    def fail_to_write_table(table, rows):
        raise OSError("disk full")

    monkeypatch.setattr(script, "write_table", fail_to_write_table)
    with pytest.raises(OSError, match="disk full"):
        script.main([str(tmp_path), "--per-class", "1", "--seed", "2"])
    assert folder_bytes(tmp_path) == before


def test_what_a_killed_sound_event_run_left_is_tidied_by_the_next(tmp_path, monkeypatch):
    assert make_sound_events_in(tmp_path, 1, seed=1).returncode == 0
    before = folder_bytes(tmp_path)
    # Killed during the swap: the old clips set aside, the new ones in place, the table still the old.
    assert make_sound_events_in(tmp_path / "newer", 1, seed=2).returncode == 0
    (tmp_path / "audio").rename(tmp_path / ".audio.old-killed")
    (tmp_path / "newer" / "audio").rename(tmp_path / "audio")
    shutil.rmtree(tmp_path / "newer")
    # ... and, from an earlier kill, unfinished clips and an unfinished table.
    (tmp_path / ".audio.partial-killed").mkdir()
    (tmp_path / ".audio.partial-killed" / "1-0-A-0.wav").write_bytes(b"RIFF")
    (tmp_path / "meta" / ".esc50.csv.killed.partial").write_text("filename,fold\n")
    script = load_script("make_sound_events.py")

    def fail_at_first_clip(path, wave, sample_rate):
        raise OSError(28, "No space left on device")

    # The next run, failing itself, leaves the set that its table lists, and nothing else.
    monkeypatch.setattr(script, "write_wav", fail_at_first_clip)
    with pytest.raises(OSError, match="No space"):
        script.main([str(tmp_path), "--per-class", "1", "--seed", "3"])
    assert folder_bytes(tmp_path) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["audio", "meta"]
    assert [path.name for path in (tmp_path / "meta").iterdir()] == ["esc50.csv"]

    # Killed after the new table was written: the new clips are the set, the old ones go.
    assert make_sound_events_in(tmp_path / "newer", 1, seed=2).returncode == 0
    (tmp_path / "audio").rename(tmp_path / ".audio.old-killed")
    (tmp_path / "newer" / "audio").rename(tmp_path / "audio")
    (tmp_path / "newer" / "meta" / "esc50.csv").replace(tmp_path / "meta" / "esc50.csv")
    shutil.rmtree(tmp_path / "newer")
    newer = {path: data for path, data in folder_bytes(tmp_path).items()
             if path.parts[0] != ".audio.old-killed"}
    with pytest.raises(OSError, match="No space"):
        script.main([str(tmp_path), "--per-class", "1", "--seed", "3"])
    assert folder_bytes(tmp_path) == newer != before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["audio", "meta"]


def test_a_first_sound_event_run_killed_before_its_table_leaves_a_folder_the_next_run_replaces(tmp_path):
    # Killed between putting its clips in place and writing the table that lists them.
    assert make_sound_events_in(tmp_path / "killed", 1, seed=1).returncode == 0
    (tmp_path / "killed" / "audio").rename(tmp_path / "audio")
    shutil.rmtree(tmp_path / "killed")
    done = make_sound_events_in(tmp_path, 1, seed=2)
    assert done.returncode == 0, done.stderr
    read_back, original = read_esc50(tmp_path), make_sound_events(1, seed=2)
    assert np.array_equal(read_back.labels, original.labels)
    assert np.abs(read_back.waves - original.waves).max() < 1e-4
    assert sorted(path.name for path in tmp_path.iterdir()) == ["audio", "meta"]


def test_sound_events_are_not_written_over_another_set(tmp_path):
    esc50 = tmp_path / "esc50"
    (esc50 / "meta").mkdir(parents=True)
    (esc50 / "audio").mkdir()
    (esc50 / "audio" / "1-100032-A-0.wav").write_bytes(b"a real recording")
    (esc50 / "meta" / "esc50.csv").write_text("filename,fold,target,category,esc10,src_file,take\n"
                                              "1-100032-A-0.wav,1,0,dog,True,100032,A\n")
    recordings = tmp_path / "recordings"
    (recordings / "audio").mkdir(parents=True)
    (recordings / "audio" / "mine.wav").write_bytes(b"my recording")
    for folder, says in [(esc50, "of other classes (dog"), (recordings, "with no esc50.csv beside it")]:
        before = folder_bytes(folder)
        done = run_script("make_sound_events.py", str(folder), "--per-class", "1")
        assert done.returncode == 2 and says in done.stderr and "choose an empty folder" in done.stderr
        assert folder_bytes(folder) == before and len(list(folder.iterdir())) == len(before)
