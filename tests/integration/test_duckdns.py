"""The real binary against a loopback DuckDNS (mock_duckdns)."""
import json
import os

import pytest

import harness
from mock_duckdns import DuckHandler, duck_state

TOKEN = "a7c4d0ad-114e-40ef-ba1d-d217904a50f2"
IP = "203.0.113.7"
IP6 = "2001:db8::7"


class Env:
    def __init__(self, tmp_path, servers, tls=None):
        self.srv = servers(DuckHandler, tls=tls)
        self.srv.state.update(duck_state(TOKEN))
        self.cfg = str(tmp_path / "ddnsup.json")
        self.state = str(tmp_path / "state.json")
        self.top = {}
        self.rec = {"name": "home.duckdns.org", "provider": "duckdns",
                    "token": TOKEN, "endpoint": self.srv.url}

    def run(self, *args, ip=(IP,), env=None):
        harness.write_config(self.cfg, dict(self.top, records=[self.rec]))
        a = ["-c", self.cfg, "--state", self.state]
        for i in ip:
            a += ["--ip", i]
        r = harness.run(a + list(args), env=env)
        # The token travels in the URL: it must never be shown or stored.
        assert TOKEN not in r.out and TOKEN not in r.err, r
        if os.path.exists(self.state):
            with open(self.state) as f:
                assert TOKEN not in f.read()
        return r

    def entry(self, rtype="A"):
        with open(self.state) as f:
            st = json.load(f)
        for e in st["records"]:
            if e["type"] == rtype:
                return e
        raise KeyError(rtype)

    @property
    def calls(self):
        return self.srv.calls


@pytest.fixture
def duck(tmp_path, servers):
    return Env(tmp_path, servers)


def test_update_current_force(duck):
    r = duck.run("-vv")
    assert r.code == 0, r
    assert "home.duckdns.org A %s updated" % IP in r.out
    assert len(duck.calls) == 1
    c = duck.calls[0]
    assert c.path == "/update"
    assert c.query == {"domains": ["home"], "token": [TOKEN], "ip": [IP],
                       "verbose": ["true"]}
    assert duck.srv.state["domains"]["home"]["ip"] == IP
    assert duck.entry()["address"] == IP

    r = duck.run()
    assert r.code == 0 and "current" in r.out, r
    assert len(duck.calls) == 1

    # Forced: DuckDNS says NOCHANGE, which is "current".
    r = duck.run("--force")
    assert r.code == 0, r
    assert "home.duckdns.org A %s current" % IP in r.out
    assert len(duck.calls) == 2


def test_aaaa(duck):
    duck.rec["types"] = ["AAAA"]
    r = duck.run(ip=(IP6,))
    assert r.code == 0, r
    q = duck.calls[0].query
    assert q["ipv6"] == [IP6] and "ip" not in q
    assert duck.srv.state["domains"]["home"]["ipv6"] == IP6


def test_bare_subdomain_name(duck):
    duck.rec["name"] = "home"
    r = duck.run()
    assert r.code == 0, r
    assert duck.calls[0].query["domains"] == ["home"]


def test_wrong_token_ko_holds(duck):
    duck.rec["token"] = "00000000-0000-0000-0000-000000000000"
    r = duck.run("-vv")
    assert r.code == 77, r
    assert "KO" in r.err
    assert "00000000-0000-0000-0000-000000000000" not in r.err
    assert duck.entry()["hold"] is True
    r = duck.run()
    assert r.code == 77, r
    assert len(duck.calls) == 1

    duck.rec["token"] = TOKEN
    assert duck.run().code == 0
    assert len(duck.calls) == 2


def test_token_from_env(duck):
    duck.rec["token"] = {"env": "DUCK_TEST_TOKEN"}
    r = duck.run("-vv", env={"DUCK_TEST_TOKEN": TOKEN})
    assert r.code == 0, r


def test_not_a_duckdns_name(duck):
    duck.rec["name"] = "home.example.com"
    r = duck.run()
    assert r.code == 78, r
    assert "duckdns.org" in r.err
    assert len(duck.calls) == 0


def test_https_with_test_ca(tmp_path, servers, ca):
    duck = Env(tmp_path, servers, tls=ca)
    duck.top["cafile"] = ca.ca
    r = duck.run("-vv")
    assert r.code == 0, r
