"""The real binary against the stateful Hetzner Cloud DNS mock, over HTTPS
with the test CA. Addresses come from --ip so nothing probes."""
import json
import time

import pytest

import harness
import mock_hetzner
from mock_hetzner import TOKEN

NAME = "home.example.com"
IP1, IP2, IP3 = "203.0.113.7", "203.0.113.8", "203.0.113.9"
ZP = "/v1/zones/42"
RP = ZP + "/rrsets/home/A"


@pytest.fixture
def hz(servers, ca):
    return mock_hetzner.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "hetzner", "token": TOKEN,
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
    """A setup whose record was created by a first run; calls cleared."""
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


# ---- create, update, unchanged -----------------------------------------

def test_create_when_missing(hz, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(hz)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert seen(hz) == [
        ("GET", "/v1/zones/home.example.com"),
        ("GET", "/v1/zones/example.com"),
        ("GET", RP),
        ("POST", ZP + "/rrsets"),
    ]
    for c in hz.calls:
        assert c.headers["Authorization"] == "Bearer " + TOKEN
    post = hz.calls[-1]
    assert post.headers["Content-Type"] == "application/json"
    assert post.json() == {"name": "home", "type": "A",
                           "records": [{"value": IP1}]}
    assert hz.hz.values("home", "A") == [IP1]
    assert hz.hz.rrset("home", "A")["ttl"] is None
    e = s.entry()
    assert e["address"] == IP1
    assert e["record_id"] == "42/home"


def test_state_hit_makes_no_call(hz, ca, tmp_path):
    s = created(tmp_path, hz, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert hz.calls == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_update_is_one_set_records(hz, ca, tmp_path):
    s = created(tmp_path, hz, ca)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert seen(hz) == [("POST", RP + "/actions/set_records")]
    assert hz.calls[0].json() == {"records": [{"value": IP2}]}
    assert hz.hz.values("home", "A") == [IP2]
    assert s.entry()["address"] == IP2


def test_action_is_awaited(hz, ca, tmp_path):
    s = created(tmp_path, hz, ca)
    hz.hz.running = 2
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert seen(hz) == [("POST", RP + "/actions/set_records"),
                        ("GET", "/v1/actions/1001"),
                        ("GET", "/v1/actions/1001"),
                        ("GET", "/v1/actions/1001")]
    assert hz.hz.actions[1001][0]["status"] == "success"


def test_action_still_running_is_accepted(hz, ca, tmp_path):
    s = created(tmp_path, hz, ca, wait=1)
    hz.hz.running = 100
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert "action 1001 still running after 1s" in r.err
    assert 2 <= len(hz.calls) <= 5
    assert s.entry()["address"] == IP2


def test_wait_zero_does_not_poll(hz, ca, tmp_path):
    s = created(tmp_path, hz, ca, wait=0)
    hz.hz.running = 100
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert seen(hz) == [("POST", RP + "/actions/set_records")]
    assert "still running" not in r.err


def test_action_error_is_temporary(hz, ca, tmp_path):
    s = created(tmp_path, hz, ca)
    hz.hz.running = 1
    hz.hz.action_error = ("action_failed", "Action failed")
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert ("hetzner: %s A: action 1001 (set_rrset_records) failed: "
            "action_failed: Action failed" % NAME) in r.err
    assert s.entry()["address"] == IP1


def test_force_verifies_without_write(hz, ca, tmp_path):
    s = created(tmp_path, hz, ca)
    r = s.run("-f", "-u", "--ip", IP1)
    assert r.code == 2, r
    assert seen(hz) == [("GET", "/v1/zones/home.example.com"),
                        ("GET", "/v1/zones/example.com"), ("GET", RP)]


def test_rrset_deleted_by_hand(hz, ca, tmp_path):
    s = created(tmp_path, hz, ca)
    del hz.hz.rrsets[(42, "home", "A")]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [m for m, _ in seen(hz)] == ["POST", "GET", "GET", "GET", "POST"]
    assert hz.calls[-1].path == ZP + "/rrsets"
    assert hz.hz.values("home", "A") == [IP2]


def test_only_what_differs_is_written(hz, ca, tmp_path):
    hz.hz.add_rrset("home", "A", [IP1, "198.51.100.2"], ttl=600)
    s = Setup(tmp_path, ca, [record(hz, zone="example.com", ttl=300)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "holds 2 records; replacing them with %s" % IP1 in r.err
    assert seen(hz) == [("GET", "/v1/zones/example.com"), ("GET", RP),
                        ("POST", RP + "/actions/set_records"),
                        ("POST", RP + "/actions/change_ttl")]
    assert hz.calls[-1].json() == {"ttl": 300}
    rs = hz.hz.rrset("home", "A")
    assert [x["value"] for x in rs["records"]] == [IP1]
    assert rs["ttl"] == 300
    # Only the TTL differs: one change_ttl.
    hz.hz.rrset("home", "A")["ttl"] = 600
    del hz.calls[:]
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert [p for _, p in seen(hz)][-1] == RP + "/actions/change_ttl"
    assert len(hz.calls) == 3


def test_apex_and_aaaa(hz, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(hz, "example.com", types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert seen(hz)[-2:] == [("GET", ZP + "/rrsets/%40/AAAA"),
                             ("POST", ZP + "/rrsets")]
    assert hz.calls[-1].json()["name"] == "@"
    assert hz.hz.values("@", "AAAA") == ["2001:db8::7"]
    assert s.entry("example.com", "AAAA")["record_id"] == "42/@"
    del hz.calls[:]
    r = s.run("--ip", "2001:db8::8")
    assert r.code == 0, r
    assert seen(hz) == [("POST", ZP + "/rrsets/%40/AAAA/actions/set_records")]


def test_two_records_one_zone_lookup(hz, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(hz, zone="example.com"),
                             record(hz, "nas.example.com", zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [p for _, p in seen(hz)].count("/v1/zones/example.com") == 1
    assert hz.hz.values("nas", "A") == [IP1]


# ---- refusals and failures ----------------------------------------------

def test_wrong_token(hz, ca, tmp_path):
    s = created(tmp_path, hz, ca)
    hz.hz.token = "another-token"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("hetzner: %s A: HTTP 401: unauthorized: unable to authenticate "
            "(is the token a Hetzner Cloud API token of the project that "
            "holds the zone?)" % NAME) in r.err
    assert s.entry()["address"] == IP1


def test_readonly_token(servers, ca, tmp_path):
    srv = mock_hetzner.start(servers, tls=ca, readonly=True)
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("HTTP 403: token_readonly: The token is only allowed to perform "
            "GET requests (the token is read-only") in r.err


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 60)])
def test_throttled(hz, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, hz, ca)
    hz.hz.throttle(retry_after=retry_after)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: rate_limit_exceeded: limit of 3600" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del hz.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert hz.calls == []


def test_zone_not_found(hz, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(hz, "home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no Hetzner zone for home.example.net (tried home.example.net, "
            "example.net; the zone must be in the token's project") in r.err


def test_secondary_zone(servers, ca, tmp_path):
    srv = mock_hetzner.start(servers, tls=ca, zones=())
    srv.hz.add_zone("example.com", mode="secondary")
    s = Setup(tmp_path, ca, [record(srv, zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "zone example.com is in secondary mode" in r.err


def test_protected_rrset(hz, ca, tmp_path):
    hz.hz.add_rrset("home", "A", ["198.51.100.1"], protect=True)
    s = Setup(tmp_path, ca, [record(hz)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("HTTP 403: protected: RRSet is change protected (turn the "
            "RRSet's change protection off)") in r.err


def test_garbage_reply(hz, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(hz)])
    hz.hz.fail_next(200, payload="<html>Welcome to nginx!</html>",
                    headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not the Hetzner API reply documented" in r.err


def test_server_error(hz, ca, tmp_path):
    s = created(tmp_path, hz, ca)
    hz.hz.fail_next(503)
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 503: service_error: internal service error" in r.err


def test_token_never_printed(hz, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(hz, token={"env": "HZ_TEST_TOKEN"})])
    r = s.run("-vv", "--ip", IP1, env={"HZ_TEST_TOKEN": TOKEN})
    assert r.code == 0, r
    assert "Authorization" in r.err
    assert TOKEN not in r.out and TOKEN not in r.err
    r = s.run("-vv", "-f", "--ip", IP2,
              env={"HZ_TEST_TOKEN": "refused" + TOKEN})
    assert r.code == 77, r
    assert TOKEN not in r.out and TOKEN not in r.err
    with open(s.state) as f:
        assert TOKEN not in f.read()


def test_no_token(hz, ca, tmp_path):
    rec = record(hz)
    del rec["token"]
    s = Setup(tmp_path, ca, [rec])
    assert s.run("--check-config").code == 78
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "hetzner needs \"token\"" in r.err
    assert hz.calls == []


def test_bad_wait(hz, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(hz, wait=601)])
    r = s.run("--check-config")
    assert r.code == 78, r
    assert "\"wait\" must be 0 to 600 seconds" in r.err
