"""The real binary against the stateful OVH API mock (signatures checked
with hashlib, server clock skewable), over HTTPS with the test CA and
plain HTTP once. Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_ovh
from mock_ovh import AK, AS, CK

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
WRITES = ("POST", "PUT", "DELETE")
REC = "/1.0/domain/zone/example.com/record"
REFRESH = "/1.0/domain/zone/example.com/refresh"


@pytest.fixture
def ovh(servers, ca):
    return mock_ovh.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "ovh", "application_key": AK,
         "application_secret": AS, "consumer_key": CK,
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


# ---- create, update, unchanged ------------------------------------------

@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_ovh.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    got = [(c.method, c.path, c.query) for c in srv.calls]
    assert got == [
        ("GET", "/1.0/auth/time", {}),
        ("GET", "/1.0/domain/zone", {}),
        ("GET", REC, {"fieldType": ["A"], "subDomain": ["home"]}),
        ("POST", REC, {}),
        ("POST", REFRESH, {}),
    ]
    assert "X-Ovh-Signature" not in srv.calls[0].headers
    for c in srv.calls[1:]:
        assert c.headers["X-Ovh-Application"] == AK
        assert c.headers["X-Ovh-Consumer"] == CK
        assert c.headers["X-Ovh-Signature"].startswith("$1$")
    assert srv.calls[3].json() == {"fieldType": "A", "subDomain": "home",
                                   "target": IP1}
    recs = srv.ovh.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["target"] == IP1
    assert srv.ovh.unpublished == set()
    assert srv.ovh.zones["example.com"]["refreshed"] == 1
    assert s.entry()["record_id"] == "example.com/%d" % recs[0]["id"]


def test_server_clock_is_used(servers, ca, tmp_path):
    srv = mock_ovh.start(servers, tls=ca)
    srv.ovh.skew = 86400        # a day off: only the server's time works
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    ts = int(srv.calls[1].headers["X-Ovh-Timestamp"])
    assert abs(ts - (time.time() + 86400)) < 60
    assert srv.ovh.find("example.com", "home", "A")[0]["target"] == IP1


def test_state_hit_makes_no_call(ovh, ca, tmp_path):
    s = created(tmp_path, ovh, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert ovh.calls == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_address_change_is_one_put_and_refresh(ovh, ca, tmp_path):
    s = created(tmp_path, ovh, ca)
    rid = ovh.ovh.find("example.com", "home", "A")[0]["id"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [(c.method, c.path) for c in ovh.calls] == [
        ("GET", "/1.0/auth/time"), ("PUT", "%s/%d" % (REC, rid)),
        ("POST", REFRESH)]
    assert ovh.calls[1].json() == {"target": IP2}
    assert ovh.ovh.records[rid]["target"] == IP2
    assert ovh.ovh.unpublished == set()
    assert s.entry()["address"] == IP2


def test_record_deleted_by_hand(ovh, ca, tmp_path):
    s = created(tmp_path, ovh, ca, zone="example.com")
    old = ovh.ovh.find("example.com", "home", "A")[0]["id"]
    ovh.ovh.delete_record(old)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in ovh.calls] == \
        ["GET", "PUT", "GET", "POST", "POST"]
    recs = ovh.ovh.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["target"] == IP2
    assert s.entry()["record_id"] == "example.com/%d" % recs[0]["id"]


def test_force_verifies_without_writing(ovh, ca, tmp_path):
    s = created(tmp_path, ovh, ca, zone="example.com")
    rid = ovh.ovh.find("example.com", "home", "A")[0]["id"]
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert writes(ovh) == []
    assert [(c.method, c.path) for c in ovh.calls] == [
        ("GET", "/1.0/auth/time"), ("GET", REC), ("GET", "%s/%d" % (REC, rid))]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_record_updated_and_ttl(ovh, ca, tmp_path):
    rid = ovh.ovh.add_record("example.com", "home", "A", "198.51.100.1",
                             ttl=60)
    other = ovh.ovh.add_record("example.com", "home", "AAAA", "2001:db8::1")
    s = Setup(tmp_path, ca, [record(ovh, ttl=300)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.json() for c in writes(ovh) if c.body] == \
        [{"target": IP1, "ttl": 300}]
    assert ovh.ovh.records[rid]["ttl"] == 300
    assert ovh.ovh.records[other]["target"] == "2001:db8::1"
    assert s.entry()["record_id"] == "example.com/%d" % rid


def test_apex_and_aaaa(ovh, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ovh, "example.com", types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert ovh.calls[2].query == {"fieldType": ["AAAA"], "subDomain": [""]}
    assert writes(ovh)[0].json() == {"fieldType": "AAAA", "subDomain": "",
                                     "target": "2001:db8::7"}
    recs = ovh.ovh.find("example.com", "", "AAAA")
    assert len(recs) == 1 and recs[0]["target"] == "2001:db8::7"
    del ovh.calls[:]
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0 and ovh.calls == [], r


def test_longest_zone_and_one_list_per_run(servers, ca, tmp_path):
    srv = mock_ovh.start(servers, tls=ca,
                         zones=("example.com", "lab.example.com"))
    s = Setup(tmp_path, ca, [record(srv, "a.lab.example.com"),
                             record(srv, "b.lab.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.path for c in srv.calls].count("/1.0/domain/zone") == 1
    assert [c.path for c in srv.calls].count("/1.0/auth/time") == 1
    assert len(srv.ovh.find("lab.example.com", "a", "A")) == 1
    assert len(srv.ovh.find("lab.example.com", "b", "A")) == 1


# ---- refusals and failures ----------------------------------------------

@pytest.mark.parametrize("what,code,msg", [
    ("as_", "INVALID_SIGNATURE", "Invalid signature (check "
     "application_secret"),
    ("ck", "INVALID_CREDENTIAL", "This credential is not valid (check "
     "consumer_key"),
    ("ak", "INVALID_KEY", "This application key is invalid (check "
     "application_key"),
])
def test_wrong_keys(ovh, ca, tmp_path, what, code, msg):
    s = created(tmp_path, ovh, ca)
    setattr(ovh.ovh, what, "somethingelse")
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert "ovh: %s A: HTTP" % NAME in r.err
    assert "%s: %s" % (code, msg) in r.err
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"


def test_missing_rule(servers, ca, tmp_path):
    srv = mock_ovh.start(servers, tls=ca, rules=[
        ("GET", "/domain/zone"), ("GET", "/domain/zone/*")])
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("HTTP 403: NOT_GRANTED_CALL: This call has not been granted "
            "(the consumer key lacks an access rule") in r.err
    assert srv.ovh.records == {}


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 60)])
def test_throttled(ovh, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, ovh, ca)
    ovh.ovh.throttle(count=1, retry_after=retry_after)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: Client::TooManyRequests: Too many requests" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del ovh.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75 and ovh.calls == [], r


def test_zone_not_in_account(ovh, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ovh, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no OVH DNS zone of this account holds home.example.net "
            "(zones: example.com;") in r.err
    assert writes(ovh) == []
    assert s.entry(name="home.example.net")["hold"]


def test_configured_zone_not_in_account(ovh, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ovh, name="home.example.net",
                                    zone="example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("HTTP 404: Client::NotFound: This service does not exist "
            "(is example.net an OVH DNS zone of this account?)") in r.err
    assert writes(ovh) == []


@pytest.mark.parametrize("payload", ["<html>Welcome to nginx!</html>",
                                     {"ids": []}])
def test_garbage_reply(ovh, ca, tmp_path, payload):
    s = Setup(tmp_path, ca, [record(ovh, zone="example.com")])
    ovh.ovh.fail_next(200, payload=payload)
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert writes(ovh) == []


def test_garbage_after_time(ovh, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ovh, zone="example.com")])
    r0 = ovh.ovh
    # Let /auth/time through, then answer the search with a non-array.
    real = r0.handle
    n = {"i": 0}

    def handle(call, raw):
        n["i"] += 1
        if n["i"] == 2:
            return (200, {}, {"fieldType": "A"})
        return real(call, raw)
    r0.handle = handle
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "the record search did not answer an array of ids" in r.err
    assert writes(ovh) == []


def test_server_error_is_temporary(ovh, ca, tmp_path):
    s = created(tmp_path, ovh, ca)
    ovh.ovh.fail_next(503)
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert ovh.ovh.find("example.com", "home", "A")[0]["target"] == IP2


def test_secrets_never_printed(ovh, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ovh, application_secret={
        "env": "OVH_TEST_AS"}, consumer_key={"env": "OVH_TEST_CK"})])
    env = {"OVH_TEST_AS": AS, "OVH_TEST_CK": CK}
    r = s.run("-vv", "--ip", IP1, env=env)
    assert r.code == 0, r
    assert "X-Ovh-Consumer" in r.err
    for secret in (AS, CK):
        assert secret not in r.out and secret not in r.err
    env["OVH_TEST_CK"] = CK + "x"
    r = s.run("-vv", "-f", "--ip", IP2, env=env)
    assert r.code == 77, r
    for secret in (AS, CK):
        assert secret not in r.out and secret not in r.err
    with open(s.state) as f:
        st = f.read()
    assert AS not in st and CK not in st


def test_missing_keys(ovh, ca, tmp_path):
    r = record(ovh)
    del r["consumer_key"]
    s = Setup(tmp_path, ca, [r])
    assert s.run("--check-config").code == 78
    res = s.run("--ip", IP1)
    assert res.code == 78 and ovh.calls == [], res


def test_endpoint_alias_checked(ovh, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ovh, endpoint="ovh-mars")])
    r = s.run("--check-config")
    assert r.code == 78, r
    assert "neither ovh-eu, ovh-ca, ovh-us nor an http(s) URL" in r.err
