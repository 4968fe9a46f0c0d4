"""The real binary against the stateful DNSExit mock, over HTTPS with the
test CA (and plain HTTP once). Addresses come from --ip."""
import json

import pytest

import harness
import mock_dnsexit
from mock_dnsexit import API_KEY

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
HINT = ("(check api_key: the DNS API key from the DNSExit account's "
        "Settings, DNS API Key)")


@pytest.fixture
def dx(servers, ca):
    srv = mock_dnsexit.start(servers, tls=ca)
    srv.dx.add_record(NAME, "A", "198.51.100.1")
    return srv


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "dnsexit", "api_key": API_KEY,
         "zone": "example.com", "endpoint": srv.endpoint}
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


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_update_then_state_keeps_quiet(servers, ca, tmp_path, scheme):
    srv = mock_dnsexit.start(servers, tls=ca if scheme == "https" else None)
    srv.dx.add_record(NAME, "A", "198.51.100.1")
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert len(srv.calls) == 1
    c = srv.calls[0]
    assert (c.method, c.path, c.query) == ("POST", "/dns/", {})
    assert c.headers["apikey"] == API_KEY
    assert c.headers["Content-Type"] == "application/json"
    assert c.json() == {"domain": "example.com", "update": {
        "type": "A", "name": "home", "content": IP1}}
    assert srv.dx.get(NAME, "A")["content"] == IP1
    assert s.entry()["address"] == IP1
    del srv.calls[:]
    r = s.run("--ip", IP1)
    assert r.code == 0 and srv.calls == [], r
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.json()["update"]["content"] for c in srv.calls] == [IP2]


def test_force_sends_again(dx, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(dx)])
    assert s.run("--ip", IP1).code == 0
    del dx.calls[:]
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert len(dx.calls) == 1


def test_ttl_in_minutes_and_aaaa(dx, ca, tmp_path):
    dx.dx.add_record(NAME, "AAAA", "2001:db8::1")
    s = Setup(tmp_path, ca, [record(dx, types=["AAAA"], ttl=90)])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert dx.calls[0].json()["update"] == {
        "type": "AAAA", "name": "home", "content": "2001:db8::7", "ttl": 2}
    assert dx.dx.get(NAME, "AAAA") == {"content": "2001:db8::7", "ttl": 2}


def test_free_domain_is_its_own_zone(servers, ca, tmp_path):
    srv = mock_dnsexit.start(servers, tls=ca, domains=("myhost.linkpc.net",))
    srv.dx.add_record("myhost.linkpc.net", "A", "198.51.100.1",
                      domain="myhost.linkpc.net")
    r = record(srv, "myhost.linkpc.net")
    del r["zone"]
    s = Setup(tmp_path, ca, [r])
    res = s.run("--ip", IP1)
    assert res.code == 0, res
    assert srv.calls[0].json() == {"domain": "myhost.linkpc.net", "update": {
        "type": "A", "name": "", "content": IP1}}
    assert srv.dx.get("myhost.linkpc.net", "A",
                      domain="myhost.linkpc.net")["content"] == IP1


def test_wrong_key(dx, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(dx)])
    dx.dx.api_key = "another"
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("dnsexit: %s A: HTTP 200: code 2: API Key Authentication Error "
            "%s" % (NAME, HINT)) in r.err
    assert s.entry()["outcome"] == "auth"


def test_domain_not_in_account(dx, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(dx, "home.example.net",
                                    zone="example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "code 1: Domain example.net is not in your account" in r.err


def test_name_not_in_zone_is_config(dx, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(dx, "home.example.net")])
    r = s.run("--check-config")
    assert r.code == 78, r
    assert "\"home.example.net\" is not inside zone \"example.com\"" in r.err
    r = s.run("--ip", IP1)
    assert r.code == 78 and dx.calls == [], r


@pytest.mark.parametrize("status,code", [(500, 75), (503, 75), (429, 75),
                                         (401, 77)])
def test_http_errors(dx, ca, tmp_path, status, code):
    s = Setup(tmp_path, ca, [record(dx)])
    dx.dx.fail_next(status, headers={"Retry-After": "120"})
    r = s.run("--ip", IP1)
    assert r.code == code, r
    assert "HTTP %d (no DNSExit reply)" % status in r.err


def test_garbage_reply(dx, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(dx)])
    dx.dx.fail_next(200, payload="<html><body>Welcome</body></html>")
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not a DNSExit API reply" in r.err


def test_key_never_printed(dx, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(dx, api_key={"env": "DX_TEST_KEY"})])
    r = s.run("-vv", "--ip", IP1, env={"DX_TEST_KEY": API_KEY})
    assert r.code == 0, r
    assert dx.calls[0].headers["apikey"] == API_KEY
    assert API_KEY not in r.out + r.err
    assert "apikey" in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env={"DX_TEST_KEY": API_KEY + "x"})
    assert r.code == 77, r
    assert API_KEY not in r.out + r.err
