"""The real binary against the stateful Scaleway Domains and DNS mock,
over HTTPS with the test CA (and plain HTTP once)."""
import json
import time

import pytest

import harness
import mock_scaleway
from mock_scaleway import SECRET

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
ZP = "/domain/v2beta1/dns-zones"


@pytest.fixture
def scw(servers, ca):
    return mock_scaleway.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "scaleway", "secret_key": SECRET,
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


def writes(srv):
    return [c for c in srv.calls if c.method != "GET"]


def created(tmp_path, srv, ca, ip=IP1, **kw):
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_scaleway.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    got = [(c.method, c.path, c.query) for c in srv.calls]
    assert got == [
        ("GET", ZP, {"dns_zone": [NAME]}),
        ("GET", ZP, {"dns_zone": ["example.com"]}),
        ("GET", ZP + "/example.com/records",
         {"name": ["home"], "type": ["A"], "page_size": ["100"]}),
        ("PATCH", ZP + "/example.com/records", {}),
    ]
    for c in srv.calls:
        assert c.headers["X-Auth-Token"] == SECRET
    assert srv.calls[-1].json() == {
        "changes": [{"add": {"records": [{
            "name": "home", "type": "A", "data": IP1, "ttl": 3600,
            "priority": 0}]}}],
        "return_all_records": False, "disallow_new_zone_creation": True}
    recs = srv.scw.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["data"] == IP1
    assert s.entry()["record_id"] == "example.com/%s/3600" % recs[0]["id"]


def test_state_hit_makes_no_call(scw, ca, tmp_path):
    s = created(tmp_path, scw, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0 and scw.calls == [], r


def test_address_change_is_one_patch_keeping_ttl(scw, ca, tmp_path):
    rid = scw.scw.add_record("example.com", "home", "A", "198.51.100.1",
                             ttl=120)
    s = created(tmp_path, scw, ca)
    assert scw.scw.records[rid]["ttl"] == 120
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [(c.method, c.path) for c in scw.calls] == \
        [("PATCH", ZP + "/example.com/records")]
    assert scw.calls[0].json()["changes"] == [{"set": {
        "id": rid, "records": [{"name": "home", "type": "A", "data": IP2,
                                "ttl": 120, "priority": 0}]}}]
    assert scw.scw.records[rid]["data"] == IP2
    assert scw.scw.records[rid]["ttl"] == 120


def test_record_deleted_by_hand(scw, ca, tmp_path):
    s = created(tmp_path, scw, ca, zone="example.com")
    scw.scw.delete_record(scw.scw.find("example.com", "home", "A")[0]["id"])
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in scw.calls] == ["PATCH", "GET", "GET", "PATCH"]
    recs = scw.scw.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["data"] == IP2


def test_force_verifies_without_writing(scw, ca, tmp_path):
    s = created(tmp_path, scw, ca, zone="example.com")
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert writes(scw) == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_configured_ttl_applied(scw, ca, tmp_path):
    rid = scw.scw.add_record("example.com", "home", "A", IP1, ttl=3600)
    s = Setup(tmp_path, ca, [record(scw, ttl=300)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert len(writes(scw)) == 1
    assert scw.scw.records[rid]["ttl"] == 300


def test_apex_aaaa_in_subzone(servers, ca, tmp_path):
    srv = mock_scaleway.start(servers, tls=ca)
    srv.scw.add_zone("lab.example.com", subdomain="lab")
    s = Setup(tmp_path, ca, [record(srv, "lab.example.com",
                                    types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    recs = srv.scw.find("lab.example.com", "", "AAAA")
    assert len(recs) == 1 and recs[0]["data"] == "2001:db8::7"
    assert srv.scw.find("example.com", "lab", "AAAA") == []
    del srv.calls[:]
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0 and srv.calls == [], r


def test_wrong_key(scw, ca, tmp_path):
    s = created(tmp_path, scw, ca)
    scw.scw.secret = "99999999-2222-4333-8444-555555555555"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("scaleway: %s A: HTTP 401: denied_authentication: "
            "authentication is denied (check secret_key" % NAME) in r.err
    assert s.entry()["address"] == IP1


def test_missing_write_right(servers, ca, tmp_path):
    srv = mock_scaleway.start(servers, tls=ca, rights=("read",))
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("HTTP 403: permissions_denied: insufficient permissions "
            "[dns_zone:write] (the API key's IAM policy needs the "
            "DomainsDNSFullAccess") in r.err


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 60)])
def test_throttled(scw, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, scw, ca)
    scw.scw.throttle(count=1, retry_after=retry_after)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: too_many_requests" in r.err
    e = s.entry()
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5


def test_zone_not_in_account(scw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(scw, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no Scaleway DNS zone for home.example.net (tried "
            "home.example.net, example.net;") in r.err
    assert writes(scw) == [] and scw.scw.created_zones == []
    assert s.entry(name="home.example.net")["hold"]


def test_garbage_reply(scw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(scw, zone="example.com")])
    scw.scw.fail_next(200, payload="<html>maintenance</html>")
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not a Scaleway API reply" in r.err
    assert writes(scw) == []


def test_secret_never_printed(scw, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(scw, secret_key={"env": "SCW_T"})])
    r = s.run("-vv", "--ip", IP1, env={"SCW_T": SECRET})
    assert r.code == 0, r
    assert "X-Auth-Token" in r.err
    assert SECRET not in r.out and SECRET not in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env={"SCW_T": SECRET + "x"})
    assert r.code == 77, r
    assert SECRET not in r.out and SECRET not in r.err
