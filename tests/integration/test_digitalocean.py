"""The real binary against the stateful DigitalOcean mock, over HTTPS with
the test CA (and plain HTTP once). Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_digitalocean
from mock_digitalocean import TOKEN

NAME = "home.example.com"
IP1, IP2, IP3 = "203.0.113.7", "203.0.113.8", "203.0.113.9"
WRITES = ("POST", "PATCH", "PUT", "DELETE")


@pytest.fixture
def do(servers, ca):
    return mock_digitalocean.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "digitalocean", "token": TOKEN,
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


def created(tmp_path, srv, ca, ip=IP1, **kw):
    """A setup whose record was created by a first run; calls cleared."""
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


# ---- create, then the state keeps us quiet ------------------------------

@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_digitalocean.start(servers,
                                  tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    got = [(c.method, c.path, c.query) for c in srv.calls]
    assert got == [
        ("GET", "/v2/domains/home.example.com", {}),
        ("GET", "/v2/domains/example.com", {}),
        ("GET", "/v2/domains/example.com/records",
         {"type": ["A"], "name": [NAME], "per_page": ["200"]}),
        ("POST", "/v2/domains/example.com/records", {}),
    ]
    for c in srv.calls:
        assert c.headers["Authorization"] == "Bearer " + TOKEN
    post = srv.calls[-1]
    assert post.headers["Content-Type"] == "application/json"
    assert post.json() == {"type": "A", "name": "home", "data": IP1,
                           "ttl": 1800}
    recs = srv.do.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["data"] == IP1
    e = s.entry()
    assert e["address"] == IP1
    assert e["record_id"] == "example.com/%d" % recs[0]["id"]


def test_state_hit_makes_no_call(do, ca, tmp_path):
    s = created(tmp_path, do, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert do.calls == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_address_change_is_one_patch(do, ca, tmp_path):
    s = created(tmp_path, do, ca)
    rid = do.do.find("example.com", "home", "A")[0]["id"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [(c.method, c.path) for c in do.calls] == \
        [("PATCH", "/v2/domains/example.com/records/%d" % rid)]
    assert do.calls[0].json() == {"type": "A", "data": IP2}
    assert do.do.records[rid]["data"] == IP2
    assert do.do.records[rid]["ttl"] == 1800
    assert s.entry()["address"] == IP2


def test_record_deleted_by_hand(do, ca, tmp_path):
    s = created(tmp_path, do, ca)
    old = do.do.find("example.com", "home", "A")[0]["id"]
    do.do.delete_record(old)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in do.calls] == \
        ["PATCH", "GET", "GET", "GET", "POST"]
    recs = do.do.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["data"] == IP2
    assert s.entry()["record_id"] == "example.com/%d" % recs[0]["id"]


def test_force_with_state_hit_verifies(do, ca, tmp_path):
    s = created(tmp_path, do, ca, zone="example.com")
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert writes(do) == []
    assert [c.method for c in do.calls] == ["GET", "GET"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_record_updated_keeping_ttl(do, ca, tmp_path):
    rid = do.do.add_record("example.com", "home", "A", "198.51.100.1",
                           ttl=120)
    s = Setup(tmp_path, ca, [record(do)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.json() for c in writes(do)] == [{"type": "A", "data": IP1}]
    assert do.do.records[rid]["ttl"] == 120
    assert s.entry()["record_id"] == "example.com/%d" % rid


def test_configured_ttl_applied(do, ca, tmp_path):
    rid = do.do.add_record("example.com", "home", "A", IP1, ttl=120)
    s = Setup(tmp_path, ca, [record(do, ttl=300)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.json() for c in writes(do)] == [{"type": "A", "ttl": 300}]
    assert do.do.records[rid]["ttl"] == 300


def test_apex_and_aaaa(do, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(do, "example.com", zone="example.com",
                                    types=["AAAA"], ttl=300)])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert [c.path for c in do.calls][:1] == ["/v2/domains/example.com"]
    post = writes(do)
    assert post[0].json() == {"type": "AAAA", "name": "@",
                              "data": "2001:db8::7", "ttl": 300}
    assert do.calls[1].query["name"] == ["example.com"]
    recs = do.do.find("example.com", "@", "AAAA")
    assert len(recs) == 1 and recs[0]["data"] == "2001:db8::7"
    # Unchanged: no call at all.
    del do.calls[:]
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0 and do.calls == [], r


def test_two_records_one_domain_lookup(do, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(do), record(do, "nas.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    asked = sorted(c.path for c in do.calls
                   if "/records" not in c.path)
    assert asked == ["/v2/domains/example.com", "/v2/domains/home.example.com",
                     "/v2/domains/nas.example.com"]


# ---- refusals and failures ----------------------------------------------

def test_wrong_token(do, ca, tmp_path):
    s = created(tmp_path, do, ca)
    do.do.token = "dop_v1_another"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("digitalocean: %s A: HTTP 401: unauthorized: Unable to "
            "authenticate you. (check token" % NAME) in r.err
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"


def test_missing_scope(servers, ca, tmp_path):
    srv = mock_digitalocean.start(servers, tls=ca,
                                  scopes=("domain:read", "domain:update"))
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("HTTP 403: forbidden: You do not have access for the attempted "
            "action. (the token lacks a scope: it needs domain:read, "
            "domain:create and domain:update") in r.err
    assert srv.do.find("example.com", "home") == []


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 60)])
def test_throttled(do, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, do, ca)
    do.do.throttle(count=1, retry_after=retry_after)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: too_many_requests: API Rate limit exceeded." in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del do.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75 and do.calls == [], r


def test_server_error_is_temporary(do, ca, tmp_path):
    s = created(tmp_path, do, ca)
    do.do.fail_next(500)
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 500: server_error: Unexpected server-side error" in r.err
    r = s.run("--ip", IP2)
    assert r.code == 0, r


def test_zone_missing(do, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(do, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no DigitalOcean domain for home.example.net (tried "
            "home.example.net, example.net;") in r.err
    assert writes(do) == []
    assert s.entry(name="home.example.net")["hold"]


def test_configured_zone_missing(do, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(do, name="home.example.net",
                                    zone="example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "(tried example.net;" in r.err
    assert len(do.calls) == 1


def test_garbage_reply(do, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(do)])
    do.do.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                    "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not a DigitalOcean API reply" in r.err
    assert writes(do) == []


def test_reply_without_records_array(do, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(do, zone="example.com")])
    do.do.fail_next(200, count=2, payload={"domain": {"name": "example.com"},
                                           "records": []})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "no \"domain_records\" array in the reply" in r.err
    assert writes(do) == []


def test_refused_ttl_is_config(do, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(do, ttl=10)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("HTTP 422: unprocessable_entity: TTL must be at least 30 "
            "seconds.") in r.err


def test_token_never_printed(do, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(do, token={"env": "DO_TEST_TOKEN"})])
    r = s.run("-vv", "--ip", IP1, env={"DO_TEST_TOKEN": TOKEN})
    assert r.code == 0, r
    assert do.calls[0].headers["Authorization"] == "Bearer " + TOKEN
    assert TOKEN not in r.out and TOKEN not in r.err
    assert "Authorization" in r.err
    r = s.run("-vv", "-f", "--ip", IP2,
              env={"DO_TEST_TOKEN": TOKEN + "x"})
    assert r.code == 77, r
    assert TOKEN not in r.out and TOKEN not in r.err
    with open(s.state) as f:
        assert TOKEN not in f.read()


def test_no_token(do, ca, tmp_path):
    r = record(do)
    del r["token"]
    s = Setup(tmp_path, ca, [r])
    assert s.run("--check-config").code == 78
    res = s.run("--ip", IP1)
    assert res.code == 78 and do.calls == [], res


def test_duplicates_update_first_and_warn(do, ca, tmp_path):
    first = do.do.add_record("example.com", "home", "A", "198.51.100.1")
    second = do.do.add_record("example.com", "home", "A", "198.51.100.2")
    s = Setup(tmp_path, ca, [record(do, zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "2 records of that name and type; updating %d only" % first \
        in r.err
    assert do.do.records[first]["data"] == IP1
    assert do.do.records[second]["data"] == "198.51.100.2"
    assert s.entry()["record_id"] == "example.com/%d" % first
