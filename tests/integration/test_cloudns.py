"""The real binary against the stateful ClouDNS mock, over HTTPS with the
test CA (and plain HTTP once). Addresses come from --ip."""
import json
import time
import urllib.parse

import pytest

import harness
import mock_cloudns
from mock_cloudns import AUTH_ID, PASSWORD, SUB_USER

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
WRITES = ("add-record.json", "mod-record.json")


@pytest.fixture
def cd(servers, ca):
    return mock_cloudns.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "cloudns", "auth_id": AUTH_ID,
         "auth_password": PASSWORD, "endpoint": srv.endpoint}
    r.update(kw)
    return r


class Setup:
    def __init__(self, tmp_path, ca, recs):
        cfg = {"records": recs}
        if ca is not None:
            cfg["cafile"] = ca.ca
        self.config = harness.write_config(str(tmp_path / "ddnsup.json"), cfg)
        self.state = str(tmp_path / "state.json")

    def run(self, *args, env=None):
        r = harness.run(["-c", self.config, "--state", self.state] +
                        list(args), env=env)
        for s in (PASSWORD, urllib.parse.quote(PASSWORD, safe="")):
            assert s not in r.out and s not in r.err, r
        return r

    def entry(self, name=NAME, type="A"):
        with open(self.state) as f:
            e = [r for r in json.load(f)["records"]
                 if r["name"] == name and r["type"] == type]
        assert len(e) == 1, e
        return e[0]


def ops(srv):
    return [c.path.rsplit("/", 1)[-1] for c in srv.calls]


def form(call):
    assert call.method == "POST"
    assert call.headers["Content-Type"] == \
        "application/x-www-form-urlencoded"
    assert call.query == {}             # nothing secret in the URL
    return {k: v[-1] for k, v in urllib.parse.parse_qs(
        call.body.decode(), keep_blank_values=True).items()}


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_cloudns.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert ops(srv) == ["records.json", "add-record.json"]
    assert form(srv.calls[0]) == {
        "auth-id": AUTH_ID, "auth-password": PASSWORD,
        "domain-name": "example.com", "host": "home", "type": "A"}
    assert form(srv.calls[1]) == {
        "auth-id": AUTH_ID, "auth-password": PASSWORD,
        "domain-name": "example.com", "record-type": "A", "host": "home",
        "record": IP1, "ttl": "3600"}
    recs = srv.cd.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["record"] == IP1
    assert s.entry()["record_id"] == "example.com/%s/3600" % recs[0]["id"]


def test_unchanged_update_force(cd, ca, tmp_path):
    rid = cd.cd.add_record("example.com", "home", "A", "198.51.100.1",
                           ttl=300)
    s = Setup(tmp_path, ca, [record(cd)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert ops(cd) == ["records.json", "mod-record.json"]
    f = form(cd.calls[1])
    assert (f["record-id"], f["ttl"], f["host"], f["record"]) == \
        (rid, "300", "home", IP1)
    assert s.entry()["record_id"] == "example.com/%s/300" % rid
    del cd.calls[:]
    r = s.run("--ip", IP1)
    assert r.code == 0 and cd.calls == [], r
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert ops(cd) == ["mod-record.json"]
    assert form(cd.calls[0])["ttl"] == "300"
    assert cd.cd.zones["example.com"][rid]["record"] == IP2
    del cd.calls[:]
    r = s.run("-f", "--ip", IP2)
    assert r.code == 0, r
    assert ops(cd) == ["records.json"]
    assert r.out == "%s A %s current\n" % (NAME, IP2)


def test_stored_id_gone(cd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cd)])
    assert s.run("--ip", IP1).code == 0
    cd.cd.zones["example.com"].clear()
    del cd.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert ops(cd) == ["mod-record.json", "records.json", "add-record.json"]
    assert cd.cd.find("example.com", "home", "A")[0]["record"] == IP2


def test_apex_aaaa_sub_user(cd, ca, tmp_path):
    rec = record(cd, "example.com", zone="example.com", types=["AAAA"],
                 ttl=60, sub_auth_user=SUB_USER)
    del rec["auth_id"]
    s = Setup(tmp_path, ca, [rec])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    f = form(cd.calls[-1])
    assert f["sub-auth-user"] == SUB_USER and "auth-id" not in f
    assert (f["host"], f["record-type"], f["ttl"]) == ("", "AAAA", "60")
    assert cd.cd.find("example.com", "", "AAAA")[0]["record"] == \
        "2001:db8::7"


def test_two_ids_is_config_error(cd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cd, sub_auth_id="777")])
    r = s.run("--check-config")
    assert r.code == 78, r
    assert "set one of auth_id, sub_auth_id and sub_auth_user" in r.err


def test_wrong_password(cd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cd)])
    assert s.run("--ip", IP1).code == 0
    cd.cd.password = "another"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("cloudns: %s A: mod-record.json: Failed: Invalid authentication, "
            "incorrect auth-id or auth-password. (check auth_id" % NAME) \
        in r.err
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"


def test_zone_not_in_account(cd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cd, "home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "records.json: Failed: Missing domain name (the zone is not" \
        in r.err
    assert s.entry(name="home.example.net")["hold"]


def test_refused_ttl(cd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cd, ttl=120)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "add-record.json: Failed: Invalid TTL." in r.err


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 60)])
def test_throttled(cd, ca, tmp_path, retry_after, wait):
    s = Setup(tmp_path, ca, [record(cd)])
    assert s.run("--ip", IP1).code == 0
    cd.cd.fail_next(429, headers={"Retry-After": str(retry_after)}
                    if retry_after else {}, payload="Too Many Requests")
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del cd.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75 and cd.calls == [], r


def test_garbage_reply(cd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cd)])
    cd.cd.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                    "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "records.json: HTTP 200: not a ClouDNS reply" in r.err
    assert [o for o in ops(cd) if o in WRITES] == []


def test_password_never_printed(cd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(cd, auth_password={"env": "CD_PASS"})])
    r = s.run("-vv", "--ip", IP1, env={"CD_PASS": PASSWORD})
    assert r.code == 0, r
    assert form(cd.calls[0])["auth-password"] == PASSWORD
    r = s.run("-vv", "-f", "--ip", IP2, env={"CD_PASS": PASSWORD + "x"})
    assert r.code == 77, r
    with open(s.state) as f:
        assert PASSWORD not in f.read()
