"""The real binary against the stateful Spaceship mock, over HTTPS with the
test CA (and plain HTTP once). Addresses come from --ip."""
import json
import time

import pytest

import harness
import mock_spaceship
from mock_spaceship import KEY, SECRET

NAME = "home.example.com"
IP1, IP2, IP3 = "203.0.113.7", "203.0.113.8", "203.0.113.9"
WRITES = ("PUT", "DELETE")
RECS = "/api/v1/dns/records/"


@pytest.fixture
def ss(servers, ca):
    return mock_spaceship.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "spaceship", "key": KEY,
         "secret": SECRET, "endpoint": srv.endpoint}
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


def addrs(srv, name="home", type="A", domain="example.com"):
    return sorted(r["address"] for r in srv.ss.find(domain, name, type))


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
    srv = mock_spaceship.start(servers, tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    got = [(c.method, c.path, c.query) for c in srv.calls]
    assert got == [
        ("GET", RECS + "home.example.com", {"take": ["1"], "skip": ["0"]}),
        ("GET", RECS + "example.com", {"take": ["1"], "skip": ["0"]}),
        ("GET", RECS + "example.com", {"take": ["500"], "skip": ["0"]}),
        ("PUT", RECS + "example.com", {}),
    ]
    for c in srv.calls:
        assert c.headers["X-API-Key"] == KEY
        assert c.headers["X-API-Secret"] == SECRET
    put = srv.calls[-1]
    assert put.headers["Content-Type"] == "application/json"
    assert put.json() == {"force": True, "items": [
        {"type": "A", "name": "home", "address": IP1, "ttl": 3600}]}
    assert addrs(srv) == [IP1]
    e = s.entry()
    assert e["address"] == IP1
    assert e["record_id"] == "example.com/home"


def test_state_hit_makes_no_call(ss, ca, tmp_path):
    s = created(tmp_path, ss, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert ss.calls == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_address_change_is_put_then_delete(ss, ca, tmp_path):
    s = created(tmp_path, ss, ca)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [(c.method, c.path) for c in ss.calls] == \
        [("PUT", RECS + "example.com"), ("DELETE", RECS + "example.com")]
    assert ss.calls[0].json()["items"] == \
        [{"type": "A", "name": "home", "address": IP2, "ttl": 3600}]
    assert ss.calls[1].json() == \
        [{"type": "A", "name": "home", "address": IP1}]
    assert addrs(ss) == [IP2]
    assert s.entry()["address"] == IP2


def test_record_changed_by_hand_is_left(ss, ca, tmp_path):
    """The state's old address is what gets deleted: a record someone
    changed by hand stays (documented), ours is in."""
    s = created(tmp_path, ss, ca)
    ss.ss.find("example.com", "home", "A")[0]["address"] = IP3
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert addrs(ss) == [IP2, IP3]


def test_force_with_state_hit_verifies(ss, ca, tmp_path):
    s = created(tmp_path, ss, ca, zone="example.com")
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert writes(ss) == []
    assert [c.method for c in ss.calls] == ["GET", "GET"]
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_existing_record_replaced_keeping_ttl(ss, ca, tmp_path):
    ss.ss.add_record("example.com", "HOME", "A", "198.51.100.1", ttl=120)
    ss.ss.add_record("example.com", "www", "A", "198.51.100.1", ttl=120)
    s = Setup(tmp_path, ca, [record(ss)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    w = writes(ss)
    assert [c.method for c in w] == ["PUT", "DELETE"]
    assert w[0].json()["items"][0]["ttl"] == 120
    assert w[1].json() == [{"type": "A", "name": "home",
                            "address": "198.51.100.1"}]
    assert addrs(ss) == [IP1]
    assert addrs(ss, "www") == ["198.51.100.1"]
    assert s.entry()["record_id"] == "example.com/home"


def test_configured_ttl_applied(ss, ca, tmp_path):
    ss.ss.add_record("example.com", "home", "A", IP1, ttl=120)
    s = Setup(tmp_path, ca, [record(ss, ttl=300)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.json() for c in writes(ss)] == [{"force": True, "items": [
        {"type": "A", "name": "home", "address": IP1, "ttl": 300}]}]
    assert ss.ss.find("example.com", "home", "A")[0]["ttl"] == 300
    assert addrs(ss) == [IP1]


def test_current_record_found(ss, ca, tmp_path):
    ss.ss.add_record("example.com", "home", "A", IP1)
    s = Setup(tmp_path, ca, [record(ss)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert writes(ss) == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)
    assert s.entry()["record_id"] == "example.com/home"


def test_apex_and_aaaa(ss, ca, tmp_path):
    ss.ss.add_record("example.com", "@", "A", "198.51.100.1")
    s = Setup(tmp_path, ca, [record(ss, "example.com", zone="example.com",
                                    types=["AAAA"], ttl=300)])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert [c.path for c in ss.calls][:1] == [RECS + "example.com"]
    assert [c.json() for c in writes(ss)] == [{"force": True, "items": [
        {"type": "AAAA", "name": "@", "address": "2001:db8::7",
         "ttl": 300}]}]
    assert addrs(ss, "@", "AAAA") == ["2001:db8::7"]
    assert addrs(ss, "@", "A") == ["198.51.100.1"]
    assert s.entry("example.com", "AAAA")["record_id"] == "example.com/@"
    # A new address: PUT + DELETE of the AAAA only.
    del ss.calls[:]
    r = s.run("--ip", "2001:db8::8")
    assert r.code == 0, r
    assert [c.json() for c in writes(ss)][1] == \
        [{"type": "AAAA", "name": "@", "address": "2001:db8::7"}]
    assert addrs(ss, "@", "AAAA") == ["2001:db8::8"]
    # Unchanged: no call at all.
    del ss.calls[:]
    r = s.run("--ip", "2001:db8::8")
    assert r.code == 0 and ss.calls == [], r


def test_two_records_one_domain_lookup(ss, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ss), record(ss, "nas.example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    asked = sorted(c.path for c in ss.calls if c.query.get("take") == ["1"])
    assert asked == [RECS + "example.com", RECS + "home.example.com",
                     RECS + "nas.example.com"]


def test_two_a_records_replace_first_and_warn(ss, ca, tmp_path):
    ss.ss.add_record("example.com", "home", "A", "198.51.100.1")
    ss.ss.add_record("example.com", "home", "A", "198.51.100.2")
    s = Setup(tmp_path, ca, [record(ss, zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert "2 records of that name and type; replacing 198.51.100.1 only" \
        in r.err
    assert addrs(ss) == ["198.51.100.2", IP1]


def test_pages_are_followed(ss, ca, tmp_path):
    for i in range(600):
        ss.ss.add_record("example.com", "h%d" % i, "A", "198.51.100.1")
    ss.ss.add_record("example.com", "home", "A", IP1)
    s = Setup(tmp_path, ca, [record(ss, zone="example.com")])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert [c.query["skip"] for c in ss.calls if c.method == "GET"] == \
        [["0"], ["0"], ["500"]]
    assert writes(ss) == []


# ---- refusals and failures ----------------------------------------------

def test_wrong_secret(ss, ca, tmp_path):
    s = created(tmp_path, ss, ca)
    ss.ss.secret = "another"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("spaceship: %s A: HTTP 401: Invalid API key or secret. (check "
            "key and secret: an API key and its secret from Spaceship's "
            "API Manager, https://www.spaceship.com/application/"
            "api-manager/)" % NAME) in r.err
    e = s.entry()
    assert e["address"] == IP1 and e["outcome"] == "auth"


def test_missing_write_permission(servers, ca, tmp_path):
    srv = mock_spaceship.start(servers, tls=ca, perms=("dnsrecords:read",))
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert ("HTTP 403: Missing required permission: dnsrecords:write. (the "
            "API key lacks a permission: it needs dnsrecords:read and "
            "dnsrecords:write") in r.err
    assert srv.ss.find("example.com", "home") == []


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 300)])
def test_throttled(ss, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, ss, ca)
    ss.ss.throttle(count=1, retry_after=retry_after)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: Too many requests." in r.err
    e = s.entry()
    assert e["address"] == IP1
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5
    del ss.calls[:]
    r = s.run("--ip", IP2)
    assert r.code == 75 and ss.calls == [], r


def test_delete_failure_after_put(ss, ca, tmp_path):
    """The new record is in; the old one stays, the run says so and the
    next one finishes the job."""
    s = created(tmp_path, ss, ca)
    orig = ss.ss.delete
    ss.ss.delete = lambda d, body: (500, {}, {"detail": "Internal error."})
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert ("spaceship: %s A: %s added, but deleting %s failed: HTTP 500: "
            "Internal error.\n" % (NAME, IP2, IP1)) in r.err
    assert addrs(ss) == [IP1, IP2]
    ss.ss.delete = orig
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert addrs(ss) == [IP2]


def test_server_error_is_temporary(ss, ca, tmp_path):
    s = created(tmp_path, ss, ca)
    ss.ss.fail_next(500)
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 500: Internal server error." in r.err
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert addrs(ss) == [IP2]


def test_zone_missing(ss, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ss, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no Spaceship domain for home.example.net (tried "
            "home.example.net, example.net; the domain must be on this "
            "Spaceship account") in r.err
    assert writes(ss) == []
    assert s.entry(name="home.example.net")["hold"]


def test_domain_removed_after_state(ss, ca, tmp_path):
    s = created(tmp_path, ss, ca, zone="example.com")
    del ss.ss.domains["example.com"]
    r = s.run("--ip", IP2)
    assert r.code == 78, r
    assert [c.method for c in ss.calls] == ["PUT", "GET"]
    assert "(tried example.com;" in r.err


def test_garbage_reply(ss, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ss)])
    ss.ss.fail_next(200, payload="<html><body>Welcome to nginx!</body>"
                    "</html>", headers={"Content-Type": "text/html"})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "HTTP 200: not a Spaceship API reply" in r.err
    assert writes(ss) == []


def test_reply_without_items(ss, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ss, zone="example.com")])
    ss.ss.fail_next(200, count=2, payload={"records": []})
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "no \"items\" array in the reply" in r.err
    assert writes(ss) == []


def test_refused_ttl_is_config(ss, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ss, ttl=10)])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("HTTP 422: Validation failed.; items[0].ttl: must be between 60 "
            "and 86400.") in r.err


def test_secrets_never_printed(ss, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ss, key={"env": "SS_TEST_KEY"},
                                    secret={"env": "SS_TEST_SECRET"})])
    env = {"SS_TEST_KEY": KEY, "SS_TEST_SECRET": SECRET}
    r = s.run("-vv", "--ip", IP1, env=env)
    assert r.code == 0, r
    assert ss.calls[0].headers["X-API-Secret"] == SECRET
    for v in (KEY, SECRET):
        assert v not in r.out and v not in r.err
    assert "X-API-Secret" in r.err
    env["SS_TEST_SECRET"] = SECRET + "x"
    r = s.run("-vv", "-f", "--ip", IP2, env=env)
    assert r.code == 77, r
    for v in (KEY, SECRET):
        assert v not in r.out and v not in r.err
    with open(s.state) as f:
        st = f.read()
    assert KEY not in st and SECRET not in st


def test_no_secret(ss, ca, tmp_path):
    r = record(ss)
    del r["secret"]
    s = Setup(tmp_path, ca, [r])
    assert s.run("--check-config").code == 78
    res = s.run("--ip", IP1)
    assert res.code == 78 and ss.calls == [], res
