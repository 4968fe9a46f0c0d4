"""The real binary against the stateful Njalla mock, over HTTPS with the
test CA (and plain HTTP once). Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_njalla
from mock_njalla import TOKEN

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
WRITES = ("add-record", "edit-record", "remove-record")


@pytest.fixture
def nj(servers, ca):
    return mock_njalla.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "njalla", "token": TOKEN,
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


def methods(srv):
    return [c.json()["method"] for c in srv.calls]


def writes(srv):
    return [c.json() for c in srv.calls if c.json()["method"] in WRITES]


def contents(srv, name="home", type="A", domain="example.com"):
    return sorted(r["content"] for r in srv.nj.find(domain, name, type))


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
    srv = mock_njalla.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    for c in srv.calls:
        assert (c.method, c.path) == ("POST", "/api/1/")
        assert c.headers["Authorization"] == "Njalla " + TOKEN
        assert c.headers["Content-Type"] == "application/json"
    assert [c.json() for c in srv.calls] == [
        {"method": "list-domains", "params": {}},
        {"method": "list-records", "params": {"domain": "example.com"}},
        {"method": "add-record", "params": {
            "domain": "example.com", "type": "A", "name": "home",
            "content": IP1, "ttl": 3600}},
    ]
    recs = srv.nj.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["content"] == IP1
    e = s.entry()
    assert e["address"] == IP1
    assert e["record_id"] == "example.com/%d" % recs[0]["id"]


def test_state_hit_makes_no_call(nj, ca, tmp_path):
    s = created(tmp_path, nj, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert nj.calls == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_address_change_is_one_edit(nj, ca, tmp_path):
    s = created(tmp_path, nj, ca)
    rid = nj.nj.find("example.com", "home", "A")[0]["id"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [c.json() for c in nj.calls] == [
        {"method": "edit-record", "params": {
            "domain": "example.com", "id": rid, "content": IP2}}]
    assert contents(nj) == [IP2]
    assert nj.nj.find("example.com", "home", "A")[0]["ttl"] == 3600
    assert s.entry()["address"] == IP2


def test_record_deleted_by_hand(nj, ca, tmp_path):
    s = created(tmp_path, nj, ca)
    rid = nj.nj.find("example.com", "home", "A")[0]["id"]
    del nj.nj.domains["example.com"][rid]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert methods(nj) == ["edit-record", "list-domains", "list-records",
                           "add-record"]
    recs = nj.nj.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["content"] == IP2
    assert s.entry()["record_id"] == "example.com/%d" % recs[0]["id"]


def test_force_with_state_hit_verifies(nj, ca, tmp_path):
    s = created(tmp_path, nj, ca, zone="example.com")
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert writes(nj) == []
    assert methods(nj) == ["list-domains", "list-records"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_record_edited_keeping_ttl(nj, ca, tmp_path):
    rid = nj.nj.add_record("example.com", "home", "A", "198.51.100.1",
                           ttl=300)
    nj.nj.add_record("example.com", "home", "AAAA", "2001:db8::1")
    s = Setup(tmp_path, ca, [record(nj)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert writes(nj) == [{"method": "edit-record", "params": {
        "domain": "example.com", "id": rid, "content": IP1}}]
    assert nj.nj.domains["example.com"][rid]["ttl"] == 300
    assert contents(nj, type="AAAA") == ["2001:db8::1"]
    assert s.entry()["record_id"] == "example.com/%d" % rid


def test_configured_ttl_applied(nj, ca, tmp_path):
    rid = nj.nj.add_record("example.com", "home", "A", IP1, ttl=300)
    s = Setup(tmp_path, ca, [record(nj, ttl=60)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert writes(nj) == [{"method": "edit-record", "params": {
        "domain": "example.com", "id": rid, "content": IP1, "ttl": 60}}]
    assert nj.nj.domains["example.com"][rid]["ttl"] == 60


def test_apex_and_aaaa(nj, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nj, "example.com", zone="example.com",
                                    types=["AAAA"], ttl=300)])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert writes(nj) == [{"method": "add-record", "params": {
        "domain": "example.com", "type": "AAAA", "name": "@",
        "content": "2001:db8::7", "ttl": 300}}]
    assert contents(nj, "@", "AAAA") == ["2001:db8::7"]
    del nj.calls[:]
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0 and nj.calls == [], r


def test_two_records_one_domain_list(nj, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nj), record(nj, "nas.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert methods(nj).count("list-domains") == 1


def test_duplicates_update_first_and_warn(nj, ca, tmp_path):
    first = nj.nj.add_record("example.com", "home", "A", "198.51.100.1")
    second = nj.nj.add_record("example.com", "home", "A", "198.51.100.2")
    s = Setup(tmp_path, ca, [record(nj, zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "2 records of that name and type; updating %d only" % first \
        in r.err
    assert nj.nj.domains["example.com"][first]["content"] == IP1
    assert nj.nj.domains["example.com"][second]["content"] == "198.51.100.2"


# ---- refusals and failures ----------------------------------------------

def test_wrong_token(nj, ca, tmp_path):
    s = created(tmp_path, nj, ca)
    nj.nj.token = "another"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("njalla: %s A: edit-record: error 403: permission denied (check "
            "token, from https://njal.la/settings/api/;" % NAME) in r.err
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"


def test_wrong_token_first_run(nj, ca, tmp_path):
    nj.nj.token = "another"
    s = Setup(tmp_path, ca, [record(nj)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "list-domains: error 403: permission denied" in r.err
    assert methods(nj) == ["list-domains"]


def test_token_without_method(servers, ca, tmp_path):
    srv = mock_njalla.start(servers, tls=ca, methods=(
        "list-domains", "list-records", "edit-record"))
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("add-record: error 403: permission denied (check token, from "
            "https://njal.la/settings/api/; a restricted token must allow "
            "list-domains, list-records, add-record and edit-record, and "
            "this domain)") in r.err
    assert srv.nj.find("example.com", "home") == []


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 60)])
def test_throttled(nj, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, nj, ca)
    nj.nj.throttle(count=1, retry_after=retry_after)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "edit-record: error 429: too many requests (HTTP 429)" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del nj.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75 and nj.calls == [], r


def test_server_error_is_temporary(nj, ca, tmp_path):
    s = created(tmp_path, nj, ca)
    nj.nj.fail_next(502)
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "edit-record: HTTP 502 (no Njalla error in the reply)" in r.err
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert contents(nj) == [IP2]


def test_zone_missing(nj, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nj, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no Njalla domain for home.example.net (tried home.example.net, "
            "example.net; the domain must be on this Njalla account") \
        in r.err
    assert writes(nj) == []
    assert s.entry(name="home.example.net")["hold"]


def test_garbage_reply(nj, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nj)])
    nj.nj.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                    "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "list-domains: HTTP 200: not a Njalla API reply" in r.err
    assert writes(nj) == []


def test_reply_without_records(nj, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nj, zone="example.com")])
    r = s.run("--check-config")
    assert r.code == 0, r
    nj.nj.fail_next(200, count=1, payload={"result": {"domains": [
        {"name": "example.com"}]}, "jsonrpc": "2.0"})
    nj.nj.fail_next(200, count=1, payload={"result": {"items": []},
                                           "jsonrpc": "2.0"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "list-records: no \"records\" array in the reply" in r.err
    assert writes(nj) == []


def test_refused_ttl_is_config(nj, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nj, ttl=10)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "add-record: error 400: invalid ttl" in r.err


def test_token_never_printed(nj, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nj, token={"env": "NJ_TEST_TOKEN"})])
    r = s.run("-vv", "--ip", IP1, env={"NJ_TEST_TOKEN": TOKEN})
    assert r.code == 0, r
    assert nj.calls[0].headers["Authorization"] == "Njalla " + TOKEN
    assert TOKEN not in r.out and TOKEN not in r.err
    assert "Authorization" in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env={"NJ_TEST_TOKEN": TOKEN + "x"})
    assert r.code == 77, r
    assert TOKEN not in r.out and TOKEN not in r.err
    with open(s.state) as f:
        assert TOKEN not in f.read()


def test_no_token(nj, ca, tmp_path):
    r = record(nj)
    del r["token"]
    s = Setup(tmp_path, ca, [r])
    assert s.run("--check-config").code == 78
    res = s.run("--ip", IP1)
    assert res.code == 78 and nj.calls == [], res
