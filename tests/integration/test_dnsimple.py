"""The real binary against the stateful DNSimple mock, over HTTPS with the
test CA (and plain HTTP once). Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_dnsimple
from mock_dnsimple import ACCOUNT, TOKEN

NAME = "home.example.com"
IP1, IP2, IP3 = "203.0.113.7", "203.0.113.8", "203.0.113.9"
V6 = "2001:db8::7"
WRITES = ("POST", "PATCH", "PUT", "DELETE")
ZPATH = "/v2/%d/zones/example.com" % ACCOUNT


@pytest.fixture
def ds(servers, ca):
    return mock_dnsimple.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "dnsimple", "token": TOKEN,
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
    return [c for c in srv.calls if c.method in WRITES]


def created(tmp_path, srv, ca, ip=IP1, **kw):
    """A setup whose record was created by a first run; calls cleared."""
    s = Setup(tmp_path, ca, [record(srv, **kw)])
    r = s.run("--ip", ip)
    assert r.code == 0, r
    del srv.calls[:]
    return s


# ---- create, then the state keeps us quiet ------------------------------

@pytest.mark.parametrize("scheme", ["https", "http"])
def test_create_when_missing(servers, ca, tmp_path, scheme):
    srv = mock_dnsimple.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    got = [(c.method, c.path, c.query) for c in srv.calls]
    assert got == [
        ("GET", "/v2/accounts", {}),
        ("GET", "/v2/%d/zones/home.example.com" % ACCOUNT, {}),
        ("GET", ZPATH, {}),
        ("GET", ZPATH + "/records", {"name": ["home"], "type": ["A"],
                                     "per_page": ["100"], "page": ["1"]}),
        ("POST", ZPATH + "/records", {}),
    ]
    for c in srv.calls:
        assert c.headers["Authorization"] == "Bearer " + TOKEN
        assert c.headers["Accept"] == "application/json"
    post = srv.calls[-1]
    assert post.headers["Content-Type"] == "application/json"
    assert post.json() == {"name": "home", "type": "A", "content": IP1}
    recs = srv.ds.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["content"] == IP1
    assert recs[0]["ttl"] == 3600
    e = s.entry()
    assert e["address"] == IP1
    assert e["record_id"] == "example.com/%d" % recs[0]["id"]


def test_configured_account_and_zone_skip_lookups(ds, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ds, account_id=str(ACCOUNT),
                                    zone="example.com", ttl=120)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [(c.method, c.path) for c in ds.calls] == [
        ("GET", ZPATH), ("GET", ZPATH + "/records"),
        ("POST", ZPATH + "/records")]
    assert ds.calls[-1].json() == {"name": "home", "type": "A",
                                   "content": IP1, "ttl": 120}


def test_state_hit_makes_no_call(ds, ca, tmp_path):
    s = created(tmp_path, ds, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert ds.calls == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_address_change_is_one_patch(ds, ca, tmp_path):
    s = created(tmp_path, ds, ca, account_id=str(ACCOUNT))
    rid = ds.ds.find("example.com", "home", "A")[0]["id"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [(c.method, c.path) for c in ds.calls] == \
        [("PATCH", ZPATH + "/records/%d" % rid)]
    assert ds.calls[0].json() == {"content": IP2}
    assert ds.ds.records[rid]["content"] == IP2
    assert s.entry()["address"] == IP2


def test_address_change_without_account_id_asks_it_once(ds, ca, tmp_path):
    s = created(tmp_path, ds, ca)
    rid = ds.ds.find("example.com", "home", "A")[0]["id"]
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [(c.method, c.path) for c in ds.calls] == \
        [("GET", "/v2/accounts"), ("PATCH", ZPATH + "/records/%d" % rid)]


def test_record_deleted_by_hand(ds, ca, tmp_path):
    s = created(tmp_path, ds, ca, account_id=str(ACCOUNT))
    old = ds.ds.find("example.com", "home", "A")[0]["id"]
    ds.ds.delete_record(old)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in ds.calls] == ["PATCH", "GET", "GET", "GET",
                                           "POST"]
    new = ds.ds.find("example.com", "home", "A")
    assert len(new) == 1 and new[0]["content"] == IP2
    assert s.entry()["record_id"] == "example.com/%d" % new[0]["id"]


def test_force_with_state_hit_verifies(ds, ca, tmp_path):
    s = created(tmp_path, ds, ca)
    r = s.run("--force", "--ip", IP1)
    assert r.code == 0, r
    assert writes(ds) == []
    assert [c.method for c in ds.calls] == ["GET"] * 4


def test_existing_record_updated_keeping_ttl(ds, ca, tmp_path):
    rid = ds.ds.add_record("example.com", "home", "A", "198.51.100.1",
                           ttl=300)
    s = Setup(tmp_path, ca, [record(ds)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert writes(ds)[0].json() == {"content": IP1}
    assert ds.ds.records[rid]["ttl"] == 300
    assert s.entry()["record_id"] == "example.com/%d" % rid


def test_apex_and_aaaa(ds, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ds, name="example.com",
                                    types=["AAAA"])])
    r = s.run("--ip", V6)
    assert r.code == 0, r
    post = writes(ds)[0]
    assert post.json() == {"name": "", "type": "AAAA", "content": V6}
    lst = [c for c in ds.calls if c.path.endswith("/records")][0]
    assert lst.query["name"] == [""] and lst.query["type"] == ["AAAA"]
    # The SOA and NS system records at the apex are left alone.
    assert len(ds.ds.find("example.com", "", "AAAA")) == 1
    assert s.entry(name="example.com", type="AAAA")["address"] == V6


def test_pages_are_all_read(servers, ca, tmp_path):
    srv = mock_dnsimple.start(servers, tls=ca)
    first = srv.ds.add_record("example.com", "home", "A", "198.51.100.1")
    for i in range(120):
        srv.ds.add_record("example.com", "home", "A", "198.51.100.%d" %
                          (2 + i % 200))
    s = Setup(tmp_path, ca, [record(srv, zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    pages = [c.query["page"] for c in srv.calls
             if c.path.endswith("/records") and c.method == "GET"]
    assert pages == [["1"], ["2"]]
    assert "121 records of that name and type; updating %d only" % first \
        in r.err
    assert srv.ds.records[first]["content"] == IP1


def test_two_records_one_zone_lookup(ds, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ds), record(ds, "nas.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    asked = sorted(c.path for c in ds.calls if "/records" not in c.path)
    assert asked == ["/v2/%d/zones/example.com" % ACCOUNT,
                     "/v2/%d/zones/home.example.com" % ACCOUNT,
                     "/v2/%d/zones/nas.example.com" % ACCOUNT,
                     "/v2/accounts"]


# ---- refusals and failures ----------------------------------------------

def test_several_accounts_need_account_id(servers, ca, tmp_path):
    srv = mock_dnsimple.start(servers, tls=ca, accounts=(123, 456))
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("dnsimple: %s A: the token reaches accounts 123, 456: set "
            "\"account_id\" to one of them" % NAME) in r.err
    assert writes(srv) == []


def test_bad_account_id_is_config(ds, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ds, account_id="10x")])
    assert s.run("--check-config").code == 78
    r = s.run("--ip", IP1)
    assert r.code == 78 and ds.calls == [], r
    assert "account_id \"10x\" is not a DNSimple account number" in r.err


def test_wrong_token(ds, ca, tmp_path):
    s = created(tmp_path, ds, ca)
    ds.ds.token = "dnsimpletest_a_another"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("dnsimple: %s A: HTTP 401: Authentication failed (check token"
            % NAME) in r.err
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"


@pytest.mark.parametrize("retry_after,reset_in,wait",
                         [(120, 3000, 120), (None, 900, 900),
                          (None, 7200, 60)])
def test_throttled(ds, ca, tmp_path, retry_after, reset_in, wait):
    s = created(tmp_path, ds, ca)
    ds.ds.throttle(count=1, retry_after=retry_after, reset_in=reset_in)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: Your API rate limit has been exceeded" in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del ds.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75 and ds.calls == [], r


def test_server_error_is_temporary(ds, ca, tmp_path):
    s = created(tmp_path, ds, ca)
    ds.ds.fail_next(500)
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 500: Internal server error" in r.err
    r = s.run("--ip", IP2)
    assert r.code == 0, r


def test_zone_missing(ds, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ds, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no DNSimple zone for home.example.net (tried "
            "home.example.net, example.net; add the domain") in r.err
    assert writes(ds) == []
    assert s.entry(name="home.example.net")["hold"]


def test_garbage_reply(ds, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ds)])
    ds.ds.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                    "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not a DNSimple API reply" in r.err
    assert writes(ds) == []


def test_reply_without_data_array(ds, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ds, zone="example.com",
                                    account_id=str(ACCOUNT))])
    ds.ds.fail_next(200, count=2, payload={"data": {"name": "example.com"},
                                           "records": []})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "no \"data\" array in the reply" in r.err
    assert writes(ds) == []


def test_refused_ttl_is_config(ds, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ds, ttl=10)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("HTTP 400: Validation failed (ttl: must be greater than or "
            "equal to 60)") in r.err


def test_token_never_printed(ds, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ds, token={"env": "DS_TEST_TOKEN"})])
    r = s.run("-vv", "--ip", IP1, env={"DS_TEST_TOKEN": TOKEN})
    assert r.code == 0, r
    assert ds.calls[0].headers["Authorization"] == "Bearer " + TOKEN
    assert TOKEN not in r.out and TOKEN not in r.err
    assert "Authorization" in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env={"DS_TEST_TOKEN": TOKEN + "x"})
    assert r.code == 77, r
    assert TOKEN not in r.out and TOKEN not in r.err
    with open(s.state) as f:
        assert TOKEN not in f.read()


def test_no_token(ds, ca, tmp_path):
    r = record(ds)
    del r["token"]
    s = Setup(tmp_path, ca, [r])
    assert s.run("--check-config").code == 78
    res = s.run("--ip", IP1)
    assert res.code == 78 and ds.calls == [], res
