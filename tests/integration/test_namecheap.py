"""The real binary against the stateful Namecheap Dynamic DNS mock, over
HTTPS with the test CA (and plain HTTP once). Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_namecheap
from mock_namecheap import PASSWORD

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"


@pytest.fixture
def nc(servers, ca):
    return mock_namecheap.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "namecheap", "password": PASSWORD,
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
        r = harness.run(["-c", self.config, "--state", self.state] +
                        list(args), env=env)
        # The password travels in the URL: never shown, never stored.
        assert PASSWORD not in r.out and PASSWORD not in r.err, r
        try:
            with open(self.state) as f:
                assert PASSWORD not in f.read()
        except FileNotFoundError:
            pass
        return r

    def entry(self, name=NAME, type="A"):
        with open(self.state) as f:
            e = [r for r in json.load(f)["records"]
                 if r["name"] == name and r["type"] == type]
        assert len(e) == 1, e
        return e[0]


def q(call):
    return {k: v[-1] for k, v in call.query.items()}


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_update(servers, ca, tmp_path, scheme):
    srv = mock_namecheap.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert len(srv.calls) == 1
    c = srv.calls[0]
    assert (c.method, c.path) == ("GET", "/update")
    assert q(c) == {"host": "home", "domain": "example.com",
                    "password": PASSWORD, "ip": IP1}
    assert srv.nc.held("example.com", "home") == IP1
    e = s.entry()
    assert e["address"] == IP1 and e["record_id"] == "example.com/home"


def test_unchanged_then_change_then_force(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc)])
    assert s.run("--ip", IP1).code == 0
    del nc.calls[:]
    r = s.run("--ip", IP1)
    assert r.code == 0 and nc.calls == [], r
    assert r.out == "%s A %s current\n" % (NAME, IP1)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [q(c)["ip"] for c in nc.calls] == [IP2]
    assert nc.nc.held("example.com", "home") == IP2
    # --force: the API cannot be read, so it is one update call.
    del nc.calls[:]
    r = s.run("-f", "--ip", IP2)
    assert r.code == 0, r
    assert len(nc.calls) == 1 and q(nc.calls[0])["ip"] == IP2


def test_apex_and_zone(nc, ca, tmp_path):
    nc.nc.add_domain("example.co.uk", hosts=("@", "nas"))
    s = Setup(tmp_path, ca, [record(nc, "example.co.uk", zone="example.co.uk"),
                             record(nc, "nas.example.co.uk",
                                    zone="example.co.uk")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    got = sorted((q(c)["host"], q(c)["domain"]) for c in nc.calls)
    assert got == [("@", "example.co.uk"), ("nas", "example.co.uk")]
    assert nc.nc.held("example.co.uk", "@") == IP1


def test_aaaa_refused_before_any_call(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc, types=["AAAA"])])
    r = s.run("--check-config")
    assert r.code == 78, r
    assert "A records only" in r.err
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 78, r
    assert nc.calls == []


def test_host_missing_is_config(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc, "www.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("namecheap: www.example.com A: Namecheap refused the update: "
            "No Records updated. A record not Found; (response 380091) "
            "(add the host as an \"A + Dynamic DNS Record\"") in r.err
    assert s.entry(name="www.example.com")["hold"]


def test_wrong_password(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc)])
    assert s.run("--ip", IP1).code == 0
    nc.nc.domains["example.com"]["password"] = "f" * 32
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("Namecheap refused the update: Passwords do not match "
            "(response 304156) (check password: the Dynamic DNS password "
            "from the domain's Advanced DNS page") in r.err
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"


def test_domain_not_found(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc, "home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "Domain name not found (response 316153)" in r.err
    assert s.entry(name="home.example.net")["hold"]


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 60)])
def test_throttled(nc, ca, tmp_path, retry_after, wait):
    s = Setup(tmp_path, ca, [record(nc)])
    assert s.run("--ip", IP1).code == 0
    nc.nc.fail_next(429, headers={"Retry-After": str(retry_after)}
                    if retry_after else {}, payload="Too Many Requests")
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: Too Many Requests" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del nc.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75 and nc.calls == [], r


def test_garbage_reply(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc)])
    nc.nc.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                    "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert ("HTTP 200: not a Namecheap reply (not an <interface-response>)"
            in r.err)


def test_password_never_printed(nc, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(nc, password={"env": "NC_TEST_PASS"})])
    r = s.run("-vv", "--ip", IP1, env={"NC_TEST_PASS": PASSWORD})
    assert r.code == 0, r
    assert q(nc.calls[0])["password"] == PASSWORD
    assert "/update?" in r.err          # the -vv dump was there
    r = s.run("-vv", "-f", "--ip", IP2, env={"NC_TEST_PASS": PASSWORD + "x"})
    assert r.code == 77, r


def test_no_password(nc, ca, tmp_path):
    rec = record(nc)
    del rec["password"]
    s = Setup(tmp_path, ca, [rec])
    assert s.run("--check-config").code == 78
    r = s.run("--ip", IP1)
    assert r.code == 78 and nc.calls == [], r
