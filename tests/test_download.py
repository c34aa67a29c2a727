import hashlib
import io
import socket

import pytest
from helpers import zip_bytes
from http_fixture import FileServer

from course_utils.datasets import REGISTRY, DatasetEntry, DownloadError, fetch, lookup


def entry_for(urls, data: bytes, archive="zip", sha256="right", name="toy") -> DatasetEntry:
    digest = hashlib.sha256(data).hexdigest() if sha256 == "right" else sha256
    return DatasetEntry(name=name, urls=tuple(urls), filename="toy.zip", size=len(data),
                        sha256=digest, archive=archive, offline_alternative="the synthetic toy set")


ARCHIVE = zip_bytes({"toy/words.txt": b"alpha beta gamma\n" * 100})


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/toy.zip"


def test_good_file_is_fetched_verified_and_extracted(tmp_path):
    with FileServer() as server:
        server.files["/toy.zip"] = ARCHIVE
        entry = entry_for([server.url("/toy.zip")], ARCHIVE)
        folder = fetch(entry, tmp_path)
    assert (folder / "toy" / "words.txt").read_bytes().startswith(b"alpha beta")
    assert (tmp_path / "toy" / "toy.zip").read_bytes() == ARCHIVE
    assert not (tmp_path / "toy" / "toy.zip.part").exists()
    # The server is gone: the verified cache serves the next call.
    assert fetch(entry, tmp_path) == folder


def test_wrong_hash_fails_clearly_and_leaves_nothing(tmp_path):
    with FileServer() as server:
        server.files["/toy.zip"] = ARCHIVE
        entry = entry_for([server.url("/toy.zip")], ARCHIVE, sha256="0" * 64)
        with pytest.raises(DownloadError, match="(?s)sha256.*synthetic toy set"):
            fetch(entry, tmp_path)
    assert sorted(p.name for p in (tmp_path / "toy").iterdir()) == []


def test_truncated_download_is_not_kept(tmp_path):
    with FileServer() as server:
        server.files["/toy.zip"] = ARCHIVE
        server.truncate_to["/toy.zip"] = len(ARCHIVE) // 2
        entry = entry_for([server.url("/toy.zip")], ARCHIVE)
        with pytest.raises(DownloadError, match="size"):
            fetch(entry, tmp_path)
    assert not (tmp_path / "toy" / "toy.zip").exists()


def test_interrupted_download_resumes_with_a_range_request(tmp_path):
    (tmp_path / "toy").mkdir()
    (tmp_path / "toy" / "toy.zip.part").write_bytes(ARCHIVE[:100])
    with FileServer() as server:
        server.files["/toy.zip"] = ARCHIVE
        fetch(entry_for([server.url("/toy.zip")], ARCHIVE), tmp_path)
        assert server.requests == [("/toy.zip", "bytes=100-")]
    assert (tmp_path / "toy" / "toy.zip").read_bytes() == ARCHIVE


def test_corrupted_cache_is_fetched_again_not_used(tmp_path, capsys):
    (tmp_path / "toy").mkdir()
    (tmp_path / "toy" / "toy.zip").write_bytes(b"x" * len(ARCHIVE))
    with FileServer() as server:
        server.files["/toy.zip"] = ARCHIVE
        folder = fetch(entry_for([server.url("/toy.zip")], ARCHIVE), tmp_path)
    assert "corrupted" in capsys.readouterr().out
    assert (tmp_path / "toy" / "toy.zip").read_bytes() == ARCHIVE
    assert (folder / "toy" / "words.txt").is_file()


def test_corrupted_cache_offline_is_an_error_not_a_result(tmp_path):
    (tmp_path / "toy").mkdir()
    (tmp_path / "toy" / "toy.zip").write_bytes(b"x" * len(ARCHIVE))
    with pytest.raises(DownloadError, match="synthetic toy set"):
        fetch(entry_for([closed_port_url()], ARCHIVE), tmp_path)


def test_escaping_archive_is_refused(tmp_path):
    evil = zip_bytes({"../../escaped.txt": b"gotcha", "fine.txt": b"ok"})
    with FileServer() as server:
        server.files["/toy.zip"] = evil
        with pytest.raises(DownloadError, match="outside the target folder"):
            fetch(entry_for([server.url("/toy.zip")], evil), tmp_path / "data")
    assert not list(tmp_path.rglob("escaped.txt"))
    assert not (tmp_path / "data" / "toy" / "extracted").exists()


def test_no_server_names_the_offline_alternative(tmp_path):
    with pytest.raises(DownloadError) as error:
        fetch(entry_for([closed_port_url()], ARCHIVE), tmp_path, timeout=5)
    assert "Check the network connection" in str(error.value)
    assert "synthetic toy set" in str(error.value)


def test_mirror_is_used_when_the_first_address_fails(tmp_path):
    with FileServer() as server:
        server.files["/mirror/toy.zip"] = ARCHIVE
        entry = entry_for([server.url("/missing.zip"), server.url("/mirror/toy.zip")], ARCHIVE)
        assert (fetch(entry, tmp_path) / "toy" / "words.txt").is_file()


def test_unpublished_hash_is_pinned_on_first_download(tmp_path):
    with FileServer() as server:
        server.files["/toy.zip"] = ARCHIVE
        entry = entry_for([server.url("/toy.zip")], ARCHIVE, sha256=None)
        fetch(entry, tmp_path)
        pin = tmp_path / "toy" / "toy.zip.sha256"
        assert pin.read_text().strip() == hashlib.sha256(ARCHIVE).hexdigest()
        # Same size, different bytes: the pin catches the cached file, and then the server's new
        # bytes of that size too.
        (tmp_path / "toy" / "toy.zip").write_bytes(b"y" * len(ARCHIVE))
        server.files["/toy.zip"] = bytes(reversed(ARCHIVE))
        with pytest.raises(DownloadError, match="sha256"):
            fetch(entry, tmp_path)


