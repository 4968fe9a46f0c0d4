"""The real binary against the stateful NS1 mock, over HTTPS with the test
CA (and plain HTTP once). Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_ns1
from mock_ns1 import KEY

NAME = "home.example.com"
ZONE = "example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
WRITES = ("POST", "PUT", "PATCH", "DELETE")


@pytest.fixture
def ns1(servers, ca):
    return mock_ns1.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "ns1", "api_key": KEY,
         "endpoint": srv.endpoint}
    r.update(kw)
    return r


class Setup:
    """A config file and state path in tmp_path; run() drives ddnsup."""

    def __init__(self, tmp_path, ca, recs):
        cfg = {"records": recs}
        if ca is not None:
            cfg["cafile"] = ca.ca
        self.config = harness.write_config(str(tmp_path / "ddnsup.json"), cfg)
        self.state = str(tmp_path / "state.json")

    def run(self, *args, env=None):
        return harness.run(["-c", self.config, "--state", self.state] +
                           list(args), env=env)

    def entry(self, name=NAME, type="A"):
        with open(self.state) as f:
            e = [r for r in json.load(f)["records"]
                 if r["name"] == name and r["type"] == type]
        assert len(e) == 1, e
        return e[0]


def writes(srv):
    return [c for c in srv.calls if c.method in WRITES]


def answers(srv, domain=NAME, type="A"):
    r = srv.ns1.get(ZONE, domain, type)
    return None if r is None else [a["answer"] for a in r["answers"]]


def created(tmp_path, srv, ca, ip=IP1, **kw):
    """A setup whose record was created by a first run; calls cleared."""
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_ns1.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    got = [(c.method, c.path, c.query) for c in srv.calls]
    assert got == [
        ("GET", "/v1/zones/home.example.com", {"records": ["false"]}),
        ("GET", "/v1/zones/example.com", {"records": ["false"]}),
        ("GET", "/v1/zones/example.com/home.example.com/A", {}),
        ("PUT", "/v1/zones/example.com/home.example.com/A", {}),
    ]
    for c in srv.calls:
        assert c.headers["X-NSONE-Key"] == KEY
    put = srv.calls[-1]
    assert put.headers["Content-Type"] == "application/json"
    assert put.json() == {"zone": ZONE, "domain": NAME, "type": "A",
                          "answers": [{"answer": [IP1]}]}
    assert answers(srv) == [[IP1]]
    assert srv.ns1.get(ZONE, NAME, "A")["ttl"] == 3600
    e = s.entry()
    assert e["address"] == IP1 and e["record_id"] == ZONE


def test_state_hit_makes_no_call(ns1, ca, tmp_path):
    s = created(tmp_path, ns1, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert ns1.calls == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_address_change_is_one_post(ns1, ca, tmp_path):
    s = created(tmp_path, ns1, ca)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [(c.method, c.path) for c in ns1.calls] == \
        [("POST", "/v1/zones/example.com/home.example.com/A")]
    assert ns1.calls[0].json() == {"answers": [{"answer": [IP2]}]}
    assert answers(ns1) == [[IP2]]
    assert s.entry()["address"] == IP2


def test_record_deleted_by_hand(ns1, ca, tmp_path):
    s = created(tmp_path, ns1, ca)
    ns1.ns1.delete_record(ZONE, NAME, "A")
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in ns1.calls] == ["POST", "GET", "GET", "GET",
                                             "PUT"]
    assert answers(ns1) == [[IP2]]


def test_force_with_state_hit_verifies(ns1, ca, tmp_path):
    s = created(tmp_path, ns1, ca, zone=ZONE)
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert writes(ns1) == []
    assert [c.method for c in ns1.calls] == ["GET", "GET"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_record_keeps_ttl_and_filters(ns1, ca, tmp_path):
    ns1.ns1.add_record(ZONE, NAME, "A", ["198.51.100.1", "198.51.100.2"],
                       ttl=120)
    ns1.ns1.get(ZONE, NAME, "A")["filters"] = [{"filter": "up"}]
    s = Setup(tmp_path, ca, [record(ns1)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "2 answers; replacing them with %s" % IP1 in r.err
    assert [c.json() for c in writes(ns1)] == [{"answers": [{"answer":
                                                             [IP1]}]}]
    rec = ns1.ns1.get(ZONE, NAME, "A")
    assert rec["ttl"] == 120 and rec["filters"] == [{"filter": "up"}]


def test_configured_ttl_applied(ns1, ca, tmp_path):
    ns1.ns1.add_record(ZONE, NAME, "A", [IP1], ttl=120)
    s = Setup(tmp_path, ca, [record(ns1, ttl=300)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.json() for c in writes(ns1)] == \
        [{"answers": [{"answer": [IP1]}], "ttl": 300}]
    assert ns1.ns1.get(ZONE, NAME, "A")["ttl"] == 300


def test_apex_and_aaaa(ns1, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ns1, ZONE, zone=ZONE, types=["AAAA"],
                                    ttl=300)])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert [(c.method, c.path) for c in ns1.calls] == [
        ("GET", "/v1/zones/example.com"),
        ("GET", "/v1/zones/example.com/example.com/AAAA"),
        ("PUT", "/v1/zones/example.com/example.com/AAAA")]
    assert ns1.calls[-1].json() == {"zone": ZONE, "domain": ZONE,
                                    "type": "AAAA", "answers":
                                    [{"answer": ["2001:db8::7"]}],
                                    "ttl": 300}
    assert answers(ns1, ZONE, "AAAA") == [["2001:db8::7"]]
    del ns1.calls[:]
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0 and ns1.calls == [], r


def test_two_records_one_zone_lookup(ns1, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ns1), record(ns1, "nas.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    asked = sorted(c.path for c in ns1.calls if c.path.count("/") == 3)
    assert asked == ["/v1/zones/example.com", "/v1/zones/home.example.com",
                     "/v1/zones/nas.example.com"]


def test_wrong_key(ns1, ca, tmp_path):
    s = created(tmp_path, ns1, ca)
    ns1.ns1.key = "another"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("ns1: %s A: HTTP 401: Unauthorized (check api_key" % NAME) \
        in r.err
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"


def test_view_only_key(servers, ca, tmp_path):
    srv = mock_ns1.start(servers, tls=ca, perms=("view_zones",))
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("HTTP 403: insufficient permissions (the API key lacks a "
            "permission: it needs DNS \"View zones\" and \"Manage zones\"") \
        in r.err
    assert answers(srv) is None


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 60)])
def test_throttled(ns1, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, ns1, ca)
    ns1.ns1.throttle(count=1, retry_after=retry_after)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: rate limit exceeded" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del ns1.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75 and ns1.calls == [], r


def test_server_error_is_temporary(ns1, ca, tmp_path):
    s = created(tmp_path, ns1, ca)
    ns1.ns1.fail_next(500)
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 500: internal server error" in r.err


def test_zone_missing(ns1, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ns1, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no NS1 zone for home.example.net (tried home.example.net, "
            "example.net;") in r.err
    assert writes(ns1) == []
    assert s.entry(name="home.example.net")["hold"]


def test_garbage_reply(ns1, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ns1, zone=ZONE)])
    ns1.ns1.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                      "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not an NS1 API reply" in r.err
    assert writes(ns1) == []


def test_reply_of_another_record(ns1, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ns1, zone=ZONE)])
    ns1.ns1.fail_next(200, count=2, payload={"zone": ZONE, "domain":
                                             "www.example.com", "type": "A",
                                             "answers": []})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "the reply is about www.example.com A, not %s A" % NAME in r.err
    assert writes(ns1) == []


def test_key_never_printed(ns1, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ns1, api_key={"env": "NS1_TEST_KEY"})])
    r = s.run("-vv", "--ip", IP1, env={"NS1_TEST_KEY": KEY})
    assert r.code == 0, r
    assert ns1.calls[0].headers["X-NSONE-Key"] == KEY
    assert KEY not in r.out and KEY not in r.err
    assert "X-NSONE-Key" in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env={"NS1_TEST_KEY": KEY + "x"})
    assert r.code == 77, r
    assert KEY not in r.out and KEY not in r.err
    with open(s.state) as f:
        assert KEY not in f.read()


def test_no_key(ns1, ca, tmp_path):
    r = record(ns1)
    del r["api_key"]
    s = Setup(tmp_path, ca, [r])
    assert s.run("--check-config").code == 78
    res = s.run("--ip", IP1)
    assert res.code == 78 and ns1.calls == [], res
