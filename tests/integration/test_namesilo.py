"""The real binary against the stateful NameSilo mock, over HTTPS with the
test CA (and plain HTTP once). Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_namesilo
from mock_namesilo import KEY

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
WRITES = ("dnsAddRecord", "dnsUpdateRecord")


@pytest.fixture
def ns(servers, ca):
    return mock_namesilo.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "namesilo", "key": KEY,
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

    def run(self, *args, env=None):
        r = harness.run(["-c", self.config, "--state", self.state] +
                        list(args), env=env)
        # The key travels in the URL: never shown, never stored.
        assert KEY not in r.out and KEY not in r.err, r
        try:
            with open(self.state) as f:
                assert KEY not in f.read()
        except FileNotFoundError:
            pass
        return r

    def entry(self, name=NAME, type="A"):
        with open(self.state) as f:
            e = [r for r in json.load(f)["records"]
                 if r["name"] == name and r["type"] == type]
        assert len(e) == 1, e
        return e[0]


def ops(srv):
    return [c.path.rsplit("/", 1)[-1] for c in srv.calls]


def q(call):
    return {k: v[-1] for k, v in call.query.items()}


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_namesilo.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert ops(srv) == ["dnsListRecords", "dnsAddRecord"]
    assert q(srv.calls[0]) == {"version": "1", "type": "json", "key": KEY,
                               "domain": "example.com"}
    assert q(srv.calls[1]) == {"version": "1", "type": "json", "key": KEY,
                               "domain": "example.com", "rrtype": "A",
                               "rrhost": "home", "rrvalue": IP1}
    recs = srv.ns.find("example.com", NAME, "A")
    assert len(recs) == 1 and recs[0]["value"] == IP1
    assert s.entry()["record_id"] == "example.com/%s/7207" % \
        recs[0]["record_id"]


def test_unchanged_update_force(ns, ca, tmp_path):
    rid = ns.ns.add_record("example.com", "home", "A", "198.51.100.1",
                           ttl=3600)
    s = Setup(tmp_path, ca, [record(ns)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert ops(ns) == ["dnsListRecords", "dnsUpdateRecord"]
    # The TTL is sent so NameSilo does not reset it to 7207.
    assert q(ns.calls[1])["rrid"] == rid
    assert q(ns.calls[1])["rrttl"] == "3600"
    assert q(ns.calls[1])["rrhost"] == "home"
    new = ns.ns.find("example.com", NAME, "A")[0]
    assert new["ttl"] == "3600" and new["record_id"] != rid
    assert s.entry()["record_id"] == "example.com/%s/3600" % new["record_id"]
    # Unchanged: no call.
    del ns.calls[:]
    r = s.run("--ip", IP1)
    assert r.code == 0 and ns.calls == [], r
    # A change: one call through the stored (new) id.
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert ops(ns) == ["dnsUpdateRecord"]
    assert q(ns.calls[0])["rrid"] == new["record_id"]
    assert q(ns.calls[0])["rrttl"] == "3600"
    cur = ns.ns.find("example.com", NAME, "A")
    assert len(cur) == 1 and cur[0]["value"] == IP2
    assert s.entry()["record_id"] == "example.com/%s/3600" % \
        cur[0]["record_id"]
    # --force: look, do not write.
    del ns.calls[:]
    r = s.run("-f", "--ip", IP2)
    assert r.code == 0, r
    assert ops(ns) == ["dnsListRecords"]
    assert r.out == "%s A %s current\n" % (NAME, IP2)


def test_stored_id_gone(ns, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ns)])
    assert s.run("--ip", IP1).code == 0
    ns.ns.domains["example.com"].clear()
    del ns.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert ops(ns) == ["dnsUpdateRecord", "dnsListRecords", "dnsAddRecord"]
    assert ns.ns.find("example.com", NAME, "A")[0]["value"] == IP2


def test_apex_aaaa_and_one_listing(ns, ca, tmp_path):
    ns.ns.add_record("example.com", "www", "A", "198.51.100.1")
    s = Setup(tmp_path, ca, [
        record(ns, "example.com", zone="example.com", types=["AAAA"],
               ttl=3600),
        record(ns, "nas.example.com", types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert ops(ns).count("dnsListRecords") == 1
    adds = [q(c) for c in ns.calls if c.path.endswith("dnsAddRecord")]
    assert sorted((a["rrhost"], a["rrtype"], a.get("rrttl")) for a in adds) \
        == [("", "AAAA", "3600"), ("nas", "AAAA", None)]
    assert ns.ns.find("example.com", "example.com", "AAAA")[0]["value"] \
        == "2001:db8::7"


def test_wrong_key(ns, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ns)])
    assert s.run("--ip", IP1).code == 0
    ns.ns.key = "0" * 24
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("namesilo: %s A: dnsUpdateRecord: code 110: Invalid API Key "
            "(check key: an API key from the account's API Manager page"
            % NAME) in r.err
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"


def test_domain_not_in_account(ns, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ns, "home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("dnsListRecords: code 200: Domain is not active, or does not "
            "belong to this user") in r.err
    assert s.entry(name="home.example.net")["hold"]


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 60)])
def test_throttled(ns, ca, tmp_path, retry_after, wait):
    s = Setup(tmp_path, ca, [record(ns)])
    assert s.run("--ip", IP1).code == 0
    ns.ns.fail_next(429, headers={"Retry-After": str(retry_after)}
                    if retry_after else {}, payload="Too Many Requests")
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del ns.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75 and ns.calls == [], r


def test_busy_is_temporary(ns, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ns)])
    ns.ns.fail_next(200, payload={"reply": {
        "code": 400, "detail": "Existing API request is still processing"}})
    r = s.run("--ip", IP1)
    assert r.code == 75, r
    assert "code 400: Existing API request is still processing" in r.err


def test_garbage_reply(ns, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ns)])
    ns.ns.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                    "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "dnsListRecords: HTTP 200: not a NameSilo reply" in r.err
    assert [o for o in ops(ns) if o in WRITES] == []


def test_key_never_printed(ns, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ns, key={"env": "NS_TEST_KEY"})])
    r = s.run("-vv", "--ip", IP1, env={"NS_TEST_KEY": KEY})
    assert r.code == 0, r
    assert q(ns.calls[0])["key"] == KEY
    assert "dnsListRecords?" in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env={"NS_TEST_KEY": KEY + "x"})
    assert r.code == 77, r


def test_no_key(ns, ca, tmp_path):
    rec = record(ns)
    del rec["key"]
    s = Setup(tmp_path, ca, [rec])
    assert s.run("--check-config").code == 78
    r = s.run("--ip", IP1)
    assert r.code == 78 and ns.calls == [], r
