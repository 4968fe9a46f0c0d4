import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


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