def test_plain_file_without_archive(tmp_path):
    data = b"just bytes"
    with FileServer() as server:
        server.files["/toy.zip"] = data
        path = fetch(entry_for([server.url("/toy.zip")], data, archive=None), tmp_path)
    assert path.read_bytes() == data


def test_registry_entries_are_complete():
    assert lookup("text8") is REGISTRY["text8"]
    for entry in REGISTRY.values():
        assert entry.urls and (entry.size is None or entry.size > 0) and entry.offline_alternative
        assert entry.size is not None or entry.sha256 is None  # unknown size: the pin guards it
        assert entry.sha256 is None or len(entry.sha256) == 64
    with pytest.raises(KeyError, match="text8"):
        lookup("imagenet")


def tar_bytes(members: dict[str, bytes]) -> bytes:
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_tar_archives_extract_and_escapes_are_refused(tmp_path):
    good = tar_bytes({"clips/a.wav": b"RIFF" + b"0" * 40})
    evil = tar_bytes({"../outside.txt": b"gotcha"})
    with FileServer() as server:
        server.files["/good.tgz"], server.files["/evil.tgz"] = good, evil
        folder = fetch(entry_for([server.url("/good.tgz")], good, archive="tar", name="good"), tmp_path)
        assert (folder / "clips" / "a.wav").read_bytes().startswith(b"RIFF")
        with pytest.raises(DownloadError, match="outside the target folder"):
            fetch(entry_for([server.url("/evil.tgz")], evil, archive="tar", name="evil"), tmp_path)
    assert not list(tmp_path.rglob("outside.txt"))


def unpublished_entry(server) -> DatasetEntry:
    """An entry like Flickr8k's and ESC-50's: no published size or checksum."""
    return DatasetEntry(name="toy", urls=(server.url("/toy.zip"),), filename="toy.zip", size=None,
                        sha256=None, archive="zip", offline_alternative="the synthetic toy set")


def test_dropped_connection_is_resumed_not_pinned(tmp_path):
    with FileServer() as server:
        server.files["/toy.zip"] = ARCHIVE
        server.drop_after["/toy.zip"] = 100
        with pytest.raises(DownloadError, match="connection closed after 100 of"):
            fetch(unpublished_entry(server), tmp_path)
        folder = tmp_path / "toy"
        assert sorted(p.name for p in folder.iterdir()) == ["toy.zip.part"]
        del server.drop_after["/toy.zip"]
        extracted = fetch(unpublished_entry(server), tmp_path)
        assert server.requests[-1] == ("/toy.zip", "bytes=100-")
    assert (extracted / "toy" / "words.txt").is_file()
    assert (folder / "toy.zip.sha256").read_text().strip() == hashlib.sha256(ARCHIVE).hexdigest()


def test_damaged_archive_is_neither_kept_nor_pinned(tmp_path):
    damaged = ARCHIVE[: len(ARCHIVE) // 2]  # complete as sent, but no zip
    with FileServer() as server:
        server.files["/toy.zip"] = damaged
        with pytest.raises(DownloadError, match="damaged"):
            fetch(unpublished_entry(server), tmp_path)
        assert list((tmp_path / "toy").iterdir()) == []
        server.files["/toy.zip"] = ARCHIVE  # the next try gets a good copy and pins that
        assert (fetch(unpublished_entry(server), tmp_path) / "toy" / "words.txt").is_file()
    assert (tmp_path / "toy" / "toy.zip.sha256").read_text().strip() == hashlib.sha256(ARCHIVE).hexdigest()


def test_a_pin_of_a_damaged_archive_is_dropped_and_the_file_fetched_again(tmp_path, capsys):
    damaged = ARCHIVE[: len(ARCHIVE) // 2]
    folder = tmp_path / "toy"
    folder.mkdir()
    (folder / "toy.zip").write_bytes(damaged)
    (folder / "toy.zip.sha256").write_text(hashlib.sha256(damaged).hexdigest() + "\n")
    with FileServer() as server:
        server.files["/toy.zip"] = ARCHIVE
        assert (fetch(unpublished_entry(server), tmp_path) / "toy" / "words.txt").is_file()
    assert "corrupted (damaged" in capsys.readouterr().out
    assert (folder / "toy.zip.sha256").read_text().strip() == hashlib.sha256(ARCHIVE).hexdigest()


def test_a_new_download_is_checked_against_the_pin(tmp_path):
    folder = tmp_path / "toy"
    folder.mkdir()
    (folder / "toy.zip.sha256").write_text(hashlib.sha256(ARCHIVE).hexdigest() + "\n")
    other = zip_bytes({"toy/words.txt": b"other words\n" * 100})
    with FileServer() as server:
        server.files["/toy.zip"] = other
        with pytest.raises(DownloadError, match="sha256"):
            fetch(unpublished_entry(server), tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["toy.zip.sha256"]


def test_a_full_disk_says_to_free_space_not_to_check_the_network(tmp_path, monkeypatch):
    import errno

    from course_utils.datasets import download

    class FullDisk(io.BytesIO):
        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(download, "open", lambda *args, **kwargs: FullDisk(), raising=False)
    with FileServer() as server:
        server.files["/toy.zip"] = ARCHIVE
        with pytest.raises(DownloadError, match="(?s)No space left.*COURSE_DATA_DIR") as error:
            fetch(entry_for([server.url("/toy.zip")], ARCHIVE), tmp_path)
    assert "Check the network" not in str(error.value)
