"""The real binary against the stateful GoDaddy mock, over HTTPS with the
test CA (and plain HTTP once). Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_godaddy
from mock_godaddy import KEY, SECRET

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
PATH = "/v1/domains/example.com/records/A/home"


@pytest.fixture
def gd(servers, ca):
    return mock_godaddy.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "godaddy", "key": KEY, "secret": SECRET,
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
    srv = mock_godaddy.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert [(c.method, c.path) for c in srv.calls] == \
        [("GET", PATH), ("PUT", PATH)]
    for c in srv.calls:
        assert c.headers["Authorization"] == "sso-key %s:%s" % (KEY, SECRET)
    assert srv.calls[1].headers["Content-Type"] == "application/json"
    assert srv.calls[1].json() == [{"data": IP1, "ttl": 600}]
    assert srv.gd.find("example.com", "home", "A") == \
        [{"data": IP1, "name": "home", "ttl": 600, "type": "A"}]
    e = s.entry()
    assert e["address"] == IP1 and e["record_id"] == "example.com/home"


def test_state_hit_makes_no_call(gd, ca, tmp_path):
    s = created(tmp_path, gd, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0 and gd.calls == [], r
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_address_change_is_one_put(gd, ca, tmp_path):
    s = created(tmp_path, gd, ca, ttl=1200)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [(c.method, c.path) for c in gd.calls] == [("PUT", PATH)]
    assert gd.calls[0].json() == [{"data": IP2, "ttl": 1200}]
    assert gd.gd.find("example.com", "home", "A")[0]["data"] == IP2


def test_force_verifies_without_write(gd, ca, tmp_path):
    s = created(tmp_path, gd, ca)
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert [c.method for c in gd.calls] == ["GET"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_current_record_not_written(gd, ca, tmp_path):
    gd.gd.add_record("example.com", "home", "A", IP1, ttl=3600)
    s = Setup(tmp_path, ca, [record(gd)])
    r = s.run("-u", "--ip", IP1)
    assert r.code == 2, r
    assert [c.method for c in gd.calls] == ["GET"]
    assert s.entry()["record_id"] == "example.com/home"


def test_duplicates_replaced_with_warning(gd, ca, tmp_path):
    gd.gd.add_record("example.com", "home", "A", "198.51.100.1")
    gd.gd.add_record("example.com", "home", "A", "198.51.100.2")
    s = Setup(tmp_path, ca, [record(gd)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "2 records of that name and type; GoDaddy replaces them all " \
        "with one" in r.err
    assert [x["data"] for x in gd.gd.find("example.com", "home", "A")] == \
        [IP1]


def test_apex_and_aaaa(gd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gd, "example.com", zone="example.com",
                                    types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert [c.path for c in gd.calls] == \
        ["/v1/domains/example.com/records/AAAA/@"] * 2
    assert gd.gd.find("example.com", "@", "AAAA")[0]["data"] == \
        "2001:db8::7"
    assert s.entry("example.com", "AAAA")["record_id"] == "example.com/@"


def test_configured_zone_deeper(servers, ca, tmp_path):
    srv = mock_godaddy.start(servers, tls=ca, domains=("example.co.uk",))
    s = Setup(tmp_path, ca, [record(srv, "a.b.example.co.uk",
                                    zone="example.co.uk")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert srv.calls[0].path == "/v1/domains/example.co.uk/records/A/a.b"


def test_wrong_secret(gd, ca, tmp_path):
    s = created(tmp_path, gd, ca)
    gd.gd.secret = "another"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("godaddy: %s A: HTTP 401: UNABLE_TO_AUTHENTICATE: Unauthorized "
            ": Could not authenticate API key/secret (check key and secret"
            % NAME) in r.err
    assert s.entry()["address"] == IP1


def test_account_not_allowed(gd, ca, tmp_path):
    gd.gd.restricted = True
    s = Setup(tmp_path, ca, [record(gd)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("HTTP 403: ACCESS_DENIED: Authenticated user is not allowed "
            "access (GoDaddy has limited its production Domains and DNS "
            "API, since 2024, to accounts with 10 or more domains or a "
            "Discount Domain Club plan") in r.err


@pytest.mark.parametrize("body,header,wait", [(45, None, 45), (30, 120, 120),
                                              (None, None, 60)])
def test_throttled(gd, ca, tmp_path, body, header, wait):
    s = created(tmp_path, gd, ca)
    if body is None:
        gd.gd.fail_next(429, payload={"code": "TOO_MANY_REQUESTS",
                                      "message": "slow down"})
    else:
        gd.gd.throttle(retry_after_sec=body, header=header)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: TOO_MANY_REQUESTS" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5


def test_domain_not_in_account(gd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gd, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("HTTP 404: UNKNOWN_DOMAIN: The given domain is not registered, "
            "or does not have a zone file (is the domain in this GoDaddy "
            "account?") in r.err
    assert s.entry("home.example.net")["hold"]


def test_refused_ttl(gd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gd, ttl=300)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("HTTP 422: INVALID_BODY: Request body doesn't fulfill schema, "
            "see details in `fields` [records[0].ttl: must be between 600 "
            "and 604800]") in r.err


def test_garbage_reply(gd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gd)])
    gd.gd.fail_next(200, payload="<html>Welcome to nginx!</html>",
                    headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not a GoDaddy API reply" in r.err
    assert [c.method for c in gd.calls] == ["GET"]


def test_not_an_array(gd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gd)])
    gd.gd.fail_next(200, payload={"records": []})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: the record list is not a JSON array" in r.err


def test_server_error_is_temporary(gd, ca, tmp_path):
    s = created(tmp_path, gd, ca)
    gd.gd.fail_next(503)
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 503: INTERNAL_SERVER_ERROR" in r.err
    assert s.run("--ip", IP2).code == 0


def test_secrets_never_printed(gd, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(gd, key={"env": "GD_KEY"},
                                    secret={"env": "GD_SECRET"})])
    env = {"GD_KEY": KEY, "GD_SECRET": SECRET}
    r = s.run("-vv", "--ip", IP1, env=env)
    assert r.code == 0, r
    assert "Authorization" in r.err
    for v in (KEY, SECRET):
        assert v not in r.out and v not in r.err
    gd.gd.secret = "changed"
    r = s.run("-vv", "--ip", IP2, env=env)
    assert r.code == 77, r
    for v in (KEY, SECRET):
        assert v not in r.out and v not in r.err
    with open(s.state) as f:
        text = f.read()
    assert KEY not in text and SECRET not in text


def test_missing_secret(gd, ca, tmp_path):
    r = record(gd)
    del r["secret"]
    s = Setup(tmp_path, ca, [r])
    assert s.run("--check-config").code == 78
    res = s.run("--ip", IP1)
    assert res.code == 78 and gd.calls == [], res
