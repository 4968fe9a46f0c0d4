"""The real binary against the stateful deSEC REST mock, over HTTPS with the
test CA. Addresses come from --ip so nothing probes."""
import json
import time

import pytest

import harness
import mock_desec
from mock_desec import TOKEN

NAME = "home.example.com"
IP1, IP2, IP3 = "203.0.113.7", "203.0.113.8", "203.0.113.9"
RP = "/api/v1/domains/example.com/rrsets/home/A/"


@pytest.fixture
def ds(servers, ca):
    return mock_desec.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "desec", "token": TOKEN,
         "endpoint": srv.endpoint}
    r.update(kw)
    return r


class Setup:
    """A config file and state path in tmp_path; run() drives ddnsup."""

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


def test_create_when_missing(ds, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ds)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert seen(ds) == [("GET", "/api/v1/domains/"), ("GET", RP),
                        ("POST", "/api/v1/domains/example.com/rrsets/")]
    for c in ds.calls:
        assert c.headers["Authorization"] == "Token " + TOKEN
    assert ds.calls[-1].headers["Content-Type"] == "application/json"
    assert ds.calls[-1].json() == {"subname": "home", "type": "A",
                                   "ttl": 3600, "records": [IP1]}
    assert ds.ds.values("example.com", "home", "A") == [IP1]
    assert s.entry()["record_id"] == "example.com/home"


def test_state_hit_makes_no_call(ds, ca, tmp_path):
    s = created(tmp_path, ds, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert ds.calls == []


def test_update_is_one_patch(ds, ca, tmp_path):
    s = created(tmp_path, ds, ca)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert seen(ds) == [("PATCH", RP)]
    assert ds.calls[0].json() == {"records": [IP2]}
    assert ds.ds.values("example.com", "home", "A") == [IP2]


def test_force_verifies_without_write(ds, ca, tmp_path):
    s = created(tmp_path, ds, ca)
    r = s.run("-f", "-u", "--ip", IP1)
    assert r.code == 2, r
    assert seen(ds) == [("GET", "/api/v1/domains/"), ("GET", RP)]


def test_rrset_deleted_by_hand(ds, ca, tmp_path):
    s = created(tmp_path, ds, ca)
    del ds.ds.rrsets[("example.com", "home", "A")]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [m for m, _ in seen(ds)] == ["PATCH", "GET", "GET", "POST"]
    assert ds.ds.values("example.com", "home", "A") == [IP2]


def test_only_what_differs(ds, ca, tmp_path):
    ds.ds.add_rrset("example.com", "home", "A", [IP1, "198.51.100.2"],
                    ttl=7200)
    s = Setup(tmp_path, ca, [record(ds, ttl=3600)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "holds 2 records; replacing them with %s" % IP1 in r.err
    assert ds.calls[-1].json() == {"records": [IP1], "ttl": 3600}
    ds.ds.rrset("example.com", "home", "A")["ttl"] = 7200
    del ds.calls[:]
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert ds.calls[-1].json() == {"ttl": 3600}


def test_ttl_below_minimum(ds, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ds, ttl=60)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "ttl 60 is below the minimum_ttl 3600 of domain example.com" \
        in r.err
    assert [m for m, _ in seen(ds)] == ["GET"]


def test_minimum_ttl_of_domain(servers, ca, tmp_path):
    srv = mock_desec.start(servers, tls=ca, domains=())
    srv.ds.add_domain("example.com", minimum_ttl=60)
    s = Setup(tmp_path, ca, [record(srv)])
    assert s.run("--ip", IP1).code == 0
    assert srv.calls[-1].json()["ttl"] == 60


def test_apex_aaaa_and_longest_domain(servers, ca, tmp_path):
    srv = mock_desec.start(servers, tls=ca,
                           domains=("example.com", "dyn.example.com"))
    s = Setup(tmp_path, ca, [record(srv, "dyn.example.com", types=["AAAA"]),
                             record(srv, "a.b.dyn.example.com")])
    r = s.run("--ip", "2001:db8::7", "--ip", IP1)
    assert r.code == 0, r
    assert [p for _, p in seen(srv)].count("/api/v1/domains/") == 1
    assert ("GET", "/api/v1/domains/dyn.example.com/rrsets/@/AAAA/") in \
        seen(srv)
    assert srv.ds.values("dyn.example.com", "", "AAAA") == ["2001:db8::7"]
    assert srv.ds.values("dyn.example.com", "a.b", "A") == [IP1]
    assert s.entry("dyn.example.com", "AAAA")["record_id"] == \
        "dyn.example.com/"
    del srv.calls[:]
    r = s.run("--ip", "2001:db8::8", "--ip", IP1)
    assert r.code == 0, r
    assert seen(srv) == [("PATCH",
                          "/api/v1/domains/dyn.example.com/rrsets/@/AAAA/")]


def test_configured_zone(ds, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ds, zone="example.com"),
                             record(ds, "nas.example.com", zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [p for _, p in seen(ds)].count("/api/v1/domains/example.com/") == 1
    assert ("GET", "/api/v1/domains/") not in seen(ds)


def test_wrong_token(ds, ca, tmp_path):
    s = created(tmp_path, ds, ca)
    ds.ds.token = "another"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("desec: %s A: HTTP 401: Invalid token. (is the token a deSEC "
            "API token of the account that holds the domain?)" % NAME) \
        in r.err


def test_policy_denies_write(servers, ca, tmp_path):
    srv = mock_desec.start(servers, tls=ca, write=False)
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("HTTP 403: You do not have permission to perform this action. "
            "(the token's policies must allow writing this RRset)") in r.err


@pytest.mark.parametrize("retry_after,wait", [(30, 30), (None, 60)])
def test_throttled(ds, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, ds, ca)
    ds.ds.throttle(retry_after=retry_after)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: Request was throttled." in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del ds.calls[:]
    assert s.run("--ip", IP2).code == 75
    assert ds.calls == []


def test_domain_not_found(ds, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ds, "home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no deSEC domain of the token's account holds home.example.net"
            in r.err)
    s = Setup(tmp_path, ca, [record(ds, "home.example.net",
                                    zone="example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "no deSEC domain example.net in the token's account" in r.err


def test_garbage_reply(ds, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ds)])
    ds.ds.fail_next(200, payload="<html>hello</html>",
                    headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not the deSEC API reply documented" in r.err


def test_server_error(ds, ca, tmp_path):
    s = created(tmp_path, ds, ca)
    ds.ds.fail_next(500)
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 500 (no deSEC error in the reply)" in r.err


def test_token_never_printed(ds, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ds, token={"env": "DS_TEST_TOKEN"})])
    r = s.run("-vv", "--ip", IP1, env={"DS_TEST_TOKEN": TOKEN})
    assert r.code == 0, r
    assert "Authorization" in r.err
    assert TOKEN not in r.out and TOKEN not in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env={"DS_TEST_TOKEN": "x" + TOKEN})
    assert r.code == 77, r
    assert TOKEN not in r.out and TOKEN not in r.err
    with open(s.state) as f:
        assert TOKEN not in f.read()


def test_no_token(ds, ca, tmp_path):
    rec = record(ds)
    del rec["token"]
    s = Setup(tmp_path, ca, [rec])
    assert s.run("--check-config").code == 78
    assert ds.calls == []
