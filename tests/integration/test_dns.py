"""The dns source against a real DNS server (Knot DNS with mod-whoami) and
a loopback whoami server that misbehaves on demand (mock_udp.py).

The real server answers with the client's address (127.0.0.1 / ::1), let
through with allow_nonpublic ["loopback"]; the mock answers with
documentation addresses.
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
from mock_udp import DNSMock
from probes import ProbeHandler

V4 = "203.0.113.7"
V6 = "2001:db8::7"


def have_ipv6():
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.bind(("::1", 0))
        s.close()
        return True
    except OSError:
        return False


need6 = pytest.mark.skipif(not have_ipv6(), reason="SKIPPED: no IPv6 loopback")


def probe(tmp_path, v4=None, v6=None, args=(), **kw):
    p = {"allow_nonpublic": ["documentation", "loopback"], "timeout": 1.5,
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
    """--check-config of a config whose probe.ipv4 is v4."""
    path = write_config(os.path.join(str(tmp_path), "check.json"),
                        {"probe": {"ipv4": v4}})
    return run(["--check-config", "-c", path])


def addr(r, rr="A"):
    return r.json()["addresses"][rr]


@pytest.fixture
def mocks():
    started = []

    def start(**kw):
        m = DNSMock(**kw)
        started.append(m)
        return m
    yield start
    for m in started:
        m.close()


def dns(server, name="whoami.test", **kw):
    e = {"source": "dns", "server": server, "name": name}
    e.update(kw)
    return e


# ---- a real DNS server ---------------------------------------------------

def free_port():
    """A port free for UDP and TCP on 127.0.0.1 and ::1 (Knot takes both)."""
    for _ in range(50):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        try:
            for fam, host, kind in ((socket.AF_INET, "127.0.0.1", socket.SOCK_STREAM),
                                    (socket.AF_INET6, "::1", socket.SOCK_DGRAM),
                                    (socket.AF_INET6, "::1", socket.SOCK_STREAM)):
                t = socket.socket(fam, kind)
                t.bind((host, port))
                t.close()
            return port
        except OSError:
            continue
    raise RuntimeError("no free port")


def ask(host, port, name, qtype):
    """One query with our own encoder: the answer's rdata, or None."""
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    q = struct.pack("!HHHHHH", 0x1234, 0, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\0" + struct.pack("!HH", qtype, 1)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(0.2)
    try:
        s.sendto(q, (host, port))
        data = s.recv(512)
        return data if struct.unpack("!H", data[6:8])[0] > 0 else None
    except OSError:
        return None
    finally:
        s.close()


@pytest.fixture(scope="module")
def knot(tmp_path_factory):
    knotd = shutil.which("knotd") or ("/usr/sbin/knotd" if os.path.exists("/usr/sbin/knotd") else None)
    if knotd is None:
        pytest.skip("SKIPPED: knotd not installed (Debian package knot); "
                    "the real-server DNS tests did not run")
    d = str(tmp_path_factory.mktemp("knot"))
    port = free_port()
    with open(os.path.join(d, "whoami.test.zone"), "w") as f:
        f.write("$ORIGIN whoami.test.\n$TTL 0\n"
                "@ SOA ns hostmaster 1 3600 600 86400 0\n@ NS ns\nns A 192.0.2.53\n")
    with open(os.path.join(d, "knot.conf"), "w") as f:
        f.write("server:\n    listen: [ 127.0.0.1@%d, ::1@%d ]\n    rundir: %s\n"
                "database:\n    storage: %s\n"
                "template:\n  - id: default\n    storage: %s\n"
                "zone:\n  - domain: whoami.test\n    file: whoami.test.zone\n"
                "    module: mod-whoami\n" % (port, port, d, d, d))
    p = subprocess.Popen([knotd, "-c", os.path.join(d, "knot.conf")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        t0 = time.monotonic()
        while ask("127.0.0.1", port, "whoami.test", 1) is None:
            if p.poll() is not None or time.monotonic() - t0 > 10:
                raise RuntimeError("knotd did not start: %s" % p.stderr.read())
        yield port
    finally:
        p.terminate()
        p.wait(5)


def test_knot_ipv4(tmp_path, knot):
    r = probe(tmp_path, [dns("127.0.0.1:%d" % knot)])
    assert r.code == 0, r
    a = addr(r)
    assert a["address"] == "127.0.0.1"
    assert a["source"] == "dns 127.0.0.1:%d" % knot
    assert a["ms"] < 1000


@need6
def test_knot_both_families(tmp_path, knot):
    """Each family is asked over itself: the server sees ::1 over IPv6."""
    r = probe(tmp_path, [dns("127.0.0.1:%d" % knot)], [dns("[::1]:%d" % knot)])
    assert r.code == 0, r
    assert addr(r, "A")["address"] == "127.0.0.1"
    assert addr(r, "AAAA")["address"] == "::1"
    assert addr(r, "AAAA")["source"] == "dns [::1]:%d" % knot


def test_knot_text_output(tmp_path, knot):
    path = write_config(os.path.join(str(tmp_path), "c.json"), {"probe": {
        "allow_nonpublic": ["loopback"],
        "ipv4": [dns("127.0.0.1:%d" % knot)]}})
    r = run(["--probe", "-4", "-v", "-c", path])
    assert r.code == 0, r
    assert r.out == "127.0.0.1\n"
    assert "probe: dns 127.0.0.1:%d: 127.0.0.1 in " % knot in r.err
    assert "A 127.0.0.1 from dns 127.0.0.1:%d in " % knot in r.err


def test_knot_refuses_other_names(tmp_path, knot):
    """A name outside its zone: Knot says REFUSED, we say so."""
    r = probe(tmp_path, [dns("127.0.0.1:%d" % knot, name="myip.opendns.com")])
    assert r.code == 69, r
    assert "REFUSED for myip.opendns.com A" in addr(r)["error"], r


def test_knot_loopback_refused_by_default(tmp_path, knot):
    r = probe(tmp_path, [dns("127.0.0.1:%d" % knot)], allow_nonpublic=False)
    assert r.code == 69, r
    assert "127.0.0.1:%d: 127.0.0.1 is in loopback" % knot in r.err


# ---- the loopback mock ---------------------------------------------------

def test_mock_a(tmp_path, mocks):
    m = mocks(address=V4)
    r = probe(tmp_path, [dns(m.addr)], args=["-vv"])
    assert r.code == 0, r
    assert addr(r)["address"] == V4
    qid, name, qtype, qclass, flags = m.queries[0]
    assert (name, qtype, qclass, flags & 0x0100) == ("whoami.test", 1, 1, 0)
    assert "probe: dns %s: whoami.test IN A? (IPv4)" % m.addr in r.err


@need6
def test_mock_aaaa_over_ipv6(tmp_path, mocks):
    m = mocks(v6=True, address=V6)
    r = probe(tmp_path, v6=[dns(m.addr)])
    assert r.code == 0, r
    assert addr(r, "AAAA")["address"] == V6
    assert m.queries[0][2] == 28
    assert m.log[0][1][0] == "::1"


def test_preset_with_server_cloudflare(tmp_path, mocks):
    """A preset names the question; server points it at the mock."""
    m = mocks(address=V4)
    r = probe(tmp_path, [{"source": "dns", "resolver": "cloudflare",
                          "server": m.addr}])
    assert r.code == 0, r
    assert addr(r)["address"] == V4
    qid, name, qtype, qclass, flags = m.queries[0]
    assert (name, qtype, qclass) == ("whoami.cloudflare", 16, 3)


def test_preset_google_with_ecs(tmp_path, mocks):
    m = mocks(address=V4)
    m.mode = "ecs"
    r = probe(tmp_path, [{"source": "dns", "resolver": "google",
                          "server": m.addr}])
    assert r.code == 0, r
    assert addr(r)["address"] == V4
    qid, name, qtype, qclass, flags = m.queries[0]
    assert (name, qtype, qclass, flags & 0x0100) == ("o-o.myaddr.l.google.com", 16, 1, 0)


def test_preset_opendns_recursion_desired(tmp_path, mocks):
    m = mocks(address=V4)
    r = check(tmp_path, ["dns:opendns"])
    assert r.code == 0, r
    r = probe(tmp_path, [{"source": "dns", "resolver": "opendns", "server": m.addr}])
    assert r.code == 0, r
    qid, name, qtype, qclass, flags = m.queries[0]
    assert (name, qtype, flags & 0x0100) == ("myip.opendns.com", 1, 0x0100)


@pytest.mark.parametrize("mode,words", [
    ("truncated", "truncated reply (TC set)"),
    ("servfail", "SERVFAIL for whoami.test A"),
    ("two", "ambiguous: the answer holds 203.0.113.7 and 198.51.100.9"),
])
def test_failing_server_then_fallback(tmp_path, mocks, mode, words):
    """A server that answers badly fails at once; the next step answers."""
    bad = mocks(address=V4)
    bad.mode = mode
    bad.other = "198.51.100.9"
    good = mocks(address="203.0.113.9")
    r = probe(tmp_path, [dns(bad.addr), dns(good.addr)], timeout=3)
    assert r.code == 0, r
    assert addr(r)["address"] == "203.0.113.9"
    assert addr(r)["source"] == "dns " + good.addr
    assert r.elapsed < 2.0, r.elapsed
    r = probe(tmp_path, [dns(bad.addr)], timeout=3)
    assert r.code == 69
    assert addr(r)["error"].startswith("dns %s: %s" % (bad.addr, words)), r


@pytest.mark.parametrize("mode,words", [
    ("wrong_id", "wrong id"),
    ("wrong_question", "reply to another question"),
    ("garbage", "message shorter than a DNS header"),
])
def test_foreign_replies_ignored(tmp_path, mocks, mode, words):
    """Replies that are not to our query are ignored until the timeout."""
    m = mocks(address=V4)
    m.mode = mode
    r = probe(tmp_path, [dns(m.addr)], timeout=1)
    assert r.code == 69, r
    err = addr(r)["error"]
    assert err.startswith("dns %s: no valid reply in " % m.addr), err
    assert "the last: " + words in err, err
    assert 0.9 < r.elapsed < 2.5


def test_forged_source_port_ignored(tmp_path, mocks):
    """The right answer from another port never reaches us."""
    m = mocks(address=V4)
    m.mode = "forged"
    r = probe(tmp_path, [dns(m.addr)], timeout=1)
    assert r.code == 69, r
    assert "no reply in " in addr(r)["error"]


def test_silence_retransmits_then_falls_back(tmp_path, servers, mocks):
    """Three queries within the timeout, same id; then the http step."""
    m = mocks(address=V4)
    m.mode = "silent"
    web = servers(ProbeHandler)
    r = probe(tmp_path, [dns(m.addr), web.url + "/fast/203.0.113.8"],
              timeout=1.5)
    assert r.code == 0, r
    assert addr(r)["address"] == "203.0.113.8"
    assert len(m.log) == 3, m.log
    assert len({q[0] for q in m.queries}) == 1
    gaps = [m.log[i + 1][0] - m.log[i][0] for i in range(2)]
    assert all(0.35 < g < 0.75 for g in gaps), gaps
    assert 1.4 < r.elapsed < 3.0


def test_lost_first_datagram(tmp_path, mocks):
    m = mocks(address=V4)
    m.mode = "second"
    r = probe(tmp_path, [dns(m.addr)], timeout=1.5)
    assert r.code == 0, r
    assert 400 <= addr(r)["ms"] < 1000
    assert len(m.log) == 2


@pytest.mark.skipif(harness.ON_WINE, reason="Wine's Winsock does not report "
                    "ICMP port unreachable on UDP (real Windows does)")
def test_port_unreachable_fails_fast(tmp_path, mocks):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    good = mocks(address=V4)
    r = probe(tmp_path, [dns("127.0.0.1:%d" % port), dns(good.addr)], timeout=3)
    assert r.code == 0, r
    assert r.elapsed < 1.5
    r = probe(tmp_path, [dns("127.0.0.1:%d" % port)], timeout=3)
    assert "port unreachable" in addr(r)["error"], r


def test_servers_race(tmp_path, mocks):
    """All servers of a step at once: the silent one does not delay."""
    silent = mocks(address=V4)
    silent.mode = "silent"
    slow = mocks(address=V4)
    slow.mode = "slow"
    r = probe(tmp_path, [dns([silent.addr, slow.addr])], timeout=3)
    assert r.code == 0, r
    assert addr(r)["source"] == "dns " + slow.addr
    assert r.elapsed < 1.5
    # each server got its own socket: two source ports, two ids
    assert silent.log[0][1][1] != slow.log[0][1][1]


def test_ids_random(tmp_path, mocks):
    m = mocks(address=V4)
    for _ in range(4):
        assert probe(tmp_path, [dns(m.addr)]).code == 0
    assert len({q[0] for q in m.queries}) == 4
    assert len({l[1][1] for l in m.log}) == 4


def test_quorum_across_servers(tmp_path, mocks):
    a = mocks(address=V4)
    b = mocks(address=V4)
    liar = mocks(address="198.51.100.66")
    r = probe(tmp_path, [dns([liar.addr, a.addr, b.addr])], quorum=2)
    assert r.code == 0, r
    assert addr(r)["address"] == V4
    assert addr(r)["agree"] == 2
    r = probe(tmp_path, [dns([liar.addr, a.addr])], quorum=2)
    assert r.code == 69, r
    assert "no IPv4 address that 2 servers agree on" in addr(r)["error"]


@pytest.mark.parametrize("entry,words", [
    ({"source": "dns", "resolver": "nope"}, "resolver: expected one of cloudflare, google, opendns"),
    ("dns:nope", "resolver: expected one of cloudflare, google, opendns"),
    ({"source": "dns", "server": "127.0.0.1"}, "a \"server\" needs the \"name\""),
    ({"source": "dns", "server": "dns.example:53", "name": "x.test"},
     "dns.example is not an IP address"),
    ({"source": "dns", "server": "::1", "name": "x.test"},
     "::1 is an IPv6 address: it cannot tell the IPv4 address"),
    ({"source": "dns", "server": "127.0.0.1:99999", "name": "x.test"}, "is not a server"),
    ({"source": "dns", "server": "127.0.0.1", "name": "a..b"}, "name: empty label in a name"),
    ({"source": "dns", "server": "127.0.0.1", "name": "x.test", "type": "AAAA"},
     "type AAAA cannot give an IPv4 address"),
    ({"source": "dns", "server": "127.0.0.1", "name": "x.test", "class": "HS"},
     "class: expected IN or CH"),
    ({"source": "dns", "resolver": "google", "port": 5}, "unknown key \"port\""),
    ({"source": "dns", "name": "x.test"}, "need a \"server\" or a \"resolver\""),
])
def test_config_errors(tmp_path, entry, words):
    r = check(tmp_path, [entry])
    assert r.code == 78, r
    assert "check.json:" in r.err and words in r.err, r.err
