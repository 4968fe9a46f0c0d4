"""The real binary against the stateful DNS Made Easy mock (which checks
the HMAC-SHA1 request signature), over HTTPS with the test CA (and plain
HTTP once). Addresses come from --ip."""
import email.utils
import json
import time

import pytest

import harness
import mock_dnsmadeeasy
from mock_dnsmadeeasy import API_KEY, SECRET

NAME = "home.example.com"
ZONE = "example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
WRITES = ("POST", "PUT", "PATCH", "DELETE")


@pytest.fixture
def dme(servers, ca):
    return mock_dnsmadeeasy.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "dnsmadeeasy", "api_key": API_KEY,
         "secret_key": SECRET, "endpoint": srv.endpoint}
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
    srv = mock_dnsmadeeasy.start(servers,
                                 tls=ca if scheme == "https" else None)
    did = srv.dme.domains[ZONE]["id"]
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    t0 = time.time()
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    got = [(c.method, c.path, c.query) for c in srv.calls]
    assert got == [
        ("GET", "/V2.0/dns/managed/name", {"domainname": [NAME]}),
        ("GET", "/V2.0/dns/managed/name", {"domainname": [ZONE]}),
        ("GET", "/V2.0/dns/managed/%d/records" % did,
         {"recordName": ["home"], "type": ["A"]}),
        ("POST", "/V2.0/dns/managed/%d/records" % did, {}),
    ]
    for c in srv.calls:
        assert c.headers["x-dnsme-apiKey"] == API_KEY
        d = c.headers["x-dnsme-requestDate"]
        assert d.endswith(" GMT") and \
            abs(email.utils.parsedate_to_datetime(d).timestamp() - t0) < 30
    assert srv.calls[-1].json() == {"name": "home", "type": "A",
                                    "value": IP1, "gtdLocation": "DEFAULT",
                                    "ttl": 1800}
    recs = srv.dme.find(ZONE, "home", "A")
    assert len(recs) == 1 and recs[0]["value"] == IP1
    assert s.entry()["record_id"] == "%s/%d/%d/1800" % (ZONE, did,
                                                        recs[0]["id"])


def test_state_hit_makes_no_call(dme, ca, tmp_path):
    s = created(tmp_path, dme, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert dme.calls == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_address_change_is_one_put_keeping_ttl(dme, ca, tmp_path):
    rid = dme.dme.add_record(ZONE, "home", "A", "198.51.100.1", ttl=120)
    did = dme.dme.domains[ZONE]["id"]
    s = created(tmp_path, dme, ca)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [(c.method, c.path) for c in dme.calls] == \
        [("PUT", "/V2.0/dns/managed/%d/records/%d" % (did, rid))]
    assert dme.calls[0].json() == {"name": "home", "type": "A", "value": IP2,
                                   "gtdLocation": "DEFAULT", "ttl": 120,
                                   "id": rid}
    assert dme.dme.records[rid]["value"] == IP2
    assert dme.dme.records[rid]["ttl"] == 120


def test_record_deleted_by_hand(dme, ca, tmp_path):
    s = created(tmp_path, dme, ca)
    dme.dme.delete_record(dme.dme.find(ZONE, "home", "A")[0]["id"])
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in dme.calls] == ["PUT", "GET", "GET", "GET",
                                             "POST"]
    recs = dme.dme.find(ZONE, "home", "A")
    assert len(recs) == 1 and recs[0]["value"] == IP2


def test_force_with_state_hit_verifies(dme, ca, tmp_path):
    s = created(tmp_path, dme, ca, zone=ZONE)
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert writes(dme) == []
    assert [c.method for c in dme.calls] == ["GET", "GET"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_configured_ttl_applied(dme, ca, tmp_path):
    rid = dme.dme.add_record(ZONE, "home", "A", IP1, ttl=120)
    s = Setup(tmp_path, ca, [record(dme, ttl=300)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.json()["ttl"] for c in writes(dme)] == [300]
    assert dme.dme.records[rid]["ttl"] == 300


def test_apex_and_aaaa(dme, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(dme, ZONE, zone=ZONE, types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert dme.calls[1].query == {"type": ["AAAA"]}
    assert writes(dme)[0].json() == {"name": "", "type": "AAAA",
                                     "value": "2001:db8::7",
                                     "gtdLocation": "DEFAULT", "ttl": 1800}
    recs = dme.dme.find(ZONE, "", "AAAA")
    assert len(recs) == 1 and recs[0]["value"] == "2001:db8::7"
    del dme.calls[:]
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0 and dme.calls == [], r


def test_two_records_one_domain_lookup(dme, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(dme), record(dme, "nas.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    asked = sorted(c.query["domainname"][0] for c in dme.calls
                   if c.path.endswith("/name"))
    assert asked == [ZONE, NAME, "nas.example.com"]


def test_wrong_secret(dme, ca, tmp_path):
    s = created(tmp_path, dme, ca)
    dme.dme.secret = "another"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("dnsmadeeasy: %s A: HTTP 403: HMAC validation failed (check "
            "api_key and secret_key" % NAME) in r.err
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"


def test_wrong_api_key(dme, ca, tmp_path):
    dme.dme.api_key = "another"
    s = Setup(tmp_path, ca, [record(dme)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "HTTP 403: API key not found" in r.err


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 300)])
def test_rate_limit(dme, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, dme, ca)
    dme.dme.throttle(count=1, retry_after=retry_after)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 400: Rate limit exceeded" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del dme.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75 and dme.calls == [], r


def test_other_400_is_config(dme, ca, tmp_path):
    s = created(tmp_path, dme, ca)
    dme.dme.fail_next(400, payload={"error": ["Invalid TTL."]})
    r = s.run("--ip", IP2)
    assert r.code == 78, r
    assert "HTTP 400: Invalid TTL." in r.err
    assert "backoff_until" not in s.entry() or \
        s.entry()["backoff_until"] <= time.time() + 5


def test_zone_missing(dme, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(dme, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no DNS Made Easy domain for home.example.net (tried "
            "home.example.net, example.net;") in r.err
    assert writes(dme) == []
    assert s.entry(name="home.example.net")["hold"]


def test_garbage_reply(dme, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(dme)])
    dme.dme.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                      "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not a DNS Made Easy API reply" in r.err
    assert writes(dme) == []


def test_server_error_is_temporary(dme, ca, tmp_path):
    s = created(tmp_path, dme, ca)
    dme.dme.fail_next(500)
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 500: Internal server error" in r.err


def test_secrets_never_printed(dme, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(dme, api_key={"env": "DME_KEY"},
                                    secret_key={"env": "DME_SECRET"})])
    env = {"DME_KEY": API_KEY, "DME_SECRET": SECRET}
    r = s.run("-vv", "--ip", IP1, env=env)
    assert r.code == 0, r
    assert "x-dnsme-requestDate" in r.err
    for secret in (API_KEY, SECRET):
        assert secret not in r.out and secret not in r.err
    env["DME_SECRET"] = SECRET + "x"
    r = s.run("-vv", "-f", "--ip", IP2, env=env)
    assert r.code == 77, r
    with open(s.state) as f:
        st = f.read()
    for secret in (API_KEY, SECRET):
        assert secret not in r.out and secret not in r.err
        assert secret not in st


def test_missing_secret(dme, ca, tmp_path):
    r = record(dme)
    del r["secret_key"]
    s = Setup(tmp_path, ca, [r])
    assert s.run("--check-config").code == 78
    res = s.run("--ip", IP1)
    assert res.code == 78 and dme.calls == [], res
