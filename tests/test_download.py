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
    # Same size, different bytes: the pin catches it and the file is fetched again.
    (tmp_path / "toy" / "toy.zip").write_bytes(b"y" * len(ARCHIVE))
    with pytest.raises(DownloadError):
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
