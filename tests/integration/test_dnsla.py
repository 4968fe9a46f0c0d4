"""The real binary against the stateful DNS.LA open API v2 mock.
Addresses come from --ip so nothing probes."""
import base64
import json
import time

import pytest

import harness
import mock_dnsla
from mock_dnsla import API_ID, API_SECRET

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
IP6 = "2001:db8::7"


@pytest.fixture
def la(servers, ca):
    return mock_dnsla.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "dnsla", "api_id": API_ID,
         "api_secret": API_SECRET, "endpoint": srv.endpoint}
    r.update(kw)
    return r


class Setup:
    def __init__(self, tmp_path, ca, recs):
        cfg = {"records": recs}
        if ca is not None:
            cfg["cafile"] = ca.ca
        self.config = harness.write_config(str(tmp_path / "ddnsup.json"), cfg)
        self.state = str(tmp_path / "state.json")

    def run(self, *args):
        return harness.run(["-c", self.config, "--state", self.state] +
                           list(args))

    def entry(self, name=NAME, type="A"):
        with open(self.state) as f:
            e = [r for r in json.load(f)["records"]
                 if r["name"] == name and r["type"] == type]
        assert len(e) == 1
        return e[0]


def calls(srv):
    return [(c.method, c.path) for c in srv.calls]


def created(tmp_path, srv, ca, ip=IP1, **kw):
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create(servers, ca, tmp_path, scheme):
    srv = mock_dnsla.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert calls(srv) == [("GET", "/api/recordList"), ("POST", "/api/record")]
    basic = "Basic " + base64.b64encode(
        ("%s:%s" % (API_ID, API_SECRET)).encode()).decode()
    for c in srv.calls:
        assert c.headers["Authorization"] == basic
    assert srv.calls[0].query == {"domain": ["example.com"],
                                  "host": ["home"], "type": ["1"],
                                  "pageIndex": ["1"], "pageSize": ["100"]}
    assert srv.calls[1].headers["Content-Type"].startswith(
        "application/json")
    assert srv.calls[1].json() == {"domain": "example.com", "host": "home",
                                   "type": 1, "data": IP1, "ttl": 600}
    rec = srv.la.find("example.com", "home", 1)
    assert len(rec) == 1 and rec[0]["data"] == IP1
    assert s.entry()["record_id"] == rec[0]["id"]


def test_update_with_listed_id(la, ca, tmp_path):
    s = created(tmp_path, la, ca, ttl=300)
    rid = la.la.find("example.com", "home", 1)[0]["id"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert calls(la) == [("GET", "/api/recordList"), ("PUT", "/api/record")]
    assert la.calls[1].json() == {"id": rid, "host": "home", "type": 1,
                                  "data": IP2, "ttl": 300}
    assert la.la.find("example.com", "home", 1)[0]["data"] == IP2
    assert s.entry()["address"] == IP2
    assert s.entry()["record_id"] == rid


def test_update_keeps_ttl(la, ca, tmp_path):
    la.la.add_record("example.com", "home", 1, "198.51.100.1", ttl=120)
    s = Setup(tmp_path, ca, [record(la)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert la.calls[1].json()["ttl"] == 120
    assert la.la.find("example.com", "home", 1)[0]["ttl"] == 120


def test_no_change(la, ca, tmp_path):
    s = created(tmp_path, la, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert la.calls == []
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s current\n" % (NAME, IP1)
    assert calls(la) == [("GET", "/api/recordList")]
    assert la.la.nochange_writes == 0 and len(la.la.writes) == 1


def test_apex_and_aaaa(la, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(la, name="example.com",
                                    zone="example.com", types=["AAAA"])])
    r = s.run("--ip", IP6)
    assert r.code == 0, r
    assert la.calls[0].query["host"] == ["@"]
    assert la.calls[0].query["type"] == ["28"]
    assert la.calls[1].json()["host"] == "@"
    assert la.la.find("example.com", "@", 28)[0]["data"] == IP6
    assert s.entry(name="example.com", type="AAAA")["address"] == IP6


def test_wildcard_in_zone(la, ca, tmp_path):
    la.la.add_domain("example.co.uk")
    s = Setup(tmp_path, ca, [record(la, name="*.dyn.example.co.uk",
                                    zone="example.co.uk")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert la.calls[0].query["host"] == ["*.dyn"]
    assert la.la.find("example.co.uk", "*.dyn", 1)[0]["data"] == IP1


def test_wrong_secret(la, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(la, api_secret="wrong-secret")])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "HTTP 401" in r.err and "api_secret" in r.err
    assert s.entry()["hold"] is True
    del la.calls[:]
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert la.calls == []


def test_throttled(la, ca, tmp_path):
    s = created(tmp_path, la, ca)
    la.la.throttle(retry_after="120")
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "code 429" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + 110 <= e["backoff_until"] <= time.time() + 130
    del la.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert la.calls == []


def test_internal_error_is_temporary(la, ca, tmp_path):
    la.la.fail_next(200)
    s = Setup(tmp_path, ca, [record(la)])
    r = s.run("--ip", IP1)
    assert r.code == 75, r
    assert "code 500: internal error" in r.err


def test_domain_not_in_account(la, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(la, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "code 400" in r.err and "account" in r.err
    assert s.entry(name="home.example.net")["hold"] is True


def test_garbage_reply(la, ca, tmp_path):
    la.la.fail_next(200, payload="<html>Welcome to nginx!</html>",
                    headers={"Content-Type": "text/html"})
    s = Setup(tmp_path, ca, [record(la)])
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "not a DNS.LA API reply" in r.err


def test_check_config(la, tmp_path):
    s = Setup(tmp_path, None, [record(la, api_id="a:b")])
    r = harness.run(["--check-config", "-c", s.config])
    assert r.code == 78, r
    assert "api_id" in r.err


def test_secret_never_printed(la, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(la)])
    r = s.run("-vv", "--ip", IP1)
    assert r.code == 0, r
    la.la.api_secret = "other"
    r2 = s.run("-vv", "-f", "--ip", IP2)
    assert r2.code == 77, r2
    basic = base64.b64encode(
        ("%s:%s" % (API_ID, API_SECRET)).encode()).decode()
    for x in (r, r2):
        assert API_SECRET not in x.out and API_SECRET not in x.err
        assert basic not in x.err and basic[-12:] not in x.err
    assert "GET" in r.err          # -vv did log the calls
