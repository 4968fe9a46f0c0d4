"""The real binary against the stateful Linode API v4 mock, over HTTPS with
the test CA. Addresses come from --ip so nothing probes."""
import json
import time

import pytest

import harness
import mock_linode
from mock_linode import TOKEN

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
RECS = "/v4/domains/1234/records"


@pytest.fixture
def ln(servers, ca):
    return mock_linode.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "linode", "token": TOKEN,
         "endpoint": srv.endpoint}
    r.update(kw)
    return r


class Setup:
    def __init__(self, tmp_path, ca, recs):
        cfg = {"records": recs, "cafile": ca.ca}
        self.config = harness.write_config(str(tmp_path / "ddnsup.json"), cfg)
        self.state = str(tmp_path / "state.json")

    def run(self, *args, env=None):
        return harness.run(["-c", self.config, "--state", self.state] +
                           list(args), env=env)

    def entry(self, name=NAME, type="A"):
        with open(self.state) as f:
            e = [r for r in json.load(f)["records"]
                 if r["name"] == name and r["type"] == type]
        assert len(e) == 1
        return e[0]


def seen(srv):
    return [(c.method, c.path) for c in srv.calls]


def created(tmp_path, srv, ca, ip=IP1, **kw):
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


def test_create_when_missing(ln, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ln)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert seen(ln) == [("GET", "/v4/domains"), ("GET", "/v4/domains"),
                        ("GET", RECS), ("POST", RECS)]
    assert [json.loads(c.headers["X-Filter"]) for c in ln.calls[:2]] == \
        [{"domain": NAME}, {"domain": "example.com"}]
    assert ln.calls[2].query == {"page": ["1"], "page_size": ["500"]}
    for c in ln.calls:
        assert c.headers["Authorization"] == "Bearer " + TOKEN
    assert ln.calls[-1].json() == {"type": "A", "name": "home",
                                   "target": IP1}
    recs = ln.ln.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["target"] == IP1
    assert s.entry()["record_id"] == "1234/%d" % recs[0]["id"]


def test_state_hit_makes_no_call(ln, ca, tmp_path):
    s = created(tmp_path, ln, ca)
    assert s.run("--ip", IP1).code == 0
    assert ln.calls == []


def test_update_is_one_put(ln, ca, tmp_path):
    s = created(tmp_path, ln, ca)
    rid = ln.ln.find("example.com", "home", "A")[0]["id"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert seen(ln) == [("PUT", "%s/%d" % (RECS, rid))]
    assert ln.calls[0].json() == {"target": IP2}
    assert ln.ln.records[rid]["target"] == IP2


def test_force_verifies_without_write(ln, ca, tmp_path):
    s = created(tmp_path, ln, ca)
    r = s.run("-f", "-u", "--ip", IP1)
    assert r.code == 2, r
    assert [m for m, _ in seen(ln)] == ["GET", "GET", "GET"]


def test_record_deleted_by_hand(ln, ca, tmp_path):
    s = created(tmp_path, ln, ca)
    ln.ln.records.clear()
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [m for m, _ in seen(ln)] == ["PUT", "GET", "GET", "GET", "POST"]
    assert ln.ln.find("example.com", "home", "A")[0]["target"] == IP2


def test_ttl_rounded_not_rewritten(ln, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ln, ttl=600, zone="example.com")])
    assert s.run("--ip", IP1).code == 0
    assert ln.calls[-1].json()["ttl_sec"] == 600
    assert ln.ln.find("example.com", "home", "A")[0]["ttl_sec"] == 3600
    del ln.calls[:]
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert [m for m, _ in seen(ln)] == ["GET", "GET"]


def test_only_ttl_differs(ln, ca, tmp_path):
    rid = ln.ln.add_record("example.com", "home", "A", IP1, ttl=300)
    s = Setup(tmp_path, ca, [record(ln, ttl=7200)])
    assert s.run("--ip", IP1).code == 0
    assert ln.calls[-1].method == "PUT"
    assert ln.calls[-1].json() == {"ttl_sec": 7200}
    assert ln.ln.records[rid]["ttl_sec"] == 7200


def test_paginated_records(ln, ca, tmp_path):
    for i in range(600):
        ln.ln.add_record("example.com", "h%d" % i, "A", "198.51.100.1")
    ln.ln.add_record("example.com", "home", "A", "198.51.100.9")
    s = Setup(tmp_path, ca, [record(ln, zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.query.get("page") for c in ln.calls if c.path == RECS] == \
        [["1"], ["2"]]
    assert ln.calls[-1].method == "PUT"


def test_apex_and_aaaa(ln, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ln, "example.com", types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert ln.calls[-1].json() == {"type": "AAAA", "name": "",
                                   "target": "2001:db8::7"}
    assert ln.ln.find("example.com", "", "AAAA")[0]["target"] == \
        "2001:db8::7"


def test_two_records_one_lookup(ln, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ln, zone="example.com"),
                             record(ln, "nas.example.com", zone="example.com")])
    assert s.run("--ip", IP1).code == 0
    assert [p for _, p in seen(ln)].count("/v4/domains") == 1


def test_wrong_token(ln, ca, tmp_path):
    s = created(tmp_path, ln, ca)
    ln.ln.token = "another"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("linode: %s A: HTTP 401: Invalid Token (the token needs the "
            "Domains Read/Write scope and must not have expired)" % NAME) \
        in r.err


def test_read_only_scope(servers, ca, tmp_path):
    srv = mock_linode.start(servers, tls=ca, scope="domains:read_only")
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "Your OAuth token is not authorized to use this endpoint." in r.err


@pytest.mark.parametrize("retry_after,wait", [(30, 30), (None, 60)])
def test_throttled(ln, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, ln, ca)
    ln.ln.throttle(retry_after=retry_after)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: Too Many Requests" in r.err
    e = s.entry()
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5


def test_domain_not_found(ln, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ln, "home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no Linode domain for home.example.net (tried home.example.net, "
            "example.net; the domain must be on the token's account") in r.err


def test_slave_domain(servers, ca, tmp_path):
    srv = mock_linode.start(servers, tls=ca, domains=())
    srv.ln.add_domain("example.com", type="slave")
    s = Setup(tmp_path, ca, [record(srv, zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "domain example.com is a slave" in r.err


def test_garbage_reply(ln, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ln)])
    ln.ln.fail_next(200, payload="<html>hi</html>",
                    headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not the Linode API reply documented" in r.err


def test_token_never_printed(ln, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ln, token={"env": "LN_TEST_TOKEN"})])
    r = s.run("-vv", "--ip", IP1, env={"LN_TEST_TOKEN": TOKEN})
    assert r.code == 0, r
    assert "Authorization" in r.err
    assert TOKEN not in r.out and TOKEN not in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env={"LN_TEST_TOKEN": "x" + TOKEN})
    assert r.code == 77, r
    assert TOKEN not in r.out and TOKEN not in r.err


def test_no_token(ln, ca, tmp_path):
    rec = record(ln)
    del rec["token"]
    s = Setup(tmp_path, ca, [rec])
    assert s.run("--check-config").code == 78
    assert ln.calls == []
