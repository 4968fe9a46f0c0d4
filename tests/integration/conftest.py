import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def wineserver():
    """Under Wine, one wineserver (and Wine's services) for the whole
    session, so each run of ddnsup.exe does not boot them again (seconds
    each); stopped at the end if this session started it."""
    if not harness.ON_WINE:
        yield
        return
    env = dict(os.environ, **harness.wine_env())
    env.pop("WINE")
    os.makedirs(env["WINEPREFIX"], exist_ok=True)
    quiet = {"env": env, "stdin": subprocess.DEVNULL,
             "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    # A wineserver left by an earlier wine command (make unit-windows)
    # exits 3 s after its last process: wait for that, then start one
    # that persists. Exit 0: started here; otherwise one is still
    # running (someone else's session), which serves as well.
    try:
        subprocess.run(["wineserver", "-w"], timeout=15, **quiet)
    except subprocess.TimeoutExpired:
        pass
    ours = subprocess.run(["wineserver", "-p"], **quiet).returncode == 0
    # Boot the prefix (services, explorer) outside any test's pipes and
    # clock; the first run on a new prefix creates it (~10 s).
    subprocess.run(harness.command()[0] + ["--version"], timeout=300, **quiet)
    yield
    if ours:
        subprocess.run(["wineserver", "-k"], **quiet)


@pytest.fixture(scope="session")
def ca(tmp_path_factory):
    return harness.TestCA(str(tmp_path_factory.mktemp("ca")))


@pytest.fixture
def servers():
    """Start servers with servers(handler, tls=..., v6=...); all closed after."""
    started = []

    def start(handler, **kw):
        s = harness.Server(handler, **kw)
        started.append(s)
        return s
    yield start
    for s in started:
        s.close()
