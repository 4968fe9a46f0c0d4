"""The stun source against a real STUN server (coturn's turnserver,
--stun-only) and a loopback one that misbehaves on demand (mock_udp.py).
"""
import os
import shutil
import socket
import struct
import subprocess
import time

import pytest

import harness
from harness import run, write_config
from mock_udp import STUNMock
from probes import ProbeHandler
from test_dns import free_port, have_ipv6

V4 = "203.0.113.7"
V6 = "2001:db8::7"

need6 = pytest.mark.skipif(not have_ipv6(), reason="SKIPPED: no IPv6 loopback")


def probe(tmp_path, v4=None, v6=None, args=(), **kw):
    p = {"allow_nonpublic": ["documentation", "loopback"], "timeout": 2,
         "deadline": 6}
    p.update(kw)
    if v4 is not None:
        p["ipv4"] = v4
    if v6 is not None:
        p["ipv6"] = v6
    path = write_config(os.path.join(str(tmp_path), "ddnsup.json"), {"probe": p})
    fams = ["-4"] if v6 is None else ["-6"] if v4 is None else []
    return run(["--probe", "--json", "-c", path] + fams + list(args))


def check(tmp_path, v4):
    path = write_config(os.path.join(str(tmp_path), "check.json"),
                        {"probe": {"ipv4": v4}})
    return run(["--check-config", "-c", path])


def addr(r, rr="A"):
    return r.json()["addresses"][rr]


@pytest.fixture
def mocks():
    started = []

    def start(**kw):
        m = STUNMock(**kw)
        started.append(m)
        return m
    yield start
    for m in started:
        m.close()


# ---- a real STUN server --------------------------------------------------

def binding(host, port):
    """One Binding request with our own encoder: True if answered."""
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(0.2)
    try:
        s.sendto(struct.pack("!HHI", 1, 0, 0x2112A442) + os.urandom(12), (host, port))
        return struct.unpack("!H", s.recv(512)[:2])[0] == 0x0101
    except OSError:
        return False
    finally:
        s.close()


@pytest.fixture(scope="module")
def coturn(tmp_path_factory):
    turn = shutil.which("turnserver")
    if turn is None:
        pytest.skip("SKIPPED: turnserver not installed (Debian package "
                    "coturn); the real-server STUN tests did not run")
    d = str(tmp_path_factory.mktemp("coturn"))
    port = free_port()
    args = [turn, "-n", "--stun-only", "--listening-ip=127.0.0.1",
            "--listening-port=%d" % port, "--no-cli", "--no-tls",
            "--no-dtls", "--log-file=stdout", "--simple-log",
            "--pidfile=%s/turn.pid" % d]
    if have_ipv6():
        args.insert(4, "--listening-ip=::1")
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         cwd=d)
    try:
        t0 = time.monotonic()
        while not binding("127.0.0.1", port):
            if p.poll() is not None or time.monotonic() - t0 > 10:
                raise RuntimeError("turnserver did not start")
        yield port
    finally:
        p.terminate()
        p.wait(5)


def test_coturn_ipv4(tmp_path, coturn):
    r = probe(tmp_path, ["stun:127.0.0.1:%d" % coturn])
    assert r.code == 0, r
    a = addr(r)
    assert a["address"] == "127.0.0.1"
    assert a["source"] == "stun 127.0.0.1:%d" % coturn
    assert a["ms"] < 1000


@need6
def test_coturn_both_families(tmp_path, coturn):
    r = probe(tmp_path, ["stun:127.0.0.1:%d" % coturn],
              ["stun:[::1]:%d" % coturn], args=["-vv"])
    assert r.code == 0, r
    assert addr(r, "A")["address"] == "127.0.0.1"
    assert addr(r, "AAAA")["address"] == "::1"
    assert "probe: stun [::1]:%d: mapped ::1 port " % coturn in r.err


