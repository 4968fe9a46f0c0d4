"""The real binary against the stateful Gandi LiveDNS mock, over HTTPS with
the test CA (and plain HTTP once). Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_gandi
from mock_gandi import TOKEN, APIKEY

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
PATH = "/v5/livedns/domains/example.com/records/home/A"


@pytest.fixture
def gn(servers, ca):
    return mock_gandi.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "gandi", "token": TOKEN,
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
        return harness.run(["-c", self.config, "--state", self.state] +
                           list(args), env=env)

    def entry(self, name=NAME, type="A"):
        with open(self.state) as f:
            e = [r for r in json.load(f)["records"]
                 if r["name"] == name and r["type"] == type]
        assert len(e) == 1, e
        return e[0]


def created(tmp_path, srv, ca, **kw):
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    del srv.calls[:]
    return s


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_gandi.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert [(c.method, c.path) for c in srv.calls] == \
        [("GET", PATH), ("PUT", PATH)]
    for c in srv.calls:
        assert c.headers["Authorization"] == "Bearer " + TOKEN
    assert srv.calls[1].headers["Content-Type"] == "application/json"
    assert srv.calls[1].json() == {"rrset_values": [IP1], "rrset_ttl": 300}
    assert srv.gn.rrset("example.com", "home", "A")["rrset_values"] == [IP1]
    assert s.entry()["record_id"] == "example.com/home"


def test_state_hit_makes_no_call(gn, ca, tmp_path):
    s = created(tmp_path, gn, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0 and gn.calls == [], r


def test_address_change_is_one_put(gn, ca, tmp_path):
    s = created(tmp_path, gn, ca, ttl=1800)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [(c.method, c.path) for c in gn.calls] == [("PUT", PATH)]
    assert gn.calls[0].json() == {"rrset_values": [IP2], "rrset_ttl": 1800}
    assert gn.gn.rrset("example.com", "home", "A")["rrset_values"] == [IP2]


def test_force_verifies_without_write(gn, ca, tmp_path):
    s = created(tmp_path, gn, ca)
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert [c.method for c in gn.calls] == ["GET"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_multi_value_set_replaced(gn, ca, tmp_path):
    gn.gn.add_rrset("example.com", "home", "A", ["198.51.100.1",
                                                 "198.51.100.2"])
    s = Setup(tmp_path, ca, [record(gn)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "2 values in the record set; they are replaced with one" in r.err
    assert gn.gn.rrset("example.com", "home", "A")["rrset_values"] == [IP1]


def test_existing_current_with_configured_ttl(gn, ca, tmp_path):
    gn.gn.add_rrset("example.com", "home", "A", [IP1], ttl=10800)
    s = Setup(tmp_path, ca, [record(gn)])
    r = s.run("-u", "--ip", IP1)
    assert r.code == 2, r
    s2 = Setup(tmp_path, ca, [record(gn, ttl=600)])
    del gn.calls[:]
    r = s2.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert [c.method for c in gn.calls] == ["GET", "PUT"]
    assert gn.gn.rrset("example.com", "home", "A")["rrset_ttl"] == 600


def test_apex_and_aaaa(gn, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gn, "example.com", types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert [c.path for c in gn.calls] == \
        ["/v5/livedns/domains/example.com/records/@/AAAA"] * 2
    assert gn.gn.rrset("example.com", "@", "AAAA")["rrset_values"] == \
        ["2001:db8::7"]


def test_legacy_api_key_warns(servers, ca, tmp_path):
    srv = mock_gandi.start(servers, tls=ca, token=None, apikey=APIKEY)
    r = record(srv, api_key=APIKEY)
    del r["token"]
    s = Setup(tmp_path, ca, [r])
    res = s.run("--ip", IP1)
    assert res.code == 0, res
    assert srv.calls[0].headers["Authorization"] == "Apikey " + APIKEY
    assert "api_key (Gandi's API key) is deprecated" in res.err


def test_wrong_token(gn, ca, tmp_path):
    s = created(tmp_path, gn, ca)
    gn.gn.token = "pat_other"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("gandi: %s A: HTTP 401: Unauthorized: The server could not "
            "verify that you authenticated to access the requested URL. "
            "(check token" % NAME) in r.err
    assert s.entry()["address"] == IP1


def test_token_without_permission(gn, ca, tmp_path):
    gn.gn.allowed = {"example.org"}
    s = Setup(tmp_path, ca, [record(gn)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("HTTP 403: Forbidden: Access was denied to this resource. (the "
            "token needs the permission \"Manage domain name technical "
            "configurations\"") in r.err


@pytest.mark.parametrize("header,wait", [(120, 120), (None, 60)])
def test_throttled(gn, ca, tmp_path, header, wait):
    s = created(tmp_path, gn, ca)
    gn.gn.fail_next(429, headers={} if header is None else
                    {"Retry-After": str(header)},
                    payload={"code": 429, "message": "Too Many Requests",
                             "object": "HTTPTooManyRequests",
                             "cause": "Too Many Requests"})
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: Too Many Requests" in r.err
    e = s.entry()
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5


def test_domain_not_in_livedns(gn, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gn, "home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert [c.method for c in gn.calls] == ["GET", "PUT"]
    assert ("HTTP 404: Not Found: The resource could not be found. (is the "
            "domain example.net in this Gandi account and on LiveDNS?")\
        in r.err
    assert s.entry("home.example.net")["hold"]


def test_refused_ttl(gn, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gn, ttl=60)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("HTTP 400: Bad Request [rrset_ttl: 60 is not between 300 and "
            "2592000]") in r.err


def test_garbage_reply(gn, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gn)])
    gn.gn.fail_next(200, payload="<html>Welcome to nginx!</html>",
                    headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not a Gandi API reply" in r.err
    assert len(gn.calls) == 1


def test_not_an_rrset(gn, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gn)])
    gn.gn.fail_next(200, payload={"rrset_name": "home"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: no \"rrset_values\" array in the reply" in r.err


def test_token_never_printed(gn, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gn, token={"env": "GANDI_PAT"})])
    r = s.run("-vv", "--ip", IP1, env={"GANDI_PAT": TOKEN})
    assert r.code == 0, r
    assert "Authorization" in r.err
    assert TOKEN not in r.out and TOKEN not in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env={"GANDI_PAT": TOKEN + "x"})
    assert r.code == 77, r
    assert TOKEN not in r.out and TOKEN not in r.err
    with open(s.state) as f:
        assert TOKEN not in f.read()


def test_no_credentials(gn, ca, tmp_path):
    r = record(gn)
    del r["token"]
    s = Setup(tmp_path, ca, [r])
    assert s.run("--check-config").code == 78
    res = s.run("--ip", IP1)
    assert res.code == 78 and gn.calls == [], res
