"""The real binary against the stateful Infomaniak DNS mock, over HTTPS
with the test CA (and plain HTTP once)."""
import json
import time

import pytest

import harness
import mock_infomaniak
from mock_infomaniak import TOKEN

NAME = "home.example.com"
IP1, IP2 = "203.0.113.7", "203.0.113.8"
RP = "/2/zones/example.com/records"


@pytest.fixture
def ik(servers, ca):
    return mock_infomaniak.start(servers, tls=ca)


def record(srv, name=NAME, **kw):
    r = {"name": name, "provider": "infomaniak", "token": TOKEN,
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
    srv = mock_infomaniak.start(servers,
                                tls=ca if scheme == "https" else None)
    s = Setup(tmp_path, ca if scheme == "https" else None, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 0, r
    assert r.out == "%s A %s updated\n" % (NAME, IP1)
    got = [(c.method, c.path, c.query) for c in srv.calls]
    assert got == [
        ("GET", "/2/zones/" + NAME, {}),
        ("GET", "/2/zones/example.com", {}),
        ("GET", RP, {"filter[source]": ["home"], "filter[types][]": ["A"],
                     "per_page": ["100"]}),
        ("POST", RP, {}),
    ]
    for c in srv.calls:
        assert c.headers["Authorization"] == "Bearer " + TOKEN
    assert srv.calls[-1].json() == {"type": "A", "ttl": 3600,
                                    "source": "home", "target": IP1}
    recs = srv.ik.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["target"] == IP1
    assert s.entry()["record_id"] == "example.com/%d/3600" % recs[0]["id"]


def test_state_hit_makes_no_call(ik, ca, tmp_path):
    s = created(tmp_path, ik, ca)
    r = s.run("--ip", IP1)
    assert r.code == 0 and ik.calls == [], r


def test_address_change_is_one_put_keeping_ttl(ik, ca, tmp_path):
    rid = ik.ik.add_record("example.com", "home", "A", "198.51.100.1",
                           ttl=120)
    s = created(tmp_path, ik, ca)
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert r.out == "%s A %s updated (was %s)\n" % (NAME, IP2, IP1)
    assert [(c.method, c.path) for c in ik.calls] == \
        [("PUT", "%s/%d" % (RP, rid))]
    assert ik.calls[0].json() == {"target": IP2, "ttl": 120}
    assert ik.ik.records[rid]["target"] == IP2
    assert ik.ik.records[rid]["ttl"] == 120


def test_record_deleted_by_hand(ik, ca, tmp_path):
    s = created(tmp_path, ik, ca, zone="example.com")
    ik.ik.delete_record(ik.ik.find("example.com", "home", "A")[0]["id"])
    r = s.run("--ip", IP2)
    assert r.code == 0, r
    assert [c.method for c in ik.calls] == ["PUT", "GET", "GET", "POST"]
    recs = ik.ik.find("example.com", "home", "A")
    assert len(recs) == 1 and recs[0]["target"] == IP2


def test_force_verifies_without_writing(ik, ca, tmp_path):
    s = created(tmp_path, ik, ca, zone="example.com")
    r = s.run("-f", "--ip", IP1)
    assert r.code == 0, r
    assert writes(ik) == []
    assert r.out == "%s A %s current\n" % (NAME, IP1)


def test_apex_and_aaaa(ik, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ik, "example.com", types=["AAAA"],
                                    ttl=300)])
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0, r
    assert writes(ik)[0].json() == {"type": "AAAA", "ttl": 300,
                                    "source": ".", "target": "2001:db8::7"}
    recs = ik.ik.find("example.com", ".", "AAAA")
    assert len(recs) == 1
    del ik.calls[:]
    r = s.run("--ip", "2001:db8::7")
    assert r.code == 0 and ik.calls == [], r


def test_wrong_token(ik, ca, tmp_path):
    s = created(tmp_path, ik, ca)
    ik.ik.token = "ik_other"
    r = s.run("--ip", IP2)
    assert r.code == 77, r
    assert ("infomaniak: %s A: HTTP 401: not_authorized: Authorization "
            "required (check token" % NAME) in r.err


def test_read_only_token(servers, ca, tmp_path):
    srv = mock_infomaniak.start(servers, tls=ca, writable=False)
    s = Setup(tmp_path, ca, [record(srv)])
    r = s.run("--ip", IP1)
    assert r.code == 77, r
    assert "HTTP 403: access_denied: Access denied (the token" in r.err
    assert srv.ik.records == {}


@pytest.mark.parametrize("retry_after,wait", [(120, 120), (None, 60)])
def test_throttled(ik, ca, tmp_path, retry_after, wait):
    s = created(tmp_path, ik, ca)
    ik.ik.throttle(count=1, retry_after=retry_after)
    t0 = time.time()
    r = s.run("--ip", IP2)
    assert r.code == 75, r
    assert "HTTP 429: too_many_request: Too many requests" in r.err
    e = s.entry()
    assert t0 + wait - 5 <= e["backoff_until"] <= time.time() + wait + 5


def test_zone_not_in_account(ik, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ik, name="home.example.net")])
    r = s.run("--ip", IP1)
    assert r.code == 78, r
    assert ("no Infomaniak DNS zone for home.example.net (tried "
            "home.example.net, example.net;") in r.err
    assert writes(ik) == []
    assert s.entry(name="home.example.net")["hold"]


@pytest.mark.parametrize("payload", ["<html>maintenance</html>",
                                     {"result": "success"}])
def test_garbage_reply(ik, ca, tmp_path, payload):
    s = Setup(tmp_path, ca, [record(ik, zone="example.com")])
    ik.ik.fail_next(200, payload=payload)
    r = s.run("--ip", IP1)
    assert r.code == 76, r
    assert "not an Infomaniak API reply" in r.err
    assert writes(ik) == []


def test_token_never_printed(ik, ca, tmp_path):
    s = Setup(tmp_path, ca, [record(ik, token={"env": "IK_T"})])
    r = s.run("-vv", "--ip", IP1, env={"IK_T": TOKEN})
    assert r.code == 0, r
    assert "Authorization" in r.err
    assert TOKEN not in r.out and TOKEN not in r.err
    r = s.run("-vv", "-f", "--ip", IP2, env={"IK_T": TOKEN + "x"})
    assert r.code == 77, r
    assert TOKEN not in r.out and TOKEN not in r.err
