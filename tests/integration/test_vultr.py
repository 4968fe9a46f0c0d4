"""The real binary against the stateful Vultr mock, over HTTPS with the
test CA (and plain HTTP once). Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_vultr
from mock_vultr import API_KEY

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
WRITES = ("POST", "PATCH", "PUT", "DELETE")


@pytest.fixture
def vu(servers, ca):
    return mock_vultr.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "vultr", "api_key": API_KEY,
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
        assert API_KEY not in r.out and API_KEY not in r.err, r
        return r

    def entry(self, name=NAME, type="A"):
        with open(self.state) as f:
            e = [r for r in json.load(f)["records"]
                 if r["name"] == name and r["type"] == type]
        assert len(e) == 1, e
        return e[0]


def writes(srv):
    return [c for c in srv.calls if c.method in WRITES]


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_vultr.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    got = [(c.method, c.path, c.query) for c in srv.calls]
    assert got == [
        ("GET", "/v2/domains/home.example.com", {}),
        ("GET", "/v2/domains/example.com", {}),
        ("GET", "/v2/domains/example.com/records", {"per_page": ["500"]}),
        ("POST", "/v2/domains/example.com/records", {}),
    ]
    for c in srv.calls:
        assert c.headers["Authorization"] == "Bearer " + API_KEY
    assert srv.calls[-1].json() == {"name": "home", "type": "A",
                                    "data": IP1}
    recs = srv.vu.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["data"] == IP1
    assert s.entry()["record_id"] == "example.com/" + recs[0]["id"]


def test_unchanged_update_force(vu, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vu)])
    assert s.run("--ip", IP1).code == 0
    rid = vu.vu.find("example.com", "home", "A")[0]["id"]
    del vu.calls[:]
    r = s.run("--ip", IP1)
    assert r.code == 0 and vu.calls == [], r
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [(c.method, c.path) for c in vu.calls] == \
        [("PATCH", "/v2/domains/example.com/records/" + rid)]
    assert vu.calls[0].json() == {"data": IP2}
    assert vu.vu.domains["example.com"][rid]["data"] == IP2
    del vu.calls[:]
    r = s.run("-f", "--ip", IP2)
    assert r.code == 0, r
    assert writes(vu) == []
    assert r.out == "%s A %s current\n" % (NAME, IP2)


def test_paged_listing_and_ttl(vu, ca, tmp_path):
    for i in range(5):
        vu.vu.add_record("example.com", "n%d" % i, "A", "198.51.100.%d" % i)
    rid = vu.vu.add_record("example.com", "home", "A", "198.51.100.9",
                           ttl=120)
    vu.vu.page_max = 2
    s = Setup(tmp_path, ca, [record(vu, zone="example.com", ttl=600)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    pages = [c for c in vu.calls if c.path.endswith("/records")
             and c.method == "GET"]
    assert len(pages) == 3
    assert [c.json() for c in writes(vu)] == [{"data": IP1, "ttl": 600}]
    assert vu.vu.domains["example.com"][rid]["ttl"] == 600


def test_record_deleted_by_hand(vu, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vu, zone="example.com")])
    assert s.run("--ip", IP1).code == 0
    vu.vu.domains["example.com"].clear()
    del vu.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in vu.calls] == ["PATCH", "GET", "GET", "POST"]
    assert vu.vu.find("example.com", "home", "A")[0]["data"] == IP2


def test_apex_aaaa(vu, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vu, "example.com", types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert writes(vu)[0].json() == {"name": "", "type": "AAAA",
                                    "data": "2001:db8::7"}
    assert vu.vu.find("example.com", "", "AAAA")[0]["data"] == "2001:db8::7"


def test_wrong_key(vu, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vu)])
    assert s.run("--ip", IP1).code == 0
    vu.vu.key = "another"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("vultr: %s A: HTTP 401: Invalid API token. (check api_key"
            % NAME) in r.err
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"


def test_address_not_allowed(vu, ca, tmp_path):
    vu.vu.allowed = {"192.0.2.1"}
    s = Setup(tmp_path, ca, [record(vu)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "HTTP 401: Unauthorized IP address: 127.0.0.1" in r.err
    assert "API Access Control allows this host's address" in r.err


def test_zone_missing(vu, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vu, "home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no Vultr domain for home.example.net (tried home.example.net, "
            "example.net;") in r.err
    assert writes(vu) == []
    assert s.entry(name="home.example.net")["hold"]


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 60)])
def test_throttled(vu, ca, tmp_path, retry_after, wait):
    s = Setup(tmp_path, ca, [record(vu)])
    assert s.run("--ip", IP1).code == 0
    vu.vu.fail_next(429, headers={"Retry-After": str(retry_after)}
                    if retry_after else {})
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: Rate limit reached" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del vu.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75 and vu.calls == [], r


def test_garbage_reply(vu, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vu)])
    vu.vu.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                    "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not a Vultr API reply" in r.err
    assert writes(vu) == []


def test_refused_value_is_config(vu, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vu)])
    assert s.run("--ip", IP1).code == 0
    vu.vu.fail_next(400, payload={"error": "Invalid data for type A",
                                  "status": 400})
    r = s.run("--ip", IP2)
    assert r.code == 78, r
    assert "vultr: %s A: HTTP 400: Invalid data for type A" % NAME in r.err
    assert s.entry()["hold"]


def test_key_never_printed(vu, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(vu, api_key={"env": "VU_TEST_KEY"})])
    r = s.run("-vv", "--ip", IP1, env={"VU_TEST_KEY": API_KEY})
    assert r.code == 0, r
    assert vu.calls[0].headers["Authorization"] == "Bearer " + API_KEY
    assert "Authorization" in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env={"VU_TEST_KEY": API_KEY + "x"})
    assert r.code == 77, r
    with open(s.state) as f:
        assert API_KEY not in f.read()


def test_no_key(vu, ca, tmp_path):
    rec = record(vu)
    del rec["api_key"]
    s = Setup(tmp_path, ca, [rec])
    assert s.run("--check-config").code == 78
    r = s.run("--ip", IP1)
    assert r.code == 78 and vu.calls == [], r
