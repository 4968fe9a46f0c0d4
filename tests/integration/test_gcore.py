"""The real binary against the stateful Gcore DNS mock, over HTTPS with the
test CA (and plain HTTP once). Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_gcore
from mock_gcore import TOKEN

NAME = "home.example.com"
ZONE = "example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
RRSET = "/dns/v2/zones/example.com/home.example.com/A"


@pytest.fixture
def gc(servers, ca):
    return mock_gcore.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "gcore", "api_key": TOKEN,
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


def contents(srv, name=NAME, type="A"):
    r = srv.gc.get(ZONE, name, type)
    return None if r is None else [x["content"] for x in
                                   r["resource_records"]]


def created(tmp_path, srv, ca, ip=IP1, **kw):
    """A setup whose RRset was created by a first run; calls cleared."""
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_gcore.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert [(c.method, c.path) for c in srv.calls] == [
        ("GET", "/dns/v2/zones/home.example.com"),
        ("GET", "/dns/v2/zones/example.com"),
        ("GET", RRSET),
        ("POST", RRSET),
    ]
    for c in srv.calls:
        assert c.headers["Authorization"] == "APIKey " + TOKEN
    post = srv.calls[-1]
    assert post.headers["Content-Type"] == "application/json"
    assert post.json() == {"ttl": 300, "resource_records":
                           [{"content": [IP1]}]}
    assert contents(srv) == [[IP1]]
    e = s.entry()
    assert e["address"] == IP1 and e["record_id"] == ZONE + "/300"


def test_state_hit_makes_no_call(gc, ca, tmp_path):
    s = created(tmp_path, gc, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert gc.calls == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_address_change_is_one_put_keeping_ttl(gc, ca, tmp_path):
    gc.gc.add_rrset(ZONE, NAME, "A", ["198.51.100.1"], ttl=120)
    s = created(tmp_path, gc, ca)
    assert s.entry()["record_id"] == ZONE + "/120"
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [(c.method, c.path) for c in gc.calls] == [("PUT", RRSET)]
    assert gc.calls[0].json() == {"ttl": 120, "resource_records":
                                  [{"content": [IP2]}]}
    assert contents(gc) == [[IP2]]
    assert gc.gc.get(ZONE, NAME, "A")["ttl"] == 120


def test_write_answered_with_no_body(gc, ca, tmp_path):
    gc.gc.write_reply = b""
    s = created(tmp_path, gc, ca)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in gc.calls] == ["PUT"]
    assert contents(gc) == [[IP2]]


def test_empty_reply_to_a_read(gc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gc, zone=ZONE)])
    gc.gc.fail_next(200, payload={"name": ZONE})
    gc.gc.fail_next(200, payload=b"")
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: an empty reply to the RRset GET" in r.err
    assert writes(gc) == []


def test_rrset_deleted_by_hand(gc, ca, tmp_path):
    s = created(tmp_path, gc, ca)
    gc.gc.delete_rrset(ZONE, NAME, "A")
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in gc.calls] == ["PUT", "GET", "GET", "GET",
                                            "POST"]
    assert contents(gc) == [[IP2]]


def test_force_with_state_hit_verifies(gc, ca, tmp_path):
    s = created(tmp_path, gc, ca, zone=ZONE)
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert writes(gc) == []
    assert [c.method for c in gc.calls] == ["GET", "GET"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_several_records_replaced(gc, ca, tmp_path):
    gc.gc.add_rrset(ZONE, NAME, "A", ["198.51.100.1", IP1], ttl=600)
    s = Setup(tmp_path, ca, [record(gc)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "2 resource records; replacing them with %s" % IP1 in r.err
    assert [c.json() for c in writes(gc)] == \
        [{"ttl": 600, "resource_records": [{"content": [IP1]}]}]


def test_configured_ttl_applied(gc, ca, tmp_path):
    gc.gc.add_rrset(ZONE, NAME, "A", [IP1], ttl=120)
    s = Setup(tmp_path, ca, [record(gc, ttl=60)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.json() for c in writes(gc)] == \
        [{"ttl": 60, "resource_records": [{"content": [IP1]}]}]
    assert gc.gc.get(ZONE, NAME, "A")["ttl"] == 60
    assert s.entry()["record_id"] == ZONE + "/60"


def test_apex_and_aaaa(gc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gc, ZONE, zone=ZONE, types=["AAAA"],
                                    ttl=600)])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    path = "/dns/v2/zones/example.com/example.com/AAAA"
    assert [(c.method, c.path) for c in gc.calls] == [
        ("GET", "/dns/v2/zones/example.com"), ("GET", path), ("POST", path)]
    assert gc.calls[-1].json() == {"ttl": 600, "resource_records":
                                   [{"content": ["2001:db8::7"]}]}
    assert contents(gc, ZONE, "AAAA") == [["2001:db8::7"]]
    del gc.calls[:]
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0 and gc.calls == [], r


def test_two_records_one_zone_lookup(gc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gc), record(gc, "nas.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    asked = sorted(c.path for c in gc.calls if c.path.count("/") == 4)
    assert asked == ["/dns/v2/zones/example.com",
                     "/dns/v2/zones/home.example.com",
                     "/dns/v2/zones/nas.example.com"]


def test_wrong_token(gc, ca, tmp_path):
    s = created(tmp_path, gc, ca)
    gc.gc.token = "another"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("gcore: %s A: HTTP 401: invalid api key (check api_key" % NAME) \
        in r.err
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"


def test_read_only_role(servers, ca, tmp_path):
    srv = mock_gcore.start(servers, tls=ca, role="Purge and Prefetch only")
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("HTTP 403: permission denied (the token's role may not change "
            "DNS: create it with the Administrators or Engineers role)") \
        in r.err
    assert contents(srv) is None


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 60)])
def test_throttled(gc, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, gc, ca)
    gc.gc.throttle(count=1, retry_after=retry_after)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: too many requests" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del gc.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75 and gc.calls == [], r


def test_server_error_is_temporary(gc, ca, tmp_path):
    s = created(tmp_path, gc, ca)
    gc.gc.fail_next(500)
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 500: internal error" in r.err


def test_zone_missing(gc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gc, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no Gcore zone for home.example.net (tried home.example.net, "
            "example.net;") in r.err
    assert writes(gc) == []
    assert s.entry(name="home.example.net")["hold"]


def test_garbage_reply(gc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gc, zone=ZONE)])
    gc.gc.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                    "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not a Gcore DNS API reply" in r.err
    assert writes(gc) == []


def test_reply_without_resource_records(gc, ca, tmp_path):
    # The apex, so one shape answers both the zone and the RRset GET.
    s = Setup(tmp_path, ca, [record(gc, ZONE, zone=ZONE)])
    gc.gc.fail_next(200, count=2, payload={"name": ZONE, "type": "A",
                                           "ttl": 300, "records": []})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "no \"resource_records\" array in the reply" in r.err
    assert writes(gc) == [] and len(gc.calls) == 2


def test_token_never_printed(gc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gc, api_key={"env": "GC_TEST_TOKEN"})])
    r = s.run("-vv", "--ip", IP1, env={"GC_TEST_TOKEN": TOKEN})
    assert r.code == 0, r
    assert gc.calls[0].headers["Authorization"] == "APIKey " + TOKEN
    assert TOKEN not in r.out and TOKEN not in r.err
    assert "Authorization" in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env={"GC_TEST_TOKEN": TOKEN + "x"})
    assert r.code == 77, r
    assert TOKEN not in r.out and TOKEN not in r.err
    with open(s.state) as f:
        assert TOKEN not in f.read()


def test_no_token(gc, ca, tmp_path):
    r = record(gc)
    del r["api_key"]
    s = Setup(tmp_path, ca, [r])
    assert s.run("--check-config").code == 78
    res = s.run("--ip", IP1)
    assert res.code == 78 and gc.calls == [], res
