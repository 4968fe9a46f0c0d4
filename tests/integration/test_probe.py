"""ddnsup --probe against loopback endpoints (probes.py).

Every run names its families (-4 / -6) or configures both lists, so the
built-in public endpoints are never asked. Addresses are documentation ones,
let through with "allow_nonpublic": ["documentation"].
"""
import os
import socket

import pytest

import harness
from harness import run, write_config
from probes import ProbeHandler

DOC = ["documentation"]
V4 = "203.0.113.7"
V6 = "2001:db8::7"


def have_ipv6():
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.bind(("::1", 0))
        s.close()
        return True
    except OSError:
        return False


def probe(tmp_path, v4=None, v6=None, args=(), top=None, **kw):
    """Run ddnsup --probe --json with a config whose "probe" is kw."""
    p = {"allow_nonpublic": DOC, "timeout": 3, "deadline": 5}
    p.update(kw)
    if v4 is not None:
        p["ipv4"] = v4
    if v6 is not None:
        p["ipv6"] = v6
    cfg = dict(top or {})
    cfg["probe"] = p
    path = write_config(os.path.join(str(tmp_path), "ddnsup.json"), cfg)
    fams = []
    if v4 is not None and v6 is None:
        fams = ["-4"]
    elif v6 is not None and v4 is None:
        fams = ["-6"]
    return run(["--probe", "--json", "-c", path] + fams + list(args))


def addr(r, rr="A"):
    return r.json()["addresses"][rr]


@pytest.fixture
def srv(servers):
    return servers(ProbeHandler)


def test_fast(tmp_path, srv):
    url = srv.url + "/fast/" + V4
    r = probe(tmp_path, [url])
    assert r.code == 0, r
    a = addr(r)
    assert a["address"] == V4
    assert a["source"] == url
    assert a["agree"] == 1
    assert isinstance(a["ms"], int) and 0 <= a["ms"] < 3000
    assert r.json()["exit"] == 0


@pytest.mark.parametrize("kind,body", [
    ("html", V4), ("json", V4), ("chinese", "223.154.81.207"),
    ("fast", "::ffff:" + V4), ("redirect/fast", V4),
])
def test_reply_forms(tmp_path, srv, kind, body):
    r = probe(tmp_path, [srv.url + "/%s/%s" % (kind, body)],
              allow_nonpublic=True)
    assert r.code == 0, r
    assert addr(r)["address"] == body.replace("::ffff:", "")


def test_hang_then_fast(tmp_path, srv):
    """A hanging endpoint neither wins nor delays the answer."""
    fast = srv.url + "/slow/200/" + V4
    r = probe(tmp_path, [srv.url + "/hang", fast], timeout=5, deadline=8)
    assert r.code == 0, r
    assert addr(r)["source"] == fast
    assert r.elapsed < 2.0 + harness.WINE_START, r.elapsed


def test_reset_then_fast(tmp_path, srv):
    fast = srv.url + "/slow/200/" + V4
    r = probe(tmp_path, [srv.url + "/reset", fast], args=["-v"])
    assert r.code == 0, r
    assert addr(r)["source"] == fast
    assert "probe: %s/reset: " % srv.url in r.err


def test_reset_alone(tmp_path, srv):
    r = probe(tmp_path, [srv.url + "/reset"])
    assert r.code == 69, r
    assert "reset" in r.err.lower() or "empty reply" in r.err.lower(), r.err


def test_error_status_not_counted(tmp_path, srv):
    """A 500 whose body holds an address does not count."""
    bad = srv.url + "/status/500/198.51.100.9"
    good = srv.url + "/slow/300/" + V4
    r = probe(tmp_path, [bad, good], args=["-v"])
    assert r.code == 0, r
    assert addr(r)["address"] == V4
    assert "probe: %s: HTTP 500" % bad in r.err
    assert "probe: %s: %s in " % (good, V4) in r.err


def test_error_status_only(tmp_path, srv):
    r = probe(tmp_path, [srv.url + "/status/503/" + V4,
                         srv.url + "/status/404/" + V4])
    assert r.code == 69, r
    err = addr(r)["error"]
    assert "HTTP 503" in err and "HTTP 404" in err
    assert err.startswith("no IPv4 address: ")