def test_coturn_text_and_fallback(tmp_path, coturn):
    """A dead server first, then coturn: --probe prints coturn's answer."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    dead = s.getsockname()[1]
    s.close()
    path = write_config(os.path.join(str(tmp_path), "c.json"), {"probe": {
        "allow_nonpublic": ["loopback"],
        "ipv4": ["stun:127.0.0.1:%d" % dead, "stun:127.0.0.1:%d" % coturn]}})
    r = run(["--probe", "-4", "-v", "-c", path])
    assert r.code == 0, r
    assert r.out == "127.0.0.1\n"
    if not harness.ON_WINE:     # Wine's Winsock does not report ICMP
        assert "probe: stun 127.0.0.1:%d: port unreachable" % dead in r.err
    assert "A 127.0.0.1 from stun 127.0.0.1:%d in " % coturn in r.err


# ---- the loopback mock ---------------------------------------------------

def test_mock_xor(tmp_path, mocks):
    m = mocks(address=V4)
    r = probe(tmp_path, ["stun:" + m.addr])
    assert r.code == 0, r
    assert addr(r)["address"] == V4
    assert len(m.log) == 1
    data = m.log[0][2]
    assert len(data) == 20 and data[:8] == b"\x00\x01\x00\x00\x21\x12\xa4\x42"


@need6
def test_mock_ipv6(tmp_path, mocks):
    m = mocks(v6=True, address=V6)
    r = probe(tmp_path, v6=[{"source": "stun", "servers": [m.addr]}])
    assert r.code == 0, r
    assert addr(r, "AAAA")["address"] == V6
    assert m.log[0][1][0] == "::1"


def test_rfc3489_server(tmp_path, mocks):
    m = mocks(address=V4)
    m.mode = "rfc3489"
    r = probe(tmp_path, ["stun:" + m.addr])
    assert r.code == 0, r
    assert addr(r)["address"] == V4


@pytest.mark.parametrize("mode,words", [
    ("error", "error response 400: Bad Request"),
    ("badfp", "FINGERPRINT does not match the message"),
])
def test_bad_answer_then_fallback(tmp_path, mocks, mode, words):
    bad = mocks(address=V4)
    bad.mode = mode
    good = mocks(address="203.0.113.9")
    r = probe(tmp_path, ["stun:" + bad.addr, "stun:" + good.addr], timeout=4)
    assert r.code == 0, r
    assert addr(r)["address"] == "203.0.113.9"
    assert r.elapsed < 2.0
    r = probe(tmp_path, ["stun:" + bad.addr])
    assert r.code == 69, r
    assert addr(r)["error"] == "stun %s: %s" % (bad.addr, words)


@pytest.mark.parametrize("mode,words", [
    ("wrong_txid", "another transaction"),
    ("garbage", "not a STUN message"),
])
def test_foreign_ignored(tmp_path, mocks, mode, words):
    m = mocks(address=V4)
    m.mode = mode
    r = probe(tmp_path, ["stun:" + m.addr], timeout=1)
    assert r.code == 69, r
    err = addr(r)["error"]
    assert err.startswith("stun %s: no valid reply in " % m.addr), err
    assert "the last: " + words in err


def test_retransmission_schedule(tmp_path, mocks):
    """RFC 8489 6.2.1: RTO 500 ms, doubling; the same transaction id."""
    m = mocks(address=V4)
    m.mode = "silent"
    r = probe(tmp_path, ["stun:" + m.addr], timeout=4)
    assert r.code == 69, r
    t = [e[0] for e in m.log]
    assert len(t) == 4, t         # at 0, 0.5, 1.5, 3.5 s
    gaps = [t[i + 1] - t[i] for i in range(3)]
    for g, want in zip(gaps, (0.5, 1.0, 2.0)):
        assert want - 0.1 < g < want + 0.25, gaps
    assert len({e[2] for e in m.log}) == 1
    assert "no reply in 4.0 s (4 requests sent)" in addr(r)["error"]


def test_answer_on_retransmission(tmp_path, mocks):
    m = mocks(address=V4)
    m.mode = "retransmit"
    r = probe(tmp_path, ["stun:" + m.addr], timeout=3)
    assert r.code == 0, r
    assert 450 <= addr(r)["ms"] < 900
    assert len(m.log) == 2


def test_servers_race_first_wins(tmp_path, mocks):
    silent = mocks(address=V4)
    silent.mode = "silent"
    ok = mocks(address=V4)
    r = probe(tmp_path, [{"source": "stun", "servers": [silent.addr, ok.addr]}],
              timeout=3)
    assert r.code == 0, r
    assert addr(r)["source"] == "stun " + ok.addr
    assert r.elapsed < 1.0
    assert silent.log[0][2][8:] != ok.log[0][2][8:]   # a txid each


def test_silence_then_http(tmp_path, mocks, servers):
    m = mocks(address=V4)
    m.mode = "silent"
    web = servers(ProbeHandler)
    r = probe(tmp_path, ["stun:" + m.addr, web.url + "/fast/203.0.113.8"],
              timeout=1)
    assert r.code == 0, r
    assert addr(r)["address"] == "203.0.113.8"
    assert 0.9 < r.elapsed < 2.5


@pytest.mark.parametrize("entry,words", [
    ({"source": "stun", "servers": []}, "servers: expected a list of 1 to 16"),
    ({"source": "stun", "server": "a", "servers": ["b"]}, "not both"),
    ({"source": "stun", "server": "[::1]:3478"}, "::1 is an IPv6 address"),
    ("stun:bad_host!", "is not a host name or address"),
    ("stun:127.0.0.1:0", "is not a server"),
    ({"source": "stun", "timeout": 0}, "timeout: expected seconds"),
    ({"source": "stun", "rto": 1}, "unknown key \"rto\""),
])
def test_config_errors(tmp_path, entry, words):
    r = check(tmp_path, [entry])
    assert r.code == 78, r
    assert "check.json:" in r.err and words in r.err, r.err


def test_names_not_looked_up_at_check(tmp_path):
    """--check-config sends nothing: the built-in names stay unresolved."""
    r = check(tmp_path, ["stun", "stun:stun.example.invalid:3478"])
    assert r.code == 0, r
