"""The real binary against the stateful Rainyun (雨云) API v2 mock.
Addresses come from --ip so nothing probes."""
import json
import time

import pytest

import harness
import mock_rainyun
from mock_rainyun import API_KEY

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
IP6 = "2001:db8::7"


@pytest.fixture
def ry(servers, ca):
    return mock_rainyun.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "rainyun", "api_key": API_KEY,
         "endpoint": srv.endpoint}
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
    srv = mock_rainyun.start(servers, tls=ca if scheme == "https" else None,
                             domains=("myexample.com", "example.com"))
    did = srv.ry.domain_id("example.com")
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert calls(srv) == [("GET", "/product/domain"),
                          ("GET", "/product/domain/%d/dns" % did),
                          ("POST", "/product/domain/%d/dns" % did)]
    for c in srv.calls:
        assert c.headers.get_all("x-api-key") == [API_KEY]
    assert json.loads(srv.calls[0].query["options"][0]) == {
        "columnFilters": {"domains.Domain": "example.com"}, "sort": [],
        "page": 1, "perPage": 100}
    assert srv.calls[1].query == {"limit": ["100"], "page_no": ["1"]}
    assert srv.calls[2].json() == {"host": "home", "type": "A",
                                   "value": IP1, "line": "DEFAULT",
                                   "level": 10, "ttl": 600}
    rec = srv.ry.find("example.com", "home", "A")
    assert len(rec) == 1 and rec[0]["value"] == IP1
    assert s.entry()["address"] == IP1


def test_update_patch_by_record_id(ry, ca, tmp_path):
    rid = ry.ry.add_record("example.com", "home", "A", "198.51.100.1",
                           ttl=120, line="LTEL", level=5)
    did = ry.ry.domain_id("example.com")
    s = Setup(tmp_path, ca, [record(ry)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert calls(ry)[-1] == ("PATCH", "/product/domain/%d/dns" % did)
    assert ry.calls[-1].json() == {"record_id": rid, "host": "home",
                                   "type": "A", "value": IP1,
                                   "line": "LTEL", "level": 5, "ttl": 120}
    assert ry.ry.records[rid]["value"] == IP1
    assert s.entry()["record_id"] == str(rid)
    # Second run, new address: still the same record, new ttl from config.
    s = Setup(tmp_path, ca, [record(ry, ttl=300)])
    del ry.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert ry.calls[-1].json()["ttl"] == 300
    assert ry.ry.records[rid]["value"] == IP2
    assert len(ry.ry.find("example.com", "home", "A")) == 1


def test_no_change(ry, ca, tmp_path):
    s = created(tmp_path, ry, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert ry.calls == []
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s current\n" % (NAME, IP1)
    assert [m for m, _ in calls(ry)] == ["GET", "GET"]
    assert ry.ry.nochange_writes == 0 and len(ry.ry.writes) == 1


def test_domain_looked_up_once_per_run(ry, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ry), record(ry, name="nas.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert ry.ry.domain_lookups == 1
    assert len(ry.ry.writes) == 2


def test_domain_id_configured(ry, ca, tmp_path):
    did = ry.ry.domain_id("example.com")
    s = Setup(tmp_path, ca, [record(ry, domain_id=str(did))])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert ry.ry.domain_lookups == 0
    assert ry.ry.find("example.com", "home", "A")[0]["value"] == IP1


def test_apex_and_aaaa(ry, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ry, name="example.com",
                                    zone="example.com", types=["AAAA"])])
    r = s.run("--ip", IP6)
    assert r.code == 0, r
    assert ry.calls[-1].json()["host"] == "@"
    assert ry.calls[-1].json()["type"] == "AAAA"
    assert ry.ry.find("example.com", "@", "AAAA")[0]["value"] == IP6


def test_wrong_key(ry, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ry, api_key="wrong-key")])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "code 30039: 密钥认证错误或已失效" in r.err
    assert "api_key" in r.err
    assert s.entry()["hold"] is True
    del ry.calls[:]
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ry.calls == []


def test_throttled(ry, ca, tmp_path):
    s = created(tmp_path, ry, ca)
    ry.ry.throttle(retry_after="90")
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429, code 42900" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + 80 <= e["backoff_until"] <= time.time() + 100
    del ry.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert ry.calls == []


def test_domain_not_in_account(ry, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ry, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "example.net is not in this Rainyun account" in r.err
    assert s.entry(name="home.example.net")["hold"] is True


def test_wrong_domain_id(ry, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ry, domain_id="999")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "HTTP 404, code 40401" in r.err


def test_garbage_reply(ry, ca, tmp_path):
    ry.ry.fail_next(200, payload="<html>Welcome to nginx!</html>",
                    headers={"Content-Type": "text/html"})
    s = Setup(tmp_path, ca, [record(ry)])
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "not a Rainyun API reply" in r.err


def test_check_config(ry, tmp_path):
    s = Setup(tmp_path, None, [record(ry, domain_id="abc")])
    r = harness.run(["--check-config", "-c", s.config])
    assert r.code == 78, r
    assert "domain_id" in r.err


def test_secret_never_printed(ry, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ry)])
    r = s.run("-vv", "--ip", IP1)
    assert r.code == 0, r
    ry.ry.api_key = "other"
    r2 = s.run("-vv", "-f", "--ip", IP2)
    assert r2.code == 77, r2
    for x in (r, r2):
        assert API_KEY not in x.out and API_KEY not in x.err
        assert "5976c68aba5b" not in x.err
    assert "x-api-key" in r.err.lower()     # -vv did show the headers