@pytest.mark.parametrize("ip,words", [
    ("100.64.1.2", ["cgnat", "carrier-grade NAT"]),
    ("10.1.2.3", ["private"]),
    ("192.168.1.1", ["private"]),
    ("127.0.0.1", ["loopback"]),
    ("169.254.1.1", ["link-local"]),
])
def test_nonpublic_refused(tmp_path, srv, ip, words):
    r = probe(tmp_path, [srv.url + "/fast/" + ip])
    assert r.code == 69, r
    assert "%s is in " % ip in r.err
    for w in words:
        assert w in r.err, r.err
        assert w in addr(r)["error"]


def test_allow_documentation_only(tmp_path, srv):
    """Allowing "documentation" lets 203.0.113.x through, not 10.x."""
    private = srv.url + "/fast/10.1.2.3"
    doc = srv.url + "/slow/300/" + V4
    r = probe(tmp_path, [private, doc], args=["-v"])
    assert r.code == 0, r
    assert addr(r)["source"] == doc
    assert "10.1.2.3 is in private" in r.err
    r = probe(tmp_path, [private])
    assert r.code == 69, r
    r = probe(tmp_path, [doc], allow_nonpublic=False)
    assert r.code == 69, r
    assert "documentation" in r.err


def test_allow_private(tmp_path, srv):
    r = probe(tmp_path, [srv.url + "/fast/10.1.2.3"],
              allow_nonpublic=["private"])
    assert r.code == 0, r
    assert addr(r)["address"] == "10.1.2.3"


def test_quorum_outvotes_liar(tmp_path, srv):
    liar = srv.url + "/fast/198.51.100.66"
    a = srv.url + "/slow/200/" + V4
    b = srv.url + "/slow/400/" + V4
    r = probe(tmp_path, [liar, a, b], quorum=2)
    assert r.code == 0, r
    got = addr(r)
    assert got["address"] == V4
    assert got["agree"] == 2
    assert got["source"] in (a, b)


def test_quorum_not_met(tmp_path, srv):
    """Two endpoints that disagree cannot make a quorum of 2; no waiting."""
    r = probe(tmp_path, [srv.url + "/fast/198.51.100.66",
                         srv.url + "/fast/" + V4, srv.url + "/reset"],
              quorum=2, deadline=8)
    assert r.code == 69, r
    err = addr(r)["error"]
    assert "2 endpoints agree" in err
    assert "said 198.51.100.66" in err and "said " + V4 in err
    assert r.elapsed < 3.0 + harness.WINE_START


def test_quorum_waits_for_agreement(tmp_path, srv):
    r = probe(tmp_path, [srv.url + "/fast/" + V4,
                         srv.url + "/slow/500/" + V4], quorum=2)
    assert r.code == 0, r
    assert addr(r)["agree"] == 2


def test_ambiguous(tmp_path, srv):
    r = probe(tmp_path, [srv.url + "/two/203.0.113.7/203.0.113.8"])
    assert r.code == 69, r
    assert "ambiguous" in r.err


def test_no_address_in_reply(tmp_path, srv):
    r = probe(tmp_path, [srv.url + "/fast/hello"])
    assert r.code == 69, r
    assert "no IPv4 address in the reply" in r.err


def test_big_reply(tmp_path, srv):
    r = probe(tmp_path, [srv.url + "/big"])
    assert r.code == 69, r
    assert "too large" in r.err


def test_all_hang_within_deadline(tmp_path, srv):
    r = probe(tmp_path, [srv.url + "/hang", srv.url + "/hang"],
              timeout=5, deadline=1.5)
    assert r.code == 69, r
    assert 1.4 <= r.elapsed < 3.0 + harness.WINE_START, r.elapsed
    assert "timed out" in addr(r)["error"]


def test_endpoint_timeout_before_deadline(tmp_path, srv):
    """Each endpoint has its own timeout, shorter than the deadline."""
    r = probe(tmp_path, [srv.url + "/hang", srv.url + "/slow/3000/" + V4],
              timeout=1, deadline=8)
    assert r.code == 69, r
    assert r.elapsed < 2.5 + harness.WINE_START, r.elapsed
    assert r.err.count("timed out after") >= 2


