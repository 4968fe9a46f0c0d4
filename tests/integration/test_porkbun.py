"""The real binary against the stateful Porkbun mock, over HTTPS with the
test CA (and plain HTTP once). Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_porkbun
from mock_porkbun import APIKEY, SECRET

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
P = "/api/json/v3/dns/"


@pytest.fixture
def pb(servers, ca):
    return mock_porkbun.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "porkbun", "api_key": APIKEY,
         "secret_api_key": SECRET, "endpoint": srv.endpoint}
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
    srv = mock_porkbun.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    assert [(c.method, c.path) for c in srv.calls] == [
        ("POST", P + "retrieveByNameType/example.com/A/home"),
        ("POST", P + "create/example.com")]
    assert srv.calls[0].json() == {"secretapikey": SECRET, "apikey": APIKEY}
    assert srv.calls[1].json() == {"secretapikey": SECRET, "apikey": APIKEY,
                                   "name": "home", "type": "A",
                                   "content": IP1, "ttl": "600"}
    for c in srv.calls:
        assert c.headers["Content-Type"] == "application/json"
    recs = srv.pb.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["content"] == IP1
    assert s.entry()["record_id"] == "example.com/" + recs[0]["id"]


def test_state_hit_makes_no_call(pb, ca, tmp_path):
    s = created(tmp_path, pb, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0 and pb.calls == [], r


def test_address_change_is_one_edit(pb, ca, tmp_path):
    s = created(tmp_path, pb, ca, ttl=1200)
    rid = pb.pb.find("example.com", "home", "A")[0]["id"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [c.path for c in pb.calls] == [P + "edit/example.com/" + rid]
    assert pb.calls[0].json() == {"secretapikey": SECRET, "apikey": APIKEY,
                                  "name": "home", "type": "A",
                                  "content": IP2, "ttl": "1200"}
    assert pb.pb.record("example.com", rid)["content"] == IP2


def test_record_deleted_by_hand(pb, ca, tmp_path):
    s = created(tmp_path, pb, ca)
    old = pb.pb.find("example.com", "home", "A")[0]["id"]
    pb.pb.delete("example.com", old)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.path.split("/")[5] for c in pb.calls] == \
        ["edit", "retrieveByNameType", "create"]
    recs = pb.pb.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["content"] == IP2
    assert s.entry()["record_id"] == "example.com/" + recs[0]["id"]


def test_force_verifies_without_write(pb, ca, tmp_path):
    s = created(tmp_path, pb, ca)
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert [c.path.split("/")[5] for c in pb.calls] == ["retrieveByNameType"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_record_edited_by_id(pb, ca, tmp_path):
    a = pb.pb.add_record("example.com", "home", "A", "198.51.100.1")
    b = pb.pb.add_record("example.com", "home", "A", "198.51.100.2")
    s = Setup(tmp_path, ca, [record(pb)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "2 records of that name and type; updating %s only" % a in r.err
    assert pb.calls[-1].path == P + "edit/example.com/" + a
    assert pb.pb.record("example.com", a)["content"] == IP1
    assert pb.pb.record("example.com", b)["content"] == "198.51.100.2"


def test_apex_and_aaaa(pb, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(pb, "example.com", types=["AAAA"])])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert [c.path for c in pb.calls] == [
        P + "retrieveByNameType/example.com/AAAA", P + "create/example.com"]
    assert pb.calls[1].json()["name"] == ""
    recs = pb.pb.find("example.com", "", "AAAA")
    assert len(recs) == 1 and recs[0]["content"] == "2001:db8::7"


def test_wrong_key(pb, ca, tmp_path):
    s = created(tmp_path, pb, ca)
    pb.pb.secret = "sk1_other"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("porkbun: %s A: dns/edit/example.com/" % NAME) in r.err
    assert ("HTTP 400: Invalid API key. (002) (check api_key and "
            "secret_api_key") in r.err
    assert s.entry()["address"] == IP1


def test_api_access_off(pb, ca, tmp_path):
    pb.pb.api_access["example.com"] = False
    s = Setup(tmp_path, ca, [record(pb)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("HTTP 400: Domain is not opted in to API access. (turn on API "
            "ACCESS for this domain in Porkbun's Domain Management page")\
        in r.err
    assert s.entry()["hold"]


def test_domain_not_in_account(pb, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(pb, "home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert "HTTP 400: Invalid domain. (is the domain in this Porkbun " \
        "account?" in r.err
    assert s.entry("home.example.net")["hold"]


@pytest.mark.parametrize("status,header,wait", [(429, 120, 120),
                                                (503, None, 60)])
def test_throttled(pb, ca, tmp_path, status, header, wait):
    s = created(tmp_path, pb, ca)
    pb.pb.fail_next(status, headers={} if header is None else
                    {"Retry-After": str(header)},
                    payload={"status": "ERROR",
                             "message": "Rate limit exceeded."})
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP %d: Rate limit exceeded." % status in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5


def test_old_host_html_403(pb, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(pb)])
    pb.pb.fail_next(403, payload="<html><body><h1>403 Forbidden</h1>"
                    "</body></html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "HTTP 403 (not a Porkbun API reply: is endpoint the " \
        "api.porkbun.com host?)" in r.err


def test_garbage_reply(pb, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(pb)])
    pb.pb.fail_next(200, payload="<html>Welcome to nginx!</html>",
                    headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not a Porkbun API reply" in r.err
    assert len(pb.calls) == 1


def test_reply_without_records(pb, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(pb)])
    pb.pb.fail_next(200, payload={"status": "SUCCESS"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "no \"records\" array in the reply" in r.err


def test_small_ttl_raised(pb, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(pb, ttl=60)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert pb.calls[-1].json()["ttl"] == "600"
    del pb.calls[:]
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0 and len(pb.calls) == 1, r


def test_secrets_never_printed(pb, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(pb, api_key={"env": "PB_KEY"},
                                    secret_api_key={"env": "PB_SECRET"})])
    env = {"PB_KEY": APIKEY, "PB_SECRET": SECRET}
    r = s.run("-vv", "--ip", IP1, env=env)
    assert r.code == 0, r
    assert "secretapikey" in r.err          # the body dump is there
    for v in (APIKEY, SECRET):
        assert v not in r.out and v not in r.err
    pb.pb.secret = "sk1_changed"
    r = s.run("-vv", "--ip", IP2, env=env)
    assert r.code == 77, r
    for v in (APIKEY, SECRET):
        assert v not in r.out and v not in r.err
    with open(s.state) as f:
        text = f.read()
    assert APIKEY not in text and SECRET not in text
