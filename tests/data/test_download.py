"""Finding the data directory, and verified downloads against a server on 127.0.0.1."""

import functools
import hashlib
import http.server
import io
import socket
import tarfile
import threading

import pytest
from data_files import make_dataset_dir

from helpers.data import (
    DataFormatError,
    DataMissingError,
    download,
    load_cifar10,
    load_mnist,
    locations,
    resolve_data_dir,
)


@pytest.fixture
def served(tmp_path):
    """A folder served over HTTP on loopback; yields (folder, base url)."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_url():
    """A loopback URL where nothing listens: what an offline machine sees."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def test_argument_wins_over_environment(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    monkeypatch.setenv(locations.ENV_VAR, str(tmp_path / "b"))
    assert resolve_data_dir(tmp_path / "a") == tmp_path / "a"
    assert resolve_data_dir() == tmp_path / "b"


def test_default_cache_is_used_without_argument_or_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(locations.ENV_VAR, raising=False)
    monkeypatch.setattr(locations, "DEFAULT_DATA_DIR", tmp_path / "cache")
    assert resolve_data_dir() == tmp_path / "cache" and (tmp_path / "cache").is_dir()


def test_named_directory_that_does_not_exist_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv(locations.ENV_VAR, str(tmp_path / "typo"))
    with pytest.raises(DataMissingError, match=r"typo \(from \$LESSONS_DATA\) does not exist"):
        resolve_data_dir()


def test_missing_files_without_download_name_the_files_and_the_folder(tmp_path):
    with pytest.raises(DataMissingError) as error:
        load_mnist("train", tmp_path, download=False)
    message = str(error.value)
    assert "t10k-labels-idx1-ubyte.gz" in message and str(tmp_path / "mnist") in message
    assert "LESSONS_DATA" in message and "\n" not in message


def test_fetch_verifies_and_moves_into_place(served, tmp_path):
    folder, url = served
    (folder / "file.bin").write_bytes(b"payload" * 1000)
    target = tmp_path / "out" / "file.bin"
    download.fetch(url + "file.bin", md5(b"payload" * 1000), target)
    assert target.read_bytes() == b"payload" * 1000


def test_fetch_with_wrong_checksum_keeps_nothing(served, tmp_path):
    folder, url = served
    (folder / "file.bin").write_bytes(b"tampered")
    out = tmp_path / "out"
    with pytest.raises(DataFormatError, match="md5 is not the published"):
        download.fetch(url + "file.bin", md5(b"original"), out / "file.bin")
    assert list(out.iterdir()) == []  # neither the file nor a temporary


def test_offline_download_says_which_files_are_missing(tmp_path, closed_url, monkeypatch):
    monkeypatch.setattr(download, "MNIST_URL", closed_url)
    with pytest.raises(DataMissingError, match="MNIST: missing train-images.*download of .* failed"):
        load_mnist("train", tmp_path)
    assert not any((tmp_path / "mnist").iterdir())


def test_mnist_files_are_downloaded_when_missing(served, tmp_path, monkeypatch, small_sizes):
    folder, url = served
    source = make_dataset_dir(tmp_path / "source")
    checksums = {}
    for path in (source / "mnist").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
        checksums[path.name] = md5(path.read_bytes())
    monkeypatch.setattr(download, "MNIST_URL", url)
    monkeypatch.setattr(download, "MNIST_MD5", checksums)
    target = tmp_path / "target"
    target.mkdir()
    assert len(load_mnist("test", target)) == 10
    assert sorted(p.name for p in (target / "mnist").iterdir()) == sorted(checksums)


def test_cifar_archive_is_downloaded_and_extracted(served, tmp_path, monkeypatch, small_sizes):
    folder, url = served
    source = make_dataset_dir(tmp_path / "source") / "cifar-10"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(source / "cifar-10-batches-py", arcname="cifar-10-batches-py")
    (folder / "cifar.tgz").write_bytes(buffer.getvalue())
    monkeypatch.setattr(download, "CIFAR10_URL", url + "cifar.tgz")
    monkeypatch.setattr(download, "CIFAR10_MD5", md5(buffer.getvalue()))
    target = tmp_path / "target"
    target.mkdir()

    assert len(load_cifar10("train", target)) == 50
    names = sorted(p.name for p in (target / "cifar-10").iterdir())
    assert names == ["cifar-10-batches-py", "cifar-10-python.tar.gz"]  # no extraction leftovers


class BreaksOffHandler(http.server.BaseHTTPRequestHandler):
    """Promises 100,000 bytes, sends 1,000, and hangs up: an interrupted transfer."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"x" * 1000)
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, *args):
        pass


def test_interrupted_download_leaves_no_partial_file(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), BreaksOffHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/file.bin"
        out = tmp_path / "out"
        with pytest.raises(download.DownloadFailed, match="download of .* failed"):
            download.fetch(url, md5(b"x" * 100000), out / "file.bin")
        assert list(out.iterdir()) == []
    finally:
        server.shutdown()
        server.server_close()