def test_unreachable(tmp_path):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    r = probe(tmp_path, ["http://127.0.0.1:%d/fast/%s" % (port, V4)])
    assert r.code == 69, r
    assert "127.0.0.1:%d/fast/%s: " % (port, V4) in r.err


def test_text_output(tmp_path, srv):
    """Without --json: the address on stdout, the source at -v."""
    url = srv.url + "/fast/" + V4
    path = write_config(os.path.join(str(tmp_path), "c.json"), {
        "probe": {"ipv4": [url], "allow_nonpublic": DOC}})
    r = run(["--probe", "-4", "-v", "-c", path])
    assert r.code == 0, r
    assert r.out == V4 + "\n"
    assert "probe: %s: %s in " % (url, V4) in r.err


@pytest.mark.skipif(not have_ipv6(), reason="SKIPPED: no IPv6 loopback")
def test_ipv6(tmp_path, servers):
    s6 = servers(ProbeHandler, v6=True)
    url = s6.url + "/fast/" + V6
    r = probe(tmp_path, v6=[url, s6.url + "/hang"])
    assert r.code == 0, r
    a = addr(r, "AAAA")
    assert a["address"] == V6
    assert a["source"] == url
    assert "A" not in r.json()["addresses"]


@pytest.mark.skipif(not have_ipv6(), reason="SKIPPED: no IPv6 loopback")
def test_ipv6_mapped_refused(tmp_path, servers):
    s6 = servers(ProbeHandler, v6=True)
    r = probe(tmp_path, v6=[s6.url + "/fast/::ffff:" + V4])
    assert r.code == 69, r
    assert "ipv4-mapped" in r.err


@pytest.mark.skipif(not have_ipv6(), reason="SKIPPED: no IPv6 loopback")
def test_both_families_at_once(tmp_path, srv, servers):
    """Both families race on one handle: the run takes one wait, not two."""
    s6 = servers(ProbeHandler, v6=True)
    r = probe(tmp_path, v4=[srv.url + "/slow/800/" + V4],
              v6=[s6.url + "/slow/800/" + V6])
    assert r.code == 0, r
    assert addr(r, "A")["address"] == V4
    assert addr(r, "AAAA")["address"] == V6
    assert r.elapsed < 1.5 + harness.WINE_START, r.elapsed


@pytest.mark.skipif(not have_ipv6(), reason="SKIPPED: no IPv6 loopback")
def test_one_family_fails(tmp_path, srv, servers):
    """Without -4/-6 one family is enough (many homes have no IPv6)."""
    s6 = servers(ProbeHandler, v6=True)
    r = probe(tmp_path, v4=[srv.url + "/fast/" + V4],
              v6=[s6.url + "/status/500/" + V6])
    assert r.code == 0, r
    assert addr(r, "A")["address"] == V4
    assert "HTTP 500" in addr(r, "AAAA")["error"]


def test_family_forced(tmp_path, srv):
    """An IPv4-only endpoint in the IPv6 list is not reached over IPv4."""
    r = probe(tmp_path, v4=[srv.url + "/fast/" + V4],
              v6=[srv.url + "/fast/" + V6])
    assert addr(r, "A")["address"] == V4
    assert "error" in addr(r, "AAAA")
    assert "no IPv6 address" in r.err


def test_https_with_ca(tmp_path, servers, ca):
    s = servers(ProbeHandler, tls=ca)
    url = s.url + "/fast/" + V4
    r = probe(tmp_path, [url], top={"cafile": ca.ca})
    assert r.code == 0, r
    assert addr(r)["source"] == url
    assert "insecure" not in r.err


@pytest.mark.skipif(harness.ON_WINE, reason=harness.WINE_NO_STORE_CHECK)
def test_https_untrusted(tmp_path, servers, ca):
    s = servers(ProbeHandler, tls=ca)
    r = probe(tmp_path, [s.url + "/fast/" + V4])
    assert r.code == 69, r
    assert "certificate" in r.err.lower(), r.err


def test_https_insecure(tmp_path, servers, ca):
    s = servers(ProbeHandler, tls=ca)
    url = s.url + "/fast/" + V4
    r = probe(tmp_path, [url], insecure=[url])
    assert r.code == 0, r
    assert "verification is off" in r.err
