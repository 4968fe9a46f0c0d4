"""The real binary against the stateful Vercel DNS mock, over HTTPS with
the test CA. Addresses come from --ip so nothing probes."""
import json
import time

import pytest

import harness
import mock_vercel
from mock_vercel import TOKEN

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
RECS = "/v5/domains/example.com/records"


@pytest.fixture
def vc(servers, ca):
    return mock_vercel.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "vercel", "token": TOKEN,
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


def test_create_when_missing(vc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vc)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert seen(vc) == [("GET", "/v5/domains/home.example.com"),
                        ("GET", "/v5/domains/example.com"), ("GET", RECS),
                        ("POST", "/v2/domains/example.com/records")]
    assert vc.calls[2].query == {"limit": ["100"]}
    for c in vc.calls:
        assert c.headers["Authorization"] == "Bearer " + TOKEN
    assert vc.calls[-1].json() == {"name": "home", "type": "A",
                                   "value": IP1}
    recs = vc.vc.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["value"] == IP1
    assert s.entry()["record_id"] == "example.com/" + recs[0]["id"]


def test_state_hit_makes_no_call(vc, ca, tmp_path):
    s = created(tmp_path, vc, ca)
    assert s.run("--ip", IP1).code == 0
    assert vc.calls == []


def test_update_is_one_patch(vc, ca, tmp_path):
    s = created(tmp_path, vc, ca)
    rid = vc.vc.find("example.com", "home", "A")[0]["id"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert seen(vc) == [("PATCH", "/v1/domains/records/" + rid)]
    assert vc.calls[0].json() == {"value": IP2}
    assert vc.vc.records[rid]["value"] == IP2


def test_force_verifies_without_write(vc, ca, tmp_path):
    s = created(tmp_path, vc, ca)
    r = s.run("-f", "-u", "--ip", IP1)
    assert r.code == 2, r
    assert [m for m, _ in seen(vc)] == ["GET", "GET", "GET"]


def test_record_deleted_by_hand(vc, ca, tmp_path):
    s = created(tmp_path, vc, ca)
    vc.vc.records.clear()
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [m for m, _ in seen(vc)] == ["PATCH", "GET", "GET", "GET", "POST"]


def test_ttl_and_pages(vc, ca, tmp_path):
    rid = vc.vc.add_record("example.com", "home", "A", IP1, ttl=60)["id"]
    for i in range(150):
        vc.vc.add_record("example.com", "h%d" % i, "A", "198.51.100.1")
    s = Setup(tmp_path, ca, [record(vc, zone="example.com", ttl=300)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    lists = [c for c in vc.calls if c.path == RECS]
    assert len(lists) == 2 and "until" in lists[1].query
    assert vc.calls[-1].json() == {"ttl": 300}
    assert vc.vc.records[rid]["ttl"] == 300


def test_apex_aaaa_team(servers, ca, tmp_path):
    srv = mock_vercel.start(servers, tls=ca, domains=())
    srv.vc.add_domain("example.com", team="team_1a2b3c")
    s = Setup(tmp_path, ca, [record(srv, "example.com", types=["AAAA"],
                                    team_id="team_1a2b3c")])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    for c in srv.calls:
        assert c.query["teamId"] == ["team_1a2b3c"]
    assert srv.calls[-1].json() == {"name": "", "type": "AAAA",
                                    "value": "2001:db8::7"}
    # Without team_id the team's domain is not found.
    s = Setup(tmp_path, ca, [record(srv, "example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no Vercel domain for example.com (tried example.com; the domain "
            "must be on the token's account") in r.err


def test_external_dns_warned(servers, ca, tmp_path):
    srv = mock_vercel.start(servers, tls=ca, domains=())
    srv.vc.add_domain("example.com", service="external")
    s = Setup(tmp_path, ca, [record(srv, zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "Vercel does not serve the DNS of example.com" in r.err


def test_wrong_token(vc, ca, tmp_path):
    s = created(tmp_path, vc, ca)
    vc.vc.token = "another"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("vercel: %s A: HTTP 403: forbidden: Not authorized (is the "
            "token valid" % NAME) in r.err


@pytest.mark.parametrize("kw,wait", [({"retry_after": 20}, 20),
                                     ({"reset_in": 90}, 90), ({}, 60)])
def test_throttled(vc, ca, tmp_path, kw, wait):
    s = created(tmp_path, vc, ca)
    vc.vc.throttle(**kw)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: rate_limited: Rate limit exceeded" in r.err
    e = s.entry()
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5


def test_domain_not_found(vc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vc, "home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no Vercel domain for home.example.net (tried home.example.net, "
            "example.net; the domain must be on the token's account") in r.err


def test_garbage_reply(vc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vc)])
    vc.vc.fail_next(200, payload="<html>hi</html>",
                    headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not the Vercel API reply documented" in r.err


def test_token_never_printed(vc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vc, token={"env": "VC_TEST_TOKEN"})])
    r = s.run("-vv", "--ip", IP1, env={"VC_TEST_TOKEN": TOKEN})
    assert r.code == 0, r
    assert "Authorization" in r.err
    assert TOKEN not in r.out and TOKEN not in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env={"VC_TEST_TOKEN": "x" + TOKEN})
    assert r.code == 77, r
    assert TOKEN not in r.out and TOKEN not in r.err


def test_no_token(vc, ca, tmp_path):
    rec = record(vc)
    del rec["token"]
    s = Setup(tmp_path, ca, [rec])
    assert s.run("--check-config").code == 78
    assert vc.calls == []
