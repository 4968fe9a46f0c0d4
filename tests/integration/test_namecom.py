"""The real binary against the stateful Name.com mock, over HTTPS with the
test CA (and plain HTTP once). Addresses come from --ip."""
import base64
import json
import time

import pytest

import harness
import mock_namecom
from mock_namecom import TOKEN, USER

NAME = "home.example.com"
ZONE = "example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
BASIC = "Basic " + base64.b64encode(("%s:%s" % (USER, TOKEN)).encode()).decode()


@pytest.fixture
def nc(servers, ca):
    return mock_namecom.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "namecom", "username": USER,
         "token": TOKEN, "endpoint": srv.endpoint}
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


def created(tmp_path, srv, ca, ip=IP1, **kw):
    """A setup whose record was created by a first run; calls cleared."""
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_namecom.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    got = [(c.method, c.path, c.query) for c in srv.calls]
    assert got == [
        ("GET", "/v4/domains/home.example.com", {}),
        ("GET", "/v4/domains/example.com", {}),
        ("GET", "/v4/domains/example.com/records",
         {"perPage": ["1000"], "page": ["1"]}),
        ("POST", "/v4/domains/example.com/records", {}),
    ]
    for c in srv.calls:
        assert c.headers["Authorization"] == BASIC
    assert srv.calls[-1].json() == {"host": "home", "type": "A",
                                    "answer": IP1, "ttl": 300}
    recs = srv.nc.find(ZONE, "home", "A")
    assert len(recs) == 1 and recs[0]["answer"] == IP1
    assert s.entry()["record_id"] == "%s/%d/300" % (ZONE, recs[0]["id"])


def test_state_hit_makes_no_call(nc, ca, tmp_path):
    s = created(tmp_path, nc, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert nc.calls == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_address_change_is_one_put_keeping_ttl(nc, ca, tmp_path):
    rid = nc.nc.add_record(ZONE, "home", "A", "198.51.100.1", ttl=3600)
    s = created(tmp_path, nc, ca)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [(c.method, c.path) for c in nc.calls] == \
        [("PUT", "/v4/domains/example.com/records/%d" % rid)]
    assert nc.calls[0].json() == {"host": "home", "type": "A", "answer": IP2,
                                  "ttl": 3600}
    assert nc.nc.records[rid]["answer"] == IP2
    assert nc.nc.records[rid]["ttl"] == 3600


def test_record_deleted_by_hand(nc, ca, tmp_path):
    s = created(tmp_path, nc, ca)
    nc.nc.delete_record(nc.nc.find(ZONE, "home", "A")[0]["id"])
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in nc.calls] == ["PUT", "GET", "GET", "GET",
                                            "POST"]
    recs = nc.nc.find(ZONE, "home", "A")
    assert len(recs) == 1 and recs[0]["answer"] == IP2


def test_force_with_state_hit_verifies(nc, ca, tmp_path):
    s = created(tmp_path, nc, ca, zone=ZONE)
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert writes(nc) == []
    assert [c.method for c in nc.calls] == ["GET", "GET"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_found_on_a_later_page(nc, ca, tmp_path):
    nc.nc.max_per = 2
    for h in ("a", "b", "c", "d"):
        nc.nc.add_record(ZONE, h, "A", "198.51.100.9")
    rid = nc.nc.add_record(ZONE, "home", "A", "198.51.100.1")
    s = Setup(tmp_path, ca, [record(nc, zone=ZONE)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.query.get("page") for c in nc.calls if c.path.endswith(
        "/records")] == [["1"], ["2"], ["3"]]
    assert [(c.method, c.path) for c in writes(nc)] == \
        [("PUT", "/v4/domains/example.com/records/%d" % rid)]
    assert nc.nc.records[rid]["answer"] == IP1


def test_configured_ttl_applied(nc, ca, tmp_path):
    rid = nc.nc.add_record(ZONE, "home", "A", IP1, ttl=300)
    s = Setup(tmp_path, ca, [record(nc, ttl=600)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.json()["ttl"] for c in writes(nc)] == [600]
    assert nc.nc.records[rid]["ttl"] == 600


def test_refused_ttl_is_config(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc, ttl=60)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "HTTP 400: Invalid Argument: TTL must be at least 300" in r.err


def test_apex_and_aaaa(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc, ZONE, zone=ZONE, types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert writes(nc)[0].json() == {"type": "AAAA", "answer": "2001:db8::7",
                                    "ttl": 300}
    recs = nc.nc.find(ZONE, "", "AAAA")
    assert len(recs) == 1 and recs[0]["answer"] == "2001:db8::7"
    del nc.calls[:]
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0 and nc.calls == [], r
    r = s.run("--ip", "2001:db8::8")
    assert r.code == 0, r
    assert [c.json() for c in writes(nc)] == \
        [{"type": "AAAA", "answer": "2001:db8::8", "ttl": 300}]


def test_two_records_one_domain_lookup(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc), record(nc, "nas.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    asked = sorted(c.path for c in nc.calls if "/records" not in c.path)
    assert asked == ["/v4/domains/example.com",
                     "/v4/domains/home.example.com",
                     "/v4/domains/nas.example.com"]


def test_wrong_token(nc, ca, tmp_path):
    s = created(tmp_path, nc, ca)
    nc.nc.token = "another"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("namecom: %s A: HTTP 401: Unauthenticated (check username and "
            "token" % NAME) in r.err
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"


def test_two_step_without_api_access(servers, ca, tmp_path):
    srv = mock_namecom.start(servers, tls=ca, api_access=False)
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("HTTP 403: Permission Denied: Authentication Error - Account Has "
            "Two-Step Verification Enabled (with two-step verification on, "
            "turn on Name.com API Access") in r.err


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 60)])
def test_throttled(nc, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, nc, ca)
    nc.nc.throttle(count=1, retry_after=retry_after)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: Too Many Requests" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del nc.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75 and nc.calls == [], r


def test_zone_missing(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no Name.com domain for home.example.net (tried "
            "home.example.net, example.net;") in r.err
    assert writes(nc) == []
    assert s.entry(name="home.example.net")["hold"]


def test_garbage_reply(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc)])
    nc.nc.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                    "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not a Name.com API reply" in r.err
    assert writes(nc) == []


def test_endless_pages_are_protocol(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc, zone=ZONE)])
    nc.nc.fail_next(200, count=1, payload={"domainName": ZONE})
    nc.nc.fail_next(200, count=1, payload={"records": [], "nextPage": 1})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "record pages do not end (page 1 says next is 1)" in r.err
    assert writes(nc) == []


def test_secret_never_printed(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc, token={"env": "NC_TOKEN"})])
    r = s.run("-vv", "--ip", IP1, env={"NC_TOKEN": TOKEN})
    assert r.code == 0, r
    b64 = BASIC.split()[1]
    for secret in (TOKEN, b64):
        assert secret not in r.out and secret not in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env={"NC_TOKEN": TOKEN + "x"})
    assert r.code == 77, r
    assert TOKEN not in r.out and TOKEN not in r.err
    with open(s.state) as f:
        assert TOKEN not in f.read()


def test_no_username(nc, ca, tmp_path):
    r = record(nc)
    del r["username"]
    s = Setup(tmp_path, ca, [r])
    assert s.run("--check-config").code == 78
    res = s.run("--ip", IP1)
    assert res.code == 78 and nc.calls == [], res
